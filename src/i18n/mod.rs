//! What the site's `language` changes: the theme's strings
//! ([`strings`]), dates ([`dates`]), numbers ([`numbers`]), plural forms
//! and the writing direction. Locale data comes from ICU4X (CLDR); the
//! theme's text is ours, one file per language.

pub mod dates;
pub mod numbers;
pub mod strings;

use std::collections::BTreeMap;

use icu_locale::LocaleDirectionality;
use icu_locale_core::{LanguageIdentifier, Locale as IcuLocale};
use icu_plurals::PluralRules;

pub use dates::Dates;
pub use numbers::Numbers;
pub use strings::Strings;

/// Everything a page needs to speak the site's language.
#[derive(Debug)]
pub struct Locale {
    /// The language tag as configured (`en`, `pt-BR`).
    pub tag: String,
    /// Whether the language is written right to left (Arabic, Hebrew,
    /// Persian, Urdu…), for `dir="rtl"`.
    pub right_to_left: bool,
    /// Dates and month and weekday names.
    pub dates: Dates,
    /// Whole numbers with the language's digits and separators.
    pub numbers: Numbers,
    /// The theme's text.
    pub strings: Strings,
    plurals: PluralRules,
}

impl Locale {
    /// The locale of a language tag with the config's `strings:` overrides;
    /// the error names the override that is not a string.
    pub fn new(
        language: &str,
        overrides: &BTreeMap<String, serde_yaml::Value>,
    ) -> Result<Locale, String> {
        Ok(Locale {
            tag: language.to_string(),
            right_to_left: is_right_to_left(language),
            dates: Dates::new(language),
            numbers: Numbers::new(language),
            strings: Strings::new(language, overrides)?,
            plurals: plural_rules(language),
        })
    }

    /// The text of string `key`.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.text(key)
    }

    /// The text of string `key` for `count` items (`3 articles`), with the
    /// count in the language's digits.
    pub fn count(&self, key: &str, count: i64) -> String {
        let number = self.numbers.format(count);
        self.strings
            .count(key, &self.plurals, count.unsigned_abs(), &number)
    }

    /// The arrows that point back and forward in reading order: `←` and
    /// `→`, swapped right to left.
    pub fn arrows(&self) -> (&'static str, &'static str) {
        if self.right_to_left {
            ("→", "←")
        } else {
            ("←", "→")
        }
    }

    /// `ltr` or `rtl`, for the `dir` attribute.
    pub fn direction(&self) -> &'static str {
        if self.right_to_left { "rtl" } else { "ltr" }
    }
}

/// Whether `tag` has the shape of a BCP 47 language tag (`en`, `pt-BR`,
/// `zh-Hant`): ASCII letters and digits in parts of 1 to 8, joined by `-`.
pub fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.split('-').all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Whether text in the language `tag` is written right to left.
pub fn is_right_to_left(tag: &str) -> bool {
    let langid: LanguageIdentifier = tag.parse().unwrap_or(LanguageIdentifier::UNKNOWN);
    LocaleDirectionality::new_common().is_right_to_left(&langid)
}

/// The cardinal plural rules of a language tag; the root locale's (every
/// count `other`) when CLDR does not know it.
pub fn plural_rules(language: &str) -> PluralRules {
    let locale: IcuLocale = language.parse().unwrap_or(IcuLocale::UNKNOWN);
    PluralRules::try_new_cardinal(locale.into())
        .or_else(|_| PluralRules::try_new_cardinal(IcuLocale::UNKNOWN.into()))
        .expect("the root locale's plural rules are compiled in")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_follows_the_script() {
        for rtl in ["ar", "he", "fa", "ur", "ar-EG", "az-Arab"] {
            assert_eq!(
                Locale::new(rtl, &BTreeMap::new()).unwrap().direction(),
                "rtl",
                "{rtl}"
            );
        }
        for ltr in ["en", "ru", "zh-Hant", "az", "xx"] {
            assert_eq!(
                Locale::new(ltr, &BTreeMap::new()).unwrap().direction(),
                "ltr",
                "{ltr}"
            );
        }
    }

    #[test]
    fn counts_use_the_language_digits() {
        let de = Locale::new("de", &BTreeMap::new()).unwrap();
        assert_eq!(de.count("articles", 12_345), "12.345 Artikel");
        let en = Locale::new("en", &BTreeMap::new()).unwrap();
        assert_eq!(en.count("articles", 1), "1 article");
    }
}
