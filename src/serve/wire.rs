//! HTTP/1.0 and 1.1 on one connection, as much as a preview on the
//! loopback address needs: request heads of GET and HEAD, keep-alive, and
//! responses whose body is the site's bytes in memory, shared rather than
//! copied. Entry: [`read_request`], [`Response::write`].
//!
//! A request is read only once the previous response is written, so
//! requests a client sends ahead wait in the socket, not in memory.

use std::io::{self, BufRead, Write};
use std::ops::Range;
use std::sync::Arc;

/// The longest request head taken (a browser's is under 2 KiB).
const MAX_HEAD: usize = 16 * 1024;

/// Bodies up to this size go out in one write with the head.
const SMALL_BODY: usize = 16 * 1024;

/// A request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path and query as sent: `/people/ann/?x`. Always starts with
    /// `/` and holds only visible ASCII, so it is safe in a header.
    pub target: String,
    /// The `Host` header, when there is exactly one.
    pub host: Option<String>,
    /// Whether the connection stays open for another request.
    pub keep_alive: bool,
}

/// What came from the client.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    Request(Request),
    /// The client closed the connection, or went quiet past the timeout.
    Closed,
    /// Not a request this server takes; the connection is closed after
    /// saying why.
    Bad(&'static str),
}

/// Reads the next request head from `reader`.
pub fn read_request(reader: &mut impl BufRead) -> Incoming {
    let mut budget = MAX_HEAD;
    let first = match line(reader, &mut budget) {
        Line::Text(text) => text,
        Line::Closed => return Incoming::Closed,
        Line::Bad(why) => return Incoming::Bad(why),
    };
    let mut parts = first.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Incoming::Bad("a malformed request line");
    };
    let http_1_1 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Incoming::Bad("only HTTP/1.0 and HTTP/1.1 are served"),
    };
    // Visible ASCII only: the target goes back out in a `Location`.
    if method.is_empty()
        || !target.starts_with('/')
        || !target.bytes().all(|b| b.is_ascii_graphic())
    {
        return Incoming::Bad("a malformed request target");
    }

    let mut hosts = Vec::new();
    let mut close = false;
    let mut keep_alive = false;
    let mut has_body = false;
    loop {
        let header = match line(reader, &mut budget) {
            Line::Text(text) => text,
            Line::Closed => return Incoming::Closed,
            Line::Bad(why) => return Incoming::Bad(why),
        };
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            return Incoming::Bad("a malformed header");
        };
        if name.is_empty() || name.contains([' ', '\t']) {
            return Incoming::Bad("a malformed header");
        }
        let value = value.trim_matches([' ', '\t']);
        if name.eq_ignore_ascii_case("host") {
            hosts.push(value.to_string());
        } else if name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                close |= token.eq_ignore_ascii_case("close");
                keep_alive |= token.eq_ignore_ascii_case("keep-alive");
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            || (name.eq_ignore_ascii_case("content-length") && value != "0")
        {
            has_body = true;
        }
    }
    Incoming::Request(Request {
        method: method.to_string(),
        target: target.to_string(),
        host: (hosts.len() == 1).then(|| hosts.remove(0)),
        // A body is never read, so nothing after it could be found.
        keep_alive: !has_body && if http_1_1 { !close } else { keep_alive },
    })
}

enum Line {
    Text(String),
    Closed,
    Bad(&'static str),
}

/// One line of the head, without its line end, counted against `budget`.
fn line(reader: &mut impl BufRead, budget: &mut usize) -> Line {
    let mut bytes = Vec::new();
    let read = match io::Read::take(&mut *reader, *budget as u64).read_until(b'\n', &mut bytes) {
        Ok(read) => read,
        // A reset, or a client quiet past the read timeout.
        Err(_) => return Line::Closed,
    };
    *budget -= read;
    if bytes.last() != Some(&b'\n') {
        return if *budget == 0 {
            Line::Bad("a request head over 16 KiB")
        } else {
            Line::Closed
        };
    }
    bytes.pop();
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    match String::from_utf8(bytes) {
        Ok(text) => Line::Text(text),
        Err(_) => Line::Bad("a request head that is not text"),
    }
}

/// A piece of a response body.
#[derive(Debug, Clone)]
pub enum Part {
    /// A range of a file of the site, shared with every other response.
    Shared(Arc<Vec<u8>>, Range<usize>),
    Owned(Vec<u8>),
    Static(&'static [u8]),
}

impl Part {
    pub fn whole(bytes: &Arc<Vec<u8>>) -> Part {
        Part::Shared(Arc::clone(bytes), 0..bytes.len())
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Part::Shared(bytes, range) => &bytes[range.clone()],
            Part::Owned(bytes) => bytes,
            Part::Static(bytes) => bytes,
        }
    }
}

/// A response: status, headers and a body of parts.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<Part>,
}

impl Response {
    pub fn new(status: u16, body: Vec<Part>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body,
        }
    }

    /// A short plain-text answer.
    pub fn text(status: u16, text: &str) -> Response {
        Response::new(status, vec![Part::Owned(format!("{text}\n").into_bytes())])
            .header("Content-Type", "text/plain; charset=utf-8")
    }

    /// Adds a header; `value` must not hold a line break.
    pub fn header(mut self, name: &'static str, value: &str) -> Response {
        debug_assert!(!value.contains(['\r', '\n']));
        self.headers.push((name, value.to_string()));
        self
    }

    #[cfg(test)]
    pub fn body_bytes(&self) -> Vec<u8> {
        self.body.iter().flat_map(|p| p.bytes().to_vec()).collect()
    }

    /// Writes the response; the body is left out for a HEAD request.
    pub fn write(&self, out: &mut impl Write, head_only: bool, keep_alive: bool) -> io::Result<()> {
        let length: usize = self.body.iter().map(|p| p.bytes().len()).sum();
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        let connection = if keep_alive { "keep-alive" } else { "close" };
        head.push_str(&format!(
            "Content-Length: {length}\r\nConnection: {connection}\r\n\r\n"
        ));
        let mut head = head.into_bytes();
        if head_only {
            out.write_all(&head)?;
        } else if length <= SMALL_BODY {
            for part in &self.body {
                head.extend_from_slice(part.bytes());
            }
            out.write_all(&head)?;
        } else {
            // Straight from the shared bytes: a slow reader holds a
            // reference to the page, never a copy of it.
            out.write_all(&head)?;
            for part in &self.body {
                out.write_all(part.bytes())?;
            }
        }
        out.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Incoming {
        read_request(&mut io::BufReader::new(text.as_bytes()))
    }

    fn request(text: &str) -> Request {
        match read(text) {
            Incoming::Request(request) => request,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn reads_a_request_head() {
        let got =
            request("GET /people/?q=1 HTTP/1.1\r\nHost: 127.0.0.1:8321\r\nAccept: */*\r\n\r\n");
        assert_eq!(got.method, "GET");
        assert_eq!(got.target, "/people/?q=1");
        assert_eq!(got.host.as_deref(), Some("127.0.0.1:8321"));
        assert!(got.keep_alive);
        assert!(!request("GET / HTTP/1.0\r\nHost: a\r\n\r\n").keep_alive);
        assert!(request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
        assert!(!request("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keep_alive);
        assert!(!request("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello").keep_alive);
        assert_eq!(request("GET / HTTP/1.1\n\n").host, None);
        assert_eq!(
            request("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").host,
            None,
            "two hosts are none"
        );
    }

    #[test]
    fn refuses_what_it_cannot_take_safely() {
        assert_eq!(read(""), Incoming::Closed);
        assert_eq!(read("GET / HTTP/1.1\r\nHost: a\r\n"), Incoming::Closed);
        for bad in [
            "GET / HTTP/2.0\r\n\r\n",
            "GET http://evil.example/ HTTP/1.1\r\n\r\n",
            "GET /a\rb HTTP/1.1\r\n\r\n",
            "GET /a b HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nno colon\r\n\r\n",
            "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
        ] {
            assert!(matches!(read(bad), Incoming::Bad(_)), "{bad:?}");
        }
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(read(&huge), Incoming::Bad("a request head over 16 KiB"));
    }

    #[test]
    fn writes_the_parts_of_a_body_in_order_and_leaves_it_out_for_head() {
        let page = Arc::new(b"<body>hi</body>".to_vec());
        let response = Response::new(
            200,
            vec![
                Part::Shared(Arc::clone(&page), 0..8),
                Part::Static(b"!"),
                Part::Shared(Arc::clone(&page), 8..page.len()),
            ],
        )
        .header("Content-Type", "text/html");
        let mut out = Vec::new();
        response.write(&mut out, false, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.contains("Content-Length: 16\r\nConnection: keep-alive\r\n\r\n"));
        assert!(text.ends_with("\r\n\r\n<body>hi!</body>"), "{text}");
        let mut out = Vec::new();
        response.write(&mut out, true, false).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .ends_with("Connection: close\r\n\r\n")
        );
    }
}
