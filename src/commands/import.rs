//! `quorum import`: splits a running-notes document (many meetings under date
//! headings, markdown or HTML) into one front-matter note per meeting.
//!
//! The split is the site loader's ([`split_document`]); [`run`] reads the
//! files, writes the notes (never over an existing file) and prints what it
//! made and what it could not place.

use super::{Exit, Global, Report};
pub use crate::load::running::{split_document, Meeting, Split};
use chrono::NaiveDate;
use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};

/// The arguments of `quorum import`.
#[derive(Debug, Clone)]
pub struct ImportArgs {
    /// Running-notes documents to split.
    pub files: Vec<PathBuf>,
    /// The group the meetings belong to (its key).
    pub group: String,
    /// Where to write the notes; default: the group's folder in the site.
    pub into: Option<PathBuf>,
}

/// The note file for a meeting: YAML front matter and the body.
pub fn note_text(m: &Meeting, source: &str) -> String {
    let mut fm = Mapping::new();
    fm.insert("date".into(), Value::String(m.date.to_string()));
    if m.cancelled {
        fm.insert("status".into(), "cancelled".into());
    }
    if !m.attendees.is_empty() {
        let list = m
            .attendees
            .iter()
            .map(|p| match &p.affiliation {
                Some(a) => {
                    let mut e = Mapping::new();
                    e.insert("name".into(), Value::String(p.name.clone()));
                    e.insert("affiliation".into(), Value::String(a.clone()));
                    Value::Mapping(e)
                }
                None => Value::String(p.name.clone()),
            })
            .collect();
        fm.insert("attendees".into(), Value::Sequence(list));
    }
    let mut extra = Mapping::new();
    extra.insert(
        "imported_from".into(),
        Value::String(format!("{source}:{}", m.line)),
    );
    fm.insert("extra".into(), Value::Mapping(extra));
    let yaml = serde_yaml::to_string(&Value::Mapping(fm)).unwrap_or_default();
    let mut out = format!("---\n{yaml}---\n");
    if !m.body.is_empty() {
        out.push('\n');
        out.push_str(&m.body);
        out.push('\n');
    }
    out
}

fn default_into(g: &Global, group: &str) -> PathBuf {
    match crate::config::SiteConfig::load(&g.root) {
        Ok(c) => match c.groups.get(group).and_then(|gc| gc.path.clone()) {
            Some(p) => g.root.join(p),
            None => g.root.join(&c.content).join(group),
        },
        Err(_) => g.root.join("content").join(group),
    }
}

/// A file name for `date` in `dir` not used by an existing file nor by this run.
fn target(dir: &Path, date: NaiveDate, taken: &mut Vec<PathBuf>) -> (PathBuf, bool) {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{date}.md")
        } else {
            format!("{date}-{n}.md")
        };
        let p = dir.join(name);
        if !taken.contains(&p) {
            taken.push(p.clone());
            let exists = p.exists();
            return (p, exists);
        }
        n += 1;
    }
}

/// Runs `import`: exit 0 when every meeting was written, 1 when a file could not
/// be read or a note would overwrite an existing file, 2 on bad arguments.
pub fn run(g: &Global, args: &ImportArgs, report: &mut Report) -> std::io::Result<Exit> {
    if crate::text::slug(&args.group) != args.group || args.group.is_empty() {
        writeln!(
            report.err,
            "error: `{}` is not a group key (lower-case letters, digits and `-`)",
            args.group
        )?;
        return Ok(Exit::Usage);
    }
    let dir = args
        .into
        .clone()
        .unwrap_or_else(|| default_into(g, &args.group));
    // Where the folder really is, and it must be in the site: notes
    // elsewhere would not be read (nor written through a link out of it).
    let dir = crate::paths::real_path(&dir)?;
    if !crate::paths::within(&dir, &g.root) {
        writeln!(
            report.err,
            "error: the folder {} is outside the site root {}; nothing was written",
            dir.display(),
            g.root.display()
        )?;
        writeln!(
            report.err,
            "  help: pass --into a folder under the site's content folder"
        )?;
        return Ok(Exit::Usage);
    }
    let mut taken = Vec::new();
    let mut code = Exit::Success;
    let (mut written, mut skipped) = (0usize, 0usize);
    for file in &args.files {
        let shown = file.display().to_string();
        let text = match std::fs::read(file) {
            Ok(b) => crate::load::decode(&b, &shown, false).0,
            Err(e) => {
                writeln!(report.err, "error: cannot read {shown}: {e}")?;
                code = Exit::Failure;
                continue;
            }
        };
        let split = split_document(&text, &shown);
        if split.meetings.is_empty() {
            writeln!(
                report.err,
                "warning: {shown}: no meeting found (no heading reads as a date)"
            )?;
        }
        for m in &split.meetings {
            if let Some(why) = &m.guess {
                writeln!(report.err, "warning: {shown}:{}: {why}; check it", m.line)?;
            }
            let (path, exists) = target(&dir, m.date, &mut taken);
            if exists {
                writeln!(
                    report.err,
                    "error: {} exists; the meeting at {shown}:{} was not written",
                    path.display(),
                    m.line
                )?;
                skipped += 1;
                code = Exit::Failure;
                continue;
            }
            let note = note_text(m, &shown);
            let res = std::fs::create_dir_all(&dir)
                .and_then(|_| crate::paths::write_new(&path, note.as_bytes()));
            match res {
                Ok(()) => {
                    written += 1;
                    writeln!(
                        report.out,
                        "wrote {} ({}{}, {} attendee{}) from {shown}:{}",
                        path.display(),
                        m.date,
                        if m.cancelled { ", cancelled" } else { "" },
                        m.attendees.len(),
                        if m.attendees.len() == 1 { "" } else { "s" },
                        m.line
                    )?;
                }
                Err(e) => {
                    writeln!(report.err, "error: cannot write {}: {e}", path.display())?;
                    skipped += 1;
                    code = Exit::Failure;
                }
            }
        }
        for (a, b, why) in &split.unplaced {
            writeln!(report.err, "not placed: {shown}:{a}-{b}: {why}")?;
        }
    }
    writeln!(
        report.err,
        "imported {written} meeting{} into {}{}",
        if written == 1 { "" } else { "s" },
        dir.display(),
        if skipped > 0 {
            format!("; {skipped} not written")
        } else {
            String::new()
        }
    )?;
    Ok(code)
}
