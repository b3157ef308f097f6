//! A fast reader for the shape nearly all front matter has: one `key:
//! value` per line, values plain or quoted on one line, lists as `[a, b]`
//! or as `- item` lines. It gives serde exactly what serde_yaml gives for
//! the same text, or nothing, and the caller then asks serde_yaml: anything
//! it is not sure of (nested maps, block scalars, anchors, escapes, numbers,
//! a type error) goes there, with serde_yaml's messages.
//!
//! Reading front matter is the first stage of every build, and libyaml's
//! parser was its largest cost (about 15 % of it for 100,000 articles).
//! `tests` below prove the two equal on generated front matter.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// `yaml` read as a `T` when it has the flat shape and serde_yaml would
/// read it the same; `None` otherwise.
pub fn from_flat<'a, T: Deserialize<'a>>(yaml: &'a str) -> Option<T> {
    let entries = entries(yaml)?;
    if entries.is_empty() {
        return None;
    }
    T::deserialize(MapDe {
        entries: entries.into_iter(),
        value: None,
    })
    .ok()
}

/// A scalar as written: its text, and whether it was plain (unquoted),
/// which YAML then reads as null, a boolean or a number when it looks so.
#[derive(Debug, Clone, PartialEq)]
struct Scalar<'a> {
    text: Cow<'a, str>,
    plain: bool,
}

/// A value of the flat shape.
#[derive(Debug, Clone, PartialEq)]
enum Value<'a> {
    /// `key:` with nothing after it.
    Null,
    Scalar(Scalar<'a>),
    List(Vec<Scalar<'a>>),
}

/// The keys and values of `yaml`, or `None` when it is not of the flat shape.
fn entries(yaml: &str) -> Option<Vec<(&str, Value<'_>)>> {
    // Characters YAML refuses (controls were removed before): serde_yaml
    // says where they are.
    // libyaml also breaks lines at U+2028 and U+2029.
    if yaml.chars().any(|c| {
        matches!(
            c,
            '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
    }) {
        return None;
    }
    let mut entries: Vec<(&str, Value)> = Vec::new();
    // The key whose value is the `- item` lines that follow, and their indent.
    let mut open_list: Option<Option<usize>> = None;
    for line in yaml.lines() {
        let content = line.trim_end_matches([' ', '\r']);
        if content.contains('\t') {
            return None;
        }
        let trimmed = content.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = content.len() - trimmed.len();
        if let Some(item) = trimmed
            .strip_prefix("- ")
            .or((trimmed == "-").then_some(""))
        {
            let indent_so_far = open_list.as_mut()?;
            if *indent_so_far.get_or_insert(indent) != indent {
                return None;
            }
            let scalar = scalar(item.trim_start_matches(' '), false)?;
            match entries.last_mut() {
                Some((_, Value::List(items))) => items.push(scalar),
                Some((_, value @ Value::Null)) => *value = Value::List(vec![scalar]),
                _ => return None,
            }
            continue;
        }
        if indent > 0 || content.starts_with("---") || content.starts_with("...") {
            return None;
        }
        let (key, rest) = content.split_once(':')?;
        let repeated = entries.iter().any(|(k, _)| *k == key);
        if !is_plain_key(key) || repeated || !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        let rest = rest.trim_start_matches(' ');
        open_list = None;
        let value = if rest.is_empty() {
            // A null, unless `- item` lines follow.
            open_list = Some(None);
            Value::Null
        } else if let Some(inner) = rest.strip_prefix('[') {
            Value::List(flow_list(inner)?)
        } else {
            Value::Scalar(scalar(rest, false)?)
        };
        entries.push((key, value));
    }
    Some(entries)
}

/// A key YAML reads as a plain string: letters, digits, `_` and `-`, and
/// not a word it reads as null or a boolean.
fn is_plain_key(key: &str) -> bool {
    let typed = matches!(
        key,
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    );
    !typed
        && key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// One scalar taking the whole of `text` (trailing spaces gone), in block
/// context or, with `flow`, inside `[ ]`.
fn scalar(text: &str, flow: bool) -> Option<Scalar<'_>> {
    if let Some(inner) = text.strip_prefix('"') {
        // Escapes are serde_yaml's to read.
        let inner = inner.strip_suffix('"')?;
        if inner.contains(['"', '\\']) {
            return None;
        }
        return Some(Scalar {
            text: Cow::Borrowed(inner),
            plain: false,
        });
    }
    if let Some(inner) = text.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'')?;
        if inner.replace("''", "").contains('\'') {
            return None;
        }
        let text = if inner.contains("''") {
            Cow::Owned(inner.replace("''", "'"))
        } else {
            Cow::Borrowed(inner)
        };
        return Some(Scalar { text, plain: false });
    }
    let starts_badly = text.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`',
    ]);
    let flow_breaks = flow && text.contains([',', '[', ']', '{', '}']);
    if text.is_empty()
        || starts_badly
        || flow_breaks
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
    {
        return None;
    }
    Some(Scalar {
        text: Cow::Borrowed(text),
        plain: true,
    })
}

/// The items of a one-line flow list, `inner` being what follows its `[`.
fn flow_list(inner: &str) -> Option<Vec<Scalar<'_>>> {
    let inner = inner.strip_suffix(']')?.trim_matches(' ');
    if inner.is_empty() {
        return Some(Vec::new());
    }
    let mut items = Vec::new();
    let mut rest = inner;
    loop {
        // A quoted item may hold commas: it ends at its closing quote.
        let end = match rest.chars().next()? {
            quote @ ('"' | '\'') => rest[1..].find(quote)? + 2,
            _ => rest.find(',').unwrap_or(rest.len()),
        };
        items.push(scalar(rest[..end].trim_end_matches(' '), true)?);
        let after = rest[end..].trim_start_matches(' ');
        if after.is_empty() {
            return Some(items);
        }
        rest = after.strip_prefix(',')?.trim_start_matches(' ');
        if rest.is_empty() {
            return None;
        }
    }
}

/// Why the fast reader gives up: the caller asks serde_yaml instead.
#[derive(Debug)]
struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not the flat shape")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

/// The front matter as a map.
struct MapDe<'a> {
    entries: std::vec::IntoIter<(&'a str, Value<'a>)>,
    value: Option<Value<'a>>,
}

impl<'de> Deserializer<'de> for MapDe<'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> MapAccess<'de> for MapDe<'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, GiveUp> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        match self.value.take().ok_or(GiveUp)? {
            Value::Null => seed.deserialize(ScalarDe(Scalar {
                text: Cow::Borrowed(""),
                plain: true,
            })),
            Value::Scalar(scalar) => seed.deserialize(ScalarDe(scalar)),
            Value::List(items) => seed.deserialize(ListDe(items.into_iter())),
        }
    }
}

/// One scalar, typed as serde_yaml types it: a plain `null`, `~` or
/// nothing is null, a plain `true` or `false` (any case serde_yaml takes)
/// a boolean; a plain number gives up (numbers are rare in front matter,
/// and YAML's forms of them many); anything else is a string.
struct ScalarDe<'a>(Scalar<'a>);

impl ScalarDe<'_> {
    fn is_null(&self) -> bool {
        self.0.plain && matches!(&*self.0.text, "" | "~" | "null" | "Null" | "NULL")
    }
}

/// True when YAML could read a plain scalar as a number.
fn may_be_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    text.strip_prefix('+')
        .unwrap_or(text)
        .parse::<f64>()
        .is_ok()
        || unsigned.starts_with("0x")
        || unsigned.starts_with("0o")
        || unsigned.starts_with("0b")
        || unsigned.starts_with('.')
}

impl<'de> Deserializer<'de> for ScalarDe<'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        if self.is_null() {
            return visitor.visit_unit();
        }
        let Scalar { text, plain } = self.0;
        if plain {
            match &*text {
                "true" | "True" | "TRUE" => return visitor.visit_bool(true),
                "false" | "False" | "FALSE" => return visitor.visit_bool(false),
                number if may_be_number(number) => return Err(GiveUp),
                _ => {}
            }
        }
        match text {
            Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
            Cow::Owned(text) => visitor.visit_string(text),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A list of scalars.
struct ListDe<'a>(std::vec::IntoIter<Scalar<'a>>);

impl<'de> Deserializer<'de> for ListDe<'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_seq(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> SeqAccess<'de> for ListDe<'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, GiveUp> {
        self.0
            .next()
            .map(|scalar| seed.deserialize(ScalarDe(scalar)))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::RawFrontMatter;
    use proptest::prelude::*;

    /// Both readers on `yaml`: the fast one may give up, never differ.
    fn agree(yaml: &str) -> Result<bool, TestCaseError> {
        let slow_value = serde_yaml::from_str::<serde_yaml::Value>(yaml);
        if let Some(fast) = from_flat::<serde_yaml::Value>(yaml) {
            prop_assert_eq!(Some(&fast), slow_value.as_ref().ok(), "{:?}", yaml);
        }
        let slow = serde_yaml::from_str::<RawFrontMatter>(yaml);
        match from_flat::<RawFrontMatter>(yaml) {
            Some(fast) => {
                prop_assert_eq!(Some(&fast), slow.as_ref().ok(), "{:?}", yaml);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    const KEYS: &[&str] = &[
        "title",
        "subtitle",
        "date",
        "tags",
        "authors",
        "author",
        "draft",
        "slug",
        "lang",
        "summary",
        "image",
        "section",
        "aliases",
        "categories",
        "keywords",
        "extra",
        "layout",
        "x-custom",
        "_under",
        "true",
        "null",
        "Title",
    ];

    const WORDS: &[&str] = &[
        "Budget passes",
        "true",
        "False",
        "TRUE",
        "null",
        "~",
        "yes",
        "no",
        "on",
        "0123",
        "123",
        "-5",
        "+7",
        "1e3",
        ".5",
        "0x1F",
        "0o17",
        "0b11",
        "1_000",
        "inf",
        "nan",
        ".inf",
        "-.Inf",
        ".NaN",
        "2025-03-07",
        "2025-03-07T10:00:00Z",
        "10:30",
        "a: b",
        "a #b",
        "a#b",
        "http://x.org/a:b",
        "#c",
        "-a",
        "- a",
        "[x]",
        "{x}",
        "&a",
        "*a",
        "!t",
        "|",
        ">",
        "%x",
        "@x",
        "`x",
        "x,y",
        "é ü 中文",
        "it's",
        "say \"hi\"",
        "back\\slash",
        "x:",
        "?x",
        ":x",
        "a  b",
        "Ünïcödé",
        "",
    ];

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(WORDS).prop_map(str::to_string),
            "[a-zA-Z0-9 ,:#'\"\\\\.\\-\\[\\]{}]{0,8}",
        ]
    }

    /// A scalar as it may be written: plain, double- or single-quoted
    /// (with its quotes doubled, or not, as a careless hand writes them).
    fn written(quote: u8, text: &str) -> String {
        match quote % 4 {
            0 => text.to_string(),
            1 => format!("\"{text}\""),
            2 => format!("'{}'", text.replace('\'', "''")),
            _ => format!("'{text}'"),
        }
    }

    fn line() -> impl Strategy<Value = String> {
        let key = proptest::sample::select(KEYS);
        prop_oneof![
            (key.clone(), any::<u8>(), word(), 0..3usize).prop_map(|(k, q, w, sp)| format!(
                "{k}:{}{}",
                " ".repeat(sp.max(1)),
                written(q, &w)
            )),
            (
                key.clone(),
                proptest::collection::vec((any::<u8>(), word()), 0..4)
            )
                .prop_map(|(k, items)| {
                    let items: Vec<String> = items.iter().map(|(q, w)| written(*q, w)).collect();
                    format!("{k}: [{}]", items.join(", "))
                }),
            (
                key.clone(),
                proptest::collection::vec((any::<u8>(), word()), 0..4),
                0..3usize
            )
                .prop_map(|(k, items, indent)| {
                    let mut text = format!("{k}:");
                    for (q, w) in items {
                        text.push_str(&format!("\n{}- {}", " ".repeat(indent * 2), written(q, &w)));
                    }
                    text
                }),
            Just("# a comment".to_string()),
            Just(String::new()),
            Just("  indented: x".to_string()),
            Just("extra:\n  nested: 1".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn the_fast_reader_gives_what_serde_yaml_gives_or_nothing(
            lines in proptest::collection::vec(line(), 0..8)
        ) {
            agree(&lines.join("\n"))?;
        }
    }

    #[test]
    fn front_matter_of_the_usual_shape_is_read_fast() {
        for yaml in [
            "title: Council passes the budget\ndate: 2025-03-07T10:00:00Z\ntags: [budget, council]\nauthors: [\"Anna Petrova\"]\ndraft: false",
            "title: \"Quoted: with a colon\"\nslug: 'it''s'\ntags:\n  - one\n  - two\n# a comment\nlayout: post",
            "title: Title\nauthor: Someone\ncategories:\n- a\n- b\naliases: []\nsummary:",
        ] {
            assert!(agree(yaml).unwrap(), "{yaml}");
        }
    }

    #[test]
    fn what_it_is_not_sure_of_is_left_to_serde_yaml() {
        for yaml in [
            "title: x\n  continued",
            "title: |\n  block",
            "title: \"esc\\\"aped\"",
            "weight: 3",
            "title: &a x\nsubtitle: *a",
            "extra:\n  nested: 1",
            "image: {path: a.png}",
            "title: x\ntitle: y",
            "title: a # comment",
            "---\ntitle: x",
        ] {
            assert!(!agree(yaml).unwrap(), "{yaml}");
        }
    }
}

#[cfg(test)]
mod corpus {
    use super::*;
    use crate::content::front_matter::{RawFrontMatter, split};

    /// Every article of the bundled example site (Jekyll and Hugo forms
    /// among them): read the same both ways, most of them fast.
    #[test]
    fn the_example_site_reads_the_same_both_ways() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (mut fast, mut all) = (0, 0);
        for entry in walkdir::WalkDir::new(&content) {
            let path = entry.unwrap().into_path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(parts) = split(&text, &path) else {
                continue;
            };
            if parts.toml {
                continue;
            }
            all += 1;
            if let Some(read) = from_flat::<RawFrontMatter>(parts.yaml) {
                fast += 1;
                let slow = serde_yaml::from_str::<RawFrontMatter>(parts.yaml).unwrap();
                assert_eq!(read, slow, "{}", path.display());
            }
        }
        assert!(
            all > 20 && fast * 10 >= all * 7,
            "{fast} of {all} read fast"
        );
    }
}
