//! The index made from the words of every article: word families, weighed
//! postings, shards and the manifest (the format is described in
//! `docs/search.md`).

use std::borrow::Cow;

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

use super::{DocTerms, WordTable, field, tokens};
use crate::site::Site;
use crate::site::taxonomy::TaxonomyKind;

/// Size a shard is cut at. A query fetches one shard per word (more for a
/// word whose postings alone are larger), so this is most of what a rare
/// word costs; the manifest lists one line per shard, so smaller shards
/// make it longer.
const TARGET_SHARD_BYTES: usize = 32 * 1024;

/// BM25's term-frequency saturation and length normalisation.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// What a word in the headline, the standfirst or a name adds to the body's
/// score, which is at most `K1 + 1`: a headline match outranks any number
/// of body matches of the same word.
const HEADLINE_BOOST: f32 = 3.0;
const STANDFIRST_BOOST: f32 = 1.5;
const NAMES_BOOST: f32 = 1.5;
const MAX_SCORE: f32 = K1 + 1.0 + HEADLINE_BOOST + STANDFIRST_BOOST + NAMES_BOOST;

/// The files of an index: the manifest's text, and each shard by output path.
#[derive(Debug)]
pub struct IndexFiles {
    /// `search/index.json`.
    pub manifest: String,
    /// `search/shard/<hash>.bin`, with its bytes.
    pub shards: Vec<(String, Vec<u8>)>,
}

/// One article's entry in a word's postings.
#[derive(Debug, Clone, Copy)]
struct Posting {
    id: u32,
    count: u8,
    fields: u8,
}

/// The stemmer for a site language (`en-GB` → English), when Snowball has one.
pub fn stemmer_for(language: &str) -> Option<Stemmer> {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let algorithm = match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// The family a word belongs to: its stem, for words of letters in a
/// language with a stemmer; the word itself otherwise (numbers, filter
/// terms, pairs of unspaced characters).
fn family_key<'w>(stemmer: Option<&Stemmer>, word: &'w str) -> Cow<'w, str> {
    match stemmer {
        Some(stemmer)
            if !word.starts_with('#')
                && word
                    .chars()
                    .all(|c| c.is_alphabetic() && !tokens::is_unspaced(c)) =>
        {
            stemmer.stem(word)
        }
        _ => Cow::Borrowed(word),
    }
}

/// Builds the index of a site from the words of its articles (`docs`, by
/// position in the site), numbered in `vocabulary`.
pub fn build(site: &Site, docs: &[&DocTerms], vocabulary: &WordTable) -> IndexFiles {
    let n = docs.len();
    // Postings of each word, by article number (oldest first).
    let mut by_number: Vec<Vec<Posting>> = vec![Vec::new(); vocabulary.len()];
    let mut lengths: Vec<u32> = Vec::with_capacity(n);
    for id in 0..n {
        let doc = docs[n - 1 - id];
        lengths.push(doc.body_words);
        for (word, count, fields) in doc.entries() {
            by_number[word as usize].push(Posting {
                id: id as u32,
                count,
                fields,
            });
        }
    }
    // The words of articles gone since (while serving) are left out.
    let (words, postings): (Vec<&str>, Vec<Vec<Posting>>) = by_number
        .into_iter()
        .enumerate()
        .filter(|(_, postings)| !postings.is_empty())
        .map(|(word, postings)| (vocabulary.word(word as u32), postings))
        .unzip();

    // Word families: the words of one stem share their postings.
    let stemmer = stemmer_for(&site.config.language);
    let keys: Vec<Cow<str>> = words
        .par_iter()
        .map(|word| family_key(stemmer.as_ref(), word))
        .collect();
    let mut families: FxHashMap<&str, u32> = FxHashMap::default();
    let mut members: Vec<Vec<u32>> = Vec::new();
    let family_of: Vec<u32> = keys
        .iter()
        .enumerate()
        .map(|(w, key)| {
            let f = *families.entry(key).or_insert_with(|| {
                members.push(Vec::new());
                (members.len() - 1) as u32
            });
            members[f as usize].push(w as u32);
            f
        })
        .collect();
    drop(families);

    let average =
        (lengths.iter().map(|&l| u64::from(l)).sum::<u64>() as f32 / n.max(1) as f32).max(1.0);
    let encoded: Vec<Vec<u8>> = members
        .par_iter()
        .map(|words| encode_family(words, &postings, &lengths, average, n))
        .collect();
    drop(postings);

    let mut order: Vec<u32> = (0..words.len() as u32).collect();
    order.par_sort_unstable_by_key(|&w| words[w as usize].as_bytes());
    let shards = cut_shards(&order, &words, &family_of, &encoded);

    let mut files = Vec::with_capacity(shards.len());
    let mut listed = Vec::with_capacity(shards.len());
    for (first, bytes) in shards {
        let name = format!("{:016x}", xxh3_64(&bytes));
        listed.push((first, name.clone()));
        files.push((format!("search/shard/{name}.bin"), bytes));
    }
    IndexFiles {
        manifest: manifest(site, listed),
        shards: files,
    }
}

/// The postings of a word family, encoded: their number (times two, plus
/// one when the articles are a bitmap); the article numbers, as
/// differences or, for a word in an eighth of the articles or more, as a
/// bitmap of every article (bit `i % 8` of byte `i / 8`); then a weight
/// byte for each.
fn encode_family(
    words: &[u32],
    postings: &[Vec<Posting>],
    lengths: &[u32],
    average: f32,
    articles: usize,
) -> Vec<u8> {
    let merged: Cow<[Posting]> = if let [word] = words {
        Cow::Borrowed(&postings[*word as usize])
    } else {
        let mut all: Vec<Posting> = words
            .iter()
            .flat_map(|&w| postings[w as usize].iter().copied())
            .collect();
        all.sort_unstable_by_key(|p| p.id);
        let mut merged: Vec<Posting> = Vec::with_capacity(all.len());
        for p in all {
            match merged.last_mut() {
                Some(last) if last.id == p.id => {
                    last.count = last.count.saturating_add(p.count);
                    last.fields |= p.fields;
                }
                _ => merged.push(p),
            }
        }
        Cow::Owned(merged)
    };
    let mut out = Vec::with_capacity(merged.len() * 3 + 4);
    let bitmap = merged.len() * 8 >= articles;
    push_varint(&mut out, merged.len() as u32 * 2 + u32::from(bitmap));
    if bitmap {
        let start = out.len();
        out.resize(start + articles.div_ceil(8), 0);
        for p in merged.iter() {
            out[start + p.id as usize / 8] |= 1 << (p.id % 8);
        }
    } else {
        let mut previous = 0;
        for p in merged.iter() {
            push_varint(&mut out, p.id - previous);
            previous = p.id;
        }
    }
    out.extend(
        merged
            .iter()
            .map(|p| weight(p, lengths[p.id as usize], average)),
    );
    out
}

/// The weight of a posting, 1 to 255 (0 for filter terms): BM25's share
/// for the body, plus the boosts of the other fields.
fn weight(p: &Posting, length: u32, average: f32) -> u8 {
    if p.fields & field::FILTER != 0 {
        return 0;
    }
    let count = f32::from(p.count);
    let mut score = if count > 0.0 {
        count * (K1 + 1.0) / (count + K1 * (1.0 - B + B * length as f32 / average))
    } else {
        0.0
    };
    for (bit, boost) in [
        (field::HEADLINE, HEADLINE_BOOST),
        (field::STANDFIRST, STANDFIRST_BOOST),
        (field::NAMES, NAMES_BOOST),
    ] {
        if p.fields & bit != 0 {
            score += boost;
        }
    }
    ((score / MAX_SCORE * 255.0).round() as u8).max(1)
}

/// Cuts the words, in byte order, into shards of about
/// [`TARGET_SHARD_BYTES`]; each shard holds the families of its words.
/// Returns each shard's first word and bytes.
fn cut_shards(
    order: &[u32],
    words: &[&str],
    family_of: &[u32],
    encoded: &[Vec<u8>],
) -> Vec<(String, Vec<u8>)> {
    let mut shards = Vec::new();
    let mut current = ShardBuilder::default();
    for &w in order {
        let word = words[w as usize];
        let family = family_of[w as usize];
        let cost = word.len() + 4 + current.family_cost(family, encoded);
        if !current.is_empty() && current.size + cost > TARGET_SHARD_BYTES {
            shards.push(std::mem::take(&mut current).finish(encoded));
        }
        current.add(word, family, encoded);
    }
    if !current.is_empty() {
        shards.push(current.finish(encoded));
    }
    shards
}

/// A shard being filled.
#[derive(Default)]
struct ShardBuilder<'w> {
    words: Vec<(&'w str, u32)>,
    /// The families in it, in order of first use, and where each starts.
    families: FxHashMap<u32, u32>,
    family_order: Vec<u32>,
    family_bytes: u32,
    size: usize,
}

impl<'w> ShardBuilder<'w> {
    fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn family_cost(&self, family: u32, encoded: &[Vec<u8>]) -> usize {
        if self.families.contains_key(&family) {
            0
        } else {
            encoded[family as usize].len()
        }
    }

    fn add(&mut self, word: &'w str, family: u32, encoded: &[Vec<u8>]) {
        self.size += word.len() + 4 + self.family_cost(family, encoded);
        let bytes = &mut self.family_bytes;
        let order = &mut self.family_order;
        let offset = *self.families.entry(family).or_insert_with(|| {
            let at = *bytes;
            *bytes += encoded[family as usize].len() as u32;
            order.push(family);
            at
        });
        self.words.push((word, offset));
    }

    /// The shard's first word and bytes: the number of words; each word as
    /// the length it shares with the one before, the length and bytes of
    /// the rest, and where its family starts; then the families.
    fn finish(self, encoded: &[Vec<u8>]) -> (String, Vec<u8>) {
        let mut out = Vec::with_capacity(self.size);
        push_varint(&mut out, self.words.len() as u32);
        let mut previous: &[u8] = b"";
        for &(word, offset) in &self.words {
            let bytes = word.as_bytes();
            let shared = bytes
                .iter()
                .zip(previous)
                .take_while(|(a, b)| a == b)
                .count();
            push_varint(&mut out, shared as u32);
            push_varint(&mut out, (bytes.len() - shared) as u32);
            out.extend_from_slice(&bytes[shared..]);
            push_varint(&mut out, offset);
            previous = bytes;
        }
        for &family in &self.family_order {
            out.extend_from_slice(&encoded[family as usize]);
        }
        (self.words[0].0.to_string(), out)
    }
}

/// Appends `value` in LEB128: seven bits a byte, low bits first.
pub(super) fn push_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The number at the start of `bytes` written by [`push_varint`], and how
/// many bytes it took.
pub(super) fn read_varint(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value = 0u32;
    for (i, &byte) in bytes.iter().enumerate().take(5) {
        value |= u32::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// `search/index.json`: what the search page needs before its first query.
fn manifest(site: &Site, shards: Vec<(String, String)>) -> String {
    #[derive(Serialize)]
    struct Manifest<'a> {
        version: String,
        docs: usize,
        shards: Vec<(String, String)>,
        sections: Vec<Filter<'a>>,
        years: Vec<Year>,
    }
    #[derive(Serialize)]
    struct Filter<'a> {
        name: &'a str,
        slug: &'a str,
        count: usize,
    }
    #[derive(Serialize)]
    struct Year {
        year: i16,
        count: usize,
    }
    let sections = site.taxonomy(TaxonomyKind::Sections);
    let mut sections: Vec<Filter> = sections
        .terms
        .iter()
        .map(|t| Filter {
            name: &t.name,
            slug: &t.slug,
            count: t.articles.len(),
        })
        .collect();
    sections.sort_by_cached_key(|s| s.name.to_lowercase());
    let mut years: FxHashMap<i16, usize> = FxHashMap::default();
    for article in &site.articles {
        *years.entry(article.date.date().year()).or_default() += 1;
    }
    let mut years: Vec<Year> = years
        .into_iter()
        .map(|(year, count)| Year { year, count })
        .collect();
    years.sort_by_key(|y| std::cmp::Reverse(y.year));
    let version = format!(
        "{:016x}",
        crate::hash::hash_of((&shards, site.articles.len()))
    );
    let manifest = Manifest {
        version,
        docs: site.articles.len(),
        shards,
        sections,
        years,
    };
    crate::escape::html_safe_json(&serde_json::to_string(&manifest).expect("plain data"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_leb128() {
        let mut out = Vec::new();
        for value in [0, 127, 128, 300, u32::MAX] {
            push_varint(&mut out, value);
        }
        assert_eq!(
            out,
            [0, 127, 0x80, 1, 0xac, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]
        );
        let mut rest = &out[..];
        let mut read = Vec::new();
        while let Some((value, used)) = read_varint(rest) {
            read.push(value);
            rest = &rest[used..];
        }
        assert_eq!(read, [0, 127, 128, 300, u32::MAX]);
        assert_eq!(read_varint(&[0x80, 0x80]), None, "cut short");
    }

    #[test]
    fn headline_outranks_any_body_count() {
        let body = Posting {
            id: 0,
            count: 255,
            fields: field::BODY,
        };
        let headline = Posting {
            id: 0,
            count: 0,
            fields: field::HEADLINE,
        };
        assert!(weight(&headline, 500, 500.0) > weight(&body, 500, 500.0));
        let filter = Posting {
            id: 0,
            count: 0,
            fields: field::FILTER,
        };
        assert_eq!(weight(&filter, 1, 1.0), 0);
    }

    #[test]
    fn families_join_the_words_of_one_stem() {
        let english = stemmer_for("en-GB");
        let key = |w| family_key(english.as_ref(), w).into_owned();
        assert_eq!(key("elections"), key("election"));
        assert_eq!(key("2024"), "2024");
        assert_eq!(key("#t:vote"), "#t:vote");
        assert!(stemmer_for("ja").is_none());
    }
}
