//! Action items: one list item of an Action items section, and `ACTION:` lines.

use super::markers;
use super::owners::{self, OwnerKind};
use super::people::parse_person;
use super::text::clean;
use super::BodyContext;
use crate::model::{BodyAction, DueSpec, EntryOrigin, ItemStatus, NewItem, Span};

/// Labels that open an item without naming an owner; some give a status.
const LABELS: &[(&str, Option<ItemStatus>)] = &[
    ("todo", Some(ItemStatus::Open)),
    ("to do", Some(ItemStatus::Open)),
    ("open", Some(ItemStatus::Open)),
    ("done", Some(ItemStatus::Done)),
    ("completed", Some(ItemStatus::Done)),
    ("complete", Some(ItemStatus::Done)),
    ("closed", Some(ItemStatus::Done)),
    ("in progress", Some(ItemStatus::InProgress)),
    ("wip", Some(ItemStatus::InProgress)),
    ("blocked", Some(ItemStatus::Blocked)),
    ("dropped", Some(ItemStatus::Dropped)),
    ("action", None),
    ("action item", None),
    ("ai", None),
    ("note", None),
    ("update", None),
    ("status", None),
    ("follow up", None),
    ("follow-up", None),
    ("next steps", None),
    ("carried over", None),
    ("fyi", None),
];

/// Tasks that say there is nothing to do (`Chairs: No action`).
pub(crate) fn is_no_task(task: &str) -> bool {
    let l = task.trim().to_ascii_lowercase();
    [
        "no action",
        "none",
        "n/a",
        "nothing",
        "as noted",
        "see above",
        "tbd",
        "no update",
        "as per",
        "see ",
    ]
    .iter()
    .any(|p| l.starts_with(p))
}

/// One top-level list item of an Action items section.
pub(crate) fn body_action(
    raw: &str,
    checkbox: Option<bool>,
    children: &[&str],
    span: Span,
    ctx: &BodyContext,
) -> BodyAction {
    let mut text = clean(raw);
    let mut checkbox = checkbox;
    // A box pulldown did not read (`[x]lf-guidance`, `[X] ...`).
    for (mark, done) in [("[ ]", false), ("[x]", true), ("[X]", true)] {
        if let Some(rest) = text.strip_prefix(mark) {
            checkbox.get_or_insert(done);
            text = rest.trim().to_string();
            break;
        }
    }
    let lead = lead_of(&text, checkbox.is_some());
    let mut status = checkbox.map(|d| {
        if d {
            ItemStatus::Done
        } else {
            ItemStatus::Open
        }
    });
    let parsed = parse_new(&text, ctx, &mut status).or_else(|| {
        // `- Owner` with the tasks nested below it.
        let name = text.trim_end_matches(':').trim();
        let tasks: Vec<String> = children
            .iter()
            .map(|c| clean(c))
            .filter(|c| !c.is_empty())
            .collect();
        (owners_ok(name, ctx) && !tasks.is_empty()).then(|| (owned(name), tasks.join("; "), None))
    });
    let item = parsed.map(|(owners, task, due)| {
        new_item(&owners, task, due, status, span, EntryOrigin::BodySection)
    });
    let item =
        item.filter(|i| (!i.owners.is_empty() || i.group_owner.is_some()) && !i.task.is_empty());
    BodyAction {
        lead,
        checkbox,
        item,
        text,
        span,
    }
}

fn looks_like_id(w: &str, boxed: bool) -> bool {
    let chars_ok = !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !w.starts_with('-')
        && !w.ends_with('-');
    chars_ok && (w.contains('-') || (boxed && w.chars().any(|c| c.is_ascii_lowercase())))
}

/// The first word (without a trailing `:`) and the rest, when it could be an id.
fn lead_of(text: &str, boxed: bool) -> Option<(String, String)> {
    let (first, rest) = match text.split_once(char::is_whitespace) {
        Some((f, r)) => (f, r.trim()),
        None => (text, ""),
    };
    let word = first.strip_suffix(':').unwrap_or(first);
    // Without a box, a bare lower-case word only counts when the whole item is an id.
    let ok = looks_like_id(word, boxed) && (word.contains('-') || rest.is_empty());
    ok.then(|| (word.to_string(), rest.to_string()))
}

/// A trailing `(due 2022-01-19)`, `(due next meeting)` or `(due +2 meetings)`.
pub(crate) fn split_due(text: &str) -> (String, Option<DueSpec>) {
    let t = text.trim_end();
    let lower = t.to_ascii_lowercase();
    let Some(open) = lower.rfind("(due") else {
        return (t.to_string(), None);
    };
    if !t.ends_with(')') {
        return (t.to_string(), None);
    }
    let inner = lower.get(open + 4..lower.len() - 1).unwrap_or("");
    let inner = inner.trim_start_matches(':').trim();
    let due = if let Some(d) = super::super::dates::parse_loose_date(inner, None) {
        Some(DueSpec::Date(d))
    } else if inner == "next meeting" {
        Some(DueSpec::Meetings(1))
    } else {
        inner
            .strip_prefix('+')
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .filter(|n| *n > 0)
            .map(DueSpec::Meetings)
    };
    match due {
        Some(d) => (t.get(..open).unwrap_or("").trim_end().to_string(), Some(d)),
        None => (t.to_string(), None),
    }
}

fn is_label(s: &str) -> Option<Option<ItemStatus>> {
    let l = s.trim().trim_matches(['*', '_']).to_ascii_lowercase();
    LABELS.iter().find(|(n, _)| *n == l).map(|(_, st)| *st)
}

/// Whether `s` reads as one or more owners' names, or as the whole group.
pub(crate) fn owners_ok(s: &str, ctx: &BodyContext) -> bool {
    owners::kind_of(s, ctx.is_person) != OwnerKind::Not
}

/// Owners, task and due date of an action text, per FORMAT.md's precedence: the first
/// form that matches decides (labels and markers, then an owner before the task, then
/// an owner after it).
pub(crate) fn parse_new(
    text: &str,
    ctx: &BodyContext,
    status: &mut Option<ItemStatus>,
) -> Option<(Vec<String>, String, Option<DueSpec>)> {
    let (t, due) = split_due(markers::strip_trailing_marker(text));
    let t = match strip_labels(markers::strip_struck(&t), ctx, status) {
        Ok(t) => t,
        Err((owners, task)) => return finish(owners, task, due),
    };
    let t = t.trim();
    let (owners, task) = owner_first(t, ctx).or_else(|| owner_last(t, ctx, *status))?;
    finish(owners, task, due)
}

/// Labels (`TODO:`, `Done:`, `ACTION:`) off the front, their status kept; `Err` with
/// owners and task when an `ACTION(Owner):` form names the owner itself.
fn strip_labels(
    mut t: String,
    ctx: &BodyContext,
    status: &mut Option<ItemStatus>,
) -> Result<String, (Vec<String>, String)> {
    if let Some(m) = markers::action_prefix(&t) {
        match m.owner {
            Some(o) if m.explicit || owners_ok(&o, ctx) => return Err((owned(&o), m.rest)),
            Some(_) => {}
            None => t = m.rest,
        }
    }
    while let Some((before, after)) = t.split_once(": ") {
        let Some(st) = is_label(before) else { break };
        if status.is_none() {
            *status = st;
        }
        t = after.trim().to_string();
    }
    Ok(t)
}

/// An owner written before the task: `[Owner] task`, `(Owner): task`, `task (@handle)`,
/// `Owner: task`, `Owner takes the action to task`, `Owner to task`, `@handle task`.
fn owner_first(t: &str, ctx: &BodyContext) -> Option<(Vec<String>, String)> {
    // [Owner] task / [Owner & Other] task
    if let Some(inner) = t.strip_prefix('[') {
        if let Some((who, rest)) = inner.split_once(']') {
            let rest = rest.trim_start().trim_start_matches([':', '-', '–']).trim();
            if !who.contains(':') && owners_ok(who, ctx) && !rest.is_empty() {
                return Some((owned(who), rest.to_string()));
            }
        }
    }
    // (Owner): task / (Owner) - task
    if let Some(inner) = t.strip_prefix('(') {
        if let Some((who, rest)) = inner.split_once(')') {
            let r = rest.trim_start();
            if (r.starts_with(':') || r.starts_with("- ") || r.starts_with("– "))
                && owners_ok(who, ctx)
            {
                return Some((
                    owned(who),
                    r.trim_start_matches([':', '-', '–']).to_string(),
                ));
            }
        }
    }
    // task (@handle): a handle in trailing parentheses names the owner before anything else.
    if let Some((task, inner)) = trailing_paren(t) {
        if inner.starts_with('@') && owners_ok(inner, ctx) {
            return Some((owned(inner), task.to_string()));
        }
    }
    // Owner: task / @handle: task / Owner & Other: task
    if let Some((before, after)) = t.split_once(": ") {
        if owners_ok(before, ctx) {
            return Some((owned(before), after.to_string()));
        }
    }
    // `Owner takes the action to task`
    if let Some((who, task)) = markers::take_action(t) {
        if owners_ok(&who, ctx) {
            return Some((owned(&who), task));
        }
    }
    // Owner to task / Owner will task
    for sep in [" to ", " will ", " needs to ", " need to ", " should "] {
        if let Some((before, after)) = t.split_once(sep) {
            if owners_ok(before, ctx) {
                return Some((owned(before), after.to_string()));
            }
        }
    }
    // @handle task / @handle & @other task
    if t.starts_with('@') {
        if let Some((hs, rest)) = leading_handles(t) {
            return Some((hs, rest.to_string()));
        }
    }
    None
}

/// An owner written after the task, or around it: `task (Owner)`, `task (Owner) - note`,
/// `To draft it. (Chris) More.`, `task [@owner]`, `Name - task`, `task: Owner` (an item
/// with a status), `Joe B (handle) task`, `Terry reach out to Sig-Docs`.
fn owner_last(
    t: &str,
    ctx: &BodyContext,
    status: Option<ItemStatus>,
) -> Option<(Vec<String>, String)> {
    // task (Owner) / task (Owner, Other) / task (… driven by Owner)
    if let Some((task, inner)) = trailing_paren(t) {
        if owners_ok(inner, ctx) {
            return Some((owned(inner), task.to_string()));
        }
        let lower = inner.to_ascii_lowercase();
        for key in ["driven by ", "owner: ", "owned by ", "owner "] {
            if let Some(at) = lower.rfind(key) {
                let who = inner.get(at + key.len()..).unwrap_or("").trim();
                if owners_ok(who, ctx) {
                    return Some((owned(who), task.to_string()));
                }
            }
        }
    }
    // task (Owner) - See https://… : the note after the owner is not the task
    for sep in [" - ", " – "] {
        if let Some((before, _)) = t.rsplit_once(sep) {
            if let Some((task, inner)) = trailing_paren(before) {
                if owners_ok(inner, ctx) {
                    return Some((owned(inner), task.to_string()));
                }
            }
        }
    }
    // `To draft the paper. (Chris) Markdown on GitHub.`: the owner after the sentence.
    if let Some(at) = t.find(". (") {
        let after = t.get(at + 3..).unwrap_or("");
        if let Some((who, _)) = after.split_once(')') {
            if owners_ok(who, ctx) && !who.contains(' ') {
                let task = t
                    .get(..at + 1)
                    .unwrap_or("")
                    .trim_start_matches("to ")
                    .trim();
                return Some((owned(who), task.to_string()));
            }
        }
    }
    owner_bracketed_or_named(t, ctx, status)
}

/// `task [@owner & @other]`, `Name - task`, `task: Owner` (an item with a status),
/// `Joe B (handle) task`, and a known name before a verb.
fn owner_bracketed_or_named(
    t: &str,
    ctx: &BodyContext,
    status: Option<ItemStatus>,
) -> Option<(Vec<String>, String)> {
    // task [@owner & @other]
    if let Some(body) = t.strip_suffix(']') {
        if let Some(open) = body.rfind('[') {
            let (task, who) = (
                body.get(..open).unwrap_or("").trim(),
                body.get(open + 1..).unwrap_or(""),
            );
            if !task.is_empty() && owners_ok(who, ctx) {
                return Some((owned(who), task.to_string()));
            }
        }
    }
    // Name - task
    for sep in [" - ", " – ", " — "] {
        if let Some((before, after)) = t.split_once(sep) {
            if owners_ok(before, ctx) {
                return Some((owned(before), after.to_string()));
            }
        }
    }
    // task: Owner and Other (a checked-off item that names its owners last)
    if status.is_some() {
        if let Some((task, who)) = t.rsplit_once(": ") {
            if owners_ok(who, ctx) && task.split_whitespace().count() > 2 {
                return Some((owned(who), task.to_string()));
            }
        }
    }
    // `Joe B (Ulrick28) Add the topic`: a known name, its handle in parentheses, the task.
    if let Some((who, rest)) = t.split_once(" (") {
        if let Some((handle, task)) = rest.split_once(") ") {
            if !handle.contains(' ') && (ctx.is_person)(who) && task.split_whitespace().count() >= 2
            {
                return Some((owned(who), task.to_string()));
            }
        }
    }
    name_then_verb(t, ctx).map(|(who, task)| (owned(who), task.to_string()))
}

/// The handles a line opens with (`@a & @b spec doc`, `@a, @b: review`) and the rest.
fn leading_handles(t: &str) -> Option<(Vec<String>, &str)> {
    let mut handles = Vec::new();
    let mut rest = t;
    loop {
        let r = rest.trim_start();
        let Some((w, after)) = r.split_once(char::is_whitespace) else {
            break;
        };
        let h = w.trim_end_matches([':', ',']);
        if h.starts_with('@') && h.len() > 1 {
            handles.push(h.to_string());
            rest = after;
            if w.ends_with(':') {
                break;
            }
        } else if matches!(w, "&" | "and" | "+" | ",")
            && !handles.is_empty()
            && after.trim_start().starts_with('@')
        {
            rest = after;
        } else {
            break;
        }
    }
    (!handles.is_empty()).then_some((handles, rest.trim_start()))
}

/// `Terry reach out to Sig-Docs`, `Max & David find a time`: a name (one to three
/// capitalised words, or names joined by `&`/`and`) and then a lower-case word.
fn name_then_verb<'t>(t: &'t str, ctx: &BodyContext) -> Option<(&'t str, &'t str)> {
    let mut ends = t
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i);
    let mut best = None;
    for _ in 0..5 {
        let Some(at) = ends.next() else { break };
        let (who, rest) = (t.get(..at)?.trim(), t.get(at..)?.trim_start());
        let next = rest.split_whitespace().next().unwrap_or("");
        let last = who.split_whitespace().last().unwrap_or("");
        if matches!(last, "&" | "and" | "+") {
            continue;
        }
        // `Michael, what about Express?`: a speaker and a question, not an item.
        if who.ends_with(',') || t.trim_end().ends_with('?') {
            break;
        }
        let full_known = who.contains(' ') && (ctx.is_person)(who);
        let lower_next = (next.chars().next().is_some_and(char::is_lowercase) || full_known)
            && !owners::PARTICLES.contains(&next)
            && !matches!(next, "and" | "&" | "+");
        let named = who
            .split_whitespace()
            .filter(|w| !matches!(*w, "&" | "and" | "+"))
            .all(|w| w.starts_with('@') || w.chars().next().is_some_and(char::is_uppercase));
        // Only a name the site or this note knows, or a handle: a capitalised word
        // before a lower-case one is as often a sentence.
        let known = owners::split_list(who)
            .iter()
            .all(|p| p.starts_with('@') || (ctx.is_person)(p));
        if lower_next && named && known && rest.split_whitespace().count() >= 2 {
            best = Some((who, rest));
            break;
        }
        if !named {
            break;
        }
    }
    best
}

/// `Name - task` (a name of at most three words, or a handle), as outcome sections
/// list action items; `None` for anything else.
pub(crate) fn name_dash_task(t: &str, span: Span, ctx: &BodyContext) -> Option<BodyAction> {
    let (who, task) = [" - ", " – ", " — "]
        .iter()
        .find_map(|sep| t.split_once(sep))?;
    let who = who.trim();
    let words = who.split_whitespace().count();
    let named = (1..=3).contains(&words)
        && who
            .split_whitespace()
            .all(|w| w.starts_with('@') || w.chars().next().is_some_and(char::is_uppercase));
    if !named || !owners_ok(who, ctx) {
        return None;
    }
    let (owners, task, due) = finish(owned(who), task.to_string(), None)?;
    Some(BodyAction {
        lead: None,
        checkbox: None,
        item: Some(new_item(
            &owners,
            task,
            due,
            None,
            span,
            EntryOrigin::BodySection,
        )),
        text: t.to_string(),
        span,
    })
}

/// `task (inner)`: the task and the text of the trailing parentheses.
fn trailing_paren(t: &str) -> Option<(&str, &str)> {
    let body = t.strip_suffix(')')?;
    let open = body.rfind('(')?;
    let task = body.get(..open)?.trim();
    let inner = body.get(open + 1..)?.trim();
    (!task.is_empty() && !inner.is_empty()).then_some((task, inner))
}

pub(crate) fn owned(s: &str) -> Vec<String> {
    owners::split_list(s)
}

pub(crate) fn finish(
    owners: Vec<String>,
    task: String,
    due: Option<DueSpec>,
) -> Option<(Vec<String>, String, Option<DueSpec>)> {
    let task = clean(task.trim().trim_start_matches([':', '-', '–']).trim());
    (!owners.is_empty() && !task.is_empty() && !is_no_task(&task)).then_some((owners, task, due))
}

/// The new item `owners` (names as written) are to do, read from `origin`. Owners that
/// name the whole group make a group-owned item; no owners, an unassigned one.
pub(crate) fn new_item(
    owners: &[String],
    task: String,
    due: Option<DueSpec>,
    status: Option<ItemStatus>,
    span: Span,
    origin: EntryOrigin,
) -> NewItem {
    let group = owners.iter().any(|o| owners::is_group(o));
    let (people, group_owner) = if group {
        (Vec::new(), Some(owners.join(", ")))
    } else {
        (
            owners
                .iter()
                .filter_map(|o| parse_person(o, span))
                .collect(),
            None,
        )
    };
    NewItem {
        id: None,
        owners: people,
        group_owner,
        task,
        due,
        status,
        span,
        origin,
    }
}
