//! The pixel sizes of the site's own images (lead images and images in
//! bodies), so that pages give every `<img>` its `width` and `height` and
//! nothing shifts as the images load. Only the header of each file is read,
//! with the `imagesize` crate.

use std::path::Path;

use crate::links::check::site_path_of;
use crate::source::Stamp;

/// An image's size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ImageSize {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Extensions of the image files whose size is read: what browsers show.
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico"];

/// How much of an SVG file is read to find its root element.
const SVG_HEAD: u64 = 8 * 1024;

/// The size of the image in `file`, when it is an image whose header can be
/// read: raster formats from their header, SVG from its root element's
/// `width` and `height` (in pixels, or without a unit) or else its `viewBox`.
pub fn read_size(file: &Path) -> Option<ImageSize> {
    let extension = file.extension()?.to_str()?.to_ascii_lowercase();
    if extension == "svg" {
        let mut head = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::fs::File::open(file).ok()?, SVG_HEAD),
            &mut head,
        )
        .ok()?;
        return svg_size(&String::from_utf8_lossy(&head));
    }
    if !IMAGE_EXTENSIONS.contains(&extension.as_str()) {
        return None;
    }
    let size = imagesize::size(file).ok()?;
    Some(ImageSize {
        width: u32::try_from(size.width).ok().filter(|w| *w > 0)?,
        height: u32::try_from(size.height).ok().filter(|h| *h > 0)?,
    })
}

/// The size of an SVG image from the start of its text.
fn svg_size(text: &str) -> Option<ImageSize> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attribute = |name: &str| {
        let mut rest = tag;
        while let Some(at) = rest.find(name) {
            let before = rest[..at].chars().next_back();
            let after = rest[at + name.len()..].trim_start();
            rest = &rest[at + name.len()..];
            if before.is_some_and(|c| c.is_whitespace())
                && let Some(value) = after.strip_prefix('=')
            {
                let value = value.trim_start();
                let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
                return value[1..].split(quote).next();
            }
        }
        None
    };
    let pixels = |value: &str| -> Option<u32> {
        let number = value.trim().strip_suffix("px").unwrap_or(value.trim());
        let number: f64 = number.parse().ok()?;
        (0.5..1e6).contains(&number).then(|| number.round() as u32)
    };
    if let (Some(width), Some(height)) = (
        attribute("width").and_then(pixels),
        attribute("height").and_then(pixels),
    ) {
        return Some(ImageSize { width, height });
    }
    let view_box: Vec<&str> = attribute("viewBox")?
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|part| !part.is_empty())
        .collect();
    match view_box[..] {
        [_, _, width, height] => Some(ImageSize {
            width: pixels(width)?,
            height: pixels(height)?,
        }),
        _ => None,
    }
}

/// Where the files a site copies come from: the source file and its stamp
/// for an output path (`2025/03/17/x/map.png`, `img/logo.png`).
pub trait SourceFiles: Sync {
    /// The source of the file copied to `output_path`, if one is.
    fn source(&self, output_path: &str) -> Option<(&Path, Option<Stamp>)>;
}

/// The source file of an image written as `dest` in the page at `page_url`
/// (a site path such as `/2025/03/17/x/`), with its output path; `None` for
/// an external image or one the site does not copy.
pub fn image_source<'s>(
    files: &'s dyn SourceFiles,
    page_url: &str,
    dest: &str,
) -> Option<(String, &'s Path, Option<Stamp>)> {
    let site_path = site_path_of(page_url, dest)??;
    let output_path = site_path.trim_start_matches('/').to_string();
    let (file, stamp) = files.source(&output_path)?;
    Some((output_path, file, stamp))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A GIF header of `width` × `height`.
    fn gif(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = b"GIF89a".to_vec();
        bytes.extend(width.to_le_bytes());
        bytes.extend(height.to_le_bytes());
        bytes.extend([0, 0, 0]);
        bytes
    }

    #[test]
    fn sizes_are_read_from_headers_of_image_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("photo.GIF");
        std::fs::write(&photo, gif(1200, 800)).unwrap();
        assert_eq!(
            read_size(&photo),
            Some(ImageSize {
                width: 1200,
                height: 800
            })
        );
        let not_image = dir.path().join("notes.txt");
        std::fs::write(&not_image, gif(1, 1)).unwrap();
        assert_eq!(read_size(&not_image), None);
        let broken = dir.path().join("broken.jpg");
        std::fs::write(&broken, b"not a jpeg").unwrap();
        assert_eq!(read_size(&broken), None);
        assert_eq!(read_size(&dir.path().join("missing.png")), None);
    }

    #[test]
    fn svg_sizes_come_from_width_and_height_or_the_view_box() {
        let size = |text: &str| svg_size(text).map(|s| (s.width, s.height));
        let svg =
            |attributes: &str| format!("<?xml version=\"1.0\"?>\n<svg {attributes}><rect/></svg>");
        assert_eq!(
            size(&svg(r#"width="640" height="480px""#)),
            Some((640, 480))
        );
        assert_eq!(size(&svg(r#"viewBox="0 0 320 160""#)), Some((320, 160)));
        assert_eq!(
            size(&svg(r#"viewBox='0,0,32.4,16' stroke-width="2""#)),
            Some((32, 16))
        );
        // Relative widths say nothing of the shape; the view box does.
        assert_eq!(
            size(&svg(r#"width="100%" height="100%" viewBox="0 0 4 3""#)),
            Some((4, 3))
        );
        assert_eq!(size(&svg(r#"width="10em" height="2em""#)), None);
        assert_eq!(size(&svg(r#"data-width="5" data-height="5""#)), None);
        assert_eq!(size("<html>not an svg</html>"), None);
        assert_eq!(size(&svg(r#"viewBox="0 0 0 0""#)), None);
    }

    struct OneFile(std::path::PathBuf);

    impl SourceFiles for OneFile {
        fn source(&self, output_path: &str) -> Option<(&Path, Option<Stamp>)> {
            (output_path == "2025/03/17/x/map.png").then_some((self.0.as_path(), None))
        }
    }

    #[test]
    fn image_destinations_resolve_like_links() {
        let files = OneFile("map.png".into());
        let page = "/2025/03/17/x/";
        for dest in [
            "map.png",
            "./map.png",
            "/2025/03/17/x/map.png",
            "../x/map.png?v=2",
        ] {
            let found = image_source(&files, page, dest);
            assert_eq!(
                found.map(|(output, _, _)| output).as_deref(),
                Some("2025/03/17/x/map.png"),
                "{dest}"
            );
        }
        for dest in [
            "https://example.org/map.png",
            "other.png",
            "../../../../../map.png",
        ] {
            assert!(image_source(&files, page, dest).is_none(), "{dest}");
        }
    }
}
