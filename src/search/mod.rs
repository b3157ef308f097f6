//! Full-text search of the whole archive, on static hosting.
//!
//! `broadsheet build` writes a sharded index under `search/`, and the
//! theme's `/search/` page queries it in the browser (`search.js`), fetching
//! only what a query needs:
//!
//! - `search/index.json`, the manifest: the number of articles, the first
//!   word of each shard and its file, the sections and years to filter by;
//! - `search/shard/<hash>.bin`: a range of words in byte order, each with
//!   the postings of its word family (the words of one stem), and the filter
//!   terms (`#s:politics`, `#t:budget`, `#a:jane-doe`, `#y:2024`); named by
//!   their content, so browsers may keep them for ever;
//! - `search/doc/<n>/<id>.json`: what a result shows of one article
//!   (headline, date, section, tags, authors, link) and its plain text, for
//!   the snippet.
//!
//! Articles are numbered oldest first, so that a new article adds a number
//! and does not move the others; on equal relevance the higher number, the
//! newer article, comes first.
//!
//! The words come from the article pass: [`crate::markdown::PlainText`]
//! gathers a body's text from the Markdown events that render it, and
//! [`DocTerms::new`] cuts it with [`tokens`] (which the browser mirrors).
//! [`index::build`] groups the words of each stem, weighs each posting
//! (BM25 over the body, plus the headline, standfirst and names), and cuts
//! the sorted words into shards.

pub mod index;
pub mod tokens;

use std::hash::BuildHasher;
use std::sync::{Mutex, PoisonError};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use rustc_hash::FxBuildHasher;
use serde::Serialize;

use crate::content::Article;
use crate::site::Site;
use crate::site::taxonomy::TaxonomyKind;

/// The manifest of the index.
pub const MANIFEST_PATH: &str = "search/index.json";

/// The site path of the search page.
pub const SEARCH_PAGE_PATH: &str = "/search/";

/// Most characters of an article's text kept for snippets: enough for any
/// news article, not a book.
const MAX_TEXT_CHARS: usize = 20_000;

/// Where a word was found in an article, as bits.
pub mod field {
    /// The headline.
    pub const HEADLINE: u8 = 1;
    /// The standfirst (`subtitle`) or a summary written in front matter.
    pub const STANDFIRST: u8 = 2;
    /// A tag, author or section name.
    pub const NAMES: u8 = 4;
    /// The body.
    pub const BODY: u8 = 8;
    /// A filter term, never matched by words.
    pub const FILTER: u8 = 16;
}

/// Result files per folder.
const DOCS_PER_FOLDER: u32 = 1000;

/// The output path of the result file of article number `id`.
pub fn doc_path(id: u32) -> String {
    format!(
        "{}{id}.json",
        doc_folder(id / DOCS_PER_FOLDER).trim_start_matches('/')
    )
}

/// The site path of the folders of result files of a site with `articles`.
pub fn doc_folders(articles: usize) -> impl Iterator<Item = String> {
    (0..(articles as u32).div_ceil(DOCS_PER_FOLDER)).map(doc_folder)
}

fn doc_folder(folder: u32) -> String {
    format!("/search/doc/{folder}/")
}

/// The number an article has in the index: articles are numbered oldest
/// first, from their position in the site (newest first).
pub fn doc_id(site: &Site, position: usize) -> u32 {
    (site.articles.len() - 1 - position) as u32
}

/// Words numbered in the order they were first added, each kept once in
/// one string: the words of one article while it is cut, and the
/// [`Vocabulary`] of all of them.
#[derive(Debug, Default)]
pub struct WordTable {
    /// The words, back to back.
    text: String,
    /// Where each word ends in `text`.
    ends: Vec<u32>,
    /// Numbers of the words, by the hash of the word.
    table: HashTable<u32>,
}

impl WordTable {
    fn with_capacity(words: usize, bytes: usize) -> WordTable {
        WordTable {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(words),
            table: HashTable::with_capacity(words),
        }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when it has no word.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The word numbered `id`.
    pub fn word(&self, id: u32) -> &str {
        let end = self.ends[id as usize] as usize;
        let start = id
            .checked_sub(1)
            .map_or(0, |before| self.ends[before as usize] as usize);
        &self.text[start..end]
    }

    /// The number of `word`, given it when it is new.
    fn number(&mut self, word: &str) -> u32 {
        let WordTable { text, ends, table } = self;
        let word_at = |id: u32| {
            let end = ends[id as usize] as usize;
            let start = id.checked_sub(1).map_or(0, |b| ends[b as usize] as usize);
            &text[start..end]
        };
        match table.entry(
            FxBuildHasher.hash_one(word),
            |&id| word_at(id) == word,
            |&id| FxBuildHasher.hash_one(word_at(id)),
        ) {
            Entry::Occupied(found) => *found.get(),
            Entry::Vacant(vacant) => {
                let id = ends.len() as u32;
                text.push_str(word);
                ends.push(text.len() as u32);
                vacant.insert(id);
                id
            }
        }
    }
}

/// Every word of the articles' [`DocTerms`], numbered: an article keeps
/// the numbers of its words, not the words. Shared by the threads of the
/// article pass; a word comes early when it is common, and so has a short
/// number.
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: Mutex<WordTable>,
}

impl Vocabulary {
    /// The words, to read them by number.
    pub fn words(&mut self) -> &WordTable {
        self.words.get_mut().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The words of one article, each with how often it is in the body and
/// where it was found: what the index is made from. Compact, since serve
/// keeps one for every article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocTerms {
    /// For each word: its number in the [`Vocabulary`] (a varint), times
    /// found in the body (at most 255) and the [`field`] bits.
    entries: Box<[u8]>,
    /// Number of words in the body.
    pub body_words: u32,
}

impl DocTerms {
    /// The words of the article at `position`, whose body's plain text is
    /// `body_text`, numbered in `vocabulary`.
    pub fn new(site: &Site, position: usize, body_text: &str, vocabulary: &Vocabulary) -> DocTerms {
        let article = &site.articles[position];
        let mut words = WordTable::with_capacity(body_text.len() / 16, body_text.len() / 2);
        let mut stats: Vec<(u8, u8)> = Vec::new();
        let mut add_word = |word: &str, bits: u8| {
            let i = words.number(word) as usize;
            if i == stats.len() {
                stats.push((0, 0));
            }
            let entry = &mut stats[i];
            if bits == field::BODY {
                entry.0 = entry.0.saturating_add(1);
            }
            entry.1 |= bits;
        };
        let mut add = |text: &str, bits: u8| {
            let mut count = 0u32;
            tokens::for_each_word(text, |word| {
                count += 1;
                add_word(word, bits);
            });
            count
        };
        add(&article.front.title, field::HEADLINE);
        for text in [&article.front.subtitle, &article.front.summary]
            .into_iter()
            .flatten()
        {
            add(text, field::STANDFIRST);
        }
        for kind in TaxonomyKind::ALL {
            for name in kind.names(article) {
                add(name, field::NAMES);
            }
        }
        let body_words = add(body_text, field::BODY);
        for filter in filter_terms(site, position) {
            add_word(&filter, field::FILTER);
        }
        let mut entries = Vec::with_capacity(stats.len() * 5);
        {
            // One lock for the article's words.
            let mut all = vocabulary
                .words
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            for (i, (count, fields)) in stats.into_iter().enumerate() {
                index::push_varint(&mut entries, all.number(words.word(i as u32)));
                entries.extend([count, fields]);
            }
        }
        DocTerms {
            // Copied out, not shrunk in place: an allocator may keep a
            // block shrunk by less than half at its old size.
            entries: Box::from(entries.as_slice()),
            body_words,
        }
    }

    /// Each word's number in the [`Vocabulary`], with its body count and
    /// [`field`] bits.
    pub fn entries(&self) -> impl Iterator<Item = (u32, u8, u8)> + '_ {
        let mut rest = &self.entries[..];
        std::iter::from_fn(move || {
            let (id, read) = index::read_varint(rest)?;
            let (&[count, fields], after) = rest.get(read..)?.split_first_chunk::<2>()?;
            rest = after;
            Some((id, count, fields))
        })
    }
}

/// The filter terms of the article at `position`: its section, tags,
/// authors (by slug) and year.
fn filter_terms(site: &Site, position: usize) -> Vec<String> {
    let mut terms = Vec::new();
    for (kind, prefix) in [
        (TaxonomyKind::Sections, "#s:"),
        (TaxonomyKind::Tags, "#t:"),
        (TaxonomyKind::Authors, "#a:"),
    ] {
        let taxonomy = site.taxonomy(kind);
        for &term in taxonomy.terms_of(position as u32) {
            terms.push(format!("{prefix}{}", taxonomy.terms[term as usize].slug));
        }
    }
    terms.push(format!("#y:{}", site.articles[position].date.date().year()));
    terms
}

/// What changes an article's [`DocTerms`] and its result file: its body,
/// its metadata, and the names and slugs its terms are filed under.
pub fn terms_key(site: &Site, position: usize) -> u64 {
    let article = &site.articles[position];
    let mut key = crate::hash::Signature::new("search words");
    key.add((article.body_hash, article.meta_hash));
    for kind in TaxonomyKind::ALL {
        let taxonomy = site.taxonomy(kind);
        for &t in taxonomy.terms_of(position as u32) {
            let term = &taxonomy.terms[t as usize];
            key.add((&term.name, &term.slug));
        }
    }
    key.finish()
}

/// The result file of the article at `position`: what a result shows, and
/// the text a snippet is cut from.
pub fn doc_file(site: &Site, position: usize, body_text: &str) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        url: String,
        title: &'a str,
        date: String,
        iso: String,
        section: Option<Name<'a>>,
        tags: Vec<Name<'a>>,
        authors: Vec<Name<'a>>,
        text: &'a str,
    }
    #[derive(Serialize)]
    struct Name<'a> {
        name: &'a str,
        slug: &'a str,
    }
    let names = |kind: TaxonomyKind| -> Vec<Name> {
        let taxonomy = site.taxonomy(kind);
        taxonomy
            .terms_of(position as u32)
            .iter()
            .map(|&t| {
                let term = &taxonomy.terms[t as usize];
                Name {
                    name: &term.name,
                    slug: &term.slug,
                }
            })
            .collect()
    };
    let article: &Article = &site.articles[position];
    let text = match body_text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((end, _)) => &body_text[..end],
        None => body_text,
    };
    let doc = Doc {
        url: site.config.base_url.link(&article.url),
        title: &article.front.title,
        date: site.config.locale.dates.date(article.date.date()),
        iso: article.date.rfc3339(),
        section: names(TaxonomyKind::Sections).into_iter().next(),
        tags: names(TaxonomyKind::Tags),
        authors: names(TaxonomyKind::Authors),
        text: text.trim(),
    };
    crate::escape::html_safe_json(&serde_json::to_string(&doc).expect("plain data"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_table_numbers_each_word_once_in_the_order_met() {
        let mut table = WordTable::default();
        let numbers: Vec<u32> = ["tram", "line", "tram", "", "líne", "line"]
            .iter()
            .map(|w| table.number(w))
            .collect();
        assert_eq!(numbers, [0, 1, 0, 2, 3, 1]);
        assert_eq!(table.len(), 4);
        let words: Vec<&str> = (0..4).map(|i| table.word(i)).collect();
        assert_eq!(words, ["tram", "line", "", "líne"]);
    }

    #[test]
    fn doc_paths_spread_over_folders() {
        assert_eq!(doc_path(0), "search/doc/0/0.json");
        assert_eq!(doc_path(12_345), "search/doc/12/12345.json");
    }
}
