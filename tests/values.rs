//! What the pipeline decides for the theme's archive furniture (years on
//! term pages, the pagination window, day neighbours, on this day, month
//! calendars, article neighbours, overviews by initial), read through a test
//! theme that prints the template values as JSON, so that no change of the
//! built-in theme's markup breaks these tests.

mod common;

use common::TestSite;
use serde_json::Value;

/// A site whose templates print `values` (a Tera expression per template)
/// as JSON, one per line.
fn printing_site(templates: &[(&str, &str)]) -> TestSite {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "title: Values\nbase_url: https://example.org/\npage_size: 5\n",
    );
    for (name, expressions) in templates {
        let body: String = expressions
            .split(',')
            .map(|e| format!("{{{{ {} | json_encode | safe }}}}\n", e.trim()))
            .collect();
        site.write(&format!("templates/{name}"), body);
    }
    site
}

/// The JSON values a printed page holds, in order.
fn values(site: &TestSite, url: &str) -> Vec<Value> {
    site.page(url)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn urls(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v["url"].as_str().unwrap_or("gap").to_string())
        .collect()
}

#[test]
fn term_pages_list_their_years_each_linking_to_the_page_where_it_starts() {
    let site = printing_site(&[("term.html", "years, paginator.current, paginator.window")]);
    // 9 articles in 2025, 20 in 2024, 1 in 2023, 15 in 2021, newest first:
    // 2025 starts on page 1 (item 0), 2024 on page 2 (item 9), 2023 on
    // page 6 (item 29), 2021 on page 7 (item 30).
    let mut n = 0;
    for (year, count) in [(2025, 9), (2024, 20), (2023, 1), (2021, 15)] {
        for i in 0..count {
            n += 1;
            site.article(
                &format!("{year}/s{n}.md"),
                &format!(
                    "title: S{n}\ndate: {year}-{:02}-{:02}\ntags: [Port]",
                    1 + i % 12,
                    1 + i % 28
                ),
                "",
            );
        }
    }
    site.build_ok();
    let printed = values(&site, "/tags/port/");
    let years: Vec<(String, u64, String)> = printed[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (
                y["year"].as_str().unwrap().to_string(),
                y["count"].as_u64().unwrap(),
                y["url"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        years,
        [
            ("2025".into(), 9, "/tags/port/".into()),
            ("2024".into(), 20, "/tags/port/page/2/".into()),
            ("2023".into(), 1, "/tags/port/page/6/".into()),
            ("2021".into(), 15, "/tags/port/page/7/".into()),
        ]
    );
    assert_eq!(printed[1], 1);
    assert_eq!(
        urls(&printed[2]),
        [
            "/tags/port/",
            "/tags/port/page/2/",
            "/tags/port/page/3/",
            "gap",
            "/tags/port/page/9/"
        ]
    );
    let middle = values(&site, "/tags/port/page/5/");
    let window = middle[2].as_array().unwrap();
    let numbers: Vec<String> = window
        .iter()
        .map(|p| match p["number"].as_u64() {
            Some(n) if p["current"] == true => format!("[{n}]"),
            Some(n) => n.to_string(),
            None => "…".into(),
        })
        .collect();
    assert_eq!(numbers, ["1", "…", "3", "4", "[5]", "6", "7", "…", "9"]);
    let last = values(&site, "/tags/port/page/9/");
    assert_eq!(
        urls(&last[2]),
        [
            "/tags/port/",
            "gap",
            "/tags/port/page/7/",
            "/tags/port/page/8/",
            "/tags/port/page/9/"
        ]
    );
}

#[test]
fn day_pages_link_the_nearest_days_and_the_same_day_in_earlier_years() {
    let site = printing_site(&[
        (
            "day.html",
            "archive.previous, archive.next, archive.on_this_day",
        ),
        ("month.html", "archive.calendar, archive.weekdays"),
        ("article.html", "newer, older"),
    ]);
    for (name, date) in [
        ("a", "2023-03-17"),
        ("b", "2024-03-17"),
        ("c", "2025-03-10"),
        ("d", "2025-03-17T08:00:00Z"),
        ("e", "2025-03-17T18:00:00Z"),
        ("f", "2025-04-02"),
        ("g", "2022-03-18"),
    ] {
        site.article(
            &format!("{name}.md"),
            &format!("title: {name}\ndate: {date}"),
            "",
        );
    }
    site.build_ok();
    let day = values(&site, "/2025/03/17/");
    assert_eq!(day[0]["url"], "/2025/03/10/");
    assert_eq!(day[1]["url"], "/2025/04/02/");
    assert_eq!(urls(&day[2]), ["/2024/03/17/", "/2023/03/17/"]);
    assert_eq!(day[2][0]["count"], 1);
    // The first day has no earlier neighbour, the last no later one.
    assert_eq!(values(&site, "/2022/03/18/")[0], Value::Null);
    assert_eq!(values(&site, "/2025/04/02/")[1], Value::Null);

    // March 2025 begins on a Saturday: five empty cells, then 31 days in
    // six weeks of seven; days with articles link to their page.
    let month = values(&site, "/2025/03/");
    let weeks = month[0].as_array().unwrap();
    assert_eq!(weeks.len(), 6);
    assert!(weeks.iter().all(|w| w.as_array().unwrap().len() == 7));
    let cells: Vec<&Value> = weeks.iter().flat_map(|w| w.as_array().unwrap()).collect();
    assert!(cells[..5].iter().all(|c| c.get("day").is_none()));
    assert_eq!(cells[5]["day"], 1);
    assert_eq!(cells[4 + 17]["day"], 17);
    assert_eq!(cells[4 + 17]["count"], 2);
    assert_eq!(cells[4 + 17]["url"], "/2025/03/17/");
    assert_eq!(cells[4 + 18]["count"], 0);
    assert!(cells[4 + 18].get("url").is_none());
    assert_eq!(month[1][0]["name"], "Monday");

    // Articles: the newer and older ones in reading order.
    let article = values(&site, "/2025/03/17/d/");
    assert_eq!(article[0]["url"], "/2025/03/17/e/");
    assert_eq!(article[1]["url"], "/2025/03/10/c/");
    assert_eq!(values(&site, "/2025/04/02/f/")[0], Value::Null);
    assert_eq!(values(&site, "/2022/03/18/g/")[1], Value::Null);
}

#[test]
fn large_overviews_are_filed_by_initial_as_written_with_natural_order() {
    let site = printing_site(&[
        (
            "taxonomy.html",
            "taxonomy.paged, taxonomy.initials, taxonomy.most_used",
        ),
        ("taxonomy_initial.html", "initial.label, initial.terms"),
    ]);
    let mut tags: Vec<String> = (0..300).map(|i| format!("topic {i}")).collect();
    tags.extend(
        [
            "Ελλάδα",
            "Москва",
            "2024 vote",
            "agriculture 13",
            "agriculture 2",
            "Éire",
        ]
        .map(String::from),
    );
    for (i, chunk) in tags.chunks(3).enumerate() {
        site.article(
            &format!("s{i}.md"),
            &format!(
                "title: S{i}\ndate: 2025-01-01\ntags: [{}, topic 7]",
                chunk.join(", ")
            ),
            "",
        );
    }
    site.build_ok();
    let overview = values(&site, "/tags/");
    assert_eq!(overview[0], true, "over 300 terms: a page per initial");
    let labels: Vec<&str> = overview[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    for expected in ["0–9", "A", "E", "T", "Ε", "М"] {
        assert!(labels.contains(&expected), "{expected} in {labels:?}");
    }
    assert_eq!(overview[2][0]["name"], "topic 7", "most used first");

    let a = values(
        &site,
        &urls(&overview[1])[labels.iter().position(|l| *l == "A").unwrap()],
    );
    let names: Vec<&str> = a[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["agriculture 2", "agriculture 13"]);
    let e = values(
        &site,
        &urls(&overview[1])[labels.iter().position(|l| *l == "E").unwrap()],
    );
    assert_eq!(e[1][0]["name"], "Éire", "filed under its plain letter");
    let t = values(
        &site,
        &urls(&overview[1])[labels.iter().position(|l| *l == "T").unwrap()],
    );
    let topics: Vec<&str> = t[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(&topics[..4], ["topic 0", "topic 1", "topic 2", "topic 3"]);
    assert_eq!(topics[10], "topic 10", "numbers in names sort as numbers");
}

#[test]
fn listing_items_are_made_for_each_page_when_a_template_names_them() {
    let site = printing_site(&[
        ("index.html", "paginator.items"),
        ("term.html", "paginator.cards | length"),
    ]);
    for n in 1..=7 {
        site.article(
            &format!("a{n}.md"),
            &format!(
                "title: \"A{n} <b>&\"\ndate: 2025-03-{n:02}T08:30:00+02:00\n\
                 tags: [Port]\nauthors: [Jane Roe]\nsection: News\nupdated: 2025-04-01"
            ),
            "Body text.",
        );
    }
    site.build_ok();
    let items = values(&site, "/").remove(0);
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 5, "page_size is 5");
    let newest = &items[0];
    assert_eq!(newest["title"], "A7 <b>&");
    assert_eq!(newest["url"], "/2025/03/07/a7/");
    assert_eq!(newest["permalink"], "https://example.org/2025/03/07/a7/");
    let date = &newest["date"];
    assert_eq!(date["iso"], "2025-03-07T08:30:00+02:00");
    assert_eq!(date["display"], "7 March 2025");
    assert_eq!(
        [
            &date["year"],
            &date["month"],
            &date["day"],
            &date["month_name"]
        ],
        ["2025", "03", "07", "March"]
    );
    assert_eq!(date["url"], "/2025/03/07/");
    assert_eq!(newest["updated"]["iso"], "2025-04-01T00:00:00+00:00");
    assert_eq!(newest["updated"]["url"], "/2025/04/01/");
    assert_eq!(newest["tags"][0]["url"], "/tags/port/");
    assert_eq!(newest["authors"][0]["name"], "Jane Roe");
    assert_eq!(newest["section"]["slug"], "news");
    assert_eq!(newest["summary"], "<p>Body text.</p>");
    assert!(newest.get("content").is_none());
    let page2 = values(&site, "/page/2/").remove(0);
    let titles: Vec<&str> = page2
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["A2 <b>&", "A1 <b>&"]);
    // Cards are there whether or not a template names the items.
    assert_eq!(values(&site, "/tags/port/")[0], 5);
}
