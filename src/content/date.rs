//! Article dates: the forms accepted in front matter and in Jekyll file names.
//!
//! A date keeps the UTC offset it was written with, so that the day shown in
//! URLs and on pages is the day the author wrote, whatever the build's zone.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::{Offset, TimeZone};

/// A moment in time together with the UTC offset it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleDate {
    /// The instant.
    pub timestamp: Timestamp,
    /// The offset of the civil time the author wrote.
    pub offset: Offset,
}

/// What the date forms look like, for error messages.
pub const ACCEPTED_FORMS: &str =
    "expected 2025-03-17, 2025-03-17T10:00:00+03:00 (RFC 3339) or 2025-03-17 10:00:00 +0300";

impl ArticleDate {
    /// Reads a front matter date. A date or time written without an offset is
    /// taken in `zone`.
    pub fn parse(text: &str, zone: &TimeZone) -> Result<ArticleDate, String> {
        let date = Self::parse_any_year(text, zone)?;
        let year = date.date().year();
        if !(1..=9999).contains(&year) {
            return Err(format!(
                "the date `{}` is in year {year}; expected a year from 1 to 9999",
                text.trim()
            ));
        }
        Ok(date)
    }

    fn parse_any_year(text: &str, zone: &TimeZone) -> Result<ArticleDate, String> {
        let text = text.trim();
        let cannot = || format!("cannot read the date `{text}`: {ACCEPTED_FORMS}");
        // Jekyll writes a space before a numeric offset, which RFC 3339 does not allow.
        for format in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"] {
            if let Ok(tm) = jiff::fmt::strtime::parse(format, text) {
                let offset = tm.offset().ok_or_else(cannot)?;
                let datetime = tm.to_datetime().map_err(|_| cannot())?;
                return ArticleDate::from_civil(datetime, offset).ok_or_else(cannot);
            }
        }
        let pieces = Pieces::parse(text).map_err(|_| cannot())?;
        let datetime = pieces.date().to_datetime(pieces.time().unwrap_or_default());
        let offset = match pieces.offset() {
            Some(PiecesOffset::Zulu) => Some(Offset::UTC),
            Some(PiecesOffset::Numeric(n)) => Some(n.offset()),
            Some(_) => return Err(cannot()),
            None => None,
        };
        match offset {
            Some(offset) => ArticleDate::from_civil(datetime, offset).ok_or_else(cannot),
            None => {
                let zone = match pieces.to_time_zone() {
                    Ok(Some(named)) => named,
                    Ok(None) => zone.clone(),
                    Err(_) => return Err(cannot()),
                };
                ArticleDate::in_zone(datetime, &zone).ok_or_else(cannot)
            }
        }
    }

    /// A civil date at midnight in `zone` (used for Jekyll file-name dates).
    pub fn start_of_day(date: Date, zone: &TimeZone) -> Option<ArticleDate> {
        ArticleDate::in_zone(date.to_datetime(jiff::civil::Time::midnight()), zone)
    }

    fn in_zone(datetime: DateTime, zone: &TimeZone) -> Option<ArticleDate> {
        let zoned = zone
            .to_ambiguous_zoned_datetime(datetime)
            .compatible()
            .ok()?;
        Some(ArticleDate {
            timestamp: zoned.timestamp(),
            offset: zoned.offset(),
        })
    }

    fn from_civil(datetime: DateTime, offset: Offset) -> Option<ArticleDate> {
        let timestamp = offset.to_timestamp(datetime).ok()?;
        Some(ArticleDate { timestamp, offset })
    }

    /// The civil date and time as the author wrote it.
    pub fn datetime(&self) -> DateTime {
        self.offset.to_datetime(self.timestamp)
    }

    /// The civil date as the author wrote it: the day used in URLs and pages.
    pub fn date(&self) -> Date {
        self.datetime().date()
    }

    /// RFC 3339 with the author's offset, for `<time datetime>` and feeds.
    pub fn rfc3339(&self) -> String {
        let mut text = String::with_capacity(25);
        self.write_rfc3339(&mut text);
        text
    }

    /// Appends [`ArticleDate::rfc3339`] to `out`: a sitemap writes
    /// thousands of dates, without a string for each.
    pub fn write_rfc3339(&self, out: &mut impl std::fmt::Write) {
        let dt = self.datetime();
        let seconds = self.offset.seconds();
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        let _ = if (0..=9999).contains(&dt.year()) {
            write!(
                out,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                dt.year(),
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second()
            )
        } else {
            write!(out, "{}", dt.strftime("%Y-%m-%dT%H:%M:%S"))
        };
        let _ = write!(out, "{sign}{:02}:{:02}", minutes / 60, minutes % 60);
    }
}

/// The date at the start of a Jekyll file name (`2025-03-17-title.md`) and
/// the rest of the name after it.
pub fn split_file_name_date(stem: &str) -> Option<(Date, &str)> {
    let head = stem.get(..10)?;
    let bytes = head.as_bytes();
    let shape_ok = bytes.iter().enumerate().all(|(i, b)| match i {
        4 | 7 => *b == b'-',
        _ => b.is_ascii_digit(),
    });
    if !shape_ok {
        return None;
    }
    let date: Date = head.parse().ok()?;
    let rest = &stem[10..];
    match rest.strip_prefix('-') {
        Some(rest) => Some((date, rest)),
        None if rest.is_empty() => Some((date, rest)),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> TimeZone {
        TimeZone::UTC
    }

    #[test]
    fn plain_date_is_midnight_in_the_configured_zone() {
        let d = ArticleDate::parse("2025-03-17", &utc()).unwrap();
        assert_eq!(d.rfc3339(), "2025-03-17T00:00:00+00:00");
        let moscow = TimeZone::get("Europe/Moscow").unwrap();
        let d = ArticleDate::parse("2025-03-17", &moscow).unwrap();
        assert_eq!(d.rfc3339(), "2025-03-17T00:00:00+03:00");
        assert_eq!(d.date().to_string(), "2025-03-17");
    }

    #[test]
    fn rfc3339_keeps_the_written_offset_and_day() {
        let d = ArticleDate::parse("2025-03-17T01:30:00+03:00", &utc()).unwrap();
        assert_eq!(d.date().to_string(), "2025-03-17");
        assert_eq!(d.rfc3339(), "2025-03-17T01:30:00+03:00");
        assert_eq!(d.timestamp.to_string(), "2025-03-16T22:30:00Z");
        let z = ArticleDate::parse("2025-03-17T10:00:00Z", &utc()).unwrap();
        assert_eq!(z.rfc3339(), "2025-03-17T10:00:00+00:00");
        let frac = ArticleDate::parse("2025-03-17T10:00:00.123456-05:00", &utc()).unwrap();
        assert_eq!(frac.date().to_string(), "2025-03-17");
        assert_eq!(frac.offset.seconds(), -5 * 3600);
    }

    #[test]
    fn jekyll_form_with_space_before_offset() {
        let d = ArticleDate::parse("2025-03-17 10:00:00 +0300", &utc()).unwrap();
        assert_eq!(d.rfc3339(), "2025-03-17T10:00:00+03:00");
        let d = ArticleDate::parse("2025-03-17 23:15 -0700", &utc()).unwrap();
        assert_eq!(d.date().to_string(), "2025-03-17");
    }

    #[test]
    fn local_datetime_without_offset_uses_the_zone() {
        let lisbon = TimeZone::get("Europe/Lisbon").unwrap();
        let d = ArticleDate::parse("2025-07-01 09:00:00", &lisbon).unwrap();
        assert_eq!(d.rfc3339(), "2025-07-01T09:00:00+01:00");
        let d = ArticleDate::parse("2025-07-01 09:00", &lisbon).unwrap();
        assert_eq!(d.rfc3339(), "2025-07-01T09:00:00+01:00");
        let d = ArticleDate::parse("2025-07-01T09:00:00.5+03:00", &lisbon).unwrap();
        assert_eq!(d.date().to_string(), "2025-07-01");
    }

    #[test]
    fn rfc3339_is_written_as_strftime_would() {
        for text in [
            "0001-01-01T00:00:00Z",
            "2025-03-17T09:05:07-09:30",
            "9999-12-01T23:59:59+14:00",
        ] {
            let d = ArticleDate::parse(text, &utc()).unwrap();
            let by_strftime = format!(
                "{}{}",
                d.datetime().strftime("%Y-%m-%dT%H:%M:%S"),
                &d.rfc3339()[19..]
            );
            assert_eq!(d.rfc3339(), by_strftime);
        }
    }

    #[test]
    fn years_out_of_range_are_errors() {
        let err = ArticleDate::parse("0000-01-01", &utc()).unwrap_err();
        assert!(err.contains("year 0"), "{err}");
        assert!(ArticleDate::parse("10000-01-01", &utc()).is_err());
        assert!(ArticleDate::parse("-0001-01-01", &utc()).is_err());
        assert!(ArticleDate::parse("0001-01-01", &utc()).is_ok());
    }

    #[test]
    fn unreadable_dates_are_errors() {
        for bad in [
            "2025",
            "17/03/2025",
            "2025-02-30",
            "March 17, 2025",
            "",
            "2025-03-17T25:00:00Z",
        ] {
            let err = ArticleDate::parse(bad, &utc()).unwrap_err();
            assert!(err.contains("expected 2025-03-17"), "{bad}: {err}");
        }
    }

    #[test]
    fn file_name_dates() {
        let (d, rest) = split_file_name_date("2025-03-17-putin-invites-maduro").unwrap();
        assert_eq!(d.to_string(), "2025-03-17");
        assert_eq!(rest, "putin-invites-maduro");
        assert!(split_file_name_date("2025-13-17-x").is_none());
        assert!(split_file_name_date("20250317-x").is_none());
        assert!(split_file_name_date("2025-03-17x").is_none());
        assert!(split_file_name_date("index").is_none());
        assert_eq!(split_file_name_date("2025-03-17").unwrap().1, "");
    }
}
