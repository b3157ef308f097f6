//! Numbers as the site's language writes them (`12,345` in English,
//! `12.345` in German, `12 345` in French), with ICU4X's locale data: the
//! `number` filter of templates.

use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_locale_core::Locale;

/// Formats whole numbers for one language.
#[derive(Debug, Clone)]
pub struct Numbers {
    formatter: DecimalFormatter,
    /// The language writes numbers under 1,000 with ASCII digits and no
    /// mark, as Rust does: most counts on a page are, and skip ICU4X.
    plain_below_1000: bool,
}

impl Numbers {
    /// The formatter of a language tag (`en`, `pt-BR`); the root locale's
    /// (as English) when ICU4X does not know it.
    pub fn new(language: &str) -> Numbers {
        let locale: Locale = language.parse().unwrap_or(Locale::UNKNOWN);
        let formatter = DecimalFormatter::try_new(locale.into(), Default::default())
            .or_else(|_| DecimalFormatter::try_new(Locale::UNKNOWN.into(), Default::default()))
            .expect("the root locale's data is compiled in");
        let mut numbers = Numbers {
            formatter,
            plain_below_1000: false,
        };
        numbers.plain_below_1000 = (0..1000).all(|n| numbers.format(n) == n.to_string());
        numbers
    }

    /// A whole number with the language's digits and group separators.
    pub fn format(&self, n: i64) -> String {
        if self.plain_below_1000 && (0..1000).contains(&n) {
            return n.to_string();
        }
        writeable::Writeable::write_to_string(&self.formatter.format(&Decimal::from(n)))
            .into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(Numbers::new("en").format(1_234_567), "1,234,567");
        assert_eq!(Numbers::new("de").format(12_345), "12.345");
        assert_eq!(Numbers::new("fr").format(12_345), "12\u{202f}345");
        assert_eq!(Numbers::new("en").format(999), "999");
        assert_eq!(Numbers::new("xx-unknown").format(1_000), "1,000");
        // Small numbers skip ICU4X only where the language writes them so.
        assert_eq!(Numbers::new("ar-EG").format(12), "١٢");
        assert_eq!(Numbers::new("en").format(-5), "-5");
    }
}
