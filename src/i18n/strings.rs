//! The built-in theme's text in each language (`src/i18n/strings/*.yaml`),
//! and `strings:` of `config.yaml`, which overrides any of it.
//!
//! A string is a text, or for a count a map of plural forms (`one`, `few`,
//! `many`, `other`…, as CLDR names them for the language) in which `{n}`
//! stands for the number. Other `{name}` placeholders are filled by the
//! template (`fill` filter).

use std::collections::BTreeMap;

use icu_plurals::{PluralCategory, PluralRules};
use serde::Deserialize;

/// Every language the theme is translated into, with its strings. English
/// is the base: a key a translation lacks is shown in English.
pub const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("strings/en.yaml")),
    ("ar", include_str!("strings/ar.yaml")),
    ("de", include_str!("strings/de.yaml")),
    ("es", include_str!("strings/es.yaml")),
    ("fa", include_str!("strings/fa.yaml")),
    ("fr", include_str!("strings/fr.yaml")),
    ("he", include_str!("strings/he.yaml")),
    ("hi", include_str!("strings/hi.yaml")),
    ("it", include_str!("strings/it.yaml")),
    ("ja", include_str!("strings/ja.yaml")),
    ("ko", include_str!("strings/ko.yaml")),
    ("nl", include_str!("strings/nl.yaml")),
    ("pl", include_str!("strings/pl.yaml")),
    ("pt", include_str!("strings/pt.yaml")),
    ("ru", include_str!("strings/ru.yaml")),
    ("tr", include_str!("strings/tr.yaml")),
    ("uk", include_str!("strings/uk.yaml")),
    ("ur", include_str!("strings/ur.yaml")),
    ("zh", include_str!("strings/zh.yaml")),
    ("zh-hant", include_str!("strings/zh-hant.yaml")),
];

/// One string: a text, or the forms of a count.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(untagged)]
pub enum Message {
    /// The same text whatever the context.
    Text(String),
    /// A count's text by plural category; `other` is required.
    Plural(PluralForms),
}

/// The forms of a counted string, by CLDR plural category.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluralForms {
    /// For 0 where the language has a form for it (Arabic).
    pub zero: Option<String>,
    /// For 1 (and 21, 31… in Russian).
    pub one: Option<String>,
    /// For 2 where the language has a dual (Arabic, Hebrew).
    pub two: Option<String>,
    /// For small counts (2–4 in Polish, Russian, Ukrainian).
    pub few: Option<String>,
    /// For large counts (5–20 in Russian, 11–99 in Arabic).
    pub many: Option<String>,
    /// Every other count.
    pub other: String,
}

impl PluralForms {
    /// The form of `category`, or `other` when the string has none.
    fn form(&self, category: PluralCategory) -> &str {
        let form = match category {
            PluralCategory::Zero => &self.zero,
            PluralCategory::One => &self.one,
            PluralCategory::Two => &self.two,
            PluralCategory::Few => &self.few,
            PluralCategory::Many => &self.many,
            PluralCategory::Other => &None,
        };
        form.as_deref().unwrap_or(&self.other)
    }

    /// Every form the string has, with its category's name.
    pub fn forms(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("zero", &self.zero),
            ("one", &self.one),
            ("two", &self.two),
            ("few", &self.few),
            ("many", &self.many),
        ]
        .into_iter()
        .filter_map(|(name, form)| Some((name, form.as_deref()?)))
        .chain([("other", self.other.as_str())])
    }
}

impl Message {
    /// The text, or for a count its `other` form.
    pub fn text(&self) -> &str {
        match self {
            Message::Text(text) => text,
            Message::Plural(forms) => &forms.other,
        }
    }
}

/// The strings of one language, the built-in ones with the site's
/// overrides.
#[derive(Debug, Clone)]
pub struct Strings {
    messages: BTreeMap<String, Message>,
}

impl Strings {
    /// The built-in strings of `language` (`pt-BR` uses `pt`'s), over the
    /// English ones, then `overrides` (`strings:` of the config). An
    /// override that is neither a text nor a map of plural forms with
    /// `other` is an error naming its key.
    pub fn new(
        language: &str,
        overrides: &BTreeMap<String, serde_yaml::Value>,
    ) -> Result<Strings, String> {
        let mut messages = builtin("en").expect("English is built in");
        if let Some(code) = builtin_code(language) {
            messages.extend(builtin(code).expect("listed"));
        }
        for (key, value) in overrides {
            let message = serde_yaml::from_value::<Message>(value.clone()).map_err(|_| {
                format!(
                    "`{key}`: expected a text, or a map of plural forms with `other` \
                     (`zero`, `one`, `two`, `few`, `many`, `other`) in which `{{n}}` is the number"
                )
            })?;
            messages.insert(key.clone(), message);
        }
        Ok(Strings { messages })
    }

    /// The text of `key`, or the key itself when there is no such string,
    /// so a typo shows on the page instead of vanishing.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.messages.get(key).map_or(key, Message::text)
    }

    /// The text of `key` for `count` items: its plural form for the count,
    /// with `{n}` replaced by `number` (the count as the language writes it).
    pub fn count(&self, key: &str, rules: &PluralRules, count: u64, number: &str) -> String {
        let form = match self.messages.get(key) {
            Some(Message::Text(text)) => text.as_str(),
            Some(Message::Plural(forms)) => forms.form(rules.category_for(count)),
            None => key,
        };
        form.replace("{n}", number)
    }

    /// Every string by key, as templates see them in `t`.
    pub fn texts(&self) -> BTreeMap<&str, &str> {
        self.messages
            .iter()
            .map(|(key, message)| (key.as_str(), message.text()))
            .collect()
    }

    /// Every string by key.
    pub fn messages(&self) -> &BTreeMap<String, Message> {
        &self.messages
    }
}

/// The built-in strings a language tag uses: its primary language's
/// (`pt-BR` → `pt`), except Chinese in traditional characters (`zh-Hant`,
/// and `zh-TW`, `zh-HK`, `zh-MO` without a script), which has its own.
/// True when the theme speaks `language` (or its script or region's
/// parent): `ru`, `pt-BR`, `zh-TW`.
pub fn is_builtin(language: &str) -> bool {
    builtin_code(language).is_some()
}

fn builtin_code(language: &str) -> Option<&'static str> {
    let tag = language.to_ascii_lowercase();
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    let code = if primary == "zh" {
        let rest: Vec<&str> = parts.collect();
        let traditional = rest.contains(&"hant")
            || (!rest.contains(&"hans") && rest.iter().any(|p| matches!(*p, "tw" | "hk" | "mo")));
        if traditional { "zh-hant" } else { "zh" }
    } else {
        primary
    };
    BUILTIN.iter().map(|(c, _)| *c).find(|c| *c == code)
}

/// The built-in strings of a language code, if the theme has them.
pub fn builtin(code: &str) -> Option<BTreeMap<String, Message>> {
    let (_, text) = BUILTIN.iter().find(|(c, _)| *c == code)?;
    Some(serde_yaml::from_str(text).expect("built-in strings are checked by tests"))
}

/// Fills `{name}` placeholders of a string with values.
pub fn fill<'a>(text: &str, values: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use icu_locale_core::Locale;

    fn rules(language: &str) -> PluralRules {
        let locale: Locale = language.parse().unwrap();
        PluralRules::try_new_cardinal(locale.into()).unwrap()
    }

    #[test]
    fn every_language_has_every_english_string_and_no_other() {
        let english = builtin("en").unwrap();
        for (code, _) in BUILTIN {
            let own = builtin(code).unwrap();
            let missing: Vec<_> = english.keys().filter(|k| !own.contains_key(*k)).collect();
            let extra: Vec<_> = own.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
            assert!(extra.is_empty(), "{code} has unknown {extra:?}");
            // Placeholders of a translation are those of the English text.
            for (key, message) in &own {
                let placeholders = |m: &Message| -> Vec<String> {
                    let mut found: Vec<String> = m
                        .text()
                        .split('{')
                        .skip(1)
                        .filter_map(|s| s.split_once('}').map(|(p, _)| p.to_string()))
                        .collect();
                    found.sort();
                    found
                };
                assert_eq!(
                    placeholders(message),
                    placeholders(&english[key]),
                    "{code}: {key}"
                );
            }
        }
    }

    #[test]
    fn counted_strings_have_every_form_the_language_needs() {
        for (code, _) in BUILTIN {
            let rules = rules(code);
            for (key, message) in builtin(code).unwrap() {
                let Message::Plural(forms) = &message else {
                    continue;
                };
                for category in rules.categories() {
                    let named = |c: PluralCategory| match c {
                        PluralCategory::Zero => forms.zero.is_some(),
                        PluralCategory::One => forms.one.is_some(),
                        PluralCategory::Two => forms.two.is_some(),
                        PluralCategory::Few => forms.few.is_some(),
                        PluralCategory::Many => forms.many.is_some(),
                        PluralCategory::Other => true,
                    };
                    assert!(named(category), "{code}: {key} lacks {category:?}");
                }
                for (_, form) in forms.forms() {
                    assert!(form.contains("{n}"), "{code}: {key}: `{form}` has no {{n}}");
                }
            }
        }
    }

    #[test]
    fn counts_pick_the_language_form() {
        let ru = Strings::new("ru", &BTreeMap::new()).unwrap();
        let rules = rules("ru");
        assert_eq!(ru.count("articles", &rules, 1, "1"), "1 статья");
        assert_eq!(ru.count("articles", &rules, 3, "3"), "3 статьи");
        assert_eq!(ru.count("articles", &rules, 5, "5"), "5 статей");
        assert_eq!(ru.count("articles", &rules, 21, "21"), "21 статья");
        let en = Strings::new("en", &BTreeMap::new()).unwrap();
        let rules = super::super::plural_rules("en");
        assert_eq!(en.count("articles", &rules, 1, "1"), "1 article");
        assert_eq!(en.count("articles", &rules, 2, "2"), "2 articles");
    }

    #[test]
    fn overrides_replace_strings_and_bad_ones_are_named() {
        let overrides: BTreeMap<String, serde_yaml::Value> = serde_yaml::from_str(
            "latest: Front page\narticles: {one: '{n} story', other: '{n} stories'}\n",
        )
        .unwrap();
        let strings = Strings::new("en", &overrides).unwrap();
        assert_eq!(strings.text("latest"), "Front page");
        assert_eq!(strings.count("articles", &rules("en"), 4, "4"), "4 stories");
        // A region uses its language's strings; Chinese has two scripts.
        assert_eq!(
            Strings::new("pt-BR", &BTreeMap::new())
                .unwrap()
                .text("latest"),
            Strings::new("pt", &BTreeMap::new()).unwrap().text("latest")
        );
        for (tag, search) in [
            ("zh", "搜索"),
            ("zh-CN", "搜索"),
            ("zh-Hans-HK", "搜索"),
            ("zh-Hant", "搜尋"),
            ("zh-TW", "搜尋"),
            ("zh-HK", "搜尋"),
        ] {
            let strings = Strings::new(tag, &BTreeMap::new()).unwrap();
            assert_eq!(strings.text("search"), search, "{tag}");
        }
        assert!(builtin_code("tlh").is_none());
        let bad: BTreeMap<String, serde_yaml::Value> =
            serde_yaml::from_str("articles: {one: x}\n").unwrap();
        let err = Strings::new("en", &bad).unwrap_err();
        assert!(err.contains("`articles`") && err.contains("other"), "{err}");
    }

    #[test]
    fn the_search_script_falls_back_to_the_english_strings() {
        let script = include_str!("../theme/static/search.js");
        let start = script.find("/* english strings */").unwrap() + "/* english strings */".len();
        let end = script[start..].find("/* end */").unwrap() + start;
        let fallback: BTreeMap<String, Message> =
            serde_json::from_str(&script[start..end]).unwrap();
        let english = builtin("en").unwrap();
        for (key, message) in &fallback {
            assert_eq!(Some(message), english.get(key), "{key}");
        }
        // Every string the script says has its English fallback.
        for used in script.split("say('").skip(1) {
            let key = used.split('\'').next().unwrap();
            assert!(fallback.contains_key(key), "{key}");
        }
        for kind in ["tag", "author"] {
            for prefix in ["search_only_", "search_filter_"] {
                assert!(fallback.contains_key(&format!("{prefix}{kind}")));
            }
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill("Follow {name} (Atom feed)", [("name", "Health")]),
            "Follow Health (Atom feed)"
        );
    }
}
