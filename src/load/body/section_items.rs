//! The entries of an action section: one per top-level item (or per task nested under
//! a bare owner), unassigned items, struck-through items, bullets acting as headings,
//! the names a note knows, and one item for an action written twice.

use super::actions::{self, new_item};
use super::blocks::{Block, BlockKind, Doc};
use super::{people, section_of, BodyContext, BodyFacts, Pos, Section};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{BodyAction, EntryOrigin, ItemStatus, NewItem, Span};
use std::collections::HashSet;

/// A list item that is only an action-section name with items below it
/// (`- Action items:`, `* Next steps`).
pub(crate) fn is_bullet_heading(kind: &BlockKind) -> bool {
    let BlockKind::Item {
        text, has_children, ..
    } = kind
    else {
        return false;
    };
    let t = text.trim().trim_end_matches(':').trim();
    *has_children
        && !t.contains('\n')
        && t.split_whitespace().count() <= 5
        && section_of(t) == Some(Section::Actions)
}

/// A heading of plans rather than assignments (`Next steps`, `TODO`, `Follow-ups`).
pub(crate) fn is_weak(heading: &str) -> bool {
    let w = super::text::norm_words(heading);
    w.iter().any(|x| {
        matches!(
            x.as_str(),
            "next" | "todo" | "todos" | "follow" | "followups"
        )
    }) || w.windows(2).any(|p| p[0] == "to" && p[1] == "do")
}

/// The key a name is known under: lower case, without `@`.
pub(crate) fn name_key(s: &str) -> String {
    s.trim().trim_start_matches('@').to_lowercase()
}

/// Labels of lines that name people of the meeting (`Meeting Lead: Terry`).
const ROLE_LABELS: &[&str] = &[
    "attendee",
    "present",
    "participant",
    "moderator",
    "chair",
    "lead",
    "note taker",
    "notetaker",
    "note-taker",
    "scribe",
    "facilitator",
    "host",
];

/// Names the note gives its people under (attendees sections and role lines), each
/// whole and by its first word: an owner written so is a person.
pub(crate) fn known_names(
    body: &str,
    doc: &Doc,
    assigned: &[(Option<(Section, usize)>, &Block)],
) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut add = |p: crate::model::PersonRef| {
        let full = name_key(&p.name);
        if let Some(first) = full.split_whitespace().next() {
            out.insert(first.to_string());
        }
        if let Some(h) = &p.handle {
            out.insert(name_key(h));
        }
        out.insert(full);
    };
    let span = Span::new(1, 1);
    for (sec, b) in assigned {
        if !matches!(sec, Some((Section::Attendees, _))) {
            continue;
        }
        match &b.kind {
            BlockKind::Item { text, .. } | BlockKind::Paragraph { text } => {
                people::people_in(text, span).into_iter().for_each(&mut add)
            }
            _ => {}
        }
    }
    for line in body.lines().take(80) {
        let t = super::text::strip_inline_md(line);
        let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
        let Some((label, names)) = t.split_once(':') else {
            continue;
        };
        let l = label.to_lowercase();
        if l.split_whitespace().count() <= 3 && ROLE_LABELS.iter().any(|r| l.contains(r)) {
            people::people_in(names, span)
                .into_iter()
                .for_each(&mut add);
        }
    }
    let _ = doc;
    out
}

/// Whether the raw markdown of a list item is struck through as a whole (`- ~~task~~`).
pub(crate) fn is_struck(raw: &str) -> bool {
    let first = raw.lines().next().unwrap_or("").trim();
    let t = first.trim_start_matches(['-', '*', '+', ' ', '\t']);
    let t = t
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['.', ')', ' ']);
    let t = t
        .strip_prefix("[ ]")
        .or_else(|| t.strip_prefix("[x]"))
        .unwrap_or(t)
        .trim();
    t.starts_with("~~") && t.trim_end().ends_with("~~")
}

/// Whether a list item's first line is only a link (`- [Planning doc](https://…)`).
fn is_link_only(raw: &str) -> bool {
    let first = raw.lines().next().unwrap_or("").trim();
    let t = first.trim_start_matches(['-', '*', '+', ' ', '\t']).trim();
    t.starts_with('[') && t.ends_with(')') && t.find("](").is_some_and(|i| !t[..i].contains(']'))
}

/// An unassigned item of an action section: a task with no owner a reader can name.
fn unassigned(a: &BodyAction) -> Option<NewItem> {
    let t = a.text.trim().trim_end_matches(':').trim();
    let words = t.split_whitespace().count();
    if words < 2 || actions::is_no_task(t) || a.lead.is_some() {
        return None;
    }
    // `Chairs: No action`, `Maintainers: as noted in the agenda`.
    if t.split_once(": ")
        .is_some_and(|(_, r)| actions::is_no_task(r))
    {
        return None;
    }
    // `Completed the survey`, `Created the board`: a report of work done, not a task;
    // `We will revisit it`, `I'll look`: narrative, not an assignment.
    let first = t.split_whitespace().next().unwrap_or("");
    let f = first.to_lowercase().replace('’', "'");
    if matches!(
        f.as_str(),
        "we" | "i" | "we'll" | "i'll" | "let's" | "they" | "i'm" | "we're"
    ) {
        return None;
    }
    if first.chars().next().is_some_and(char::is_uppercase)
        && first.len() > 4
        && first.to_lowercase().ends_with("ed")
    {
        return None;
    }
    let status = a.checkbox.map(|d| {
        if d {
            ItemStatus::Done
        } else {
            ItemStatus::Open
        }
    });
    let mut status = status;
    let mut task = super::markers::strip_struck(t);
    // `TODO: task`, `[action] task`: the label goes, its status stays.
    if let Some(m) = super::markers::action_prefix(&task) {
        if m.owner.is_none() {
            task = m.rest;
        }
    }
    if let Some((label, rest)) = task.split_once(": ") {
        if let Some(st) = ItemStatus::parse(label.trim().trim_matches(['_', '*']).trim()) {
            status.get_or_insert(st);
            task = rest.trim().to_string();
        }
    }
    let task = super::text::clean(&task);
    (task.split_whitespace().count() >= 2)
        .then(|| new_item(&[], task, None, status, a.span, EntryOrigin::BodySection))
}

/// The entries one top-level item `b` of an action section makes.
pub(crate) fn read_item(
    body: &str,
    doc: &Doc,
    b: &Block,
    (text, checkbox, depth): (&str, Option<bool>, usize),
    keep_unassigned: bool,
    pos: &Pos,
    ctx: &BodyContext,
) -> Vec<BodyAction> {
    let span = pos.span(b.start);
    let kids: Vec<(&str, Option<bool>, Span)> = doc
        .blocks
        .iter()
        .filter(|c| c.start > b.start && c.start < b.end)
        .filter_map(|c| match &c.kind {
            BlockKind::Item {
                depth: d,
                text,
                checkbox,
                ..
            } if *d == depth + 1 => Some((text.as_str(), *checkbox, pos.span(c.start))),
            _ => None,
        })
        .collect();
    // `- Mike` with his tasks below: one item per task.
    let name = text.trim().trim_end_matches(':').trim();
    if !kids.is_empty() && name.split_whitespace().count() <= 3 {
        let bare = !name.is_empty()
            && !kids.is_empty()
            && actions::owners_ok(name, ctx)
            && actions::parse_new(name, ctx, &mut None).is_none();
        if bare {
            let owners = actions::owned(name);
            return kids
                .iter()
                .filter_map(|(t, cb, sp)| {
                    let task = super::text::clean(t);
                    let (task, due) = actions::split_due(&task);
                    let (owners, task, due) = actions::finish(owners.clone(), task, due)?;
                    let status = cb.map(|d| {
                        if d {
                            ItemStatus::Done
                        } else {
                            ItemStatus::Open
                        }
                    });
                    Some(BodyAction {
                        lead: None,
                        checkbox: *cb,
                        item: Some(new_item(
                            &owners,
                            task,
                            due,
                            status,
                            *sp,
                            EntryOrigin::BodySection,
                        )),
                        text: t.to_string(),
                        span: *sp,
                    })
                })
                .collect();
        }
    }
    let mut a = actions::body_action(text, checkbox, &[], span, ctx);
    let link_only = matches!(&b.kind, BlockKind::Item { link: Some(_), .. })
        && is_link_only(body.get(b.start..b.end).unwrap_or(""));
    if is_struck(body.get(b.start..b.end).unwrap_or("")) {
        if let Some(i) = a.item.as_mut() {
            i.status = Some(ItemStatus::Done);
            i.task = super::markers::strip_struck(&i.task).trim().to_string();
        }
    }
    // Items with an owner of their own nested below it: items too; but below a status
    // report (`Completed: task`, `Updated: task`) they are notes of its progress.
    let nested: Vec<BodyAction> = if a.lead.is_none() && !is_status_report(&a.text) {
        kids.iter()
            .map(|(t, cb, sp)| actions::body_action(t, *cb, &[], *sp, ctx))
            .filter(|n| n.item.is_some())
            .collect()
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    if a.item.is_none() && nested.is_empty() && !link_only && keep_unassigned {
        a.item = unassigned(&a);
    }
    if !a.text.is_empty() && (a.item.is_some() || a.lead.is_some() || nested.is_empty()) {
        out.push(a);
    }
    out.extend(nested);
    out
}

/// Whether an entry opens with a status label (`Completed: …`, `_Updated_: …`).
pub(crate) fn is_status_report(text: &str) -> bool {
    text.split_once(':').is_some_and(|(label, _)| {
        let l = label.trim().trim_matches(['*', '_']).trim();
        ItemStatus::parse(l).is_some()
            || matches!(
                l.to_ascii_lowercase().as_str(),
                "updated" | "update" | "status"
            )
    })
}

/// Whether a paragraph after an action section's list ends the section: a sub-label
/// (`New:`) does not, nor lines that each read as an owned item; a transcript (a bold
/// speaker label, or a line that is no item) does.
pub(crate) fn ends_section(raw: &str, text: &str, ctx: &BodyContext) -> bool {
    let t = text.trim();
    if t.ends_with(':') && !t.contains('\n') && t.split_whitespace().count() <= 4 {
        return false;
    }
    raw.trim_start().starts_with("**")
        || raw.trim_start().starts_with("__")
        || text.lines().any(|l| {
            actions::body_action(l, None, &[], Span::new(1, 1), ctx)
                .item
                .is_none_or(|i| i.owners.is_empty() && i.group_owner.is_none())
        })
}

/// Words too common to tell two tasks apart.
const STOP: &[&str] = &[
    "with", "from", "that", "this", "will", "have", "about", "into", "next", "meeting", "what",
    "when", "them", "they", "their", "there", "should", "would", "could",
];

/// Lower-case words of a task (links left out), for telling one action written twice.
fn words(t: &str) -> HashSet<String> {
    t.split_whitespace()
        .filter(|w| !w.contains("://"))
        .collect::<Vec<_>>()
        .join(" ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .collect()
}

fn similar(a: &HashSet<String>, b: &HashSet<String>, min: f64) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let common = a.intersection(b).count() as f64;
    common / (a.len().max(b.len()) as f64) >= min
}

fn owner_keys(i: &NewItem) -> Vec<String> {
    i.owners
        .iter()
        .map(|p| {
            name_key(&p.name)
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// One item for an action written twice in one meeting: an inline marker that repeats
/// an item of the note's action section (by its task, or by owners the section already
/// gives work to) is that item, and a repeated marker or section entry is dropped.
pub(crate) fn dedupe(facts: &mut BodyFacts) {
    let section: Vec<(HashSet<String>, &NewItem)> = facts
        .actions
        .iter()
        .filter_map(|a| a.item.as_ref())
        .map(|i| (words(&i.task), i))
        .collect();
    let summary_owners: HashSet<String> = section.iter().flat_map(|(_, i)| owner_keys(i)).collect();
    let lines = std::mem::take(&mut facts.action_lines);
    for l in lines {
        let w = words(&l.task);
        let repeats = section.iter().any(|(sw, _)| similar(sw, &w, 0.6));
        // The same owner's entry of the section, reworded (a shared content word).
        let keys = owner_keys(&l);
        let content: HashSet<&String> = w.iter().filter(|x| x.len() > 3).collect();
        let owners_listed = !keys.is_empty()
            && keys.iter().all(|k| summary_owners.contains(k))
            && section.iter().any(|(sw, i)| {
                owner_keys(i).iter().any(|k| keys.contains(k))
                    && sw
                        .iter()
                        .any(|x| content.contains(x) && !STOP.contains(&x.as_str()))
            });
        if !repeats && !owners_listed {
            facts.action_lines.push(l);
        }
    }
    let keys: Vec<Option<(Vec<String>, HashSet<String>)>> = facts
        .actions
        .iter()
        .map(|a| a.item.as_ref().map(|i| (owner_keys(i), words(&i.task))))
        .collect();
    let mut drop = vec![false; keys.len()];
    for (n, key) in keys.iter().enumerate() {
        let Some((o, w)) = key else { continue };
        drop[n] = keys.iter().enumerate().any(|(m, other)| {
            let Some((oo, ow)) = other else { return false };
            if m == n || oo != o || drop[m] {
                return false;
            }
            let same = similar(ow, w, 0.9) && ow.len() == w.len();
            (same && m < n) || (!o.is_empty() && restates(w, ow))
        });
    }
    let mut n = 0;
    facts.actions.retain(|_| {
        n += 1;
        !drop[n - 1]
    });
}

/// Whether a task's words are a short re-statement of another's, for the same owners
/// (`Next step: spec doc` beside `spec doc on nightly-only features`).
fn restates(short: &HashSet<String>, long: &HashSet<String>) -> bool {
    short.len() >= 2 && short.len() < long.len() && short.is_subset(long)
}

/// A warning at each unassigned item: it is kept, and shown as unassigned.
pub(crate) fn warn_unassigned(facts: &BodyFacts, path: &str, diags: &mut Vec<Diagnostic>) {
    let items = facts
        .actions
        .iter()
        .filter_map(|a| a.item.as_ref())
        .chain(facts.action_lines.iter());
    for i in items {
        if i.owners.is_empty() && i.group_owner.is_none() {
            diags.push(
                Diagnostic::warning(
                    Code::ActionWithoutOwner,
                    path,
                    i.span.line,
                    i.span.col,
                    format!(
                        "no owner found in action item \"{}\"; it is kept as an unassigned item",
                        super::text::short(&i.task)
                    ),
                )
                .with_help("write it as `Owner: task`, `Owner to task` or `@handle task`"),
            );
        }
    }
}
