//! A generated news archive for tests of the theme at scale: many articles
//! over many years, a few hundred to thousands of tags in several scripts
//! (used Zipf-like, so a few tags are on thousands of articles and most on a
//! handful), authors with one to three names, and headlines with quotes and
//! ampersands. Bodies are a sentence or two so that a debug build of 25,000
//! articles stays quick; the benchmarks' `examples/gen_archive.rs` writes the
//! long bodies.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use super::Rng;

/// The shape of a generated archive.
pub struct ArchiveShape {
    /// Articles to write.
    pub articles: usize,
    /// Distinct tags, every one used at least once.
    pub tags: usize,
    /// The first year; articles run from its January to the end of 2025.
    pub first_year: i32,
    /// Seed of the generator.
    pub seed: u64,
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "vi", "ren", "tas", "mor", "di", "el", "san", "bru", "co", "fen", "gal", "hu",
    "is", "jor", "ne", "pa", "qua", "ri", "sto", "ul", "ver", "wen", "ya", "zi", "mar", "tel",
    "on",
];
const GREEK: &[&str] = &[
    "Ελλάδα",
    "Αθήνα",
    "Θεσσαλονίκη",
    "Κρήτη",
    "Ζάκυνθος",
    "Ωρωπός",
];
const CYRILLIC: &[&str] = &["Москва", "Київ", "Санкт-Петербург", "Ёлки", "Щедрин", "Юг"];
const OTHER_SCRIPTS: &[&str] = &["東京", "北京", "القاهرة", "ירושלים", "서울", "मुंबई"];
const ACCENTED: &[&str] = &["Élysée", "Ångström", "Çanakkale", "Øresund", "Île", "Über"];
const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chiara", "Dmitri", "Efua", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemi",
    "Lars", "Mei", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tomás",
];
const SURNAMES: &[&str] = &[
    "Abara",
    "van Dijk",
    "Becker",
    "Castillo",
    "de la Cruz",
    "Eriksen",
    "Fujita",
    "Ghosh",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "O'Brien",
    "Petrova",
    "Quispe",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Usman",
    "Varga",
    "Wójcik",
];
const SECTIONS: &[&str] = &[
    "World", "Politics", "Business", "Science", "Culture", "Sport", "Opinion", "City",
];
const HEADLINE_WORDS: &[&str] = &[
    "council", "budget", "vote", "harbour", "ferry", "strike", "court", "ruling", "market",
    "prices", "storm", "bridge", "school", "museum", "election", "talks", "deal", "border",
];

/// Makes `count` distinct tag names in several scripts, Latin ones the most.
pub fn tag_names(count: usize, rng: &mut Rng) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut names = Vec::with_capacity(count);
    while names.len() < count {
        let word = |rng: &mut Rng| {
            let mut word = String::new();
            for _ in 0..2 + rng.below(2) {
                word.push_str(rng.pick(SYLLABLES));
            }
            word
        };
        let name = match rng.below(100) {
            0..=3 => format!("{} {}", rng.pick(GREEK), word(rng)),
            4..=7 => format!("{} {}", rng.pick(CYRILLIC), word(rng)),
            8..=9 => format!("{}{}", rng.pick(OTHER_SCRIPTS), rng.below(100)),
            10..=12 => format!("{} {}", 1950 + rng.below(76), word(rng)),
            13..=15 => format!("{} {}", rng.pick(ACCENTED), word(rng)),
            16..=40 => {
                let mut capital = word(rng);
                capital[..1].make_ascii_uppercase();
                format!("{capital} {}", word(rng))
            }
            _ => word(rng),
        };
        if seen.insert(name.to_lowercase()) {
            names.push(name);
        }
    }
    names
}

/// Writes the archive's `config.yaml`, favicon and articles into `site`.
pub fn write_archive(site: &Path, shape: &ArchiveShape) {
    let mut rng = Rng(shape.seed);
    let tags = tag_names(shape.tags, &mut rng);
    let write = |relative: &str, text: &str| {
        let path = site.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "config.yaml",
        "title: The Generated Gazette\n\
         description: A generated archive for tests\n\
         base_url: https://gazette.example.org/\n\
         language: en\n\
         timezone: UTC\n\
         page_size: 20\n",
    );
    write(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><rect width=\"16\" height=\"16\"/></svg>",
    );
    write(
        "templates/partials/head_extra.html",
        "<link rel=\"icon\" href=\"{{ site.base_path }}favicon.svg\" type=\"image/svg+xml\">\n",
    );
    let years = (2025 - shape.first_year + 1) as usize;
    let mut text = String::new();
    for index in 0..shape.articles {
        let year = shape.first_year + rng.below(years) as i32;
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let (hour, minute) = (rng.below(24), rng.below(60));
        // Every tag at least once, then a Zipf-like draw: a few tags
        // carry thousands of articles, as in a real archive.
        let mut article_tags = vec![index % shape.tags];
        for _ in 0..rng.below(4) {
            let u = (rng.below(1_000_000) as f64 + 0.5) / 1_000_000.0;
            let zipf = ((shape.tags as f64).powf(u) - 1.0) as usize;
            if !article_tags.contains(&zipf) {
                article_tags.push(zipf.min(shape.tags - 1));
            }
        }
        let author = |rng: &mut Rng| {
            let first = rng.pick(FIRST_NAMES);
            let last = rng.pick(SURNAMES);
            if rng.chance(5) {
                first.to_string()
            } else if rng.chance(10) {
                format!("{first} Maria {last}")
            } else {
                format!("{first} {last}")
            }
        };
        let mut authors = vec![author(&mut rng)];
        if rng.chance(15) {
            authors.push(author(&mut rng));
        }
        let subject = rng.pick(HEADLINE_WORDS);
        let object = rng.pick(HEADLINE_WORDS);
        let title = match rng.below(4) {
            0 => format!("\"{subject}\" & {object}: what we know ({index})"),
            1 => format!("Harbour's {subject} <b>{object}</b> row ({index})"),
            _ => format!("{subject} {object} number {index}"),
        };
        text.clear();
        let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
        writeln!(text, "---\ntitle: {}", quote(&title)).unwrap();
        writeln!(
            text,
            "date: {year}-{month:02}-{day:02}T{hour:02}:{minute:02}:00Z"
        )
        .unwrap();
        writeln!(text, "section: {}", rng.pick(SECTIONS)).unwrap();
        text.push_str("authors:\n");
        for author in &authors {
            writeln!(text, "  - {}", quote(author)).unwrap();
        }
        text.push_str("tags:\n");
        for tag in &article_tags {
            writeln!(text, "  - {}", quote(&tags[*tag])).unwrap();
        }
        writeln!(
            text,
            "summary: {}\n---\nThe {subject} and the {object} were \"discussed\" at length.\n\n\
             A second paragraph -- with a dash -- follows.",
            quote(&format!("What the {subject} means for the {object}."))
        )
        .unwrap();
        write(
            &format!("content/{year}/{month:02}/story-{index}.md"),
            &text,
        );
    }
}
