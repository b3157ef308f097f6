//! Splitting a file into front matter and body, and reading the front
//! matter: any text gives a front matter or located errors, never a panic.
#![no_main]

use std::path::Path;

use broadsheet::content::front_matter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let path = Path::new("content/fuzz.md");
    if let Ok(split) = front_matter::split(text, path) {
        assert!(split.body_offset <= text.len());
        assert!(text.is_char_boundary(split.body_offset));
        if let Err(errors) = front_matter::parse(&split, path, &jiff::tz::TimeZone::UTC) {
            assert!(!errors.is_empty());
            for error in errors {
                assert!(error.line >= 1, "{error}");
                assert!(!error.message.is_empty(), "{error}");
            }
        }
    }
});
