//! Date archives: the articles of each year, month and day, for the pages at
//! every prefix of a dated URL (`/2025/`, `/2025/03/`, `/2025/03/17/`).

use std::sync::Arc;

use crate::content::Article;

/// Articles of one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// Day of the month.
    pub day: i8,
    /// Indices into the site's articles, newest first.
    pub articles: Vec<u32>,
}

/// Articles of one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// Month, 1 to 12.
    pub month: i8,
    /// Indices into the site's articles, newest first.
    pub articles: Vec<u32>,
    /// Days with articles, earliest first.
    pub days: Vec<Day>,
}

/// Articles of one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    /// The year.
    pub year: i16,
    /// Indices into the site's articles, newest first.
    pub articles: Vec<u32>,
    /// Months with articles, earliest first.
    pub months: Vec<Month>,
}

/// Every year, month and day that has articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateArchive {
    /// Years with articles, earliest first.
    pub years: Vec<Year>,
}

impl DateArchive {
    /// Files articles (sorted newest first) by the day they were written.
    /// Articles dated in the same instant but written in different offsets
    /// can fall on different days, so days are gathered by sorting, not by
    /// assuming the newest-first order is also day order.
    pub fn build(articles: &[Arc<Article>]) -> DateArchive {
        let mut dated: Vec<(i16, i8, i8, u32)> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let d = a.date.date();
                (d.year(), d.month(), d.day(), i as u32)
            })
            .collect();
        // Earliest day first; within a day, newest article (lowest index) first.
        dated.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then(a.3.cmp(&b.3)));

        let mut years: Vec<Year> = Vec::new();
        for (y, m, d, index) in dated {
            if years.last().is_none_or(|last| last.year != y) {
                years.push(Year {
                    year: y,
                    articles: Vec::new(),
                    months: Vec::new(),
                });
            }
            let year = years.last_mut().expect("pushed above");
            if year.months.last().is_none_or(|last| last.month != m) {
                year.months.push(Month {
                    month: m,
                    articles: Vec::new(),
                    days: Vec::new(),
                });
            }
            let month = year.months.last_mut().expect("pushed above");
            if month.days.last().is_none_or(|last| last.day != d) {
                month.days.push(Day {
                    day: d,
                    articles: Vec::new(),
                });
            }
            month
                .days
                .last_mut()
                .expect("pushed above")
                .articles
                .push(index);
        }
        for year in &mut years {
            for month in &mut year.months {
                month.articles = month
                    .days
                    .iter()
                    .flat_map(|d| d.articles.iter().copied())
                    .collect();
                month.articles.sort_unstable();
            }
            year.articles = year
                .months
                .iter()
                .flat_map(|m| m.articles.iter().copied())
                .collect();
            year.articles.sort_unstable();
        }
        DateArchive { years }
    }
}

/// Site path of a year page.
pub fn year_path(year: i16) -> String {
    format!("/{year:04}/")
}

/// Site path of a month page.
pub fn month_path(year: i16, month: i8) -> String {
    format!("/{year:04}/{month:02}/")
}

/// Site path of a day page.
pub fn day_path(year: i16, month: i8, day: i8) -> String {
    format!("/{year:04}/{month:02}/{day:02}/")
}
