//! The `archive` value of date pages: the archive's grid of years by
//! months, a year's months and chart, a month's calendar, and a day's
//! neighbours and the same day in earlier years.
//!
//! What a page shows of other dates (the previous day with articles, the
//! years that had articles on this day) is gathered by
//! [`DayNeighbours::of`], which the page's signature hashes too, so a page
//! is made again exactly when one of them changes.

use jiff::civil::Date;
use tera::Value;

use super::chart::{Bar, bar_chart};
use super::views::{DateLink, map, value};
use crate::config::Config;
use crate::site::Site;
use crate::site::archive::{Year, month_path, year_path};
use crate::site::listing::ARCHIVE_PATH;

/// Values of the date archive that many pages show, made once per build:
/// each day's link (neighbours, "on this day", calendars) and each month's
/// calendar (on every page of the month).
#[derive(Debug, Default)]
pub struct ArchiveValues {
    /// The link of each day, by archive position: `[year][month][day]`.
    days: Vec<Vec<Vec<Value>>>,
    /// The calendar of each month: `[year][month]`.
    calendars: Vec<Vec<Value>>,
}

impl ArchiveValues {
    /// The values of `site`'s archive.
    pub fn new(site: &Site) -> ArchiveValues {
        let config = &site.config;
        let days: Vec<Vec<Vec<Value>>> = site
            .archive
            .years
            .iter()
            .map(|y| {
                y.months
                    .iter()
                    .map(|m| {
                        m.days
                            .iter()
                            .map(|d| {
                                value(&DateLink::day(
                                    config,
                                    y.year,
                                    m.month,
                                    d.day,
                                    d.articles.len(),
                                ))
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let calendars = site
            .archive
            .years
            .iter()
            .enumerate()
            .map(|(year, y)| {
                (0..y.months.len())
                    .map(|month| calendar(site, year, month))
                    .collect()
            })
            .collect();
        ArchiveValues { days, calendars }
    }

    /// The link of the day dated `year`-`month`-`day`, if it has articles.
    fn day(&self, site: &Site, (year, month, day): (i16, i8, i8)) -> Value {
        let years = &site.archive.years;
        let found = years.iter().position(|y| y.year == year).and_then(|y| {
            let m = years[y].months.iter().position(|m| m.month == month)?;
            let d = years[y].months[m].days.iter().position(|d| d.day == day)?;
            Some(self.days[y][m][d].clone())
        });
        found.unwrap_or_else(Value::none)
    }
}

/// The twelve months of a year, each with its count, and a link when it has
/// articles: a row of the archive's grid, or a year page's grid.
fn month_cells(config: &Config, year: &Year) -> Value {
    let dates = &config.locale.dates;
    Value::from(
        (1..=12)
            .map(|month: i8| {
                let count = year
                    .months
                    .iter()
                    .find(|m| m.month == month)
                    .map_or(0, |m| m.articles.len());
                let mut fields = vec![
                    ("month", Value::from(format!("{month:02}"))),
                    ("name", Value::from(dates.month(month))),
                    ("short", Value::from(dates.month_short(month))),
                    ("count", Value::from(count)),
                ];
                if count > 0 {
                    fields.push((
                        "url",
                        Value::from(config.base_url.link(&month_path(year.year, month))),
                    ));
                }
                map(fields)
            })
            .collect::<Vec<_>>(),
    )
}

/// A year as lists of years show it: `year` (`2025`) and `url`.
pub fn year_fields(config: &Config, year: i16) -> [(&'static str, Value); 2] {
    [
        ("year", Value::from(format!("{year:04}"))),
        ("url", Value::from(config.base_url.link(&year_path(year)))),
    ]
}

/// `archive` on the archive overview: every year, newest first, with its
/// twelve months, and a chart of articles per year.
pub fn archive_overview(site: &Site) -> Value {
    let config = &site.config;
    let all = &site.archive.years;
    let years: Vec<Value> = all
        .iter()
        .rev()
        .map(|y| {
            let [year, url] = year_fields(config, y.year);
            map([
                year,
                url,
                ("count", Value::from(y.articles.len())),
                ("months", month_cells(config, y)),
            ])
        })
        .collect();
    let bars: Vec<Bar> = match (all.first(), all.last()) {
        (Some(first), Some(last)) => (first.year..=last.year)
            .map(|year| {
                let count = all
                    .iter()
                    .find(|y| y.year == year)
                    .map_or(0, |y| y.articles.len());
                let label = if all.len() <= 12 || year % 5 == 0 || year == last.year {
                    format!("{year}")
                } else {
                    String::new()
                };
                Bar {
                    axis_label: label,
                    name: format!("{year}"),
                    count,
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    map([
        ("years", Value::from(years)),
        (
            "chart",
            Value::safe_string(&bar_chart(
                &bars,
                config.locale.text("articles_per_year"),
                &config.locale.numbers,
            )),
        ),
        ("count", Value::from(site.articles.len())),
        ("url", Value::from(config.base_url.link(ARCHIVE_PATH))),
    ])
}

/// `archive` on a year page: its months (all twelve, and those with
/// articles), a chart with a scale, and the years before and after.
pub fn year_archive(site: &Site, year: usize) -> Value {
    let config = &site.config;
    let years = &site.archive.years;
    let y = &years[year];
    let months: Vec<DateLink> = y
        .months
        .iter()
        .map(|m| DateLink::month(config, y.year, m.month, m.articles.len()))
        .collect();
    let dates = &config.locale.dates;
    let bars: Vec<Bar> = (1..=12)
        .map(|month: i8| Bar {
            axis_label: dates.month(month).chars().take(1).collect(),
            name: dates.month(month).to_string(),
            count: y
                .months
                .iter()
                .find(|m| m.month == month)
                .map_or(0, |m| m.articles.len()),
        })
        .collect();
    let previous = year
        .checked_sub(1)
        .map(|p| DateLink::year(config, years[p].year, years[p].articles.len()));
    let next = years
        .get(year + 1)
        .map(|n| DateLink::year(config, n.year, n.articles.len()));
    let title = crate::i18n::strings::fill(
        config.locale.text("articles_per_month_in"),
        [("year", format!("{:04}", y.year).as_str())],
    );
    let chart = bar_chart(&bars, &title, &config.locale.numbers);
    map([
        ("year", Value::from(format!("{:04}", y.year))),
        ("count", Value::from(y.articles.len())),
        ("chart", Value::safe_string(&chart)),
        ("months", value(&months)),
        ("all_months", month_cells(config, y)),
        ("previous", value(&previous)),
        ("next", value(&next)),
    ])
}

/// `archive` on a month page: its days, a calendar of weeks from Monday,
/// and the nearest months with articles before and after, across years.
pub fn month_archive(site: &Site, values: &ArchiveValues, year: usize, month: usize) -> Value {
    let config = &site.config;
    let years = &site.archive.years;
    let (y, m) = (&years[year], &years[year].months[month]);
    let days: Vec<DateLink> = m
        .days
        .iter()
        .map(|d| DateLink::day(config, y.year, m.month, d.day, d.articles.len()))
        .collect();
    let previous = if month > 0 {
        let p = &y.months[month - 1];
        Some(DateLink::month(config, y.year, p.month, p.articles.len()))
    } else {
        year.checked_sub(1).and_then(|py| {
            let py = &years[py];
            py.months
                .last()
                .map(|p| DateLink::month(config, py.year, p.month, p.articles.len()))
        })
    };
    let next = if let Some(n) = y.months.get(month + 1) {
        Some(DateLink::month(config, y.year, n.month, n.articles.len()))
    } else {
        years.get(year + 1).and_then(|ny| {
            ny.months
                .first()
                .map(|n| DateLink::month(config, ny.year, n.month, n.articles.len()))
        })
    };
    let mut fields = month_fields(site, y.year, m.month);
    fields.extend([
        ("count", Value::from(m.articles.len())),
        ("days", value(&days)),
        ("calendar", values.calendars[year][month].clone()),
        (
            "weekdays",
            Value::from(
                (0..7)
                    .map(|day| {
                        let dates = &config.locale.dates;
                        map([
                            ("short", Value::from(dates.weekday_short(day))),
                            ("name", Value::from(dates.weekday(day))),
                        ])
                    })
                    .collect::<Vec<_>>(),
            ),
        ),
        ("previous", value(&previous)),
        ("next", value(&next)),
    ]);
    map(fields)
}

/// A month as weeks from Monday: each week seven cells, each cell a day of
/// the month (with its count, and a link when it has articles) or empty.
fn calendar(site: &Site, year: usize, month: usize) -> Value {
    let config = &site.config;
    let (y, m) = (
        &site.archive.years[year],
        &site.archive.years[year].months[month],
    );
    let Ok(first) = Date::new(y.year, m.month, 1) else {
        return Value::from(Vec::<Value>::new());
    };
    let lead = first.weekday().to_monday_zero_offset() as usize;
    let days_in_month = first.days_in_month() as usize;
    let cells = (lead + days_in_month).div_ceil(7) * 7;
    let mut weeks: Vec<Value> = Vec::new();
    let mut week: Vec<Value> = Vec::with_capacity(7);
    for cell in 0..cells {
        let day = (cell >= lead && cell < lead + days_in_month).then(|| (cell - lead + 1) as i8);
        week.push(match day {
            None => map([]),
            Some(day) => {
                let count = m
                    .days
                    .iter()
                    .find(|d| d.day == day)
                    .map_or(0, |d| d.articles.len());
                let mut fields = vec![("day", Value::from(day)), ("count", Value::from(count))];
                if count > 0 {
                    let link = DateLink::day(config, y.year, m.month, day, count);
                    fields.push(("url", Value::from(link.url().to_string())));
                    fields.push(("label", Value::from(link.label().to_string())));
                }
                map(fields)
            }
        });
        if week.len() == 7 {
            weeks.push(Value::from(std::mem::take(&mut week)));
        }
    }
    Value::from(weeks)
}

/// What a day page shows of other days: the nearest days with articles
/// before and after it, and the same day in earlier years. Hashed into the
/// day page's signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct DayNeighbours {
    /// The nearest earlier day with articles: (year, month, day, count).
    pub previous: Option<(i16, i8, i8, usize)>,
    /// The nearest later day with articles.
    pub next: Option<(i16, i8, i8, usize)>,
    /// Earlier years with articles on this month and day, newest first:
    /// (year, count).
    pub earlier_years: Vec<(i16, usize)>,
}

impl DayNeighbours {
    /// The neighbours of the day at positions (`year`, `month`, `day`) of
    /// the archive.
    pub fn of(site: &Site, year: usize, month: usize, day: usize) -> DayNeighbours {
        let years = &site.archive.years;
        let at = |y: usize, m: usize, d: usize| {
            let (yy, mm) = (&years[y], &years[y].months[m]);
            let dd = &mm.days[d];
            (yy.year, mm.month, dd.day, dd.articles.len())
        };
        let previous = if day > 0 {
            Some(at(year, month, day - 1))
        } else if month > 0 {
            let m = &years[year].months[month - 1];
            Some(at(year, month - 1, m.days.len() - 1))
        } else if year > 0 {
            let y = &years[year - 1];
            let m = y.months.len() - 1;
            Some(at(year - 1, m, y.months[m].days.len() - 1))
        } else {
            None
        };
        let (y, m) = (&years[year], &years[year].months[month]);
        let next = if day + 1 < m.days.len() {
            Some(at(year, month, day + 1))
        } else if month + 1 < y.months.len() {
            Some(at(year, month + 1, 0))
        } else if year + 1 < years.len() {
            Some(at(year + 1, 0, 0))
        } else {
            None
        };
        let (month_number, day_number) = (m.month, m.days[day].day);
        let earlier_years = years[..year]
            .iter()
            .rev()
            .filter_map(|earlier| {
                let m = earlier.months.iter().find(|x| x.month == month_number)?;
                let d = m.days.iter().find(|x| x.day == day_number)?;
                Some((earlier.year, d.articles.len()))
            })
            .collect();
        DayNeighbours {
            previous,
            next,
            earlier_years,
        }
    }
}

/// `archive` on a day page: its month, the days before and after with
/// articles, and the same day in earlier years ("on this day").
pub fn day_archive(
    site: &Site,
    values: &ArchiveValues,
    year: usize,
    month: usize,
    day: usize,
) -> Value {
    let config = &site.config;
    let years = &site.archive.years;
    let (y, m) = (&years[year], &years[year].months[month]);
    let d = &m.days[day];
    let neighbours = DayNeighbours::of(site, year, month, day);
    let link = |found: Option<(i16, i8, i8, usize)>| {
        found.map_or_else(Value::none, |(y, m, d, _)| values.day(site, (y, m, d)))
    };
    let on_this_day: Vec<Value> = neighbours
        .earlier_years
        .iter()
        .map(|&(earlier, _)| values.day(site, (earlier, m.month, d.day)))
        .collect();
    let mut fields = month_fields(site, y.year, m.month);
    fields.extend([
        (
            "month_url",
            Value::from(config.base_url.link(&month_path(y.year, m.month))),
        ),
        ("day", Value::from(format!("{:02}", d.day))),
        ("day_number", Value::from(d.day)),
        // Replaces the month's title of `month_fields`.
        (
            "title",
            Value::from(config.locale.dates.day(y.year, m.month, d.day)),
        ),
        ("count", Value::from(d.articles.len())),
        ("previous", link(neighbours.previous)),
        ("next", link(neighbours.next)),
        ("on_this_day", Value::from(on_this_day)),
    ]);
    map(fields)
}

/// What month and day pages say of their month.
fn month_fields(site: &Site, year: i16, month: i8) -> Vec<(&'static str, Value)> {
    vec![
        ("year", Value::from(format!("{year:04}"))),
        (
            "year_url",
            Value::from(site.config.base_url.link(&year_path(year))),
        ),
        ("month", Value::from(format!("{month:02}"))),
        (
            "month_name",
            Value::from(site.config.locale.dates.month(month)),
        ),
        (
            "title",
            Value::from(site.config.locale.dates.month_of_year(year, month)),
        ),
    ]
}
