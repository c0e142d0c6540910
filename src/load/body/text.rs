//! Small text helpers: normalising headings, cleaning plain text, stripping
//! inline markdown and HTML tags.

/// Lower-case words of `s`, ignoring emoji, punctuation and a trailing colon.
pub(crate) fn norm_words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Collapses white space and trims.
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// At most 60 characters of `s`, for messages.
pub(crate) fn short(s: &str) -> String {
    let c = clean(s);
    if c.chars().count() > 60 {
        let mut t: String = c.chars().take(57).collect();
        t.push_str("...");
        t
    } else {
        c
    }
}

/// Decodes the few HTML entities notes use.
pub(crate) fn decode_entities(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of an HTML fragment: tags removed, entities decoded, spaces collapsed.
pub(crate) fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    clean(&decode_entities(&out))
}

/// The first bare `http(s)://` URL in `s`, with its byte range.
pub(crate) fn bare_url(s: &str) -> Option<(usize, usize)> {
    let start = s.find("https://").or_else(|| s.find("http://"))?;
    let len = s
        .get(start..)?
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
        .unwrap_or(s.len() - start);
    let mut end = start + len;
    while end > start
        && s.get(..end)
            .and_then(|p| p.chars().last())
            .is_some_and(|c| matches!(c, '.' | ',' | ')' | ';'))
    {
        end -= 1;
    }
    Some((start, end))
}

/// An agenda title and link from a list item's text and first markdown link;
/// a bare URL in the text is the link when there is no markdown one.
pub(crate) fn title_and_link(t: &str, link: Option<&str>) -> (String, Option<String>) {
    if let Some(l) = link {
        return (clean(t), Some(l.to_string()));
    }
    if let Some((s, e)) = bare_url(t) {
        let url = t.get(s..e).unwrap_or("").to_string();
        let before = t.get(..s).unwrap_or("").trim_end();
        let after = t.get(e..).unwrap_or("").trim();
        let before = before.trim_end_matches([':', '-', '–', '(']).trim_end();
        let after = after.trim_start_matches([')', '-', '–', ':']).trim();
        let title = clean(&format!("{before} {after}"));
        let title = if title.is_empty() { url.clone() } else { title };
        return (title, Some(url));
    }
    (clean(t), None)
}

/// Plain text of a raw markdown line: `[text](url)` becomes text, `<url>` url,
/// and emphasis and code marks go.
pub(crate) fn strip_inline_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['[', '<']) {
        out.push_str(rest.get(..i).unwrap_or(""));
        let tail = rest.get(i..).unwrap_or("");
        if tail.starts_with('[') {
            if let Some(close) = tail.find("](") {
                if let Some(end) = tail.get(close..).and_then(|t| t.find(')')) {
                    out.push_str(tail.get(1..close).unwrap_or(""));
                    rest = tail.get(close + end + 1..).unwrap_or("");
                    continue;
                }
            }
        } else if let Some(end) = tail.find('>') {
            let inner = tail.get(1..end).unwrap_or("");
            if inner.starts_with("http") || inner.contains('@') {
                out.push_str(inner);
            }
            rest = tail.get(end + 1..).unwrap_or("");
            continue;
        }
        out.push_str(tail.get(..1).unwrap_or(""));
        rest = tail.get(1..).unwrap_or("");
    }
    out.push_str(rest);
    let out = out.replace("**", "").replace("__", "").replace('`', "");
    clean(&out)
}

/// Whether `hay` contains `needle` (given in lower-case ASCII), ignoring ASCII case. No allocation.
pub(crate) fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return false;
    };
    h.iter().enumerate().any(|(i, &b)| {
        b.to_ascii_lowercase() == first
            && h.get(i + 1..i + n.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(rest))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(norm_words("👥 Attendees:"), ["attendees"]);
        assert_eq!(strip_tags("<b>Ana&amp;Bo</b> <i>x</i>"), "Ana&Bo x");
        assert_eq!(
            strip_inline_md("**Moderator:** [Ana Ruiz](https://x.org/a) <https://y.org>"),
            "Moderator: Ana Ruiz https://y.org"
        );
        assert_eq!(
            title_and_link("Review charter: https://ex.org/1#", None),
            ("Review charter".into(), Some("https://ex.org/1#".into()))
        );
    }
}
