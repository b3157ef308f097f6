//! Pagination, one implementation for every listing: the home page, each
//! tag, author and section, and each year, month and day.
//!
//! Two orders are offered. `newest-first` (Hugo's and Zola's) numbers pages
//! from the newest, so an article moves to the next page whenever a new one
//! arrives. `stable` numbers pages from the oldest: `/tags/x/page/7/` keeps
//! the same articles for ever, and only the newest page, served at the
//! listing's own URL, grows.

use serde::Deserialize;

/// How pages of a listing are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaginationMode {
    /// Page 1 holds the newest articles (the usual way).
    #[default]
    NewestFirst,
    /// Page 1 holds the oldest articles; pages never change once full.
    Stable,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<'a> {
    /// The page's number, from 1.
    pub number: usize,
    /// Site path of the page (`/tags/x/` or `/tags/x/page/3/`).
    pub path: String,
    /// The items on it, newest first.
    pub items: &'a [u32],
    /// Site path of the page with newer items, if any.
    pub newer: Option<String>,
    /// Site path of the page with older items, if any.
    pub older: Option<String>,
}

/// A listing split into pages, with the links between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination<'a> {
    /// The pages; the first one is served at the listing's own URL.
    pub pages: Vec<Page<'a>>,
    /// Site path of the page with the newest items (the listing's URL).
    pub newest: String,
    /// Site path of the page with the oldest items.
    pub oldest: String,
    /// Paths that only redirect to the listing's URL (`/page/1/` in
    /// newest-first order, the newest page's number in stable order).
    pub redirects: Vec<String>,
    /// Number of items in the listing.
    pub total_items: usize,
}

/// Splits `items` (newest first) of the listing at `base` (a site path
/// ending with `/`) into pages of `size`. An empty listing has one empty page.
pub fn paginate<'a>(
    base: &str,
    items: &'a [u32],
    size: usize,
    mode: PaginationMode,
) -> Pagination<'a> {
    let size = size.max(1);
    let n = items.len();
    let total = n.div_ceil(size).max(1);
    let path_of = |number: usize, is_newest: bool| {
        if is_newest {
            base.to_string()
        } else {
            format!("{base}page/{number}/")
        }
    };
    // Pages in reading order, newest first, as (number, slice).
    let mut slices: Vec<(usize, &'a [u32])> = Vec::with_capacity(total);
    match mode {
        PaginationMode::NewestFirst => {
            for k in 0..total {
                let start = (k * size).min(n);
                slices.push((k + 1, &items[start..((k + 1) * size).min(n)]));
            }
        }
        PaginationMode::Stable => {
            for number in (1..=total).rev() {
                let oldest_first_start = (number - 1) * size;
                let oldest_first_end = (number * size).min(n);
                slices.push((
                    number,
                    &items[n - oldest_first_end..n - oldest_first_start.min(n)],
                ));
            }
        }
    }
    let paths: Vec<String> = slices
        .iter()
        .enumerate()
        .map(|(i, (number, _))| path_of(*number, i == 0))
        .collect();
    let pages = slices
        .iter()
        .enumerate()
        .map(|(i, (number, slice))| Page {
            number: *number,
            path: paths[i].clone(),
            items: slice,
            newer: (i > 0).then(|| paths[i - 1].clone()),
            older: paths.get(i + 1).cloned(),
        })
        .collect();
    let redirect_number = match mode {
        PaginationMode::NewestFirst => 1,
        PaginationMode::Stable => total,
    };
    Pagination {
        pages,
        newest: paths[0].clone(),
        oldest: paths[paths.len() - 1].clone(),
        redirects: vec![format!("{base}page/{redirect_number}/")],
        total_items: n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: u32) -> Vec<u32> {
        (0..n).collect()
    }

    #[test]
    fn newest_first_pages() {
        let list = items(45);
        let p = paginate("/tags/x/", &list, 20, PaginationMode::NewestFirst);
        assert_eq!(p.pages.len(), 3);
        assert_eq!(p.pages[0].path, "/tags/x/");
        assert_eq!(p.pages[0].items, &list[0..20]);
        assert_eq!(p.pages[1].path, "/tags/x/page/2/");
        assert_eq!(p.pages[2].items, &list[40..45]);
        assert_eq!(p.pages[0].newer, None);
        assert_eq!(p.pages[0].older.as_deref(), Some("/tags/x/page/2/"));
        assert_eq!(p.pages[2].newer.as_deref(), Some("/tags/x/page/2/"));
        assert_eq!(p.oldest, "/tags/x/page/3/");
        assert_eq!(p.redirects, vec!["/tags/x/page/1/"]);
    }

    #[test]
    fn stable_pages_keep_their_items_as_new_ones_arrive() {
        // Items are newest first; in a stable listing page 1 holds the oldest.
        let before: Vec<u32> = (0..45).rev().collect(); // 44 newest … 0 oldest
        let p = paginate("/t/", &before, 20, PaginationMode::Stable);
        assert_eq!(p.pages.len(), 3);
        assert_eq!(p.pages[0].path, "/t/");
        assert_eq!(p.pages[0].number, 3);
        assert_eq!(p.pages[0].items, &[44, 43, 42, 41, 40]);
        assert_eq!(p.pages[2].path, "/t/page/1/");
        assert_eq!(p.pages[2].items.first(), Some(&19));
        assert_eq!(p.pages[2].items.last(), Some(&0));
        assert_eq!(p.redirects, vec!["/t/page/3/"]);

        let after: Vec<u32> = (0..61).rev().collect();
        let q = paginate("/t/", &after, 20, PaginationMode::Stable);
        let page2 = |p: &Pagination| {
            p.pages
                .iter()
                .find(|pg| pg.number == 2)
                .unwrap()
                .items
                .to_vec()
        };
        assert_eq!(page2(&p), page2(&q));
        assert_eq!(q.pages[0].number, 4);
        assert_eq!(q.pages[0].items, &[60]);
    }

    #[test]
    fn page_counts_are_ceil_n_over_size() {
        for n in 0..50u32 {
            for mode in [PaginationMode::NewestFirst, PaginationMode::Stable] {
                let list = items(n);
                let p = paginate("/", &list, 7, mode);
                assert_eq!(p.pages.len(), (n as usize).div_ceil(7).max(1));
                let total: usize = p.pages.iter().map(|pg| pg.items.len()).sum();
                assert_eq!(total, n as usize);
            }
        }
    }
}
