//! Bar charts of articles per year or month, made at build time as plain
//! HTML and CSS (bars are boxes with a height in percent), so they fill
//! their column at any width with text that stays readable. A chart is one
//! image with a text alternative that reads out every bar; its bars are not
//! links (the grids beside it are), so they are no tab stops.

use std::fmt::Write;

use crate::i18n::Numbers;

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Under the bar (`2025`, `M`); may be empty.
    pub axis_label: String,
    /// In the text alternative (`March 2025`).
    pub name: String,
    /// Its height.
    pub count: usize,
}

/// The smallest "round" number (1, 2 or 5 times a power of ten) at least
/// `max`: the top of the scale.
fn nice_ceiling(max: usize) -> usize {
    let mut unit = 1;
    loop {
        for step in [1, 2, 5] {
            if step * unit >= max {
                return step * unit;
            }
        }
        unit *= 10;
    }
}

/// A bar chart with a scale (0, half and top), titled `title`, its numbers
/// written by `numbers` (`5,000`, `5.000`). Empty when there are no bars.
pub fn bar_chart(bars: &[Bar], title: &str, numbers: &Numbers) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let top = nice_ceiling(bars.iter().map(|b| b.count).max().unwrap_or(0).max(1));
    let alternative = format!(
        "{title}: {}",
        bars.iter()
            .map(|b| format!("{} {}", b.name, numbers.format(b.count as i64)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut html = String::new();
    let _ = write!(
        html,
        "<div class=\"bar-chart\" role=\"img\" aria-label=\"{}\">\
         <div class=\"bar-scale\" aria-hidden=\"true\"><span>{}</span><span>{}</span><span>{}</span></div>\
         <ol class=\"bars\" aria-hidden=\"true\">",
        escape(&alternative),
        numbers.format(top as i64),
        if top >= 2 {
            numbers.format((top / 2) as i64)
        } else {
            String::new()
        },
        numbers.format(0),
    );
    for bar in bars {
        // Tenths of a percent, so that small bars still show.
        let height = match bar.count {
            0 => 0,
            n => (n * 1000).div_ceil(top).max(8),
        };
        let _ = write!(
            html,
            "<li><span class=\"bar\" style=\"height: {}.{}%\"></span><span class=\"bar-label\">{}</span></li>",
            height / 10,
            height % 10,
            escape(&bar.axis_label)
        );
    }
    html.push_str("</ol></div>");
    html
}

/// Escapes text for HTML text and attributes.
fn escape(text: &str) -> String {
    crate::escape::xml_escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, count: usize) -> Bar {
        Bar {
            axis_label: label.into(),
            name: format!("{label} 2025"),
            count,
        }
    }

    #[test]
    fn a_chart_is_one_image_with_every_bar_in_its_text() {
        let html = bar_chart(
            &[bar("Jan", 12), bar("Feb", 0), bar("Mar", 37)],
            "Articles per month in 2025",
            &Numbers::new("en"),
        );
        assert!(html.contains(
            "role=\"img\" aria-label=\"Articles per month in 2025: Jan 2025 12, Feb 2025 0, Mar 2025 37\""
        ));
        assert!(!html.contains("<a "), "bars are no tab stops");
        assert!(
            html.contains("<span>50</span><span>25</span><span>0</span>"),
            "{html}"
        );
        assert!(html.contains("height: 24.0%"), "12 of 50: {html}");
        assert!(html.contains("height: 0.0%"), "an empty month: {html}");
        assert!(html.contains("height: 74.0%"), "37 of 50: {html}");
        assert!(bar_chart(&[], "x", &Numbers::new("en")).is_empty());
    }

    #[test]
    fn numbers_follow_the_language() {
        let html = bar_chart(&[bar("Jan", 1234)], "Articles", &Numbers::new("de"));
        assert!(html.contains("Jan 2025 1.234"), "{html}");
        assert!(
            html.contains("<span>2.000</span><span>1.000</span><span>0</span>"),
            "{html}"
        );
    }

    #[test]
    fn scales_end_on_round_numbers() {
        let tops: Vec<usize> = [1, 3, 7, 12, 37, 120, 999, 1001]
            .into_iter()
            .map(nice_ceiling)
            .collect();
        assert_eq!(tops, [1, 5, 10, 20, 50, 200, 1000, 2000]);
    }
}
