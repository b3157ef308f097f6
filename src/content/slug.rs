//! URL slugs: lowercase ASCII words joined by hyphens.

/// Longest slug kept, in bytes: file systems refuse names over 255 bytes,
/// and this leaves room for suffixes (`-2`, `-a1b2c3`).
pub const MAX_SLUG_LEN: usize = 200;

/// What making a slug of a written one had to change, beyond spelling it
/// in lowercase ASCII: the author should hear of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugChange {
    /// It held `/`, `\` or a `.`/`..` segment, which would make it a path.
    PathSyntax,
    /// It was longer than [`MAX_SLUG_LEN`] and was cut at a word.
    Shortened,
    /// It was a name Windows reserves for a device (`con`, `nul`, `lpt1`):
    /// `-1` was added.
    Reserved,
}

impl SlugChange {
    /// What was changed, in words.
    pub fn describe(self) -> &'static str {
        match self {
            SlugChange::PathSyntax => "holds path syntax (`/`, `\\`, `..`)",
            SlugChange::Shortened => "is longer than 200 bytes",
            SlugChange::Reserved => "is a name Windows reserves for a device",
        }
    }
}

/// True for a slug that is safe as a path segment on any system: lowercase
/// ASCII letters and digits in words joined by single hyphens, no longer
/// than [`MAX_SLUG_LEN`] (and the `-1` a reserved name gets). What every
/// function of this module returns.
pub fn is_safe_slug(slug: &str) -> bool {
    slug.len() <= MAX_SLUG_LEN + 2
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A slug made from a slug the author wrote, with what had to change.
pub fn slugify_written(written: &str) -> (String, Vec<SlugChange>) {
    let mut changes = Vec::new();
    let path_like = written.contains(['/', '\\'])
        || written
            .split(['/', '\\'])
            .any(|part| part == "." || part == "..");
    if path_like {
        changes.push(SlugChange::PathSyntax);
    }
    let (slug, more) = segment(slugify_with_changes(written));
    changes.extend(more);
    (slug, changes)
}

/// A tag's, author's or section's slug: symbols that carry meaning in
/// names are spelled out (`C++` → `c-plus-plus`, `C#` → `c-sharp`,
/// `R&D` → `r-and-d`), so that such names do not collide with plain ones.
/// Also says what had to change for it to be safe.
pub fn term_slug(name: &str) -> (String, Vec<SlugChange>) {
    let mut spelled = String::with_capacity(name.len() + 8);
    let mut previous: Option<char> = None;
    for c in name.chars() {
        let after_word = previous.is_some_and(|p| p.is_alphanumeric() || p == '+' || p == '#');
        match c {
            '+' if after_word => spelled.push_str(" plus "),
            '#' if after_word => spelled.push_str(" sharp "),
            '&' => spelled.push_str(" and "),
            c => spelled.push(c),
        }
        previous = Some(c);
    }
    segment(slugify_with_changes(&spelled))
}

/// Turns any text into a slug, transliterating non-ASCII letters
/// ("São Paulo" → `sao-paulo`, "Россия" → `rossiia`). The result holds only
/// `a-z`, `0-9` and single inner hyphens, so it can never carry `/`, `\` or
/// `..`. It is empty when the text has no letter or digit at all.
pub fn slugify(text: &str) -> String {
    slugify_with_changes(text).0
}

/// Names Windows reserves for devices: no folder may be called so there,
/// whatever its extension.
const WINDOWS_RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// [`slugify`], and whether the slug had to be cut to [`MAX_SLUG_LEN`] or
/// moved off a reserved name.
fn slugify_with_changes(text: &str) -> (String, Vec<SlugChange>) {
    let mut changes = Vec::new();
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
        changes.push(SlugChange::Shortened);
    }
    (slug, changes)
}

/// A slug made into a path segment: one named as a Windows device gets
/// `-1` (a site may be copied to or served from Windows).
fn segment((mut slug, mut changes): (String, Vec<SlugChange>)) -> (String, Vec<SlugChange>) {
    if WINDOWS_RESERVED.contains(&slug.as_str()) {
        slug.push_str("-1");
        changes.push(SlugChange::Reserved);
    }
    (slug, changes)
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
        assert_eq!(slugify_written("lpt1").0, "lpt1-1");
        assert_eq!(slugify_written("console").0, "console");
        assert_eq!(slugify("Con"), "con", "heading ids are no paths");
    }

    #[test]
    fn written_slugs_say_what_changed() {
        assert_eq!(
            slugify_written("../../etc/passwd"),
            ("etc-passwd".into(), vec![SlugChange::PathSyntax])
        );
        assert_eq!(
            slugify_written("2019/06/budget-vote"),
            ("2019-06-budget-vote".into(), vec![SlugChange::PathSyntax])
        );
        assert_eq!(slugify_written("My Slug"), ("my-slug".into(), vec![]));
        let (slug, changes) = slugify_written(&"x".repeat(300));
        assert_eq!((slug.len(), changes), (200, vec![SlugChange::Shortened]));
        assert_eq!(
            slugify_written("CON"),
            ("con-1".into(), vec![SlugChange::Reserved])
        );
    }

    #[test]
    fn term_slugs_spell_out_meaningful_symbols() {
        assert_eq!(term_slug("C++").0, "c-plus-plus");
        assert_eq!(term_slug("C#").0, "c-sharp");
        assert_eq!(term_slug("C").0, "c");
        assert_eq!(term_slug("R&D").0, "r-and-d");
        assert_eq!(term_slug("Fish & Chips").0, "fish-and-chips");
        assert_eq!(term_slug("#MeToo").0, "metoo");
        assert_eq!(term_slug("+1").0, "1");
        assert_eq!(term_slug("Google+").0, "google-plus");
        assert_eq!(
            term_slug(&"long ".repeat(100)).1,
            vec![SlugChange::Shortened]
        );
        assert_eq!(term_slug("Aux").0, "aux-1");
    }

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let s = slugify(&long);
        assert!(s.len() <= MAX_SLUG_LEN);
        assert!(s.ends_with("word"));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn slugs_of_any_text_are_safe_and_stable(text in "\\PC{0,400}") {
            for (slug, again) in [
                (slugify(&text), slugify(&text)),
                (slugify_written(&text).0, slugify_written(&text).0),
                (term_slug(&text).0, term_slug(&text).0),
            ] {
                prop_assert!(is_safe_slug(&slug), "{:?} -> {:?}", text, slug);
                prop_assert_eq!(&slug, &again);
            }
        }

        #[test]
        fn path_syntax_never_survives(parts in proptest::collection::vec("[a-z]{0,5}|\\.\\.|\\.|/|\\\\", 1..12)) {
            let text = parts.concat();
            let (slug, changes) = slugify_written(&text);
            prop_assert!(!slug.contains('/') && !slug.contains('\\') && !slug.contains(".."));
            if text.contains(['/', '\\']) {
                prop_assert!(changes.contains(&SlugChange::PathSyntax));
            }
        }

        #[test]
        fn text_with_a_letter_or_digit_has_a_slug(word in "[A-Za-z0-9]{1,20}", noise in "[ !?.,/-]{0,10}") {
            let text = format!("{noise}{word}{noise}");
            prop_assert!(!slugify(&text).is_empty());
        }
    }
}
