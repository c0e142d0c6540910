//! `quorum explain FILE...`: what quorum read from each note, each thing with the line
//! it came from, and the lines that look like actions but were not taken, with why.

use super::Exit;
use crate::load::body::{looks_like_action, why_not_taken, BodyContext};
use crate::model::{ActionEntry, Note, PersonRef};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Lines for a person.
    Text,
    /// One JSON array, an object per file.
    Json,
}

#[derive(Debug, Serialize)]
struct Found {
    line: u32,
    text: String,
}

#[derive(Debug, Serialize)]
struct Item {
    line: u32,
    /// `new`, `group`, `unassigned` or `update`.
    kind: &'static str,
    owners: Vec<String>,
    task: String,
    status: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct Explained {
    file: String,
    date: Option<String>,
    /// `front matter`, `line N`, or `file name`.
    date_from: Option<String>,
    time: Option<String>,
    timezone: Option<String>,
    title: Option<String>,
    moderators: Vec<Found>,
    note_takers: Vec<Found>,
    attendees: Vec<Found>,
    regrets: Vec<Found>,
    agenda: Vec<Found>,
    outcomes: Vec<Found>,
    items: Vec<Item>,
    not_taken: Vec<NotTaken>,
    problems: Vec<String>,
}

#[derive(Debug, Serialize)]
struct NotTaken {
    line: u32,
    text: String,
    reason: &'static str,
}

fn people(list: &[PersonRef]) -> Vec<Found> {
    list.iter()
        .map(|p| Found {
            line: p.span.line,
            text: p.name.clone(),
        })
        .collect()
}

/// The first line of the file at or after `from` holding `text`'s first words.
fn line_of(file: &str, text: &str, from: u32) -> u32 {
    let probe: String = text.chars().take(24).collect();
    file.lines()
        .enumerate()
        .skip(from.saturating_sub(1) as usize)
        .find(|(_, l)| crate::load::body::plain_text(l).contains(probe.trim()))
        .map_or(0, |(i, _)| i as u32 + 1)
}

fn items(note: &Note) -> Vec<Item> {
    let new = |n: &crate::model::NewItem| Item {
        line: n.span.line,
        kind: if !n.owners.is_empty() {
            "new"
        } else if n.group_owner.is_some() {
            "group"
        } else {
            "unassigned"
        },
        owners: match &n.group_owner {
            Some(g) => vec![g.clone()],
            None => n.owners.iter().map(|p| p.name.clone()).collect(),
        },
        task: n.task.clone(),
        status: n.status.map(|s| s.as_str()),
    };
    note.actions
        .iter()
        .filter_map(|e| match e {
            ActionEntry::New(n) => Some(new(n)),
            ActionEntry::Body(b) => match (&b.item, &b.lead) {
                (Some(n), _) => Some(new(n)),
                (None, Some((id, rest))) => Some(Item {
                    line: b.span.line,
                    kind: "update",
                    owners: Vec::new(),
                    task: format!("{id} {rest}").trim().to_string(),
                    status: None,
                }),
                _ => None,
            },
            ActionEntry::Update(u) => Some(Item {
                line: u.span.line,
                kind: "update",
                owners: Vec::new(),
                task: u.reference.clone(),
                status: u.status.map(|s| s.as_str()),
            }),
        })
        .collect()
}

fn explain_one(root: &Path, file: &str) -> Explained {
    let path = Path::new(file);
    let full = if path.is_absolute() || path.exists() {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    let rel = file.to_string();
    let mut out = Explained {
        file: rel.clone(),
        date: None,
        date_from: None,
        time: None,
        timezone: None,
        title: None,
        moderators: Vec::new(),
        note_takers: Vec::new(),
        attendees: Vec::new(),
        regrets: Vec::new(),
        agenda: Vec::new(),
        outcomes: Vec::new(),
        items: Vec::new(),
        not_taken: Vec::new(),
        problems: Vec::new(),
    };
    let bytes = match std::fs::read(&full) {
        Ok(b) => b,
        Err(e) => {
            out.problems
                .push(format!("cannot read {}: {e}", full.display()));
            return out;
        }
    };
    let (text, _) = crate::load::decode(&bytes, &rel, false);
    let no_one = |_: &str| false;
    let (note, diags) = crate::load::read_note_text(&text, &rel, "", false, &no_one);
    out.problems.extend(
        diags
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.col, d.message)),
    );
    if note.len() > 1 {
        out.problems.push(format!(
            "this file holds {} meetings (one per dated section); shown: the first",
            note.len()
        ));
    }
    let Some(note) = note.into_iter().next() else {
        return out;
    };
    out.date = note.date.map(|d| d.to_string());
    out.date_from = note.date.map(|_| {
        let line = note.date_span.line;
        let at = text
            .lines()
            .nth(line.saturating_sub(1) as usize)
            .unwrap_or("");
        if note.has_front_matter && line < note.body_line {
            format!("front matter, line {line}")
        } else if at.chars().any(|c| c.is_ascii_digit())
            || at.chars().any(char::is_alphabetic) && line > 1
        {
            format!("line {line}")
        } else {
            "the file name or folder".to_string()
        }
    });
    out.time = note.time.map(|t| t.format("%H:%M").to_string());
    out.timezone = note.timezone.clone();
    out.title = note.title.clone();
    out.moderators = people(&note.moderators);
    out.note_takers = people(&note.note_takers);
    out.attendees = people(&note.attendees);
    out.regrets = people(&note.regrets);
    out.agenda = note
        .agenda
        .iter()
        .map(|a| Found {
            line: line_of(&text, &a.title, note.body_line),
            text: a.title.clone(),
        })
        .collect();
    out.outcomes = note
        .outcomes
        .iter()
        .map(|o| Found {
            line: line_of(&text, &o.text, note.body_line),
            text: format!("{}: {}", o.kind.as_str(), o.text),
        })
        .collect();
    out.items = items(&note);
    let taken: Vec<u32> = out.items.iter().map(|i| i.line).collect();
    let ctx = BodyContext {
        path: &rel,
        is_person: &no_one,
        year_hint: None,
    };
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        if n < note.body_line || taken.contains(&n) || !looks_like_action(line) {
            continue;
        }
        let t = crate::load::body::plain_text(line);
        let t = t.trim_start_matches(['#', '-', '*', ' ']).trim();
        if t.is_empty() || crate::load::body::section_of_actions(t) {
            continue;
        }
        out.not_taken.push(NotTaken {
            line: n,
            text: t.chars().take(100).collect(),
            reason: why_not_taken(line, &ctx),
        });
    }
    out
}

fn print_text(e: &Explained, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "{}", e.file)?;
    let or_none = |s: &Option<String>| s.clone().unwrap_or_else(|| "(none found)".into());
    writeln!(
        w,
        "  date        {}{}",
        or_none(&e.date),
        e.date_from
            .as_ref()
            .map(|f| format!("  (from {f})"))
            .unwrap_or_default()
    )?;
    writeln!(
        w,
        "  time        {} {}",
        or_none(&e.time),
        e.timezone.clone().unwrap_or_default()
    )?;
    writeln!(w, "  title       {}", or_none(&e.title))?;
    for (label, list) in [
        ("moderators", &e.moderators),
        ("note takers", &e.note_takers),
        ("attendees", &e.attendees),
        ("regrets", &e.regrets),
        ("agenda", &e.agenda),
        ("outcomes", &e.outcomes),
    ] {
        writeln!(w, "  {label} ({})", list.len())?;
        for f in list {
            writeln!(w, "    line {:<5} {}", f.line, f.text)?;
        }
    }
    writeln!(w, "  action items ({})", e.items.len())?;
    for i in &e.items {
        let who = match i.kind {
            "unassigned" => "(unassigned)".to_string(),
            "group" => format!("{} (the group)", i.owners.join(", ")),
            _ => i.owners.join(", "),
        };
        let status = i.status.map(|s| format!(" [{s}]")).unwrap_or_default();
        writeln!(
            w,
            "    line {:<5} {:<10} {who}: {}{status}",
            i.line, i.kind, i.task
        )?;
    }
    writeln!(
        w,
        "  looks like an action, not taken ({})",
        e.not_taken.len()
    )?;
    for n in &e.not_taken {
        writeln!(
            w,
            "    line {:<5} {}\n               why: {}",
            n.line, n.text, n.reason
        )?;
    }
    for p in &e.problems {
        writeln!(w, "  problem: {p}")?;
    }
    Ok(())
}

/// Runs `explain`. Exit 1 when a file cannot be read, else 0.
pub fn run(
    root: &Path,
    files: &[String],
    format: Format,
    out: &mut dyn Write,
) -> std::io::Result<Exit> {
    let all: Vec<Explained> = files.iter().map(|f| explain_one(root, f)).collect();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &all)?;
            writeln!(out)?;
        }
        Format::Text => {
            for (i, e) in all.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                print_text(e, out)?;
            }
        }
    }
    let unreadable = all
        .iter()
        .any(|e| e.problems.iter().any(|p| p.starts_with("cannot read")));
    Ok(if unreadable {
        Exit::Failure
    } else {
        Exit::Success
    })
}
