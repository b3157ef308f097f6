//! Sitemaps for search engines: `sitemap.xml` (split under a sitemap index
//! past the protocol's limits), a Google News sitemap of the last 48 hours,
//! and `robots.txt` naming them.

use jiff::{SignedDuration, Timestamp};
use rayon::prelude::*;

use crate::content::Article;
use crate::content::date::ArticleDate;
use crate::escape::{push_xml_escaped, xml_escape};
use crate::hash::Signature;
use crate::site::Site;
use crate::site::listing::{PageKind, Plan, PlannedPage};
use crate::site::translations::Alternate;

/// The sitemaps protocol's limit on the size of one file.
const MAX_SITEMAP_BYTES: usize = 50 * 1024 * 1024;
/// Google News reads at most this many URLs from a news sitemap.
const MAX_NEWS_URLS: usize = 1000;
/// Google News lists articles of the last two days.
const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);

/// Site path of the sitemap (or of the sitemap index, when split).
pub const SITEMAP_PATH: &str = "/sitemap.xml";
/// Site path of the Google News sitemap.
pub const NEWS_SITEMAP_PATH: &str = "/news-sitemap.xml";
/// Site path of `robots.txt`.
pub const ROBOTS_PATH: &str = "/robots.txt";

/// One URL of the sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry<'a> {
    /// Site path of the page.
    pub path: &'a str,
    /// When its content last changed.
    pub lastmod: Option<ArticleDate>,
    /// Its versions in each language, itself included, when it is an
    /// article with translations.
    pub alternates: &'a [Alternate],
}

/// Every HTML page once: articles and listing pages, not redirects nor 404,
/// sorted by path. A listing page's lastmod is its newest article's.
pub fn entries<'a>(site: &'a Site, plan: &Plan, pages: &'a [PlannedPage]) -> Vec<SitemapEntry<'a>> {
    let mut entries = Vec::with_capacity(site.articles.len() + pages.len());
    for_each_entry(site, plan, pages, |path, lastmod, alternates| {
        entries.push(SitemapEntry {
            path,
            lastmod,
            alternates,
        });
    });
    entries.par_sort_unstable_by(|a, b| a.path.cmp(b.path));
    entries
}

/// Calls `entry` with the path and lastmod of every page the sitemap lists.
fn for_each_entry<'a>(
    site: &'a Site,
    plan: &Plan,
    pages: &'a [PlannedPage],
    mut entry: impl FnMut(&'a str, Option<ArticleDate>, &'a [Alternate]),
) {
    let last_change: Vec<ArticleDate> = site.articles.iter().map(|a| a.last_change()).collect();
    let newest_of = |items: &[u32]| items.iter().map(|&i| last_change[i as usize]).max();
    let newest_overall = newest_of(&site.home);
    for (article, &last) in site.articles.iter().zip(&last_change) {
        entry(&article.url, Some(last), site.translations.of(article));
    }
    for page in pages {
        let lastmod = match &page.kind {
            PageKind::Listing { listing, page } => {
                let (listing, pagination) = &plan.listings[*listing];
                newest_of(&listing.items(site)[pagination.pages[*page].items.clone()])
            }
            PageKind::TaxonomyOverview(_)
            | PageKind::TaxonomyInitial { .. }
            | PageKind::ArchiveOverview => newest_overall,
            PageKind::Redirect { .. } | PageKind::NotFound | PageKind::Search => continue,
        };
        entry(&page.path, lastmod, &[]);
    }
}

/// The signature of the sitemap files (see [`crate::project`]): the
/// site's settings (`config_version`) and what [`entries`] lists, in plan
/// order (equal sets make equal sorted lists).
pub fn sitemaps_signature(
    site: &Site,
    plan: &Plan,
    pages: &[PlannedPage],
    config_version: u64,
) -> u64 {
    let mut signature = Signature::new("sitemaps");
    signature.add(config_version);
    for_each_entry(site, plan, pages, |path, lastmod, alternates| {
        signature.add((path, lastmod, alternates));
    });
    signature.finish()
}

/// The articles the news sitemap lists at `now`: those of the 48 hours before.
pub fn news_articles(site: &Site, now: Timestamp) -> Vec<&Article> {
    let Ok(since) = now.checked_sub(NEWS_WINDOW) else {
        return Vec::new();
    };
    site.articles
        .iter()
        .filter(|a| a.date.timestamp > since && a.date.timestamp <= now)
        .take(MAX_NEWS_URLS)
        .map(|a| &**a)
        .collect()
}

/// The signature of the news sitemap of these articles.
pub fn news_signature(recent: &[&Article], config_version: u64) -> u64 {
    let mut signature = Signature::new("news sitemap");
    signature.add(config_version);
    for article in recent {
        signature.add(article.meta_hash);
    }
    signature.finish()
}

/// Sitemap lines made together by one thread.
const LINES_PER_CHUNK: usize = 4096;

/// The sitemap files as (site path, XML): one `sitemap.xml`, or, past
/// `max_urls` URLs or 50 MB, numbered files under a `sitemap.xml` index.
pub fn sitemaps(
    site: &Site,
    entries: &[SitemapEntry<'_>],
    max_urls: usize,
) -> Vec<(String, String)> {
    const TAIL: &str = "</urlset>\n";
    // Translations are named with the XHTML namespace (Google's way).
    let head = if site.config.is_multilingual() {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
    } else {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    };
    let base = &site.config.base_url;
    let root = &site.config.root_url;
    let languages = &site.config.languages;
    let lines_of = |chunk: &[SitemapEntry<'_>]| {
        let mut text = String::with_capacity(chunk.len() * 120);
        let mut ends = Vec::with_capacity(chunk.len());
        for entry in chunk {
            text.push_str("<url><loc>");
            push_xml_escaped(&mut text, base.as_str());
            push_xml_escaped(&mut text, entry.path.trim_start_matches('/'));
            text.push_str("</loc>");
            if let Some(lastmod) = &entry.lastmod {
                text.push_str("<lastmod>");
                lastmod.write_rfc3339(&mut text);
                text.push_str("</lastmod>");
            }
            for alternate in entry.alternates {
                let code = &languages[usize::from(alternate.language)].code;
                text.push_str("<xhtml:link rel=\"alternate\" hreflang=\"");
                push_xml_escaped(&mut text, code);
                text.push_str("\" href=\"");
                push_xml_escaped(&mut text, &root.absolute(&alternate.path));
                text.push_str("\"/>");
            }
            text.push_str("</url>\n");
            ends.push(text.len());
        }
        (text, ends)
    };
    let mut files: Vec<String> = Vec::new();
    let mut current = String::from(head);
    let mut count = 0;
    // The lines in parallel, a chunk of them to a string, each then cut
    // out of it: a large archive has a million. A window of chunks at a
    // time, each chunk going once copied, so that the lines are never held
    // twice over; a file is given about the room its lines take.
    let mut left = entries.len();
    for window in entries.chunks(LINES_PER_CHUNK * 16) {
        let chunks: Vec<(String, Vec<usize>)> =
            window.par_chunks(LINES_PER_CHUNK).map(lines_of).collect();
        let average = chunks.iter().map(|(text, _)| text.len()).sum::<usize>() / window.len() + 1;
        let room =
            |left: usize| (left.min(max_urls.max(1)) * average).min(MAX_SITEMAP_BYTES) + TAIL.len();
        for (text, ends) in chunks {
            let mut start = 0;
            for end in ends {
                let url = &text[start..end];
                start = end;
                if count > 0
                    && (count >= max_urls.max(1)
                        || current.len() + url.len() + TAIL.len() > MAX_SITEMAP_BYTES)
                {
                    current.push_str(TAIL);
                    let mut next = String::with_capacity(head.len() + room(left));
                    next.push_str(head);
                    files.push(std::mem::replace(&mut current, next));
                    count = 0;
                }
                if count == 0 && current.len() == head.len() {
                    current.reserve(room(left));
                }
                current.push_str(url);
                left -= 1;
                count += 1;
            }
        }
    }
    current.push_str(TAIL);
    files.push(current);
    if files.len() == 1 {
        return vec![(SITEMAP_PATH.to_string(), files.pop().expect("one file"))];
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut out = Vec::with_capacity(files.len() + 1);
    for (i, xml) in files.into_iter().enumerate() {
        let path = format!("/sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&base.absolute(&path))
        ));
        out.push((path, xml));
    }
    index.push_str("</sitemapindex>\n");
    out.push((SITEMAP_PATH.to_string(), index));
    out
}

/// The language code Google News expects: ISO 639 (`en`), except `zh-cn` and `zh-tw`.
fn news_language(language: &str) -> String {
    let lower = language.to_ascii_lowercase().replace('_', "-");
    if lower == "zh-cn" || lower == "zh-tw" {
        lower
    } else {
        lower.split('-').next().unwrap_or("en").to_string()
    }
}

/// The Google News sitemap of `recent` articles (see [`news_articles`]),
/// or `None` when there are none.
pub fn news_sitemap(site: &Site, recent: &[&Article]) -> Option<String> {
    if recent.is_empty() {
        return None;
    }
    let base = &site.config.base_url;
    let name = xml_escape(&site.config.title);
    let language = xml_escape(&news_language(&site.config.language));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    for article in recent.iter() {
        xml.push_str(&format!(
            "<url><loc>{}</loc><news:news><news:publication><news:name>{name}</news:name><news:language>{language}</news:language></news:publication><news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>\n",
            xml_escape(&base.absolute(&article.url)),
            article.date.rfc3339(),
            xml_escape(&article.front.title),
        ));
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}

/// `robots.txt`: everything allowed, and where the sitemaps are.
pub fn robots(site: &Site, with_news: bool) -> String {
    let base = &site.config.base_url;
    let mut text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        base.absolute(SITEMAP_PATH)
    );
    if with_news {
        text.push_str(&format!("Sitemap: {}\n", base.absolute(NEWS_SITEMAP_PATH)));
    }
    // Each other language has its own, under its prefix.
    for language in site.config.languages.iter().skip(1) {
        let path = format!(
            "/{}{}",
            language.prefix,
            SITEMAP_PATH.trim_start_matches('/')
        );
        text.push_str(&format!(
            "Sitemap: {}\n",
            site.config.root_url.absolute(&path)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_news_language_codes() {
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("pt_BR"), "pt");
        assert_eq!(news_language("zh-TW"), "zh-tw");
    }
}
