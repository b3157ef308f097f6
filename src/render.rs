//! Rendering: the tera templates, the built-in theme they fall back to, and
//! the values each template receives.
//!
//! Every variable a template can use is listed in `docs/templates.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Tera};

use crate::config::Config;
use crate::content::Article;
use crate::content::date::ArticleDate;
use crate::content::slug::slugify;
use crate::diagnostics::FileError;
use crate::markdown;

/// Name of the templates folder inside the site folder.
pub const TEMPLATES_DIR: &str = "templates";

/// The built-in theme, compiled into the binary. A site's own template of the
/// same name replaces one file, and the rest still come from here.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("theme/templates/base.html")),
    ("article.html", include_str!("theme/templates/article.html")),
    ("index.html", include_str!("theme/templates/index.html")),
    (
        "partials/masthead.html",
        include_str!("theme/templates/partials/masthead.html"),
    ),
    (
        "partials/head_extra.html",
        include_str!("theme/templates/partials/head_extra.html"),
    ),
    (
        "partials/footer.html",
        include_str!("theme/templates/partials/footer.html"),
    ),
    (
        "partials/article_card.html",
        include_str!("theme/templates/partials/article_card.html"),
    ),
];

/// Static files of the built-in theme, written unless the site's `static/`
/// has a file of the same name.
pub const BUILTIN_STATIC: &[(&str, &str)] =
    &[("theme.css", include_str!("theme/static/theme.css"))];

/// The compiled templates, ready to render pages on any thread.
pub struct Renderer {
    tera: Tera,
    /// Template names that came from the site's folder, to name them in errors.
    site_templates: Vec<String>,
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
    pub fn new(site_dir: &Path, config: &Config) -> Result<Renderer, Vec<FileError>> {
        let dir = site_dir.join(TEMPLATES_DIR);
        let mut sources: BTreeMap<String, String> = BTreeMap::new();
        let mut errors = Vec::new();
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                })
            {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        let path = e
                            .path()
                            .map(Path::to_path_buf)
                            .unwrap_or_else(|| dir.clone());
                        errors.push(FileError::at_line(
                            crate::content::shown(site_dir, &path),
                            1,
                            e.to_string(),
                        ));
                        continue;
                    }
                };
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = template_name(&dir, entry.path());
                let shown = crate::content::shown(site_dir, entry.path());
                match std::fs::read(entry.path()).map(String::from_utf8) {
                    Ok(Ok(text)) => {
                        sources.insert(name, text);
                    }
                    Ok(Err(_)) => errors.push(FileError::at_line(
                        shown,
                        1,
                        "the template is not valid UTF-8",
                    )),
                    Err(e) => {
                        errors.push(FileError::at_line(shown, 1, format!("cannot read: {e}")))
                    }
                }
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
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        let mut renderer = Renderer {
            tera: Tera::new(),
            site_templates,
        };
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            return Err(vec![renderer.template_error(&e)]);
        }
        tera.global_context().insert("site", &SiteView::new(config));
        renderer.tera = tera;
        Ok(renderer)
    }

    /// Renders an article page from its metadata and its body's HTML.
    pub fn article_page(
        &self,
        config: &Config,
        article: &Article,
        body_html: &str,
    ) -> Result<String, FileError> {
        let mut context = Context::new();
        context.insert(
            "article",
            &ArticleView::new(config, article, Some(body_html)),
        );
        self.render("article.html", &context)
    }

    /// Renders the home page from the newest articles.
    pub fn home_page(&self, config: &Config, newest: &[Article]) -> Result<String, FileError> {
        let items: Vec<ArticleView> = newest
            .iter()
            .map(|a| ArticleView::new(config, a, None))
            .collect();
        let mut context = Context::new();
        context.insert("articles", &items);
        self.render("index.html", &context)
    }

    fn render(&self, template: &str, context: &Context) -> Result<String, FileError> {
        self.tera
            .render(template, context)
            .map_err(|e| self.template_error(&e))
    }

    /// Locates a tera error in its template file.
    fn template_error(&self, error: &tera::Error) -> FileError {
        let shown = |name: &str| -> PathBuf {
            if self.site_templates.iter().any(|t| t == name) {
                Path::new(TEMPLATES_DIR).join(name)
            } else {
                PathBuf::from(format!("(built-in theme) {name}"))
            }
        };
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

/// A template's name: its path under `templates/`, with `/` separators.
fn template_name(dir: &Path, file: &Path) -> String {
    file.strip_prefix(dir)
        .unwrap_or(file)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `site` in every template.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    extra: &'a serde_yaml::Mapping,
}

impl<'a> SiteView<'a> {
    fn new(config: &'a Config) -> Self {
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: config.base_url.as_str(),
            base_path: config.base_url.path(),
            language: &config.language,
            extra: &config.extra,
        }
    }
}

/// A date as templates see it, formatted once in Rust.
#[derive(Serialize)]
struct DateView {
    /// RFC 3339 with the author's offset, for `<time datetime>`.
    iso: String,
    /// `17 March 2025`.
    display: String,
    year: String,
    month: String,
    day: String,
}

impl DateView {
    fn new(date: &ArticleDate) -> Self {
        let day = date.date();
        DateView {
            iso: date.rfc3339(),
            display: date.display(),
            year: format!("{:04}", day.year()),
            month: format!("{:02}", day.month()),
            day: format!("{:02}", day.day()),
        }
    }
}

/// A tag, author or section with its link.
#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    slug: String,
    url: String,
}

impl<'a> TermView<'a> {
    fn new(config: &Config, taxonomy: &str, name: &'a str) -> Self {
        let slug = slugify(name);
        let url = config.base_url.link(&format!("/{taxonomy}/{slug}/"));
        TermView { name, slug, url }
    }
}

/// `article` on article pages, and each item of a listing (without `content`).
#[derive(Serialize)]
struct ArticleView<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    url: String,
    permalink: String,
    date: DateView,
    updated: Option<DateView>,
    authors: Vec<TermView<'a>>,
    tags: Vec<TermView<'a>>,
    section: Option<TermView<'a>>,
    summary: &'a str,
    summary_text: &'a str,
    content: Option<&'a str>,
    word_count: usize,
    reading_time: usize,
    image: Option<String>,
    image_caption: Option<&'a str>,
    source: Option<&'a str>,
    source_url: Option<&'a str>,
    draft: bool,
    extra: Option<&'a serde_yaml::Mapping>,
}

impl<'a> ArticleView<'a> {
    fn new(config: &Config, article: &'a Article, content: Option<&'a str>) -> Self {
        let front = &article.front;
        let url = config.base_url.link(&article.url);
        // A relative image path names a file of the article's bundle.
        let image = front.image.as_deref().map(|image| {
            if image.contains("://") || image.starts_with('/') || image.starts_with("data:") {
                if image.starts_with('/') && !image.starts_with("//") {
                    config.base_url.link(image)
                } else {
                    image.to_string()
                }
            } else {
                format!("{url}{image}")
            }
        });
        ArticleView {
            title: &front.title,
            subtitle: front.subtitle.as_deref(),
            permalink: config.base_url.absolute(&article.url),
            url,
            date: DateView::new(&article.date),
            updated: front.updated.as_ref().map(DateView::new),
            authors: front
                .authors
                .iter()
                .map(|n| TermView::new(config, "authors", n))
                .collect(),
            tags: front
                .tags
                .iter()
                .map(|n| TermView::new(config, "tags", n))
                .collect(),
            section: front
                .section
                .as_deref()
                .map(|n| TermView::new(config, "sections", n)),
            summary: &article.summary.html,
            summary_text: &article.summary.text,
            content,
            word_count: article.word_count,
            reading_time: markdown::reading_time(article.word_count),
            image,
            image_caption: front.image_caption.as_deref(),
            source: front.source.as_deref(),
            source_url: front.source_url.as_deref(),
            draft: front.draft,
            extra: front.extra.as_ref(),
        }
    }
}
