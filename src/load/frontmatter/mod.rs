//! Splits a note's front matter from its body with exact offsets, and reads the
//! front matter with serde_yaml into the typed fields of a [`Note`].
//!
//! Every key is read on its own so that one note reports all its problems, each
//! at the line of the key (or list entry) that holds it.

mod entries;
mod positions;
mod private;
mod reader;
#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) use positions::Positions;
pub(crate) use reader::Reader;
#[cfg(test)]
pub(crate) use reader::{parse_due, MEETING_KEYS};

use crate::diagnostics::{Code, Diagnostic};
use serde_yaml::Value;

/// Where the front matter and the body lie in a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML between the fences (empty when there is no front matter).
    pub yaml: &'a str,
    /// 1-based file line of the YAML's first line.
    pub yaml_line: u32,
    /// The markdown after the closing fence (or the whole text).
    pub body: &'a str,
    /// 1-based file line of the body's first line.
    pub body_line: u32,
    /// Whether the file has front matter.
    pub has_front_matter: bool,
}

fn is_fence(line: &str, fence: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == fence
}

/// Front matter opened by `---` and never closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unclosed;

/// The diagnostic for front matter opened by `---` at the top of `rel` and never closed.
pub(crate) fn unclosed_diagnostic(rel: &str) -> Diagnostic {
    Diagnostic::error(
        Code::UnclosedFrontMatter,
        rel,
        1,
        1,
        "front matter opened by `---` is never closed",
    )
    .with_help("add a line `---` after the last front-matter key")
}

/// Splits `text` (BOM already removed) into front matter and body. A text that
/// opens with `---` but never closes it is an error at line 1.
pub(crate) fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if is_fence(first, "---") => {}
        _ => {
            return Ok(Split {
                yaml: "",
                yaml_line: 1,
                body: text,
                body_line: 1,
                has_front_matter: false,
            })
        }
    }
    let yaml_start = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    let mut offset = yaml_start;
    for (line_no, line) in (2u32..).zip(lines) {
        if is_fence(line, "---") || is_fence(line, "...") {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
                body_line: line_no + 1,
                has_front_matter: true,
            });
        }
        offset += line.len();
    }
    Err(Unclosed)
}

/// Parses `yaml` (front matter starting at file line `first_line`); a syntax
/// error becomes a diagnostic at its line.
pub(crate) fn parse_yaml(path: &str, yaml: &str, first_line: u32) -> Result<Value, Diagnostic> {
    serde_yaml::from_str::<Value>(yaml).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (first_line + l.line() as u32 - 1, l.column() as u32))
            .unwrap_or((first_line, 1));
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        let help = if msg.contains("repetition limit") || msg.contains("recursion limit") {
            "the front matter expands aliases too far; write the values out"
        } else {
            "front matter must be valid YAML: check indentation, colons and quotes (quote text that contains `: ` or starts with `@`, `*`, `&`, `[`, `{`)"
        };
        Diagnostic::error(Code::YamlSyntax, path, line, col, format!("front matter is not valid YAML: {msg}")).with_help(help)
    })
}
