//! Rendering: the tera templates, the built-in theme they fall back to, and
//! the values each template receives ([`views`], [`listings`]).
//!
//! Every variable a template can use is listed in `docs/templates.md`.

pub mod chart;
pub mod dates;
pub mod listings;
pub mod views;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock, RwLockReadGuard};

use tera::{Context, Tera, Value};
use xxhash_rust::xxh3::Xxh3Default;

use crate::config::Config;
use crate::diagnostics::{FileError, Warning};
use crate::hash::Signature;
use crate::images::ImageSize;
use crate::site::Site;
use crate::site::listing::{Plan, PlannedPage};
use crate::source::{self, TEMPLATES_DIR};
use views::SiteView;

/// The template that renders one article in a listing.
const CARD_TEMPLATE: &str = "partials/article_card.html";

/// The sidebar of listing pages, rendered once per build.
const SIDEBAR_TEMPLATE: &str = "partials/sidebar.html";

/// Pairs each built-in template's name with its text, read at compile time.
macro_rules! theme_templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../theme/templates/", $name)))),*]
    };
}

/// The built-in theme, compiled into the binary. A site's own template of the
/// same name replaces one file, and the rest still come from here.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = theme_templates![
    "base.html",
    "article.html",
    "index.html",
    "term.html",
    "taxonomy.html",
    "year.html",
    "month.html",
    "day.html",
    "archive.html",
    "redirect.html",
    "404.html",
    "search.html",
    "taxonomy_initial.html",
    "partials/masthead.html",
    "partials/search_box.html",
    "partials/sidebar.html",
    "partials/page_number.html",
    "partials/initial_bar.html",
    "partials/month_grid.html",
    "partials/calendar.html",
    "partials/chart.html",
    "partials/head_extra.html",
    "partials/footer.html",
    "partials/article_card.html",
    "partials/article_list.html",
    "partials/pagination.html",
    "partials/pagination_links.html",
    "partials/date_links.html",
    "partials/neighbours.html",
    "partials/term_links.html",
];

/// Registers the filters that speak the site's language:
/// `{{ n | number }}` (`12,345`, `12.345`), `{{ n | plural(key="articles") }}`
/// (`1 article`, `5 статей`) and `{{ t.more_of | fill(name=term.name) }}`.
fn register_language_filters(tera: &mut Tera, locale: &std::sync::Arc<crate::i18n::Locale>) {
    let numbers = locale.clone();
    tera.register_filter(
        "number",
        move |value: Value, _: tera::Kwargs, _: &tera::State| match value.as_i64() {
            Some(n) => Value::from(numbers.numbers.format(n)),
            None => value,
        },
    );
    let counts = locale.clone();
    tera.register_filter(
        "plural",
        move |value: Value, kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<Value> {
            let key: &str = kwargs.must_get("key")?;
            let n = value.as_i64().ok_or_else(|| {
                tera::Error::message(format!("`plural` counts whole numbers, not `{value}`"))
            })?;
            Ok(Value::from(counts.count(key, n)))
        },
    );
    tera.register_filter(
        "fill",
        |text: &str, kwargs: tera::Kwargs, _: &tera::State| -> Value {
            let values: Vec<(String, String)> = kwargs
                .iter()
                .map(|(key, value)| {
                    let value = match value.as_str() {
                        Some(text) => text.to_string(),
                        None => value.to_string(),
                    };
                    (key.to_string(), value)
                })
                .collect();
            Value::from(crate::i18n::strings::fill(
                text,
                values.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            ))
        },
    );
}

/// What the search page's script says, in the site's language, as JSON
/// safe inside `<script>`: the texts whose key starts with `search_`,
/// `archive` and `tags` (links of the empty state), and the plural forms of
/// `articles`. Keys are sorted, so the page is the same from build to build.
/// Whether `text` holds `word` as a whole name: not inside a longer name
/// (`line_items`, `itemsize`). A template can only read a variable by naming
/// it, so a template set that never names one does not need it.
fn names(text: &str, word: &str) -> bool {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        !text[..at].ends_with(is_name) && !text[at + word.len()..].starts_with(is_name)
    })
}

fn search_strings(locale: &crate::i18n::Locale) -> Value {
    let mut strings: BTreeMap<&str, serde_json::Value> = locale
        .strings
        .texts()
        .into_iter()
        .filter(|(key, _)| key.starts_with("search_") || matches!(*key, "archive" | "tags"))
        .map(|(key, text)| (key, serde_json::Value::from(text)))
        .collect();
    let forms: BTreeMap<&str, &str> = match locale.strings.messages().get("articles") {
        Some(crate::i18n::strings::Message::Plural(forms)) => forms.forms().collect(),
        Some(message) => [("other", message.text())].into(),
        None => [("other", "{n}")].into(),
    };
    strings.insert("articles", serde_json::json!(forms));
    let json = serde_json::to_string(&strings).unwrap_or_else(|_| "{}".into());
    Value::safe_string(&crate::escape::html_safe_json(&json))
}

/// The compiled templates, ready to render pages on any thread.
pub struct Renderer {
    tera: Tera,
    /// Template names that came from the site's folder, to name them in errors.
    site_templates: Vec<String>,
    /// A hash of every template's text and of what every template is given
    /// as `site`: pages made by two renderers of one version are the same.
    version: u64,
    /// Whether some template names `items` (see [`ListItems::paginated_items`]).
    names_items: bool,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("site_templates", &self.site_templates)
            .finish()
    }
}

impl Renderer {
    /// Compiles the site's templates over the built-in theme, once per build.
    /// `stylesheet_text` is the text of the stylesheet the site serves, for
    /// its fingerprint. Symbolic link loops in `templates/` are skipped with
    /// a warning, pushed to `warnings`.
    pub fn new(
        site_dir: &Path,
        config: &Config,
        stylesheet_text: &str,
        warnings: &mut Vec<Warning>,
    ) -> Result<Renderer, Vec<FileError>> {
        let dir = site_dir.join(TEMPLATES_DIR);
        let found = source::walk(site_dir, &dir, &config.source_rules(site_dir));
        warnings.extend(found.warnings);
        let mut errors = found.errors;
        let mut sources: BTreeMap<String, String> = BTreeMap::new();
        for file in &found.files {
            let shown = source::shown(site_dir, file);
            match std::fs::read(file).map(String::from_utf8) {
                Ok(Ok(text)) => {
                    sources.insert(source::slash_path(&dir, file), text);
                }
                Ok(Err(_)) => errors.push(FileError::at_line(
                    shown,
                    1,
                    "the template is not valid UTF-8",
                )),
                Err(e) => errors.push(FileError::at_line(shown, 1, format!("cannot read: {e}"))),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let site_templates: Vec<String> = sources.keys().cloned().collect();
        for (name, text) in BUILTIN_TEMPLATES {
            sources
                .entry(name.to_string())
                .or_insert_with(|| text.to_string());
        }
        let site_view = SiteView::new(config, stylesheet_text);
        let strings = config.locale.strings.texts();
        let mut hasher = Xxh3Default::new();
        sources.hash(&mut hasher);
        serde_json::to_string(&site_view)
            .unwrap_or_default()
            .hash(&mut hasher);
        // Every form of every string: an override of `one` alone changes pages.
        config.locale.strings.messages().hash(&mut hasher);
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        // Tera has no JSON filter; this one is safe inside `<script>`.
        tera.register_filter(
            "json_encode",
            |value: Value, _: tera::Kwargs, _: &tera::State| {
                let json = serde_json::to_string(&value).unwrap_or_else(|_| "null".into());
                Value::safe_string(&crate::escape::html_safe_json(&json))
            },
        );
        register_language_filters(&mut tera, &config.locale);
        let mut renderer = Renderer {
            tera: Tera::new(),
            site_templates,
            version: hasher.finish(),
            names_items: sources.values().any(|text| names(text, "items")),
        };
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            return Err(renderer.template_errors(&e));
        }
        tera.global_context().insert("site", &site_view);
        tera.global_context().insert("t", &strings);
        if config.search {
            let search_strings = search_strings(&config.locale);
            tera.global_context()
                .insert("search_strings", &search_strings);
        }
        renderer.tera = tera;
        Ok(renderer)
    }

    /// The renderer's version: equal for two renderers that make the same
    /// pages from the same values.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Renders an article page from its metadata and its body's HTML, with
    /// related articles taken from the shared list `items` and the size of
    /// its lead image when known.
    pub fn article_page(
        &self,
        site: &Site,
        items: &ListItems,
        index: usize,
        body_html: &str,
        lead_image: Option<ImageSize>,
    ) -> Result<String, FileError> {
        let article = &site.articles[index];
        let related: Vec<Value> = site.related[index]
            .iter()
            .map(|&i| items.item(site, i as usize))
            .collect();
        let mut context = Context::new();
        context.insert_value("related", Value::from(related));
        // Reading order is newest first: the newer article is the one before.
        let neighbour = |i: Option<usize>| {
            i.filter(|&i| i < site.articles.len())
                .map_or_else(Value::none, |i| items.item(site, i))
        };
        context.insert_value("newer", neighbour(index.checked_sub(1)));
        context.insert_value("older", neighbour(Some(index + 1)));
        let page = views::PageParts {
            content: body_html,
            lead_image,
        };
        context.insert_value(
            "article",
            views::article_value(site, &items.shared, index, Some(page)),
        );
        context.insert("canonical", &site.config.base_url.absolute(&article.url));
        context.insert(
            "translations",
            &views::translation_links(&site.config, site.translations.of(article)),
        );
        self.render("article.html", &context)
    }

    /// The signature of article `index`'s page (see [`crate::project`]):
    /// its list item's version (metadata, terms, renderer), its body, and the
    /// versions of its related articles and of the articles before and
    /// after it. `versions` are the item versions of every article.
    pub fn article_signature(site: &Site, versions: &[u64], index: usize) -> u64 {
        let mut signature = Signature::new("article page");
        signature
            .add(versions[index])
            .add(site.articles[index].body_hash)
            .add(index.checked_sub(1).map(|i| versions[i]))
            .add(versions.get(index + 1));
        for &related in &site.related[index] {
            signature.add(versions[related as usize]);
        }
        signature.add(site.translations.of(&site.articles[index]));
        signature.finish()
    }

    /// Renders a listing, overview or redirect page. `items` holds one
    /// template value and card per article, built once by [`ListItems::new`].
    pub fn planned_page(
        &self,
        site: &Site,
        items: &ListItems,
        plan: &Plan,
        page: &PlannedPage,
    ) -> Result<String, FileError> {
        let (template, context) = listings::page_context(site, items, plan, page);
        self.render(template, &context)
    }

    fn render(&self, template: &str, context: &Context) -> Result<String, FileError> {
        self.tera
            .render(template, context)
            .map_err(|e| self.template_error(&e))
    }

    /// Whether some template names `items` (see [`ListItems::paginated_items`]).
    pub fn names_items(&self) -> bool {
        self.names_items
    }

    /// The templates file a template name is read from, as shown.
    fn shown(&self, name: &str) -> PathBuf {
        if self.site_templates.iter().any(|t| t == name) {
            Path::new(TEMPLATES_DIR).join(name)
        } else {
            PathBuf::from(format!("(built-in theme) {name}"))
        }
    }

    /// Every error of a failed compilation, each located in its template:
    /// tera checks names (filters, includes, blocks) across all templates
    /// and gives every problem found as one report in one message.
    fn template_errors(&self, error: &tera::Error) -> Vec<FileError> {
        let tera::ErrorKind::Msg(message) = error.kind() else {
            return vec![self.template_error(error)];
        };
        let located: Vec<FileError> = message
            .split("\n\n")
            .filter_map(|report| {
                let what = report.lines().next()?.trim().trim_start_matches("error: ");
                let place = report.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
                let mut parts = place.rsplitn(3, ':');
                let column: usize = parts.next()?.parse().ok()?;
                let line: usize = parts.next()?.parse().ok()?;
                Some(FileError::at(self.shown(parts.next()?), line, column, what))
            })
            .collect();
        if located.is_empty() {
            vec![self.template_error(error)]
        } else {
            located
        }
    }

    /// Locates a tera error in its template file.
    fn template_error(&self, error: &tera::Error) -> FileError {
        let shown = |name: &str| self.shown(name);
        match error.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                FileError::at(
                    shown(report.filename()),
                    report.span().start_line,
                    report.span().start_col + 1,
                    report.message().to_string(),
                )
            }
            tera::ErrorKind::MissingParent { current, .. } => {
                FileError::at_line(shown(current), 1, error.to_string())
            }
            tera::ErrorKind::CircularExtend { tpl, .. }
            | tera::ErrorKind::CircularInclude { tpl, .. } => {
                FileError::at_line(shown(tpl), 1, error.to_string())
            }
            _ => FileError::at_line(TEMPLATES_DIR, 1, error.to_string()),
        }
    }
}

/// Up to how many articles a site keeps every article's template value;
/// above, each page makes those it shows. Kept, they cost about 2 KB per
/// article (at 100,000 articles they were the largest part of the memory);
/// made per page, about 3.5 µs each time one is shown (article pages show
/// seven: related, newer, older), which a small site would feel as 5–8 %
/// of its build and a large one does not.
pub const KEPT_ITEMS_UP_TO: usize = 20_000;

/// What listings show of each article. Cards are rendered once and shared by
/// every page that lists the article; the template value of an article
/// (`paginator.items`, `related`, `newer`, `older`) is kept only in a site of
/// at most [`KEPT_ITEMS_UP_TO`] articles, and otherwise made by the page
/// that shows it and dropped with it.
#[derive(Debug)]
pub struct ListItems {
    /// Each article rendered once with `partials/article_card.html`, as
    /// `paginator.cards` shows it: a listing page then only joins them.
    /// Behind a lock so that a write that is not kept can let go of them
    /// once the listing pages are made.
    cards: RwLock<Vec<Value>>,
    /// Term links and day forms, shared by the items of many articles.
    pub shared: views::SharedValues,
    /// `sidebar`, the same on every listing page, with its partial
    /// rendered: made once.
    pub sidebar: Value,
    /// Day links and calendars, shown by many date pages: made once.
    pub archive: dates::ArchiveValues,
    /// Whether some template names `items`: listing pages give
    /// `paginator.items` only then, as no other template can read it.
    pub paginated_items: bool,
    /// Every article's template value, in a small site (else empty).
    kept: Vec<Value>,
}

impl Default for ListItems {
    /// No items: what a model keeps once its pages are made.
    fn default() -> ListItems {
        ListItems {
            cards: RwLock::default(),
            shared: views::SharedValues::default(),
            sidebar: Value::none(),
            archive: dates::ArchiveValues::default(),
            paginated_items: false,
            kept: Vec::new(),
        }
    }
}

impl ListItems {
    /// The list items of the articles of `site`: their cards, made anew
    /// where `cached` (by an article's item version) has none.
    pub fn new(
        site: &Site,
        renderer: &Renderer,
        versions: &[u64],
        mut cached: impl FnMut(u64) -> Option<Value>,
    ) -> Result<ListItems, Vec<FileError>> {
        use rayon::prelude::*;
        let shared = views::SharedValues::new(site);
        let keep = site.articles.len() <= KEPT_ITEMS_UP_TO;
        let found: Vec<Option<Value>> = versions.iter().map(|&v| cached(v)).collect();
        // One value per article serves both its card and, kept, its item.
        let built: Vec<(Result<Value, FileError>, Option<Value>)> = found
            .into_par_iter()
            .enumerate()
            .map(|(i, found)| {
                let item =
                    (keep || found.is_none()).then(|| views::article_value(site, &shared, i, None));
                let card = match found {
                    Some(card) => Ok(card),
                    None => renderer.card(item.clone().unwrap_or_else(Value::none)),
                };
                (card, item.filter(|_| keep))
            })
            .collect();
        let mut errors = Vec::new();
        let mut cards = Vec::with_capacity(built.len());
        let mut items = ListItems {
            cards: RwLock::default(),
            shared,
            sidebar: Value::none(),
            archive: dates::ArchiveValues::new(site),
            paginated_items: renderer.names_items(),
            kept: Vec::with_capacity(if keep { built.len() } else { 0 }),
        };
        // Rendered once, as cards are: every listing page shows the same.
        let mut context = Context::new();
        context.insert_value("sidebar", listings::sidebar(site, Value::none()));
        match renderer.render(SIDEBAR_TEMPLATE, &context) {
            Ok(html) => items.sidebar = listings::sidebar(site, Value::safe_string(&html)),
            Err(e) => errors.push(e),
        }
        for (card, item) in built {
            match card {
                Ok(card) => cards.push(card),
                Err(e) => errors.push(e),
            }
            items.kept.extend(item);
        }
        items.cards = RwLock::new(cards);
        errors.dedup();
        if errors.is_empty() {
            Ok(items)
        } else {
            Err(errors)
        }
    }

    /// Article `index` as a listing shows it: kept, or made for the page
    /// that asks.
    pub fn item(&self, site: &Site, index: usize) -> Value {
        match self.kept.get(index) {
            Some(item) => item.clone(),
            None => views::article_value(site, &self.shared, index, None),
        }
    }

    /// Every article's card, by position.
    pub fn cards(&self) -> RwLockReadGuard<'_, Vec<Value>> {
        self.cards.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Lets go of the cards, in a write that is not kept, once every
    /// listing page is made: the article pages, made next, do not show
    /// them, and a large archive's cards are a large part of its memory.
    pub fn release_cards(&self) {
        *self.cards.write().unwrap_or_else(PoisonError::into_inner) = Vec::new();
    }

    /// Takes article `index`'s new card, and its new item when items are
    /// kept, after its metadata changed in place.
    pub fn replace(&mut self, index: usize, card: Value, item: Value) {
        self.cards.get_mut().unwrap_or_else(PoisonError::into_inner)[index] = card;
        if let Some(kept) = self.kept.get_mut(index) {
            *kept = item;
        }
    }
}

impl Renderer {
    /// The card of an article: its list item `item` through
    /// `partials/article_card.html`.
    pub fn card(&self, item: Value) -> Result<Value, FileError> {
        let mut context = Context::new();
        context.insert_value("item", item);
        // Turned into a value here, so the rendered string is freed at once.
        self.render(CARD_TEMPLATE, &context)
            .map(|html| Value::safe_string(&html))
    }
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_name_is_found_only_whole() {
        assert!(names("{% for item in paginator.items %}", "items"));
        assert!(names("items", "items"));
        assert!(names("{{ paginator[\"items\"] }}", "items"));
        assert!(!names("{% for item in line_items %}", "items"));
        assert!(!names("{{ itemsize }} {{ item }}", "items"));
        assert!(!names("", "items"));
    }
}
