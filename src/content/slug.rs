//! URL slugs: lowercase ASCII words joined by hyphens.

/// Longest slug kept, in bytes; file systems refuse names over 255 bytes.
const MAX_SLUG_LEN: usize = 200;

/// Turns any text into a slug, transliterating non-ASCII letters
/// ("São Paulo" → `sao-paulo`, "Россия" → `rossiia`). The result holds only
/// `a-z`, `0-9` and single inner hyphens, so it can never carry `/`, `\` or
/// `..`. It is empty when the text has no letter or digit at all.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut gap = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            // An apostrophe joins its word ("Putin's" → `putins`); anything else separates.
            gap = true;
        }
    }
    if slug.len() > MAX_SLUG_LEN {
        let cut = slug[..MAX_SLUG_LEN].rfind('-').unwrap_or(MAX_SLUG_LEN);
        slug.truncate(cut);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_lowercase_hyphenated() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(
            slugify("  Putin's  invitation — to Maduro "),
            "putins-invitation-to-maduro"
        );
        assert_eq!(
            slugify("2025 budget: 3.5% growth"),
            "2025-budget-3-5-growth"
        );
    }

    #[test]
    fn transliterates_non_ascii() {
        assert_eq!(slugify("São Paulo"), "sao-paulo");
        assert_eq!(slugify("Россия"), "rossiia");
        assert_eq!(slugify("Türkiye"), "turkiye");
        assert_eq!(slugify("Zürich Straße"), "zurich-strasse");
    }

    #[test]
    fn never_carries_path_syntax() {
        for hostile in ["../../x", "..\\..\\x", "/etc/passwd", "a/../b", ".", ".."] {
            let s = slugify(hostile);
            assert!(
                !s.contains('/') && !s.contains('\\') && !s.contains(".."),
                "{s}"
            );
        }
        assert_eq!(slugify("../../x"), "x");
        assert_eq!(slugify(".."), "");
        assert_eq!(slugify("🎉"), "tada");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let s = slugify(&long);
        assert!(s.len() <= MAX_SLUG_LEN);
        assert!(s.ends_with("word"));
    }
}
