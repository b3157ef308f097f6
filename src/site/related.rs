//! Related articles: the ones sharing the most tags, then the nearest in
//! date. Candidates come from the tag index, from a window around the
//! article in each of its tags' date-ordered lists, so the cost per article
//! is bounded by its number of tags, never by the size of the archive.

use std::collections::HashMap;

use super::Site;
use super::taxonomy::TaxonomyKind;

/// How far around an article each tag's list is searched, on each side.
const WINDOW: usize = 24;

impl Site {
    /// Up to `limit` articles related to article `index`, best first.
    pub fn related(&self, index: u32, limit: usize) -> Vec<u32> {
        let tags = self.taxonomy(TaxonomyKind::Tags);
        let article = &self.articles[index as usize];
        // (shared tags, candidate) for each candidate found.
        let mut shared: HashMap<u32, usize> = HashMap::new();
        let mut seen_terms = Vec::new();
        for name in &article.front.tags {
            let Some(term) = tags.term(name) else {
                continue;
            };
            if seen_terms.contains(&term.slug) {
                continue;
            }
            seen_terms.push(term.slug.clone());
            // Lists are sorted by index, which is newest-first order.
            let position = term.articles.binary_search(&index).unwrap_or_else(|p| p);
            let start = position.saturating_sub(WINDOW);
            let end = (position + WINDOW + 1).min(term.articles.len());
            for &candidate in &term.articles[start..end] {
                if candidate != index {
                    *shared.entry(candidate).or_default() += 1;
                }
            }
        }
        let when = article.date.timestamp;
        let mut ranked: Vec<(u32, usize)> = shared.into_iter().collect();
        ranked.sort_by(|&(a, sa), &(b, sb)| {
            let distance = |i: u32| {
                let t = self.articles[i as usize].date.timestamp;
                (t.as_second() - when.as_second()).abs()
            };
            sb.cmp(&sa)
                .then_with(|| distance(a).cmp(&distance(b)))
                .then(a.cmp(&b))
        });
        ranked.into_iter().take(limit).map(|(i, _)| i).collect()
    }
}
