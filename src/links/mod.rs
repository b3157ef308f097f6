//! Links in content: the one rule that tells a link leaving the site from a
//! site path, a path relative to the page, or a fragment of the page. Body
//! links, lead images and the link checker ([`check`]) all ask it.

pub mod check;
pub mod external;
pub mod sources;

/// The segments of a slash path with `.`, `..` and empty segments resolved;
/// `None` when `..` climbs above its start.
pub fn segments(path: &str) -> Option<Vec<&str>> {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts)
}

/// Where a link (an `href`, a `src`, a Markdown destination) points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// Nothing: an empty link.
    Empty,
    /// Another site, or another scheme (`https://…`, `//host/…`, `mailto:`, `data:`).
    External,
    /// A fragment of the same page (`#notes`).
    Fragment,
    /// A path from the site's root (`/2024/01/02/foo/`).
    RootRelative,
    /// A path relative to the page (`map.svg`, `../x/`).
    Relative,
}

/// Classifies a link as written.
pub fn classify(link: &str) -> LinkKind {
    let has_scheme = link.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if link.is_empty() {
        LinkKind::Empty
    } else if has_scheme || link.starts_with("//") {
        LinkKind::External
    } else if link.starts_with('#') {
        LinkKind::Fragment
    } else if link.starts_with('/') {
        LinkKind::RootRelative
    } else {
        LinkKind::Relative
    }
}

/// Decodes `%XX` escapes in a URL path. `None` when an escape is malformed
/// or the bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_strictly() {
        assert_eq!(percent_decode("a%20b%2F").as_deref(), Some("a b/"));
        assert_eq!(percent_decode("%C3%A9t%C3%A9").as_deref(), Some("été"));
        assert_eq!(percent_decode("100%"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn classifies_every_form() {
        for (link, kind) in [
            ("", LinkKind::Empty),
            ("https://example.org/", LinkKind::External),
            ("//cdn.example.org/x.js", LinkKind::External),
            ("mailto:desk@example.org", LinkKind::External),
            ("data:image/png;base64,AAAA", LinkKind::External),
            ("#notes", LinkKind::Fragment),
            ("/2024/01/02/foo/", LinkKind::RootRelative),
            ("map.svg", LinkKind::Relative),
            ("../x/", LinkKind::Relative),
            ("a:b/c", LinkKind::External),
            ("./x:y", LinkKind::Relative),
        ] {
            assert_eq!(classify(link), kind, "{link}");
        }
    }
}
