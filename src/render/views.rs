//! The values templates receive, built from the site model. Dates are
//! formatted here, once, so templates need no date filter.

use std::collections::HashMap;

use jiff::civil::Date;
use rustc_hash::FxBuildHasher;
use serde::Serialize;
use tera::Value;

use crate::assets::{SEARCH_SCRIPT, STYLESHEET};
use crate::config::Config;
use crate::content::Article;
use crate::content::date::ArticleDate;
use crate::escape::html_safe_json;
use crate::hash::Signature;
use crate::images::ImageSize;
use crate::links::{LinkKind, classify};
use crate::markdown;
use crate::site::Site;
use crate::site::archive::{day_path, month_path, year_path};
use crate::site::taxonomy::{Taxonomy, TaxonomyKind, Term};

/// `site` in every template.
#[derive(Serialize)]
pub struct SiteView<'a> {
    stylesheet: String,
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    /// `ltr` or `rtl`: the direction the language is written in.
    direction: &'static str,
    /// The arrow of a link to what comes before in reading order, on the
    /// start side (`←`; `→` right to left).
    arrow_back: &'static str,
    /// The arrow of a link to what comes after (`→`; `←` right to left).
    arrow_forward: &'static str,
    extra: &'a serde_yaml::Mapping,
    /// The search page and its script, when the site has search.
    search: Option<SearchView>,
    /// Every language of a site in several, with its home page; empty for
    /// a site in one.
    languages: Vec<LanguageLink<'a>>,
}

/// A language of the site, or a version of an article in one, as a link.
#[derive(Serialize)]
pub struct LanguageLink<'a> {
    /// Its tag (`ru`), for `hreflang` and `lang`.
    code: &'a str,
    /// Its name in itself (`Русский`).
    name: &'a str,
    /// The link to its page.
    url: String,
    /// The page's absolute URL, for `<link rel="alternate" hreflang>`.
    permalink: String,
    /// True for the language of the page showing it.
    current: bool,
}

/// The versions of an article in each language as links, in the order of
/// the config's languages; none when it has no translation.
pub fn translation_links<'a>(
    config: &'a Config,
    alternates: &[crate::site::translations::Alternate],
) -> Vec<LanguageLink<'a>> {
    alternates
        .iter()
        .filter_map(|alternate| {
            let index = usize::from(alternate.language);
            let language = config.languages.get(index)?;
            Some(LanguageLink {
                code: &language.code,
                name: &language.name,
                url: config.root_url.link(&alternate.path),
                permalink: config.root_url.absolute(&alternate.path),
                current: index == config.edition,
            })
        })
        .collect()
}

/// `site.search`: where the search page is and what it loads.
#[derive(Serialize)]
struct SearchView {
    /// The search page's link (`/search/`).
    url: String,
    /// The script's link, with a fingerprint.
    script: String,
    /// The manifest's link.
    index: String,
}

impl<'a> SiteView<'a> {
    /// The site's settings as templates see them; `stylesheet_text` is the
    /// text of the stylesheet the site will serve.
    pub fn new(config: &'a Config, stylesheet_text: &str) -> Self {
        SiteView {
            stylesheet: format!(
                "{}{STYLESHEET}?v={:016x}",
                config.root_url.path(),
                fingerprint(stylesheet_text.as_bytes())
            ),
            title: &config.title,
            description: &config.description,
            base_url: config.base_url.as_str(),
            base_path: config.base_url.path(),
            language: &config.language,
            direction: config.locale.direction(),
            arrow_back: config.locale.arrows().0,
            arrow_forward: config.locale.arrows().1,
            extra: &config.extra,
            search: config.search.then(|| SearchView {
                url: config.base_url.link(crate::search::SEARCH_PAGE_PATH),
                script: format!(
                    "{}{SEARCH_SCRIPT}?v={:016x}",
                    config.root_url.path(),
                    fingerprint(include_str!("../theme/static/search.js").as_bytes())
                ),
                index: config
                    .base_url
                    .link(&format!("/{}", crate::search::MANIFEST_PATH)),
            }),
            languages: config
                .languages
                .iter()
                .enumerate()
                .map(|(index, language)| LanguageLink {
                    code: &language.code,
                    name: &language.name,
                    url: config.root_url.link(&language.prefix),
                    permalink: config.root_url.absolute(&language.prefix),
                    current: index == config.edition,
                })
                .collect(),
        }
    }
}

/// FNV-1a: a stable fingerprint, so that the stylesheet's URL changes
/// exactly when its content does and browsers may cache it for long.
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// [`ArticleDate::rfc3339`], written where it is shown.
struct Rfc3339<'a>(&'a ArticleDate);

impl std::fmt::Display for Rfc3339<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.write_rfc3339(f);
        Ok(())
    }
}

/// A string value made from `text` through a buffer on the stack: a value
/// holds a short string (up to 21 bytes) itself, so that one costs no
/// allocation, and a longer one only the value's own. List items are made
/// for every page that shows them, millions of times in a large archive.
fn text_value(text: impl std::fmt::Display) -> Value {
    use std::fmt::Write;
    let mut buffer = StackText::default();
    match write!(buffer, "{text}") {
        Ok(()) => Value::from(buffer.as_str()),
        Err(_) => Value::from(text.to_string()),
    }
}

/// Text written into a fixed buffer; writing more than it holds fails.
struct StackText {
    bytes: [u8; 256],
    len: usize,
}

impl Default for StackText {
    fn default() -> Self {
        StackText {
            bytes: [0; 256],
            len: 0,
        }
    }
}

impl StackText {
    fn as_str(&self) -> &str {
        // Only whole strings are written, so the bytes are UTF-8.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        let end = self.len + text.len();
        let room = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        room.copy_from_slice(text.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A tag, author or section as an article shows it: its name and link.
/// (No count: a new article in a tag would otherwise change every page that
/// shows the tag, and no article page needs it.)
#[derive(Serialize)]
struct TermLink<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
}

/// A tag, author or section on its own page and in overviews: its name,
/// link and number of articles.
#[derive(Serialize)]
pub struct TermView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
}

impl<'a> TermView<'a> {
    /// A term of a taxonomy.
    pub fn new(config: &Config, taxonomy: &Taxonomy, term: &'a Term) -> Self {
        TermView {
            name: &term.name,
            slug: &term.slug,
            url: config.base_url.link(&taxonomy.term_path(term)),
            count: term.articles.len(),
        }
    }
}

/// Template values that many articles' items share, made once: the link of
/// every tag, author and section (reference-counted by every article that
/// carries it), and the forms of every publication day.
#[derive(Debug, Default)]
pub struct SharedValues {
    /// Per taxonomy, in `site.taxonomies` order, one value per term.
    terms: Vec<Vec<Value>>,
    /// Each day an article was published, as [`SharedValues::date`] shows it
    /// apart from the time: an archive has thousands of days, and a list
    /// item is made for every page that shows it.
    days: HashMap<Date, DayValues, FxBuildHasher>,
}

/// The fields of a date value that depend only on its day.
#[derive(Debug)]
struct DayValues {
    display: Value,
    year: Value,
    month: Value,
    day: Value,
    month_name: Value,
    url: Value,
}

impl DayValues {
    fn new(config: &Config, day: Date) -> DayValues {
        let (year, month, day_of_month) = (day.year(), day.month(), day.day());
        DayValues {
            display: Value::from(config.locale.dates.date(day)),
            year: text_value(format_args!("{year:04}")),
            month: text_value(format_args!("{month:02}")),
            day: text_value(format_args!("{day_of_month:02}")),
            month_name: Value::from(config.locale.dates.month(month)),
            url: text_value(
                config
                    .base_url
                    .link_text(&day_path(year, month, day_of_month)),
            ),
        }
    }
}

impl SharedValues {
    /// Builds the value of every term and publication day of the site.
    pub fn new(site: &Site) -> Self {
        let terms = site
            .taxonomies
            .iter()
            .map(|taxonomy| {
                taxonomy
                    .terms
                    .iter()
                    .map(|term| {
                        value(&TermLink {
                            name: &term.name,
                            slug: &term.slug,
                            url: site.config.base_url.link(&taxonomy.term_path(term)),
                        })
                    })
                    .collect()
            })
            .collect();
        let mut days = HashMap::default();
        for article in &site.articles {
            let day = article.date.date();
            days.entry(day)
                .or_insert_with(|| DayValues::new(&site.config, day));
        }
        SharedValues { terms, days }
    }

    /// `date` as templates see it (`iso`, `display`, `year`, `month`,
    /// `day`, `month_name`, `url`).
    fn date(&self, config: &Config, date: &ArticleDate) -> Value {
        let day = date.date();
        let made;
        let parts = match self.days.get(&day) {
            Some(parts) => parts,
            None => {
                made = DayValues::new(config, day);
                &made
            }
        };
        map([
            ("iso", text_value(Rfc3339(date))),
            ("display", parts.display.clone()),
            ("year", parts.year.clone()),
            ("month", parts.month.clone()),
            ("day", parts.day.clone()),
            ("month_name", parts.month_name.clone()),
            ("url", parts.url.clone()),
        ])
    }

    /// The values of article `index`'s terms of one taxonomy, each once.
    fn of(&self, site: &Site, kind: TaxonomyKind, index: usize) -> Vec<Value> {
        let position = site
            .taxonomies
            .iter()
            .position(|t| t.kind == kind)
            .expect("built");
        site.taxonomies[position]
            .terms_of(index as u32)
            .iter()
            .map(|&i| self.terms[position][i as usize].clone())
            .collect()
    }
}

/// The version of an article's list item and card: equal versions, equal
/// values. It covers everything [`article_value`] reads without a body: the
/// article's metadata, the names and links of its terms, and the renderer
/// (templates and site settings).
pub fn item_version(site: &Site, renderer_version: u64, index: usize) -> u64 {
    let mut version = Signature::new("list item");
    version
        .add(renderer_version)
        .add(site.articles[index].meta_hash);
    for taxonomy in &site.taxonomies {
        for &term in taxonomy.terms_of(index as u32) {
            let term = &taxonomy.terms[term as usize];
            version.add((&term.name, &term.slug));
        }
    }
    version.finish()
}

/// What only an article's own page shows of it.
#[derive(Debug, Clone, Copy)]
pub struct PageParts<'a> {
    /// The body's HTML.
    pub content: &'a str,
    /// The lead image's size, when it is one of the site's images.
    pub lead_image: Option<ImageSize>,
}

/// `article` on an article page (with `content` and the lead image's size),
/// or an item of a listing (without the body, its plain-text summary and
/// JSON-LD).
pub fn article_value(
    site: &Site,
    shared: &SharedValues,
    index: usize,
    page: Option<PageParts>,
) -> Value {
    let article = &site.articles[index];
    let config = &site.config;
    let front = &article.front;
    let image = front
        .more()
        .image
        .as_deref()
        .map(|image| resolve_image(config, &config.base_url.link(&article.url), image));
    let image_url = image.as_deref().map(|i| config.base_url.absolute_link(i));
    let mut fields = vec![
        ("title", Value::from(front.title.as_str())),
        (
            "permalink",
            text_value(config.base_url.absolute_text(&article.url)),
        ),
        ("date", shared.date(config, &article.date)),
        (
            "authors",
            Value::from(shared.of(site, TaxonomyKind::Authors, index)),
        ),
        (
            "tags",
            Value::from(shared.of(site, TaxonomyKind::Tags, index)),
        ),
        ("summary", Value::from(article.summary.html.as_str())),
        ("word_count", Value::from(article.word_count)),
        (
            "reading_time",
            Value::from(markdown::reading_time(
                article.word_count,
                article.unspaced_chars,
            )),
        ),
        ("draft", Value::from(front.draft)),
        ("url", text_value(config.base_url.link_text(&article.url))),
    ];
    // Absent optional fields are left out rather than set to null: a large
    // archive holds one of these maps per article, and `{% if %}` and
    // `default` treat a missing field as empty.
    let optional = [
        ("subtitle", front.subtitle.as_deref()),
        ("image_caption", front.more().image_caption.as_deref()),
        ("source", front.more().source.as_deref()),
        ("source_url", front.more().source_url.as_deref()),
        ("image", image.as_deref()),
        ("image_url", image_url.as_deref()),
    ];
    fields.extend(
        optional
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, Value::from(v)))),
    );
    // An article in another language than the site's says which, and its
    // direction when that differs too (`lang="ar" dir="rtl"`).
    if let Some(lang) = front
        .more()
        .lang
        .as_deref()
        .filter(|lang| !lang.eq_ignore_ascii_case(&config.language))
    {
        fields.push(("lang", Value::from(lang)));
        let right_to_left = crate::i18n::is_right_to_left(lang);
        let dir = (right_to_left != config.locale.right_to_left).then_some(if right_to_left {
            "rtl"
        } else {
            "ltr"
        });
        if let Some(dir) = dir {
            fields.push(("dir", Value::from(dir)));
        }
        // The same as attributes, for the elements that hold the article's
        // own text (its headline, standfirst, summary and body), not the
        // theme's text around them. A language tag needs no escaping.
        let attributes = match dir {
            Some(dir) => format!(" lang=\"{lang}\" dir=\"{dir}\""),
            None => format!(" lang=\"{lang}\""),
        };
        fields.push(("lang_attributes", Value::safe_string(&attributes)));
    }
    if let Some(updated) = &front.updated {
        fields.push(("updated", shared.date(config, updated)));
    }
    if let Some(section) = shared
        .of(site, TaxonomyKind::Sections, index)
        .into_iter()
        .next()
    {
        fields.push(("section", section));
    }
    if let Some(extra) = &front.more().extra {
        fields.push(("extra", value(extra)));
    }
    if let Some(page) = page {
        if let Some(size) = page.lead_image {
            fields.push(("image_width", Value::from(size.width)));
            fields.push(("image_height", Value::from(size.height)));
        }
        fields.extend([
            ("content", Value::from(page.content)),
            ("summary_text", Value::from(article.summary.text())),
            (
                "json_ld",
                Value::from(json_ld(site, article, image_url.as_deref())),
            ),
        ]);
    }
    map(fields)
}

/// Schema.org `NewsArticle` as JSON, safe inside a `<script>` element: a
/// headline holding `</script>` cannot end it early.
fn json_ld(site: &Site, article: &Article, image: Option<&str>) -> String {
    let config = &site.config;
    let front = &article.front;
    let permalink = config.base_url.absolute(&article.url);
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": front.title,
        "description": article.summary.text(),
        "datePublished": article.date.rfc3339(),
        "dateModified": article.last_change().rfc3339(),
        "author": authors(site, article).map(|(name, path)| serde_json::json!({
            "@type": "Person",
            "name": name,
            "url": config.base_url.absolute(&path),
        })).collect::<Vec<_>>(),
        "publisher": {
            "@type": "Organization",
            "name": config.title,
            "url": config.base_url.as_str(),
        },
        "mainEntityOfPage": { "@type": "WebPage", "@id": permalink },
        "url": permalink,
        "inLanguage": front.more().lang.as_deref().unwrap_or(&config.language),
        "wordCount": article.word_count,
    });
    let object = value.as_object_mut().expect("built as an object");
    if let Some(image) = image {
        object.insert("image".into(), serde_json::json!([image]));
    }
    if let Some(section) = &front.section {
        object.insert("articleSection".into(), serde_json::json!(section));
    }
    if !front.tags.is_empty() {
        object.insert("keywords".into(), serde_json::json!(front.tags));
    }
    html_safe_json(&value.to_string())
}

/// An article's authors as (name, site path of their page).
fn authors<'a>(
    site: &'a Site,
    article: &'a Article,
) -> impl Iterator<Item = (&'a str, String)> + 'a {
    let taxonomy = site.taxonomy(TaxonomyKind::Authors);
    article.front.authors.iter().filter_map(move |name| {
        taxonomy
            .term(name)
            .map(|t| (t.name.as_str(), taxonomy.term_path(t)))
    })
}

/// A relative image path names a file of the article's bundle; a site path
/// goes under the base path; a full URL stays as it is.
fn resolve_image(config: &Config, article_url: &str, image: &str) -> String {
    match classify(image) {
        LinkKind::RootRelative => config.root_url.link(image),
        LinkKind::Relative | LinkKind::Fragment => {
            format!("{}{image}", crate::links::check::folder_of(article_url))
        }
        LinkKind::External | LinkKind::Empty => image.to_string(),
    }
}

/// A link to a year, month or day page, with its label and count.
#[derive(Serialize)]
pub struct DateLink {
    label: String,
    url: String,
    count: usize,
    year: String,
    month: Option<String>,
    day: Option<String>,
}

impl DateLink {
    /// Its link.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Its label (`17 March 2025`).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// A year page.
    pub fn year(config: &Config, year: i16, count: usize) -> Self {
        DateLink {
            label: format!("{year}"),
            url: config.base_url.link(&year_path(year)),
            count,
            year: format!("{year:04}"),
            month: None,
            day: None,
        }
    }

    /// A month page; `label` is `March 2025`.
    pub fn month(config: &Config, year: i16, month: i8, count: usize) -> Self {
        DateLink {
            label: config.locale.dates.month_of_year(year, month),
            url: config.base_url.link(&month_path(year, month)),
            count,
            year: format!("{year:04}"),
            month: Some(format!("{month:02}")),
            day: None,
        }
    }

    /// A day page; `label` is `17 March 2025`.
    pub fn day(config: &Config, year: i16, month: i8, day: i8, count: usize) -> Self {
        DateLink {
            label: config.locale.dates.day(year, month, day),
            url: config.base_url.link(&day_path(year, month, day)),
            count,
            year: format!("{year:04}"),
            month: Some(format!("{month:02}")),
            day: Some(format!("{day:02}")),
        }
    }
}

/// Builds a template map from named values without re-serialising them,
/// so the values it holds (terms, cards) are shared, not copied.
pub fn map(entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    // Straight into tera's own map type: through a `BTreeMap`, sorting the
    // keys was a third of the cost of a list item.
    Value::from(
        entries
            .into_iter()
            .map(|(key, value)| (tera::value::Key::Str(key), value))
            .collect::<tera::Map>(),
    )
}

/// Any serialisable view as a template value.
pub fn value<T: Serialize>(view: &T) -> Value {
    Value::from_serializable(view)
}
