//! The HTTP side of `quorum serve`: the in-memory site over axum, only GET
//! and HEAD, only paths of the site, and the server-sent events that tell
//! open pages to reload.

use super::reload::{inject, Status};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use tokio::sync::watch;
use tokio_stream::wrappers::WatchStream;
use tokio_stream::{Stream, StreamExt};

/// The path of the event stream; no page of a site starts with `__quorum`.
pub(crate) const EVENTS_PATH: &str = "/__quorum/events";

/// The site's files by path (`groups/x/index.html`); paths are shared, so
/// that copying the map for the next build copies no text.
pub(crate) type Files = HashMap<Arc<str>, Bytes>;

/// Files of the last good site made only when first asked for (the JSON
/// reports, feeds, calendars and sitemaps: each built from the whole site).
pub(crate) struct Lazy {
    make: Mutex<Option<crate::render::incremental::Deferred>>,
    done: OnceLock<Files>,
}

impl Lazy {
    /// Files that `make` will give when first needed.
    pub(crate) fn new(make: Option<crate::render::incremental::Deferred>) -> Lazy {
        Lazy {
            make: Mutex::new(make),
            done: OnceLock::new(),
        }
    }

    /// The files, made now if they were not yet (callers meanwhile wait).
    pub(crate) fn files(&self) -> &Files {
        self.done.get_or_init(|| {
            let make = match self.make.lock() {
                Ok(mut m) => m.take(),
                Err(p) => p.into_inner().take(),
            };
            make.map(|m| {
                m().into_iter()
                    .map(|f| (Arc::from(f.path), Bytes::from(f.bytes)))
                    .collect()
            })
            .unwrap_or_default()
        })
    }
}

/// What the handlers share with the rebuilding thread.
pub(crate) struct Shared {
    /// The last good site.
    pub files: RwLock<Arc<Files>>,
    /// Its files made on request.
    pub lazy: RwLock<Arc<Lazy>>,
    /// The build's status; every change is sent to open pages.
    pub status: watch::Sender<Status>,
}

/// The router: the event stream, and every other path looked up in the site.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(site_file)
        .with_state(shared)
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = WatchStream::new(shared.status.subscribe()).map(|s| Ok(s.event()));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The site path a request names, or `None` for anything that is not one:
/// `..` or `.` segments (plain or percent-encoded), encoded slashes or
/// backslashes, NUL, invalid UTF-8.
pub(crate) fn site_path(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains('\\')
    {
        return None;
    }
    let decoded = percent_decode(raw)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let rel = decoded.strip_prefix('/').unwrap_or(&decoded);
    if rel.starts_with('/') {
        return None;
    }
    let segments: Vec<&str> = rel.split('/').collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return None;
    }
    if rel.is_empty() || rel.ends_with('/') {
        Some(format!("{rel}index.html"))
    } else {
        Some(rel.to_string())
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type of a site file, by its extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let files = match shared.files.read() {
        Ok(f) => Arc::clone(&f),
        Err(poisoned) => Arc::clone(&poisoned.into_inner()),
    };
    let status = shared.status.borrow().clone();
    let head = method == Method::HEAD;
    let Some(path) = site_path(uri.path()) else {
        return not_found(&files, &status, head);
    };
    if let Some(bytes) = files.get(path.as_str()) {
        return file_response(StatusCode::OK, &path, bytes, &status, head);
    }
    let lazy = match shared.lazy.read() {
        Ok(l) => Arc::clone(&l),
        Err(poisoned) => Arc::clone(&poisoned.into_inner()),
    };
    let wanted = path.clone();
    if let Ok(Some(bytes)) =
        tokio::task::spawn_blocking(move || lazy.files().get(wanted.as_str()).cloned()).await
    {
        return file_response(StatusCode::OK, &path, &bytes, &status, head);
    }
    if files.contains_key(format!("{path}/index.html").as_str()) {
        // `/groups/x` → `/groups/x/`, as static hosts do.
        let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("/{path}/")) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    not_found(&files, &status, head)
}

fn not_found(files: &Files, status: &Status, head: bool) -> Response {
    match files.get("404.html") {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes, status, head),
        None if status.error.is_some() => {
            // No good site yet: a page that only shows the errors.
            let page = Bytes::from_static(
                b"<!doctype html><html><head><meta charset=\"utf-8\"><title>quorum serve</title></head><body><p>The site has errors.</p></body></html>",
            );
            file_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "error.html",
                &page,
                status,
                head,
            )
        }
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn file_response(
    code: StatusCode,
    path: &str,
    bytes: &Bytes,
    status: &Status,
    head: bool,
) -> Response {
    let ctype = content_type(path);
    let body = if ctype.starts_with("text/html") {
        Bytes::from(inject(bytes, status.generation))
    } else {
        bytes.clone()
    };
    let len = body.len();
    let mut r = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body)
    });
    *r.status_mut() = code;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/groups/wg/").as_deref(),
            Some("groups/wg/index.html")
        );
        assert_eq!(site_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(
            site_path("/people/J%C3%BCrgen/").as_deref(),
            Some("people/Jürgen/index.html")
        );
    }

    #[test]
    fn traversal_is_refused() {
        for p in [
            "/../etc/passwd",
            "/groups/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/groups%2F..%2F..%2Fetc",
            "//etc/passwd",
            "/..\\etc",
            "/a/%00",
            "/./index.html",
            "/%ff",
        ] {
            assert_eq!(site_path(p), None, "{p}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("calendar.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
    }
}
