//! Small text helpers shared by the stages: slugs, folding names for
//! comparison, line and column of an offset, UTC offsets, URL paths.

/// Lower-case ASCII slug: transliterated to ASCII first (`Inès` → `ines`,
/// `Łukasz` → `lukasz`), every other character `-`, runs collapsed, ends trimmed.
pub(crate) fn slug(s: &str) -> String {
    let ascii = if s.is_ascii() {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(s))
    };
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Folds case and white space, for comparing names.
pub(crate) fn fold(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() as u32 + 1;
    (line, col)
}

/// Reads a UTC offset such as `+02:00`, `-0530`, `UTC+2`; returns minutes east.
pub(crate) fn parse_offset(s: &str) -> Option<i32> {
    let t = s.trim();
    let t = t
        .strip_prefix("UTC")
        .or_else(|| t.strip_prefix("GMT"))
        .unwrap_or(t);
    let (sign, rest) = match t.chars().next()? {
        '+' => (1, &t[1..]),
        '-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => (&rest[..2], &rest[2..]),
        None => (rest, "0"),
    };
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// Percent-encodes a file path for a URL, keeping `/`.
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether `c` is a control character that must not reach a page or a
/// terminal raw: C0 but tab, line feed and carriage return; DEL; C1.
pub(crate) fn is_unsafe_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// `s` with every unsafe control character written as a visible escape
/// (`\u{1b}`), for terminal output: a key or value from a note cannot move
/// the cursor, change colours or set the window title.
pub(crate) fn escape_control(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `s` with every unsafe control character replaced by U+FFFD, for pages,
/// feeds and calendars (XML cannot hold most of them at all).
pub(crate) fn replace_control(s: String) -> String {
    if !has_unsafe_control(s.as_bytes()) {
        return s;
    }
    s.chars()
        .map(|c| if is_unsafe_control(c) { '\u{fffd}' } else { c })
        .collect()
}

/// [`replace_control`] for UTF-8 bytes (a rendered page).
pub(crate) fn replace_control_bytes(b: Vec<u8>) -> Vec<u8> {
    if !has_unsafe_control(&b) {
        return b;
    }
    replace_control(String::from_utf8_lossy(&b).into_owned()).into_bytes()
}

/// The bytes that may begin an unsafe control character: C0 but tab, line
/// feed and carriage return, DEL, and 0xC2 (C1 is 0xC2 0x80..=0x9F).
const SUSPECT: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = !matches!(i, 0x09 | 0x0a | 0x0d);
        i += 1;
    }
    t[0x7f] = true;
    t[0xc2] = true;
    t
};

/// Whether UTF-8 `b` holds an unsafe control character: a byte scan, as
/// pages are large and almost never hold one.
fn has_unsafe_control(b: &[u8]) -> bool {
    let mut from = 0;
    while let Some(off) = b[from..].iter().position(|&c| SUSPECT[c as usize]) {
        let at = from + off;
        if b[at] != 0xc2 || b.get(at + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// `s` with each unsafe control character replaced by its Unicode control
/// picture (ESC → ␛), one character for one so columns stay true: for the
/// source lines shown under a diagnostic.
pub(crate) fn picture_control(s: &str) -> String {
    s.chars()
        .map(|c| match c as u32 {
            n @ 0..=0x1f if is_unsafe_control(c) => {
                char::from_u32(0x2400 + n).unwrap_or('\u{fffd}')
            }
            0x7f => '\u{2421}',
            _ if is_unsafe_control(c) => '\u{fffd}',
            _ => c,
        })
        .collect()
}

/// The markdown extensions a note's body is parsed with, by the renderer
/// and by the body reader alike: tables, task lists, footnotes,
/// strikethrough and heading attributes. (The search text is read as plain
/// CommonMark; see `search::plain_text`.)
pub(crate) const MARKDOWN_OPTIONS: pulldown_cmark::Options = pulldown_cmark::Options::ENABLE_TABLES
    .union(pulldown_cmark::Options::ENABLE_TASKLISTS)
    .union(pulldown_cmark::Options::ENABLE_FOOTNOTES)
    .union(pulldown_cmark::Options::ENABLE_STRIKETHROUGH)
    .union(pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncdé f", 7), (2, 4));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+02:00"), Some(120));
        assert_eq!(parse_offset("UTC-5"), Some(-300));
        assert_eq!(parse_offset("-0530"), Some(-330));
        assert_eq!(parse_offset("Europe/Berlin"), None);
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_control("a\u{1b}[31mb\tc"), "a\\u{1b}[31mb\tc");
        assert_eq!(
            replace_control("t\u{1b}\u{9b}x\n".into()),
            "t\u{fffd}\u{fffd}x\n"
        );
        assert_eq!(picture_control("a\u{1b}b\u{7f}"), "a\u{241b}b\u{2421}");
    }

    #[test]
    fn the_byte_scan_finds_every_unsafe_control_character_and_nothing_else() {
        for n in 0u32..=0x2ff {
            let Some(c) = char::from_u32(n) else { continue };
            let page = format!("<p>caf\u{e9} \u{b7} {c}</p>\n");
            let want = if is_unsafe_control(c) {
                page.replace(c, "\u{fffd}")
            } else {
                page.clone()
            };
            let out = replace_control_bytes(page.into_bytes());
            assert_eq!(String::from_utf8(out).expect("utf-8"), want, "U+{n:04X}");
        }
    }
}
