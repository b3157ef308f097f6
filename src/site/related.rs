//! Related articles: the ones sharing the most tags, then the nearest in
//! date. Candidates come from the tag index, from a window around the
//! article in each of its tags' date-ordered lists, so the cost per article
//! is bounded by its number of tags, never by the size of the archive.

use rayon::prelude::*;

use super::Site;
use super::taxonomy::TaxonomyKind;

/// How far around an article each tag's list is searched, on each side.
const WINDOW: usize = 24;

/// How many related articles each article gets.
pub const RELATED_ARTICLES: usize = 5;

impl Site {
    /// The related articles of every article, in parallel.
    pub(super) fn find_all_related(&self) -> Vec<Vec<u32>> {
        (0..self.articles.len() as u32)
            .into_par_iter()
            .map(|i| self.find_related(i, RELATED_ARTICLES))
            .collect()
    }

    /// Up to `limit` articles related to article `index`, best first:
    /// most tags shared, then nearest in date, then newest.
    fn find_related(&self, index: u32, limit: usize) -> Vec<u32> {
        let tags = self.taxonomy(TaxonomyKind::Tags);
        let mut candidates: Vec<u32> = Vec::new();
        for &term in tags.terms_of(index) {
            let listed = &tags.terms[term as usize].articles;
            // Lists are sorted by index, which is newest-first order.
            let position = listed.binary_search(&index).unwrap_or_else(|p| p);
            let start = position.saturating_sub(WINDOW);
            let end = (position + WINDOW + 1).min(listed.len());
            candidates.extend(listed[start..end].iter().filter(|&&c| c != index));
        }
        candidates.sort_unstable();
        let when = self.articles[index as usize].date.timestamp.as_second();
        // (fewest shared tags first as a negative count, distance, index):
        // the smallest keys are the best candidates.
        let mut ranked: Vec<(i64, i64, u32)> = candidates
            .chunk_by(|a, b| a == b)
            .map(|run| {
                let candidate = run[0];
                let then = self.articles[candidate as usize].date.timestamp.as_second();
                (-(run.len() as i64), (then - when).abs(), candidate)
            })
            .collect();
        if ranked.len() > limit {
            ranked.select_nth_unstable(limit);
            ranked.truncate(limit);
        }
        ranked.sort_unstable();
        ranked.into_iter().map(|(_, _, i)| i).collect()
    }
}
