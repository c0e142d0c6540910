//! Reading one note file: decoding, the front matter, the body, and the
//! meetings of a running-notes file.

use super::files::{HowRead, NoteFile};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::body::{read_body_with, BodyContext, Wants};
use crate::load::dates::date_from_file_name;
use crate::load::frontmatter::{parse_yaml, split, unclosed_diagnostic, Reader};
use crate::model::{ActionEntry, BodyAction, MeetingStatus, Note, Span};
use chrono::Datelike;
use serde_yaml::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// A note as read from its file, with the problems found.
pub(super) type NoteRead = (Vec<Arc<Note>>, Vec<Diagnostic>);

/// Decodes a file's bytes: BOM removed; invalid UTF-8 is an error at its line
/// (a warning under `strict = false`), the bad bytes replaced.
/// Old Mac line endings (a CR alone) are read as line breaks: each lone CR
/// becomes LF, byte for byte, so offsets, lines and columns stay true.
pub(crate) fn decode(bytes: &[u8], rel: &str, strict: bool) -> (String, Vec<Diagnostic>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let lf;
    let bytes = if has_lone_cr(bytes) {
        lf = lone_cr_to_lf(bytes);
        &lf[..]
    } else {
        bytes
    };
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), Vec::new()),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let line_start = good
                .iter()
                .rposition(|&b| b == b'\n')
                .map(|i| i + 1)
                .unwrap_or(0);
            let col = String::from_utf8_lossy(&good[line_start..]).chars().count() as u32 + 1;
            let d = Diagnostic::error(
                Code::InvalidUtf8,
                rel,
                line,
                col,
                format!(
                    "the file is not UTF-8 (byte 0x{:02x})",
                    bytes[e.valid_up_to()]
                ),
            )
            .with_help("save the file as UTF-8")
            .downgraded(!strict);
            (String::from_utf8_lossy(bytes).into_owned(), vec![d])
        }
    }
}

fn has_lone_cr(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

fn lone_cr_to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for i in 0..out.len() {
        if out[i] == b'\r' && out.get(i + 1) != Some(&b'\n') {
            out[i] = b'\n';
        }
    }
    out
}

/// A note whose file cannot be read.
fn unreadable(rel: &str, e: &std::io::Error) -> NoteRead {
    (
        Vec::new(),
        vec![Diagnostic::error(
            Code::UnreadableFile,
            rel,
            1,
            1,
            format!("cannot read: {e}"),
        )],
    )
}

pub(super) fn read_note(
    f: &NoteFile,
    max: u64,
    is_person: &(dyn Fn(&str) -> bool + Sync),
) -> NoteRead {
    let rel = f.rel.as_str();
    match std::fs::metadata(&f.abs) {
        Ok(m) if m.len() > max => {
            return (
                Vec::new(),
                vec![Diagnostic::error(
                    Code::FileTooLarge,
                    rel,
                    1,
                    1,
                    format!("the file is {} bytes, over max_file_size ({max})", m.len()),
                )
                .with_help("split the file, or raise max_file_size in quorum.toml")],
            )
        }
        Ok(_) => {}
        Err(e) => return unreadable(rel, &e),
    }
    let bytes = match std::fs::read(&f.abs) {
        Ok(b) => b,
        Err(e) => return unreadable(rel, &e),
    };
    let (text, mut diags) = decode(&bytes, rel, f.how.strict);
    let (note, mut d) = read_note_text_as(&text, rel, &f.group, f.how, is_person);
    diags.append(&mut d);
    (note.into_iter().map(Arc::new).collect(), diags)
}

/// Reads one note's text (already decoded), a file of several dated sections
/// read as one meeting per section. Pure.
pub fn read_note_text(
    text: &str,
    rel: &str,
    group: &str,
    strict: bool,
    is_person: &dyn Fn(&str) -> bool,
) -> (Vec<Note>, Vec<Diagnostic>) {
    let how = HowRead {
        strict,
        split: true,
    };
    read_note_text_as(text, rel, group, how, is_person)
}

/// Reads one note's text (already decoded) as its group reads notes
/// (strictness, the multi-meeting split). Pure.
pub(super) fn read_note_text_as(
    text: &str,
    rel: &str,
    group: &str,
    how: HowRead,
    is_person: &dyn Fn(&str) -> bool,
) -> (Vec<Note>, Vec<Diagnostic>) {
    let strict = how.strict;
    let mut diags = Vec::new();
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::warning(Code::EmptyNote, rel, 1, 1, "the note is empty")
                .with_help("write the meeting's front matter and notes, or delete the file"),
        );
    }
    let Ok(mut parts) = split(text) else {
        diags.push(unclosed_diagnostic(rel));
        return (Vec::new(), diags);
    };
    // Private blocks are blanked before anything reads the body.
    let private = crate::load::private::split(parts.body);
    parts.body = &private.public;
    let mut note = Note {
        path: rel.to_string(),
        group: group.to_string(),
        has_front_matter: parts.has_front_matter,
        body: parts.body.into(),
        body_line: parts.body_line,
        ..Note::default()
    };
    crate::load::private::note_blocks(&mut note, &private, &mut diags);
    let mut fm_keys: HashSet<String> = HashSet::new();
    if parts.has_front_matter {
        match parse_yaml(rel, parts.yaml, parts.yaml_line) {
            Ok(doc) => {
                if let Value::Mapping(m) = &doc {
                    fm_keys = m
                        .keys()
                        .filter_map(|k| k.as_str().map(String::from))
                        .collect();
                }
                let mut reader = Reader::new(rel, parts.yaml, parts.yaml_line, strict);
                reader.read_meeting(&doc, &mut note);
                note.entry_ends =
                    crate::model::entry_ends(parts.yaml, parts.yaml_line, &note.actions);
                note.private_parts += reader.private_parts;
                crate::load::private::note_entries(&mut note, &reader.private_entries);
                diags.append(&mut reader.diags);
            }
            Err(d) => {
                diags.push(d);
                return (Vec::new(), diags);
            }
        }
    }
    if note.date.is_none() && !fm_keys.contains("date") {
        if let Some(why) = crate::load::body::not_a_meeting(parts.body, rel) {
            diags.push(
                Diagnostic::info(
                    Code::NotAMeeting,
                    rel,
                    1,
                    1,
                    format!("not read as a meeting: {why}"),
                )
                .with_help("give it front matter with a `date` to publish it as a meeting"),
            );
            return (Vec::new(), diags);
        }
        let parts_of = match how.split {
            true => crate::load::running::sections(parts.body, rel),
            false => Vec::new(),
        };
        if parts_of.len() >= 2 {
            // What the preamble says of every meeting (the time, the place).
            let mut pre = note.clone();
            let first = parts_of.first().map_or(0, |m| m.line.saturating_sub(1));
            let pre_body = crate::load::running::lines_text(parts.body, 0, first);
            pre.date = Some(chrono::NaiveDate::MIN);
            pre.body_line = parts.body_line;
            fill_from_body(&mut pre, &pre_body, &fm_keys, is_person, &mut Vec::new());
            let mut notes = Vec::with_capacity(parts_of.len());
            for m in parts_of {
                let mut n = note.clone();
                n.date = Some(m.date);
                n.date_span = Span::new(parts.body_line + m.line as u32 - 1, 1);
                if m.cancelled && n.status.is_none() {
                    n.status = Some(MeetingStatus::Cancelled);
                }
                let body = crate::load::running::lines_text(parts.body, m.line, m.end);
                n.body = body.into();
                n.body_line = parts.body_line + m.line as u32;
                let b = n.body.clone();
                fill_from_body(&mut n, &b, &fm_keys, is_person, &mut diags);
                if n.time.is_none() {
                    n.time = pre.time;
                    n.duration = n.duration.or(pre.duration);
                    n.timezone = n.timezone.or_else(|| pre.timezone.clone());
                }
                n.location = n.location.or_else(|| pre.location.clone());
                notes.push(n);
            }
            return (notes, diags);
        }
    }
    let body = note.body.clone();
    fill_from_body(&mut note, &body, &fm_keys, is_person, &mut diags);
    let updates_only = fm_keys.contains("actions");
    crate::load::private::read_blocks(&mut note, &private, updates_only, is_person);
    (vec![note], diags)
}

/// `- a: done` in the body of the meeting whose front matter opens item `a`:
/// an update of that item (applied once it is open), not a new unassigned
/// item. The first word must be the id, followed by `:`, alone, or boxed.
fn same_meeting_updates(note: &Note, actions: &mut [BodyAction], diags: &mut Vec<Diagnostic>) {
    let own: HashSet<&str> = note
        .actions
        .iter()
        .filter_map(|e| match e {
            ActionEntry::New(n) => n.id.as_deref(),
            _ => None,
        })
        .collect();
    if own.is_empty() {
        return;
    }
    for a in actions.iter_mut().filter(|a| a.lead.is_none()) {
        let (first, rest) = a
            .text
            .split_once(char::is_whitespace)
            .unwrap_or((&a.text, ""));
        let id = first.strip_suffix(':').unwrap_or(first);
        let marked = first.ends_with(':') || rest.trim().is_empty() || a.checkbox.is_some();
        if !marked || !own.contains(id) {
            continue;
        }
        if let Some(i) = &a.item {
            let at = i.span;
            diags.retain(|d| {
                !(d.code == Code::ActionWithoutOwner && d.line == at.line && d.col == at.col)
            });
        }
        a.lead = Some((id.to_string(), rest.trim().to_string()));
        a.item = None;
    }
}

/// A leap year standing in for the year of a date written without one.
const YEAR_PROBE: i32 = 2000;

/// The error of a meeting with no date.
pub(super) fn no_date(rel: &str) -> Diagnostic {
    Diagnostic::error(Code::NoDate, rel, 1, 1, "no date found for this meeting")
        .with_help("add `date: YYYY-MM-DD` to the front matter, or name the file after the date (2022-01-05.md)")
}

/// Reads a note's body into `note`, where the front matter (keys `fm_keys`)
/// left a field unset, and settles its date.
fn fill_from_body(
    note: &mut Note,
    body: &str,
    fm_keys: &HashSet<String>,
    is_person: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    let rel = note.path.clone();
    let rel = rel.as_str();
    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    let name_date = date_from_file_name(file_name);
    let year_hint = name_date
        .map(|d| d.year())
        .or_else(|| crate::load::dates::year_from_path(rel));
    // The people the front matter names count as people in the body too
    // (`ACTION: Ann Example to …` under `attendees: [Ann Example]`).
    let named: HashSet<String> = note
        .attendees
        .iter()
        .chain(&note.moderators)
        .chain(&note.note_takers)
        .chain(&note.regrets)
        .map(|p| crate::text::fold(&p.name))
        .collect();
    let is_named = |s: &str| is_person(s) || named.contains(&crate::text::fold(s));
    let ctx = BodyContext {
        path: rel,
        is_person: &is_named,
        year_hint,
    };
    let wants = Wants {
        date_known: note.date.is_some(),
        status_known: note.status.is_some(),
    };
    let (mut facts, mut d) = read_body_with(body, note.body_line, &ctx, wants);
    same_meeting_updates(note, &mut facts.actions, &mut d);
    diags.append(&mut d);
    let has = |k: &str| fm_keys.contains(k);
    settle_date(note, facts.date, name_date, has("date"), diags);
    if note.date.is_none() && year_hint.is_none() {
        // `Thursday 26 March` and no year in the path: read again with a
        // stand-in year; the load takes the year from the neighbouring notes.
        let probe = BodyContext {
            year_hint: Some(YEAR_PROBE),
            ..ctx
        };
        let (again, _) = read_body_with(body, note.body_line, &probe, wants);
        if let Some((d, span)) = again.date.filter(|(d, _)| d.year() == YEAR_PROBE) {
            note.year_less = Some((d.month(), d.day()));
            note.date_span = span;
        }
    }
    if note.date.is_none() && note.year_less.is_none() {
        diags.push(no_date(rel));
    }
    if !has("time") && note.time.is_none() {
        note.time = facts.time;
        // Zones side by side on the time line read: checked on the meeting's date.
        if let (Some(check), Some(date)) = (&facts.zone_check, note.date) {
            diags.extend(crate::load::body::zone_mismatches(check, date, rel));
        }
    }
    take_facts(note, facts, fm_keys);
}

/// Settles the date from the body (`body_date`) or the file name where the
/// front matter gave none, warning where two sources disagree.
fn settle_date(
    note: &mut Note,
    body_date: Option<(chrono::NaiveDate, Span)>,
    name_date: Option<chrono::NaiveDate>,
    has_date_key: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let rel = note.path.clone();
    if note.date.is_none() {
        if let Some((d, span)) = body_date {
            note.date = Some(d);
            note.date_span = span;
            if let Some(nd) = name_date.filter(|nd| *nd != d) {
                diags.push(
                    Diagnostic::warning(
                        Code::DateMismatch,
                        &rel,
                        span.line,
                        span.col,
                        format!("the note says {d} but the file name says {nd}; {d} is used"),
                    )
                    .with_help("correct whichever is wrong, or give the date in the front matter"),
                );
            }
        } else if let Some(d) = name_date.or_else(|| crate::load::dates::month_day_from_path(&rel))
        {
            note.date = Some(d);
            note.date_span = Span::new(1, 1);
        }
    } else if let (Some(fm), Some(nd), true) = (note.date, name_date, has_date_key) {
        if fm != nd {
            diags.push(
                Diagnostic::warning(
                    Code::DateMismatch,
                    &rel,
                    note.date_span.line,
                    note.date_span.col,
                    format!("the front matter says {fm} but the file name says {nd}; {fm} is used"),
                )
                .with_help("correct whichever is wrong"),
            );
        }
    }
}

/// Takes what the body says for every field the front matter (keys
/// `fm_keys`) left unset.
fn take_facts(note: &mut Note, mut facts: crate::load::body::BodyFacts, fm_keys: &HashSet<String>) {
    let has = |k: &str| fm_keys.contains(k);
    // Under front-matter `actions`, the body's updates (`- a: done`) still count.
    let updates_only = has("actions");
    note.actions.extend(facts.take_action_entries(updates_only));
    if !has("timezone") {
        note.timezone = note.timezone.take().or(facts.timezone);
    }
    if !has("title") {
        note.title = note.title.take().or(facts.title);
    }
    if !has("duration") {
        note.duration = note.duration.or(facts.duration);
    }
    if !has("location") {
        note.location = note.location.take().or(facts.location);
    }
    if !has("moderator") && !has("chair") {
        note.moderators = facts.moderators;
    }
    if !has("note_taker") {
        note.note_takers = facts.note_takers;
    }
    if !has("attendees") {
        note.attendees = facts.attendees;
    }
    if !has("regrets") {
        note.regrets = facts.regrets;
    }
    if !has("agenda") {
        note.agenda = facts.agenda;
    }
    if !has("outcomes") {
        note.outcomes = facts.outcomes;
    }
    if note.status.is_none() && facts.cancelled {
        note.status = Some(MeetingStatus::Cancelled);
    }
}
