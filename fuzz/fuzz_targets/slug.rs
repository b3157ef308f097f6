//! Slugs of any text: lowercase ASCII words joined by single hyphens, short
//! enough for any file system, the same every time.
#![no_main]

use broadsheet::content::slug::{MAX_SLUG_LEN, slugify, slugify_written, term_slug};
use libfuzzer_sys::fuzz_target;

fn is_safe(slug: &str) -> bool {
    slug.len() <= MAX_SLUG_LEN + 2
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fuzz_target!(|text: &str| {
    for slug in [slugify(text), slugify_written(text).0, term_slug(text).0] {
        assert!(is_safe(&slug), "{text:?} → {slug:?}");
    }
    assert_eq!(slugify_written(text), slugify_written(text));
});
