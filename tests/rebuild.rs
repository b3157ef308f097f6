//! The oracle of incremental rebuilding: after any sequence of edits, the
//! folder a long-lived project keeps up to date must be byte for byte what a
//! fresh `broadsheet build` of the same files writes.
//!
//! A generated site is edited at random (bodies, titles, tags, dates,
//! sections, authors, summaries, drafts; articles added, deleted and renamed;
//! bundle files, static files, templates and the config changed; front
//! matter broken and mended) and the two trees are compared after each step.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use broadsheet::build::{BuildOptions, build};
use broadsheet::output::LiveDir;
use broadsheet::project::{Project, ProjectOptions};
use broadsheet::timings::Timings;
use common::{Rng, TestSite, snapshot};

const BASE_URL: &str = "http://127.0.0.1:1111/";
const NOW: &str = "2026-01-01T00:00:00Z";

const TAGS: &[&str] = &[
    "Russia",
    "russia",
    "Energy",
    "C",
    "C++",
    "Oil",
    "Trade",
    "São Paulo",
    "Россия",
    "climate",
];
const AUTHORS: &[&str] = &["Ana Lima", "Bo Chen", "ana lima", "Zoë Adler"];
const SECTIONS: &[&str] = &["World", "City", "Economy"];
const WORDS: &[&str] = &[
    "harbour", "council", "ferry", "budget", "strike", "river", "market", "vote", "tram", "storm",
];

/// An SVG image of a random size, always of the same length: only the
/// file's time tells the change.
fn sized_svg(rng: &mut Rng) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {:>4} {:>4}\"></svg>",
        1 + rng.below(2000),
        1 + rng.below(2000)
    )
}

/// Random words from the pool.
fn words(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| rng.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An article as the test holds it.
#[derive(Clone, Debug)]
struct Doc {
    title: String,
    date: String,
    tags: Vec<String>,
    authors: Vec<String>,
    section: Option<String>,
    draft: bool,
    summary: Option<String>,
    updated: Option<String>,
    lead: String,
    rest: String,
    /// A lead image and body images: the bundle's own `photo.svg` and the
    /// site's `/img/chart.svg`, whose sizes the page carries.
    pictures: bool,
    /// An old URL that redirects to the article.
    alias: Option<String>,
}

impl Doc {
    fn random(rng: &mut Rng, n: usize) -> Doc {
        let mut doc = Doc {
            title: String::new(),
            date: String::new(),
            tags: (0..rng.below(4))
                .map(|_| rng.pick(TAGS).to_string())
                .collect(),
            authors: (0..1 + rng.below(2))
                .map(|_| rng.pick(AUTHORS).to_string())
                .collect(),
            section: rng.chance(80).then(|| rng.pick(SECTIONS).to_string()),
            draft: rng.chance(5),
            summary: rng.chance(15).then(|| words(rng, 5)),
            updated: None,
            lead: words(rng, 8),
            rest: format!("## {}\n\n{}", words(rng, 2), words(rng, 30)),
            pictures: n.is_multiple_of(9),
            alias: n.is_multiple_of(4).then(|| format!("/old/story-{n}.html")),
        };
        doc.title = format!("Story {n}: {} & <{}>", words(rng, 2), words(rng, 1));
        doc.date = random_date(rng);
        doc
    }

    fn text(&self) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\\\""));
        let list = |items: &[String]| {
            items
                .iter()
                .map(|s| quote(s))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = format!(
            "---\ntitle: {}\ndate: {}\ntags: [{}]\nauthors: [{}]\n",
            quote(&self.title),
            self.date,
            list(&self.tags),
            list(&self.authors)
        );
        if let Some(section) = &self.section {
            text.push_str(&format!("section: {}\n", quote(section)));
        }
        if self.draft {
            text.push_str("draft: true\n");
        }
        if let Some(summary) = &self.summary {
            text.push_str(&format!("summary: {}\n", quote(summary)));
        }
        if let Some(updated) = &self.updated {
            text.push_str(&format!("updated: {updated}\n"));
        }
        if self.pictures {
            text.push_str("image: photo.svg\n");
        }
        if let Some(alias) = &self.alias {
            text.push_str(&format!("aliases: [\"{alias}\"]\n"));
        }
        text.push_str(&format!("---\n\n{}\n\n{}\n", self.lead, self.rest));
        if self.pictures {
            text.push_str("\n![A photo](photo.svg) and ![A chart](/img/chart.svg \"Chart\")\n");
        }
        text
    }
}

fn random_date(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:00+02:00",
        2024 + rng.below(2),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(4) * 15
    )
}

/// The site being edited: its files, and the project that follows them.
struct Session {
    site: TestSite,
    docs: BTreeMap<String, Doc>,
    project: Project,
    live: LiveDir,
    live_dir: tempfile::TempDir,
    fresh_dir: tempfile::TempDir,
    rng: Rng,
    next_article: usize,
    log: Vec<String>,
    /// A file whose front matter is broken, to be mended by the next step.
    broken: Option<String>,
    pagination: &'static str,
}

impl Session {
    fn start(seed: u64, articles: usize, pagination: &'static str) -> Session {
        let site = TestSite::new();
        let mut rng = Rng(seed);
        let mut docs = BTreeMap::new();
        for n in 0..articles {
            let doc = Doc::random(&mut rng, n);
            let name = if n % 9 == 0 {
                format!("bundles/story-{n}/index.md")
            } else {
                format!("{}/story-{n}.md", 2024 + n % 2)
            };
            site.write(&format!("content/{name}"), doc.text());
            docs.insert(name, doc);
        }
        site.write("content/bundles/story-0/map.svg", "<svg/>");
        site.write("content/bundles/story-9/data/table.csv", "a,b\n");
        site.write("content/files/report.pdf", "%PDF-1.4");
        site.write("static/favicon.svg", "<svg/>");
        site.write(
            "config.yaml",
            format!(
                "title: Edited Gazette\nbase_url: https://example.org/\npage_size: 3\nfeed_limit: 4\npagination: {pagination}\n"
            ),
        );
        let live_dir = tempfile::tempdir().unwrap();
        let live = LiveDir::open(&live_dir.path().join("out")).unwrap();
        let mut project = Project::open(
            ProjectOptions {
                site_dir: site.path().to_path_buf(),
                base_url: Some(BASE_URL.to_string()),
                include_drafts: false,
                now: Some(NOW.parse().unwrap()),
                strict: false,
                progress: Default::default(),
            },
            &mut Timings::default(),
        )
        .unwrap();
        project.keep_written();
        project
            .write(&live, &mut Timings::default())
            .unwrap_or_else(|f| panic!("{:#?}", f.error));
        Session {
            site,
            docs,
            project,
            live,
            live_dir,
            fresh_dir: tempfile::tempdir().unwrap(),
            rng,
            next_article: articles,
            log: Vec::new(),
            broken: None,
            pagination,
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.site.path().join(relative)
    }

    fn write_doc(&mut self, name: &str) -> PathBuf {
        let text = self.docs[name].text();
        self.site.write(&format!("content/{name}"), text);
        self.path(&format!("content/{name}"))
    }

    fn any_doc(&mut self) -> String {
        let names: Vec<&String> = self.docs.keys().collect();
        names[self.rng.below(names.len())].clone()
    }

    /// Makes one random edit on disk; returns the paths it touched.
    fn edit(&mut self) -> Vec<PathBuf> {
        if let Some(name) = self.broken.take() {
            self.log.push(format!("mend {name}"));
            return vec![self.write_doc(&name)];
        }
        let name = self.any_doc();
        let kind = self.rng.below(100);
        let rng = &mut self.rng;
        let doc = self.docs.get_mut(&name).unwrap();
        let what = match kind {
            0..=11 => {
                doc.rest = format!("{}\n\n{}", doc.rest, words(rng, 6));
                "body (not the summary)"
            }
            12..=14 => {
                // Links whose targets come and go with other articles'
                // edits: tag and section pages, a year, anchors.
                let tag = broadsheet::content::slug::term_slug(rng.pick(TAGS)).0;
                let section = broadsheet::content::slug::term_slug(rng.pick(SECTIONS)).0;
                let year = 2020 + rng.below(8);
                doc.rest = format!(
                    "{}\n\n[t](/tags/{tag}/) [s](/sections/{section}/) [y](/{year}/) [a](#{}) [img](photo.jpg) [old](/old/story-{}.html) [src](story-{}.md)",
                    doc.rest,
                    rng.pick(&["background", "heading", "nope"]),
                    4 * rng.below(6),
                    rng.below(12),
                );
                // Old URLs come and go too.
                doc.alias = rng
                    .chance(50)
                    .then(|| format!("/old/moved-{}/", rng.below(1000)));
                "links and old URLs"
            }
            15..=24 => {
                doc.lead = words(rng, 7);
                "first paragraph"
            }
            25..=31 => {
                doc.title = format!("{} {}", doc.title.split(':').next().unwrap(), words(rng, 2));
                "title"
            }
            32..=41 => {
                if doc.tags.is_empty() || rng.chance(50) {
                    doc.tags.push(rng.pick(TAGS).to_string());
                } else {
                    let i = rng.below(doc.tags.len());
                    doc.tags.remove(i);
                }
                "tags"
            }
            42..=47 => {
                doc.date = random_date(rng);
                "date"
            }
            48..=50 => {
                doc.section = rng.chance(70).then(|| rng.pick(SECTIONS).to_string());
                "section"
            }
            51..=53 => {
                doc.authors = vec![rng.pick(AUTHORS).to_string()];
                "authors"
            }
            54..=56 => {
                doc.summary = rng.chance(50).then(|| words(rng, 4));
                "summary"
            }
            57..=59 => {
                doc.draft = !doc.draft;
                "draft"
            }
            60..=61 => {
                doc.updated = rng.chance(60).then(|| "2025-12-30".to_string());
                "updated"
            }
            62..=69 => return self.add_article(),
            70..=75 => return self.delete_article(&name),
            76..=80 => return self.rename_article(&name),
            81..=83 => return self.bundle_file(),
            84..=86 => return self.static_file(),
            87..=90 => return self.template(),
            91..=92 => return self.config(),
            _ => return self.break_article(&name),
        };
        self.log.push(format!("{what} of {name}"));
        vec![self.write_doc(&name)]
    }

    fn add_article(&mut self) -> Vec<PathBuf> {
        let n = self.next_article;
        self.next_article += 1;
        let name = if self.rng.chance(20) {
            format!("bundles/story-{n}/index.md")
        } else {
            format!("2025/story-{n}.md")
        };
        let doc = Doc::random(&mut self.rng, n);
        self.docs.insert(name.clone(), doc);
        self.log.push(format!("add {name}"));
        vec![self.write_doc(&name)]
    }

    fn delete_article(&mut self, name: &str) -> Vec<PathBuf> {
        if self.docs.len() < 5 {
            return self.add_article();
        }
        self.docs.remove(name);
        let path = self.path(&format!("content/{name}"));
        std::fs::remove_file(&path).unwrap();
        self.log.push(format!("delete {name}"));
        vec![path]
    }

    fn rename_article(&mut self, name: &str) -> Vec<PathBuf> {
        if name.ends_with("index.md") {
            // A bundle is renamed with its folder.
            let old_dir = self.path(&format!("content/{}", name.trim_end_matches("/index.md")));
            let n = self.next_article;
            self.next_article += 1;
            let new_name = format!("bundles/moved-{n}/index.md");
            let new_dir = self.path(&format!("content/bundles/moved-{n}"));
            std::fs::rename(&old_dir, &new_dir).unwrap();
            let doc = self.docs.remove(name).unwrap();
            self.docs.insert(new_name.clone(), doc);
            self.log.push(format!("rename folder {name} to {new_name}"));
            return vec![old_dir, new_dir];
        }
        let n = self.next_article;
        self.next_article += 1;
        let new_name = format!("2025/renamed-{n}.md");
        let from = self.path(&format!("content/{name}"));
        let to = self.path(&format!("content/{new_name}"));
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::rename(&from, &to).unwrap();
        let doc = self.docs.remove(name).unwrap();
        self.docs.insert(new_name.clone(), doc);
        self.log.push(format!("rename {name} to {new_name}"));
        vec![from, to]
    }

    fn bundle_file(&mut self) -> Vec<PathBuf> {
        let bundles: Vec<String> = self
            .docs
            .keys()
            .filter(|n| n.ends_with("/index.md"))
            .cloned()
            .collect();
        let Some(bundle) = bundles.get(self.rng.below(bundles.len())).cloned() else {
            return self.add_article();
        };
        let dir = bundle.trim_end_matches("index.md");
        let file = self.path(&format!("content/{dir}photo.svg"));
        if file.exists() && self.rng.chance(50) {
            std::fs::remove_file(&file).unwrap();
            self.log.push(format!("remove {dir}photo.svg"));
        } else {
            let text = sized_svg(&mut self.rng);
            self.log.push(format!("write {dir}photo.svg: {text}"));
            std::fs::write(&file, text).unwrap();
        }
        vec![file]
    }

    fn static_file(&mut self) -> Vec<PathBuf> {
        let name = [
            "static/theme.css",
            "static/css/extra.css",
            "static/robots.txt",
            "static/img/chart.svg",
        ][self.rng.below(4)];
        let path = self.path(name);
        if path.exists() && self.rng.chance(50) {
            std::fs::remove_file(&path).unwrap();
            self.log.push(format!("remove {name}"));
        } else if name.ends_with(".svg") {
            let text = sized_svg(&mut self.rng);
            self.log.push(format!("write {name}: {text}"));
            self.site.write(name, text);
        } else {
            let text = format!("/* {:<60} */\n", words(&mut self.rng, 3));
            self.site.write(name, text);
            self.log.push(format!("write {name}"));
        }
        vec![path]
    }

    fn template(&mut self) -> Vec<PathBuf> {
        let (name, text) = [
            (
                "templates/partials/article_card.html",
                "<article class=\"card\"><h2><a href=\"{{ item.url }}\">{{ item.title }}</a></h2>{% for tag in item.tags %}<span>{{ tag.name }}</span>{% endfor %}</article>",
            ),
            (
                "templates/article.html",
                "{% extends \"base.html\" %}{% block main %}<h1>{{ article.title }}</h1>{{ article.content | safe }}<ul>{% for item in related %}<li>{{ item.title }}: {{ item.summary | safe }}</li>{% endfor %}</ul>{% endblock main %}",
            ),
            (
                "templates/partials/footer.html",
                "<footer>{{ site.title }} (edited)</footer>",
            ),
        ][self.rng.below(3)];
        let path = self.path(name);
        if path.exists() {
            std::fs::remove_file(&path).unwrap();
            self.log.push(format!("remove {name}"));
        } else {
            self.site.write(name, text);
            self.log.push(format!("write {name}"));
        }
        vec![path]
    }

    fn config(&mut self) -> Vec<PathBuf> {
        let title = words(&mut self.rng, 2);
        let pagination = self.pagination;
        self.site.write(
            "config.yaml",
            format!(
                "title: {title}\nbase_url: https://example.org/\npage_size: 3\nfeed_limit: 4\npagination: {pagination}\n"
            ),
        );
        self.log.push(format!("config title {title}"));
        vec![self.path("config.yaml")]
    }

    fn break_article(&mut self, name: &str) -> Vec<PathBuf> {
        let path = self.path(&format!("content/{name}"));
        std::fs::write(&path, "---\ntitle: [unclosed\n---\nBody\n").unwrap();
        self.broken = Some(name.to_string());
        self.log.push(format!("break {name}"));
        vec![path]
    }

    /// Rebuilds after the edit and compares with a fresh build.
    fn check(&mut self, changed: &[PathBuf]) {
        let rebuilt = self
            .project
            .rebuild(changed, &self.live, &mut Timings::default());
        let fresh_out = self.fresh_dir.path().join("out");
        let fresh = build(&BuildOptions {
            site_dir: self.site.path().to_path_buf(),
            output: Some(fresh_out.clone()),
            base_url: Some(BASE_URL.to_string()),
            now: Some(NOW.parse().unwrap()),
            ..Default::default()
        });
        match (&rebuilt, &fresh) {
            (Ok(_), Ok(_)) => {}
            (Err(_), Err(_)) => return,
            _ => panic!(
                "rebuild {} but a fresh build {}, after:\n{}\nrebuild: {:?}\nfresh: {:?}",
                if rebuilt.is_ok() {
                    "succeeded"
                } else {
                    "failed"
                },
                if fresh.is_ok() { "succeeded" } else { "failed" },
                self.log.join("\n"),
                rebuilt.err().map(|f| f.error),
                fresh.err().map(|f| f.error),
            ),
        }
        compare(&self.live_dir.path().join("out"), &fresh_out, &self.log);
        let warnings_now = self.project.warnings().lines();
        let fresh_warnings = fresh.expect("compared above").warnings.lines();
        assert_eq!(
            warnings_now,
            fresh_warnings,
            "warnings of the rebuild and of a fresh build differ, after:\n{}",
            self.log.join("\n")
        );
    }
}

/// Panics with the first differences between two output folders.
fn compare(live: &Path, fresh: &Path, log: &[String]) {
    let (a, b) = (snapshot(live), snapshot(fresh));
    if a == b {
        return;
    }
    let mut differences = Vec::new();
    for (path, bytes) in &a {
        match b.get(path) {
            None => differences.push(format!("only in the rebuilt output: {path}")),
            Some(other) if other != bytes => differences.push(format!(
                "differs: {path}\n--- rebuilt\n{}\n--- fresh\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(other)
            )),
            _ => {}
        }
    }
    for path in b.keys().filter(|p| !a.contains_key(*p)) {
        differences.push(format!("only in the fresh build: {path}"));
    }
    differences.truncate(3);
    panic!(
        "after {} edit(s):\n{}\n\n{}",
        log.len(),
        log.join("\n"),
        differences.join("\n\n")
    );
}

/// Runs `edits` random edits, or as many as `BROADSHEET_REBUILD_EDITS` says
/// (the serve benchmark runs a longer sequence).
fn run(seed: u64, articles: usize, edits: usize, pagination: &'static str) {
    let edits = std::env::var("BROADSHEET_REBUILD_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(edits);
    let mut session = Session::start(seed, articles, pagination);
    for _ in 0..edits {
        let changed = session.edit();
        session.check(&changed);
    }
}

#[test]
fn random_edits_rebuild_to_what_a_fresh_build_writes() {
    run(7, 40, 150, "newest-first");
}

#[test]
fn random_edits_rebuild_to_what_a_fresh_build_writes_with_stable_pages() {
    run(1234, 30, 100, "stable");
}

#[test]
fn a_rebuild_writes_only_what_changed() {
    let mut session = Session::start(99, 30, "newest-first");
    let name = session
        .docs
        .iter()
        .find(|(_, d)| !d.draft && d.summary.is_none())
        .map(|(n, _)| n.clone())
        .unwrap();
    // A body edit below the first paragraph that keeps the word count: only
    // the article's page, its search result, the site feeds if it is among
    // the newest, and for the index the manifest and the shard holding the
    // new word (which replaces the shard it was in).
    let doc = session.docs.get_mut(&name).unwrap();
    doc.rest = format!("{} changed", doc.rest.rsplit_once(' ').unwrap().0);
    let path = session.write_doc(&name);
    let report = session
        .project
        .rebuild(&[path], &session.live, &mut Timings::default())
        .unwrap_or_else(|f| panic!("{:#?}", f.error));
    assert!(
        (1..=7).contains(&report.files_written),
        "{} files written",
        report.files_written
    );
    assert!(
        report.files_removed <= 1,
        "{} removed",
        report.files_removed
    );
    // Touching nothing writes nothing.
    let report = session
        .project
        .rebuild(&[], &session.live, &mut Timings::default())
        .unwrap();
    assert_eq!(report.files_written, 0);
}

#[test]
fn a_copied_file_changed_in_place_is_copied_again() {
    let mut session = Session::start(5, 12, "newest-first");
    for (name, first, second) in [
        (
            "content/bundles/story-0/map.svg",
            "<svg>one</svg>",
            "<svg>two</svg>",
        ),
        ("content/files/report.pdf", "%PDF-1.4 one", "%PDF-1.4 two"),
        ("static/favicon.svg", "<svg>one</svg>", "<svg>two</svg>"),
        // Pages show these images with their sizes: same length, new size.
        (
            "content/bundles/story-0/photo.svg",
            "<svg viewBox=\"0 0 10 20\"/>",
            "<svg viewBox=\"0 0 30 40\"/>",
        ),
        (
            "static/img/chart.svg",
            "<svg width=\"1\" height=\"2\"/>",
            "<svg width=\"3\" height=\"4\"/>",
        ),
    ] {
        for text in [first, second] {
            session.site.write(name, text);
            session.log.push(format!("write {name}: {text}"));
            let path = session.path(name);
            session.check(&[path]);
        }
    }
}
