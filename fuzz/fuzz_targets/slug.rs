//! Slugs of any text: lowercase ASCII words joined by single hyphens, short
//! enough for any file system, the same every time.
#![no_main]

use broadsheet::content::slug::{is_safe_slug, slugify, slugify_written, term_slug};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for slug in [slugify(text), slugify_written(text).0, term_slug(text).0] {
        assert!(is_safe_slug(&slug), "{text:?} → {slug:?}");
    }
    assert_eq!(slugify_written(text), slugify_written(text));
});
