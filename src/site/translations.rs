//! Articles that are translations of each other, in a site in several
//! languages: the same file name in each language (`budget.md`,
//! `budget.ru.md`, as Hugo names them) or the same `translation_key:`.
//! Each article page links to the others (`<link rel="alternate"
//! hreflang>` and the language switcher), and so do the sitemaps.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxBuildHasher;

use crate::content::Article;
use crate::diagnostics::{Warning, WarningKind};
use crate::hash::Signature;
use crate::site::Site;

/// One language's version of an article.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alternate {
    /// Its language, an index into the config's `languages`.
    pub language: u16,
    /// Its page's path on the whole site, under its language's prefix
    /// (`/ru/2025/03/07/budget/`).
    pub path: String,
}

/// The translations of every article of every language of a site.
#[derive(Debug, Default)]
pub struct Translations {
    /// The versions sharing each key, by language; only keys of two or
    /// more. (Keys are `key:` and the `translation_key`, or `file:` and the
    /// path, so that the two never meet.)
    groups: HashMap<String, Vec<Alternate>, FxBuildHasher>,
    /// The key of each article in a group, by its file as shown.
    keys: HashMap<PathBuf, String, FxBuildHasher>,
    /// Articles of one language with a key another already has.
    pub warnings: Vec<Warning>,
    /// A hash of every group: equal versions link the same pages.
    pub version: u64,
}

impl Translations {
    /// Finds the translations among the published articles of each
    /// language's site (`sites`, in the order of the config's languages).
    pub fn new<'a>(sites: impl IntoIterator<Item = &'a Site>, content_dir: &Path) -> Translations {
        let mut by_key: HashMap<String, Vec<(Alternate, &Path)>, FxBuildHasher> =
            HashMap::default();
        let mut warnings = Vec::new();
        for site in sites {
            let config = &site.config;
            // By file, so that which of two claims a key does not depend
            // on their dates.
            let mut articles: Vec<&Arc<Article>> = site.articles.iter().collect();
            articles.sort_by(|a, b| a.shown_path.cmp(&b.shown_path));
            for article in articles {
                let key = translation_key(article, config, content_dir);
                let versions = by_key.entry(key.clone()).or_default();
                match versions
                    .iter()
                    .find(|(a, _)| a.language == article.language)
                {
                    Some((_, linked)) => warnings.push(Warning {
                        kind: WarningKind::TranslationTwice {
                            key: key.split_once(':').map_or(&*key, |(_, k)| k).to_string(),
                            language: config.language.clone(),
                            linked: linked.to_path_buf(),
                        },
                        path: article.shown_path.clone(),
                        line: None,
                        column: None,
                    }),
                    None => versions.push((
                        Alternate {
                            language: article.language,
                            path: config.site_path_of(article),
                        },
                        &article.shown_path,
                    )),
                }
            }
        }
        let mut translations = Translations {
            warnings,
            ..Translations::default()
        };
        let mut keys: Vec<&String> = by_key.keys().collect();
        keys.sort();
        let mut signature = Signature::new("translations");
        for key in keys {
            let versions = &by_key[key];
            if versions.len() < 2 {
                continue;
            }
            let mut alternates: Vec<Alternate> = versions.iter().map(|(a, _)| a.clone()).collect();
            alternates.sort_by_key(|a| a.language);
            signature.add((key, &alternates));
            for (_, file) in versions {
                translations.keys.insert(file.to_path_buf(), key.clone());
            }
            translations.groups.insert(key.clone(), alternates);
        }
        translations.version = signature.finish();
        translations
    }

    /// The versions of an article in every language that has it, itself
    /// included, by language; empty when it has no translation.
    pub fn of(&self, article: &Article) -> &[Alternate] {
        self.keys
            .get(&article.shown_path)
            .and_then(|key| self.groups.get(key))
            .map_or(&[], Vec::as_slice)
    }
}

/// What an article's translations share: its `translation_key:`, else its
/// file's path under `content/` without the language and the extension
/// (`2025/budget` for `content/2025/budget.ru.md`; a bundle's folder).
fn translation_key(
    article: &Article,
    config: &crate::config::Config,
    content_dir: &Path,
) -> String {
    if let Some(key) = &article.front.more().translation_key {
        return format!("key:{key}");
    }
    let relative = article
        .file
        .strip_prefix(content_dir)
        .unwrap_or(&article.file);
    let named = if article.is_bundle {
        relative.parent().unwrap_or(relative).to_path_buf()
    } else {
        relative.with_extension("")
    };
    let path = crate::source::slash_path(Path::new(""), &named);
    let (folder, name) = match path.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), path.as_str()),
    };
    let (_, name) = config.language_of(name, None);
    format!("file:{folder}{name}")
}
