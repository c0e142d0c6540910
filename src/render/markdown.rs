//! Markdown notes to sanitised HTML, and the one check every note-given link
//! goes through ([`safe_url`]).
//!
//! The body is rendered with pulldown-cmark (tables, task lists, footnotes,
//! strikethrough, heading attributes), headings get an `id` from their text's
//! slug and move one level down (the page's title is its only `<h1>`), then
//! ammonia removes scripts, event handlers and every URL whose scheme is not
//! http, https or mailto. Raw HTML in notes (a `<table>`, a `<details>`) stays.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

/// The URL schemes a note may link to.
const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// `url` when it is safe to put in an `href`: relative, or http, https or
/// mailto. `javascript:`, `data:` and every other scheme give `None`, as does
/// an empty link. Tabs and line breaks (which browsers ignore inside URLs)
/// are removed first, and surrounding white space is trimmed.
pub(crate) fn safe_url(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    if cleaned.is_empty() || cleaned.chars().any(|c| c.is_control()) {
        return None;
    }
    // A scheme is what comes before the first ':' when no '/', '?' or '#' precedes it.
    let end = cleaned.find([':', '/', '?', '#']);
    if let Some(i) = end {
        if cleaned.as_bytes()[i] == b':' {
            let scheme = cleaned[..i].to_ascii_lowercase();
            if !SCHEMES.contains(&scheme.as_str()) {
                return None;
            }
        }
    }
    Some(cleaned.to_string())
}

/// A link given as text in a note: a bare URL, `<URL>` or `[text](URL)`.
/// Returns the text to show and the safe URL, or `None` when the text is not a
/// link (or the link is unsafe; the caller then shows the text alone).
pub(crate) fn text_link(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix('[') {
        if let Some((label, tail)) = rest.split_once("](") {
            if let Some(url) = tail.strip_suffix(')') {
                let url = safe_url(url)?;
                return Some((label.to_string(), url));
            }
        }
    }
    let bare = t
        .strip_prefix('<')
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(t);
    let lower = bare.to_ascii_lowercase();
    if (lower.starts_with("http://") || lower.starts_with("https://"))
        && !bare.contains(char::is_whitespace)
    {
        let url = safe_url(bare)?;
        return Some((bare.to_string(), url));
    }
    None
}

/// The slug of a heading's text: lower-case letters and digits, every run of
/// anything else one `-`.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Renders markdown `text` to sanitised HTML.
pub(crate) fn render(text: &str) -> String {
    let events = rewrite(Parser::new_ext(text, crate::text::MARKDOWN_OPTIONS).collect());
    let mut raw = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    let clean = sanitizer().clean(&raw).to_string();
    add_missing_alt(&demote_h1(&clean))
}

/// Gives every `<img>` without `alt` an empty one (raw HTML in notes often
/// has none, and the page must validate). Works on sanitised output, where
/// attribute values are double-quoted.
fn add_missing_alt(html: &str) -> String {
    if !html.contains("<img") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        out.push_str(&rest[..start]);
        let tag_and_after = &rest[start..];
        let mut in_quote = false;
        let mut end = tag_and_after.len();
        for (i, c) in tag_and_after.char_indices() {
            match c {
                '"' => in_quote = !in_quote,
                '>' if !in_quote => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let tag = &tag_and_after[..end];
        let has_alt = {
            let mut q = false;
            let mut found = false;
            let bytes = tag.as_bytes();
            for (i, &b) in bytes.iter().enumerate() {
                if b == b'"' {
                    q = !q;
                } else if !q && b == b' ' && tag[i + 1..].starts_with("alt=") {
                    found = true;
                }
            }
            found
        };
        if has_alt {
            out.push_str(tag);
        } else {
            out.push_str("<img alt=\"\"");
            out.push_str(&tag[4..]);
        }
        rest = &tag_and_after[end..];
    }
    out.push_str(rest);
    out
}

/// Headings with ids (one level down), footnotes with numbered ids, and task
/// list boxes as text (a form control would need a label).
fn rewrite(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut used: HashSet<String> = HashSet::new();
    let mut footnotes: BTreeMap<String, usize> = BTreeMap::new();
    let number = |label: &str, footnotes: &mut BTreeMap<String, usize>| {
        let n = footnotes.len() + 1;
        *footnotes.entry(label.to_string()).or_insert(n)
    };
    let mut iter = events.into_iter();
    while let Some(ev) = iter.next() {
        match ev {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let mut inner = Vec::new();
                let mut text = String::new();
                for e in iter.by_ref() {
                    match &e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                    inner.push(e);
                }
                let base = match id {
                    Some(id) if !slug(&id).is_empty() => slug(&id),
                    _ => slug(&text),
                };
                let base = if base.is_empty() {
                    "section".to_string()
                } else {
                    base
                };
                let mut anchor = base.clone();
                let mut k = 2;
                while !used.insert(anchor.clone()) {
                    anchor = format!("{base}-{k}");
                    k += 1;
                }
                let n = match level {
                    HeadingLevel::H1 => 2,
                    HeadingLevel::H2 => 3,
                    HeadingLevel::H3 => 4,
                    HeadingLevel::H4 => 5,
                    _ => 6,
                };
                let mut body = String::new();
                html::push_html(&mut body, inner.into_iter());
                out.push(Event::Html(CowStr::from(format!(
                    "<h{n} id=\"{anchor}\">{body}</h{n}>\n"
                ))));
            }
            Event::FootnoteReference(label) => {
                let n = number(&label, &mut footnotes);
                out.push(Event::Html(CowStr::from(format!(
                    "<sup class=\"footnote-reference\"><a href=\"#fn-{n}\">{n}</a></sup>"
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = number(&label, &mut footnotes);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>"
                ))));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::TaskListMarker(done) => {
                out.push(Event::Html(CowStr::from(if done {
                    "<span class=\"task done\">☑</span> "
                } else {
                    "<span class=\"task\">☐</span> "
                })));
            }
            other => out.push(other),
        }
    }
    out
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        // No rel on links: a link whose URL was dropped must not keep a `rel`
        // (invalid without href), and without target=_blank none is needed.
        b.url_schemes(SCHEMES.into_iter().collect::<HashSet<_>>())
            .link_rel(None)
            .url_relative(ammonia::UrlRelative::PassThrough)
            .add_generic_attributes(["id"])
            .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
            .add_allowed_classes("div", ["footnote-definition"])
            .add_allowed_classes("span", ["task", "done"])
            .attribute_filter(|_element, attribute, value| {
                // The theme's own ids contain '_', so a note can never clash with them.
                if attribute == "id" && (value.is_empty() || value.contains(['_', ' ', '\t', '\n']))
                {
                    return None;
                }
                Some(Cow::Borrowed(value))
            });
        b
    })
}

/// Raw `<h1>` in a note becomes `<h2>`: the page title is the only `<h1>`.
/// Safe on sanitised output, where a literal `<h1` in text is escaped.
fn demote_h1(html: &str) -> String {
    if !html.contains("<h1") {
        return html.to_string();
    }
    html.replace("<h1>", "<h2>")
        .replace("<h1 ", "<h2 ")
        .replace("</h1>", "</h2>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The distinct words of `html`.
    fn words(html: &str) -> BTreeSet<String> {
        html.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn safe_urls() {
        assert_eq!(safe_url("https://x.org/a"), Some("https://x.org/a".into()));
        assert_eq!(safe_url(" mailto:a@b.c "), Some("mailto:a@b.c".into()));
        assert_eq!(safe_url("../a/b"), Some("../a/b".into()));
        assert_eq!(safe_url("#frag"), Some("#frag".into()));
        assert_eq!(safe_url("/a:b"), Some("/a:b".into()));
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("JaVa\tScRiPt:alert(1)"), None);
        assert_eq!(safe_url("  data:text/html,<b>"), None);
        assert_eq!(safe_url("vbscript:x"), None);
        assert_eq!(safe_url(""), None);
        assert_eq!(safe_url("java\u{0}script:x"), None);
    }

    #[test]
    fn text_links() {
        assert_eq!(
            text_link("[Zoom](https://zoom.us/j/1)"),
            Some(("Zoom".into(), "https://zoom.us/j/1".into()))
        );
        assert_eq!(
            text_link("https://meet.example/x"),
            Some((
                "https://meet.example/x".into(),
                "https://meet.example/x".into()
            ))
        );
        assert_eq!(text_link("[x](javascript:alert(1))"), None);
        assert_eq!(text_link("Discord voice room"), None);
    }

    #[test]
    fn extensions_and_anchors() {
        let html = render(
            "# Notes\n\n## Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~gone~~ text[^n]\n\n[^n]: the note\n",
        );
        assert!(html.contains("<h2 id=\"notes\">Notes</h2>"), "{html}");
        assert!(html.contains("<h3 id=\"notes-2\">Notes</h3>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>gone</del>"), "{html}");
        assert!(html.contains("☑"), "{html}");
        assert!(html.contains("href=\"#fn-1\""), "{html}");
        assert!(html.contains("id=\"fn-1\""), "{html}");
        assert!(!html.contains("<input"), "{html}");
    }

    #[test]
    fn hostile_html_is_inert() {
        let html = render(
            "<script>alert(1)</script>\n\n<table><tr><td>kept</td></tr></table>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) <a href=\"data:text/html,x\">d</a> <div id=\"main_\">x</div>\n\n<h1>raw</h1>\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert(1)</"), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("kept"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(!html.contains("main_"), "{html}");
        assert!(!html.contains("<h1"), "{html}");
        assert!(words(&html).contains("click"));
        assert!(html.contains("<img alt=\"\" src=\"x\">"), "{html}");
        assert!(!html.contains("rel="), "{html}");
        let kept = render("![a chart](c.png) <img src=\"d.png\" alt=\"x\" title=\"a>b\">");
        assert!(kept.contains("alt=\"a chart\""), "{kept}");
        assert_eq!(kept.matches("alt=").count(), 2, "{kept}");
    }
}
