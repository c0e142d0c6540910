//! Live reload: the build status sent to open pages as server-sent events,
//! and the small script `serve` puts into every HTML page it sends (never
//! into `quorum build`'s output, never into anything but HTML).
//!
//! Each good build has a generation number. A page is sent with the number
//! it was built at; the script listens on [`EVENTS_PATH`](super::server::EVENTS_PATH)
//! and reloads when a `reload` event names another generation. A failed
//! build keeps the last good site and sends a `build-error` event instead,
//! which the script shows as an overlay (file:line:col and message) until a
//! good build makes the page reload.

use crate::diagnostics::Diagnostic;
use axum::response::sse::Event;
use serde::Serialize;

/// One problem as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Problem {
    /// Path relative to the site root.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// What is wrong.
    pub message: String,
}

impl From<&Diagnostic> for Problem {
    fn from(d: &Diagnostic) -> Problem {
        Problem {
            file: d.file.clone(),
            line: d.line,
            col: d.col,
            message: d.message.clone(),
        }
    }
}

/// The state of the served site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Status {
    /// The generation of the last good build (0 before the first).
    pub generation: u64,
    /// The errors of the last build, when it failed.
    pub error: Option<Vec<Problem>>,
}

impl Status {
    /// The event telling pages about this status.
    pub(crate) fn event(&self) -> Event {
        match &self.error {
            Some(problems) => Event::default()
                .event("build-error")
                .data(serde_json::json!({ "errors": problems }).to_string()),
            None => Event::default()
                .event("reload")
                .data(self.generation.to_string()),
        }
    }
}

const SCRIPT: &str = r#"<script data-quorum-serve>(function () {
  "use strict";
  var built = "__GEN__";
  var box = null;
  function hide() { if (box) { box.remove(); box = null; } }
  function show(errors) {
    hide();
    box = document.createElement("div");
    box.setAttribute("role", "alert");
    box.id = "quorum-serve-errors";
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,0,0,.92);color:#fff;font:14px/1.5 monospace;padding:2rem;white-space:pre-wrap";
    var h = document.createElement("strong");
    h.textContent = "The site has errors; showing the last good build underneath.\n\n";
    box.appendChild(h);
    errors.forEach(function (e) {
      var line = document.createElement("div");
      line.textContent = e.file + ":" + e.line + ":" + e.col + ": " + e.message;
      box.appendChild(line);
    });
    document.body.appendChild(box);
  }
  var source = new EventSource("/__quorum/events");
  source.addEventListener("reload", function (e) {
    if (e.data !== built) { location.reload(); } else { hide(); }
  });
  source.addEventListener("build-error", function (e) {
    try { show(JSON.parse(e.data).errors || []); } catch (_) { /* ignore */ }
  });
})();</script>
"#;

/// `html` with the reload script (for generation `generation`) put before
/// its last `</body>`, or at the end when it has none.
pub(crate) fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let script = SCRIPT.replace("__GEN__", &generation.to_string());
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_body_closes() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", 7);
        let s = String::from_utf8(out).expect("utf-8");
        let script = s.find("<script data-quorum-serve>").expect("script");
        assert!(script < s.find("</BODY>").expect("body end"));
        assert!(s.contains("var built = \"7\""));
        assert!(s.ends_with("</BODY></html>"));
    }

    #[test]
    fn page_without_body_gets_it_at_the_end() {
        let s = String::from_utf8(inject(b"<p>x</p>", 1)).expect("utf-8");
        assert!(s.starts_with("<p>x</p><script"));
    }
}
