//! Loading a whole article from the text of its file: metadata or located
//! errors, never a panic, and a URL that stays a path of the site.
#![no_main]

use std::path::Path;

use broadsheet::config::Config;
use broadsheet::content;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let config = Config::default();
    let file = Path::new("content/2025-03-17-fuzz.md");
    match content::article_from_text(text, file, Path::new("content"), file.into(), &config) {
        Ok((article, _warnings)) => {
            assert!(article.url.starts_with('/') && article.url.ends_with('/'));
            assert!(!article.url.contains("//") && !article.url.contains(".."));
            assert!(!article.front.title.trim().is_empty());
            assert!(article.body_offset <= text.len());
        }
        Err(errors) => assert!(!errors.is_empty()),
    }
});
