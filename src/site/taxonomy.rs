//! Taxonomies: tags, authors and sections, each a set of terms with the
//! articles filed under them.
//!
//! Names that differ only in case or spacing are one term, shown with the
//! most common spelling. Two different names whose slugs collide ("C++" and
//! "C") get distinct URLs, decided by sorting, and a warning says so.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rustc_hash::FxBuildHasher;

use crate::content::Article;
use crate::content::slug::term_slug;
use crate::diagnostics::{Warning, WarningKind};

/// The three taxonomies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaxonomyKind {
    /// `tags:`
    Tags,
    /// `authors:` and `author:`
    Authors,
    /// `section:` and `category:`
    Sections,
}

impl TaxonomyKind {
    /// All of them, in the order they are built.
    pub const ALL: [TaxonomyKind; 3] = [
        TaxonomyKind::Tags,
        TaxonomyKind::Authors,
        TaxonomyKind::Sections,
    ];

    /// The first segment of its URLs (`tags`).
    pub fn path_segment(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "tags",
            TaxonomyKind::Authors => "authors",
            TaxonomyKind::Sections => "sections",
        }
    }

    /// What one term is called (`tag`), also the slug of a term whose name
    /// has no letter or digit.
    pub fn singular(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "tag",
            TaxonomyKind::Authors => "author",
            TaxonomyKind::Sections => "section",
        }
    }

    /// The names an article is filed under in this taxonomy.
    pub fn names(self, article: &Article) -> &[String] {
        match self {
            TaxonomyKind::Tags => &article.front.tags,
            TaxonomyKind::Authors => &article.front.authors,
            TaxonomyKind::Sections => article.front.section.as_slice(),
        }
    }
}

/// One tag, author or section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The name as shown: the most common spelling.
    pub name: String,
    /// Its URL slug, unique within the taxonomy.
    pub slug: String,
    /// Its articles, as indices into the site's articles, newest first.
    pub articles: Vec<u32>,
}

/// All terms of one taxonomy.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Which taxonomy.
    pub kind: TaxonomyKind,
    /// Terms, sorted by slug.
    pub terms: Vec<Term>,
    by_key: HashMap<String, usize>,
    /// Each article's terms, as positions in `terms`, each once, in the
    /// order written: article `i`'s are `article_terms[offsets[i]..offsets[i + 1]]`.
    article_terms: Vec<u32>,
    offsets: Vec<u32>,
}

/// Two names are one term when this key is equal: lowercase, spaces
/// trimmed and collapsed.
pub fn term_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        if word.is_ascii() {
            key.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            key.push_str(&word.to_lowercase());
        }
    }
    key
}

impl Taxonomy {
    /// Files every article (newest first) under its terms. Work is linear in
    /// the number of (article, name) pairs.
    pub fn build(
        kind: TaxonomyKind,
        articles: &[Arc<Article>],
        warnings: &mut Vec<Warning>,
    ) -> Taxonomy {
        struct Gathered<'a> {
            key: String,
            spellings: Vec<(&'a str, usize)>,
            articles: Vec<u32>,
            first_file: &'a std::path::Path,
        }
        /// Not a term: a name with no letters, digits or symbols.
        const NONE: u32 = u32::MAX;
        let mut gathered: Vec<Gathered> = Vec::new();
        let mut ids: HashMap<String, u32, FxBuildHasher> = HashMap::default();
        // Most names are written the same way again and again: a spelling
        // seen before gives its term without making its key again.
        let mut spellings: HashMap<&str, (u32, usize), FxBuildHasher> = HashMap::default();
        let mut article_terms: Vec<u32> = Vec::new();
        let mut offsets: Vec<u32> = Vec::with_capacity(articles.len() + 1);
        for (index, article) in articles.iter().enumerate() {
            let index = index as u32;
            offsets.push(article_terms.len() as u32);
            let first_of_article = article_terms.len();
            for name in kind.names(article) {
                let spelling = name.trim();
                let id = match spellings.get_mut(spelling) {
                    Some((id, count)) => {
                        *count += 1;
                        *id
                    }
                    None => {
                        let key = term_key(name);
                        let id = if key.is_empty() {
                            NONE
                        } else {
                            *ids.entry(key).or_insert_with_key(|key| {
                                gathered.push(Gathered {
                                    key: key.clone(),
                                    spellings: Vec::new(),
                                    articles: Vec::new(),
                                    first_file: &article.shown_path,
                                });
                                gathered.len() as u32 - 1
                            })
                        };
                        spellings.insert(spelling, (id, 1));
                        id
                    }
                };
                if id == NONE {
                    continue;
                }
                let entry = &mut gathered[id as usize];
                // "Russia" and "russia" on one article file it once.
                if entry.articles.last() != Some(&index) {
                    entry.articles.push(index);
                }
                if !article_terms[first_of_article..].contains(&id) {
                    article_terms.push(id);
                }
            }
        }
        offsets.push(article_terms.len() as u32);
        for (spelling, (id, count)) in spellings {
            if id != NONE {
                gathered[id as usize].spellings.push((spelling, count));
            }
        }

        let mut by_slug: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (id, g) in gathered.iter().enumerate() {
            let (mut slug, changes) = term_slug(&g.key);
            if slug.is_empty() {
                slug = kind.singular().to_string();
            }
            for change in changes {
                warnings.push(Warning {
                    kind: WarningKind::SlugChanged {
                        from: kind.singular(),
                        why: change.describe(),
                        written: g.key.chars().take(80).collect(),
                        used: slug.clone(),
                    },
                    path: g.first_file.to_path_buf(),
                    line: None,
                    column: None,
                });
            }
            by_slug.entry(slug).or_default().push(id as u32);
        }
        // When names still share a slug, the one in use since the oldest
        // article keeps it (then the first by name), so a name added later
        // never moves the URL of one already published; the others add a
        // short hash of their own name, which no other name changes.
        let oldest: Vec<_> = gathered
            .iter()
            .map(|g| {
                g.articles
                    .last()
                    .map(|&i| articles[i as usize].date.timestamp)
            })
            .collect();
        let mut taken: std::collections::HashSet<String> = by_slug.keys().cloned().collect();
        let mut terms: Vec<(u32, Term)> = Vec::with_capacity(gathered.len());
        for (slug, mut group) in by_slug {
            group.sort_by(|&a, &b| {
                oldest[a as usize]
                    .cmp(&oldest[b as usize])
                    .then_with(|| gathered[a as usize].key.cmp(&gathered[b as usize].key))
            });
            let first_name = most_common(&gathered[group[0] as usize].spellings);
            for (i, &id) in group.iter().enumerate() {
                let g = &mut gathered[id as usize];
                let name = most_common(&g.spellings);
                let slug = if i == 0 {
                    slug.clone()
                } else {
                    let unique = hashed_slug(&slug, &g.key, &mut taken);
                    warnings.push(Warning {
                        kind: WarningKind::SlugCollision {
                            taxonomy: kind.path_segment(),
                            first: format!("{first_name} → /{}/{slug}/", kind.path_segment()),
                            second: format!("{name} → /{}/{unique}/", kind.path_segment()),
                        },
                        path: g.first_file.to_path_buf(),
                        line: None,
                        column: None,
                    });
                    unique
                };
                terms.push((
                    id,
                    Term {
                        name,
                        slug,
                        articles: std::mem::take(&mut g.articles),
                    },
                ));
            }
        }
        terms.sort_by(|a, b| a.1.slug.cmp(&b.1.slug));
        let mut position_of = vec![0u32; gathered.len()];
        for (position, (id, _)) in terms.iter().enumerate() {
            position_of[*id as usize] = position as u32;
        }
        for id in &mut article_terms {
            *id = position_of[*id as usize];
        }
        let terms: Vec<Term> = terms.into_iter().map(|(_, term)| term).collect();
        let by_key = terms
            .iter()
            .enumerate()
            .map(|(i, term)| (term_key(&term.name), i))
            .collect();
        Taxonomy {
            kind,
            terms,
            by_key,
            article_terms,
            offsets,
        }
    }

    /// The terms article `index` is filed under, as positions in
    /// [`Taxonomy::terms`], each once, in the order written.
    pub fn terms_of(&self, index: u32) -> &[u32] {
        let i = index as usize;
        &self.article_terms[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// The term a name is filed under.
    pub fn term(&self, name: &str) -> Option<&Term> {
        self.term_index(name).map(|i| &self.terms[i])
    }

    /// The position in [`Taxonomy::terms`] of the term a name is filed under.
    pub fn term_index(&self, name: &str) -> Option<usize> {
        self.by_key.get(&term_key(name)).copied()
    }

    /// Site path of the overview page (`/tags/`).
    pub fn path(&self) -> String {
        format!("/{}/", self.kind.path_segment())
    }

    /// Site path of a term's listing (`/tags/russia/`).
    pub fn term_path(&self, term: &Term) -> String {
        format!("/{}/{}/", self.kind.path_segment(), term.slug)
    }
}

/// `slug` with a short hash of the name's key: the same for that name on
/// every build, whatever other names exist (a longer hash in the unlikely
/// case that one is taken).
fn hashed_slug(slug: &str, key: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let hash = crate::hash::hash_of(key);
    (6..=16)
        .map(|digits| {
            format!(
                "{slug}-{:0width$x}",
                hash >> (64 - 4 * digits),
                width = digits
            )
        })
        .find(|candidate| taken.insert(candidate.clone()))
        .unwrap_or_else(|| format!("{slug}-{hash:016x}"))
}

/// The spelling used most often; ties go to the first in sort order.
fn most_common(spellings: &[(&str, usize)]) -> String {
    spellings
        .iter()
        .max_by(|(a, ca), (b, cb)| ca.cmp(cb).then_with(|| b.cmp(a)))
        .map(|(s, _)| s.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::FrontMatter;

    fn article(tags: &[&str]) -> Arc<Article> {
        Arc::new(Article {
            file: "x.md".into(),
            shown_path: "content/x.md".into(),
            body_offset: 0,
            body_line: 1,
            body_hash: 0,
            meta_hash: 0,
            front: FrontMatter {
                tags: tags.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            },
            date: crate::content::date::ArticleDate::parse("2025-01-01", &jiff::tz::TimeZone::UTC)
                .unwrap(),
            slug: "x".into(),
            summary: Default::default(),
            word_count: 0,
            unspaced_chars: 0,
            is_bundle: false,
            url: String::new(),
            language: 0,
        })
    }

    #[test]
    fn case_and_space_variants_are_one_term_with_the_common_spelling() {
        let articles = vec![
            article(&["Russia"]),
            article(&["russia ", "RUSSIA"]),
            article(&["Russia"]),
            article(&["São  Paulo"]),
        ];
        let mut warnings = vec![];
        let tax = Taxonomy::build(TaxonomyKind::Tags, &articles, &mut warnings);
        assert_eq!(tax.terms.len(), 2);
        let russia = tax.term("RUSSIA").unwrap();
        assert_eq!(russia.name, "Russia");
        assert_eq!(russia.articles, vec![0, 1, 2]);
        assert_eq!(tax.term("são paulo").unwrap().slug, "sao-paulo");
        assert!(warnings.is_empty());
    }

    #[test]
    fn colliding_slugs_get_distinct_urls_and_a_warning() {
        let articles = vec![article(&["C++", "C", "Foo!", "foo", "c-2", "C#"])];
        let mut warnings = vec![];
        let tax = Taxonomy::build(TaxonomyKind::Tags, &articles, &mut warnings);
        let slugs: Vec<_> = tax
            .terms
            .iter()
            .map(|t| (t.name.as_str(), t.slug.as_str()))
            .collect();
        let hashed = hashed_slug("foo", "foo!", &mut Default::default());
        assert_eq!(
            slugs,
            vec![
                ("C", "c"),
                ("c-2", "c-2"),
                ("C++", "c-plus-plus"),
                ("C#", "c-sharp"),
                ("foo", "foo"),
                ("Foo!", hashed.as_str()),
            ]
        );
        assert!(hashed.starts_with("foo-") && hashed.len() == "foo-".len() + 6);
        assert_eq!(warnings.len(), 1);
        let again = Taxonomy::build(TaxonomyKind::Tags, &articles, &mut vec![]);
        assert_eq!(again.terms, tax.terms);
    }

    #[test]
    fn a_name_added_later_never_moves_a_published_url() {
        let dated = |tags: &[&str], date: &str| {
            let mut a = (*article(tags)).clone();
            a.date =
                crate::content::date::ArticleDate::parse(date, &jiff::tz::TimeZone::UTC).unwrap();
            Arc::new(a)
        };
        // Newest first, as a site holds them.
        let before = vec![dated(&["Foo!", "São Paulo"], "2024-01-01")];
        let after = vec![
            dated(&["foo", "Sao Paulo", "C"], "2025-01-01"),
            dated(&["Foo!", "São Paulo", "C++"], "2024-01-01"),
        ];
        let old = Taxonomy::build(TaxonomyKind::Tags, &before, &mut vec![]);
        let new = Taxonomy::build(TaxonomyKind::Tags, &after, &mut vec![]);
        for term in &old.terms {
            assert_eq!(
                new.term(&term.name).unwrap().slug,
                term.slug,
                "{}",
                term.name
            );
        }
        assert_eq!(old.term("Foo!").unwrap().slug, "foo");
        assert_ne!(new.term("foo").unwrap().slug, "foo");
    }
}
