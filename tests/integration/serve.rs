//! `bullpen serve` as a user runs it: a real process on a free port,
//! fetched over HTTP while its files are edited, broken and fixed.

use crate::support::fixture;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long to wait for a rebuild to show before failing: generous, as a
/// loaded CI machine may be slow. A wait, never a timing assertion.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running `bullpen serve`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    address: String,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub(crate) fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(crate::support::bin())
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .args(extra)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (send, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    return;
                }
            }
        });
        // Owned by the guard from here on, so a failed start still stops it.
        let mut server = Server {
            child,
            address: String::new(),
            log,
        };
        let mut seen = Vec::new();
        loop {
            let line = server
                .log
                .recv_timeout(PATIENCE)
                .unwrap_or_else(|_| panic!("serve did not start; it said: {seen:#?}"));
            if let Some(at) = line.find("http://") {
                server.address = line[at + "http://".len()..]
                    .split('/')
                    .next()
                    .unwrap()
                    .to_string();
                return server;
            }
            seen.push(line);
        }
    }

    /// GETs `path`: the status code and the body.
    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        // A server that never answers fails the test rather than hanging it.
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            // HTTP/1.0: the whole body as it is, never in chunks.
            "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// Sends `request` as it is and reads the whole response: the status
    /// code and the head, lower-cased.
    fn raw(&self, request: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response);
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let head = response
            .split_once("\r\n\r\n")
            .map_or(&*response, |(head, _)| head)
            .to_ascii_lowercase();
        (status, head)
    }

    /// Fetches `path` until `test` holds for its body, or fails saying
    /// what it waited for and what the server printed.
    pub(crate) fn wait_for(&self, path: &str, what: &str, test: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let (_, body) = self.get(path);
            if test(&body) {
                return body;
            }
            if started.elapsed() > PATIENCE {
                let log: Vec<String> = self.log.try_iter().collect();
                panic!("{path} never showed {what}; serve said: {log:#?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::audience::copy_dir(&fixture("small"), dir.path());
    dir
}

#[test]
fn serve_shows_edits_then_errors_then_the_fixed_page() {
    let dir = site();
    let server = Server::start(dir.path(), &[]);
    let page = "/playbooks/basics/first-call/";
    let (status, body) = server.get(page);
    assert_eq!(status, 200);
    assert!(
        body.contains("/_bullpen/live.js"),
        "serve adds the reload script"
    );
    assert!(!body.contains("bullpen-error"));

    // Open tabs hear of each rebuild over Server-Sent Events.
    let mut events = TcpStream::connect(&server.address).unwrap();
    write!(
        events,
        "GET /_bullpen/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address
    )
    .unwrap();
    events.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut events = BufReader::new(events);
    let first = next_version(&mut events);

    // Edit a playbook: the page shows the new text.
    let playbook = dir.path().join("content/playbooks/basics/first-call.md");
    let mut text = std::fs::read_to_string(&playbook).unwrap();
    text.push_str("\nAsk about the zeppelin budget.\n");
    std::fs::write(&playbook, &text).unwrap();
    server.wait_for(page, "the edit", |b| b.contains("zeppelin budget"));
    assert!(
        next_version(&mut events) > first,
        "a reload event follows the edit"
    );
    // The index lists it, and search finds it by its new word.
    let (_, index) = server.get("/search-index.json");
    assert!(index.contains("zeppelin"));

    // Break a YAML file: the overlay names the file and line; the last
    // good page is still served under it.
    let person = dir.path().join("content/people/ann-lee.yaml");
    let good = std::fs::read_to_string(&person).unwrap();
    std::fs::write(&person, format!("name: [unclosed\n{good}")).unwrap();
    let broken = server.wait_for(page, "the error overlay", |b| b.contains("bullpen-error"));
    assert!(
        broken.contains("content/people/ann-lee.yaml:1"),
        "the overlay names the file and line"
    );
    assert!(
        broken.contains("zeppelin budget"),
        "the last good page stays"
    );

    // Fix it: the overlay goes and the page is back.
    std::fs::write(&person, &good).unwrap();
    let fixed = server.wait_for(page, "the page without the overlay", |b| {
        !b.contains("bullpen-error")
    });
    assert!(fixed.contains("zeppelin budget"));

    // serve never writes a build output folder.
    assert!(!dir.path().join("public").exists());
}

#[test]
fn editors_temporary_files_in_content_are_no_error() {
    let dir = site();
    let server = Server::start(dir.path(), &[]);
    let page = "/playbooks/basics/first-call/";
    // What sed -i, Vim and Emacs leave beside a person's file while saving.
    let people = dir.path().join("content/people");
    for name in [
        "sed3SO84X",
        ".ann-lee.yaml.swp",
        "ann-lee.yaml.swx",
        "ann-lee.yaml~",
        ".#ann-lee.yaml",
        "#ann-lee.yaml#",
        "4913",
        "ann-lee.yaml.tmp",
        ".DS_Store",
    ] {
        std::fs::write(people.join(name), "not: [a person\n").unwrap();
    }
    // A real edit after them: the rebuild it causes reads the folder too.
    let playbook = dir.path().join("content/playbooks/basics/first-call.md");
    let mut text = std::fs::read_to_string(&playbook).unwrap();
    text.push_str("\nAsk about the zeppelin budget.\n");
    std::fs::write(&playbook, &text).unwrap();
    let body = server.wait_for(page, "the edit", |b| b.contains("zeppelin budget"));
    assert!(!body.contains("bullpen-error"), "{body}");
}

#[test]
fn the_overlay_points_at_a_broken_link_with_its_source() {
    let dir = site();
    let server = Server::start(dir.path(), &[]);
    let playbook = dir.path().join("content/playbooks/basics/first-call.md");
    let mut text = std::fs::read_to_string(&playbook).unwrap();
    let line = text.lines().count() + 2;
    text.push_str("\nSee [the <other> call](../nowhere/gone.md) first.\n");
    std::fs::write(&playbook, &text).unwrap();
    let page = server.wait_for("/", "the error overlay", |b| b.contains("bullpen-error"));
    // The link's own line and the column of its destination.
    let place = format!("content/playbooks/basics/first-call.md:{line}:24");
    assert!(page.contains(&place), "{place} in {page}");
    // The source around it, escaped, with a caret under the column.
    assert!(
        page.contains("See [the &lt;other&gt; call](../nowhere/gone.md) first."),
        "{page}"
    );
    assert!(page.contains(&format!("{}^", " ".repeat(23))), "{page}");
    assert!(!page.contains("rgba("), "the overlay is opaque");
}

#[test]
fn the_overlay_names_the_theme_file_or_folder_at_fault() {
    let dir = site();
    let server = Server::start(dir.path(), &[]);
    // A theme template that no longer compiles: its file and line.
    let template = dir.path().join("themes/acme/templates/404.html");
    let good = std::fs::read_to_string(&template).unwrap();
    let broken = good.replacen("{{ root }}", "{{ root }", 1);
    assert_ne!(broken, good, "the fixture's 404 page links home on line 2");
    std::fs::write(&template, broken).unwrap();
    let page = server.wait_for("/", "the error overlay", |b| b.contains("bullpen-error"));
    assert!(
        page.contains("<strong>themes/acme/templates/404.html:2:"),
        "the overlay names the template's file, line and column: {page}"
    );
    std::fs::write(&template, &good).unwrap();
    server.wait_for("/", "the page without the overlay", |b| {
        !b.contains("bullpen-error")
    });

    // site.yaml names a theme that is not there: the folder it would be.
    let settings = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, text.replace("theme: acme", "theme: nowhere")).unwrap();
    let page = server.wait_for("/", "the error overlay", |b| b.contains("bullpen-error"));
    assert!(
        page.contains("<strong>themes/nowhere</strong>"),
        "the overlay names the missing theme's folder: {page}"
    );
}

#[test]
fn serve_rebuilds_figures_and_serves_missing_pages_as_404() {
    let dir = site();
    let server = Server::start(dir.path(), &[]);
    let (status, _) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    let (status, _) = server.get("/people/ann-lee/");
    assert_eq!(status, 200);
    let figures = dir.path().join("content/performance/2026-Q2/ann-lee.yaml");
    let text = std::fs::read_to_string(&figures).unwrap();
    let changed = text.replacen("closed_won:", "closed_won: 987654\nold_closed_won:", 1);
    assert_ne!(changed, text, "the fixture has closed_won");
    // An unknown field is an error: the overlay shows it.
    std::fs::write(&figures, &changed).unwrap();
    server.wait_for("/people/ann-lee/", "the error overlay", |b| {
        b.contains("bullpen-error") && b.contains("old_closed_won")
    });
    // A valid new figure shows on the rep's page.
    let valid: String = text
        .lines()
        .map(|line| {
            if line.starts_with("closed_won:") {
                "closed_won: 987654".to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&figures, valid + "\n").unwrap();
    server.wait_for("/people/ann-lee/", "the new figure", |b| {
        b.contains("987,654") && !b.contains("bullpen-error")
    });
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let dir = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(crate::support::bin())
        .arg("serve")
        .arg("--root")
        .arg(dir.path())
        .args(["--port", &port])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(stderr.contains("in use"), "{stderr}");
}

#[test]
fn build_output_never_has_the_reload_script() {
    let dir = site();
    let built = crate::support::bullpen(&["build"], dir.path());
    assert!(built.status.success());
    for entry in walkdir::WalkDir::new(dir.path().join("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("_bullpen"),
                "{} has serve's script",
                entry.path().display()
            );
        }
    }
}

/// Reads the event stream up to the next `version` event's number.
fn next_version(events: &mut impl BufRead) -> u64 {
    let mut line = String::new();
    loop {
        line.clear();
        let read = events.read_line(&mut line).expect("an event in time");
        assert!(read > 0, "the event stream ended");
        if let Some(number) = line.trim().strip_prefix("data: ") {
            return number.parse().unwrap();
        }
    }
}

/// Every page `serve` holds, with its reload script taken out, against a
/// fresh `build` of the same files: incremental rebuilds must not drift.
fn assert_same_as_a_fresh_build(server: &Server, root: &Path, audience: &str) {
    let out = tempfile::tempdir().unwrap();
    let built = Command::new(crate::support::bin())
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out.path().join("site"))
        .args(["--audience", audience])
        .output()
        .unwrap();
    assert!(built.status.success());
    let site = out.path().join("site");
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(&site).unwrap();
        // The build's marker is not a file of the site.
        if relative == Path::new(bullpen::output::MARKER) {
            continue;
        }
        let url = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
        let (status, body) = server.get(&url);
        assert_eq!(status, 200, "{url}");
        let expected = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let served = body.replace("<script src=\"/_bullpen/live.js\"></script>\n", "");
        if served != expected {
            let line = served
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{url} differs from a fresh build at line {}:\nserved: {:?}\nbuilt:  {:?}",
                line + 1,
                served.lines().nth(line),
                expected.lines().nth(line)
            );
        }
        compared += 1;
    }
    assert!(compared > 20, "compared {compared} files");
}

/// Replaces `from` with `to` in `file`, which must hold it.
fn replace_in(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{} holds {from:?}", file.display());
    std::fs::write(file, text.replace(from, to)).unwrap();
}

#[test]
fn incremental_rebuilds_match_a_fresh_build() {
    for audience in ["team", "managers"] {
        incremental_rebuilds_match_a_fresh_build_for(audience);
    }
}

fn incremental_rebuilds_match_a_fresh_build_for(audience: &str) {
    let dir = site();
    let server = Server::start(dir.path(), &["--audience", audience]);
    // A playbook's title changes: its page, its neighbours, the index,
    // the section, the tags page and the search index show it.
    let playbook = dir.path().join("content/playbooks/basics/second-call.md");
    let text = std::fs::read_to_string(&playbook).unwrap();
    let renamed = if text.contains("title:") {
        text.replacen("title:", "title: Renamed —", 1)
    } else {
        format!("---\ntitle: Renamed — second call\n---\n{text}")
    };
    std::fs::write(&playbook, renamed).unwrap();
    server.wait_for("/playbooks/", "the new title", |b| b.contains("Renamed —"));
    assert_same_as_a_fresh_build(&server, dir.path(), audience);
    // Only its text changes: its page and the search index follow, and the
    // lists of playbooks, which show none of its text, are left as they are.
    let text = std::fs::read_to_string(&playbook).unwrap();
    std::fs::write(
        &playbook,
        format!("{text}\nA sentence added while serving.\n"),
    )
    .unwrap();
    server.wait_for("/playbooks/basics/second-call/", "the new sentence", |b| {
        b.contains("A sentence added while serving.")
    });
    assert_same_as_a_fresh_build(&server, dir.path(), audience);
    // A playbook a coaching plan cites: the plan and the rep page follow.
    let cited = dir.path().join("content/playbooks/basics/first-call.md");
    let text = std::fs::read_to_string(&cited).unwrap();
    std::fs::write(&cited, text.replacen("title:", "title: Cited —", 1)).unwrap();
    server.wait_for("/playbooks/", "the cited title", |b| b.contains("Cited —"));
    assert_same_as_a_fresh_build(&server, dir.path(), audience);

    // A figure changes: dashboards, periods, teams and people follow.
    let figures = dir.path().join("content/performance/2026-Q2/ann-lee.yaml");
    replace_in(&figures, "closed_won: 110000", "closed_won: 123456");
    server.wait_for("/people/ann-lee/", "the new figure", |b| {
        b.contains("123,456")
    });
    assert_same_as_a_fresh_build(&server, dir.path(), audience);
    // An older period's file, a rep's figure and then a manager's team
    // forecast: only that file is read again, each time, and the pages of
    // that period and those after it follow.
    let older = dir.path().join("content/performance/2026-Q1.yaml");
    replace_in(&older, "closed_won: 30000", "closed_won: 31234");
    server.wait_for("/people/ben-cole/", "the older figure", |b| {
        b.contains("31,234")
    });
    assert_same_as_a_fresh_build(&server, dir.path(), audience);
    replace_in(&older, "forecast: 150000", "forecast: 165432");
    server.wait_for("/people/mia-ford/", "the team forecast", |b| {
        b.contains("165,432")
    });
    assert_same_as_a_fresh_build(&server, dir.path(), audience);
    // A figures file that does not load: the overlay names it. While it is
    // broken, another figures file is edited; then it is fixed. Each edit
    // is read from disk, never from what was read before the break.
    let good = std::fs::read_to_string(&figures).unwrap();
    std::fs::write(&figures, format!("quota: [unclosed\n{good}")).unwrap();
    server.wait_for("/people/ann-lee/", "the error overlay", |b| {
        b.contains("bullpen-error") && b.contains("2026-Q2/ann-lee.yaml")
    });
    replace_in(&older, "closed_won: 31234", "closed_won: 32345");
    std::fs::write(&figures, good).unwrap();
    replace_in(&figures, "closed_won: 123456", "closed_won: 123457");
    server.wait_for("/people/ann-lee/", "the fixed figure", |b| {
        !b.contains("bullpen-error") && b.contains("123,457")
    });
    server.wait_for("/people/ben-cole/", "the figure edited meanwhile", |b| {
        b.contains("32,345")
    });
    assert_same_as_a_fresh_build(&server, dir.path(), audience);
    // A playbook that does not load, then a figures edit: the figures edit
    // reads everything, so the playbook's error stays in view.
    let text = std::fs::read_to_string(&playbook).unwrap();
    std::fs::write(&playbook, format!("---\ntitle: [unclosed\n---\n{text}")).unwrap();
    server.wait_for("/people/ann-lee/", "the playbook's error", |b| {
        b.contains("bullpen-error") && b.contains("second-call.md")
    });
    replace_in(&figures, "closed_won: 123457", "closed_won: 123458");
    std::thread::sleep(std::time::Duration::from_millis(700));
    let (_, page) = server.get("/people/ann-lee/");
    assert!(
        page.contains("bullpen-error") && page.contains("second-call.md"),
        "the broken playbook is still reported after a figures edit"
    );
    std::fs::write(&playbook, &text).unwrap();
    server.wait_for("/people/ann-lee/", "both edits", |b| {
        !b.contains("bullpen-error") && b.contains("123,458")
    });
    assert_same_as_a_fresh_build(&server, dir.path(), audience);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_serve_cleanly() {
    let dir = site();
    let mut server = Server::start(dir.path(), &[]);
    let (status, _) = server.get("/");
    assert_eq!(status, 200);
    let sent = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(started.elapsed() < PATIENCE, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    // Everything it printed, up to the end of its output.
    let mut said = Vec::new();
    while let Ok(line) = server.log.recv_timeout(PATIENCE) {
        said.push(line);
    }
    assert!(said.iter().any(|l| l == "stopped"), "{said:?}");
}

#[test]
fn serve_answers_only_requests_that_name_a_loopback_host() {
    let dir = site();
    let server = Server::start(dir.path(), &["--audience", "managers"]);
    let port = server.address.rsplit(':').next().unwrap().to_string();
    let get = |host: &str| {
        server
            .raw(&format!(
                "GET /coaching/ HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ))
            .0
    };
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        "localhost".to_string(),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(get(&host), 200, "{host}");
    }
    // A page of another site whose name was pointed at 127.0.0.1 (DNS
    // rebinding) must not read the managers' preview.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("127.0.0.1@evil.example:{port}"),
        "localhost:80x".to_string(),
        String::new(),
    ] {
        assert_eq!(get(&host), 403, "{host:?}");
    }
    let (status, _) = server.raw("GET /coaching/ HTTP/1.0\r\n\r\n");
    assert_eq!(status, 403, "no Host header");
    let (status, _) = server.raw(&format!(
        "GET /_bullpen/events HTTP/1.0\r\nHost: evil.example:{port}\r\n\r\n"
    ));
    assert_eq!(status, 403, "the event stream is guarded too");
}

#[test]
fn a_folder_redirect_stays_on_the_site() {
    let dir = site();
    let server = Server::start(dir.path(), &[]);
    let host = &server.address;
    for (path, location) in [
        ("/people/ann-lee", "/people/ann-lee/"),
        ("//people/ann-lee", "/people/ann-lee/"),
        ("///people/ann-lee", "/people/ann-lee/"),
        ("/%2F/people/ann-lee", "/%2f/people/ann-lee/"),
    ] {
        let (status, head) = server.raw(&format!("GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n"));
        assert_eq!(status, 301, "{path}: {head}");
        assert!(
            head.contains(&format!("\r\nlocation: {location}\r\n")),
            "{path}: {head}"
        );
    }
}

/// A field of /proc/PID/status, in kB or as a count.
#[cfg(target_os = "linux")]
fn proc_status(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// Readers that ask for a large page and never read it (many requests
/// down one connection, and several connections) cost serve neither a
/// copy of the page each nor a thread each: the page is shared, and each
/// connection is answered one request at a time.
#[cfg(target_os = "linux")]
#[test]
fn slow_readers_of_a_large_page_do_not_grow_serve() {
    const PAGE_MB: usize = 3;
    const PIPELINED: usize = 120;
    const SLOW_CONNECTIONS: usize = 10;
    let dir = site();
    let paragraph = "Listen for the budget, the timeline and who signs. ".repeat(20) + "\n\n";
    let body = paragraph.repeat(PAGE_MB * 1024 * 1024 / paragraph.len());
    std::fs::write(
        dir.path().join("content/playbooks/basics/long-read.md"),
        format!("---\ntitle: A long read\nowner: mia-ford\n---\n{body}"),
    )
    .unwrap();
    let server = Server::start(dir.path(), &[]);
    let pid = server.child.id();
    let page = "/playbooks/basics/long-read/";
    let (status, body) = server.get(page);
    assert_eq!(status, 200);
    assert!(body.len() > PAGE_MB * 1_000_000, "{}", body.len());
    let peak_before = proc_status(pid, "VmHWM");

    let request = format!("GET {page} HTTP/1.1\r\nHost: {}\r\n\r\n", server.address);
    let mut held = Vec::new();
    let mut pipelined = TcpStream::connect(&server.address).unwrap();
    pipelined
        .write_all(request.repeat(PIPELINED).as_bytes())
        .unwrap();
    held.push(pipelined);
    for _ in 0..SLOW_CONNECTIONS {
        let mut slow = TcpStream::connect(&server.address).unwrap();
        slow.write_all(request.as_bytes()).unwrap();
        held.push(slow);
    }
    // Give a server that copies the page per request the time to do it.
    std::thread::sleep(Duration::from_secs(2));
    let grown_mb = proc_status(pid, "VmHWM").saturating_sub(peak_before) / 1024;
    let threads = proc_status(pid, "Threads");
    assert!(
        grown_mb < 64,
        "serve's peak memory grew by {grown_mb} MB for {} unread {PAGE_MB} MB pages",
        PIPELINED + SLOW_CONNECTIONS
    );
    assert!(
        threads < 64,
        "serve has {threads} threads for {} connections",
        SLOW_CONNECTIONS + 1
    );
    // Others are still answered meanwhile.
    let (status, _) = server.get("/_bullpen/live.js");
    assert_eq!(status, 200);
    drop(held);
}

/// Reads one response from a connection kept open: its status.
fn read_response(stream: &mut TcpStream) -> u16 {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("a response in time");
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap().to_ascii_lowercase();
    let length: usize = head
        .split("content-length: ")
        .nth(1)
        .and_then(|rest| rest.split("\r\n").next()?.parse().ok())
        .expect("a content-length");
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    head.split(' ').nth(1).unwrap().parse().unwrap()
}

/// Connections past the bound wait for a place rather than each getting a
/// thread; they are answered once others close.
#[cfg(target_os = "linux")]
#[test]
fn connections_past_the_bound_wait_their_turn() {
    const BOUND: usize = 64;
    let dir = site();
    let server = Server::start(dir.path(), &[]);
    let request = format!(
        "GET /_bullpen/live.js HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address
    );
    let mut connections: Vec<TcpStream> = (0..BOUND + 36)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.address).unwrap();
            stream.write_all(request.as_bytes()).unwrap();
            stream
        })
        .collect();
    // The first connections are answered and kept open.
    for stream in &mut connections[..BOUND] {
        assert_eq!(read_response(stream), 200);
    }
    let threads = proc_status(server.child.id(), "Threads");
    assert!(
        threads < BOUND as u64 + 16,
        "{threads} threads for {} connections",
        connections.len()
    );
    // Closing them lets the rest in.
    let mut waiting = connections.split_off(BOUND);
    drop(connections);
    for stream in &mut waiting {
        assert_eq!(read_response(stream), 200);
    }
}
