//! Permalink patterns: any pattern is read or refused, and the URLs an
//! accepted one makes are site paths that never leave the site.
#![no_main]

use broadsheet::config::Permalink;
use broadsheet::content::slug::slugify;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str, &str, u16, u8, u8)| {
    let (pattern, slug_text, section_text, year, month, day) = input;
    let Ok(permalink) = Permalink::parse(pattern) else {
        return;
    };
    let Ok(date) = jiff::civil::Date::new(
        (year % 9999 + 1) as i16,
        (month % 12 + 1) as i8,
        (day % 28 + 1) as i8,
    ) else {
        return;
    };
    let slug = slugify(slug_text);
    if slug.is_empty() {
        return;
    }
    let url = permalink.expand(date, &slug, &slugify(section_text));
    // A folder, or for a pattern ending in `.html` a file of that name.
    assert!(
        url.starts_with('/')
            && (url.ends_with('/')
                || (permalink.file && (url.ends_with(".html") || url.ends_with(".htm")))),
        "{pattern:?} → {url:?}"
    );
    assert!(!url.contains("//"), "{pattern:?} → {url:?}");
    assert!(
        url.split('/')
            .all(|segment| segment != ".." && segment != "."),
        "{pattern:?} → {url:?}"
    );
});
