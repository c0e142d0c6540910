//! Line-level reading: the bold-label details list, `ACTION:` lines, the date
//! fallback from the first headings and lines, and cancellation notices.

use super::blocks::{BlockKind, Doc};
use super::text::{norm_words, strip_inline_md};
use super::times::{time_spec, zone_check, zone_of};
use super::{markers, people, BodyContext, BodyFacts, Pos};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::dates::{date_line, parse_loose_date};

#[derive(Clone, Copy, PartialEq)]
enum Field {
    DateTime,
    Time,
    Zone,
    Moderator,
    NoteTaker,
    Location,
    Attendees,
    Regrets,
}

fn field_of(label: &str) -> Option<Field> {
    let l = norm_words(label).join(" ");
    Some(match l.as_str() {
        "date time"
        | "date and time"
        | "date"
        | "dates"
        | "when"
        | "time and date"
        | "time date"
        | "meeting date"
        | "meeting time"
        | "date time utc"
        | "meeting date and time"
        | "meeting date time"
        | "day" => Field::DateTime,
        "time" | "times" | "start time" | "time utc" | "meeting times" | "start" => Field::Time,
        "timezone" | "time zone" => Field::Zone,
        "moderator" | "moderators" | "chair" | "chairs" | "co chairs" | "chaired by"
        | "facilitator" | "facilitators" | "host" | "hosts" | "moderated by" => Field::Moderator,
        "note taker" | "note takers" | "notetaker" | "notetakers" | "scribe" | "scribes"
        | "minute taker" | "minutes taker" | "notes by" | "notes taken by" => Field::NoteTaker,
        "location" | "where" | "venue" | "place" => Field::Location,
        "attendees" | "attendance" | "present" | "participants" | "attending" | "in attendance" => {
            Field::Attendees
        }
        "regrets" | "apologies" | "absent" | "not present" | "excused" => Field::Regrets,
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
        .or_else(|| t.strip_prefix('-').filter(|r| r.starts_with("**")))
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
    (matches!(field_of(label), Some(Field::Attendees | Field::Regrets))
        && !label.contains(['*', '_', '#']))
    .then_some((label, value.trim()))
}

/// `| Attending | Ana, Bo |`: a table row whose first cell is a details label.
fn label_row(line: &str) -> Option<(&str, &str)> {
    let t = line.trim().strip_prefix('|')?;
    let mut cells = t.split('|');
    let label = cells.next()?.trim();
    let value = cells.next()?.trim();
    field_of(label.trim_end_matches(':'))
        .is_some()
        .then_some((label, value))
}

/// Whether the first line of `raw` is a details label (`- **When:** ...`),
/// or a `Regrets:` line (read as regrets wherever it stands).
pub(crate) fn is_detail_line(raw: &str) -> bool {
    let first = raw.lines().next().unwrap_or("");
    label_line(first).is_some_and(|(l, _)| field_of(l).is_some())
        || plain_attendees_line(first).is_some_and(|(l, _)| field_of(l) == Some(Field::Regrets))
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
    // `- **Times**:` with the value in the list item nested below it.
    let mut pending: Option<(Field, usize)> = None;
    // Whether the line before was an action line (`Action: Michael to open issue`).
    let mut after_action = false;
    for (at, line) in lines(body, doc) {
        let lead = line.len() - line.trim_start().len();
        let span = pos.span(at + lead);
        if let Some((f, indent)) = pending.take() {
            let t = line.trim_start();
            let item = t.strip_prefix("- ").or_else(|| t.strip_prefix("* "));
            match item {
                Some(v) if lead > indent => {
                    if read_field(f, v, span, ctx, facts) {
                        seen.push(f);
                    }
                    continue;
                }
                _ if t.is_empty() => {
                    pending = Some((f, indent));
                    continue;
                }
                _ => {}
            }
        }
        if let Some((label, value)) = label_line(line)
            .or_else(|| plain_attendees_line(line))
            .or_else(|| label_row(line))
        {
            if let Some(f) = field_of(label).filter(|f| !seen.contains(f)) {
                if strip_inline_md(value).is_empty() && f != Field::Attendees {
                    pending = Some((f, lead));
                } else if read_field(f, value, span, ctx, facts) {
                    seen.push(f);
                }
                continue;
            }
        }
        if action_ranges.iter().any(|(s, e)| at >= *s && at < *e) {
            continue;
        }
        let follows_action = std::mem::take(&mut after_action);
        if follows_action {
            if let Some(item) = markers::next_owner_line(line, span, ctx) {
                facts.action_lines.push(item);
                after_action = true;
                continue;
            }
        }
        match markers::action_line(line, span, ctx) {
            Some(Ok(mut item)) => {
                // `~~ACTION: Bo to sell the stand~~`: struck through, not open work.
                if super::section_items::is_struck(line) {
                    item.status = Some(crate::model::ItemStatus::Done);
                }
                facts.action_lines.push(item);
                after_action = true;
            }
            Some(Err(rest)) => {
                let r = rest.trim().to_ascii_lowercase();
                if !r.is_empty() && !matches!(r.as_str(), "none" | "n/a" | "-") {
                    diags.push(
                        Diagnostic::warning(
                            Code::ActionWithoutOwner,
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

/// The time, zone and length a details value gives; the first zone of several
/// side by side is the meeting's, the others checked once the date is known.
fn read_time(value: &str, span: crate::model::Span, facts: &mut BodyFacts) -> bool {
    let Some(t) = time_spec(value) else {
        return false;
    };
    if facts.time.is_some() {
        return true;
    }
    facts.time = Some(t.time);
    if facts.duration.is_none() {
        facts.duration = t.duration;
    }
    if let Some(z) = &t.zone {
        facts.timezone.get_or_insert(z.clone());
    }
    facts.zone_check = zone_check(value, &t, span);
    true
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
            any | read_time(&value, span, facts)
        }
        Field::Time => read_time(&value, span, facts),
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
        Field::Regrets => {
            let list = people::people_in(&value, span);
            let any = !list.is_empty();
            for p in list {
                if !facts.regrets.iter().any(|r| r.name == p.name) {
                    facts.regrets.push(p);
                }
            }
            any
        }
    }
}

/// A date from the first headings or the first lines, when the details gave
/// none: a heading naming the meeting and its date, or a date line (see
/// [`date_line`]). Links and URLs are left out of lines first.
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
            if let Some(d) = date_line(&without_urls(text), ctx.year_hint, 8) {
                facts.date = Some((d, pos.span(b.start)));
                return;
            }
        }
    }
    for (at, line) in lines(body, doc)
        .filter(|(_, l)| !l.trim().is_empty())
        .take(5)
    {
        if let Some(d) = date_line(&without_links(line), ctx.year_hint, 2) {
            let lead = line.len() - line.trim_start().len();
            facts.date = Some((d, pos.span(at + lead)));
            return;
        }
    }
}

/// A line's plain text without its bare URLs.
fn without_urls(s: &str) -> String {
    let mut t = strip_inline_md(s);
    while let Some((a, b)) = super::text::bare_url(&t) {
        t.replace_range(a..b, " ");
    }
    t
}

/// A line's plain text without its links (text and target) and bare URLs.
fn without_links(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('[') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let tail = rest.get(i..).unwrap_or("");
        match tail
            .find("](")
            .and_then(|c| tail.get(c..)?.find(')').map(|e| c + e))
        {
            Some(end) => {
                out.push(' ');
                rest = tail.get(end + 1..).unwrap_or("");
            }
            None => {
                out.push('[');
                rest = tail.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    without_urls(&out)
}

/// A time with its zone from the lines before the first section (attendees,
/// agenda, ...), when the details gave none: `4PM PT on the last Tuesday`,
/// `Thursday, Mar 05, 2020 (9:00-10:00am PT)`. Only a time a zone follows.
pub(crate) fn time_fallback(body: &str, doc: &Doc, pos: &Pos, facts: &mut BodyFacts) {
    let stop = doc
        .blocks
        .iter()
        .find(|b| match &b.kind {
            BlockKind::Heading { text, .. } => super::section_of(text).is_some(),
            _ => false,
        })
        .map_or(body.len(), |b| b.start);
    for (at, line) in lines(body, doc)
        .filter(|(_, l)| !l.trim().is_empty())
        .take(40)
    {
        if at >= stop {
            break;
        }
        let text = without_urls(line);
        if let Some(t) = time_spec(&text).filter(|t| t.zone.is_some()) {
            let lead = line.len() - line.trim_start().len();
            facts.zone_check = zone_check(&text, &t, pos.span(at + lead));
            facts.time = Some(t.time);
            facts.duration = facts.duration.or(t.duration);
            if facts.timezone.is_none() {
                facts.timezone = t.zone;
            }
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
