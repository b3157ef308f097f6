//! Syndication: an Atom feed for the site and for every tag, author and
//! section, and RSS 2.0 and JSON Feed 1.1 for the site.
//!
//! Entries carry the full article when `feed_content: full` (site-wide
//! feeds, the default) or `term_feed_content: full` (term feeds; summary by
//! default). The bodies of the articles shown in full in any feed are made
//! once each by [`body_html`], in the pass that writes article pages.

use std::borrow::Cow;
use std::sync::Arc;

use atom_syndication as atom;
use serde::Serialize;

use crate::config::{BaseUrl, Config, FeedContent};
use crate::content::Article;
use crate::content::date::ArticleDate;
use crate::escape::{html_safe_json, xml_safe};
use crate::hash::Signature;
use crate::i18n::strings::fill;
use crate::markdown;
use crate::site::Site;
use crate::site::taxonomy::TaxonomyKind;

/// Site path of the site-wide Atom feed.
pub const ATOM_PATH: &str = "/atom.xml";
/// Site path of the site-wide RSS feed.
pub const RSS_PATH: &str = "/rss.xml";
/// Site path of the site-wide JSON feed.
pub const JSON_FEED_PATH: &str = "/feed.json";

/// One feed to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSpec {
    /// Site path of the listing the feed follows (`/` or `/tags/russia/`).
    pub listing_path: String,
    /// The feed's title.
    pub title: String,
    /// Its articles, newest first, at most `feed_limit`.
    pub items: Vec<u32>,
    /// True for the site-wide feed, which also gets RSS and JSON Feed forms.
    pub site_wide: bool,
    /// Whether its entries carry the whole article.
    pub content: FeedContent,
}

impl FeedSpec {
    /// The feed's articles with their indices, newest first.
    fn articles<'s>(&'s self, site: &'s Site) -> impl Iterator<Item = (u32, &'s Article)> {
        self.items
            .iter()
            .map(move |&i| (i, &*site.articles[i as usize]))
    }

    /// The body to show for article `index`, if this feed shows bodies.
    fn body<'b>(&self, bodies: &'b Bodies, index: u32) -> Option<&'b str> {
        match self.content {
            FeedContent::Full => bodies[index as usize].as_deref(),
            FeedContent::Summary => None,
        }
    }

    /// Site path of its Atom file.
    pub fn atom_path(&self) -> String {
        format!("{}atom.xml", self.listing_path)
    }

    /// True when its entries carry whole articles.
    pub fn is_full(&self) -> bool {
        self.content == FeedContent::Full
    }
}

/// The form of a feed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedFormat {
    /// Atom 1.0, for every feed.
    Atom,
    /// RSS 2.0, for the site-wide feed.
    Rss,
    /// JSON Feed 1.1, for the site-wide feed.
    Json,
}

impl FeedFormat {
    /// The formats a feed is written in.
    pub fn of(feed: &FeedSpec) -> &'static [FeedFormat] {
        if feed.site_wide {
            &[FeedFormat::Atom, FeedFormat::Rss, FeedFormat::Json]
        } else {
            &[FeedFormat::Atom]
        }
    }

    /// The site path of a feed's file in this form.
    pub fn path(self, feed: &FeedSpec) -> String {
        match self {
            FeedFormat::Atom => feed.atom_path(),
            FeedFormat::Rss => RSS_PATH.to_string(),
            FeedFormat::Json => JSON_FEED_PATH.to_string(),
        }
    }

    /// The feed's text in this form.
    pub fn render(self, site: &Site, feed: &FeedSpec, bodies: &Bodies) -> String {
        match self {
            FeedFormat::Atom => atom(site, feed, bodies),
            FeedFormat::Rss => rss(site, feed, bodies),
            FeedFormat::Json => json_feed(site, feed, bodies),
        }
    }

    /// The signature of a feed file (see [`crate::project`]): the site's
    /// settings (`config_version`), the feed, and each entry's metadata, and
    /// body when the feed carries whole articles.
    pub fn signature(self, site: &Site, feed: &FeedSpec, config_version: u64) -> u64 {
        let mut signature = Signature::new("feed");
        // The entries by what they are, not by their positions, which move
        // whenever an article is added before them.
        signature
            .add((self, config_version, &feed.listing_path, &feed.title))
            .add((feed.site_wide, feed.content));
        for (_, article) in feed.articles(site) {
            signature.add(article.meta_hash);
            if feed.is_full() {
                signature.add(article.body_hash);
            }
        }
        signature.finish()
    }
}

/// The site's feeds: the site-wide one first, then one per term.
pub fn plan(site: &Site) -> Vec<FeedSpec> {
    let limit = site.config.feed_limit;
    let newest = |items: &[u32]| items[..items.len().min(limit)].to_vec();
    let mut feeds = vec![FeedSpec {
        listing_path: "/".to_string(),
        title: site.config.title.clone(),
        items: newest(&site.home),
        site_wide: true,
        content: site.config.feed_content,
    }];
    for taxonomy in &site.taxonomies {
        for term in &taxonomy.terms {
            let title = site.config.locale.text(match taxonomy.kind {
                TaxonomyKind::Tags => "feed_tag",
                TaxonomyKind::Authors => "feed_author",
                TaxonomyKind::Sections => "feed_section",
            });
            feeds.push(FeedSpec {
                listing_path: taxonomy.term_path(term),
                title: fill(
                    title,
                    [("site", site.config.title.as_str()), ("name", &term.name)],
                ),
                items: newest(&term.articles),
                site_wide: false,
                content: site.config.term_feed_content,
            });
        }
    }
    feeds
}

/// Which articles are shown in full in at least one feed (by index).
pub fn articles_in_full_feeds(site: &Site, feeds: &[FeedSpec]) -> Vec<bool> {
    let mut wanted = vec![false; site.articles.len()];
    for feed in feeds.iter().filter(|f| f.is_full()) {
        for &i in &feed.items {
            wanted[i as usize] = true;
        }
    }
    wanted
}

/// Bodies kept for feeds, by article index.
pub type Bodies = [Option<Arc<str>>];

/// An article's body as feeds show it: links made absolute, since feed
/// readers show it away from the site.
pub fn body_html(
    config: &Config,
    article: &Article,
    body: &str,
    source_link: markdown::SourceLinks,
) -> String {
    let permalink = config.base_url.absolute(&article.url);
    let absolute = markdown::LinkBase {
        base_path: config.root_url.as_str(),
        article_link: Some(&permalink),
    };
    markdown::render_html_with_sources(body, absolute, source_link)
}

/// A summary as feeds show it: its site links (`href="/…"`, `src="/…"`,
/// made root-relative under the base path for pages) made absolute, since
/// feed readers show it away from the site.
pub fn absolute_summary<'a>(base: &BaseUrl, html: &'a str) -> Cow<'a, str> {
    if !base.is_absolute() || !(html.contains("href=\"/") || html.contains("src=\"/")) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = ["href=\"/", "src=\"/"]
        .iter()
        .filter_map(|attribute| rest.find(attribute).map(|i| i + attribute.len() - 1))
        .min()
    {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('"').map_or(rest.len(), |e| at + e);
        out.push_str(&base.absolute_link(&rest[at..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// An id for an article that survives rebuilds and a change of the base
/// URL's scheme: a `tag:` URI (RFC 4151) from the host, the date and the path.
/// (The path is the whole site's: translations have their own ids.)
pub fn entry_id(site: &Site, article: &Article) -> String {
    let config = &site.config;
    let prefix = config.prefix();
    format!(
        "tag:{},{}:/{prefix}{}",
        config.base_url.host().unwrap_or("localhost"),
        article.date.date(),
        article.url.trim_start_matches('/')
    )
}

fn to_atom_date(date: &ArticleDate) -> atom::FixedDateTime {
    atom::FixedDateTime::parse_from_rfc3339(&date.rfc3339())
        .expect("RFC 3339 made by ArticleDate parses")
}

/// The newest change among a feed's articles, or the epoch for an empty feed
/// (never the build time: two builds of one site are byte-identical).
fn feed_updated(site: &Site, feed: &FeedSpec) -> Option<ArticleDate> {
    feed.articles(site).map(|(_, a)| a.last_change()).max()
}

/// The Atom feed.
pub fn atom(site: &Site, feed: &FeedSpec, bodies: &Bodies) -> String {
    let base = &site.config.base_url;
    let entries = feed
        .articles(site)
        .map(|(i, article)| {
            let front = &article.front;
            atom::Entry {
                title: atom::Text::plain(xml_safe(&front.title)),
                id: entry_id(site, article),
                updated: to_atom_date(&article.last_change()),
                published: Some(to_atom_date(&article.date)),
                authors: front
                    .authors
                    .iter()
                    .map(|name| atom::Person {
                        name: xml_safe(name).into_owned(),
                        ..Default::default()
                    })
                    .collect(),
                categories: front
                    .tags
                    .iter()
                    .map(|tag| atom::Category {
                        term: xml_safe(tag).into_owned(),
                        ..Default::default()
                    })
                    .collect(),
                links: vec![atom::Link {
                    href: base.absolute(&article.url),
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Default::default()
                }],
                summary: Some(atom::Text::html(xml_safe(&absolute_summary(
                    &site.config.base_url,
                    &article.summary.html,
                )))),
                content: feed.body(bodies, i).map(|body| atom::Content {
                    value: Some(xml_safe(body).into_owned()),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let updated = feed_updated(site, feed).map_or_else(
        || atom::FixedDateTime::parse_from_rfc3339("1970-01-01T00:00:00+00:00").expect("valid"),
        |d| to_atom_date(&d),
    );
    let document = atom::Feed {
        title: atom::Text::plain(xml_safe(&feed.title)),
        id: base.absolute(&feed.atom_path()),
        updated,
        subtitle: (!site.config.description.is_empty())
            .then(|| atom::Text::plain(xml_safe(&site.config.description))),
        links: vec![
            atom::Link {
                href: base.absolute(&feed.atom_path()),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
            atom::Link {
                href: base.absolute(&feed.listing_path),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
        ],
        generator: Some(atom::Generator {
            value: "broadsheet".into(),
            ..Default::default()
        }),
        lang: Some(site.config.language.clone()),
        entries,
        ..Default::default()
    };
    document.to_string()
}

/// RFC 2822 date for RSS.
fn rfc2822(date: &ArticleDate) -> String {
    to_atom_date(date).to_rfc2822()
}

/// The RSS 2.0 feed.
pub fn rss(site: &Site, feed: &FeedSpec, bodies: &Bodies) -> String {
    let base = &site.config.base_url;
    let items = feed
        .articles(site)
        .map(|(i, article)| {
            let front = &article.front;
            rss::Item {
                title: Some(xml_safe(&front.title).into_owned()),
                link: Some(base.absolute(&article.url)),
                description: Some(
                    xml_safe(&absolute_summary(base, &article.summary.html)).into_owned(),
                ),
                guid: Some(rss::Guid {
                    value: entry_id(site, article),
                    permalink: false,
                }),
                pub_date: Some(rfc2822(&article.date)),
                categories: front
                    .tags
                    .iter()
                    .map(|t| rss::Category {
                        name: xml_safe(t).into_owned(),
                        domain: None,
                    })
                    .collect(),
                content: feed.body(bodies, i).map(|b| xml_safe(b).into_owned()),
                dublin_core_ext: (!front.authors.is_empty()).then(|| {
                    rss::extension::dublincore::DublinCoreExtension {
                        creators: front
                            .authors
                            .iter()
                            .map(|a| xml_safe(a).into_owned())
                            .collect(),
                        ..Default::default()
                    }
                }),
                ..Default::default()
            }
        })
        .collect();
    let mut namespaces = std::collections::BTreeMap::new();
    namespaces.insert(
        "atom".to_string(),
        "http://www.w3.org/2005/Atom".to_string(),
    );
    let channel = rss::Channel {
        title: xml_safe(&feed.title).into_owned(),
        link: base.absolute(&feed.listing_path),
        description: xml_safe(if site.config.description.is_empty() {
            &site.config.title
        } else {
            &site.config.description
        })
        .into_owned(),
        language: Some(site.config.language.clone()),
        last_build_date: feed_updated(site, feed).map(|d| rfc2822(&d)),
        generator: Some("broadsheet".into()),
        items,
        ..Default::default()
    };
    channel.to_string()
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    language: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: String,
    url: String,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    summary: String,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

/// The JSON Feed 1.1.
pub fn json_feed(site: &Site, feed: &FeedSpec, bodies: &Bodies) -> String {
    let base = &site.config.base_url;
    let items = feed
        .articles(site)
        .map(|(i, article)| JsonItem {
            id: entry_id(site, article),
            url: base.absolute(&article.url),
            title: &article.front.title,
            content_html: feed.body(bodies, i),
            summary: article.summary.text(),
            date_published: article.date.rfc3339(),
            date_modified: article.last_change().rfc3339(),
            authors: article
                .front
                .authors
                .iter()
                .map(|name| JsonAuthor { name })
                .collect(),
            tags: &article.front.tags,
        })
        .collect();
    let document = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: base.absolute(&feed.listing_path),
        feed_url: base.absolute(JSON_FEED_PATH),
        description: &site.config.description,
        language: &site.config.language,
        items,
    };
    // Safe to put in HTML, as every JSON broadsheet writes.
    html_safe_json(&serde_json::to_string_pretty(&document).expect("a feed serialises"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_get_absolute_site_links_only() {
        let base = BaseUrl::parse("https://example.org/sub/").unwrap();
        let html = r#"<p><a href="/sub/2024/">y</a> <img src="/sub/a/b.png" alt=""> <a href="//cdn.example.net/x">c</a> <a href="https://x.org/">x</a></p>"#;
        assert_eq!(
            absolute_summary(&base, html),
            r#"<p><a href="https://example.org/sub/2024/">y</a> <img src="https://example.org/sub/a/b.png" alt=""> <a href="//cdn.example.net/x">c</a> <a href="https://x.org/">x</a></p>"#
        );
        assert!(matches!(
            absolute_summary(&base, "<p>no links</p>"),
            Cow::Borrowed(_)
        ));
        let relative = BaseUrl::parse("/sub/").unwrap();
        assert!(matches!(
            absolute_summary(&relative, html),
            Cow::Borrowed(_)
        ));
    }
}
