//! The site configuration, read from `config.yaml` in the site folder.
//!
//! Every key is optional; a missing file means the defaults. An unknown key
//! is an error, because a typo such as `titel:` must not be ignored silently.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{FileError, key_line};
use crate::i18n::Locale;
use crate::source::CONFIG_FILE;

/// How pages of a listing are numbered (`pagination:`).
///
/// `newest-first` (Hugo's and Zola's) numbers pages from the newest, so an
/// article moves to the next page whenever a new one arrives. `stable`
/// numbers pages from the oldest: `/tags/x/page/7/` keeps the same articles
/// for ever, and only the newest page, served at the listing's own URL, grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaginationMode {
    /// Page 1 holds the newest articles (the usual way).
    #[default]
    NewestFirst,
    /// Page 1 holds the oldest articles; pages never change once full.
    Stable,
}

/// What feed entries carry (`feed_content:`, `term_feed_content:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeedContent {
    /// Summary and the whole article.
    Full,
    /// Summary only: lighter on memory for very large archives.
    Summary,
}

/// The keys of `config.yaml`, exactly as written by the user.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    title: String,
    description: String,
    base_url: String,
    language: String,
    timezone: String,
    permalink: String,
    page_size: usize,
    pagination: PaginationMode,
    feed_limit: usize,
    feed_content: FeedContent,
    term_feed_content: FeedContent,
    sitemap_max_urls: usize,
    ignore: Vec<String>,
    follow_external_symlinks: bool,
    strict: bool,
    search: bool,
    author_sort: BTreeMap<String, String>,
    redirects: BTreeMap<String, String>,
    strings: BTreeMap<String, serde_yaml::Value>,
    languages: BTreeMap<String, RawLanguage>,
    extra: serde_yaml::Mapping,
}

/// One entry of `languages:`, as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
struct RawLanguage {
    name: Option<String>,
    title: Option<String>,
    description: Option<String>,
    prefix: Option<String>,
    strings: BTreeMap<String, serde_yaml::Value>,
}

impl Default for RawConfig {
    fn default() -> Self {
        RawConfig {
            title: "News archive".to_string(),
            description: String::new(),
            base_url: "/".to_string(),
            language: "en".to_string(),
            timezone: "UTC".to_string(),
            permalink: DEFAULT_PERMALINK.to_string(),
            page_size: 20,
            pagination: PaginationMode::default(),
            feed_limit: 50,
            feed_content: FeedContent::Full,
            term_feed_content: FeedContent::Summary,
            sitemap_max_urls: 50_000,
            ignore: Vec::new(),
            follow_external_symlinks: false,
            strict: false,
            search: true,
            author_sort: BTreeMap::new(),
            redirects: BTreeMap::new(),
            strings: BTreeMap::new(),
            languages: BTreeMap::new(),
            extra: serde_yaml::Mapping::new(),
        }
    }
}

/// Every key of `config.yaml` with its default value (what `init` writes,
/// commented).
pub fn default_settings() -> serde_yaml::Value {
    serde_yaml::to_value(RawConfig::default()).expect("the defaults are plain data")
}

/// The permalink pattern used when the config does not set one.
pub const DEFAULT_PERMALINK: &str = "/:year/:month/:day/:slug/";

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title, shown in the masthead and `<title>`.
    pub title: String,
    /// One-sentence description of the site.
    pub description: String,
    /// Where the site is served, normalised to end with `/`.
    pub base_url: BaseUrl,
    /// Language tag of the content (`en`, `pt-BR`…), for `<html lang>`.
    pub language: String,
    /// Time zone in which dates written without an offset are read.
    pub timezone: TimeZone,
    /// Name of that time zone as written (`UTC`, `Europe/Moscow`).
    pub timezone_name: String,
    /// Pattern that turns an article into its URL path.
    pub permalink: Permalink,
    /// Items per listing page.
    pub page_size: usize,
    /// How listing pages are numbered.
    pub pagination: PaginationMode,
    /// Entries per feed.
    pub feed_limit: usize,
    /// Whether entries of the site-wide feeds carry the whole article.
    pub feed_content: FeedContent,
    /// Whether entries of tag, author and section feeds carry the whole
    /// article (summary by default: with a feed per term, full content would
    /// make feeds half of a large archive's output).
    pub term_feed_content: FeedContent,
    /// URLs per sitemap file before it is split under an index.
    pub sitemap_max_urls: usize,
    /// Globs of files under the site folder that are no sources (besides
    /// hidden files and editors' leftovers, always skipped).
    pub ignore: Vec<String>,
    /// Follow symbolic links whose target is outside the site folder.
    pub follow_external_symlinks: bool,
    /// Broken links of article bodies are errors, as with `build --strict`.
    pub strict: bool,
    /// Build the full-text search index and the `/search/` page.
    pub search: bool,
    /// Names authors are filed under in the authors overview, by author
    /// (`Gabriel García Márquez: García Márquez`); others by their last word.
    pub author_sort: BTreeMap<String, String>,
    /// Old paths that redirect elsewhere (pages that are gone, listings
    /// that moved): old path to new path or URL.
    pub redirects: BTreeMap<String, String>,
    /// The theme's strings, dates and numbers in the site's language, with
    /// the overrides of `strings:`.
    pub locale: Arc<Locale>,
    /// Every language of a site in several (`languages:`), the default one
    /// first; empty for a site in one language.
    pub languages: Arc<[Language]>,
    /// Which of `languages` this config is for (see [`Config::edition`]).
    pub edition: usize,
    /// Where the whole site is served: `base_url` of `config.yaml`. Static
    /// files and the theme's assets are there, and root-relative links of
    /// article bodies start there. It differs from `base_url` only in the
    /// config of a language with a prefix, whose pages are under it.
    pub root_url: BaseUrl,
    /// Free map passed to templates as `site.extra`.
    pub extra: serde_yaml::Mapping,
    /// Keys whose text had control characters, removed.
    pub cleaned: Vec<&'static str>,
}

impl Default for Config {
    fn default() -> Self {
        Config::from_raw(RawConfig::default(), Path::new(CONFIG_FILE))
            .expect("the default configuration is valid")
    }
}

impl Config {
    /// Reads `config.yaml` from the site folder, or returns the defaults
    /// when there is none.
    pub fn load(site_dir: &Path) -> Result<Config, FileError> {
        let path = site_dir.join(CONFIG_FILE);
        let shown = Path::new(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
                let (line, col) = crate::diagnostics::line_col(
                    &String::from_utf8_lossy(e.as_bytes()),
                    e.utf8_error().valid_up_to(),
                );
                FileError::at(shown, line, col, "the file is not valid UTF-8")
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(FileError::at_line(shown, 1, format!("cannot read: {e}"))),
        };
        Config::parse(&text, shown)
    }

    /// Parses the text of a configuration file; `shown` names it in errors.
    pub fn parse(text: &str, shown: &Path) -> Result<Config, FileError> {
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_yaml::from_str(text).map_err(|e| FileError::from_yaml(shown, &e, 0))?
        };
        Config::from_raw(raw, shown).map_err(|(key, message)| {
            let line = key_line(text, key).unwrap_or(1);
            FileError::at_line(shown, line, format!("{key}: {message}"))
        })
    }

    fn from_raw(raw: RawConfig, _shown: &Path) -> Result<Config, (&'static str, String)> {
        let base_url = BaseUrl::parse(&raw.base_url).map_err(|m| ("base_url", m))?;
        let timezone = TimeZone::get(&raw.timezone).map_err(|_| {
            (
                "timezone",
                format!(
                    "unknown time zone `{}`; expected an IANA name such as `UTC` or `Europe/Lisbon`",
                    raw.timezone
                ),
            )
        })?;
        let permalink = Permalink::parse(&raw.permalink).map_err(|m| ("permalink", m))?;
        if raw.page_size == 0 {
            return Err(("page_size", "expected a whole number of at least 1".into()));
        }
        if !crate::i18n::is_language_tag(&raw.language) {
            return Err((
                "language",
                format!(
                    "`{}` is not a language tag; expected one such as `en`, `pt-BR` or `zh-Hant`",
                    raw.language.escape_debug()
                ),
            ));
        }
        let locale = Locale::new(&raw.language, &raw.strings).map_err(|m| ("strings", m))?;
        let mut cleaned = Vec::new();
        let (mut title, mut description) = (raw.title, raw.description);
        for (key, text) in [("title", &mut title), ("description", &mut description)] {
            if crate::escape::remove_controls(text) {
                cleaned.push(key);
            }
        }
        for glob in &raw.ignore {
            globset::Glob::new(glob).map_err(|e| {
                (
                    "ignore",
                    format!("`{glob}` is not a glob ({e}); expected patterns such as `content/drafts/**` or `*.psd`"),
                )
            })?;
        }
        if raw.sitemap_max_urls == 0 || raw.sitemap_max_urls > 50_000 {
            return Err((
                "sitemap_max_urls",
                "expected a whole number from 1 to 50000 (the sitemaps protocol's limit)".into(),
            ));
        }
        let languages = languages(&raw.language, &raw.strings, raw.languages)?;
        Ok(Config {
            title,
            description,
            root_url: base_url.clone(),
            base_url,
            language: raw.language,
            timezone,
            timezone_name: raw.timezone,
            permalink,
            page_size: raw.page_size,
            pagination: raw.pagination,
            feed_limit: raw.feed_limit,
            feed_content: raw.feed_content,
            term_feed_content: raw.term_feed_content,
            sitemap_max_urls: raw.sitemap_max_urls,
            ignore: raw.ignore,
            follow_external_symlinks: raw.follow_external_symlinks,
            strict: raw.strict,
            search: raw.search,
            author_sort: raw.author_sort,
            redirects: raw.redirects,
            locale: Arc::new(locale),
            languages,
            edition: 0,
            extra: raw.extra,
            cleaned,
        })
    }

    /// Where this config's language has its pages under the root URL:
    /// empty for the default language (and a site in one), `ru/` for `/ru/`.
    pub fn prefix(&self) -> &str {
        self.languages
            .get(self.edition)
            .map_or("", |l| l.prefix.as_str())
    }

    /// True when the site is in several languages (`languages:`).
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The config of one of the site's languages (`index` into
    /// [`Config::languages`]): its title, description and strings, and a
    /// base URL under its prefix. Index 0, the default language, is served
    /// at the root like a site in one language.
    pub fn edition(&self, index: usize) -> Config {
        let language = &self.languages[index];
        Config {
            title: language.title.clone().unwrap_or_else(|| self.title.clone()),
            description: language
                .description
                .clone()
                .unwrap_or_else(|| self.description.clone()),
            base_url: BaseUrl::parse(&format!("{}{}", self.root_url.as_str(), language.prefix))
                .expect("a checked prefix under a checked base URL"),
            language: language.code.clone(),
            locale: language.locale.clone(),
            edition: index,
            ..self.clone()
        }
    }

    /// Which of the site's languages an article is in, from its file name's
    /// suffix (`budget.ru.md`, as Hugo names translations) or its `lang:`;
    /// with the suffix removed from the name. 0, the default, when neither
    /// names one of `languages:`.
    pub fn language_of<'a>(&self, name: &'a str, lang: Option<&str>) -> (usize, &'a str) {
        if let Some((stem, suffix)) = name.rsplit_once('.')
            && let Some(index) = self.language_index(suffix)
        {
            return (index, stem);
        }
        (lang.and_then(|l| self.language_index(l)).unwrap_or(0), name)
    }

    /// The absolute URL (or root-relative path, without a host) of an
    /// article's page, under its language's prefix.
    pub fn article_url(&self, article: &crate::content::Article) -> String {
        self.root_url.absolute(&self.site_path_of(article))
    }

    /// The path of an article's page on the whole site: its URL under its
    /// language's prefix (`/ru/2025/03/07/budget/`).
    pub fn site_path_of(&self, article: &crate::content::Article) -> String {
        match self.languages.get(usize::from(article.language)) {
            Some(language) if !language.prefix.is_empty() => {
                format!(
                    "/{}{}",
                    language.prefix,
                    article.url.trim_start_matches('/')
                )
            }
            _ => article.url.clone(),
        }
    }

    /// The index in [`Config::languages`] of a language code, if the site
    /// has that language.
    pub fn language_index(&self, code: &str) -> Option<usize> {
        self.languages
            .iter()
            .position(|l| l.code.eq_ignore_ascii_case(code))
    }

    /// The rules that say which files of the site folder are sources.
    pub fn source_rules(&self, site_dir: &Path) -> crate::source::SourceRules {
        crate::source::SourceRules::new(site_dir, &self.ignore, self.follow_external_symlinks)
            .expect("globs were checked when the config was read")
    }

    /// Replaces the base URL (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        self.base_url = BaseUrl::parse(url)?;
        self.root_url = self.base_url.clone();
        Ok(())
    }
}

/// One language of a site in several.
#[derive(Debug, Clone)]
pub struct Language {
    /// Its tag (`en`, `ru`, `pt-BR`), as file names (`budget.ru.md`) and
    /// `lang:` name it.
    pub code: String,
    /// Its name in itself, for the language switcher (`Русский`).
    pub name: String,
    /// Where its pages are under the base URL: empty for the default
    /// language, `ru/` for `/ru/`.
    pub prefix: String,
    /// Its own site title, if any.
    pub title: Option<String>,
    /// Its own site description, if any.
    pub description: Option<String>,
    /// Its strings, dates and numbers, with the site's `strings:` and its own.
    pub locale: Arc<Locale>,
}

/// First segments a language's prefix cannot have: the default language's
/// own listings are there.
const RESERVED_PREFIXES: &[&str] = &[
    "tags", "authors", "sections", "archive", "search", "page", "static",
];

/// The languages of `languages:`, the default one (`language:`) first and
/// the others by code; none for a site in one language.
fn languages(
    default: &str,
    site_strings: &BTreeMap<String, serde_yaml::Value>,
    raw: BTreeMap<String, RawLanguage>,
) -> Result<Arc<[Language]>, (&'static str, String)> {
    if raw.is_empty() {
        return Ok(Arc::from([]));
    }
    let mut entries: Vec<(String, RawLanguage)> = raw.into_iter().collect();
    match entries
        .iter()
        .position(|(code, _)| code.eq_ignore_ascii_case(default))
    {
        Some(at) => {
            let entry = entries.remove(at);
            entries.insert(0, entry);
        }
        None => entries.insert(0, (default.to_string(), RawLanguage::default())),
    }
    let mut languages: Vec<Language> = Vec::with_capacity(entries.len());
    for (index, (code, raw)) in entries.into_iter().enumerate() {
        let problem = |message: String| ("languages", format!("`{code}`: {message}"));
        if !crate::i18n::is_language_tag(&code) {
            return Err(problem(
                "is not a language tag; expected one such as `en`, `pt-BR` or `zh-Hant`".into(),
            ));
        }
        if languages.iter().any(|l| l.code.eq_ignore_ascii_case(&code)) {
            return Err(problem("is listed twice".into()));
        }
        let prefix = match (index, raw.prefix.as_deref()) {
            (0, None | Some("/" | "")) => String::new(),
            (0, Some(other)) => {
                return Err(problem(format!(
                    "the default language (`language:`) is served at the root; expected no `prefix`, not `{other}`"
                )));
            }
            (_, written) => {
                let written =
                    written.map_or_else(|| format!("/{}/", code.to_lowercase()), str::to_string);
                language_prefix(&written).map_err(problem)?
            }
        };
        if !prefix.is_empty() && languages.iter().any(|l| l.prefix == prefix) {
            return Err(problem(format!(
                "its prefix `/{prefix}` is another language's"
            )));
        }
        let mut strings = site_strings.clone();
        strings.extend(raw.strings);
        let locale = Locale::new(&code, &strings).map_err(problem)?;
        let name = raw.name.unwrap_or_else(|| {
            if crate::i18n::strings::is_builtin(&code) {
                locale.text("language_name").to_string()
            } else {
                code.clone()
            }
        });
        languages.push(Language {
            code,
            name,
            prefix,
            title: raw.title,
            description: raw.description,
            locale: Arc::new(locale),
        });
    }
    if languages.len() == 1 {
        return Err((
            "languages",
            format!(
                "lists only `{default}`, the default language; expected the site's other languages (the default one's title, description and strings are the top-level keys)"
            ),
        ));
    }
    Ok(Arc::from(languages))
}

/// A language's prefix (`/ru/`, `/ru`, `ru/news`) as the path under the base
/// URL that its pages have (`ru/`, `ru/news/`).
fn language_prefix(written: &str) -> Result<String, String> {
    let segments: Vec<&str> = written.split('/').filter(|s| !s.is_empty()).collect();
    let safe = |s: &&str| {
        s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !s.starts_with('.')
    };
    if segments.is_empty() || !segments.iter().all(safe) {
        return Err(format!(
            "`prefix: {written}` is not a path of the site; expected one such as `/ru/`"
        ));
    }
    let first = segments[0];
    if RESERVED_PREFIXES.contains(&first) || first.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "`prefix: {written}` would be among the default language's own pages (`/{first}/`); expected another, such as the language's code"
        ));
    }
    Ok(segments.iter().map(|s| format!("{s}/")).collect())
}

/// Where the site is served: either a path (`/`, `/archive/`) or an absolute
/// http(s) URL, whose path part may be a subfolder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// The URL as configured, ending with `/`.
    full: String,
    /// Byte index where the path part starts in `full`.
    path_start: usize,
}

impl BaseUrl {
    /// Validates and normalises a base URL.
    pub fn parse(input: &str) -> Result<BaseUrl, String> {
        let trimmed = input.trim();
        let mut full = trimmed.to_string();
        if !full.ends_with('/') {
            full.push('/');
        }
        let path_start = if full.starts_with('/') {
            0
        } else if let Some(rest) = full
            .strip_prefix("https://")
            .or_else(|| full.strip_prefix("http://"))
        {
            let host_len = rest.find('/').unwrap_or(rest.len());
            if host_len == 0 {
                return Err(format!("`{input}` has no host name"));
            }
            full.len() - rest.len() + host_len
        } else {
            return Err(format!(
                "`{input}` is neither a path starting with `/` nor an http(s) URL"
            ));
        };
        if full.contains(['?', '#', ' ', '"', '<', '>', '\\']) {
            return Err(format!("`{input}` contains a character not allowed here"));
        }
        if full[path_start..].split('/').any(|s| s == "..") {
            return Err(format!("`{input}` contains `..`"));
        }
        Ok(BaseUrl { full, path_start })
    }

    /// The whole URL, ending with `/`.
    pub fn as_str(&self) -> &str {
        &self.full
    }

    /// The path part, starting and ending with `/` (`/` or `/archive/`).
    pub fn path(&self) -> &str {
        &self.full[self.path_start..]
    }

    /// True when the base URL names a scheme and host.
    pub fn is_absolute(&self) -> bool {
        self.path_start > 0
    }

    /// A link made by [`BaseUrl::link`] as an absolute URL, for places that
    /// need one (feeds, OpenGraph); links that already are absolute stay.
    pub fn absolute_link(&self, link: &str) -> String {
        if link.starts_with('/') && !link.starts_with("//") {
            format!("{}{link}", &self.full[..self.path_start])
        } else {
            link.to_string()
        }
    }

    /// The host name (without port), when the base URL has one.
    pub fn host(&self) -> Option<&str> {
        let authority = self.full[..self.path_start].split("://").nth(1)?;
        let host = authority.rsplit('@').next()?;
        Some(host.split(':').next().unwrap_or(host)).filter(|h| !h.is_empty())
    }

    /// The link to use inside the site for a site path such as `/2025/03/17/x/`.
    pub fn link(&self, site_path: &str) -> String {
        self.link_text(site_path).to_string()
    }

    /// [`BaseUrl::link`] without a string of its own, to write elsewhere.
    pub fn link_text<'a>(&'a self, site_path: &'a str) -> impl std::fmt::Display + 'a {
        Joined(self.path(), site_path.trim_start_matches('/'))
    }

    /// [`BaseUrl::absolute`] without a string of its own.
    pub fn absolute_text<'a>(&'a self, site_path: &'a str) -> impl std::fmt::Display + 'a {
        Joined(&self.full, site_path.trim_start_matches('/'))
    }

    /// The absolute URL (or the root-relative path when the base URL has no
    /// host) of a site path.
    pub fn absolute(&self, site_path: &str) -> String {
        self.absolute_text(site_path).to_string()
    }
}

/// Two pieces of text shown one after the other.
struct Joined<'a>(&'a str, &'a str);

impl std::fmt::Display for Joined<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)?;
        f.write_str(self.1)
    }
}

/// One piece of a permalink pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermalinkPart {
    /// Text copied as is.
    Literal(String),
    /// `:year`, four digits.
    Year,
    /// `:month`, two digits.
    Month,
    /// `:day`, two digits.
    Day,
    /// `:slug`.
    Slug,
    /// `:section`, the slug of the article's section (empty when it has none).
    Section,
}

/// A permalink pattern such as `/:year/:month/:day/:slug/`, split into segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    /// Path segments, each a sequence of parts.
    pub segments: Vec<Vec<PermalinkPart>>,
    /// The pattern ends in `.html` or `.htm` (`/:year/:slug.html`, as
    /// Jekyll and WordPress write URLs): pages are that file, not a folder.
    pub file: bool,
}

impl Permalink {
    /// Parses and checks a pattern: it must use `:slug`, only known
    /// placeholders, and safe literal characters.
    pub fn parse(pattern: &str) -> Result<Permalink, String> {
        let mut segments = Vec::new();
        for raw_segment in pattern.split('/').filter(|s| !s.is_empty()) {
            if raw_segment == "." || raw_segment == ".." {
                return Err(format!("`{pattern}` has a `{raw_segment}` segment"));
            }
            let mut parts = Vec::new();
            let mut rest = raw_segment;
            while !rest.is_empty() {
                if let Some(after) = rest.strip_prefix(':') {
                    let name_len = after
                        .find(|c: char| !c.is_ascii_alphabetic())
                        .unwrap_or(after.len());
                    let part = match &after[..name_len] {
                        "year" => PermalinkPart::Year,
                        "month" => PermalinkPart::Month,
                        "day" => PermalinkPart::Day,
                        "slug" => PermalinkPart::Slug,
                        "section" => PermalinkPart::Section,
                        other => {
                            return Err(format!(
                                "unknown placeholder `:{other}`; expected :year, :month, :day, :slug or :section"
                            ));
                        }
                    };
                    parts.push(part);
                    rest = &after[name_len..];
                } else {
                    let lit_len = rest.find(':').unwrap_or(rest.len());
                    let literal = &rest[..lit_len];
                    if !literal
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
                    {
                        return Err(format!(
                            "`{literal}` may only hold ASCII letters, digits and - _ . ~"
                        ));
                    }
                    parts.push(PermalinkPart::Literal(literal.to_string()));
                    rest = &rest[lit_len..];
                }
            }
            segments.push(parts);
        }
        if !segments.iter().flatten().any(|p| *p == PermalinkPart::Slug) {
            return Err(format!(
                "`{pattern}` must contain :slug, or every article would share one URL"
            ));
        }
        let file = pattern.ends_with(".html") || pattern.ends_with(".htm");
        Ok(Permalink { segments, file })
    }

    /// The URL path (`/2025/03/17/slug/`, or `/2025/03/17/slug.html` for a
    /// file pattern) for the given values. Segments that come out empty (an
    /// article without a section) are dropped, as Jekyll does.
    pub fn expand(&self, date: jiff::civil::Date, slug: &str, section_slug: &str) -> String {
        let mut url = String::from("/");
        for segment in &self.segments {
            let mut text = String::new();
            for part in segment {
                match part {
                    PermalinkPart::Literal(s) => text.push_str(s),
                    PermalinkPart::Year => text.push_str(&format!("{:04}", date.year())),
                    PermalinkPart::Month => text.push_str(&format!("{:02}", date.month())),
                    PermalinkPart::Day => text.push_str(&format!("{:02}", date.day())),
                    PermalinkPart::Slug => text.push_str(slug),
                    PermalinkPart::Section => text.push_str(section_slug),
                }
            }
            if !text.is_empty() {
                url.push_str(&text);
                url.push('/');
            }
        }
        if self.file {
            url.pop();
        }
        // Kept for every article: copied to its size, as an allocator keeps
        // a block shrunk by less than half at its old size.
        url.as_str().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn defaults_without_a_file() {
        let c = Config::default();
        assert_eq!(c.base_url.as_str(), "/");
        assert_eq!(c.page_size, 20);
        assert_eq!(
            c.permalink.expand(date(2025, 3, 7), "a-b", ""),
            "/2025/03/07/a-b/"
        );
    }

    #[test]
    fn a_site_without_a_config_file_gets_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::load(dir.path()).unwrap();
        assert_eq!(c.title, "News archive");
        assert_eq!(c.base_url.as_str(), "/");
        assert_eq!(c.pagination, PaginationMode::NewestFirst);
        std::fs::write(dir.path().join(CONFIG_FILE), "").unwrap();
        assert_eq!(Config::load(dir.path()).unwrap().title, "News archive");
    }

    #[test]
    fn unknown_key_names_key_and_file() {
        let err = Config::parse("title: X\ntitel: Y\n", Path::new("config.yaml")).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("config.yaml:2:"), "{text}");
        assert!(text.contains("unknown field `titel`"), "{text}");
    }

    #[test]
    fn invalid_values_point_at_their_line() {
        let err = Config::parse(
            "title: X\npermalink: /:year/:nope/\n",
            Path::new("config.yaml"),
        )
        .unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains(":nope"), "{err}");
        let err = Config::parse("timezone: Mars/Olympus\n", Path::new("config.yaml")).unwrap_err();
        assert!(err.message.contains("Mars/Olympus"), "{err}");
        assert!(Config::parse("page_size: 0\n", Path::new("c")).is_err());
        let err = Config::parse("pagination: sideways\n", Path::new("c")).unwrap_err();
        assert!(err.message.contains("newest-first"), "{err}");
        let err = Config::parse("language: \"en\\u0007\"\n", Path::new("c")).unwrap_err();
        assert!(err.message.contains("language tag"), "{err}");
        assert!(Config::parse("language: pt-BR\n", Path::new("c")).is_ok());
        let err = Config::parse("title: X\nignore: [\"a[\"]\n", Path::new("c")).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(err.message.contains("not a glob"), "{err}");
        let c = Config::parse("title: \"A\\u001bB\"\n", Path::new("c")).unwrap();
        assert_eq!(
            (c.title.as_str(), c.cleaned.as_slice()),
            ("AB", &["title"][..])
        );
        let c = Config::parse("pagination: stable\n", Path::new("c")).unwrap();
        assert_eq!(c.pagination, PaginationMode::Stable);
        assert!(Config::parse("permalink: /:year/\n", Path::new("c")).is_err());
        assert!(Config::parse("permalink: /../:slug/\n", Path::new("c")).is_err());
    }

    #[test]
    fn base_url_forms() {
        let b = BaseUrl::parse("https://example.org/archive").unwrap();
        assert_eq!(b.as_str(), "https://example.org/archive/");
        assert_eq!(b.path(), "/archive/");
        assert_eq!(b.link("/2025/"), "/archive/2025/");
        assert_eq!(b.absolute("/2025/"), "https://example.org/archive/2025/");
        assert_eq!(b.host(), Some("example.org"));
        assert_eq!(
            BaseUrl::parse("http://localhost:8080/").unwrap().host(),
            Some("localhost")
        );
        assert_eq!(BaseUrl::parse("/x/").unwrap().host(), None);
        let b = BaseUrl::parse("https://example.org").unwrap();
        assert_eq!(b.path(), "/");
        assert_eq!(BaseUrl::parse("/").unwrap().link("/x/"), "/x/");
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
    }

    #[test]
    fn section_segments_collapse_when_empty() {
        let p = Permalink::parse("/:section/:slug/").unwrap();
        assert_eq!(p.expand(date(2025, 1, 1), "x", "world"), "/world/x/");
        assert_eq!(p.expand(date(2025, 1, 1), "x", ""), "/x/");
        let p = Permalink::parse("news/:year-:month/:slug").unwrap();
        assert_eq!(p.expand(date(2025, 1, 1), "x", ""), "/news/2025-01/x/");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::content::slug::slugify;

    proptest! {
        #[test]
        fn permalinks_make_site_paths(
            pattern in "(/?(:year|:month|:day|:slug|:section|[a-z0-9._~-]{0,6})){1,6}/?",
            slug in "\\PC{1,40}",
            section in "\\PC{0,20}",
            y in 1i16..9999, m in 1i8..=12, d in 1i8..=28,
        ) {
            let Ok(permalink) = Permalink::parse(&pattern) else { return Ok(()); };
            let slug = slugify(&slug);
            prop_assume!(!slug.is_empty());
            let date = jiff::civil::date(y, m, d);
            let url = permalink.expand(date, &slug, &slugify(&section));
            prop_assert!(url.starts_with('/') && url.ends_with('/'), "{}", url);
            prop_assert!(!url.contains("//"), "{}", url);
            prop_assert!(url.split('/').all(|s| s != ".." && s != "."), "{}", url);
            prop_assert!(url.contains(&slug), "{}", url);
        }

        #[test]
        fn links_stay_under_the_base(
            host in "[a-z]{1,10}\\.[a-z]{2,3}",
            path in "(/[a-z0-9-]{1,8}){0,3}/?",
            site_path in "(/[a-z0-9-]{1,8}){0,4}/",
        ) {
            let base = BaseUrl::parse(&format!("https://{host}{path}")).unwrap();
            let link = base.link(&site_path);
            prop_assert!(link.starts_with(base.path()), "{} under {}", link, base.path());
            prop_assert!(!link.contains("//"), "{}", link);
            let absolute = base.absolute(&site_path);
            prop_assert!(absolute.starts_with(base.as_str()), "{}", absolute);
            prop_assert_eq!(base.absolute_link(&link), absolute);
        }
    }
}
