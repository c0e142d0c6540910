//! `quorum explain FILE...`: what quorum read from each note (each meeting of a file
//! that holds several), each thing with the line it came from, and the lines that look
//! like actions but were not taken as new items, with why. The site is read first when
//! there is one, so owners it knows count and re-stated items show what they updated.

use super::{Exit, Global};
use crate::build::Loaded;
use crate::diagnostics::Code;
use crate::load::body::{action_like_lines, BodyContext};
use crate::model::{ActionEntry, Note, PersonRef};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

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
    /// For a re-stated earlier item: what it was taken as (`carry-over of ...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    updates: Option<String>,
}

#[derive(Debug, Serialize)]
struct Problem {
    line: u32,
    col: u32,
    message: String,
}

/// One file: the meetings it holds.
#[derive(Debug, Serialize)]
struct Explained {
    file: String,
    meetings: Vec<Meeting>,
    problems: Vec<Problem>,
}

/// One meeting of a file, from line `lines.0` to line `lines.1`.
#[derive(Debug, Serialize)]
struct Meeting {
    lines: (u32, u32),
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
}

#[derive(Debug, Serialize)]
struct NotTaken {
    line: u32,
    text: String,
    reason: String,
}

fn people_found(list: &[PersonRef]) -> Vec<Found> {
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

/// The items of `note`; those at a line of `linked` (auto-link messages by line) are
/// updates of earlier items.
fn items(note: &Note, linked: &BTreeMap<u32, String>) -> Vec<Item> {
    let new = |n: &crate::model::NewItem| Item {
        line: n.span.line,
        kind: if linked.contains_key(&n.span.line) {
            "update"
        } else if !n.owners.is_empty() {
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
        updates: linked.get(&n.span.line).cloned(),
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
                    updates: Some(format!("`{id}`")),
                }),
                _ => None,
            },
            ActionEntry::Update(u) => Some(Item {
                line: u.span.line,
                kind: "update",
                owners: Vec::new(),
                task: u.reference.clone(),
                status: u.status.map(|s| s.as_str()),
                updates: Some(format!("`{}`", u.reference)),
            }),
        })
        .collect()
}

/// What the site knows of one file: its notes as the site read them, the site's people,
/// and the file's problems.
struct FromSite {
    notes: Vec<Note>,
    people: HashSet<String>,
    problems: Vec<Problem>,
    linked: BTreeMap<u32, String>,
}

/// The file's notes and problems as the loaded site read them, when it is one of its notes.
fn from_site(site: &Loaded, rel: &str) -> Option<FromSite> {
    let notes: Vec<Note> = site
        .corpus
        .notes
        .iter()
        .filter(|n| n.path == rel)
        .map(|n| Note::clone(n))
        .collect();
    if notes.is_empty() {
        return None;
    }
    let people = site
        .corpus
        .people
        .iter()
        .flat_map(|p| {
            std::iter::once(p.name.clone())
                .chain(p.aliases.iter().cloned())
                .chain(p.handle.iter().flat_map(|h| [h.clone(), format!("@{h}")]))
        })
        .map(|n| n.to_lowercase())
        .collect();
    let mine = site.diagnostics.iter().filter(|d| d.file == rel);
    let mut linked = BTreeMap::new();
    let mut problems = Vec::new();
    for d in mine {
        if d.code == Code::AutoLink {
            linked.insert(d.line, d.message.clone());
        } else {
            problems.push(Problem {
                line: d.line,
                col: d.col,
                message: d.message.clone(),
            });
        }
    }
    Some(FromSite {
        notes,
        people,
        problems,
        linked,
    })
}

/// `file` as a path, and as the site names it (relative to the root, forward slashes).
fn paths(root: &Path, file: &str) -> (PathBuf, String) {
    let path = Path::new(file);
    let full = if path.is_absolute() || path.exists() {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    let rel = match (full.canonicalize(), root.canonicalize()) {
        (Ok(f), Ok(r)) => f.strip_prefix(&r).ok().map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        }),
        _ => None,
    };
    (full, rel.unwrap_or_else(|| file.to_string()))
}

fn explain_one(root: &Path, file: &str, site: Option<&Loaded>) -> Explained {
    let (full, rel) = paths(root, file);
    let mut out = Explained {
        file: file.to_string(),
        meetings: Vec::new(),
        problems: Vec::new(),
    };
    let bytes = match std::fs::read(&full) {
        Ok(b) => b,
        Err(e) => {
            out.problems.push(Problem {
                line: 0,
                col: 0,
                message: format!("cannot read {}: {e}", full.display()),
            });
            return out;
        }
    };
    let (text, _) = crate::load::decode(&bytes, &rel, false);
    let known = site.and_then(|s| from_site(s, &rel)).unwrap_or_else(|| {
        let no_one = |_: &str| false;
        let (notes, diags) = crate::load::read_note_text(&text, &rel, "", false, &no_one);
        FromSite {
            notes,
            people: HashSet::new(),
            problems: diags
                .iter()
                .map(|d| Problem {
                    line: d.line,
                    col: d.col,
                    message: d.message.clone(),
                })
                .collect(),
            linked: BTreeMap::new(),
        }
    });
    out.problems = known.problems;
    let last = text.lines().count().max(1) as u32;
    // A meeting of a running-notes file starts at its dated heading.
    let starts: Vec<u32> = known
        .notes
        .iter()
        .enumerate()
        .map(|(k, n)| match k {
            0 => 1,
            _ if n.date.is_some() => n.body_line.min(n.date_span.line).max(1),
            _ => n.body_line,
        })
        .collect();
    for (k, note) in known.notes.iter().enumerate() {
        let from = starts[k];
        let to = starts
            .get(k + 1)
            .map_or(last, |n| n.saturating_sub(1).max(from));
        out.meetings.push(meeting(
            &text,
            note,
            (from, to),
            &known.people,
            &known.linked,
        ));
    }
    out
}

/// Where the date of `note` was found, in words.
fn date_from(text: &str, note: &Note) -> Option<String> {
    note.date.map(|_| {
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
    })
}

/// What quorum read from one meeting `note` of the file `text`, lines `lines`.
fn meeting(
    text: &str,
    note: &Note,
    lines: (u32, u32),
    people: &HashSet<String>,
    linked: &BTreeMap<u32, String>,
) -> Meeting {
    let mut items = items(note, linked);
    items.sort_by_key(|i| i.line);
    let attendees: HashSet<String> = note
        .attendees
        .iter()
        .chain(&note.moderators)
        .chain(&note.note_takers)
        .flat_map(|p| {
            let full = p.name.to_lowercase();
            let first = full.split_whitespace().next().unwrap_or("").to_string();
            [full, first]
        })
        .collect();
    let is_person = |n: &str| {
        let n = n.trim().to_lowercase();
        people.contains(&n) || attendees.contains(&n)
    };
    let ctx = BodyContext {
        path: &note.path,
        is_person: &is_person,
        year_hint: note.date.map(|d| chrono::Datelike::year(&d)),
    };
    let taken: HashSet<u32> = items.iter().map(|i| i.line).collect();
    let unassigned: HashSet<u32> = items
        .iter()
        .filter(|i| i.kind == "unassigned")
        .map(|i| i.line)
        .collect();
    let mut not_taken: Vec<NotTaken> = Vec::new();
    for a in action_like_lines(&note.body, note.body_line, &ctx) {
        if !taken.contains(&a.line) {
            not_taken.push(NotTaken {
                line: a.line,
                text: a.text,
                reason: a.reason,
            });
        } else if unassigned.contains(&a.line) && a.reason.contains("is a common word") {
            // Kept, but without the owner its writer meant.
            not_taken.push(NotTaken {
                line: a.line,
                text: a.text,
                reason: format!(
                    "kept as an unassigned item, its owner not taken: {}",
                    a.reason
                ),
            });
        }
    }
    // A re-stated earlier item opens no item of its own: it updates the earlier one.
    not_taken.extend(items.iter().filter_map(|i| {
        let msg = linked.get(&i.line)?;
        Some(NotTaken {
            line: i.line,
            text: i.task.clone(),
            reason: format!("re-states an earlier item, so it opens no new one: {msg}"),
        })
    }));
    not_taken.sort_by_key(|n| n.line);
    Meeting {
        lines,
        date: note.date.map(|d| d.to_string()),
        date_from: date_from(text, note),
        time: note.time.map(|t| t.format("%H:%M").to_string()),
        timezone: note.timezone.clone(),
        title: note.title.clone(),
        moderators: people_found(&note.moderators),
        note_takers: people_found(&note.note_takers),
        attendees: people_found(&note.attendees),
        regrets: people_found(&note.regrets),
        agenda: note
            .agenda
            .iter()
            .map(|a| Found {
                line: line_of(text, &a.title, note.body_line),
                text: a.title.clone(),
            })
            .collect(),
        outcomes: note
            .outcomes
            .iter()
            .map(|o| Found {
                line: line_of(text, &o.text, note.body_line),
                text: format!("{}: {}", o.kind.as_str(), o.text),
            })
            .collect(),
        items,
        not_taken,
    }
}

fn print_text(e: &Explained, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "{}", e.file)?;
    let several = e.meetings.len() > 1;
    for (k, m) in e.meetings.iter().enumerate() {
        let pad = if several {
            writeln!(
                w,
                "  meeting {} of {} (lines {}-{})",
                k + 1,
                e.meetings.len(),
                m.lines.0,
                m.lines.1
            )?;
            "    "
        } else {
            "  "
        };
        print_meeting(m, pad, w)?;
    }
    if e.meetings.is_empty() && e.problems.is_empty() {
        writeln!(w, "  no meeting read from this file")?;
    }
    for p in &e.problems {
        if p.line == 0 {
            writeln!(w, "  problem: {}", p.message)?;
        } else {
            writeln!(w, "  problem: line {}:{}: {}", p.line, p.col, p.message)?;
        }
    }
    Ok(())
}

fn print_meeting(m: &Meeting, pad: &str, w: &mut dyn Write) -> std::io::Result<()> {
    let or_none = |s: &Option<String>| s.clone().unwrap_or_else(|| "(none found)".into());
    let from = m
        .date_from
        .as_ref()
        .map(|f| format!("  (from {f})"))
        .unwrap_or_default();
    writeln!(w, "{pad}date        {}{from}", or_none(&m.date))?;
    let zone = m.timezone.clone().unwrap_or_default();
    let time = format!("{} {zone}", or_none(&m.time));
    writeln!(w, "{pad}time        {}", time.trim_end())?;
    writeln!(w, "{pad}title       {}", or_none(&m.title))?;
    for (label, list) in [
        ("moderators", &m.moderators),
        ("note takers", &m.note_takers),
        ("attendees", &m.attendees),
        ("regrets", &m.regrets),
        ("agenda", &m.agenda),
        ("outcomes", &m.outcomes),
    ] {
        writeln!(w, "{pad}{label} ({})", list.len())?;
        for f in list {
            writeln!(w, "{pad}  line {:<5} {}", f.line, f.text)?;
        }
    }
    writeln!(w, "{pad}action items ({})", m.items.len())?;
    for i in &m.items {
        let who = match i.kind {
            "unassigned" => "(unassigned)".to_string(),
            "group" => format!("{} (the group)", i.owners.join(", ")),
            _ if i.owners.is_empty() => "(no owner)".to_string(),
            _ => i.owners.join(", "),
        };
        let status = i.status.map(|s| format!(" [{s}]")).unwrap_or_default();
        writeln!(
            w,
            "{pad}  line {:<5} {:<10} {who}: {}{status}",
            i.line, i.kind, i.task
        )?;
    }
    writeln!(
        w,
        "{pad}looks like an action, not taken as a new item ({})",
        m.not_taken.len()
    )?;
    for n in &m.not_taken {
        writeln!(w, "{pad}  line {:<5} {}", n.line, n.text)?;
        writeln!(w, "{pad}             why: {}", n.reason)?;
    }
    Ok(())
}

/// The site at `g.root`, when there is one (its people and carry-overs explain more).
fn load_site(g: &Global) -> Option<Loaded> {
    let opts = crate::build::Options {
        today: g.today,
        keep_going: true,
        history: false,
        ..crate::build::Options::default()
    };
    let mut p = if g.cache {
        crate::build::Pipeline::on_disk(&g.root, opts)
    } else {
        crate::build::Pipeline::uncached(&g.root, opts)
    };
    p.load().ok()
}

/// Runs `explain`. Exit 1 when a file cannot be read, else 0.
pub fn run(
    g: &Global,
    files: &[String],
    format: Format,
    out: &mut dyn Write,
) -> std::io::Result<Exit> {
    let site = load_site(g);
    let all: Vec<Explained> = files
        .iter()
        .map(|f| explain_one(&g.root, f, site.as_ref()))
        .collect();
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
    // The process ends here: freeing the whole site would only cost time.
    std::mem::forget(site);
    let unreadable = all.iter().any(|e| {
        e.problems
            .iter()
            .any(|p| p.message.starts_with("cannot read"))
    });
    Ok(if unreadable {
        Exit::Failure
    } else {
        Exit::Success
    })
}
