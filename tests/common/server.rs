//! A `broadsheet serve` process for tests, and a small HTTP client over a
//! plain TCP socket (requests are sent exactly as written, so tests can send
//! what no well-behaved client would).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long a test waits for the server to do something.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A running `broadsheet serve`.
pub struct Server {
    child: Child,
    /// Its base URL, as it printed it.
    pub url: String,
    /// The port it listens on.
    pub port: u16,
    /// What it prints, line by line (standard output and error).
    pub lines: Receiver<String>,
    /// Everything printed so far.
    pub printed: Vec<String>,
}

impl Server {
    /// Starts serving `site` on a free port (or `port`), with `args`, and
    /// waits until it says where it serves. `temp` is its temporary folder.
    pub fn start(site: &Path, port: Option<u16>, args: &[&str], temp: &Path) -> Server {
        let port = port.unwrap_or_else(free_port);
        let mut child = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
            .arg("serve")
            .arg(site)
            .args(["--port", &port.to_string()])
            .args(args)
            .env("TMPDIR", temp)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start broadsheet serve");
        let (sender, lines) = channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let mut server = Server {
            child,
            url: String::new(),
            port: 0,
            lines,
            printed: Vec::new(),
        };
        let serving = server.wait_for_line(|l| l.starts_with("Serving "));
        server.url = serving
            .rsplit(" at ")
            .next()
            .and_then(|rest| rest.split_whitespace().next())
            .expect("a URL")
            .to_string();
        server.port = server
            .url
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a port");
        server
    }

    /// Waits for a printed line that `matches`, and returns it.
    pub fn wait_for_line(&mut self, matches: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.printed.push(line.clone());
                    if matches(&line) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => panic!(
                    "the server did not print the line expected; it printed:\n{}",
                    self.printed.join("\n")
                ),
            }
        }
    }

    /// Sends a GET request for `target` (sent as is).
    pub fn get(&self, target: &str) -> Response {
        request(
            self.port,
            &format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        )
    }

    /// Opens the reload event stream.
    pub fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .write_all(b"GET /__broadsheet/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            .unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        Events {
            reader: BufReader::new(stream),
        }
    }

    /// Sends Ctrl-C and waits for the process to end; returns whether it
    /// exited successfully, with what it printed last.
    pub fn interrupt(mut self) -> (bool, Vec<String>) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().unwrap();
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
                    self.printed.push(line);
                }
                return (status.success(), std::mem::take(&mut self.printed));
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop on Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The reload event stream of a server.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// Waits for the next event of a kind (`hello`, `reload`) and returns
    /// its data.
    pub fn next(&mut self, kind: &str) -> String {
        let mut current = String::new();
        loop {
            let mut line = String::new();
            let read = self.reader.read_line(&mut line).expect("an event in time");
            assert!(read > 0, "the event stream ended");
            let line = line.trim_end();
            if let Some(event) = line.strip_prefix("event: ") {
                current = event.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && current == kind
            {
                return data.to_string();
            }
        }
    }
}

/// A response: status, headers and body.
#[derive(Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header lines, lowercase names.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

impl Response {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends raw request bytes and reads the whole response.
pub fn request(port: u16, raw: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut head_lines = head.lines();
    let status = head_lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = head_lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The page without what `serve` puts into it: the reload script.
pub fn without_reload_script(html: &str) -> String {
    match html.find("<script>/* broadsheet serve: live reload */") {
        Some(start) => {
            let end = html[start..].find("</script>").unwrap() + start + "</script>".len();
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}
