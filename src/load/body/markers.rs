//! Action markers: `ACTION:`, `AI(xy):`, `[action]`, `TODO Kate:`, `Action item:` in the
//! middle of a sentence, `Owner takes the action to …`, and trailing `(ACTION)` marks.

use super::actions::{finish, new_item, owned, parse_new, split_due};
use super::text::contains_ci;
use super::BodyContext;
use crate::model::{EntryOrigin, NewItem, Span};

/// Marker keywords, longest first.
const KEYWORDS: &[&str] = &[
    "action items",
    "action item",
    "next steps",
    "next step",
    "actions",
    "action",
    "to-do",
    "todo",
    "ais",
    "ai",
];

/// What a marker at the start of a text says.
pub(crate) struct Marker {
    /// The owner the marker itself names (`ACTION(Owner):`, `AI Felix:`).
    pub owner: Option<String>,
    /// The text after the marker.
    pub rest: String,
    /// The marker is unmistakable (`ACTION:`, `[action]`, `AI(x)`); a bare keyword
    /// before a name (`AI Felix: …`) is only a marker when the name reads as an owner.
    pub explicit: bool,
    /// The marker assigns work (`ACTION`, `AI`), so it is an item even without an owner;
    /// `TODO` and `Next steps` are notes to self unless they name one.
    pub assigns: bool,
}

fn keyword_at_start(t: &str) -> Option<usize> {
    let lower = t.to_ascii_lowercase();
    KEYWORDS
        .iter()
        .find(|k| {
            lower.starts_with(*k)
                && !lower
                    .get(k.len()..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_alphanumeric)
        })
        .map(|k| k.len())
}

/// `ACTION: rest`, `ACTION(Owner): task`, `[ACTION: Owner] task`, `[action] task`,
/// `AI(xy): task`, `AI[xy] task`, `Action item: rest`, `AI, unrelated: rest`,
/// `AI Felix: task`, `Action Tony – task`.
pub(crate) fn action_prefix(t: &str) -> Option<Marker> {
    let t = t.trim();
    if let Some(inner) = t.strip_prefix('[') {
        let close = inner.find(']')?;
        let head = inner.get(..close)?;
        let rest = inner.get(close + 1..)?.trim();
        let rest = rest
            .trim_start_matches([':', '-', '–', '—'])
            .trim()
            .to_string();
        // [ACTION: Lee] task
        if let Some((kw, who)) = head.split_once(':') {
            return is_action_word(kw).then(|| Marker {
                owner: Some(who.trim().to_string()),
                rest,
                explicit: true,
                assigns: true,
            });
        }
        // [action] task / [Action item] task
        return is_action_word(head).then_some(Marker {
            owner: None,
            rest,
            explicit: true,
            assigns: true,
        });
    }
    let kw_len = keyword_at_start(t)?;
    let kw = t.get(..kw_len)?;
    let assigns = !matches!(
        kw.to_ascii_lowercase().as_str(),
        "todo" | "to-do" | "next step" | "next steps"
    );
    let rest = t.get(kw_len..)?.trim_start();
    // ACTION(Owner): task / AI[xy] task / TODO(heejin): task
    for (o, c) in [('(', ')'), ('[', ']')] {
        if let Some(inner) = rest.strip_prefix(o) {
            let close = inner.find(c)?;
            let who = inner.get(..close)?.trim();
            let task = inner.get(close + 1..)?.trim_start().trim_start_matches(':');
            return Some(Marker {
                owner: Some(who.to_string()),
                rest: task.trim().to_string(),
                explicit: true,
                assigns,
            });
        }
    }
    // ACTION: rest / Action - rest / Action – rest
    for sep in [":", "- ", "– ", "— ", "-> "] {
        if let Some(r) = rest.strip_prefix(sep) {
            return Some(Marker {
                owner: None,
                rest: r.trim().to_string(),
                explicit: true,
                assigns,
            });
        }
    }
    // AI, unrelated: rest
    if let Some(r) = rest.strip_prefix(',') {
        if let Some((aside, task)) = r.split_once(':') {
            if aside.split_whitespace().count() <= 2 {
                return Some(Marker {
                    owner: None,
                    rest: task.trim().to_string(),
                    explicit: true,
                    assigns,
                });
            }
        }
    }
    // `AI Felix: task`, `TODO Kate: task`, `Action Tony – task`: a marker written as one
    // (capitals), a name, then a colon or a dash.
    if kw.chars().next().is_some_and(char::is_uppercase) {
        for sep in [": ", " - ", " – ", " — "] {
            if let Some((who, task)) = rest.split_once(sep) {
                let words = who.split_whitespace().count();
                if (1..=3).contains(&words)
                    && who.split_whitespace().all(|w| {
                        w.starts_with('@') || w.chars().next().is_some_and(char::is_alphabetic)
                    })
                {
                    return Some(Marker {
                        owner: Some(who.to_string()),
                        rest: task.trim().to_string(),
                        explicit: false,
                        assigns,
                    });
                }
            }
        }
    }
    None
}

fn is_action_word(kw: &str) -> bool {
    let k = kw.trim().to_ascii_lowercase();
    matches!(
        k.as_str(),
        "action" | "actions" | "action item" | "action items" | "ai" | "todo" | "to-do"
    )
}

/// `Owner takes the action to task`, `Owner will take action to task`, `Owner: take the
/// action of task`: the owner (from the start of its sentence) and the task.
pub(crate) fn take_action(t: &str) -> Option<(String, String)> {
    let lower = t.to_ascii_lowercase();
    let (at, len) = [
        "takes the action",
        "take the action",
        "took the action",
        "takes an action",
        "take an action",
        "takes action",
        "take action",
        "took action",
    ]
    .iter()
    .find_map(|p| lower.find(p).map(|i| (i, p.len())))?;
    let before = t.get(..at)?.trim_end();
    let sentence = before
        .rfind(". ")
        .map_or(before, |i| before.get(i + 2..).unwrap_or(""));
    let mut who = sentence.trim().trim_end_matches(':').trim();
    for aux in [" will", " to", " should", " can", " agreed to", " is to"] {
        if let Some(w) = who.strip_suffix(aux) {
            who = w.trim_end();
        }
    }
    let mut task = t.get(at + len..)?.trim_start();
    for skip in ["items", "item", "s"] {
        if let Some(r) = task.strip_prefix(skip) {
            if r.starts_with(char::is_whitespace) || r.is_empty() {
                task = r.trim_start();
                break;
            }
        }
    }
    for lead in ["to ", "of ", "on ", "for ", ": ", "- "] {
        if let Some(r) = task.strip_prefix(lead) {
            task = r.trim_start();
            break;
        }
    }
    let first_person = who.split_whitespace().any(|w| {
        matches!(
            w.to_lowercase().replace('’', "'").as_str(),
            "i" | "i'll" | "we" | "we'll" | "i'd" | "i'm"
        )
    });
    (!who.is_empty() && !first_person && task.split_whitespace().count() >= 1)
        .then(|| (who.to_string(), task.to_string()))
}

/// The text without a trailing action mark: `(ACTION)`, `[action]`, `(action item)`,
/// `` `ToDo` `` (as plain text, ` ToDo`).
pub(crate) fn strip_trailing_marker(t: &str) -> &str {
    let trimmed = t.trim_end();
    let lower = trimmed.to_ascii_lowercase();
    for m in [
        "(action item)",
        "[action item]",
        "(action)",
        "[action]",
        "(todo)",
        "[todo]",
    ] {
        if lower.ends_with(m) {
            return trimmed
                .get(..trimmed.len() - m.len())
                .unwrap_or(t)
                .trim_end();
        }
    }
    for m in [" TODO", " ToDo", " Todo", " `ToDo`", " `TODO`"] {
        if let Some(r) = trimmed.strip_suffix(m) {
            return r.trim_end();
        }
    }
    t
}

/// The text without strike-through marks.
pub(crate) fn strip_struck(t: &str) -> String {
    t.replace("~~", "")
}

/// A cheap test every action line passes (ASCII case ignored): it holds `action`,
/// `todo`, `to-do`, `next step`, `take`/`took`, or `ai` before `(`, `[`, `:`, `,` or a space.
fn may_be_action_line(line: &str) -> bool {
    let b = line.as_bytes();
    let ai = b.iter().enumerate().any(|(i, &c)| {
        (c == b'a' || c == b'A')
            && matches!(b.get(i + 1), Some(b'i' | b'I'))
            && matches!(b.get(i + 2), Some(b'(' | b'[' | b':' | b' ' | b','))
    });
    ai || ["action", "todo", "to-do", "next step", "take", "took"]
        .iter()
        .any(|k| contains_ci(line, k))
}

/// Whether `rest` is work to do rather than "none" or an empty label.
fn is_task(rest: &str) -> bool {
    let r = rest.trim().trim_matches(['*', '_', '.']).trim();
    let l = r.to_ascii_lowercase();
    r.split_whitespace().count() >= 2
        && !super::actions::is_no_task(r)
        && !matches!(l.as_str(), "none" | "n/a" | "-" | "tbd")
}

/// The item a marker's text makes: its own owner, an owner read from the rest, or
/// none (an unassigned item) when the marker is unmistakable.
fn from_marker(m: Marker, span: Span, ctx: &BodyContext) -> Option<Result<NewItem, String>> {
    let mut status = None;
    let parsed = match &m.owner {
        Some(w) if !w.is_empty() && super::actions::owners_ok(w, ctx) => {
            let (task, due) = split_due(&m.rest);
            finish(owned(w), task, due)
        }
        Some(_) if !m.explicit => return None,
        _ => parse_new(&m.rest, ctx, &mut status),
    };
    match parsed {
        Some((owners, task, due)) => Some(Ok(new_item(
            &owners,
            task,
            due,
            status,
            span,
            EntryOrigin::ActionLine,
        ))),
        None if m.explicit && m.assigns && is_task(&m.rest) => {
            let (task, due) = split_due(&m.rest);
            let task = super::text::clean(&strip_struck(&task));
            Some(Ok(new_item(
                &[],
                task,
                due,
                None,
                span,
                EntryOrigin::ActionLine,
            )))
        }
        None if m.explicit && m.assigns => Some(Err(m.rest)),
        None => None,
    }
}

/// A marker after a sentence ends: `Discussed it. Action item: Carol will amend PEP 1`.
fn mid_sentence_marker(t: &str) -> Option<Marker> {
    let lower = t.to_ascii_lowercase();
    for kw in KEYWORDS {
        let mut from = 0;
        while let Some(rel) = lower.get(from..).and_then(|s| s.find(kw)) {
            let at = from + rel;
            from = at + kw.len();
            let before = lower.get(..at).unwrap_or("").trim_end();
            let boundary = before.ends_with(['.', '!', '?', ';', ')']) && at > 0;
            let after = lower.get(at + kw.len()..).unwrap_or("");
            if boundary && (after.starts_with(':') || after.starts_with('(')) {
                return action_prefix(t.get(at..)?);
            }
        }
    }
    None
}

/// An action line anywhere in the body (its raw markdown, one line): a marker at its
/// start, in the middle after a sentence, at its end, or `Owner takes the action to …`.
/// `Err(rest)` when it is an action line but neither an owner nor a task can be read.
/// A line right after an action line, in the same paragraph, written `Owner: task`
/// (`Action: Michael to open issue` then `All: post things we need to get done`): an
/// action too, the marker heading both.
pub(crate) fn next_owner_line(line: &str, span: Span, ctx: &BodyContext) -> Option<NewItem> {
    if line.trim().is_empty() || line.starts_with([' ', '\t']) {
        return None;
    }
    let t = super::text::strip_inline_md(line);
    let t = t.trim();
    if t.starts_with(['-', '*', '+', '#', '>', '|']) {
        return None;
    }
    let (who, task) = t.split_once(": ")?;
    if !super::actions::owners_ok(who, ctx) || task.split_whitespace().count() < 3 {
        return None;
    }
    let mut status = None;
    let (owners, task, due) = parse_new(t, ctx, &mut status)?;
    Some(new_item(
        &owners,
        task,
        due,
        status,
        span,
        EntryOrigin::ActionLine,
    ))
}

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
    if let Some((who, rest)) = owner_then_label(t) {
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
    let unmarked = strip_trailing_marker(t);
    if unmarked.len() < t.len() {
        let mut status = None;
        return Some(match parse_new(unmarked.trim(), ctx, &mut status) {
            Some((owners, task, due)) => Ok(new_item(
                &owners,
                task,
                due,
                status,
                span,
                EntryOrigin::ActionLine,
            )),
            None => Err(unmarked.to_string()),
        });
    }
    let t = t
        .split_once(". ")
        .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        .map_or(t, |(_, r)| r);
    if let Some(m) = action_prefix(t).or_else(|| mid_sentence_marker(t)) {
        return from_marker(m, span, ctx);
    }
    let (who, task) = take_action(t)?;
    let first_sentence_start = t.find(&who).is_some_and(|i| {
        let b = t.get(..i).unwrap_or("").trim_end();
        b.is_empty() || b.ends_with(['.', '!', '?', ';'])
    });
    if !first_sentence_start || !super::actions::owners_ok(&who, ctx) {
        return None;
    }
    let (task, due) = split_due(&task);
    let (owners, task, due) = finish(owned(&who), task, due)?;
    Some(Ok(new_item(
        &owners,
        task,
        due,
        None,
        span,
        EntryOrigin::ActionLine,
    )))
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

/// Whether a line names an action the way a reader would look twice at: the word
/// `action`, `todo` or an `AI:`/`AI(` marker (for `quorum explain`).
pub(crate) fn looks_like_action(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    let words: Vec<&str> = l
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    words
        .iter()
        .any(|w| matches!(*w, "action" | "actions" | "todo" | "to-do"))
        || l.contains("ai:")
        || l.contains("ai(")
}
