//! Dates as the site's language writes them: `7 March 2025`, `7 de marzo de
//! 2025`, `2025年3月7日`, with month and weekday names, from ICU4X's locale
//! data (CLDR).
//!
//! Dates are always Gregorian, whatever the language's usual calendar
//! (Persian's is the Solar Hijri one): the archive's URLs and pages are cut
//! by Gregorian years, months and days, and a page's title must name the
//! same month as its URL.
//!
//! The language `en` keeps the theme's own English forms (`7 March 2025`,
//! `Sep`), which CLDR's English (`March 7, 2025`) and British English
//! (`Sept`) would change; `en-US`, `en-GB` and every other tag use CLDR.

use icu_calendar::Gregorian;
use icu_datetime::fieldsets::{self, YM, YMD};
use icu_datetime::input::Date;
use icu_datetime::pattern::{DateTimePattern, FixedCalendarDateTimeNames};
use icu_datetime::scaffold::DateTimeNamesMarker;
use icu_datetime::{DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter};
use icu_locale_core::Locale;
use writeable::TryWriteable;

/// English month names, January first.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English weekday names, Monday first.
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Formats dates for one language.
#[derive(Debug)]
pub struct Dates {
    /// Month names, January first, as a month stands alone (`март`, where
    /// a date says `7 марта`).
    months: [String; 12],
    /// Abbreviated month names (`Mar`, `mars`, `3月`).
    months_short: [String; 12],
    /// Weekday names, Monday first.
    weekdays: [String; 7],
    /// Abbreviated weekday names (`Mon`, `lun.`).
    weekdays_short: [String; 7],
    /// CLDR's formatters; `None` for the theme's English.
    cldr: Option<Cldr>,
}

/// The CLDR formatters of a language.
#[derive(Debug)]
struct Cldr {
    day: Pattern<YMD>,
    month: Pattern<YM>,
}

/// One CLDR date pattern of a language (`d 'de' MMMM 'de' y`) with the
/// names and digits it needs.
///
/// ICU4X's formatter does not load the digits of some patterns (Portuguese
/// months, `MMMM 'de' y`): it then writes the year with a fallback and
/// panics in debug builds. Taking its pattern and loading the names for it
/// ourselves gives the same text, with the digits loaded.
#[derive(Debug)]
struct Pattern<F: DateTimeNamesMarker> {
    names: FixedCalendarDateTimeNames<Gregorian, F>,
    pattern: DateTimePattern,
}

/// `Pattern::new` and `Pattern::format` for concrete field sets: ICU4X's
/// generic bounds for "any date field set" are many and unstable.
macro_rules! patterns_of {
    ($($field_set:ty),*) => {$(
        impl Pattern<$field_set> {
            /// The pattern of `field_set` in the language of `prefs`, as
            /// CLDR writes a date of this century.
            fn new(prefs: DateTimeFormatterPreferences, field_set: $field_set) -> Option<Self> {
                let formatter =
                    FixedCalendarDateTimeFormatter::<Gregorian, $field_set>::try_new(prefs, field_set)
                        .ok()?;
                let pattern = formatter.format(&gregorian(2025, 3, 7)).pattern();
                let mut names =
                    FixedCalendarDateTimeNames::<Gregorian, $field_set>::try_new(prefs).ok()?;
                names.include_for_pattern(&pattern).ok()?;
                Some(Pattern { names, pattern })
            }

            /// `date` in the pattern.
            fn format(&self, date: &Date<Gregorian>) -> String {
                match self
                    .names
                    .with_pattern_unchecked(&self.pattern)
                    .format(date)
                    .try_write_to_string()
                {
                    Ok(text) | Err((_, text)) => text.into_owned(),
                }
            }
        }
    )*};
}

patterns_of!(YMD, YM, fieldsets::M, fieldsets::E);

impl Dates {
    /// The dates of a language tag (`es`, `pt-BR`); English when CLDR has
    /// no data for it.
    pub fn new(language: &str) -> Dates {
        if language == "en" {
            return Dates::english();
        }
        let locale: Locale = match language.parse() {
            Ok(locale) => locale,
            Err(_) => return Dates::english(),
        };
        match Dates::cldr(&locale) {
            Some(dates) => dates,
            None => Dates::english(),
        }
    }

    fn english() -> Dates {
        Dates {
            months: MONTHS.map(String::from),
            months_short: MONTHS.map(|m| m[..3].to_string()),
            weekdays: WEEKDAYS.map(String::from),
            weekdays_short: WEEKDAYS.map(|d| d[..3].to_string()),
            cldr: None,
        }
    }

    /// CLDR's dates for `locale`, or `None` when CLDR falls back to its root
    /// locale (month names such as `M03`).
    fn cldr(locale: &Locale) -> Option<Dates> {
        let prefs: DateTimeFormatterPreferences = locale.clone().into();
        let month = Pattern::<fieldsets::M>::new(prefs, fieldsets::M::long())?;
        let month_short = Pattern::<fieldsets::M>::new(prefs, fieldsets::M::medium())?;
        let weekday = Pattern::<fieldsets::E>::new(prefs, fieldsets::E::long())?;
        let weekday_short = Pattern::<fieldsets::E>::new(prefs, fieldsets::E::short())?;
        let of_month = |m: usize| gregorian(2025, m as i8 + 1, 1);
        let months: [String; 12] = std::array::from_fn(|m| month.format(&of_month(m)));
        if months[2] == "M03" {
            return None;
        }
        // 2024-01-01 was a Monday.
        let of_weekday = |d: usize| gregorian(2024, 1, d as i8 + 1);
        Some(Dates {
            months,
            months_short: std::array::from_fn(|m| month_short.format(&of_month(m))),
            weekdays: std::array::from_fn(|d| weekday.format(&of_weekday(d))),
            weekdays_short: std::array::from_fn(|d| weekday_short.format(&of_weekday(d))),
            cldr: Some(Cldr {
                day: Pattern::<YMD>::new(prefs, YMD::long())?,
                month: Pattern::<YM>::new(prefs, YM::long())?,
            }),
        })
    }

    /// A day in full: `7 March 2025`.
    pub fn day(&self, year: i16, month: i8, day: i8) -> String {
        match &self.cldr {
            Some(cldr) => cldr.day.format(&gregorian(year, month, day)),
            None => format!("{day} {} {year}", self.month(month)),
        }
    }

    /// A calendar date in full, as [`Dates::day`].
    pub fn date(&self, date: jiff::civil::Date) -> String {
        self.day(date.year(), date.month(), date.day())
    }

    /// A month of a year: `March 2025`.
    pub fn month_of_year(&self, year: i16, month: i8) -> String {
        match &self.cldr {
            Some(cldr) => cldr.month.format(&gregorian(year, month, 1)),
            None => format!("{} {year}", self.month(month)),
        }
    }

    /// A month's name, 1 to 12, as it stands alone: `March`.
    pub fn month(&self, month: i8) -> &str {
        &self.months[month_index(month)]
    }

    /// A month's abbreviated name: `Mar`.
    pub fn month_short(&self, month: i8) -> &str {
        &self.months_short[month_index(month)]
    }

    /// A weekday's name, 0 (Monday) to 6: `Monday`.
    pub fn weekday(&self, weekday: usize) -> &str {
        &self.weekdays[weekday.min(6)]
    }

    /// A weekday's abbreviated name: `Mon`.
    pub fn weekday_short(&self, weekday: usize) -> &str {
        &self.weekdays_short[weekday.min(6)]
    }
}

fn month_index(month: i8) -> usize {
    (month.clamp(1, 12) - 1) as usize
}

/// A Gregorian date; dates out of ICU4X's range become 1 January 2000,
/// which no article reaches (years are 0 to 9999).
fn gregorian(year: i16, month: i8, day: i8) -> Date<Gregorian> {
    Date::try_new_gregorian(i32::from(year), month as u8, day as u8)
        .unwrap_or_else(|_| Date::try_new_gregorian(2000, 1, 1).expect("a valid date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_keeps_the_theme_forms() {
        let en = Dates::new("en");
        assert_eq!(en.day(2025, 3, 7), "7 March 2025");
        assert_eq!(en.month_of_year(2025, 9), "September 2025");
        assert_eq!(en.month_short(9), "Sep");
        assert_eq!(en.weekday_short(0), "Mon");
    }

    #[test]
    fn other_languages_follow_cldr() {
        assert_eq!(Dates::new("es").day(2025, 3, 7), "7 de marzo de 2025");
        assert_eq!(Dates::new("de").day(2025, 3, 7), "7. März 2025");
        assert_eq!(Dates::new("en-US").day(2025, 3, 7), "March 7, 2025");
        // Russian: the month of a date is genitive, the month alone is not.
        let ru = Dates::new("ru");
        assert_eq!(ru.day(2025, 3, 7), "7 марта 2025\u{202f}г.");
        assert_eq!(ru.month(3), "март");
        assert_eq!(Dates::new("ja").month_of_year(2025, 3), "2025年3月");
        assert_eq!(Dates::new("fr").weekday(4), "vendredi");
        // ICU4X's own formatter leaves the digits of this one unloaded.
        assert_eq!(Dates::new("pt-BR").month_of_year(2025, 3), "março de 2025");
    }

    #[test]
    fn persian_dates_stay_gregorian() {
        let fa = Dates::new("fa");
        assert_eq!(fa.month(3), "مارس");
        assert!(
            fa.day(2025, 3, 7).contains("مارس"),
            "{}",
            fa.day(2025, 3, 7)
        );
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        assert_eq!(Dates::new("xx").day(2025, 3, 7), "7 March 2025");
        assert_eq!(Dates::new("tlh-Latn").month(1), "January");
    }
}
