//! The preview server: answers from the site in memory, adds the reload
//! script (and, while the content is broken, the error overlay) to every
//! HTML page it sends, and streams rebuild events to open tabs.

use super::Served;
use crate::error::Diagnostic;
use crate::text::escape_markup;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// Where the reload script and the event stream live; no content path
/// can start with an underscore folder of this name.
pub const PREFIX: &str = "/_bullpen/";

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

/// Answers one request.
pub fn answer(request: Request, served: &Arc<Served>) {
    if request.method() != &Method::Get && request.method() != &Method::Head {
        let _ = request.respond(Response::from_string("only GET").with_status_code(405));
        return;
    }
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if url == format!("{PREFIX}events") {
        events(request, served);
        return;
    }
    if url == format!("{PREFIX}live.js") {
        let _ = request.respond(
            Response::from_string(LIVE_JS)
                .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store")),
        );
        return;
    }
    let path = site_path(&url);
    let state = served.state();
    let (status, path) = if state.files.contains_key(&path) {
        (200, path)
    } else if state.files.contains_key(&format!("{path}/index.html")) {
        // `/people/ann` → `/people/ann/`, as a static host would.
        let location = format!("{url}/");
        let _ = request.respond(Response::empty(301).with_header(header("Location", &location)));
        return;
    } else {
        (404, "404.html".to_string())
    };
    let Some(bytes) = state.files.get(&path) else {
        let _ = request.respond(Response::from_string("not found").with_status_code(404));
        return;
    };
    let html = path.ends_with(".html");
    let body = if html {
        with_live_reload(bytes, &state.errors)
    } else {
        bytes.to_vec()
    };
    drop(state);
    let response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type(&path)))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
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
/// rebuild failed, added before `</body>`.
pub fn with_live_reload(page: &[u8], errors: &[Diagnostic]) -> Vec<u8> {
    let mut extra = String::new();
    if !errors.is_empty() {
        extra.push_str(&overlay(errors));
    }
    extra.push_str("<script src=\"/_bullpen/live.js\"></script>\n");
    let text = String::from_utf8_lossy(page);
    match text.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

/// The error overlay: every error of the last rebuild, file, line and
/// message, over the last good page.
fn overlay(errors: &[Diagnostic]) -> String {
    let mut html = String::from(
        "<div id=\"bullpen-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:9999;overflow:auto;\
         background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,monospace;padding:2rem\">\
         <h2 style=\"color:#ff8a80;margin-top:0\">The site could not be rebuilt</h2>\
         <p>Showing the last good build. Fix the file and save: this page reloads by itself.</p><ol>",
    );
    for error in errors {
        let place = match error.line {
            Some(line) => format!("{}:{line}", error.file.display()),
            None => error.file.display().to_string(),
        };
        html.push_str(&format!(
            "<li><strong>{}</strong> — {}",
            escape_markup(&place),
            escape_markup(&error.message)
        ));
        if let Some(help) = &error.help {
            html.push_str(&format!("<br><em>help: {}</em>", escape_markup(help)));
        }
        html.push_str("</li>");
    }
    html.push_str("</ol></div>\n");
    html
}

/// Server-Sent Events: the current site version at once, then each new
/// version as it is built; a comment every 15 s keeps the line open.
fn events(request: Request, served: &Arc<Served>) {
    let served = Arc::clone(served);
    std::thread::spawn(move || {
        let mut writer = request.into_writer();
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
    });
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
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

    #[test]
    fn the_overlay_escapes_what_it_shows_and_goes_before_the_body_ends() {
        let error = Diagnostic::error("content/people/<x>.yaml", "expected `a` & <b>")
            .at(Some(crate::error::Position::line(3)));
        let page = with_live_reload(b"<html><body><p>hi</p></body></html>", &[error]);
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("content/people/&lt;x&gt;.yaml:3"));
        assert!(page.contains("expected `a` &amp; &lt;b&gt;"));
        assert!(page.ends_with("<script src=\"/_bullpen/live.js\"></script>\n</body></html>"));
        assert!(
            !with_live_reload(b"<body></body>", &[])
                .windows(13)
                .any(|w| w == b"bullpen-error")
        );
    }
}
