//! The preview server: answers from the site in memory, adds the reload
//! script (and, while the content is broken, the error overlay) to every
//! HTML page it sends, and streams rebuild events to open tabs. Entry:
//! [`serve`].
//!
//! Each connection has a thread, and at most [`MAX_CONNECTIONS`] are open
//! at once; each answers one request at a time, and a page's bytes are
//! shared by every response that sends them. So what serve holds for
//! clients stays bounded however many ask, and however slowly they read.

use super::Served;
use super::overlay::Shown;
use super::wire::{self, Incoming, Part, Request, Response};
use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// Where the reload script and the event stream live; no content path
/// can start with an underscore folder of this name.
pub const PREFIX: &str = "/_bullpen/";

/// The most connections served at once. A browser opens at most six to
/// one host, an open tab's event stream among them; further connections
/// wait until one closes.
pub const MAX_CONNECTIONS: usize = 64;

/// A connection that sends nothing for this long is closed, freeing its
/// place for others.
const IDLE: Duration = Duration::from_secs(15);

/// A client that takes none of a response for this long is let go.
const STALLED: Duration = Duration::from_secs(30);

/// The script added to every page in serve mode (never in `build`): it
/// listens for rebuilds and reloads the tab.
const LIVE_JS: &str = r#"(function () {
  "use strict";
  var seen = null;
  var events = new EventSource("/_bullpen/events");
  events.addEventListener("version", function (event) {
    if (seen !== null && event.data !== seen) { location.reload(); }
    seen = event.data;
  });
})();
"#;

/// Answers connections on `listener` until `stop` is set and the listener
/// woken (by a connection of its own).
pub fn serve(listener: &TcpListener, served: &Arc<Served>, stop: &AtomicBool) {
    let places = Arc::new(Places::default());
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else {
            // Out of file handles, most likely: let connections close.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let Some(place) = Places::take(&places, stop) else {
            return;
        };
        let served = Arc::clone(served);
        std::thread::spawn(move || {
            connection(stream, &served);
            drop(place);
        });
    }
}

/// How many connections are open, for [`MAX_CONNECTIONS`].
#[derive(Default)]
struct Places {
    open: Mutex<usize>,
    freed: Condvar,
}

/// One open connection's place; freed when dropped.
struct Place(Arc<Places>);

impl Places {
    /// Waits for a free place; `None` once `stop` is set.
    fn take(places: &Arc<Places>, stop: &AtomicBool) -> Option<Place> {
        let mut open = places.open.lock().unwrap_or_else(|e| e.into_inner());
        while *open >= MAX_CONNECTIONS {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            open = places
                .freed
                .wait_timeout(open, Duration::from_millis(200))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        *open += 1;
        Some(Place(Arc::clone(places)))
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        *self.0.open.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        self.0.freed.notify_one();
    }
}

/// Answers the requests of one connection, one at a time, until it closes.
fn connection(stream: TcpStream, served: &Arc<Served>) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_write_timeout(Some(STALLED));
    let _ = stream.set_nodelay(true);
    let Ok(incoming) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::with_capacity(4096, incoming);
    let mut writer = stream;
    loop {
        let request = match wire::read_request(&mut reader) {
            Incoming::Request(request) => request,
            Incoming::Closed => return,
            Incoming::Bad(why) => {
                let _ = Response::text(400, why).write(&mut writer, false, false);
                return;
            }
        };
        let head_only = request.method == "HEAD";
        match answer(&request, served) {
            Answer::Response(response) => {
                let written = response.write(&mut writer, head_only, request.keep_alive);
                if written.is_err() || !request.keep_alive {
                    return;
                }
            }
            Answer::Events => return events(writer, served),
        }
    }
}

enum Answer {
    Response(Response),
    /// The event stream, which keeps the connection.
    Events,
}

/// Answers one request.
fn answer(request: &Request, served: &Served) -> Answer {
    // A page elsewhere can point a name of its own at 127.0.0.1 (DNS
    // rebinding); its requests carry that name, and get nothing.
    if !request.host.as_deref().is_some_and(is_loopback) {
        return Answer::Response(Response::text(
            403,
            "bullpen serve answers only requests for localhost, 127.0.0.1 or [::1]",
        ));
    }
    if request.method != "GET" && request.method != "HEAD" {
        return Answer::Response(Response::text(405, "only GET").header("Allow", "GET, HEAD"));
    }
    let url = request.target.split(['?', '#']).next().unwrap_or("/");
    if url == format!("{PREFIX}events") {
        return Answer::Events;
    }
    if url == format!("{PREFIX}live.js") {
        return Answer::Response(
            Response::new(200, vec![Part::Static(LIVE_JS.as_bytes())])
                .header("Content-Type", "text/javascript; charset=utf-8")
                .header("Cache-Control", "no-store"),
        );
    }
    let path = site_path(url);
    let state = served.state();
    let (status, path) = if state.files.contains_key(&path) {
        (200, path)
    } else if state.files.contains_key(&format!("{path}/index.html")) {
        // `/people/ann` → `/people/ann/`, as a static host would.
        return Answer::Response(
            Response::new(301, Vec::new()).header("Location", &folder_location(url)),
        );
    } else {
        (404, "404.html".to_string())
    };
    let Some(bytes) = state.files.get(&path) else {
        if !state.errors.is_empty() {
            // No good build yet: the errors on a page of their own, which
            // reloads once they are fixed.
            let page = Arc::new(ERRORS_ONLY.as_bytes().to_vec());
            let body = with_live_reload(&page, &state.errors);
            return Answer::Response(
                Response::new(503, body)
                    .header("Content-Type", "text/html; charset=utf-8")
                    .header("Cache-Control", "no-store"),
            );
        }
        return Answer::Response(Response::text(404, "not found"));
    };
    let body = if path.ends_with(".html") {
        with_live_reload(bytes, &state.errors)
    } else {
        vec![Part::whole(bytes)]
    };
    drop(state);
    Answer::Response(
        Response::new(status, body)
            .header("Content-Type", content_type(&path))
            .header("Cache-Control", "no-store"),
    )
}

/// The page under the overlay while the site has never built.
const ERRORS_ONLY: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
    <title>The site could not be built</title></head><body></body></html>\n";

/// Whether a `Host` header names this machine's loopback address: only
/// then can the request not come from a page of another site.
fn is_loopback(host: &str) -> bool {
    // `name`, `name:port`, `[v6]` or `[v6]:port`.
    let (name, port) = if host.starts_with('[') {
        match host.find(']') {
            Some(end) => host.split_at(end + 1),
            None => return false,
        }
    } else {
        host.split_at(host.find(':').unwrap_or(host.len()))
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    port_ok && (name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "[::1]")
}

/// Where `/people/ann` sends the browser: `/people/ann/`, always with one
/// leading slash, since `//people/ann/` would be another host's address.
fn folder_location(url: &str) -> String {
    format!("/{}/", url.trim_start_matches(['/', '\\']))
}

/// `/people/ann/` → `people/ann/index.html`; `/` → `index.html`.
fn site_path(url: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    let trimmed = decoded.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// A page with the reload script, and the error overlay when the last
/// rebuild failed, added before `</body>`: the page itself is shared,
/// only the addition is made for this response.
fn with_live_reload(page: &Arc<Vec<u8>>, errors: &[Shown]) -> Vec<Part> {
    let mut extra = String::new();
    if !errors.is_empty() {
        extra.push_str(&super::overlay::html(errors));
    }
    extra.push_str("<script src=\"/_bullpen/live.js\"></script>\n");
    let extra = Part::Owned(extra.into_bytes());
    match page.windows(7).rposition(|w| w == b"</body>") {
        Some(at) => vec![
            Part::Shared(Arc::clone(page), 0..at),
            extra,
            Part::Shared(Arc::clone(page), at..page.len()),
        ],
        None => vec![Part::whole(page), extra],
    }
}

/// Server-Sent Events: the current site version at once, then each new
/// version as it is built; a comment every 15 s keeps the line open.
fn events(mut writer: TcpStream, served: &Served) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if writer.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut version = served.version();
    let mut message = format!("event: version\ndata: {version}\n\n");
    loop {
        if writer.write_all(message.as_bytes()).is_err() || writer.flush().is_err() {
            return; // the tab was closed
        }
        match served.wait_for_change(version, Duration::from_secs(15)) {
            Some(next) => {
                version = next;
                message = format!("event: version\ndata: {version}\n\n");
            }
            None => message = ": still here\n\n".into(),
        }
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_map_to_files_as_a_static_host_would() {
        assert_eq!(site_path("/"), "index.html");
        assert_eq!(site_path("/people/ann/"), "people/ann/index.html");
        assert_eq!(site_path("/static/style.css"), "static/style.css");
        assert_eq!(site_path("/tags/caf%C3%A9/"), "tags/café/index.html");
    }

    fn joined(parts: &[Part]) -> String {
        String::from_utf8(Response::new(200, parts.to_vec()).body_bytes()).unwrap()
    }

    #[test]
    fn the_overlay_escapes_what_it_shows_and_goes_before_the_body_ends() {
        let error =
            crate::error::Diagnostic::error("content/people/<x>.yaml", "expected `a` & <b>")
                .at(Some(crate::error::Position::line(3)));
        let error = Shown::new(error, std::path::Path::new("/nonexistent"));
        let page = Arc::new(b"<html><body><p>hi</p></body></html>".to_vec());
        let page = joined(&with_live_reload(&page, &[error]));
        assert!(page.contains("content/people/&lt;x&gt;.yaml:3"));
        assert!(page.contains("expected `a` &amp; &lt;b&gt;"));
        assert!(page.ends_with("<script src=\"/_bullpen/live.js\"></script>\n</body></html>"));
        let plain = joined(&with_live_reload(&Arc::new(b"<body></body>".to_vec()), &[]));
        assert!(!plain.contains("bullpen-error"));
    }

    #[test]
    fn a_page_is_shared_by_its_responses_not_copied() {
        let page = Arc::new(b"<body>big</body>".to_vec());
        let parts = with_live_reload(&page, &[]);
        let shared = parts
            .iter()
            .filter(|p| matches!(p, Part::Shared(bytes, _) if Arc::ptr_eq(bytes, &page)))
            .count();
        assert_eq!(shared, 2, "{parts:?}");
    }

    #[test]
    fn only_loopback_host_names_are_answered() {
        for host in [
            "localhost",
            "LOCALHOST:8321",
            "localhost:",
            "127.0.0.1",
            "127.0.0.1:8321",
            "[::1]",
            "[::1]:8321",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:8321",
            "localhost.evil.example",
            "127.0.0.1.nip.io:8321",
            "127.0.0.1@evil.example",
            "localhost:80x",
            "localhost:8321:1",
            "[::1",
            "[::1]x",
            "[::2]:8321",
            "127.0.0.2",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }

    #[test]
    fn a_folder_redirect_has_one_leading_slash() {
        assert_eq!(folder_location("/people/ann"), "/people/ann/");
        assert_eq!(folder_location("//people/ann"), "/people/ann/");
        assert_eq!(folder_location("///evil.example"), "/evil.example/");
        assert_eq!(folder_location("/\\evil.example"), "/evil.example/");
    }

    #[test]
    fn a_request_for_another_host_gets_nothing_of_the_site() {
        let served = Served::new();
        served.publish(|state| {
            state.files.insert(
                "index.html".into(),
                Arc::new(b"<body>secret</body>".to_vec()),
            );
        });
        let ask = |host: Option<&str>| {
            let request = Request {
                method: "GET".into(),
                target: "/".into(),
                host: host.map(String::from),
                keep_alive: false,
            };
            match answer(&request, &served) {
                Answer::Response(response) => (response.status, response.body_bytes()),
                Answer::Events => panic!("not the event stream"),
            }
        };
        assert_eq!(ask(Some("127.0.0.1:8321")).0, 200);
        for host in [Some("evil.example:8321"), None] {
            let (status, body) = ask(host);
            assert_eq!(status, 403);
            assert!(!String::from_utf8(body).unwrap().contains("secret"));
        }
    }
}
