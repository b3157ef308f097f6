//! Benchmark of `broadsheet serve` on a generated archive: the time from a
//! file's save to the reload event that says the rebuilt output can be
//! served, for several kinds of edit; the first full build; and the
//! server's resident memory after the edits. Run by `scripts/bench-serve.sh`.
//!
//! ```text
//! serve_bench --bin target/release/broadsheet --site /dev/shm/site [--edits 20]
//! ```
//!
//! The site is edited in place (articles are changed, added and deleted).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// One kind of edit, and its measurements.
struct Kind {
    name: &'static str,
    /// Wall time from the write to the reload event, in ms.
    seen: Vec<f64>,
    /// The server's own figure for the rebuild, in ms.
    rebuilt: Vec<f64>,
    /// Files written by each rebuild.
    written: Vec<usize>,
}

fn main() {
    let mut bin = PathBuf::from("target/release/broadsheet");
    let mut site = PathBuf::new();
    let mut edits = 20;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bin" => bin = args.next().expect("--bin PATH").into(),
            "--site" => site = args.next().expect("--site DIR").into(),
            "--edits" => edits = args.next().and_then(|n| n.parse().ok()).expect("--edits N"),
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(
        site.join("content").is_dir(),
        "--site must be a site folder"
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = Instant::now();
    let mut server = Command::new(&bin)
        .args(["serve", site.to_str().unwrap(), "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start broadsheet serve");
    let lines = read_lines(&mut server);
    let built = wait_for(&lines, |l| l.starts_with("Built "));
    wait_for(&lines, |l| l.starts_with("Serving "));
    let first_build = started.elapsed();
    let mut events = Events::connect(port);

    let files = markdown_files(&site.join("content"));
    let mut kinds: Vec<Kind> = [
        "body edit (a word changed)",
        "body edit (a sentence added)",
        "tag change",
        "date change",
        "new article",
        "deleted article",
    ]
    .into_iter()
    .map(|name| Kind {
        name,
        seen: Vec::new(),
        rebuilt: Vec::new(),
        written: Vec::new(),
    })
    .collect();
    let bench_dir = site.join("content/serve-bench");
    std::fs::create_dir_all(&bench_dir).unwrap();
    // An empty folder changes no page: give the watcher a moment to see it.
    std::thread::sleep(Duration::from_millis(300));
    drain(&lines);

    for round in 0..edits {
        // Spread edits over the archive, old and new.
        let file = &files[(round * 7919) % files.len()];
        let text = std::fs::read_to_string(file).unwrap();
        let new_path = bench_dir.join(format!("new-{round}.md"));
        let edits: [(usize, PathBuf, Option<String>); 6] = [
            (0, file.clone(), Some(change_last_word(&text, round))),
            (
                1,
                file.clone(),
                Some(format!("{}\nOne more sentence {round}.\n", text.trim_end())),
            ),
            (2, file.clone(), Some(change_tags(&text, round))),
            (3, file.clone(), Some(change_date(&text, round))),
            (4, new_path.clone(), Some(new_article(round))),
            (5, new_path.clone(), None),
        ];
        for (kind, path, contents) in edits {
            drain(&lines);
            let started = Instant::now();
            match &contents {
                Some(text) => std::fs::write(&path, text).unwrap(),
                None => std::fs::remove_file(&path).unwrap(),
            }
            events.next_reload(Duration::from_secs(30));
            let seen = started.elapsed().as_secs_f64() * 1000.0;
            let line = wait_for(&lines, |l| l.starts_with("Rebuilt in "));
            let (rebuilt, written) = parse_rebuilt(&line);
            let kind = &mut kinds[kind];
            kind.seen.push(seen);
            kind.rebuilt.push(rebuilt);
            kind.written.push(written);
            // Let the next edit be a batch of its own.
            std::thread::sleep(Duration::from_millis(30));
        }
        // Put the article back as it was.
        std::fs::write(file, &text).unwrap();
        events.next_reload(Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(30));
    }
    let rss = resident_mib(server.id());
    let total: usize = kinds.iter().map(|k| k.seen.len()).sum::<usize>() + edits;

    println!("{built}");
    println!(
        "First build in `serve`, from start to serving: {:.2} s",
        first_build.as_secs_f64()
    );
    println!("Resident memory of the server after {total} edits: {rss:.0} MiB");
    println!();
    println!(
        "| edit | save → reload event, median (ms) | worst (ms) | rebuild as the server reports it, median (ms) | files written, median |"
    );
    println!("|---|---:|---:|---:|---:|");
    for kind in &kinds {
        println!(
            "| {} | {:.0} | {:.0} | {:.0} | {} |",
            kind.name,
            median(&kind.seen),
            kind.seen.iter().cloned().fold(0.0, f64::max),
            median(&kind.rebuilt),
            median_usize(&kind.written)
        );
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&bench_dir);
}

fn read_lines(child: &mut Child) -> Receiver<String> {
    let (sender, receiver) = channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

fn wait_for(lines: &Receiver<String>, matches: impl Fn(&str) -> bool) -> String {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(120))
            .expect("the server said nothing in time");
        if matches(&line) {
            return line;
        }
    }
}

fn drain(lines: &Receiver<String>) {
    while lines.try_recv().is_ok() {}
}

/// "Rebuilt in 23 ms: 4 file(s) written (…)" → (23, 4)
fn parse_rebuilt(line: &str) -> (f64, usize) {
    let ms = line
        .strip_prefix("Rebuilt in ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(f64::NAN);
    let written = line
        .split(": ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    (ms, written)
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn connect(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .write_all(b"GET /__broadsheet/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        Events {
            reader: BufReader::new(stream),
        }
    }

    fn next_reload(&mut self, patience: Duration) {
        self.reader
            .get_ref()
            .set_read_timeout(Some(patience))
            .unwrap();
        let mut line = String::new();
        loop {
            line.clear();
            let read = self
                .reader
                .read_line(&mut line)
                .expect("a reload event in time");
            assert!(read > 0, "the event stream ended");
            if line.trim_end() == "event: reload" {
                return;
            }
        }
    }
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// A typo fixed in the last paragraph: the word count stays.
fn change_last_word(text: &str, round: usize) -> String {
    let trimmed = text.trim_end();
    let cut = trimmed.rfind(' ').unwrap_or(trimmed.len());
    format!("{} word{round}.\n", &trimmed[..cut])
}

fn change_tags(text: &str, round: usize) -> String {
    const POOL: [&str; 4] = ["energy", "housing", "elections", "courts"];
    text.lines()
        .map(|line| {
            if line.starts_with("tags:") {
                format!("tags: [\"{}\", \"climate\"]", POOL[round % POOL.len()])
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn change_date(text: &str, round: usize) -> String {
    text.lines()
        .map(|line| {
            if line.starts_with("date:") {
                format!(
                    "date: 2015-{:02}-{:02}T10:00:00+00:00",
                    1 + round % 12,
                    1 + round % 28
                )
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn new_article(round: usize) -> String {
    format!(
        "---\ntitle: \"Breaking: a new story number {round}\"\ndate: 2025-12-31T23:{:02}:00+00:00\nauthors: [\"Bench Writer\"]\ntags: [\"elections\", \"housing\", \"energy\"]\nsection: Economy\n---\n\nThe first paragraph of a new story.\n\nAnd its second paragraph, with more words in it.\n",
        round % 60
    )
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

fn median_usize(values: &[usize]) -> usize {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied().unwrap_or(0)
}

/// Resident memory of a process, from /proc.
fn resident_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
