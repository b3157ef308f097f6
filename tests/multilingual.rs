//! End-to-end tests of sites in several languages (`languages:`): each
//! language's own home, listings, archives, feeds and search under its
//! prefix, translations linked both ways (pages and sitemaps), what stays
//! at the root, links between languages, errors, and serving.

mod common;

use broadsheet::output::LiveDir;
use broadsheet::timings::Timings;
use common::browser::{self, drive_search, node};
use common::{TestSite, png, snapshot, stderr};

/// A site in English with Russian, as a regional wire service has it:
/// a translated pair by file name, one by `translation_key:`, and articles
/// in one language only (by suffix and by `lang:`).
fn english_and_russian() -> TestSite {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "title: Regional Wire\nbase_url: https://wire.example.org/\nlanguage: en\nlanguages:\n  ru:\n    title: Региональная лента\n    description: Новости региона\n",
    );
    site.article(
        "2025/budget.md",
        "title: Council passes the <budget> & more\ndate: 2025-03-07T09:00:00Z\ntags: [Budget]\nauthors: [Anna Petrova]",
        "The council passed the budget. [In Russian](/ru/2025/03/07/budget/).",
    );
    site.article(
        "2025/budget.ru.md",
        "title: Совет принял бюджет\ndate: 2025-03-07T09:00:00Z\ntags: [Бюджет]\nauthors: [Анна Петрова]",
        "Совет принял бюджет. [По-английски](/2025/03/07/budget/).",
    );
    site.article(
        "2025/election.md",
        "title: Turnout rises in the city vote\ndate: 2025-03-09T09:00:00Z\ntranslation_key: vote-2025",
        "Turnout rose.",
    );
    site.article(
        "2025/vybory.ru.md",
        "title: Явка на выборах выросла\ndate: 2025-03-09T09:00:00Z\ntranslationKey: vote-2025",
        "Явка выросла.",
    );
    site.article(
        "2025/ferry.md",
        "title: Ferry timetable changes\ndate: 2025-03-10T09:00:00Z\ntags: [Transport]",
        "The ferry runs later.",
    );
    site.article(
        "2025/snow.md",
        "title: Снегопад закрыл дороги\ndate: 2025-02-01T09:00:00Z\nlang: ru\ntags: [Погода]",
        "Дороги закрыты.",
    );
    site.write("static/images/map.png", b"not really a png");
    site
}

/// The `href` of every `<link rel="alternate" hreflang>` of a page, by language.
fn hreflang_links(html: &str) -> Vec<(String, String)> {
    html.lines()
        .filter(|line| line.starts_with("<link rel=\"alternate\" hreflang="))
        .map(|line| {
            let attribute = |name: &str| {
                let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                line[start..][..line[start..].find('"').unwrap()].to_string()
            };
            (attribute("hreflang"), attribute("href"))
        })
        .collect()
}

fn exists(site: &TestSite, path: &str) -> bool {
    site.public().join(path).exists()
}

#[test]
fn each_language_has_its_own_home_listings_archives_feeds_and_search() {
    let site = english_and_russian();
    let report = site.build_ok();
    assert_eq!(report.articles_written, 6);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    let home = site.page("/");
    let home_ru = site.page("/ru/");
    assert!(home.contains("<html lang=\"en\""));
    assert!(home_ru.contains("<html lang=\"ru\""));
    assert!(home.contains("Ferry timetable changes") && !home.contains("Снегопад"));
    assert!(home_ru.contains("Снегопад закрыл дороги") && !home_ru.contains("Ferry"));
    assert!(home_ru.contains("<title>Региональная лента</title>"));
    assert!(
        home_ru.contains(">Последнее<"),
        "Russian strings on the Russian home"
    );

    // Taxonomies and date archives of each language, under its prefix.
    assert!(exists(&site, "tags/budget/index.html"));
    assert!(exists(&site, "ru/tags/biudzhet/index.html"));
    assert!(!exists(&site, "tags/biudzhet"));
    assert!(!exists(&site, "ru/tags/budget"));
    assert!(exists(&site, "ru/2025/02/01/snow/index.html"));
    assert!(!exists(&site, "2025/02"), "no English articles in February");
    assert!(site.page("/ru/2025/03/").contains("Совет принял бюджет"));

    // Feeds of each language hold its articles only.
    let atom = site.page("/atom.xml");
    let atom_ru = site.page("/ru/atom.xml");
    assert!(
        atom_ru.contains("xml:lang=\"ru\"")
            && atom_ru.contains("<title>Региональная лента</title>")
    );
    assert!(atom.contains("Ferry") && !atom.contains("Снегопад"));
    assert!(atom_ru.contains("Снегопад") && !atom_ru.contains("Ferry"));
    assert!(
        atom_ru.contains("tag:wire.example.org,2025-03-07:/ru/2025/03/07/budget/"),
        "translations have ids of their own"
    );

    // Search of each language: its own page, index and documents.
    let search_ru = site.page("/ru/search/");
    assert!(search_ru.contains("data-index=\"/ru/search/index.json\""));
    let docs = |prefix: &str| -> String {
        snapshot(&site.public().join(prefix).join("search/doc"))
            .into_values()
            .map(|bytes| String::from_utf8(bytes).unwrap())
            .collect()
    };
    assert!(docs("ru").contains("Снегопад") && !docs("ru").contains("Ferry"));
    assert!(docs("").contains("Ferry") && !docs("").contains("Снегопад"));

    // The whole site's files are at the root only, and every language's
    // pages use them there.
    for root_only in [
        "404.html",
        "robots.txt",
        "theme.css",
        "search.js",
        "images/map.png",
    ] {
        assert!(exists(&site, root_only), "{root_only}");
        assert!(!exists(&site, &format!("ru/{root_only}")), "ru/{root_only}");
    }
    assert!(home_ru.contains("<link rel=\"stylesheet\" href=\"/theme.css?v="));
    let robots = site.page("/robots.txt");
    assert!(robots.contains("Sitemap: https://wire.example.org/sitemap.xml"));
    assert!(robots.contains("Sitemap: https://wire.example.org/ru/sitemap.xml"));

    // The language switcher on every page leads to each home.
    assert!(home_ru.contains("<a href=\"/\" hreflang=\"en\" lang=\"en\">English</a>"));
    assert!(home_ru.contains(
        "<a href=\"/ru/\" hreflang=\"ru\" lang=\"ru\" aria-current=\"true\">Русский</a>"
    ));
    assert_eq!(
        hreflang_links(&home),
        [
            ("en".into(), "https://wire.example.org/".into()),
            ("ru".into(), "https://wire.example.org/ru/".into())
        ]
    );
}

#[test]
fn translations_link_to_each_other_both_ways() {
    let site = english_and_russian();
    site.build_ok();
    let pairs = [
        ("/2025/03/07/budget/", "/ru/2025/03/07/budget/"),
        ("/2025/03/09/election/", "/ru/2025/03/09/vybory/"),
    ];
    for (english, russian) in pairs {
        let expected = vec![
            (
                "en".to_string(),
                format!("https://wire.example.org{english}"),
            ),
            (
                "ru".to_string(),
                format!("https://wire.example.org{russian}"),
            ),
        ];
        assert_eq!(hreflang_links(&site.page(english)), expected, "{english}");
        assert_eq!(hreflang_links(&site.page(russian)), expected, "{russian}");
        // The visible switcher names the other version in its own language.
        assert!(site.page(english).contains(&format!(
            "<a href=\"{russian}\" hreflang=\"ru\" lang=\"ru\" rel=\"alternate\">Русский</a>"
        )));
        assert!(site.page(russian).contains(&format!(
            "<a href=\"{english}\" hreflang=\"en\" lang=\"en\" rel=\"alternate\">English</a>"
        )));
    }
    // Articles in one language only have no alternates.
    assert!(hreflang_links(&site.page("/2025/03/10/ferry/")).is_empty());
    assert!(
        !site
            .page("/ru/2025/02/01/snow/")
            .contains("class=\"translations\"")
    );

    // Sitemaps name the translations of each article, in both languages.
    for sitemap in ["/sitemap.xml", "/ru/sitemap.xml"] {
        let xml = site.page(sitemap);
        assert!(xml.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
        assert!(xml.contains("<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://wire.example.org/2025/03/09/election/\"/><xhtml:link rel=\"alternate\" hreflang=\"ru\" href=\"https://wire.example.org/ru/2025/03/09/vybory/\"/>"), "{sitemap}");
    }
    let sitemap = site.page("/sitemap.xml");
    let ferry = sitemap.lines().find(|l| l.contains("/ferry/")).unwrap();
    assert!(!ferry.contains("xhtml:link"));
}

#[test]
fn links_between_languages_are_checked_against_the_whole_site() {
    let site = english_and_russian();
    site.article(
        "2025/links.md",
        "title: Links\ndate: 2025-03-11T09:00:00Z",
        "[ok](/ru/2025/02/01/snow/) [map](/images/map.png) [gone](/ru/2025/01/01/nothing/)\n\n[by file](snow.md) [translation](budget.ru.md)",
    );
    site.article(
        "2025/links.ru.md",
        "title: Ссылки\ndate: 2025-03-11T09:00:00Z",
        "[снег](snow.md) [бюджет](budget.ru.md) [ferry](ferry.md)",
    );
    let report = site.build_ok();
    let broken: Vec<String> = report.warnings.lines();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(broken[0].contains("/ru/2025/01/01/nothing/"), "{broken:?}");
    // Links by source file lead to the article in its language.
    let english = site.page("/2025/03/11/links/");
    assert!(english.contains("<a href=\"/ru/2025/02/01/snow/\">by file</a>"));
    assert!(english.contains("<a href=\"/ru/2025/03/07/budget/\">translation</a>"));
    let russian = site.page("/ru/2025/03/11/links/");
    assert!(russian.contains("<a href=\"/ru/2025/02/01/snow/\">снег</a>"));
    assert!(russian.contains("<a href=\"/ru/2025/03/07/budget/\">бюджет</a>"));
    assert!(russian.contains("<a href=\"/2025/03/10/ferry/\">ferry</a>"));
}

#[test]
fn a_file_name_and_lang_that_disagree_are_an_error_at_the_line() {
    let site = english_and_russian();
    site.article(
        "2025/mixed.ru.md",
        "title: Mixed\ndate: 2025-03-11T09:00:00Z\nlang: en",
        "Text.",
    );
    let output = site.run(&["build"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains(
            "content/2025/mixed.ru.md:4: `lang: en` is not the language of the file name (`.ru.md`)"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn two_articles_of_one_language_with_one_key_are_a_warning() {
    let site = english_and_russian();
    site.article(
        "2026/vote-again.ru.md",
        "title: Ещё о выборах\ndate: 2025-03-12T09:00:00Z\ntranslation_key: vote-2025",
        "Текст.",
    );
    let report = site.build_ok();
    let warnings = report.warnings.lines().join("\n");
    assert!(
        warnings.contains(
            "content/2026/vote-again.ru.md: content/2025/vybory.ru.md is also the `ru` article of translation key `vote-2025`"
        ),
        "{warnings}"
    );
}

#[test]
fn bad_languages_are_errors_in_the_config() {
    for (languages, expected) in [
        (
            "  ru:\n    prefix: /tags/\n",
            "config.yaml:4: languages: `ru`: `prefix: /tags/` would be among the default language's own pages",
        ),
        (
            "  ru:\n    prefix: /a b/\n",
            "`prefix: /a b/` is not a path of the site",
        ),
        ("  r u: {}\n", "`r u`: is not a language tag"),
        ("  ru:\n    colour: red\n", "unknown field `colour`"),
        (
            "  en:\n    prefix: /en/\n",
            "the default language (`language:`) is served at the root",
        ),
        (
            "  ru: {}\n  uk:\n    prefix: /ru/\n",
            "`uk`: its prefix `/ru/` is another language's",
        ),
    ] {
        let site = TestSite::new();
        site.write(
            "config.yaml",
            format!("title: T\nlanguage: en\n\nlanguages:\n{languages}"),
        );
        let output = site.run(&["build"]);
        assert!(!output.status.success(), "{languages}");
        assert!(
            stderr(&output).contains(expected),
            "{languages}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_site_in_one_language_keeps_suffixed_names_as_they_are() {
    let site = TestSite::new();
    site.article(
        "budget.ru.md",
        "title: Budget\ndate: 2025-03-07T09:00:00Z",
        "Text.",
    );
    site.build_ok();
    assert!(
        site.public()
            .join("2025/03/07/budget-ru/index.html")
            .exists()
    );
    assert!(!site.public().join("ru").exists());
}

#[test]
fn serving_follows_a_translation_appearing_and_going() {
    let site = english_and_russian();
    site.article(
        "2025/harbour.md",
        "title: Harbour\ndate: 2025-03-11T09:00:00Z",
        "[In Russian](ferry.ru.md)",
    );
    // A draft at first: the link by file to it is a warning.
    site.article(
        "2025/ferry.ru.md",
        "title: Паром меняет расписание\ndate: 2025-03-10T09:00:00Z\ndraft: true",
        "Паром ходит позже.",
    );
    let output = tempfile::tempdir().unwrap();
    let live = LiveDir::open(output.path()).unwrap();
    let mut timings = Timings::default();
    let mut project = site.project();
    project.keep_written();
    project.write(&live, &mut timings).unwrap();
    let read = |path: &str| std::fs::read_to_string(output.path().join(path)).unwrap();
    assert!(hreflang_links(&read("2025/03/10/ferry/index.html")).is_empty());

    // The Russian version of the ferry article is published: both pages link.
    site.article(
        "2025/ferry.ru.md",
        "title: Паром меняет расписание\ndate: 2025-03-10T09:00:00Z",
        "Паром ходит позже.",
    );
    let changed = [site.path().join("content/2025/ferry.ru.md")];
    project.rebuild(&changed, &live, &mut timings).unwrap();
    assert_eq!(
        hreflang_links(&read("2025/03/10/ferry/index.html")).len(),
        2
    );
    assert_eq!(
        hreflang_links(&read("ru/2025/03/10/ferry/index.html")).len(),
        2
    );
    assert!(read("ru/index.html").contains("Паром меняет расписание"));
    assert!(
        read("2025/03/11/harbour/index.html")
            .contains("<a href=\"/ru/2025/03/10/ferry/\">In Russian</a>"),
        "a link by file to the new article leads to it"
    );

    // It is withdrawn (a draft again): its page goes, and the English
    // page links to nothing.
    site.article(
        "2025/ferry.ru.md",
        "title: Паром меняет расписание\ndate: 2025-03-10T09:00:00Z\ndraft: true",
        "Паром ходит позже.",
    );
    project.rebuild(&changed, &live, &mut timings).unwrap();
    assert!(
        !output
            .path()
            .join("ru/2025/03/10/ferry/index.html")
            .exists()
    );
    assert!(hreflang_links(&read("2025/03/10/ferry/index.html")).is_empty());

    // The output is what a fresh build of the same files makes.
    let fresh = site.build_ok();
    assert_eq!(fresh.articles_written, 7);
    let mut served = snapshot(output.path());
    served.remove(".broadsheet-output");
    let mut built = snapshot(&site.public());
    built.remove(".broadsheet-output");
    assert_eq!(
        served.keys().collect::<Vec<_>>(),
        built.keys().collect::<Vec<_>>()
    );
    assert!(served == built, "served and built output differ");
}

#[test]
fn a_bundle_has_a_version_per_language_with_its_files() {
    let site = english_and_russian();
    site.article(
        "2025/harbour/index.md",
        "title: The harbour in pictures\ndate: 2025-03-12T09:00:00Z",
        "![The quay](quay.png)",
    );
    site.article(
        "2025/harbour/index.ru.md",
        "title: Гавань в фотографиях\ndate: 2025-03-12T09:00:00Z",
        "![Причал](quay.png)",
    );
    site.write("content/2025/harbour/quay.png", b"png");
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings.lines());
    assert!(exists(&site, "2025/03/12/harbour/quay.png"));
    assert!(exists(&site, "ru/2025/03/12/harbour/quay.png"));
    assert!(
        site.page("/ru/2025/03/12/harbour/")
            .contains("<img src=\"quay.png\" alt=\"Причал\"")
    );
    assert_eq!(hreflang_links(&site.page("/2025/03/12/harbour/")).len(), 2);
    assert_eq!(
        hreflang_links(&site.page("/ru/2025/03/12/harbour/")).len(),
        2
    );
}

#[test]
#[ignore = "needs Chromium and node packages: run scripts/test.sh"]
fn both_languages_read_well_in_chromium() {
    let site = english_and_russian();
    site.build_ok();
    let screenshots =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/languages");
    let output = node(
        "languages.mjs",
        &[site.public().as_os_str(), screenshots.as_os_str()],
    );
    let text = browser::text(&output);
    assert!(output.status.success(), "{text}");
    assert!(screenshots.join("article-ru-1280.png").is_file(), "{text}");
}

#[test]
#[ignore = "needs Chromium and node packages: run scripts/test.sh"]
fn each_language_searches_its_own_articles_in_chromium() {
    let site = english_and_russian();
    site.build_ok();
    let steps = r#"[{"open": "/ru/search/?q=дороги"}, {"open": "/ru/search/?q=ferry"}, {"open": "/search/?q=ferry"}]"#;
    let seen = drive_search(&site.public(), steps);
    let stdout = format!("{seen:?}");
    assert_eq!(
        seen[0]["titles"],
        serde_json::json!(["Снегопад закрыл дороги"]),
        "{stdout}"
    );
    assert_eq!(seen[1]["titles"], serde_json::json!([]), "{stdout}");
    assert_eq!(
        seen[2]["titles"],
        serde_json::json!(["Ferry timetable changes"]),
        "{stdout}"
    );
}

#[test]
fn a_page_of_one_language_under_another_prefix_is_an_error() {
    let site = english_and_russian();
    site.article(
        "2025/clash.md",
        "title: Clash\ndate: 2025-03-11T09:00:00Z\nslug: ru",
        "An English article whose URL is the Russian home's.",
    );
    site.write(
        "config.yaml",
        "title: Regional Wire\nlanguage: en\npermalink: /:slug/\nlanguages:\n  ru: {}\n",
    );
    let output = site.run(&["build"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output)
            .contains("config.yaml:4: languages: `en` and `ru` both write /ru/index.html"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn images_of_static_carry_their_size_in_every_language() {
    let site = english_and_russian();
    site.write("static/images/quay.png", png(640, 360));
    site.article(
        "2025/quay.ru.md",
        "title: Причал\ndate: 2025-03-12T09:00:00Z\nimage: /images/quay.png",
        "![Причал](/images/quay.png)",
    );
    site.build_ok();
    let page = site.page("/ru/2025/03/12/quay/");
    assert!(
        page.contains("<img src=\"/images/quay.png\" alt=\"Причал\" width=\"640\" height=\"360\""),
        "{page}"
    );
    assert!(
        page.contains("width=\"640\" height=\"360\">"),
        "the lead image too"
    );
}
