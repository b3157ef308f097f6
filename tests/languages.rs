//! End-to-end tests of sites in other languages: the built-in theme's
//! text, dates, numbers and plural forms in the site's `language`, `strings:`
//! overrides, right-to-left pages, and reading time of scripts written
//! without spaces. The browser checks of the Arabic site are in
//! `a_right_to_left_site_reads_right_to_left_in_chromium`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::browser::{self, drive_search, node};
use common::{TestSite, snapshot};

/// A site in `language` with articles spread over two months, tags, two
/// authors with Latin names and enough articles for a second home page.
fn site_in(language: &str, extra_config: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        format!(
            "title: Test\nbase_url: https://news.example.org/\nlanguage: {language}\npage_size: 3\n{extra_config}"
        ),
    );
    for day in 1..=5 {
        site.article(
            &format!("march-{day}.md"),
            &format!(
                "title: Marzo {day}\ndate: 2025-03-0{day}T10:00:00Z\ntags: [Economía]\nauthors: [John Smith, Jane Doe]\nsection: Mundo"
            ),
            "Texto del artículo.\n\n> Una cita.\n",
        );
    }
    site.article(
        "april.md",
        "title: Abril\ndate: 2025-04-07T10:00:00Z\ntags: [Economía]",
        "Otro texto.",
    );
    site
}

/// Every HTML page of a built site, by path.
fn html_pages(site: &TestSite) -> BTreeMap<String, String> {
    snapshot(&site.public())
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

/// The built-in strings of a language, as text.
fn strings(language: &str) -> BTreeMap<String, String> {
    let locale = broadsheet::i18n::Locale::new(language, &BTreeMap::new()).unwrap();
    locale
        .strings
        .texts()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The theme's English texts that a page in `language` still shows, as
/// element text (`>Older<`) or attribute value (`"Older"`).
fn english_left_in(pages: &BTreeMap<String, String>, language: &str) -> Vec<String> {
    let own = strings(language);
    let mut found = Vec::new();
    for (key, english) in strings("en") {
        // Placeholders are filled in; names equal in both are no leftover.
        if english.contains('{') || own[&key] == english {
            continue;
        }
        for (path, html) in pages {
            let text = english.replace('&', "&amp;");
            for shape in [
                format!(">{text}<"),
                format!("\"{text}\""),
                format!("> {text}"),
            ] {
                if html.contains(&shape) {
                    found.push(format!("{path}: {key} ({shape})"));
                }
            }
        }
    }
    found
}

#[test]
fn a_spanish_site_speaks_spanish() {
    let site = site_in("es", "");
    site.build_ok();
    let pages = html_pages(&site);
    let leftovers = english_left_in(&pages, "es");
    assert!(leftovers.is_empty(), "English left: {leftovers:#?}");

    let article = site.page("/2025/03/05/march-5/");
    assert!(
        article.contains("<html lang=\"es\">"),
        "no dir=rtl for Spanish"
    );
    assert!(article.contains(">5 de marzo de 2025</time>"), "{article}");
    assert!(article.contains("1 min de lectura"), "{article}");
    assert!(article.contains("Por <a href="), "{article}");
    assert!(article.contains("← Anterior"), "{article}");

    let month = site.page("/2025/03/");
    assert!(
        month.contains("<title>marzo de 2025 — Test</title>"),
        "{month}"
    );
    assert!(month.contains("5 artículos"), "{month}");
    // The calendar's weekdays and its screen-reader counts.
    assert!(
        month.contains("<abbr title=\"lunes\">lun</abbr>"),
        "{month}"
    );
    assert!(month.contains("1 artículo</span>"), "{month}");
    let page_two = site.page("/page/2/");
    assert!(page_two.contains("página 2 de 2"), "{page_two}");
    let archive = site.page("/archive/");
    assert!(
        archive.contains("<abbr title=\"marzo\">mar</abbr>"),
        "{archive}"
    );
    assert!(archive.contains("6 artículos"), "{archive}");
    let tag = site.page("/tags/economia/");
    assert!(tag.contains("Seguir Economía (feed Atom)"), "{tag}");
    let feed = site.page("/tags/economia/atom.xml");
    assert!(
        feed.contains("<title>Test — etiqueta Economía</title>"),
        "{feed}"
    );
    let search = site.page("/search/");
    assert!(search.contains("\"search_no_results\":\"No se encontraron artículos.\""));
    assert!(search.contains("\"articles\":{\"many\":\"{n} de artículos\",\"one\":\"{n} artículo\",\"other\":\"{n} artículos\"}"), "{search}");
    let missing = site.page("/404.html");
    assert!(missing.contains("Página no encontrada"), "{missing}");
}

#[test]
fn every_built_in_language_translates_every_page() {
    for (language, _) in broadsheet::i18n::strings::BUILTIN {
        if *language == "en" {
            continue;
        }
        let site = site_in(language, "");
        site.build_ok();
        let leftovers = english_left_in(&html_pages(&site), language);
        assert!(
            leftovers.is_empty(),
            "{language}: English left: {leftovers:#?}"
        );
    }
}

#[test]
fn plural_forms_follow_the_language() {
    let site = site_in("ru", "");
    site.build_ok();
    // 5 articles in March, 1 in April, 6 in all: Russian says статей, статья.
    assert!(site.page("/2025/03/").contains("5 статей"));
    assert!(site.page("/2025/04/").contains("1 статья"));
    assert!(site.page("/2025/").contains("6 статей"));
    assert!(
        site.page("/2025/03/")
            .contains("<title>март 2025\u{202f}г. — Test</title>")
    );
}

#[test]
fn an_arabic_site_is_right_to_left() {
    let site = site_in("ar", "");
    site.build_ok();
    for (path, html) in html_pages(&site) {
        if path.ends_with("404.html") || path.contains("/atom") {
            continue;
        }
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{path}");
    }
    let article = site.page("/2025/03/05/march-5/");
    // The arrows point the way the page reads: older is on the right.
    assert!(article.contains("→ الأقدم"), "{article}");
    assert!(article.contains("الأحدث ←"), "{article}");
    assert!(article.contains(">5 مارس 2025</time>"), "{article}");
}

#[test]
fn strings_in_the_config_override_the_theme() {
    let site = site_in(
        "en",
        "strings:\n  latest: Front page\n  articles: {one: '{n} story', other: '{n} stories'}\n  my_own: Mine\n",
    );
    site.build_ok();
    assert!(
        site.page("/")
            .contains("<h1 class=\"page-title\">Front page")
    );
    assert!(site.page("/2025/03/").contains("5 stories"));
    assert!(site.page("/2025/04/").contains("1 story"));

    let bad = site_in("en", "strings:\n  articles: {one: '{n} story'}\n");
    let failure = bad.build().unwrap_err();
    let message = format!("{}", failure.error);
    assert!(message.contains("config.yaml:5"), "{message}");
    assert!(
        message.contains("`articles`") && message.contains("`other`"),
        "{message}"
    );
}

#[test]
fn languages_the_theme_does_not_speak_fall_back_to_english() {
    let site = site_in("tlh", "");
    site.build_ok();
    let article = site.page("/2025/03/05/march-5/");
    assert!(article.contains("<html lang=\"tlh\">"), "{article}");
    assert!(article.contains(">5 March 2025</time>"), "{article}");
    assert!(article.contains("1 min read"), "{article}");
}

#[test]
fn reading_time_counts_characters_of_scripts_without_spaces() {
    let site = TestSite::new();
    site.write("config.yaml", "language: zh\n");
    let chinese = "东京今天的天气很好，市民纷纷外出散步。".repeat(280);
    site.article("zh.md", "title: 东京\nslug: zh\ndate: 2025-03-01", &chinese);
    let thai = "ภาษาไทยเขียนติดกันโดยไม่มีช่องว่าง".repeat(160);
    site.article("th.md", "title: ไทย\nslug: th\ndate: 2025-03-02", &thai);
    site.build_ok();
    // 280 × 17 Han characters (the full-width stops are no letters) and the
    // whole body as one spaced word: ten minutes at 500 characters a minute.
    let page = site.page("/2025/03/01/zh/");
    assert!(page.contains("阅读需 10 分钟"), "{page}");
    assert!(page.contains("\"wordCount\":4761"), "{page}");
    let characters = thai.chars().count();
    assert_eq!(characters, 160 * 34);
    let page = site.page("/2025/03/02/th/");
    assert!(page.contains("阅读需 11 分钟"), "{page}");
}

#[test]
#[ignore = "needs Chromium and node packages: run scripts/test.sh"]
fn a_right_to_left_site_reads_right_to_left_in_chromium() {
    let site = site_in("ar", "");
    site.article(
        "mixed.md",
        "title: فوز Manchester United على Arsenal\ndate: 2025-03-06T10:00:00Z\ntags: [كرة القدم, Premier League]\nauthors: [John Smith, Jane Doe]\nsection: Mundo",
        "نص عربي فيه اسم Manchester United ثم تكملة.\n\n> اقتباس طويل.\n",
    );
    site.build_ok();
    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/rtl");
    let output = node(
        "rtl.mjs",
        &[site.public().as_os_str(), screenshots.as_os_str()],
    );
    let text = browser::text(&output);
    assert!(output.status.success(), "{text}");
    assert!(screenshots.join("article-1280.png").is_file(), "{text}");
}

#[test]
fn an_article_in_another_language_marks_its_own_text() {
    let site = TestSite::new();
    site.write("config.yaml", "language: en\n");
    site.article(
        "arabic.md",
        "title: عنوان الخبر\nslug: arabic\nlang: ar\nsubtitle: سطر\ndate: 2025-03-01",
        "نص الخبر.",
    );
    site.article(
        "english.md",
        "title: Plain\nlang: en\ndate: 2025-03-02",
        "Text.",
    );
    site.build_ok();
    let page = site.page("/2025/03/01/arabic/");
    assert!(
        page.contains("<h1 class=\"headline\" lang=\"ar\" dir=\"rtl\">"),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"standfirst\" lang=\"ar\" dir=\"rtl\">"),
        "{page}"
    );
    assert!(
        page.contains("<div class=\"article-body wrap\" lang=\"ar\" dir=\"rtl\">"),
        "{page}"
    );
    // The theme's own text around it stays English and left to right.
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    let home = site.page("/");
    assert!(
        home.contains("<h2 class=\"card-title\" lang=\"ar\" dir=\"rtl\">"),
        "{home}"
    );
    // The site's own language is not repeated.
    assert!(
        site.page("/2025/03/02/english/")
            .contains("<h1 class=\"headline\">")
    );

    // Archives use `language:` for names: it stays an unknown key, not an error.
    site.article(
        "named.md",
        "title: Named\ndate: 2025-03-03\nlanguage: Português",
        "x",
    );
    let report = site.build_ok();
    assert!(
        format!("{:?}", report.warnings).contains("language"),
        "{:?}",
        report.warnings
    );

    site.article(
        "bad.md",
        "title: Bad\ndate: 2025-03-03\nlang: \"en us\"",
        "x",
    );
    let failure = site.build().unwrap_err();
    let broadsheet::build::BuildError::Files(errors) = failure.error else {
        panic!("{:?}", failure.error);
    };
    let message = errors[0].to_string();
    assert!(
        message.starts_with("content/bad.md:4:")
            && message.contains("`lang`: `en us` is not a language tag"),
        "{message}"
    );
}

#[test]
#[ignore = "needs Chromium and node packages: run scripts/test.sh"]
fn the_search_page_speaks_the_site_language_in_chromium() {
    let site = site_in("ru", "");
    site.build_ok();
    let steps = r#"[{"open": "/search/?q=texto"}, {"open": "/search/?q=zzzz"}]"#;
    let seen = drive_search(&site.public(), steps);
    let stdout = format!("{seen:?}");
    // Six articles say "texto": Russian's `many` form, and its quotes.
    assert_eq!(seen[0]["status"], "6 статей по запросу «texto»", "{stdout}");
    let none = seen[1]["status"].as_str().unwrap();
    assert!(
        none.starts_with("По запросу «zzzz» статьи не найдены. Проверьте написание"),
        "{none}"
    );
}
