//! Problems found in a site: every one with its file, line, column, a code, a
//! message and a help line. Stages collect them; nothing bails on the first.

use crate::text::{escape_control, picture_control};
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code, e.g. `unknown-key`.
    pub code: Code,
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
    pub fn error(code: Code, file: &str, line: u32, col: u32, message: impl Into<String>) -> Self {
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
        code: Code,
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
    pub fn info(code: Code, file: &str, line: u32, col: u32, message: impl Into<String>) -> Self {
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

/// The codes of diagnostics: one variant per kind of problem, shown and
/// saved as its kebab-case name (`unknown-key`).
macro_rules! codes {
    ($($variant:ident => $name:literal,)*) => {
        /// What kind of problem a diagnostic reports; stable, shown as its name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl Code {
            /// Every code.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code's name, as shown and saved.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    ActionWithoutOwner => "action-without-owner",
    AutoLink => "auto-link",
    CarryOverMissed => "carry-over-missed",
    ClosedItemUpdated => "closed-item-updated",
    Config => "config",
    ConfigSyntax => "config-syntax",
    DateMismatch => "date-mismatch",
    DateRange => "date-range",
    DecisionRefToLater => "decision-ref-to-later",
    DecisionRefToNothing => "decision-ref-to-nothing",
    DstGap => "dst-gap",
    DuplicateDecisionId => "duplicate-decision-id",
    DuplicateId => "duplicate-id",
    EmptyNote => "empty-note",
    FileTooLarge => "file-too-large",
    FrontMatterNotAMap => "front-matter-not-a-map",
    InvalidAction => "invalid-action",
    InvalidId => "invalid-id",
    InvalidPeople => "invalid-people",
    InvalidUtf8 => "invalid-utf8",
    InvalidValue => "invalid-value",
    ItemWithoutOwner => "item-without-owner",
    ItemWithoutTask => "item-without-task",
    LinkOutsideRoot => "link-outside-root",
    MissingMinutes => "missing-minutes",
    MissingGroupFolder => "missing-group-folder",
    NoBaseUrl => "no-base-url",
    NoContent => "no-content",
    NoDate => "no-date",
    NoSite => "no-site",
    NonUtf8Name => "non-utf8-name",
    NotAFile => "not-a-file",
    NotAMeeting => "not-a-meeting",
    OwnerAbsent => "owner-absent",
    PeopleConflict => "people-conflict",
    PrivateParts => "private-parts",
    RefToLaterItem => "ref-to-later-item",
    RefToNothing => "ref-to-nothing",
    StaleItem => "stale-item",
    Template => "template",
    Theme => "theme",
    TimeMismatch => "time-mismatch",
    UnclosedFrontMatter => "unclosed-front-matter",
    UnclosedPrivate => "unclosed-private",
    UnknownKey => "unknown-key",
    UnknownPerson => "unknown-person",
    UnreadableCadence => "unreadable-cadence",
    UnreadableConfig => "unreadable-config",
    UnreadableFile => "unreadable-file",
    YamlSyntax => "yaml-syntax",
}

impl Code {
    /// The code named `name`.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By name, so that sorted output reads in the order it always has.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Code::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code `{name}`")))
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
                    gh_escape_prop(d.code.as_str()),
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
                // Text from notes never reaches the terminal raw.
                writeln!(
                    out,
                    "{}:{}:{}: {level}[{}]: {}",
                    escape_control(&d.file),
                    d.line,
                    d.col,
                    d.code,
                    escape_control(&d.message)
                )?;
                if let Some(h) = &d.help {
                    writeln!(out, "  help: {}", escape_control(h))?;
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
        let id = *ids.entry(d.file.as_str()).or_insert_with(|| {
            source(&d.file)
                .map(|text| files.add(escape_control(&d.file).into_owned(), picture_control(&text)))
        });
        let base = match d.severity {
            Severity::Error => CsDiag::error(),
            Severity::Warning => CsDiag::warning(),
            Severity::Info => CsDiag::note(),
        };
        let mut cd = base
            .with_message(escape_control(&d.message))
            .with_code(d.code.as_str());
        if let Some(h) = &d.help {
            cd = cd.with_notes(vec![format!("help: {}", escape_control(h))]);
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
    escape_control(s)
        .replace('%', "%25")
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
    pub fn diagnostics(
        &mut self,
        root: &std::path::Path,
        diags: &[Diagnostic],
    ) -> std::io::Result<()> {
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
    fn every_code_comes_back_from_a_saved_diagnostic() {
        for &code in Code::ALL {
            let d = Diagnostic::warning(code, "a.md", 2, 3, "m").with_help("h");
            let bytes = rmp_serde::to_vec(&d).unwrap();
            let back: Diagnostic = rmp_serde::from_slice(&bytes).unwrap();
            assert_eq!(back, d);
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        let names: std::collections::HashSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len(), "two codes share a name");
        assert!(
            rmp_serde::from_slice::<Code>(&rmp_serde::to_vec("no-such-code").unwrap()).is_err()
        );
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::error(Code::Config, "a,b.md", 3, 4, "bad\nthing").with_help("fix: it");
        let mut out = Vec::new();
        emit(&mut out, &[d], Style::Github, &|_| None).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "::error file=a%2Cb.md,line=3,col=4,title=config::bad%0Athing%0Afix: it\n"
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
