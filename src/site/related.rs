//! Related articles: the ones sharing the most tags, then the nearest in
//! date. Candidates come from the tag index, from a window around the
//! article in each of its tags' date-ordered lists, so the cost per article
//! is bounded by its number of tags, never by the size of the archive.
//!
//! When a site is assembled again after a few articles changed, only the
//! articles near a changed one in one of its tags' lists can have other
//! related articles; every other article keeps its list, carried over from
//! the previous assembly by article identity.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use super::Site;
use super::taxonomy::TaxonomyKind;

/// How far around an article each tag's list is searched, on each side.
const WINDOW: usize = 24;

/// How many related articles each article gets.
pub const RELATED_ARTICLES: usize = 5;

impl Site {
    /// The related articles of every article: found anew for the articles
    /// whose lists may differ from those of `previous` (the site assembled
    /// before, from mostly the same articles), carried over for the others.
    pub(super) fn find_all_related(&self, previous: Option<&Site>) -> Vec<Vec<u32>> {
        let Some(previous) = previous else {
            return (0..self.articles.len() as u32)
                .into_par_iter()
                .map(|i| self.find_related(i, RELATED_ARTICLES))
                .collect();
        };
        // Articles are the same when they are the same value (`Arc`): one
        // read again from its file is new, even if nothing in it changed.
        let identity = |a: &Arc<crate::content::Article>| Arc::as_ptr(a) as usize;
        let now_at: HashMap<usize, u32, FxBuildHasher> = self
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (identity(a), i as u32))
            .collect();
        let old_to_new: Vec<Option<u32>> = previous
            .articles
            .iter()
            .map(|a| now_at.get(&identity(a)).copied())
            .collect();
        let mut is_new = vec![true; self.articles.len()];
        for &new in old_to_new.iter().flatten() {
            is_new[new as usize] = false;
        }
        let mut affected = is_new.clone();
        for (i, _) in is_new.iter().enumerate().filter(|(_, new)| **new) {
            for neighbour in self.tag_neighbours(i as u32) {
                affected[neighbour as usize] = true;
            }
        }
        for (old, _) in old_to_new.iter().enumerate().filter(|(_, n)| n.is_none()) {
            for neighbour in previous.tag_neighbours(old as u32) {
                if let Some(new) = old_to_new[neighbour as usize] {
                    affected[new as usize] = true;
                }
            }
        }
        let new_to_old: HashMap<u32, u32, FxBuildHasher> = old_to_new
            .iter()
            .enumerate()
            .filter_map(|(old, new)| new.map(|n| (n, old as u32)))
            .collect();
        (0..self.articles.len() as u32)
            .into_par_iter()
            .map(|i| match new_to_old.get(&i) {
                Some(&old) if !affected[i as usize] => previous.related[old as usize]
                    .iter()
                    .map(|&r| {
                        old_to_new[r as usize]
                            .expect("a neighbour of a changed article is affected")
                    })
                    .collect(),
                _ => self.find_related(i, RELATED_ARTICLES),
            })
            .collect()
    }

    /// Every article whose window in one of its tags' lists could hold
    /// article `index`: those near it in each of its tags' lists.
    fn tag_neighbours(&self, index: u32) -> impl Iterator<Item = u32> + '_ {
        let tags = self.taxonomy(TaxonomyKind::Tags);
        tags.terms_of(index).iter().flat_map(move |&term| {
            let listed = &tags.terms[term as usize].articles;
            let position = listed.binary_search(&index).unwrap_or_else(|p| p);
            let start = position.saturating_sub(WINDOW + 1);
            let end = (position + WINDOW + 2).min(listed.len());
            listed[start..end].iter().copied()
        })
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::Config;
    use crate::content::test_article;
    use crate::site::Selection;

    /// A small deterministic generator.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 16) as usize % n
        }
    }

    const TAGS: [&str; 6] = ["oil", "trade", "port", "vote", "rail", "storm"];

    fn article(rng: &mut Rng, n: usize) -> Arc<crate::content::Article> {
        let tags: Vec<&str> = (0..1 + rng.below(3)).map(|_| TAGS[rng.below(6)]).collect();
        let date = format!("2025-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
        Arc::new(test_article(
            &format!("a{n}.md"),
            &format!("Story {n}"),
            &date,
            &tags,
        ))
    }

    fn assemble(articles: &[Arc<crate::content::Article>], previous: Option<&Site>) -> Site {
        let selection = Selection {
            include_drafts: true,
            now: jiff::Timestamp::now(),
            language: None,
        };
        Site::assemble(
            Arc::new(Config::default()),
            articles.iter().cloned(),
            selection,
            previous,
        )
        .expect("distinct URLs")
    }

    #[test]
    fn lists_carried_over_are_those_found_anew() {
        for seed in 1..40 {
            let mut rng = Rng(seed);
            let mut articles: Vec<_> = (0..300).map(|n| article(&mut rng, n)).collect();
            let before = assemble(&articles, None);
            // Change, add and remove a few articles.
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(articles.len());
                match rng.below(3) {
                    0 => articles[i] = article(&mut rng, i),
                    1 => {
                        let n = 1000 + rng.below(1000);
                        articles.push(article(&mut rng, n));
                    }
                    _ => {
                        articles.remove(i);
                    }
                }
            }
            articles.sort_by(|a, b| a.file.cmp(&b.file));
            articles.dedup_by(|a, b| a.file == b.file);
            let carried = assemble(&articles, Some(&before));
            let anew = assemble(&articles, None);
            assert_eq!(carried.related, anew.related, "seed {seed}");
        }
    }
}
