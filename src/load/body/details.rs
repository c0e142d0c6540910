//! Line-level reading: the bold-label details list, `ACTION:` lines, the date
//! fallback from the first headings and lines, and cancellation notices.

use super::blocks::{BlockKind, Doc};
use super::text::{norm_words, strip_inline_md};
use super::{markers, people, BodyContext, BodyFacts, Pos};
use crate::diagnostics::Diagnostic;
use crate::load::dates::parse_loose_date;
use chrono::NaiveTime;

#[derive(Clone, Copy, PartialEq)]
enum Field {
    DateTime,
    Time,
    Zone,
    Moderator,
    NoteTaker,
    Location,
    Attendees,
}

fn field_of(label: &str) -> Option<Field> {
    let l = norm_words(label).join(" ");
    Some(match l.as_str() {
        "date time" | "date and time" | "date" | "when" | "time and date" | "time date"
        | "meeting date" | "meeting time" | "date time utc" => Field::DateTime,
        "time" | "start time" => Field::Time,
        "timezone" | "time zone" => Field::Zone,
        "moderator" | "moderators" | "chair" | "chairs" | "co chairs" | "chaired by"
        | "facilitator" | "facilitators" | "host" | "hosts" | "moderated by" => Field::Moderator,
        "note taker" | "note takers" | "notetaker" | "notetakers" | "scribe" | "scribes"
        | "minute taker" | "minutes taker" | "notes by" | "notes taken by" => Field::NoteTaker,
        "location" | "where" | "venue" | "place" => Field::Location,
        "attendees" | "attendance" | "present" | "participants" => Field::Attendees,
        _ => return None,
    })
}

/// Lines of `body` with their byte offsets, skipping code blocks.
fn lines<'a>(body: &'a str, doc: &'a Doc) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    let mut off = 0usize;
    body.split_inclusive('\n').filter_map(move |l| {
        let at = off;
        off += l.len();
        let in_code = doc.code.iter().any(|(s, e)| at >= *s && at < *e);
        (!in_code).then(|| (at, l.trim_end_matches(['\n', '\r'])))
    })
}

/// `**Label:** value` or `**Label**: value` at the start of a line (after a list marker).
fn label_line(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start();
    let t = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))
        .unwrap_or(t)
        .trim_start();
    let mark = if t.starts_with("**") {
        "**"
    } else if t.starts_with("__") {
        "__"
    } else {
        return None;
    };
    let inner = t.get(2..)?;
    let close = inner.find(mark)?;
    let label = inner.get(..close)?.trim();
    let value = inner.get(close + 2..)?.trim_start();
    let value = value.strip_prefix(':').unwrap_or(value).trim();
    let label = label.strip_suffix(':').unwrap_or(label).trim();
    Some((label, value))
}

/// `Attendees: Ana, Bo` or `Present: Ana` without bold, at the start of a line.
fn plain_attendees_line(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start();
    let t = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .unwrap_or(t);
    let (label, value) = t.split_once(':')?;
    (field_of(label) == Some(Field::Attendees) && !label.contains(['*', '_', '#']))
        .then_some((label, value.trim()))
}

/// Whether the first line of `raw` is a details label (`- **When:** ...`).
pub(crate) fn is_detail_line(raw: &str) -> bool {
    let first = raw.lines().next().unwrap_or("");
    label_line(first).is_some_and(|(l, _)| field_of(l).is_some())
}

/// Reads details labels and `ACTION:` lines.
pub(crate) fn read_lines(
    body: &str,
    doc: &Doc,
    pos: &Pos,
    ctx: &BodyContext,
    action_ranges: &[(usize, usize)],
    facts: &mut BodyFacts,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: Vec<Field> = Vec::new();
    for (at, line) in lines(body, doc) {
        let lead = line.len() - line.trim_start().len();
        let span = pos.span(at + lead);
        if let Some((label, value)) = label_line(line).or_else(|| plain_attendees_line(line)) {
            if let Some(f) = field_of(label).filter(|f| !seen.contains(f)) {
                if read_field(f, value, span, ctx, facts) {
                    seen.push(f);
                }
                continue;
            }
        }
        if action_ranges.iter().any(|(s, e)| at >= *s && at < *e) {
            continue;
        }
        match markers::action_line(line, span, ctx) {
            Some(Ok(item)) => facts.action_lines.push(item),
            Some(Err(rest)) => {
                let r = rest.trim().to_ascii_lowercase();
                if !r.is_empty() && !matches!(r.as_str(), "none" | "n/a" | "-") {
                    diags.push(
                        Diagnostic::warning(
                            "action-without-owner",
                            ctx.path,
                            span.line,
                            span.col,
                            format!(
                                "no owner found in action line \"{}\"",
                                super::text::short(line)
                            ),
                        )
                        .with_help("write it as `ACTION: Owner to task` or `ACTION(Owner): task`"),
                    );
                }
            }
            None => {}
        }
    }
}

fn read_field(
    f: Field,
    raw: &str,
    span: crate::model::Span,
    ctx: &BodyContext,
    facts: &mut BodyFacts,
) -> bool {
    let value = strip_inline_md(raw);
    if value.is_empty() {
        return false;
    }
    match f {
        Field::DateTime => {
            let mut any = false;
            if let Some(d) = parse_loose_date(&value, ctx.year_hint) {
                facts.date.get_or_insert((d, span));
                any = true;
            }
            if let Some((t, z)) = time_and_zone(&value) {
                facts.time.get_or_insert(t);
                if let Some(z) = z {
                    facts.timezone.get_or_insert(z);
                }
                any = true;
            }
            any
        }
        Field::Time => match time_and_zone(&value) {
            Some((t, z)) => {
                facts.time.get_or_insert(t);
                if let Some(z) = z {
                    facts.timezone.get_or_insert(z);
                }
                true
            }
            None => false,
        },
        Field::Zone => match zone_of(value.trim()) {
            Some(z) => {
                facts.timezone = Some(z);
                true
            }
            None => false,
        },
        Field::Moderator | Field::NoteTaker => {
            let list: Vec<_> = people::split_owners(&value)
                .into_iter()
                .filter_map(|p| people::parse_person(p, span))
                .collect();
            let into = if f == Field::Moderator {
                &mut facts.moderators
            } else {
                &mut facts.note_takers
            };
            let any = !list.is_empty();
            into.extend(list);
            any
        }
        Field::Location => {
            facts.location = Some(value);
            true
        }
        Field::Attendees if facts.attendees.is_empty() => {
            let list = people::people_in(&value, span);
            let any = !list.is_empty();
            facts.attendees.extend(list);
            any
        }
        Field::Attendees => true,
    }
}

/// The first time in `s` (`6:30pm`, `17:00`, `9am`, `10.30AM`) and the zone after it.
pub(crate) fn time_and_zone(s: &str) -> Option<(NaiveTime, Option<String>)> {
    let seg = s.split(" / ").next().unwrap_or(s);
    let seg = seg.split('(').next().unwrap_or(seg);
    let b = seg.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let prev_ok = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if !(b[i].is_ascii_digit() && prev_ok) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 3 {
            i += 1;
        }
        let Ok(h) = seg.get(start..i).unwrap_or("").parse::<u32>() else {
            continue;
        };
        if i - start > 2 {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            continue;
        }
        let mut m = 0;
        let mut colon = false;
        let mut dot = false;
        if i + 2 < b.len() + 1
            && matches!(b.get(i), Some(b':') | Some(b'.'))
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && b.get(i + 2).is_some_and(u8::is_ascii_digit)
            && !b.get(i + 3).is_some_and(u8::is_ascii_digit)
        {
            colon = b.get(i) == Some(&b':');
            dot = !colon;
            m = seg
                .get(i + 1..i + 3)
                .and_then(|x| x.parse().ok())
                .unwrap_or(0);
            i += 3;
        }
        let rest = seg.get(i..).unwrap_or("");
        let rt = rest.trim_start().to_ascii_lowercase();
        let ampm = ["am", "a.m.", "pm", "p.m."]
            .iter()
            .find(|p| {
                rt.starts_with(*p)
                    && !rt
                        .get(p.len()..)
                        .and_then(|r| r.chars().next())
                        .is_some_and(char::is_alphanumeric)
            })
            .copied();
        if !(colon || ampm.is_some()) || (dot && ampm.is_none()) {
            continue;
        }
        let mut hour = h;
        if let Some(p) = ampm {
            if hour == 0 || hour > 12 {
                continue;
            }
            let pm = p.starts_with('p');
            if pm && hour < 12 {
                hour += 12;
            } else if !pm && hour == 12 {
                hour = 0;
            }
        }
        let Some(t) = NaiveTime::from_hms_opt(hour, m, 0) else {
            continue;
        };
        let after_start = i + (rest.len() - rest.trim_start().len()) + ampm.map_or(0, str::len);
        let after = seg.get(after_start.min(seg.len())..).unwrap_or("");
        let zone = after
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .take(3)
            .find_map(zone_of);
        return Some((t, zone));
    }
    None
}

/// A zone as notes write it: `UTC`, `UTC+2`, `+02:00`, `Europe/Berlin`, `PT`, `CET`.
pub(crate) fn zone_of(w: &str) -> Option<String> {
    let w = w.trim_matches(|c: char| matches!(c, ',' | ';' | ')' | '(' | '.'));
    if w.is_empty() {
        return None;
    }
    let up = w.to_ascii_uppercase();
    let abbr = match up.as_str() {
        "UTC" | "GMT" | "Z" => Some("UTC"),
        "PT" | "PST" | "PDT" | "PACIFIC" => Some("America/Los_Angeles"),
        "ET" | "EST" | "EDT" | "EASTERN" => Some("America/New_York"),
        "CT" | "CST" | "CDT" | "CENTRAL" => Some("America/Chicago"),
        "MT" | "MST" | "MDT" => Some("America/Denver"),
        "CET" | "CEST" => Some("Europe/Berlin"),
        "BST" => Some("Europe/London"),
        "JST" => Some("Asia/Tokyo"),
        "AEST" | "AEDT" => Some("Australia/Sydney"),
        _ => None,
    };
    if let Some(a) = abbr {
        return Some(a.to_string());
    }
    if crate::text::parse_offset(w).is_some() {
        return Some(w.to_string());
    }
    if w.contains('/') && w.parse::<chrono_tz::Tz>().is_ok() {
        return Some(w.to_string());
    }
    None
}

/// A date from the first headings or the first lines, when the details gave none.
pub(crate) fn date_fallback(
    body: &str,
    doc: &Doc,
    pos: &Pos,
    ctx: &BodyContext,
    facts: &mut BodyFacts,
) {
    if facts.date.is_some() {
        return;
    }
    for b in doc
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
        .take(3)
    {
        if let BlockKind::Heading { text, .. } = &b.kind {
            if let Some(d) = parse_loose_date(text, ctx.year_hint) {
                facts.date = Some((d, pos.span(b.start)));
                return;
            }
        }
    }
    for (at, line) in lines(body, doc)
        .filter(|(_, l)| !l.trim().is_empty())
        .take(5)
    {
        if let Some(d) = parse_loose_date(&strip_inline_md(line), ctx.year_hint) {
            let lead = line.len() - line.trim_start().len();
            facts.date = Some((d, pos.span(at + lead)));
            return;
        }
    }
}

/// A cheap test every cancellation notice passes (it says `cancel…` or starts
/// with `no`), so that most lines are decided without allocating.
fn might_say_cancelled(s: &str) -> bool {
    let lead = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    lead.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("no"))
        || super::text::contains_ci(s, "cancel")
}

fn says_cancelled(s: &str) -> bool {
    if !might_say_cancelled(s) {
        return false;
    }
    let w = norm_words(s);
    let starts_no_meeting = w.first().is_some_and(|a| a == "no")
        && w.get(1).is_some_and(|b| b == "meeting" || b == "call");
    let cancel = w.iter().any(|x| x == "cancelled" || x == "canceled");
    starts_no_meeting
        || (cancel
            && (w.len() <= 4
                || w.iter().any(|x| {
                    matches!(
                        x.as_str(),
                        "meeting" | "call" | "session" | "today" | "week"
                    )
                })))
}

/// Whether the first headings or lines say the meeting was cancelled.
pub(crate) fn is_cancelled(body: &str, doc: &Doc) -> bool {
    let heads = doc
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Heading { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .take(2)
        .any(says_cancelled);
    heads
        || lines(body, doc)
            .filter(|(_, l)| !l.trim().is_empty())
            .take(12)
            .any(|(_, l)| might_say_cancelled(l) && says_cancelled(&strip_inline_md(l)))
}
