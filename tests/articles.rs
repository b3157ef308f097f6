//! End-to-end tests of article pages: real sites built into temp folders.

mod common;

use common::{TestSite, png, snapshot, stderr, stdout};

#[test]
fn a_folder_with_only_content_builds_with_the_builtin_theme() {
    let site = TestSite::new();
    site.article(
        "first.md",
        "title: First\ndate: 2025-03-17",
        "Hello *world*.\n",
    );
    let report = site.build_ok();
    assert_eq!(report.articles_written, 1);
    let page = site.page("/2025/03/17/first/");
    assert!(page.contains("<h1 class=\"headline\">First</h1>"), "{page}");
    assert!(page.contains("<p>Hello <em>world</em>.</p>"), "{page}");
    assert!(page.contains("href=\"/theme.css?v="), "{page}");
    assert!(site.public().join("theme.css").is_file());
    let home = site.page("/");
    assert!(home.contains("href=\"/2025/03/17/first/\""), "{home}");
}

#[test]
fn every_date_form_lands_on_the_day_as_written() {
    let site = TestSite::new();
    site.article("a.md", "title: A\ndate: 2025-03-17", "")
        .article("b.md", "title: B\ndate: 2025-03-18T01:30:00+03:00", "")
        .article("c.md", "title: C\ndate: 2025-03-19T23:10:00Z", "")
        .article("d.md", "title: D\ndate: 2025-03-20T23:59:59.250-05:00", "")
        .article("e.md", "title: E\ndate: 2025-03-21 10:00:00 +0300", "")
        .article("2025-03-22-f.md", "title: F", "")
        .article("g.md", "title: G\ndate: \"2025-03-23 08:00:00\"", "");
    site.build_ok();
    let expect = [
        ("/2025/03/17/a/", "2025-03-17T00:00:00+00:00"),
        ("/2025/03/18/b/", "2025-03-18T01:30:00+03:00"),
        ("/2025/03/19/c/", "2025-03-19T23:10:00+00:00"),
        ("/2025/03/20/d/", "2025-03-20T23:59:59-05:00"),
        ("/2025/03/21/e/", "2025-03-21T10:00:00+03:00"),
        ("/2025/03/22/f/", "2025-03-22T00:00:00+00:00"),
        ("/2025/03/23/g/", "2025-03-23T08:00:00+00:00"),
    ];
    for (url, iso) in expect {
        let page = site.page(url);
        assert!(
            page.contains(&format!("<time datetime=\"{iso}\">")),
            "{url}: {page}"
        );
    }
}

#[test]
fn dates_without_offset_use_the_configured_timezone() {
    let site = TestSite::new();
    site.write("config.yaml", "timezone: Asia/Tokyo\n");
    site.article("a.md", "title: A\ndate: 2025-03-17", "");
    site.build_ok();
    assert!(
        site.page("/2025/03/17/a/")
            .contains("2025-03-17T00:00:00+09:00")
    );
}

#[test]
fn tags_as_string_or_list_and_author_alias() {
    let site = TestSite::new();
    site.article(
        "a.md",
        "title: A\ndate: 2025-01-01\ntags: Russia, Venezuela\nauthor: Ana Lima",
        "",
    )
    .article(
        "b.md",
        "title: B\ndate: 2025-01-02\ntags: [Russia, diplomacy]\nauthors: [Bo Chen, Ana Lima]",
        "",
    );
    site.build_ok();
    let a = site.page("/2025/01/01/a/");
    assert!(a.contains("href=\"/tags/russia/\""), "{a}");
    assert!(a.contains("href=\"/tags/venezuela/\""), "{a}");
    assert!(a.contains(">Ana Lima</a>"), "{a}");
    let b = site.page("/2025/01/02/b/");
    assert!(b.contains("href=\"/tags/diplomacy/\""), "{b}");
    assert!(b.contains(">Bo Chen</a>, <a"), "{b}");
}

#[test]
fn unicode_tags_and_slugs_are_transliterated() {
    let site = TestSite::new();
    site.article(
        "São Paulo prepara eleição.md",
        "title: Eleição\ndate: 2025-01-01\ntags: [São Paulo, Россия, Türkiye]",
        "",
    )
    .article(
        "x.md",
        "title: X\ndate: 2025-01-02\nslug: Москва Сегодня",
        "",
    );
    site.build_ok();
    let page = site.page("/2025/01/01/sao-paulo-prepara-eleicao/");
    assert!(
        page.contains("href=\"/tags/sao-paulo/\" rel=\"tag\">São Paulo</a>"),
        "{page}"
    );
    assert!(
        page.contains("href=\"/tags/rossiia/\" rel=\"tag\">Россия</a>"),
        "{page}"
    );
    assert!(
        page.contains("href=\"/tags/turkiye/\" rel=\"tag\">Türkiye</a>"),
        "{page}"
    );
    site.page("/2025/01/02/moskva-segodnia/");
}

#[test]
fn drafts_and_future_articles_are_left_out_unless_asked() {
    let site = TestSite::new();
    site.article("pub.md", "title: Pub\ndate: 2025-01-01", "")
        .article(
            "draft.md",
            "title: Draft\ndate: 2025-01-02\ndraft: true",
            "",
        )
        .article("future.md", "title: Future\ndate: 2999-01-01", "");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    assert!(line.contains("Built 1 article(s)"), "{line}");
    assert!(
        line.contains("left out 1 draft(s) and 1 future article(s)"),
        "{line}"
    );
    assert!(!site.public().join("2025/01/02/draft").exists());
    assert!(!site.public().join("2999").exists());

    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Built 3 article(s)"),
        "{}",
        stdout(&out)
    );
    site.page("/2025/01/02/draft/");
    site.page("/2999/01/01/future/");
}

#[test]
fn two_articles_on_one_url_are_an_error_naming_both() {
    let site = TestSite::new();
    site.article("one.md", "title: One\ndate: 2025-01-01\nslug: same", "")
        .article("two.md", "title: Two\ndate: 2025-01-01\nslug: same", "");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/one.md") && err.contains("content/two.md"),
        "{err}"
    );
    assert!(err.contains("/2025/01/01/same/"), "{err}");
}

#[test]
fn hostile_slugs_stay_inside_the_output() {
    let site = TestSite::new();
    site.article("a.md", "title: A\ndate: 2025-01-01\nslug: ../../x", "")
        .article(
            "b.md",
            "title: B\ndate: 2025-01-02\nslug: \"..\\\\..\\\\y\"",
            "",
        )
        .article("c.md", "title: C\ndate: 2025-01-03\nslug: /etc/passwd", "");
    let before: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let report = site.build_ok();
    site.page("/2025/01/01/x/");
    site.page("/2025/01/02/y/");
    site.page("/2025/01/03/etc-passwd/");
    // And the author hears that their slugs were changed.
    let warnings = report.warnings.lines().join("\n");
    for (file, used) in [("a.md", "x"), ("b.md", "y"), ("c.md", "etc-passwd")] {
        assert!(
            warnings.contains(&format!("content/{file}:4: the slug"))
                && warnings.contains(&format!("the URL uses `{used}`")),
            "{file}: {warnings}"
        );
    }
    let mut after: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    after.retain(|n| n != "public");
    let mut before = before;
    before.sort();
    after.sort();
    assert_eq!(before, after, "nothing new beside public/");
    let parent = site.path().parent().unwrap();
    assert!(!parent.join("x").exists());
}

#[test]
fn headlines_with_markup_are_escaped() {
    let site = TestSite::new();
    site.article(
        "a.md",
        "title: 'Fish & \"chips\" <script>alert(1)</script>'\nsubtitle: \"Tom's <b>bold</b> claim\"\nsummary: \"A & B <i>\"\ndate: 2025-01-01\ntags: [\"<img src=x>\"]",
        "Body.\n",
    );
    site.build_ok();
    let page = site.page("/2025/01/01/a/");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(
        // Headlines get curly quotes, as bodies do.
        page.contains("Fish &amp; “chips” &lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || page.contains("Fish &amp; “chips” &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<b>bold</b>"), "{page}");
    assert!(!page.contains("<img src=x>"), "{page}");
    assert!(page.contains("content=\"A &amp; B &lt;i&gt;\""), "{page}");
    let home = site.page("/");
    assert!(!home.contains("<script>alert"), "{home}");
}

#[test]
fn bundle_files_are_copied_next_to_the_page() {
    let site = TestSite::new();
    site.article(
        "2025-02-03-flood/index.md",
        "title: Flood\nimage: map.svg\nimage_caption: The river",
        "See the [report](report.pdf).\n",
    )
    .write(
        "content/2025-02-03-flood/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .write("content/2025-02-03-flood/docs/report.pdf", "%PDF-1.4");
    site.build_ok();
    assert!(site.public().join("2025/02/03/flood/map.svg").is_file());
    assert!(
        site.public()
            .join("2025/02/03/flood/docs/report.pdf")
            .is_file()
    );
    let page = site.page("/2025/02/03/flood/");
    assert!(page.contains("src=\"/2025/02/03/flood/map.svg\""), "{page}");
    assert!(
        page.contains("<figcaption>The river</figcaption>"),
        "{page}"
    );
}

#[test]
fn static_files_are_copied_as_is() {
    let site = TestSite::new();
    site.article("a.md", "title: A\ndate: 2025-01-01", "")
        .write("static/robots.txt", "User-agent: *\n")
        .write("static/img/logo.png", [0x89u8, b'P', b'N', b'G', 0, 0xff]);
    site.build_ok();
    let out = snapshot(&site.public());
    assert_eq!(out["robots.txt"], b"User-agent: *\n");
    assert_eq!(out["img/logo.png"], vec![0x89u8, b'P', b'N', b'G', 0, 0xff]);
}

#[test]
fn site_templates_replace_builtin_ones_file_by_file() {
    let site = TestSite::new();
    site.article("a.md", "title: A\ndate: 2025-01-01", "")
        .write(
            "templates/partials/footer.html",
            "<footer>Custom footer for {{ site.title }}</footer>",
        );
    site.build_ok();
    let page = site.page("/2025/01/01/a/");
    assert!(
        page.contains("<footer>Custom footer for News archive</footer>"),
        "{page}"
    );
    assert!(
        page.contains("<h1 class=\"headline\">A</h1>"),
        "built-in article.html still used: {page}"
    );
}

#[test]
fn template_errors_name_the_template_and_line() {
    let site = TestSite::new();
    site.article("a.md", "title: A\ndate: 2025-01-01", "")
        .article("b.md", "title: B\ndate: 2025-01-02", "")
        .write("templates/article.html", "line one\n{{ article.nope }}\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("templates/article.html:2:"), "{err}");
    assert_eq!(
        err.matches("templates/article.html:2:").count(),
        1,
        "one line per mistake: {err}"
    );

    site.write("templates/article.html", "{% if %}\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("templates/article.html:1:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_keys_warn_once_per_key() {
    let site = TestSite::new();
    for i in 0..30 {
        site.article(
            &format!("p{i:02}.md"),
            &format!("title: P{i}\ndate: 2025-01-01\nlayout: post\ncomments: true"),
            "",
        );
    }
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let layout_lines: Vec<_> = err.lines().filter(|l| l.contains("`layout`")).collect();
    assert_eq!(layout_lines.len(), 1, "{err}");
    assert!(layout_lines[0].contains("30 files"), "{err}");
    assert!(layout_lines[0].contains("content/p00.md:4"), "{err}");
    let out = site.run(&["build", "--verbose"]);
    assert_eq!(
        stderr(&out)
            .lines()
            .filter(|l| l.contains("`layout`"))
            .count(),
        30
    );
}

#[test]
fn summary_word_count_and_reading_time_reach_templates() {
    let site = TestSite::new();
    let body = format!(
        "Lead paragraph here.\n\n<!-- more -->\n\n{}\n",
        "word ".repeat(500)
    );
    site.article("a.md", "title: A\ndate: 2025-01-01", &body)
        .write(
            "templates/article.html",
            "{{ article.summary | safe }}|{{ article.summary_text }}|{{ article.word_count }}|{{ article.reading_time }}",
        );
    site.build_ok();
    assert_eq!(
        site.page("/2025/01/01/a/"),
        "<p>Lead paragraph here.</p>|Lead paragraph here.|503|3"
    );
}

#[test]
fn custom_permalinks_and_base_url() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "permalink: /:section/:year/:slug/\nbase_url: https://example.org/news\n",
    );
    site.article(
        "a.md",
        "title: A\ndate: 2025-01-01\nsection: World Affairs",
        "",
    )
    .article("b.md", "title: B\ndate: 2025-01-02", "");
    site.build_ok();
    let a = site.page("/world-affairs/2025/a/");
    assert!(a.contains("href=\"/news/theme.css?v="), "{a}");
    site.page("/2025/b/");
    let home = site.page("/");
    assert!(
        home.contains("href=\"/news/world-affairs/2025/a/\""),
        "{home}"
    );

    let out = site.run(&["build", "--base-url", "/elsewhere/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.page("/").contains("href=\"/elsewhere/2025/b/\""));
}

#[test]
fn related_articles_share_the_most_tags_then_the_nearest_date() {
    let site = TestSite::new();
    site.article("a.md", "title: Alpha\ndate: 2025-05-01\ntags: [x, y]", "")
        .article("b.md", "title: Bravo\ndate: 2025-01-01\ntags: [x, y]", "")
        .article("c.md", "title: Charlie\ndate: 2025-04-30\ntags: [X]", "")
        .article("d.md", "title: Delta\ndate: 2025-05-02\ntags: [z]", "")
        .article("e.md", "title: Echo\ndate: 2024-01-01\ntags: [y]", "");
    site.build_ok();
    let page = site.page("/2025/05/01/a/");
    let related = &page[page.find("Related articles").expect("a related list")..];
    let order: Vec<usize> = ["Bravo", "Charlie", "Echo"]
        .iter()
        .map(|t| {
            related
                .find(t)
                .unwrap_or_else(|| panic!("{t} missing: {related}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{related}");
    assert!(!related.contains("Delta"), "no shared tag: {related}");
    assert!(!site.page("/2025/05/02/d/").contains("Related articles"));
}

#[test]
fn the_stylesheet_link_changes_with_its_content() {
    let site = TestSite::new();
    site.article("a.md", "title: A\ndate: 2025-01-01", "");
    site.build_ok();
    let link = |site: &TestSite| {
        let page = site.page("/2025/01/01/a/");
        let start = page.find("theme.css?v=").unwrap();
        page[start..start + 28].to_string()
    };
    let builtin = link(&site);
    site.build_ok();
    assert_eq!(link(&site), builtin, "stable across builds");
    site.write("static/theme.css", "body { color: red; }");
    site.build_ok();
    assert_ne!(
        link(&site),
        builtin,
        "the site's own stylesheet gets its own fingerprint"
    );
    assert_eq!(
        std::fs::read_to_string(site.public().join("theme.css")).unwrap(),
        "body { color: red; }"
    );
}

#[test]
fn hugo_section_files_are_skipped_with_a_warning() {
    let site = TestSite::new();
    site.article("news/_index.md", "title: News", "")
        .article("world/_index.md", "title: World", "")
        .article("news/a.md", "title: A\ndate: 2025-01-01", "");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(
        err.lines().filter(|l| l.contains("_index.md")).count(),
        1,
        "{err}"
    );
    assert!(err.contains("in 2 files"), "{err}");
    assert!(stdout(&out).contains("Built 1 article(s)"));
}

#[test]
fn json_given_to_templates_is_safe_in_a_script_element() {
    let site = TestSite::new();
    site.write(
        "templates/article.html",
        "<script type=\"application/json\">{{ article.extra | json_encode }}</script>",
    );
    site.article(
        "x.md",
        "title: X\ndate: 2025-01-01\nextra:\n  quote: \"</script><script>alert(1)</script> & <!--\"",
        "",
    );
    site.build_ok();
    let page = site.page("/2025/01/01/x/");
    let json = page
        .strip_prefix("<script type=\"application/json\">")
        .and_then(|rest| rest.strip_suffix("</script>"))
        .unwrap_or_else(|| panic!("{page}"));
    assert!(!json.contains('<') && !json.contains('&'), "{json}");
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["quote"], "</script><script>alert(1)</script> & <!--");
}

#[test]
fn the_sites_own_images_carry_their_size_so_nothing_shifts_as_they_load() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "title: T\nbase_url: https://example.org/news/\n",
    );
    site.article(
        "2025/03/17/harbour/index.md",
        "title: Harbour\ndate: 2025-03-17\nimage: lead.png\nimage_caption: The \"new\" quay",
        "![A <quay> & \"crane\"](detail.png \"Close up\")\n\n\
         ![Chart](/img/chart.svg) ![Remote](https://example.org/x.png) ![Gone](missing.png)\n",
    );
    site.write("content/2025/03/17/harbour/lead.png", png(1600, 900));
    site.write("content/2025/03/17/harbour/detail.png", png(640, 480));
    site.write(
        "static/img/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 320 160\"></svg>",
    );
    site.build_ok();
    let page = site.page("/2025/03/17/harbour/");
    for expected in [
        "<img src=\"/news/2025/03/17/harbour/lead.png\" alt=\"The “new” quay\" width=\"1600\" height=\"900\">",
        "<img src=\"detail.png\" alt=\"A &lt;quay&gt; &amp; “crane”\" title=\"Close up\" width=\"640\" height=\"480\">",
        "<img src=\"/news/img/chart.svg\" alt=\"Chart\" width=\"320\" height=\"160\">",
        "<img src=\"https://example.org/x.png\" alt=\"Remote\" />",
        "<img src=\"missing.png\" alt=\"Gone\" />",
    ] {
        assert!(page.contains(expected), "{expected} not in\n{page}");
    }
}
