//! Checking links to other sites (`broadsheet check --external`): each
//! address once per run, `HEAD` first and `GET` when a server refuses `HEAD`,
//! with a timeout, a bounded number of requests at a time, and fewer still to
//! any one host.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

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

/// What an address answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// An HTTP status, after following redirects.
    Status(u16),
    /// No answer: what went wrong (a timeout, no such host, a refused
    /// connection, a TLS error).
    Failed(String),
}

impl Answer {
    /// True for an answer a reader would be glad of (2xx).
    pub fn is_good(&self) -> bool {
        matches!(self, Answer::Status(200..=299))
    }

    /// The answer in words.
    pub fn describe(&self) -> String {
        match self {
            Answer::Status(status) => format!(
                "answered {status}{}",
                reason(*status).map_or(String::new(), |r| format!(" {r}"))
            ),
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
pub fn check_all(urls: &[String], options: ExternalOptions) -> HashMap<String, Answer> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
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

/// `HEAD`, then `GET` when the server refuses `HEAD` or it fails.
fn ask(agent: &ureq::Agent, url: &str) -> Answer {
    match agent.head(url).call() {
        Ok(response) if !matches!(response.status().as_u16(), 403 | 405 | 501) => {
            Answer::Status(response.status().as_u16())
        }
        _ => match agent.get(url).call() {
            Ok(response) => Answer::Status(response.status().as_u16()),
            Err(e) => Answer::Failed(e.to_string()),
        },
    }
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
    fn answers_read_as_words() {
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
