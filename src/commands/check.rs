//! `quorum check`: every problem in the notes, and an exit status for CI.

use super::{load, Exit, Global, Report};
use crate::diagnostics::Style;

/// Runs `check`. Exit 1 on errors (or warnings with `deny_warnings`).
pub fn run(g: &Global, deny_warnings: bool, report: &mut Report) -> std::io::Result<Exit> {
    let loaded = match load(g, false, report) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    report.diagnostics(&g.root, &loaded.diagnostics)?;
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let infos = loaded.diagnostics.iter().filter(|d| d.is_info()).count();
    let warnings = loaded.diagnostics.len() - errors - infos;
    if !matches!(report.style, Style::Json | Style::Github) {
        let site = &loaded.site;
        writeln!(
            report.err,
            "checked {} notes: {} meetings in {} groups, {} action items: {} error{}, {} warning{}",
            loaded.corpus.files,
            site.meetings.len(),
            site.groups.len(),
            site.items.len(),
            errors,
            if errors == 1 { "" } else { "s" },
            warnings,
            if warnings == 1 { "" } else { "s" },
        )?;
    }
    // The process ends here: freeing the whole site would only cost time.
    std::mem::forget(loaded);
    Ok(if errors > 0 || (deny_warnings && warnings > 0) {
        Exit::Failure
    } else {
        Exit::Success
    })
}
