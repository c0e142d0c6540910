//! Opening an item and applying an update to it.

use super::Ctx;
use crate::model::is_valid_id;
use crate::model::{
    ActionItem, DueSpec, GroupId, HistoryStep, ItemId, ItemStatus, ItemUpdate, MeetingId,
    MeetingStatus, NewItem, PersonId, StepKind,
};
use crate::resolve::cadence;
use chrono::NaiveDate;

impl Ctx<'_> {
    /// The date a due spec names, from meeting `mi` of group `g`.
    fn due_date(&self, spec: DueSpec, g: GroupId, mi: MeetingId) -> Option<NaiveDate> {
        let n = match spec {
            DueSpec::Date(d) => return Some(d),
            DueSpec::Meetings(n) => n as usize,
        };
        let group = &self.site.groups[g];
        let following: Vec<NaiveDate> = group
            .meetings
            .iter()
            .filter(|&&m| m > mi && self.site.meetings[m].status != MeetingStatus::Cancelled)
            .map(|&m| self.site.meetings[m].date)
            .take(n)
            .collect();
        if following.len() == n {
            return following.last().copied();
        }
        let cad = cadence::parse(group.cadence.as_deref()?)?;
        let mut d = following
            .last()
            .copied()
            .unwrap_or(self.site.meetings[mi].date);
        for _ in following.len()..n {
            d = cadence::next_after(d, cad)?;
        }
        Some(d)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn open_item(
        &mut self,
        id: String,
        explicit: bool,
        g: GroupId,
        mi: MeetingId,
        owners: Vec<PersonId>,
        words: Vec<String>,
        n: &NewItem,
    ) {
        let status = n.status.unwrap_or(ItemStatus::Open);
        let due = n.due.and_then(|d| self.due_date(d, g, mi));
        let date = self.site.meetings[mi].date;
        let it = self.site.items.push_and_get_key(ActionItem {
            url: format!("actions/{id}/"),
            id: id.clone(),
            explicit_id: explicit,
            group: g,
            owners: owners.clone(),
            group_owner: n.group_owner.clone(),
            task: n.task.clone(),
            status,
            opened_in: mi,
            due,
            due_spec: n.due,
            closed: status.is_closed().then_some(date),
            carried: 0,
            stale: false,
            overdue: false,
            history: vec![HistoryStep {
                meeting: mi,
                kind: StepKind::Opened,
                status,
                owners: Some(owners),
                due,
                note: None,
                auto_linked: false,
                line: n.span.line,
                private: false,
            }],
            line: n.span.line,
            private: false,
        });
        debug_assert!(is_valid_id(&id) || !explicit);
        self.by_id.insert(id, it);
        self.words.push(words);
        self.group_items[g].push(it);
        if !status.is_closed() {
            self.open_items[g].push(it);
        }
        self.site.meetings[mi].opened.push(it);
    }

    pub(super) fn apply_update(
        &mut self,
        it: ItemId,
        mi: MeetingId,
        u: &ItemUpdate,
        auto_linked: bool,
    ) {
        let file = self.site.meetings[mi].path.clone();
        let owners = u.owners.as_ref().map(|o| {
            let mut ids = self.people.resolve_all(o, &file, self.diags);
            ids.sort_unstable();
            ids
        });
        let g = self.site.items[it].group;
        let due = u.due.and_then(|d| self.due_date(d, g, mi));
        let date = self.site.meetings[mi].date;
        let item = &mut self.site.items[it];
        let status = u.status.unwrap_or(item.status);
        let changed = status != item.status
            || owners.is_some()
            || u.due.is_some()
            || u.note.is_some()
            || auto_linked;
        if status.is_closed() && item.status.is_open() {
            item.closed = Some(date);
        } else if status.is_open() {
            item.closed = None;
        }
        let (was_closed, now_closed) = (item.status.is_closed(), status.is_closed());
        item.status = status;
        if was_closed != now_closed {
            let open = &mut self.open_items[g];
            match (open.binary_search(&it), now_closed) {
                (Ok(at), true) => {
                    open.remove(at);
                }
                (Err(at), false) => open.insert(at, it),
                _ => {}
            }
        }
        let item = &mut self.site.items[it];
        if let Some(o) = &owners {
            item.owners = o.clone();
        }
        if u.due.is_some() {
            item.due = due;
            item.due_spec = u.due;
        }
        let kind = if changed {
            StepKind::Updated
        } else {
            StepKind::Mentioned
        };
        // Several entries of one meeting on one item make one step (the
        // private ones a step of their own: it is left out of the site).
        let private = self.is_private_line(u.span.line);
        let item = &mut self.site.items[it];
        match item
            .history
            .last_mut()
            .filter(|s| s.meeting == mi && s.private == private)
        {
            Some(step) => {
                if kind == StepKind::Updated {
                    step.kind = StepKind::Updated;
                }
                step.status = status;
                step.owners = owners.or(step.owners.take());
                step.due = due.or(step.due);
                step.note = u.note.clone().or(step.note.take());
                step.auto_linked |= auto_linked;
            }
            None => item.history.push(HistoryStep {
                meeting: mi,
                kind,
                status,
                owners,
                due,
                note: u.note.clone(),
                auto_linked,
                line: u.span.line,
                private,
            }),
        }
        let m = &mut self.site.meetings[mi];
        let list = if kind == StepKind::Updated {
            &mut m.updated
        } else {
            &mut m.mentioned
        };
        if !list.contains(&it) {
            list.push(it);
        }
        if kind == StepKind::Updated {
            m.mentioned.retain(|&x| x != it);
        }
    }
}
