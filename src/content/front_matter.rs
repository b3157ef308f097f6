//! Front matter: splitting it from the body and reading it into typed fields.
//!
//! Migrated archives carry keys of other generators (`layout:`, `permalink:`),
//! `author` for `authors`, tags as one string: what can be read without
//! guessing is accepted, unknown keys become warnings, the rest are errors
//! located to the line in the file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use jiff::tz::TimeZone;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::date::ArticleDate;
use crate::diagnostics::{FileError, key_line};

mod flat;

/// The parts of an article file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter's text: YAML between `---` lines, or TOML between
    /// `+++` lines (Hugo's and Zola's default).
    pub yaml: &'a str,
    /// The text is TOML.
    pub toml: bool,
    /// Lines before the YAML text (the opening `---`), to shift YAML positions.
    pub yaml_line_offset: usize,
    /// Byte offset where the body starts.
    pub body_offset: usize,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Splits a file into front matter and body. `text` must already have had any
/// byte order mark removed.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, FileError> {
    if text.trim().is_empty() {
        return Err(FileError::at_line(
            path,
            1,
            "the file is empty; expected front matter between `---` lines, then the article",
        ));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    let first_trimmed = first.trim_end();
    let toml = first_trimmed == "+++";
    if first_trimmed != "---" && !toml {
        return Err(FileError::at_line(
            path,
            1,
            "no front matter: expected the file to start with a `---` line, then YAML such as `title:` and `date:`, then `---`",
        ));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        let trimmed = line.trim_end();
        let closes = if toml {
            trimmed == "+++"
        } else {
            trimmed == "---" || trimmed == "..."
        };
        if closes {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                toml,
                yaml_line_offset: 1,
                body_offset: offset + line.len(),
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(FileError::at_line(
        path,
        1,
        format!(
            "the front matter opened here is never closed: expected a line `{}` after it",
            if toml { "+++" } else { "---" }
        ),
    ))
}

/// Reads TOML front matter into the fields YAML front matter gives: the
/// TOML is turned into a YAML value (dates and times as RFC 3339 text), so
/// both are read by one set of rules. Errors are located to their line.
fn raw_from_toml(split: &Split, path: &Path) -> Result<RawFrontMatter, FileError> {
    let table: toml::Table = toml::from_str(split.yaml).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| {
            crate::diagnostics::line_col(split.yaml, span.start)
        });
        let message = e.message().trim().to_string();
        let mut error = FileError::at_line(path, line + split.yaml_line_offset, message);
        error.column = Some(column);
        error
    })?;
    let value = yaml_of_toml(toml::Value::Table(table.clone()));
    serde_yaml::from_value(value).map_err(|e| {
        // A value carries no place: find the key whose value is refused
        // by reading each alone.
        let culprit = table.into_iter().find_map(|(key, value)| {
            let alone = yaml_of_toml(toml::Value::Table(toml::Table::from_iter([(
                key.clone(),
                value,
            )])));
            serde_yaml::from_value::<RawFrontMatter>(alone)
                .err()
                .map(|e| (key, e))
        });
        match culprit {
            Some((key, e)) => {
                let line = key_line(split.yaml, &key).map_or(1, |l| l + split.yaml_line_offset);
                FileError::at_line(path, line, format!("{key}: {e}"))
            }
            None => FileError::at_line(path, 1 + split.yaml_line_offset, e.to_string()),
        }
    })
}

/// A TOML value as the YAML value that says the same.
fn yaml_of_toml(value: toml::Value) -> serde_yaml::Value {
    use serde_yaml::Value as Yaml;
    match value {
        toml::Value::String(s) => Yaml::String(s),
        toml::Value::Integer(i) => Yaml::Number(i.into()),
        toml::Value::Float(f) => Yaml::Number(f.into()),
        toml::Value::Boolean(b) => Yaml::Bool(b),
        toml::Value::Datetime(d) => Yaml::String(d.to_string()),
        toml::Value::Array(items) => Yaml::Sequence(items.into_iter().map(yaml_of_toml).collect()),
        toml::Value::Table(table) => Yaml::Mapping(
            table
                .into_iter()
                .map(|(k, v)| (Yaml::String(k), yaml_of_toml(v)))
                .collect(),
        ),
    }
}

/// Front matter as it is written, before validation.
#[derive(Debug, Default, PartialEq, Deserialize)]
struct RawFrontMatter {
    title: Option<String>,
    subtitle: Option<String>,
    #[serde(alias = "description")]
    summary: Option<String>,
    #[serde(default, deserialize_with = "names")]
    authors: Option<Vec<String>>,
    #[serde(default, deserialize_with = "names")]
    author: Option<Vec<String>>,
    #[serde(default, deserialize_with = "names")]
    tags: Option<Vec<String>>,
    #[serde(alias = "category")]
    section: Option<String>,
    slug: Option<String>,
    draft: Option<bool>,
    date: Option<String>,
    #[serde(alias = "lastmod")]
    updated: Option<String>,
    #[serde(rename = "publishDate", alias = "publishdate", alias = "pubdate")]
    publish_date: Option<String>,
    #[serde(rename = "expiryDate", alias = "expirydate")]
    expiry_date: Option<String>,
    #[serde(default, deserialize_with = "image")]
    image: Option<(String, Option<String>)>,
    #[serde(default, deserialize_with = "paths")]
    images: Option<Vec<String>>,
    image_caption: Option<String>,
    excerpt: Option<String>,
    #[serde(default, deserialize_with = "words")]
    categories: Option<Vec<String>>,
    #[serde(default, deserialize_with = "names")]
    keywords: Option<Vec<String>>,
    source: Option<String>,
    source_url: Option<String>,
    lang: Option<String>,
    #[serde(rename = "translation_key", alias = "translationKey")]
    translation_key: Option<String>,
    extra: Option<serde_yaml::Mapping>,
    #[serde(default, deserialize_with = "paths")]
    aliases: Option<Vec<String>>,
    #[serde(default, deserialize_with = "paths")]
    redirect_from: Option<Vec<String>>,
    #[serde(flatten)]
    unknown: BTreeMap<String, serde_yaml::Value>,
}

/// Reads Jekyll's `categories`: a list, or one string of names separated by
/// spaces.
fn words<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    Ok(paths(deserializer)?.map(|found| match &found[..] {
        [one] => one.split_whitespace().map(String::from).collect(),
        _ => found,
    }))
}

/// Reads a lead image: a path, or Jekyll's map (`image: {path: …, alt: …}`,
/// also `url` or `src`), as the path and the map's `alt`.
fn image<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<(String, Option<String>)>, D::Error> {
    struct Image;
    impl<'de> Visitor<'de> for Image {
        type Value = Option<(String, Option<String>)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an image path, or a map with `path` (and `alt`)")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Image)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some((v.to_string(), None)))
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let (mut path, mut alt) = (None, None);
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "path" | "url" | "src" => path = Some(map.next_value::<String>()?),
                    "alt" => alt = map.next_value::<Option<String>>()?,
                    _ => {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
            }
            let path = path.ok_or_else(|| de::Error::missing_field("path"))?;
            Ok(Some((path, alt)))
        }
    }
    deserializer.deserialize_any(Image)
}

/// Reads one path or a list of paths (Hugo's `aliases`, Jekyll's
/// `redirect_from`). Unlike names, a path is never split at commas.
fn paths<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    struct Paths;
    impl<'de> Visitor<'de> for Paths {
        type Value = Option<Vec<String>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a path such as /2019/06/old-url/, or a list of them")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Paths)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(vec![v.to_string()]))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(path) = seq.next_element::<String>()? {
                out.push(path);
            }
            Ok(Some(out))
        }
    }
    deserializer.deserialize_any(Paths)
}

/// Reads a string, or a list of strings, or a comma-separated string, into a
/// list of trimmed non-empty names. Null means absent.
fn names<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    struct Names;
    impl<'de> Visitor<'de> for Names {
        type Value = Option<Vec<String>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of names, or one string with names separated by commas")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Names)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            ))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(vec![v.to_string()]))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(vec![v.to_string()]))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<Option<String>>()? {
                if let Some(name) = item {
                    let name = name.trim();
                    if !name.is_empty() {
                        out.push(name.to_string());
                    }
                }
            }
            Ok(Some(out))
        }
    }
    deserializer.deserialize_any(Names)
}

/// Validated front matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// Headline.
    pub title: String,
    /// Standfirst under the headline.
    pub subtitle: Option<String>,
    /// Summary written by the author (`summary` or `description`).
    pub summary: Option<String>,
    /// Bylines, from `authors` and `author`.
    pub authors: Vec<String>,
    /// Tags, in the order written, without repeats.
    pub tags: Vec<String>,
    /// Section (`section` or `category`).
    pub section: Option<String>,
    /// Slug set by the author, before normalisation.
    pub slug: Option<String>,
    /// Left out of builds unless drafts are asked for.
    pub draft: bool,
    /// Publication date, when the front matter has one.
    pub date: Option<ArticleDate>,
    /// Date of the last update.
    pub updated: Option<ArticleDate>,
    /// What most articles leave out, when this one has some of it.
    pub(crate) more: Option<Box<MoreFrontMatter>>,
}

/// The front matter most articles leave out, kept apart: an article with
/// none of it costs one pointer for all of it, in an archive of a million.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MoreFrontMatter {
    /// After this date the article is left out (Hugo's `expiryDate`).
    pub expires: Option<ArticleDate>,
    /// Lead image path or URL.
    pub image: Option<String>,
    /// Caption of the lead image.
    pub image_caption: Option<String>,
    /// Name of the original source (wire service, paper).
    pub source: Option<String>,
    /// Link to the original source.
    pub source_url: Option<String>,
    /// The article's language (`lang`), when it is not the site's: a
    /// language tag such as `ru` or `pt-BR`. (Not `language`: archives use
    /// that key for names such as `Português`, which stays an unknown key.)
    pub lang: Option<String>,
    /// What the article's translations share (`translation_key`, Hugo's
    /// `translationKey`), when not its file name without the language.
    pub translation_key: Option<String>,
    /// Free map passed to templates.
    pub extra: Option<serde_yaml::Mapping>,
    /// Old paths that redirect to the article (`aliases`, `redirect_from`),
    /// as written, each with the line of its key in the file.
    pub aliases: Vec<(String, usize)>,
    /// Keys broadsheet does not know, with their line in the file.
    pub unknown_keys: Vec<(String, usize)>,
}

/// What an article without any of [`MoreFrontMatter`] has.
static NO_MORE: MoreFrontMatter = MoreFrontMatter {
    expires: None,
    image: None,
    image_caption: None,
    source: None,
    source_url: None,
    lang: None,
    translation_key: None,
    extra: None,
    aliases: Vec::new(),
    unknown_keys: Vec::new(),
};

/// Explains a failed parse: front matter that is not a mapping gets its own
/// message; any other error is serde_yaml's, moved to its line in the file.
fn shape_error(split: &Split, path: &Path, error: &serde_yaml::Error) -> FileError {
    let kind = match serde_yaml::from_str::<serde_yaml::Value>(split.yaml) {
        Ok(serde_yaml::Value::Sequence(_)) => "a list",
        Ok(serde_yaml::Value::Mapping(_)) | Err(_) => {
            let mut located = FileError::from_yaml(path, error, split.yaml_line_offset);
            // serde names the mapping for a repeated key: name the repeat.
            if let Some(key) = located
                .message
                .strip_prefix("duplicate field `")
                .and_then(|rest| rest.split('`').next())
                && let Some(line) = second_key_line(split.yaml, key)
            {
                located.line = line + split.yaml_line_offset;
                located.column = Some(1);
            }
            return located;
        }
        Ok(_) => "a single value",
    };
    FileError::at_line(
        path,
        1 + split.yaml_line_offset,
        format!(
            "front matter is {kind}; expected a mapping of keys such as `title: …` and `date: …`"
        ),
    )
}

/// The 1-based line where a top-level key is written a second time.
fn second_key_line(yaml: &str, key: &str) -> Option<usize> {
    let first = key_line(yaml, key)?;
    let rest: String = yaml.lines().skip(first).collect::<Vec<_>>().join("\n");
    key_line(&rest, key).map(|line| line + first)
}

/// Parses the YAML of a split file. Every problem found is returned, each
/// located to its line in the file.
pub fn parse(split: &Split, path: &Path, zone: &TimeZone) -> Result<FrontMatter, Vec<FileError>> {
    let line_of = |key: &str| key_line(split.yaml, key).map_or(1, |l| l + split.yaml_line_offset);
    let raw: RawFrontMatter = if split.yaml.trim().is_empty() {
        RawFrontMatter::default()
    } else if split.toml {
        raw_from_toml(split, path).map_err(|e| vec![e])?
    } else {
        // Parsed once, typed; only a failure is looked at again, to say
        // whether the front matter was a list or a value instead of a mapping.
        match flat::from_flat(split.yaml).map_or_else(|| serde_yaml::from_str(split.yaml), Ok) {
            Ok(raw) => raw,
            // Only comments: as empty as no front matter keys at all.
            Err(_)
                if matches!(
                    serde_yaml::from_str(split.yaml),
                    Ok(serde_yaml::Value::Null)
                ) =>
            {
                RawFrontMatter::default()
            }
            Err(e) => return Err(vec![shape_error(split, path, &e)]),
        }
    };

    let mut errors = Vec::new();
    let title = match raw.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t.to_string(),
        Some(_) => {
            errors.push(FileError::at_line(
                path,
                line_of("title"),
                "`title` is empty; expected the headline",
            ));
            String::new()
        }
        None => {
            errors.push(FileError::at_line(
                path,
                1,
                "missing `title`: expected a line such as `title: Parliament passes the budget`",
            ));
            String::new()
        }
    };
    let mut read_date = |key: &str, value: Option<String>| {
        let value = value?;
        match ArticleDate::parse(&value, zone) {
            Ok(d) => Some(d),
            Err(message) => {
                errors.push(FileError::at_line(
                    path,
                    line_of(key),
                    format!("`{key}`: {message}"),
                ));
                None
            }
        }
    };
    // Hugo's `publishDate` dates an article that has no `date`.
    let date = match raw.date {
        Some(date) => read_date("date", Some(date)),
        None => read_date("publishDate", raw.publish_date),
    };
    let expires = read_date("expiryDate", raw.expiry_date);
    // Named as written in messages; looked for only when there is one.
    let updated_key = if raw.updated.is_some() && key_line(split.yaml, "lastmod").is_some() {
        "lastmod"
    } else {
        "updated"
    };
    let updated = read_date(updated_key, raw.updated);
    let lang = non_empty(raw.lang).map(|tag| tag.trim().to_string());
    if let Some(tag) = lang.as_deref().filter(|t| !crate::i18n::is_language_tag(t)) {
        errors.push(FileError::at_line(
            path,
            line_of("lang"),
            format!(
                "`lang`: `{}` is not a language tag; expected one such as `en`, `pt-BR` or `zh-Hant`",
                tag.escape_debug()
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut authors = raw.authors.unwrap_or_default();
    authors.extend(raw.author.unwrap_or_default());
    dedup_keep_order(&mut authors);
    // Hugo's `keywords` tag an article that has no `tags`; Jekyll's
    // `categories` give the section (the first, when there is none) and
    // the tags (the others).
    let mut tags = raw.tags.or(raw.keywords).unwrap_or_default();
    let mut section = non_empty(raw.section);
    let mut categories = raw.categories.unwrap_or_default().into_iter();
    if section.is_none() {
        section = categories.next();
    }
    tags.extend(categories);
    dedup_keep_order(&mut tags);
    let (image, image_alt) = match raw.image {
        Some((path, alt)) => (non_empty(Some(path)), alt),
        None => (raw.images.and_then(|i| i.into_iter().next()), None),
    };
    let mut aliases = Vec::new();
    for (key, paths) in [
        ("aliases", raw.aliases),
        ("redirect_from", raw.redirect_from),
    ] {
        let line = line_of(key);
        aliases.extend(
            paths
                .unwrap_or_default()
                .into_iter()
                .map(|path| path.trim().to_string())
                .filter(|path| !path.is_empty())
                .map(|path| (path, line)),
        );
    }
    let unknown_keys = raw
        .unknown
        .into_keys()
        .map(|key| {
            let line = line_of(&key);
            (key, line)
        })
        .collect();
    Ok(FrontMatter {
        title,
        subtitle: non_empty(raw.subtitle),
        summary: non_empty(raw.summary.or(raw.excerpt)),
        authors,
        tags,
        section,
        slug: non_empty(raw.slug),
        draft: raw.draft.unwrap_or(false),
        date,
        updated,
        more: None,
    }
    .with_more(MoreFrontMatter {
        expires,
        image: non_empty(image),
        image_caption: non_empty(raw.image_caption.or(image_alt)),
        source: non_empty(raw.source),
        source_url: non_empty(raw.source_url),
        lang,
        translation_key: non_empty(raw.translation_key).map(|key| key.trim().to_string()),
        extra: raw.extra,
        aliases,
        unknown_keys,
    }))
}

impl FrontMatter {
    /// The front matter most articles leave out.
    pub fn more(&self) -> &MoreFrontMatter {
        self.more.as_deref().unwrap_or(&NO_MORE)
    }

    /// The front matter with `more`, kept only when it holds something.
    pub fn with_more(mut self, more: MoreFrontMatter) -> FrontMatter {
        self.more = (more != NO_MORE).then(|| Box::new(more));
        self
    }

    /// Gives the headline, standfirst, summary and caption the punctuation
    /// bodies get from Markdown ([`crate::markdown::smart_punctuation`]).
    pub fn smarten(&mut self) {
        use crate::markdown::smart_punctuation;
        self.title = smart_punctuation(&self.title);
        let caption = self.more.as_deref_mut().map(|m| &mut m.image_caption);
        for text in [&mut self.subtitle, &mut self.summary]
            .into_iter()
            .chain(caption)
            .flatten()
        {
            *text = smart_punctuation(text);
        }
    }

    /// Removes [forbidden control characters](crate::escape::is_forbidden_control)
    /// from every text field; returns the keys of the fields that had some.
    pub fn remove_controls(&mut self) -> Vec<&'static str> {
        use crate::escape::remove_controls;
        let mut cleaned = Vec::new();
        let mut clean = |key: &'static str, text: &mut String| {
            if remove_controls(text) && !cleaned.contains(&key) {
                cleaned.push(key);
            }
        };
        clean("title", &mut self.title);
        let more = self.more.as_deref_mut();
        let (mut image, mut caption, mut source, mut source_url, extra) = match more {
            Some(m) => (
                m.image.as_mut(),
                m.image_caption.as_mut(),
                m.source.as_mut(),
                m.source_url.as_mut(),
                m.extra.as_mut(),
            ),
            None => (None, None, None, None, None),
        };
        for (key, field) in [
            ("subtitle", self.subtitle.as_mut()),
            ("summary", self.summary.as_mut()),
            ("section", self.section.as_mut()),
            ("slug", self.slug.as_mut()),
            ("image", image.take()),
            ("image_caption", caption.take()),
            ("source", source.take()),
            ("source_url", source_url.take()),
        ] {
            if let Some(text) = field {
                clean(key, text);
            }
        }
        for name in &mut self.authors {
            clean("authors", name);
        }
        for name in &mut self.tags {
            clean("tags", name);
        }
        if let Some(extra) = extra
            && remove_controls_in_yaml(extra)
        {
            cleaned.push("extra");
        }
        // A name that was only control characters is no name.
        self.authors.retain(|n| !n.trim().is_empty());
        self.tags.retain(|n| !n.trim().is_empty());
        cleaned
    }
}

/// Removes forbidden control characters from every string of a YAML map,
/// keys included; true when there were some.
fn remove_controls_in_yaml(map: &mut serde_yaml::Mapping) -> bool {
    use crate::escape::{remove_controls, without_controls};
    use serde_yaml::Value;
    fn value(v: &mut Value) -> bool {
        match v {
            Value::String(s) => remove_controls(s),
            Value::Sequence(items) => items.iter_mut().fold(false, |any, i| value(i) | any),
            Value::Mapping(map) => remove_controls_in_yaml(map),
            Value::Tagged(tagged) => value(&mut tagged.value),
            _ => false,
        }
    }
    let mut any = false;
    let entries: Vec<(Value, Value)> = std::mem::take(map).into_iter().collect();
    for (mut key, mut v) in entries {
        if let Value::String(k) = &key
            && let std::borrow::Cow::Owned(clean) = without_controls(k)
        {
            key = Value::String(clean);
            any = true;
        }
        any |= value(&mut v);
        map.insert(key, v);
    }
    any
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Removes repeats, keeping the first spelling and the written order.
fn dedup_keep_order(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> &'static Path {
        Path::new("content/a.md")
    }

    fn parse_text(text: &str) -> Result<FrontMatter, Vec<FileError>> {
        let split = split(text, path()).map_err(|e| vec![e])?;
        parse(&split, path(), &TimeZone::UTC)
    }

    #[test]
    fn splits_front_matter_from_body() {
        let text = "---\ntitle: A\n---\nBody\n";
        let s = split(text, path()).unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(&text[s.body_offset..], "Body\n");
        assert_eq!(s.body_line, 4);
        let crlf = "---\r\ntitle: A\r\n---\r\nBody";
        let s = split(crlf, path()).unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(&crlf[s.body_offset..], "Body");
    }

    #[test]
    fn split_errors_are_clear() {
        let e = split("", path()).unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = split("# Just markdown\n", path()).unwrap_err();
        assert!(e.message.contains("no front matter"), "{e}");
        let e = split("---\ntitle: A\nbody\n", path()).unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
        let s = split("+++\ntitle = 'A'\n+++\nBody", path()).unwrap();
        assert!(s.toml);
        assert_eq!(s.yaml, "title = 'A'\n");
        let e = split("+++\ntitle = 'A'\n---\n", path()).unwrap_err();
        assert!(e.message.contains("expected a line `+++`"), "{e}");
    }

    #[test]
    fn reads_every_field_and_alias() {
        let fm = parse_text(
            "---\ntitle: \" Headline \"\nsubtitle: Standfirst\ndescription: Short\nauthor: Ana Lima\nauthors: [Bo Chen, Ana Lima]\ntags: Russia, Venezuela ,, diplomacy\ncategory: World\nslug: My Slug\ndraft: true\ndate: 2025-03-17\nlastmod: 2025-03-18T09:00:00Z\nimage: lead.jpg\nimage_caption: A caption\nsource: Wire\nsource_url: https://example.org/x\nextra: {rating: 5}\n---\n",
        )
        .unwrap();
        assert_eq!(fm.title, "Headline");
        assert_eq!(fm.subtitle.as_deref(), Some("Standfirst"));
        assert_eq!(fm.summary.as_deref(), Some("Short"));
        assert_eq!(fm.authors, vec!["Bo Chen", "Ana Lima"]);
        assert_eq!(fm.tags, vec!["Russia", "Venezuela", "diplomacy"]);
        assert_eq!(fm.section.as_deref(), Some("World"));
        assert_eq!(fm.slug.as_deref(), Some("My Slug"));
        assert!(fm.draft);
        assert_eq!(fm.date.unwrap().date().to_string(), "2025-03-17");
        assert_eq!(fm.updated.unwrap().date().to_string(), "2025-03-18");
        assert!(fm.more().extra.is_some());
        assert!(fm.more().unknown_keys.is_empty());
    }

    #[test]
    fn null_optional_fields_are_absent() {
        let fm =
            parse_text("---\ntitle: A\nsubtitle: ~\ntags:\nauthor: null\nsection: \"\"\n---\n")
                .unwrap();
        assert_eq!(fm.subtitle, None);
        assert!(fm.tags.is_empty());
        assert!(fm.authors.is_empty());
        assert_eq!(fm.section, None);
    }

    #[test]
    fn tag_lists_accept_numbers_and_skip_nulls() {
        let fm = parse_text("---\ntitle: A\ntags: [2024, ~, election, election]\n---\n").unwrap();
        assert_eq!(fm.tags, vec!["2024", "election"]);
    }

    #[test]
    fn unknown_keys_are_reported_with_lines() {
        let fm = parse_text("---\nlayout: post\ntitle: A\npermalink: /x/\n---\n").unwrap();
        assert_eq!(
            fm.more().unknown_keys,
            vec![("layout".to_string(), 2), ("permalink".to_string(), 4)]
        );
    }

    #[test]
    fn errors_carry_the_line_in_the_file() {
        let errs = parse_text("---\ntitle: A\ntags: {a: 1}\n---\n").unwrap_err();
        assert_eq!(errs[0].line, 3, "{}", errs[0]);
        assert!(errs[0].message.contains("tags"), "{}", errs[0]);

        let errs = parse_text("---\ntitle: A\ndate: 17/03/2025\n---\n").unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert!(errs[0].message.contains("17/03/2025"), "{}", errs[0]);

        let errs = parse_text("---\ntitle: A\n  bad: : x\n---\n").unwrap_err();
        assert_eq!(errs[0].line, 3, "{}", errs[0]);

        let errs = parse_text("---\n# only a comment\n---\n").unwrap_err();
        assert!(errs[0].message.contains("missing `title`"), "{}", errs[0]);

        let errs = parse_text("---\n- a\n- b\n---\n").unwrap_err();
        assert!(errs[0].message.contains("a list"), "{}", errs[0]);

        let errs = parse_text("---\ndate: 2025-01-01\n---\n").unwrap_err();
        assert!(errs[0].message.contains("missing `title`"), "{}", errs[0]);

        let errs = parse_text("---\ntitle: A\ndraft: maybe\n---\n").unwrap_err();
        assert_eq!(errs[0].line, 3);
    }

    #[test]
    fn title_and_date_errors_are_both_reported() {
        let errs = parse_text("---\ntitle: \"  \"\ndate: soon\n---\n").unwrap_err();
        assert_eq!(errs.len(), 2);
    }
}
