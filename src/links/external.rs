//! Checking links to other sites (`broadsheet check --external`): each
//! address once per run, `HEAD` first and `GET` when a server refuses `HEAD`,
//! with a timeout, a bounded number of requests at a time, and fewer still to
//! any one host.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::progress::Progress;

/// How external links are checked.
#[derive(Debug, Clone, Copy)]
pub struct ExternalOptions {
    /// How long one request may take.
    pub timeout: Duration,
    /// Requests at a time, in all.
    pub concurrency: usize,
    /// Requests at a time to one host.
    pub per_host: usize,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            timeout: Duration::from_secs(10),
            concurrency: 8,
            per_host: 2,
        }
    }
}

/// How many redirects are followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// What an address answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// An HTTP status, after following redirects.
    Status(u16),
    /// A permanent redirect (301, 308): the link should be updated to its
    /// new address, which gave the answer inside.
    Moved {
        /// The status of the redirect.
        status: u16,
        /// Where it leads.
        to: String,
        /// What the new address answered.
        then: Box<Answer>,
    },
    /// No answer: what went wrong (a timeout, no such host, a refused
    /// connection, a TLS error, redirects without end).
    Failed(String),
}

impl Answer {
    /// True for an answer a reader would be glad of (2xx, after redirects).
    pub fn is_good(&self) -> bool {
        match self {
            Answer::Status(status) => (200..=299).contains(status),
            Answer::Moved { then, .. } => then.is_good(),
            Answer::Failed(_) => false,
        }
    }

    /// The new address of a link that moved permanently.
    pub fn moved_to(&self) -> Option<&str> {
        match self {
            Answer::Moved { to, .. } => Some(to),
            _ => None,
        }
    }

    /// The answer in words.
    pub fn describe(&self) -> String {
        match self {
            Answer::Status(status) => format!(
                "answered {status}{}",
                reason(*status).map_or(String::new(), |r| format!(" {r}"))
            ),
            Answer::Moved { status, to, then } if then.is_good() => {
                format!("moved permanently ({status}) to {to}")
            }
            Answer::Moved { status, to, then } => {
                format!(
                    "moved permanently ({status}) to {to}, which {}",
                    then.describe()
                )
            }
            Answer::Failed(why) => format!("no answer: {why}"),
        }
    }
}

fn reason(status: u16) -> Option<&'static str> {
    Some(match status {
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// True for a link this checker asks about: `http` and `https` addresses.
pub fn is_checked(link: &str) -> bool {
    let lower = link.get(..8).unwrap_or(link).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The host of an address, to limit requests to it.
fn host(url: &str) -> String {
    url.split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Checks every address once (fragments aside), and gives each one's answer.
pub fn check_all(
    urls: &[String],
    options: ExternalOptions,
    progress: &Progress,
) -> HashMap<String, Answer> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        // Followed here, to tell a permanent move from a temporary one.
        .max_redirects(0)
        .user_agent(concat!(
            "broadsheet/",
            env!("CARGO_PKG_VERSION"),
            " (link checker)"
        ))
        .build()
        .into();
    let mut by_host: BTreeMap<String, VecDeque<String>> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for url in urls {
        let address = url.split('#').next().unwrap_or(url).to_string();
        if seen.insert(address.clone()) {
            by_host
                .entry(host(&address))
                .or_default()
                .push_back(address);
        }
    }
    let total = seen.len();
    progress.stage("checking external links", Some(total as u64));
    let queue = Mutex::new(Queue {
        by_host,
        in_flight: HashMap::new(),
        answers: HashMap::with_capacity(total),
    });
    let ready = Condvar::new();
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.clamp(1, total.max(1)) {
            scope.spawn(|| {
                loop {
                    let next = {
                        let mut q = queue.lock().expect("the queue is never poisoned");
                        loop {
                            if q.answers.len() + q.in_flight.values().sum::<usize>() >= total
                                && q.by_host.values().all(VecDeque::is_empty)
                            {
                                break None;
                            }
                            if let Some(taken) = q.take(options.per_host) {
                                break Some(taken);
                            }
                            q = ready.wait(q).expect("the queue is never poisoned");
                        }
                    };
                    let Some((host, url)) = next else {
                        ready.notify_all();
                        return;
                    };
                    let answer = ask(&agent, &url);
                    progress.advance();
                    let mut q = queue.lock().expect("the queue is never poisoned");
                    *q.in_flight.entry(host).or_default() -= 1;
                    q.answers.insert(url, answer);
                    ready.notify_all();
                }
            });
        }
    });
    queue
        .into_inner()
        .expect("the queue is never poisoned")
        .answers
}

/// Addresses waiting by host, requests under way by host, answers.
struct Queue {
    by_host: BTreeMap<String, VecDeque<String>>,
    in_flight: HashMap<String, usize>,
    answers: HashMap<String, Answer>,
}

impl Queue {
    /// The next address of a host with room for one more request.
    fn take(&mut self, per_host: usize) -> Option<(String, String)> {
        let host = self
            .by_host
            .iter()
            .find(|(host, waiting)| {
                !waiting.is_empty() && self.in_flight.get(*host).copied().unwrap_or(0) < per_host
            })
            .map(|(host, _)| host.clone())?;
        let url = self.by_host.get_mut(&host)?.pop_front()?;
        *self.in_flight.entry(host.clone()).or_default() += 1;
        Some((host, url))
    }
}

/// Asks an address, following redirects; the first permanent one is
/// reported as a move.
fn ask(agent: &ureq::Agent, url: &str) -> Answer {
    let mut current = url.to_string();
    let mut moved: Option<(u16, String)> = None;
    for _ in 0..=MAX_REDIRECTS {
        let (status, location) = match ask_once(agent, &current) {
            Ok(answer) => answer,
            Err(failed) => return wrap(moved, failed),
        };
        let Some(location) = location.filter(|_| (300..=399).contains(&status)) else {
            return wrap(moved, Answer::Status(status));
        };
        let next = resolve_location(&current, &location);
        if matches!(status, 301 | 308) && current == url {
            moved = Some((status, next.clone()));
        }
        current = next;
    }
    wrap(
        moved,
        Answer::Failed(format!("more than {MAX_REDIRECTS} redirects")),
    )
}

/// The answer, inside the permanent move that led to it, if any.
fn wrap(moved: Option<(u16, String)>, answer: Answer) -> Answer {
    match moved {
        Some((status, to)) => Answer::Moved {
            status,
            to,
            then: Box::new(answer),
        },
        None => answer,
    }
}

/// One request: `HEAD`, then `GET` when the server refuses `HEAD` or it
/// fails. The status and the `Location` header.
fn ask_once(agent: &ureq::Agent, url: &str) -> Result<(u16, Option<String>), Answer> {
    let read = |response: ureq::http::Response<ureq::Body>| {
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_string);
        (response.status().as_u16(), location)
    };
    match agent.head(url).call() {
        Ok(response) if !matches!(response.status().as_u16(), 403 | 405 | 501) => {
            Ok(read(response))
        }
        _ => match agent.get(url).call() {
            Ok(response) => Ok(read(response)),
            Err(e) => Err(Answer::Failed(e.to_string())),
        },
    }
}

/// The address a `Location` header leads to from `base`: absolute,
/// scheme-relative (`//host/x`), root-relative (`/x`) or relative (`x`).
fn resolve_location(base: &str, location: &str) -> String {
    if is_checked(location) || location.contains("://") {
        return location.to_string();
    }
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let (scheme, rest) = base.split_at(scheme_end);
    if let Some(host_relative) = location.strip_prefix("//") {
        return format!("{scheme}{host_relative}");
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = &base[..scheme_end + host_end];
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = rest[host_end..].split(['?', '#']).next().unwrap_or("");
    let folder = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let folder = if folder.is_empty() { "/" } else { folder };
    format!("{origin}{folder}{location}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_checked() {
        assert!(is_checked("https://example.org/"));
        assert!(is_checked("HTTP://EXAMPLE.ORG"));
        assert!(!is_checked("mailto:a@b.c"));
        assert!(!is_checked("ftp://x"));
        assert_eq!(host("https://Example.org:8080/x?y"), "example.org:8080");
    }

    #[test]
    fn locations_resolve_against_the_address() {
        let base = "https://example.org/news/2019/story?x=1";
        for (location, expected) in [
            ("https://other.org/a", "https://other.org/a"),
            ("//cdn.example.org/a", "https://cdn.example.org/a"),
            ("/archive/story", "https://example.org/archive/story"),
            ("story-2", "https://example.org/news/2019/story-2"),
        ] {
            assert_eq!(resolve_location(base, location), expected);
        }
        assert_eq!(
            resolve_location("http://h:8080", "x"),
            "http://h:8080/x",
            "an address without a path"
        );
    }

    #[test]
    fn answers_read_as_words() {
        let moved = Answer::Moved {
            status: 301,
            to: "https://b/".into(),
            then: Box::new(Answer::Status(200)),
        };
        assert!(moved.is_good());
        assert_eq!(moved.describe(), "moved permanently (301) to https://b/");
        let moved_then_gone = Answer::Moved {
            status: 308,
            to: "https://b/".into(),
            then: Box::new(Answer::Status(410)),
        };
        assert!(!moved_then_gone.is_good());
        assert_eq!(
            moved_then_gone.describe(),
            "moved permanently (308) to https://b/, which answered 410 Gone"
        );
        assert_eq!(Answer::Status(404).describe(), "answered 404 Not Found");
        assert!(Answer::Status(204).is_good());
        assert!(!Answer::Status(301).is_good());
        assert!(
            Answer::Failed("timed out".into())
                .describe()
                .contains("timed out")
        );
    }
}
