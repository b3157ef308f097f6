//! Bar charts of articles per month, drawn at build time as inline SVG: no
//! script, every bar a link to its month with an accessible label.

use std::fmt::Write;

use crate::config::Config;
use crate::site::archive::{Year, month_name, month_path};

/// Width of one bar's slot, in pixels.
const SLOT: usize = 10;
/// Height of the tallest bar.
const HEIGHT: usize = 100;
/// Room under the bars for year or month labels.
const AXIS: usize = 18;

/// Escapes text for SVG content and attributes.
fn escape(text: &str) -> String {
    crate::escape::xml_escape(text)
}

/// One month's bar.
struct Bar {
    year: i16,
    month: i8,
    count: usize,
}

/// A chart of every month of `years` (earliest first), January to December;
/// months without articles keep their place, without a bar.
pub fn months_chart(
    config: &Config,
    years: &[Year],
    title: &str,
    label_every_month: bool,
) -> String {
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return String::new();
    };
    let mut bars = Vec::new();
    // Whole years, January to December, so that columns line up year by year.
    let (mut y, mut m) = (first.year, 1);
    while (y, m) <= (last.year, 12) {
        let count = years
            .iter()
            .find(|yr| yr.year == y)
            .and_then(|yr| yr.months.iter().find(|mo| mo.month == m))
            .map_or(0, |mo| mo.articles.len());
        bars.push(Bar {
            year: y,
            month: m,
            count,
        });
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    let max = bars.iter().map(|b| b.count).max().unwrap_or(1).max(1);
    let width = bars.len() * SLOT;
    let height = HEIGHT + AXIS;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"group\" aria-label=\"{}\">",
        escape(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let x = i * SLOT;
        if bar.count > 0 {
            let h = (bar.count * HEIGHT).div_ceil(max).max(2);
            let label = format!(
                "{} {}: {} article{}",
                month_name(bar.month),
                bar.year,
                bar.count,
                if bar.count == 1 { "" } else { "s" }
            );
            let _ = write!(
                svg,
                "<a href=\"{}\" aria-label=\"{label}\"><title>{label}</title><rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{h}\"></rect></a>",
                escape(&config.base_url.link(&month_path(bar.year, bar.month))),
                x + 1,
                HEIGHT - h,
                SLOT - 2,
            );
        }
        let axis_label = if label_every_month {
            Some(month_name(bar.month)[..1].to_string())
        } else if bar.month == 1 || i == 0 {
            Some(format!("{}", bar.year))
        } else {
            None
        };
        if let Some(text) = axis_label {
            let _ = write!(
                svg,
                "<text class=\"axis\" x=\"{}\" y=\"{}\" aria-hidden=\"true\">{}</text>",
                x + 1,
                HEIGHT + AXIS - 4,
                escape(&text)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::archive::Month;

    #[test]
    fn one_bar_per_month_with_links_and_labels() {
        let years = vec![
            Year {
                year: 2024,
                articles: vec![0, 1],
                months: vec![Month {
                    month: 11,
                    articles: vec![0, 1],
                    days: vec![],
                }],
            },
            Year {
                year: 2025,
                articles: vec![2],
                months: vec![Month {
                    month: 2,
                    articles: vec![2],
                    days: vec![],
                }],
            },
        ];
        let svg = months_chart(&Config::default(), &years, "Articles per month", false);
        assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
        assert!(
            svg.contains("aria-label=\"November 2024: 2 articles\""),
            "{svg}"
        );
        assert!(
            svg.contains("href=\"/2025/02/\" aria-label=\"February 2025: 1 article\""),
            "{svg}"
        );
        assert!(svg.contains("width=\"240\""), "two whole years: {svg}");
        assert!(svg.contains(">2025</text>"));
    }
}
