//! Generates a realistic news archive for benchmarks, deterministically from
//! a seed: articles of 400–1,200 words with headings, lists, quotes, links
//! and the odd table; dates across 20 years; 1–2 authors from a pool of
//! hundreds; 3–8 tags drawn Zipf-like from a pool of thousands (some
//! multi-word, some non-ASCII); one of a dozen sections; summaries and
//! subtitles.
//!
//! ```text
//! cargo run --release --example gen_archive -- --articles 10000 --out /dev/shm/archive [--seed 42]
//! ```

use std::fmt::Write as _;
use std::path::PathBuf;

/// xorshift64*: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "government",
    "minister",
    "council",
    "report",
    "economy",
    "market",
    "prices",
    "energy",
    "election",
    "voters",
    "parliament",
    "budget",
    "talks",
    "agreement",
    "border",
    "trade",
    "workers",
    "union",
    "strike",
    "court",
    "ruling",
    "police",
    "city",
    "region",
    "harbour",
    "river",
    "drought",
    "harvest",
    "farmers",
    "schools",
    "hospital",
    "doctors",
    "patients",
    "research",
    "university",
    "scientists",
    "climate",
    "emissions",
    "railway",
    "bridge",
    "airport",
    "company",
    "investment",
    "jobs",
    "factory",
    "exports",
    "imports",
    "inflation",
    "interest",
    "rates",
    "bank",
    "currency",
    "officials",
    "said",
    "would",
    "could",
    "announced",
    "expected",
    "according",
    "statement",
    "week",
    "month",
    "year",
    "people",
    "residents",
    "plan",
    "proposal",
    "vote",
    "opposition",
    "leader",
    "president",
    "mayor",
    "festival",
    "museum",
    "library",
    "team",
    "season",
    "match",
    "coach",
    "players",
    "record",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "on",
    "for",
    "with",
    "after",
    "before",
    "while",
    "as",
    "new",
    "old",
    "local",
    "national",
    "foreign",
    "public",
    "private",
    "first",
    "last",
    "largest",
];
const FIRST: &[&str] = &[
    "Ana", "Bo", "Chiara", "Daniel", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kofi",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sam", "Tomás", "Uma", "Viktor",
    "Wen", "Yara", "Zoë",
];
const LAST: &[&str] = &[
    "Lima", "Chen", "Rossi", "Kovač", "Şahin", "Haddad", "Okafor", "Tanaka", "García", "Berg",
    "Mensah", "Hartmann", "Silva", "Novak", "Farouk", "Raman",
];
const SECTIONS: &[&str] = &[
    "World",
    "Politics",
    "Economy",
    "Business",
    "Science",
    "Health",
    "Climate",
    "Culture",
    "Sport",
    "City",
    "Opinion",
    "Technology",
];
const PLACES: &[&str] = &[
    "São Paulo",
    "Zürich",
    "Россия",
    "Türkiye",
    "Kraków",
    "Ελλάδα",
    "México",
    "Québec",
    "Москва",
    "Côte d'Ivoire",
    "Reykjavík",
    "Łódź",
];
const TOPICS: &[&str] = &[
    "elections",
    "energy",
    "oil",
    "trade",
    "housing",
    "transport",
    "health care",
    "climate change",
    "foreign policy",
    "public transport",
    "central bank",
    "football",
    "music",
    "books",
    "space",
    "agriculture",
    "water",
    "labour",
    "courts",
    "diplomacy",
];

/// A sentence of `low` to `high` words.
fn sentence(rng: &mut Rng, low: usize, high: usize) -> String {
    let words = rng.range(low, high);
    let mut s = String::new();
    for i in 0..words {
        let w = *rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            s.extend(c.next().map(|f| f.to_ascii_uppercase()));
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng, words: &mut usize) -> String {
    let mut p = String::new();
    for _ in 0..rng.range(3, 6) {
        let sentence = sentence(rng, 8, 20);
        *words += sentence.split(' ').count();
        if !p.is_empty() {
            p.push(' ');
        }
        p.push_str(&sentence);
    }
    p
}

/// Tag names: topics, places and numbered variants, so the pool runs to thousands.
fn tag_pool(size: usize) -> Vec<String> {
    let mut tags: Vec<String> = TOPICS.iter().chain(PLACES).map(|s| s.to_string()).collect();
    let mut i = 0;
    while tags.len() < size {
        let base = if i % 3 == 0 {
            PLACES[i % PLACES.len()]
        } else {
            TOPICS[i % TOPICS.len()]
        };
        tags.push(format!("{base} {}", i / 3 + 2));
        i += 1;
    }
    tags
}

/// Zipf-like draw: rank r with weight 1/r, by inverse CDF.
struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize) -> Zipf {
        let mut total = 0.0;
        Zipf(
            (1..=n)
                .map(|r| {
                    total += 1.0 / r as f64;
                    total
                })
                .collect(),
        )
    }
    fn draw(&self, rng: &mut Rng) -> usize {
        let total = *self.0.last().unwrap();
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        self.0.partition_point(|&c| c < x).min(self.0.len() - 1)
    }
}

fn article(
    rng: &mut Rng,
    i: usize,
    tags: &[String],
    zipf: &Zipf,
    authors: &[String],
) -> (String, String) {
    let year = 2006 + rng.below(20);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let offset = *rng.pick(&["+00:00", "+01:00", "+03:00", "-05:00", "+09:00"]);
    let title = sentence(rng, 5, 11).trim_end_matches('.').to_string();
    let slug = format!(
        "{}-{i}",
        title
            .to_lowercase()
            .split(' ')
            .take(6)
            .collect::<Vec<_>>()
            .join("-")
    );
    let mut chosen: Vec<&str> = Vec::new();
    while chosen.len() < rng.range(3, 8) {
        let t = tags[zipf.draw(rng)].as_str();
        if !chosen.contains(&t) {
            chosen.push(t);
        }
    }
    let author_count = 1 + rng.below(2);
    let by: Vec<&str> = (0..author_count)
        .map(|_| rng.pick(authors).as_str())
        .collect();
    let mut fm = String::new();
    let _ = writeln!(fm, "---");
    let _ = writeln!(fm, "title: \"{title}\"");
    if rng.below(10) < 8 {
        let _ = writeln!(fm, "subtitle: \"{}\"", sentence(rng, 12, 24));
    }
    if rng.below(2) == 0 {
        let _ = writeln!(fm, "summary: \"{}\"", sentence(rng, 15, 30));
    }
    let _ = writeln!(
        fm,
        "date: {year}-{month:02}-{day:02}T{:02}:{:02}:00{offset}",
        rng.below(24),
        rng.below(60)
    );
    let _ = writeln!(
        fm,
        "authors: [{}]",
        by.iter()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        fm,
        "tags: [{}]",
        chosen
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(fm, "section: {}", rng.pick(SECTIONS));
    let _ = writeln!(fm, "slug: {slug}");
    let _ = writeln!(fm, "---\n");

    let target = rng.range(400, 1200);
    let mut words = 0;
    let mut body = String::new();
    while words < target {
        match rng.below(12) {
            0 => {
                let _ = write!(body, "## {}\n\n", sentence(rng, 4, 4).trim_end_matches('.'));
            }
            1 => {
                for _ in 0..rng.range(3, 5) {
                    let _ = writeln!(body, "- {}", sentence(rng, 5, 12));
                    words += 8;
                }
                body.push('\n');
            }
            2 => {
                let _ = write!(body, "> {}\n\n", sentence(rng, 12, 25));
                words += 18;
            }
            3 if rng.below(4) == 0 => {
                body.push_str("| Year | Value | Change |\n|---|---:|---:|\n");
                for r in 0..rng.range(3, 6) {
                    let _ = writeln!(
                        body,
                        "| {} | {} | {}% |",
                        2000 + r,
                        rng.below(1000),
                        rng.below(20)
                    );
                }
                body.push('\n');
            }
            4 => {
                let p = paragraph(rng, &mut words);
                let _ = write!(
                    body,
                    "{p} See [the full report](https://example.org/reports/{i}) for details.\n\n"
                );
            }
            _ => {
                let p = paragraph(rng, &mut words);
                body.push_str(&p);
                body.push_str("\n\n");
            }
        }
    }
    (format!("{year}/{slug}.md"), fm + &body)
}

fn main() {
    let mut articles = 1000usize;
    let mut out: Option<PathBuf> = None;
    let mut seed = 42u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--articles" => articles = value().parse().expect("--articles takes a number"),
            "--out" => out = Some(value().into()),
            "--seed" => seed = value().parse().expect("--seed takes a number"),
            other => {
                eprintln!(
                    "unknown argument {other}\nusage: gen_archive --articles N --out DIR [--seed S]"
                );
                std::process::exit(2);
            }
        }
    }
    let out = out.unwrap_or_else(|| {
        eprintln!("usage: gen_archive --articles N --out DIR [--seed S]");
        std::process::exit(2);
    });
    let mut rng = Rng(seed.max(1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let tags = tag_pool((articles / 5).clamp(200, 5000));
    let zipf = Zipf::new(tags.len());
    let authors: Vec<String> = (0..(articles / 25).clamp(20, 400))
        .map(|i| {
            format!(
                "{} {}{}",
                FIRST[i % FIRST.len()],
                LAST[(i / FIRST.len()) % LAST.len()],
                if i >= FIRST.len() * LAST.len() {
                    format!(" {}", i)
                } else {
                    String::new()
                }
            )
        })
        .collect();
    let content = out.join("content");
    std::fs::create_dir_all(&content).expect("create the output folder");
    std::fs::write(
        out.join("config.yaml"),
        "title: Benchmark Archive\nbase_url: https://archive.example.org/\npage_size: 20\n",
    )
    .expect("write config.yaml");
    for i in 0..articles {
        let (path, text) = article(&mut rng, i, &tags, &zipf, &authors);
        let file = content.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    println!(
        "{articles} articles, {} tags in the pool, {} authors, into {}",
        tags.len(),
        authors.len(),
        out.display()
    );
}
