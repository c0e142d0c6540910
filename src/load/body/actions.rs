//! Action items: one list item of an Action items section, and `ACTION:` lines.

use super::people::{parse_person, split_owners};
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

/// Words that start sentences, never owners (`We will…`, `Need to…`).
const NOT_OWNERS: &[&str] = &[
    "we",
    "i",
    "they",
    "he",
    "she",
    "you",
    "it",
    "this",
    "that",
    "there",
    "someone",
    "somebody",
    "everyone",
    "everybody",
    "all",
    "nobody",
    "need",
    "needs",
    "todo",
    "none",
    "no",
    "tbd",
    "also",
    "then",
    "still",
    "please",
    "who",
    "what",
    "action",
    "actions",
    "next",
    "new",
    "done",
    "open",
];

/// Tasks that say there is nothing to do (`Chairs: No action`).
fn is_no_task(task: &str) -> bool {
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
    ]
    .iter()
    .any(|p| l.starts_with(p))
}

/// Particles that may be lower-case inside a name.
const PARTICLES: &[&str] = &[
    "van", "de", "von", "der", "da", "del", "la", "le", "di", "du", "bin",
];

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
    let item = item.filter(|i| !i.owners.is_empty() && !i.task.is_empty());
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
fn split_due(text: &str) -> (String, Option<DueSpec>) {
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

/// Whether `s` reads as one or more owners' names.
fn owners_ok(s: &str, ctx: &BodyContext) -> bool {
    let s = s.trim();
    if s.is_empty() || s.contains("://") {
        return false;
    }
    if (ctx.is_person)(s) {
        return true;
    }
    let parts = split_owners(s);
    !parts.is_empty()
        && parts.iter().all(|p| {
            if (ctx.is_person)(p) {
                return true;
            }
            let words: Vec<&str> = p.split_whitespace().collect();
            if words.is_empty() || words.len() > 4 {
                return false;
            }
            if words.len() == 1 && NOT_OWNERS.contains(&words[0].to_lowercase().as_str()) {
                return false;
            }
            if words.len() == 1 {
                let w = words[0].trim_start_matches('@');
                return w.chars().next().is_some_and(char::is_alphabetic)
                    && w.chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '\''));
            }
            words.iter().all(|w| {
                w.starts_with('@')
                    || w.chars().next().is_some_and(char::is_uppercase)
                    || PARTICLES.contains(w)
            })
        })
}

/// Owners, task and due date of an action text, per FORMAT.md's precedence.
pub(crate) fn parse_new(
    text: &str,
    ctx: &BodyContext,
    status: &mut Option<ItemStatus>,
) -> Option<(Vec<String>, String, Option<DueSpec>)> {
    let (mut t, due) = split_due(text);
    // Labels (`TODO:`, `Done:`, `ACTION:`) and `ACTION(Owner):` forms first.
    if let Some((owners, task)) = action_prefix(&t) {
        match owners {
            Some(o) => return finish(vec![o], task, due),
            None => t = task,
        }
    }
    while let Some((before, after)) = t.split_once(": ") {
        let Some(st) = is_label(before) else { break };
        if status.is_none() {
            *status = st;
        }
        t = after.trim().to_string();
    }
    let t = t.trim();
    // [Owner] task / [Owner & Other] task
    if let Some(inner) = t.strip_prefix('[') {
        if let Some((who, rest)) = inner.split_once(']') {
            let rest = rest.trim_start().trim_start_matches([':', '-', '–']).trim();
            if !who.contains(':') && owners_ok(who, ctx) && !rest.is_empty() {
                return finish(owned(who), rest.to_string(), due);
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
                return finish(
                    owned(who),
                    r.trim_start_matches([':', '-', '–']).to_string(),
                    due,
                );
            }
        }
    }
    // task (@handle): a handle in trailing parentheses names the owner before anything else.
    if let Some((task, inner)) = trailing_paren(t) {
        if inner.starts_with('@') && owners_ok(inner, ctx) {
            return finish(owned(inner), task.to_string(), due);
        }
    }
    // Owner: task / @handle: task / Owner & Other: task
    if let Some((before, after)) = t.split_once(": ") {
        if owners_ok(before, ctx) {
            return finish(owned(before), after.to_string(), due);
        }
    }
    // Owner to task / Owner will task
    for sep in [" to ", " will "] {
        if let Some((before, after)) = t.split_once(sep) {
            if owners_ok(before, ctx) {
                return finish(owned(before), after.to_string(), due);
            }
        }
    }
    // @handle task
    if t.starts_with('@') {
        if let Some((h, rest)) = t.split_once(char::is_whitespace) {
            let h = h.trim_end_matches([':', ',']);
            if h.len() > 1 {
                return finish(vec![h.to_string()], rest.to_string(), due);
            }
        }
    }
    // task (Owner) / task (Owner, Other) / task (… driven by Owner)
    if let Some((task, inner)) = trailing_paren(t) {
        if owners_ok(inner, ctx) {
            return finish(owned(inner), task.to_string(), due);
        }
        let lower = inner.to_ascii_lowercase();
        for key in ["driven by ", "owner: ", "owned by ", "owner "] {
            if let Some(at) = lower.rfind(key) {
                let who = inner.get(at + key.len()..).unwrap_or("").trim();
                if owners_ok(who, ctx) {
                    return finish(owned(who), task.to_string(), due);
                }
            }
        }
    }
    // Name - task
    for sep in [" - ", " – ", " — "] {
        if let Some((before, after)) = t.split_once(sep) {
            if owners_ok(before, ctx) {
                return finish(owned(before), after.to_string(), due);
            }
        }
    }
    // task: Owner and Other (a checked-off item that names its owners last)
    if status.is_some() {
        if let Some((task, who)) = t.rsplit_once(": ") {
            if owners_ok(who, ctx) && task.split_whitespace().count() > 2 {
                return finish(owned(who), task.to_string(), due);
            }
        }
    }
    None
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

fn owned(s: &str) -> Vec<String> {
    split_owners(s).into_iter().map(str::to_string).collect()
}

fn finish(
    owners: Vec<String>,
    task: String,
    due: Option<DueSpec>,
) -> Option<(Vec<String>, String, Option<DueSpec>)> {
    let task = clean(task.trim().trim_start_matches([':', '-', '–']).trim());
    (!owners.is_empty() && !task.is_empty() && !is_no_task(&task)).then_some((owners, task, due))
}

/// `ACTION: rest`, `ACTION(Owner): task`, `[ACTION: Owner] task`, `AI(xy): task`,
/// `AI[xy] task`, `Action item: rest`. Returns the owner when the form names one,
/// and the rest of the text.
fn action_prefix(t: &str) -> Option<(Option<String>, String)> {
    let t = t.trim();
    // [ACTION: Lee] task
    if let Some(inner) = t.strip_prefix('[') {
        let close = inner.find(']')?;
        let head = inner.get(..close)?;
        let (kw, who) = head.split_once(':')?;
        if !is_action_word(kw) {
            return None;
        }
        let rest = inner.get(close + 1..)?.trim();
        return Some((Some(who.trim().to_string()), rest.to_string()));
    }
    // The keyword: the first one or two words.
    let lower = t.to_ascii_lowercase();
    let kw_len = ["action items", "action item", "actions", "action", "ai"]
        .iter()
        .find(|k| {
            lower.starts_with(*k)
                && !lower
                    .get(k.len()..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_alphanumeric)
        })
        .map(|k| k.len())?;
    let rest = t.get(kw_len..)?.trim_start();
    // ACTION(Owner): task / AI[xy] task
    for (o, c) in [('(', ')'), ('[', ']')] {
        if let Some(inner) = rest.strip_prefix(o) {
            let close = inner.find(c)?;
            let who = inner.get(..close)?.trim();
            let task = inner.get(close + 1..)?.trim_start().trim_start_matches(':');
            return Some((Some(who.to_string()), task.trim().to_string()));
        }
    }
    // ACTION: rest / Action - rest / Action – rest
    for sep in [":", "- ", "– ", "— ", "-> "] {
        if let Some(r) = rest.strip_prefix(sep) {
            return Some((None, r.trim().to_string()));
        }
    }
    // `Action Tony – take it to marketing`: a name right after the keyword, then a dash.
    if kw_len > 2
        && t.get(..kw_len)
            .is_some_and(|k| k.chars().next().is_some_and(char::is_uppercase))
    {
        for sep in [" - ", " – ", " — "] {
            if let Some((who, task)) = rest.split_once(sep) {
                let words = who.split_whitespace().count();
                if (1..=3).contains(&words)
                    && who
                        .split_whitespace()
                        .all(|w| w.chars().next().is_some_and(char::is_uppercase))
                {
                    return Some((Some(who.to_string()), task.trim().to_string()));
                }
            }
        }
    }
    None
}

fn is_action_word(kw: &str) -> bool {
    matches!(
        kw.trim().to_ascii_lowercase().as_str(),
        "action" | "actions" | "action item" | "action items" | "ai"
    )
}

/// A cheap test every action line passes: it holds `action`, or `ai` before
/// `(`, `[`, `:` or a space (ASCII case ignored).
fn may_be_action_line(line: &str) -> bool {
    let b = line.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        (c == b'a' || c == b'A')
            && match b.get(i + 1) {
                Some(b'i' | b'I') => matches!(b.get(i + 2), Some(b'(' | b'[' | b':' | b' ')),
                Some(b'c' | b'C') => b
                    .get(i..i + 6)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"action")),
                _ => false,
            }
    })
}

/// An `ACTION:` line anywhere in the body (its raw markdown, one line).
/// `Err(())` when the line is an action line but names no owner.
pub(crate) fn action_line(
    line: &str,
    span: Span,
    ctx: &BodyContext,
) -> Option<Result<NewItem, String>> {
    if !may_be_action_line(line) {
        return None;
    }
    let t = super::text::strip_inline_md(line);
    // Any bullet: `-`, `*`, `•`, `->`, a private-use glyph, `o` and a tab.
    let t = t.strip_prefix("o\t").unwrap_or(&t);
    let t = t
        .trim_start_matches(|c: char| !(c.is_alphanumeric() || matches!(c, '[' | '(' | '@' | '_')))
        .trim_start();
    // `(Owner) [Action item] - task`
    if let Some(found) = owner_then_label(t) {
        let (who, rest) = found;
        let (task, due) = split_due(&rest);
        return Some(match finish(owned(&who), task, due) {
            Some((owners, task, due)) => Ok(new_item(
                &owners,
                task,
                due,
                None,
                span,
                EntryOrigin::ActionLine,
            )),
            None => Err(rest),
        });
    }
    // `Owner: task (ACTION)`
    let marked = t
        .strip_suffix("(ACTION)")
        .or_else(|| t.strip_suffix("(action)"));
    if let Some(rest) = marked {
        let mut status = None;
        return Some(match parse_new(rest.trim(), ctx, &mut status) {
            Some((owners, task, due)) => Ok(new_item(
                &owners,
                task,
                due,
                status,
                span,
                EntryOrigin::ActionLine,
            )),
            None => Err(rest.to_string()),
        });
    }
    let t = t
        .split_once(". ")
        .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        .map_or(t, |(_, r)| r);
    let (who, rest) = action_prefix(t)?;
    let mut status = None;
    let parsed = match who {
        Some(w) if !w.is_empty() => {
            let (task, due) = split_due(&rest);
            finish(owned(&w), task, due)
        }
        _ => parse_new(&rest, ctx, &mut status),
    };
    let Some((owners, task, due)) = parsed else {
        return Some(Err(rest));
    };
    let item = new_item(&owners, task, due, status, span, EntryOrigin::ActionLine);
    if item.owners.is_empty() {
        return Some(Err(rest));
    }
    Some(Ok(item))
}

/// The new item `owners` (names as written) are to do, read from `origin`.
fn new_item(
    owners: &[String],
    task: String,
    due: Option<DueSpec>,
    status: Option<ItemStatus>,
    span: Span,
    origin: EntryOrigin,
) -> NewItem {
    NewItem {
        id: None,
        owners: owners
            .iter()
            .filter_map(|o| parse_person(o, span))
            .collect(),
        task,
        due,
        status,
        span,
        origin,
    }
}

/// `(Owner) [Action item] - task` and `(Owner) [Action item (continued)] task`.
fn owner_then_label(t: &str) -> Option<(String, String)> {
    let inner = t.strip_prefix('(')?;
    let (who, rest) = inner.split_once(')')?;
    let rest = rest.trim_start().strip_prefix('[')?;
    let close = rest.rfind(']')?;
    let label = rest.get(..close)?;
    if !label.to_ascii_lowercase().starts_with("action") {
        return None;
    }
    let task = rest
        .get(close + 1..)?
        .trim_start()
        .trim_start_matches(['-', '–', ':']);
    Some((who.trim().to_string(), task.trim().to_string()))
}
