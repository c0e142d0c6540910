//! The body's private parts: `<!-- private -->` … `<!-- /private -->`.
//!
//! The lines of a private block (its two marker lines too) are blanked out of
//! the body before anything reads it, so no page, index or feed can show
//! them; line numbers stay those of the file. The blocks are then read on
//! their own (with the body's headings, so a block inside "Action items"
//! is read as action items) for what still counts while unpublished: action
//! items and updates, and decisions (which later decisions may name).

use crate::diagnostics::{Code, Diagnostic};
use crate::load::body::{read_body_with, BodyContext, Wants};
use crate::model::Note;

/// A body with its private blocks found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PrivateBody {
    /// The body with every private line blanked (same number of lines).
    pub public: String,
    /// The private lines and the headings, every other line blanked; empty
    /// when there is no private block.
    pub private_only: String,
    /// Each block's first and last line (0-based lines of the body,
    /// marker lines included).
    pub blocks: Vec<(usize, usize)>,
    /// The line of an opening marker never closed (the block runs to the end).
    pub unclosed: Option<usize>,
}

/// Whether `line` is the marker `<!-- private -->` (`open`) or
/// `<!-- /private -->` / `<!-- end private -->` (not `open`).
fn marker(line: &str, open: bool) -> bool {
    let t = line.trim();
    let Some(inner) = t.strip_prefix("<!--").and_then(|r| r.strip_suffix("-->")) else {
        return false;
    };
    let words: Vec<String> = inner
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    match open {
        true => words == ["private"],
        false => words == ["/private"] || words == ["end", "private"] || words == ["/", "private"],
    }
}

/// Whether `line` is a heading (markdown `#` or HTML `<h1>`…`<h6>`).
fn is_heading(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#')
        || (t.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("<h"))
            && t.as_bytes().get(2).is_some_and(u8::is_ascii_digit))
}

/// Finds the private blocks of `body`.
pub(crate) fn split(body: &str) -> PrivateBody {
    if !body.contains("<!--") {
        return PrivateBody {
            public: body.to_string(),
            ..PrivateBody::default()
        };
    }
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut out = PrivateBody::default();
    let mut open: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        match open {
            None if marker(line, true) => open = Some(i),
            Some(start) if marker(line, false) => {
                out.blocks.push((start, i));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        out.blocks.push((start, lines.len().saturating_sub(1)));
        out.unclosed = Some(start);
    }
    if out.blocks.is_empty() {
        out.public = body.to_string();
        return out;
    }
    let in_block = |i: usize| out.blocks.iter().any(|&(a, b)| a <= i && i <= b);
    let ending = |l: &str| {
        if l.ends_with("\r\n") {
            "\r\n"
        } else if l.ends_with('\n') {
            "\n"
        } else {
            ""
        }
    };
    let mut public = String::with_capacity(body.len());
    let mut private_only = String::with_capacity(body.len());
    for (i, line) in lines.iter().enumerate() {
        let marker_line = out.blocks.iter().any(|&(a, b)| i == a || i == b);
        if in_block(i) {
            public.push_str(ending(line));
            match marker_line {
                true => private_only.push_str(ending(line)),
                false => private_only.push_str(line),
            }
        } else {
            public.push_str(line);
            match is_heading(line) {
                true => private_only.push_str(line),
                false => private_only.push_str(ending(line)),
            }
        }
    }
    out.public = public;
    out.private_only = private_only;
    out
}

/// Records the private blocks of `pb` in `note` (whose body starts at file
/// line `note.body_line`), and a warning for a block never closed.
pub(crate) fn note_blocks(note: &mut Note, pb: &PrivateBody, diags: &mut Vec<Diagnostic>) {
    let first = note.body_line;
    for &(a, b) in &pb.blocks {
        note.private_lines
            .push((first + a as u32, first + b as u32));
        note.private_parts += 1;
    }
    if let Some(start) = pb.unclosed {
        diags.push(
            Diagnostic::warning(
                Code::UnclosedPrivate,
                &note.path,
                first + start as u32,
                1,
                "`<!-- private -->` is never closed: the rest of the note is private",
            )
            .with_help("end the private part with `<!-- /private -->` on a line of its own"),
        );
    }
}

/// Records the front-matter entries marked private (their first lines,
/// `starts`) as private lines of `note`, through its entries' extents.
pub(crate) fn note_entries(note: &mut Note, starts: &[u32]) {
    for &start in starts {
        let end = note
            .entry_ends
            .iter()
            .find(|(s, _)| *s == start)
            .map_or(start, |&(_, e)| e);
        note.private_lines.push((start, end));
    }
}

/// Reads the private blocks of `pb` for their action entries and
/// decisions, and adds them to `note` (private by their lines). Under
/// front-matter `actions` (`updates_only`) only updates of earlier items
/// count, as for the rest of the body.
pub(crate) fn read_blocks(
    note: &mut Note,
    pb: &PrivateBody,
    updates_only: bool,
    is_person: &dyn Fn(&str) -> bool,
) {
    if pb.blocks.is_empty() {
        return;
    }
    let ctx = BodyContext {
        path: &note.path,
        is_person,
        year_hint: note.date.map(|d| chrono::Datelike::year(&d)),
    };
    let wants = Wants {
        date_known: true,
        status_known: true,
    };
    let (mut facts, _) = read_body_with(&pb.private_only, note.body_line, &ctx, wants);
    let entries = facts.take_action_entries(updates_only);
    note.outcomes
        .extend(facts.outcomes.into_iter().map(|mut o| {
            o.private = true;
            o
        }));
    note.actions.extend(entries);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_blanked_line_for_line() {
        let body = "## Notes\nopen talk\n<!-- private -->\nsecret words\n<!-- /private -->\nmore\n";
        let pb = split(body);
        assert_eq!(pb.blocks, vec![(2, 4)]);
        assert_eq!(pb.public, "## Notes\nopen talk\n\n\n\nmore\n");
        assert_eq!(pb.private_only, "## Notes\n\n\nsecret words\n\n\n");
        assert_eq!(pb.unclosed, None);
    }

    #[test]
    fn markers_take_spaces_case_and_end_private() {
        let body = "<!--Private-->\na\n<!-- END PRIVATE -->\nb\n<!-- private -->\nc";
        let pb = split(body);
        assert_eq!(pb.blocks, vec![(0, 2), (4, 5)]);
        assert_eq!(pb.unclosed, Some(4));
        assert!(!pb.public.contains('a') && !pb.public.contains('c'));
        assert!(pb.public.contains('b'));
    }

    #[test]
    fn other_comments_are_not_markers() {
        let body = "<!-- private notes follow -->\nx\n";
        let pb = split(body);
        assert!(pb.blocks.is_empty());
        assert_eq!(pb.public, body);
    }
}
