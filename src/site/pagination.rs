//! Pagination, one implementation for every listing: the home page, each
//! tag, author and section, and each year, month and day, in either of the
//! orders of [`PaginationMode`].

use std::ops::Range;

pub use crate::config::PaginationMode;

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The page's number, from 1.
    pub number: usize,
    /// Site path of the page (`/tags/x/` or `/tags/x/page/3/`).
    pub path: String,
    /// Which of the listing's items (newest first) are on it.
    pub items: Range<usize>,
}

/// A listing split into pages, in reading order (newest items first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The pages; the first one is served at the listing's own URL.
    pub pages: Vec<Page>,
    /// Paths that only redirect to the listing's URL (`/page/1/` in
    /// newest-first order, the newest page's number in stable order).
    pub redirects: Vec<String>,
    /// Number of items in the listing.
    pub total_items: usize,
}

impl Pagination {
    /// Site path of the page with the newest items (the listing's URL).
    pub fn newest(&self) -> &str {
        &self.pages[0].path
    }

    /// Site path of the page with the oldest items.
    pub fn oldest(&self) -> &str {
        &self.pages[self.pages.len() - 1].path
    }

    /// Site path of the page with newer items than page `position`, if any.
    pub fn newer(&self, position: usize) -> Option<&str> {
        position.checked_sub(1).map(|p| self.pages[p].path.as_str())
    }

    /// Site path of the page with older items than page `position`, if any.
    pub fn older(&self, position: usize) -> Option<&str> {
        self.pages.get(position + 1).map(|p| p.path.as_str())
    }
}

/// Splits `total` items (newest first) of the listing at `base` (a site
/// path ending with `/`) into pages of `size`. An empty listing has one
/// empty page.
pub fn paginate(base: &str, total: usize, size: usize, mode: PaginationMode) -> Pagination {
    let size = size.max(1);
    let n = total;
    let count = n.div_ceil(size).max(1);
    // Pages in reading order, newest first, as (number, items).
    let slices: Vec<(usize, Range<usize>)> = match mode {
        PaginationMode::NewestFirst => (0..count)
            .map(|k| (k + 1, (k * size).min(n)..((k + 1) * size).min(n)))
            .collect(),
        PaginationMode::Stable => (1..=count)
            .rev()
            .map(|number| {
                let oldest_first_start = ((number - 1) * size).min(n);
                let oldest_first_end = (number * size).min(n);
                (number, n - oldest_first_end..n - oldest_first_start)
            })
            .collect(),
    };
    let pages = slices
        .into_iter()
        .enumerate()
        .map(|(i, (number, items))| Page {
            number,
            path: if i == 0 {
                base.to_string()
            } else {
                format!("{base}page/{number}/")
            },
            items,
        })
        .collect();
    let redirect_number = match mode {
        PaginationMode::NewestFirst => 1,
        PaginationMode::Stable => count,
    };
    Pagination {
        pages,
        redirects: vec![format!("{base}page/{redirect_number}/")],
        total_items: n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items_of(p: &Pagination, page: usize, list: &[u32]) -> Vec<u32> {
        list[p.pages[page].items.clone()].to_vec()
    }

    #[test]
    fn newest_first_pages() {
        let list: Vec<u32> = (0..45).collect();
        let p = paginate("/tags/x/", list.len(), 20, PaginationMode::NewestFirst);
        assert_eq!(p.pages.len(), 3);
        assert_eq!(p.pages[0].path, "/tags/x/");
        assert_eq!(items_of(&p, 0, &list), list[0..20]);
        assert_eq!(p.pages[1].path, "/tags/x/page/2/");
        assert_eq!(items_of(&p, 2, &list), list[40..45]);
        assert_eq!(p.newer(0), None);
        assert_eq!(p.older(0), Some("/tags/x/page/2/"));
        assert_eq!(p.newer(2), Some("/tags/x/page/2/"));
        assert_eq!(p.older(2), None);
        assert_eq!(p.oldest(), "/tags/x/page/3/");
        assert_eq!(p.redirects, vec!["/tags/x/page/1/"]);
    }

    #[test]
    fn stable_pages_keep_their_items_as_new_ones_arrive() {
        // Items are newest first; in a stable listing page 1 holds the oldest.
        let before: Vec<u32> = (0..45).rev().collect(); // 44 newest … 0 oldest
        let p = paginate("/t/", before.len(), 20, PaginationMode::Stable);
        assert_eq!(p.pages.len(), 3);
        assert_eq!(p.pages[0].path, "/t/");
        assert_eq!(p.pages[0].number, 3);
        assert_eq!(items_of(&p, 0, &before), [44, 43, 42, 41, 40]);
        assert_eq!(p.pages[2].path, "/t/page/1/");
        assert_eq!(items_of(&p, 2, &before).first(), Some(&19));
        assert_eq!(items_of(&p, 2, &before).last(), Some(&0));
        assert_eq!(p.redirects, vec!["/t/page/3/"]);

        let after: Vec<u32> = (0..61).rev().collect();
        let q = paginate("/t/", after.len(), 20, PaginationMode::Stable);
        let page2 = |p: &Pagination, list: &[u32]| {
            let i = p.pages.iter().position(|pg| pg.number == 2).unwrap();
            items_of(p, i, list)
        };
        assert_eq!(page2(&p, &before), page2(&q, &after));
        assert_eq!(q.pages[0].number, 4);
        assert_eq!(items_of(&q, 0, &after), [60]);
    }

    #[test]
    fn page_counts_are_ceil_n_over_size() {
        for n in 0..50 {
            for mode in [PaginationMode::NewestFirst, PaginationMode::Stable] {
                let p = paginate("/", n, 7, mode);
                assert_eq!(p.pages.len(), n.div_ceil(7).max(1));
                let total: usize = p.pages.iter().map(|pg| pg.items.len()).sum();
                assert_eq!(total, n);
            }
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn every_item_is_on_exactly_one_page_in_order(
            n in 0usize..2000,
            size in 1usize..60,
            stable in any::<bool>(),
        ) {
            let mode = if stable { PaginationMode::Stable } else { PaginationMode::NewestFirst };
            let p = paginate("/tags/x/", n, size, mode);
            prop_assert_eq!(p.pages.len(), n.div_ceil(size).max(1));
            // Pages in reading order cover the items once, newest first.
            let covered: Vec<usize> = p.pages.iter().flat_map(|page| page.items.clone()).collect();
            prop_assert_eq!(covered, (0..n).collect::<Vec<_>>());
            for page in &p.pages {
                prop_assert!(page.items.len() <= size);
            }
            // Distinct paths; the listing's own first; redirects apart.
            let mut paths: Vec<&str> = p.pages.iter().map(|page| page.path.as_str()).collect();
            prop_assert_eq!(paths[0], "/tags/x/");
            paths.extend(p.redirects.iter().map(String::as_str));
            let all = paths.len();
            paths.sort_unstable();
            paths.dedup();
            prop_assert_eq!(paths.len(), all);
            // Numbers: 1..=count, each once.
            let mut numbers: Vec<usize> = p.pages.iter().map(|page| page.number).collect();
            numbers.sort_unstable();
            prop_assert_eq!(numbers, (1..=p.pages.len()).collect::<Vec<_>>());
        }

        #[test]
        fn stable_pages_never_change_once_full(n in 1usize..500, more in 1usize..100, size in 1usize..30) {
            let before = paginate("/t/", n, size, PaginationMode::Stable);
            let after = paginate("/t/", n + more, size, PaginationMode::Stable);
            // Items are numbered from the oldest: item k of n is n - 1 - k newest-first.
            let oldest_first = |p: &Pagination, total: usize, number: usize| -> Vec<usize> {
                let page = p.pages.iter().find(|pg| pg.number == number).unwrap();
                page.items.clone().map(|i| total - 1 - i).collect()
            };
            for number in 1..=(n / size) {
                prop_assert_eq!(
                    oldest_first(&before, n, number),
                    oldest_first(&after, n + more, number)
                );
            }
        }
    }
}
