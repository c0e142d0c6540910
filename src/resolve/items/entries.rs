//! Reading one note's action entries: updates, new items, and status
//! lines of items named by their task.

use super::{Ctx, Unresolved};
use crate::model::{ActionEntry, EntryOrigin, ItemStatus, ItemUpdate, NewItem, Note, Span};

/// A status line (`_COMPLETED_: task`) with no owner: an update of an
/// earlier item found by its task, else (when read as an unassigned item)
/// a new one.
pub(super) struct Carried {
    pub(super) status: ItemStatus,
    pub(super) task: String,
    pub(super) span: Span,
    pub(super) item: Option<NewItem>,
}

/// One note's action entries, sorted by kind, each kind in note order.
pub(super) struct Entries {
    pub(super) updates: Vec<ItemUpdate>,
    pub(super) news: Vec<NewItem>,
    pub(super) carried: Vec<Carried>,
    /// Body updates of items this meeting itself opens: applied once they are open.
    pub(super) later: Vec<ItemUpdate>,
}

impl Ctx<'_> {
    /// Sorts the action entries of `note`: updates by ref, new items, status
    /// lines to link; a body line led by an id of no item yet waits for the
    /// end of the walk.
    pub(super) fn sort_entries(&mut self, note: &Note) -> Entries {
        let mut e = Entries {
            updates: Vec::new(),
            news: Vec::new(),
            carried: Vec::new(),
            later: Vec::new(),
        };
        for entry in &note.actions {
            match entry {
                ActionEntry::Update(u) => e.updates.push(u.clone()),
                ActionEntry::New(n) => e.news.push(n.clone()),
                ActionEntry::Body(b) => {
                    let known = b
                        .lead
                        .as_ref()
                        .filter(|(id, _)| self.by_id.contains_key(id));
                    let own = b.lead.as_ref().filter(|(id, _)| opens(note, id));
                    if let Some((id, rest)) = known {
                        e.updates.push(body_update(id, rest, b.checkbox, b.span));
                    } else if let Some((id, rest)) = own {
                        e.later.push(body_update(id, rest, b.checkbox, b.span));
                    } else if let Some((status, task)) =
                        status_update(&b.text).filter(|_| b.item.as_ref().is_none_or(is_unassigned))
                    {
                        e.carried.push(Carried {
                            status,
                            task,
                            span: b.span,
                            item: b.item.clone(),
                        });
                    } else if let Some(item) = &b.item {
                        e.news.push(item.clone());
                    } else if let Some((id, _)) =
                        b.lead.as_ref().filter(|(id, _)| looks_like_auto_id(id))
                    {
                        self.unresolved.push(Unresolved {
                            id: id.clone(),
                            file: note.path.clone(),
                            line: b.span.line,
                            col: b.span.col,
                        });
                    }
                }
            }
        }
        e.updates.sort_by_key(|u| u.origin);
        e.news.sort_by_key(|n| n.origin);
        e
    }
}

/// Whether `note`'s front matter opens an item with the id `id`.
fn opens(note: &Note, id: &str) -> bool {
    note.actions
        .iter()
        .any(|e| matches!(e, ActionEntry::New(n) if n.id.as_deref() == Some(id)))
}

/// Whether `s` has the shape of an automatic id (`<group>-<YYYYMMDD>-<n>`).
pub(super) fn looks_like_auto_id(s: &str) -> bool {
    let parts: Vec<&str> = s.rsplitn(3, '-').collect();
    parts.len() == 3
        && parts[0].chars().all(|c| c.is_ascii_digit())
        && !parts[0].is_empty()
        && parts[1].len() == 8
        && parts[1].chars().all(|c| c.is_ascii_digit())
}

/// An item that names no owner, neither a person nor the group.
pub(super) fn is_unassigned(n: &NewItem) -> bool {
    n.owners.is_empty() && n.group_owner.is_none()
}

/// `TODO: task`, `COMPLETED: task`, `Done - task`: a status label and the task after it.
pub(super) fn status_update(text: &str) -> Option<(ItemStatus, String)> {
    let t = text.trim().trim_start_matches(['_', '*']);
    let (label, rest) = t.split_once([':', '-', '–'])?;
    let status = ItemStatus::parse(label.trim().trim_matches(['_', '*']).trim())?;
    let rest = rest.trim().trim_start_matches(['_', '*', ':']).trim();
    (!rest.is_empty()).then(|| (status, rest.to_string()))
}

pub(super) fn body_update(id: &str, rest: &str, checkbox: Option<bool>, span: Span) -> ItemUpdate {
    let rest = rest.trim().trim_start_matches([':', '-', '–']).trim();
    let (first, after) = match rest.split_once(|c: char| c.is_whitespace() || c == ',' || c == '.')
    {
        Some((f, a)) => (f, a.trim()),
        None => (rest, ""),
    };
    let (status, note) = match ItemStatus::parse(first) {
        Some(s) => (Some(s), after),
        None => match ItemStatus::parse(&rest.replace(' ', "-")) {
            Some(s) => (Some(s), ""),
            None => (None, rest),
        },
    };
    let status = status.or(match checkbox {
        Some(true) => Some(ItemStatus::Done),
        _ => None,
    });
    ItemUpdate {
        reference: id.to_string(),
        status,
        owners: None,
        due: None,
        note: (!note.is_empty()).then(|| note.to_string()),
        span,
        origin: EntryOrigin::BodySection,
    }
}
