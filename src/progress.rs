//! What `quorum build` prints while it works: warnings summed up by kind
//! (every one with `--verbose`), and a progress line on a terminal once a
//! build has run for a while.

use crate::diagnostics::Diagnostic;
use crate::diagnostics::Report;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How long a build runs before the progress line shows.
pub(crate) const SHOW_AFTER: Duration = Duration::from_secs(2);

/// One kind of warning: its code, how many there are, and where the first is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WarningKind {
    /// The code, e.g. `stale-item`.
    pub code: &'static str,
    /// How many warnings have it.
    pub count: usize,
    /// `file:line:col` of the first of them (in the order given).
    pub first: String,
}

/// The warnings of `diags` by kind, the most frequent first (then by code).
pub(crate) fn warning_kinds(diags: &[Diagnostic]) -> Vec<WarningKind> {
    let mut by_code: BTreeMap<&'static str, WarningKind> = BTreeMap::new();
    for d in diags.iter().filter(|d| !d.is_error()) {
        by_code
            .entry(d.code.as_str())
            .or_insert_with(|| WarningKind {
                code: d.code.as_str(),
                count: 0,
                first: format!("{}:{}:{}", d.file, d.line, d.col),
            })
            .count += 1;
    }
    let mut kinds: Vec<_> = by_code.into_values().collect();
    kinds.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    kinds
}

/// Prints a build's problems: every error in full; the warnings in full with
/// `verbose`, else one line per kind with its count and a pointer to
/// `quorum check`, which lists them.
pub(crate) fn print_build_diagnostics(
    report: &mut Report,
    root: &Path,
    diags: &[Diagnostic],
    verbose: bool,
) -> std::io::Result<()> {
    if verbose {
        return report.diagnostics(root, diags);
    }
    let errors: Vec<Diagnostic> = diags.iter().filter(|d| d.is_error()).cloned().collect();
    report.diagnostics(root, &errors)?;
    let kinds = warning_kinds(diags);
    if kinds.is_empty() {
        return Ok(());
    }
    for k in &kinds {
        let noun = if k.count == 1 { "warning" } else { "warnings" };
        writeln!(
            report.err,
            "warning[{}]: {} {noun} (the first at {})",
            k.code, k.count, k.first
        )?;
    }
    writeln!(
        report.err,
        "  note: run `quorum check` for the list, or `quorum build --verbose` to print them here"
    )
}

/// A progress line on standard error: hidden until the build has run for
/// [`SHOW_AFTER`], and never drawn when standard error is not a terminal.
pub(crate) struct Progress {
    bar: ProgressBar,
    done: Option<mpsc::Sender<()>>,
    shower: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts timing a build; `on_terminal` decides whether anything is ever drawn.
    pub(crate) fn start(on_terminal: bool, after: Duration) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed}] {msg}") {
            bar.set_style(style);
        }
        bar.set_message("loading the notes");
        if !on_terminal {
            return Progress {
                bar,
                done: None,
                shower: None,
            };
        }
        let (tx, rx) = mpsc::channel::<()>();
        let shown = bar.clone();
        let shower = std::thread::spawn(move || {
            // Shown only if the build is still running after `after`.
            if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(after) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress {
            bar,
            done: Some(tx),
            shower: Some(shower),
        }
    }

    /// Names the stage the build is in.
    pub(crate) fn stage(&self, what: impl Into<std::borrow::Cow<'static, str>>) {
        self.bar.set_message(what);
    }

    /// A writer that lifts the progress line off the terminal while it
    /// writes, so that printed lines and the progress line do not mix.
    pub(crate) fn writer<'a>(&'a self, inner: &'a mut dyn Write) -> Suspending<'a> {
        Suspending {
            bar: &self.bar,
            inner,
            pending: Vec::new(),
        }
    }

    /// Stops the progress line and clears it from the terminal.
    pub(crate) fn finish(&mut self) {
        if let Some(tx) = self.done.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.shower.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }

    /// Whether the progress line is on the terminal now.
    #[cfg(test)]
    pub(crate) fn is_drawn(&self) -> bool {
        !self.bar.is_hidden()
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// See [`Progress::writer`]. Whole lines are written at once, with the
/// progress line lifted off the terminal meanwhile.
pub(crate) struct Suspending<'a> {
    bar: &'a ProgressBar,
    inner: &'a mut dyn Write,
    pending: Vec<u8>,
}

impl Suspending<'_> {
    fn write_out(&mut self, upto: usize) -> std::io::Result<()> {
        let (bar, inner) = (self.bar, &mut self.inner);
        let lines = &self.pending[..upto];
        if bar.is_hidden() {
            inner.write_all(lines)?;
        } else {
            bar.suspend(|| inner.write_all(lines).and_then(|()| inner.flush()))?;
        }
        self.pending.drain(..upto);
        Ok(())
    }
}

impl Write for Suspending<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(last) = self.pending.iter().rposition(|&b| b == b'\n') {
            self.write_out(last + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.write_out(self.pending.len())?;
        self.inner.flush()
    }
}

impl Drop for Suspending<'_> {
    fn drop(&mut self) {
        let _ = self.write_out(self.pending.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    fn warn(code: &'static str, file: &str, line: u32) -> Diagnostic {
        let code = Code::from_name(code).expect("a known code");
        Diagnostic::warning(code, file, line, 1, "w")
    }

    #[test]
    fn warnings_are_summed_by_kind_most_frequent_first() {
        let diags = vec![
            warn("stale-item", "a.md", 3),
            Diagnostic::error(Code::YamlSyntax, "b.md", 1, 1, "e"),
            warn("carry-over-missed", "a.md", 5),
            warn("carry-over-missed", "c.md", 2),
            warn("stale-item", "d.md", 9),
            warn("carry-over-missed", "d.md", 1),
            warn("owner-absent", "e.md", 4),
        ];
        let kinds = warning_kinds(&diags);
        let got: Vec<_> = kinds.iter().map(|k| (k.code, k.count)).collect();
        assert_eq!(
            got,
            [
                ("carry-over-missed", 3),
                ("stale-item", 2),
                ("owner-absent", 1)
            ]
        );
        assert_eq!(kinds[0].first, "a.md:5:1");
    }

    #[test]
    fn summary_prints_errors_in_full_and_one_line_per_warning_kind() {
        let mut diags: Vec<_> = (0..50).map(|i| warn("stale-item", "a.md", i + 1)).collect();
        diags.push(Diagnostic::error(
            Code::YamlSyntax,
            "b.md",
            2,
            3,
            "bad yaml",
        ));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut r = Report {
            out: &mut out,
            err: &mut err,
            style: crate::diagnostics::Style::Plain,
        };
        print_build_diagnostics(&mut r, Path::new("."), &diags, false).unwrap();
        let text = String::from_utf8(err).unwrap();
        assert!(
            text.contains("b.md:2:3: error[yaml-syntax]: bad yaml"),
            "{text}"
        );
        assert!(
            text.contains("warning[stale-item]: 50 warnings (the first at a.md:1:1)"),
            "{text}"
        );
        assert!(text.contains("run `quorum check` for the list"), "{text}");
        assert!(text.lines().count() < 6, "{text}");
    }

    #[test]
    fn verbose_prints_every_warning() {
        let diags: Vec<_> = (0..5).map(|i| warn("stale-item", "a.md", i + 1)).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut r = Report {
            out: &mut out,
            err: &mut err,
            style: crate::diagnostics::Style::Plain,
        };
        print_build_diagnostics(&mut r, Path::new("."), &diags, true).unwrap();
        let text = String::from_utf8(err).unwrap();
        assert_eq!(text.matches("warning[stale-item]").count(), 5, "{text}");
        assert!(!text.contains("quorum check"), "{text}");
    }

    #[test]
    fn writer_passes_every_byte_through_in_whole_lines() {
        let p = Progress::start(false, Duration::ZERO);
        let mut sink = Vec::new();
        {
            let mut w = p.writer(&mut sink);
            write!(w, "one {} ", 1).unwrap();
            writeln!(w, "line").unwrap();
            write!(w, "and a rest").unwrap();
        }
        assert_eq!(String::from_utf8(sink).unwrap(), "one 1 line\nand a rest");
    }

    #[test]
    fn progress_is_never_drawn_off_a_terminal_and_waits_on_one() {
        let mut off = Progress::start(false, Duration::ZERO);
        std::thread::sleep(Duration::from_millis(50));
        assert!(!off.is_drawn());
        off.finish();
        let mut quick = Progress::start(true, Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(50));
        assert!(!quick.is_drawn(), "a quick build draws nothing");
        quick.finish();
    }
}
