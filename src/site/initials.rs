//! How the terms of a taxonomy are filed for its overview: by the initial
//! of the name as written (Ελλάδα under Ε, Москва under М, digits under
//! 0–9), in an order a reader expects, and split into pages when an initial
//! holds too many for one.
//!
//! Latin letters with diacritics are filed under their base letter (Árbol
//! under A), as most Latin-script indexes do. Alphabets (Greek, Cyrillic,
//! Armenian, Georgian, Hebrew, Arabic) are filed by their own letters;
//! scripts with thousands of characters (Han, kana, Hangul) and the
//! scripts of South and South-East Asia each form one group.

use std::collections::BTreeMap;

use super::taxonomy::{Taxonomy, TaxonomyKind};

/// Most terms on one page of an overview; an initial with more is split.
pub const MAX_TERMS_PER_GROUP: usize = 500;

/// One initial (or a part of one) of an overview: its terms, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InitialGroup {
    /// As shown: `A`, `Ε`, `0–9`, `漢字`, or `Sa–Sh` for a part of `S`.
    pub label: String,
    /// ASCII, for URLs and ids: `a`, `greek-395`, `0-9`, `han`, `s-2`.
    pub slug: String,
    /// The script's name in English for initials of other scripts than
    /// Latin (`Greek`, `Cyrillic`, `Han`), so that Ε is not taken for E.
    pub script: Option<&'static str>,
    /// Positions of its terms in the taxonomy's terms, in reading order.
    pub terms: Vec<usize>,
}

/// Where a name is filed: the group's order, label and slug.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Initial {
    /// Digits first, then Latin A–Z, then other scripts by code point, and
    /// names without a letter or digit last.
    order: (u8, u32),
    label: String,
    slug: String,
    script: Option<&'static str>,
}

/// Scripts filed letter by letter: (first, last code point, name in slugs).
const ALPHABETS: &[(u32, u32, &str, &str)] = &[
    (0x0370, 0x03FF, "greek", "Greek"),
    (0x1F00, 0x1FFF, "greek", "Greek"),
    (0x0400, 0x052F, "cyrillic", "Cyrillic"),
    (0x0530, 0x058F, "armenian", "Armenian"),
    (0x0590, 0x05FF, "hebrew", "Hebrew"),
    (0x0600, 0x06FF, "arabic", "Arabic"),
    (0x0750, 0x077F, "arabic", "Arabic"),
    (0x10A0, 0x10FF, "georgian", "Georgian"),
];

/// Scripts filed as one group each: (first, last, label, slug, name).
const SCRIPTS: &[(u32, u32, &str, &str, &str)] = &[
    (0x0900, 0x097F, "देवनागरी", "devanagari", "Devanagari"),
    (0x0980, 0x09FF, "বাংলা", "bengali", "Bengali"),
    (0x0B80, 0x0BFF, "தமிழ்", "tamil", "Tamil"),
    (0x0E00, 0x0E7F, "ไทย", "thai", "Thai"),
    (0x1100, 0x11FF, "한글", "hangul", "Hangul"),
    (0x3040, 0x30FF, "かな", "kana", "Kana"),
    (0x3400, 0x4DBF, "漢字", "han", "Han"),
    (0x4E00, 0x9FFF, "漢字", "han", "Han"),
    (0xAC00, 0xD7AF, "한글", "hangul", "Hangul"),
    (0xF900, 0xFAFF, "漢字", "han", "Han"),
    (0x20000, 0x2FA1F, "漢字", "han", "Han"),
];

/// The initial a name is filed under.
fn initial(name: &str) -> Initial {
    let Some(first) = name.chars().find(|c| c.is_alphanumeric()) else {
        return Initial {
            order: (3, 0),
            label: "#".into(),
            slug: "symbols".into(),
            script: None,
        };
    };
    if first.is_numeric() {
        return Initial {
            order: (0, 0),
            label: "0–9".into(),
            slug: "0-9".into(),
            script: None,
        };
    }
    let code = first as u32;
    if let Some(&(_, _, label, slug, script)) =
        SCRIPTS.iter().find(|(a, b, ..)| (*a..=*b).contains(&code))
    {
        let order = SCRIPTS
            .iter()
            .filter(|s| s.3 == slug)
            .map(|s| s.0)
            .min()
            .unwrap_or(code);
        return Initial {
            order: (2, order),
            label: label.into(),
            slug: slug.into(),
            script: Some(script),
        };
    }
    if let Some(&(_, _, slug_script, script)) = ALPHABETS
        .iter()
        .find(|(a, b, ..)| (*a..=*b).contains(&code))
    {
        // Greek polytonic and accented letters are filed under the plain one.
        let upper = first.to_uppercase().next().unwrap_or(first);
        let plain = plain_greek(upper);
        return Initial {
            order: (2, plain as u32),
            label: plain.to_string(),
            slug: format!("{slug_script}-{:x}", plain as u32),
            script: Some(script),
        };
    }
    let latin = deunicode::deunicode_char(first)
        .and_then(|s| s.chars().next())
        .filter(char::is_ascii_alphabetic);
    match latin {
        Some(letter) => {
            let letter = letter.to_ascii_uppercase();
            Initial {
                order: (1, letter as u32),
                label: letter.to_string(),
                slug: letter.to_ascii_lowercase().to_string(),
                script: None,
            }
        }
        None => Initial {
            order: (2, code),
            label: first.to_uppercase().collect(),
            slug: format!("u{code:x}"),
            script: Some("Other scripts"),
        },
    }
}

/// A Greek capital without its accent or breathing (Ά → Α, Ἀ → Α).
fn plain_greek(c: char) -> char {
    let plain = match c as u32 {
        0x0386 | 0x1F08..=0x1F0F | 0x1F88..=0x1F8F | 0x1FB8..=0x1FBC => 0x0391,
        0x0388 | 0x1F18..=0x1F1D | 0x1FC8..=0x1FC9 => 0x0395,
        0x0389 | 0x1F28..=0x1F2F | 0x1F98..=0x1F9F | 0x1FCA..=0x1FCC => 0x0397,
        0x038A | 0x03AA | 0x1F38..=0x1F3F | 0x1FD8..=0x1FDB => 0x0399,
        0x038C | 0x1F48..=0x1F4D | 0x1FF8..=0x1FF9 => 0x039F,
        0x038E | 0x03AB | 0x1F59..=0x1F5F | 0x1FE8..=0x1FEB => 0x03A5,
        0x038F | 0x1F68..=0x1F6F | 0x1FA8..=0x1FAF | 0x1FFA..=0x1FFC => 0x03A9,
        0x1FEC => 0x03A1,
        _ => return c,
    };
    char::from_u32(plain).unwrap_or(c)
}

/// The key names sort by within a group: Latin names by their letters
/// without diacritics, others as written, case aside, and numbers by their
/// value (`Route 9` before `Route 10`).
fn sort_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let plain: String = if lower.is_ascii() {
        lower
    } else {
        lower
            .chars()
            .map(|c| match deunicode::deunicode_char(c) {
                Some(ascii) if is_latin(c) => ascii.to_string(),
                _ => c.to_string(),
            })
            .collect()
    };
    let mut key = String::with_capacity(plain.len() + 8);
    let mut digits = String::new();
    for c in plain.chars().chain(std::iter::once('\u{0}')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            // Zero-padded to one width, digit runs compare as numbers.
            let significant = digits.trim_start_matches('0');
            key.extend(std::iter::repeat_n(
                '0',
                12usize.saturating_sub(significant.len()),
            ));
            key.push_str(significant);
            digits.clear();
        }
        if c != '\u{0}' {
            key.push(c);
        }
    }
    key
}

/// True for a letter of the Latin script (basic, Latin-1 and the extended
/// blocks).
fn is_latin(c: char) -> bool {
    matches!(c as u32, 0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF)
}

/// Words that end a name without being the surname.
const NAME_SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];

/// The name an author is filed under: the last word of a name of several
/// (the surname, with a trailing `Jr.` or `III` skipped), unless the
/// config gives a sort name.
pub fn author_sort_name<'a>(name: &'a str, sort_names: &'a BTreeMap<String, String>) -> &'a str {
    if let Some(key) = sort_names.get(name) {
        return key;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let last = words
        .iter()
        .rposition(|w| !NAME_SUFFIXES.contains(&w.to_lowercase().as_str()))
        .unwrap_or(0);
    match words.get(last) {
        Some(word) if words.len() > 1 => {
            let start = word.as_ptr() as usize - name.as_ptr() as usize;
            &name[start..]
        }
        _ => name,
    }
}

/// Labels for the parts of a split initial, as guide words in a
/// dictionary: `Cea–Cen`, `Cen–Cot`, with as many letters as it takes for
/// each part's first word to differ from the previous part's last (up to
/// eight), or numbered (`C 1`, `C 2`) when names differ only further on.
fn part_labels(bounds: &[(&str, &str)]) -> Vec<String> {
    let prefix = |key: &str, length: usize| -> String {
        let letters: String = key
            .split('\u{0}')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(length)
            .collect();
        let mut chars = letters.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    };
    for length in 2..=8 {
        let labels: Vec<(String, String)> = bounds
            .iter()
            .map(|(first, last)| (prefix(first, length), prefix(last, length)))
            .collect();
        let distinct = labels.windows(2).all(|w| w[0].1 < w[1].0);
        if distinct {
            return labels
                .into_iter()
                .map(|(first, last)| format!("{first}–{last}"))
                .collect();
        }
    }
    let initial = prefix(bounds[0].0, 1);
    (1..=bounds.len())
        .map(|n| format!("{initial} {n}"))
        .collect()
}

/// Files every term of a taxonomy under its initial, in reading order;
/// initials with more than [`MAX_TERMS_PER_GROUP`] terms are split into
/// parts. Authors are filed by their sort name (see [`author_sort_name`]).
pub fn group_terms(
    taxonomy: &Taxonomy,
    sort_names: &BTreeMap<String, String>,
) -> Vec<InitialGroup> {
    let mut filed: BTreeMap<Initial, Vec<(String, usize)>> = BTreeMap::new();
    for (position, term) in taxonomy.terms.iter().enumerate() {
        let as_filed = match taxonomy.kind {
            TaxonomyKind::Authors => author_sort_name(&term.name, sort_names),
            _ => term.name.as_str(),
        };
        let key = format!("{}\u{0}{}", sort_key(as_filed), sort_key(&term.name));
        filed
            .entry(initial(as_filed))
            .or_default()
            .push((key, position));
    }
    let mut groups = Vec::new();
    for (initial, mut terms) in filed {
        terms.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| taxonomy.terms[a.1].slug.cmp(&taxonomy.terms[b.1].slug))
        });
        if terms.len() <= MAX_TERMS_PER_GROUP {
            groups.push(InitialGroup {
                label: initial.label,
                slug: initial.slug,
                script: initial.script,
                terms: terms.into_iter().map(|(_, p)| p).collect(),
            });
            continue;
        }
        let parts = terms.len().div_ceil(MAX_TERMS_PER_GROUP);
        let per_part = terms.len().div_ceil(parts);
        let chunks: Vec<&[(String, usize)]> = terms.chunks(per_part).collect();
        let bounds: Vec<(&str, &str)> = chunks
            .iter()
            .map(|part| (part[0].0.as_str(), part[part.len() - 1].0.as_str()))
            .collect();
        let labels = part_labels(&bounds);
        for (n, (part, label)) in chunks.into_iter().zip(labels).enumerate() {
            groups.push(InitialGroup {
                label,
                slug: if n == 0 {
                    initial.slug.clone()
                } else {
                    format!("{}-{}", initial.slug, n + 1)
                },
                script: initial.script,
                terms: part.iter().map(|(_, p)| *p).collect(),
            });
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(name: &str) -> (String, String) {
        let i = initial(name);
        (i.label, i.slug)
    }

    #[test]
    fn names_are_filed_under_their_initial_as_written() {
        let cases = [
            ("agriculture", "A", "a"),
            ("Árbol", "A", "a"),
            ("Łódź", "L", "l"),
            ("Ελλάδα", "Ε", "greek-395"),
            ("Άθηνα", "Α", "greek-391"),
            ("Москва", "М", "cyrillic-41c"),
            ("ёлка", "Ё", "cyrillic-401"),
            ("2024 election", "0–9", "0-9"),
            ("北京", "漢字", "han"),
            ("東京", "漢字", "han"),
            ("서울", "한글", "hangul"),
            ("ไทย", "ไทย", "thai"),
            ("#MeToo", "M", "m"),
            ("???", "#", "symbols"),
        ];
        for (name, expected_label, expected_slug) in cases {
            assert_eq!(
                label(name),
                (expected_label.to_string(), expected_slug.to_string()),
                "{name}"
            );
        }
    }

    #[test]
    fn surnames_file_authors() {
        let none = BTreeMap::new();
        assert_eq!(author_sort_name("Ana Costa", &none), "Costa");
        assert_eq!(
            author_sort_name("Martin Luther King Jr.", &none),
            "King Jr."
        );
        assert_eq!(author_sort_name("Reuters", &none), "Reuters");
        assert_eq!(author_sort_name("  Bo   Li ", &none), "Li ");
        let mut given = BTreeMap::new();
        given.insert(
            "Gabriel García Márquez".to_string(),
            "García Márquez".to_string(),
        );
        assert_eq!(
            author_sort_name("Gabriel García Márquez", &given),
            "García Márquez"
        );
    }

    #[test]
    fn parts_of_an_initial_are_labelled_like_guide_words() {
        assert_eq!(
            part_labels(&[("cable", "cello"), ("central bank", "cotton")]),
            ["Cab–Cel", "Cen–Cot"].map(String::from)
        );
        assert_eq!(
            part_labels(&[("oil 1", "oil 2"), ("oil 3", "oil 9")]),
            ["Oil1–Oil2", "Oil3–Oil9"].map(String::from)
        );
        assert_eq!(
            part_labels(&[
                ("oilfield one", "oilfield onex"),
                ("oilfield onex", "oilfield z")
            ]),
            ["O 1", "O 2"].map(String::from),
            "names that differ only after eight letters are numbered"
        );
    }

    #[test]
    fn latin_names_sort_without_their_accents() {
        let mut names = vec!["Zebra", "Ábaco", "abbey", "Acre"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["Ábaco", "abbey", "Acre", "Zebra"]);
        let mut numbered = vec!["Route 10", "Route 9", "Route 100", "Route 09b"];
        numbered.sort_by_key(|n| sort_key(n));
        assert_eq!(numbered, ["Route 9", "Route 09b", "Route 10", "Route 100"]);
    }
}
