//! Problems found in a site: every one with its file, line, column, a code, a
//! message and a help line. Stages collect them; nothing bails on the first.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{self, Write};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `check` and `build`.
    Error,
    /// Reported; fails only under `--deny-warnings`.
    Warning,
    /// Reported for information (a file that is not a meeting); never fails.
    Info,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code, e.g. `unknown-key`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Path relative to the site root (forward slashes).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// How to mend it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error.
    pub fn error(
        code: &'static str,
        file: &str,
        line: u32,
        col: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.to_string(),
            line: line.max(1),
            col: col.max(1),
            help: None,
        }
    }
    /// A warning.
    pub fn warning(
        code: &'static str,
        file: &str,
        line: u32,
        col: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, line, col, message)
        }
    }
    /// A note for information: never fails `check`, even with `--deny-warnings`.
    pub fn info(
        code: &'static str,
        file: &str,
        line: u32,
        col: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Info,
            ..Diagnostic::error(code, file, line, col, message)
        }
    }
    /// Whether it is only for information.
    pub fn is_info(&self) -> bool {
        self.severity == Severity::Info
    }
    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// Turns an error into a warning (e.g. under `strict = false`).
    pub fn downgraded(mut self, to_warning: bool) -> Self {
        if to_warning && self.severity == Severity::Error {
            self.severity = Severity::Warning;
        }
        self
    }
    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Every code quorum reports, so that cached diagnostics come back with their
/// `&'static str` codes.
pub const CODES: &[&str] = &[
    "action-without-owner",
    "auto-link",
    "carry-over-missed",
    "closed-item-updated",
    "config",
    "config-syntax",
    "date-mismatch",
    "duplicate-id",
    "empty-note",
    "file-too-large",
    "front-matter-not-a-map",
    "invalid-action",
    "invalid-id",
    "invalid-people",
    "invalid-utf8",
    "invalid-value",
    "item-without-owner",
    "item-without-task",
    "missing-group-folder",
    "no-base-url",
    "no-content",
    "no-date",
    "not-a-meeting",
    "owner-absent",
    "ref-to-later-item",
    "ref-to-nothing",
    "stale-item",
    "template",
    "time-mismatch",
    "theme",
    "unclosed-front-matter",
    "unknown-key",
    "unknown-person",
    "unreadable-config",
    "unreadable-file",
    "yaml-syntax",
];

/// A diagnostic as saved (its code as owned text), for reading caches back.
#[derive(Deserialize)]
struct DiagnosticData {
    severity: Severity,
    code: String,
    message: String,
    file: String,
    line: u32,
    col: u32,
    help: Option<String>,
}

impl<'de> Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Diagnostic::try_from(DiagnosticData::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<DiagnosticData> for Diagnostic {
    type Error = String;

    fn try_from(d: DiagnosticData) -> Result<Self, String> {
        let code = CODES
            .iter()
            .find(|c| **c == d.code)
            .copied()
            .ok_or_else(|| format!("unknown diagnostic code `{}`", d.code))?;
        Ok(Diagnostic {
            severity: d.severity,
            code,
            message: d.message,
            file: d.file,
            line: d.line,
            col: d.col,
            help: d.help,
        })
    }
}

/// Sorts diagnostics by file, line, column for stable output.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (
            a.file.as_str(),
            a.line,
            a.col,
            a.severity,
            a.code,
            &a.message,
        )
            .cmp(&(
                b.file.as_str(),
                b.line,
                b.col,
                b.severity,
                b.code,
                &b.message,
            ))
    });
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// rustc-like snippets with a caret (colour on a terminal).
    Pretty {
        /// Use ANSI colours.
        color: bool,
    },
    /// `file:line:col: severity[code]: message` and a help line.
    Plain,
    /// One JSON array.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
}

/// Prints diagnostics in `style`. `source` gives a file's text (for snippets).
pub fn emit(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    style: Style,
    source: &dyn Fn(&str) -> Option<String>,
) -> io::Result<()> {
    match style {
        Style::Json => {
            serde_json::to_writer_pretty(&mut *out, diags)?;
            writeln!(out)
        }
        Style::Github => {
            for d in diags {
                let level = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "notice",
                };
                let mut msg = d.message.clone();
                if let Some(h) = &d.help {
                    msg.push('\n');
                    msg.push_str(h);
                }
                writeln!(
                    out,
                    "::{level} file={},line={},col={},title={}::{}",
                    gh_escape_prop(&d.file),
                    d.line,
                    d.col,
                    gh_escape_prop(d.code),
                    gh_escape_data(&msg)
                )?;
            }
            Ok(())
        }
        Style::Plain => {
            for d in diags {
                let level = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "info",
                };
                writeln!(
                    out,
                    "{}:{}:{}: {level}[{}]: {}",
                    d.file, d.line, d.col, d.code, d.message
                )?;
                if let Some(h) = &d.help {
                    writeln!(out, "  help: {h}")?;
                }
            }
            Ok(())
        }
        Style::Pretty { color } => pretty(out, diags, color, source),
    }
}

fn pretty(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    color: bool,
    source: &dyn Fn(&str) -> Option<String>,
) -> io::Result<()> {
    use codespan_reporting::diagnostic::{Diagnostic as CsDiag, Label};
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term::{self, termcolor};

    let mut files = SimpleFiles::new();
    let mut ids: HashMap<&str, Option<usize>> = HashMap::new();
    let config = term::Config::default();
    let mut buf = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in diags {
        let id = *ids
            .entry(d.file.as_str())
            .or_insert_with(|| source(&d.file).map(|text| files.add(d.file.clone(), text)));
        let base = match d.severity {
            Severity::Error => CsDiag::error(),
            Severity::Warning => CsDiag::warning(),
            Severity::Info => CsDiag::note(),
        };
        let mut cd = base.with_message(&d.message).with_code(d.code);
        if let Some(h) = &d.help {
            cd = cd.with_notes(vec![format!("help: {h}")]);
        }
        let range = id.and_then(|id| {
            let text = files.get(id).ok()?.source();
            byte_range(text, d.line, d.col).map(|r| (id, r))
        });
        match range {
            Some((id, r)) => {
                cd = cd.with_labels(vec![Label::primary(id, r)]);
                if term::emit(&mut buf, &config, &files, &cd).is_err() {
                    plain_one(&mut buf, d)?;
                }
            }
            None => plain_one(&mut buf, d)?,
        }
    }
    out.write_all(buf.as_slice())
}

fn plain_one(out: &mut dyn Write, d: &Diagnostic) -> io::Result<()> {
    emit(out, std::slice::from_ref(d), Style::Plain, &|_| None)
}

/// The byte range of the character at `line`:`col` (1-based) in `text`, or the
/// line's end when the column lies past it.
fn byte_range(text: &str, line: u32, col: u32) -> Option<std::ops::Range<usize>> {
    let start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    if start > text.len() {
        return None;
    }
    let rest = &text[start..];
    let line_text = rest.split('\n').next().unwrap_or("");
    let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
    let mut chars = line_text
        .char_indices()
        .skip(col.saturating_sub(1) as usize);
    match chars.next() {
        Some((i, c)) => Some(start + i..start + i + c.len_utf8()),
        None => Some(start + line_text.len()..start + line_text.len()),
    }
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The nearest of `known` to `word`, if it is close enough to suggest.
pub fn nearest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(s, _)| *s >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Where diagnostics go and how they look.
pub struct Report<'a> {
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
    /// Style of diagnostics.
    pub style: Style,
}

impl Report<'_> {
    /// Prints diagnostics: JSON and GitHub annotations to stdout, the rest to stderr.
    pub fn diagnostics(&mut self, root: &std::path::Path, diags: &[Diagnostic]) -> std::io::Result<()> {
        let source = |file: &str| std::fs::read_to_string(root.join(file)).ok();
        match self.style {
            Style::Json | Style::Github => emit(self.out, diags, self.style, &source),
            _ => emit(self.err, diags, self.style, &source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_range_finds_the_column() {
        let text = "a\nbcd\r\nef";
        assert_eq!(byte_range(text, 2, 2), Some(3..4));
        assert_eq!(byte_range(text, 2, 9), Some(5..5));
        assert_eq!(byte_range(text, 3, 1), Some(7..8));
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::error("x", "a,b.md", 3, 4, "bad\nthing").with_help("fix: it");
        let mut out = Vec::new();
        emit(&mut out, &[d], Style::Github, &|_| None).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "::error file=a%2Cb.md,line=3,col=4,title=x::bad%0Athing%0Afix: it\n"
        );
    }

    #[test]
    fn nearest_suggests_close_keys() {
        assert_eq!(
            nearest("atendees", &["attendees", "agenda"]),
            Some("attendees")
        );
        assert_eq!(nearest("zzzz", &["attendees", "agenda"]), None);
    }
}
