//! The theme at archive scale: on a generated archive of 25,000 articles and
//! 5,000 tags, no HTML page is too big to load on a phone, and every tag page
//! is at most two clicks from the tags overview.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

use common::archive::{ArchiveShape, write_archive};

/// The root-relative targets of every `href` in a page.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with('/'))
        .map(|href| href.split('#').next().unwrap_or(href).to_string())
        .collect()
}

/// The page a root-relative URL is served from.
fn page_file(public: &Path, url: &str) -> std::path::PathBuf {
    let file = public.join(url.trim_start_matches('/'));
    if url.ends_with('/') {
        file.join("index.html")
    } else {
        file
    }
}

/// Every tag page the build wrote: `/tags/<slug>/`, not the letter pages.
fn tag_pages(public: &Path) -> BTreeSet<String> {
    std::fs::read_dir(public.join("tags"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "by-letter" && name != "index.html")
        .map(|slug| format!("/tags/{slug}/"))
        .collect()
}

/// Pages reachable from `start` in at most `clicks` clicks, by URL.
fn reachable(public: &Path, start: &str, clicks: usize) -> BTreeSet<String> {
    let mut seen = BTreeSet::from([start.to_string()]);
    let mut queue = VecDeque::from([(start.to_string(), 0)]);
    while let Some((url, depth)) = queue.pop_front() {
        if depth == clicks {
            continue;
        }
        let Ok(html) = std::fs::read_to_string(page_file(public, &url)) else {
            continue;
        };
        for link in links(&html) {
            if seen.insert(link.clone()) {
                queue.push_back((link, depth + 1));
            }
        }
    }
    seen
}

/// The largest HTML file under `dir`, with its size.
fn largest_html(dir: &Path) -> (u64, String) {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| (e.metadata().unwrap().len(), e.path().display().to_string()))
        .max()
        .unwrap()
}

#[test]
fn at_25000_articles_and_5000_tags_pages_stay_small_and_every_tag_is_two_clicks_away() {
    let site = common::TestSite::new();
    write_archive(
        site.path(),
        &ArchiveShape {
            articles: 25_000,
            tags: 5_000,
            first_year: 2001,
            seed: 25,
        },
    );
    let report = site.build_ok();
    assert_eq!(report.articles_written, 25_000);
    let public = site.public();

    let tags = tag_pages(&public);
    assert!(tags.len() >= 4_990, "{} tag pages", tags.len());
    let near = reachable(&public, "/tags/", 2);
    let far: Vec<_> = tags.difference(&near).collect();
    assert!(
        far.is_empty(),
        "{} of {} tags are more than two clicks from /tags/, such as {:?}",
        far.len(),
        tags.len(),
        &far[..far.len().min(5)]
    );

    let (size, page) = largest_html(&public);
    eprintln!(
        "{} tag pages; largest HTML page {page}: {size} bytes",
        tags.len()
    );
    assert!(size < 150_000, "{page} is {size} bytes");
    let (size, page) = largest_html(&public.join("tags/by-letter"));
    assert!(size < 100_000, "{page} is {size} bytes");
    let overview = std::fs::metadata(public.join("tags/index.html"))
        .unwrap()
        .len();
    assert!(overview < 100_000, "the tags overview is {overview} bytes");
}
