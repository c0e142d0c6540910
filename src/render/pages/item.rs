//! An action item's page: its facts and its timeline, one entry per step.

use super::Common;
use crate::model::{ItemId, MeetingStatus, StepKind};
use crate::render::view::{status_label, MeetingRow, PersonLink};
use serde::Serialize;
use tera::Context;

/// One step of the timeline: what one meeting did to the item.
#[derive(Serialize)]
struct Step<'a> {
    meeting: &'a MeetingRow,
    kind: &'static str,
    status: &'static str,
    status_label: &'static str,
    /// The status before, when this step changed it.
    from: Option<&'static str>,
    from_label: Option<&'static str>,
    /// Owners set by this step, and the ones before when it reassigned the item.
    owners: Option<Vec<PersonLink>>,
    owners_from: Option<Vec<PersonLink>>,
    due: Option<String>,
    /// The due date before, when this step changed it.
    due_from: Option<String>,
    note: Option<String>,
    auto_linked: bool,
    /// Held meetings of the group the item was carried into, open, after
    /// this step and before the next.
    carried_after: usize,
    /// When its line entered the notes (git).
    git: Option<crate::render::git::LineGit>,
}

/// One item's page with its history.
pub(crate) fn item(c: &Common, root: &str, i: ItemId) -> Context {
    let (site, ix) = (c.site, c.ix);
    let item = &site.items[i];
    let mut ctx = c.context(root, &format!("{} ({})", item.task, item.id), "actions");
    ctx.insert("item", &ix.items[i]);
    let group_meetings = &site.groups[item.group].meetings;
    let steps: Vec<Step> = item
        .history
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let earlier = &item.history[..k];
            let prev_status = earlier.last().map(|p| p.status).filter(|p| *p != s.status);
            let prev_owners = earlier.iter().rev().find_map(|p| p.owners.as_deref());
            let prev_due = earlier.iter().rev().find_map(|p| p.due);
            let reassigned = k > 0 && s.owners.is_some() && s.owners.as_deref() != prev_owners;
            let next = item.history.get(k + 1).map(|n| n.meeting);
            let carried_after = if s.status.is_open() {
                group_meetings
                    .iter()
                    .filter(|&&m| {
                        m > s.meeting
                            && next.is_none_or(|n| m < n)
                            && site.meetings[m].status == MeetingStatus::Held
                    })
                    .count()
            } else {
                0
            };
            Step {
                git: c
                    .history
                    .as_ref()
                    .and_then(|g| g.step(item, k, &site.meetings[s.meeting].path)),
                meeting: &ix.meetings[s.meeting],
                kind: match s.kind {
                    StepKind::Opened => "opened",
                    StepKind::Updated => "updated",
                    StepKind::Mentioned => "mentioned",
                },
                status: s.status.as_str(),
                status_label: status_label(s.status),
                from: prev_status.map(|p| p.as_str()),
                from_label: prev_status.map(status_label),
                owners: s
                    .owners
                    .as_deref()
                    .filter(|_| k == 0 || reassigned)
                    .map(|o| ix.people(site, o)),
                owners_from: if reassigned {
                    prev_owners.map(|o| ix.people(site, o))
                } else {
                    None
                },
                due: s
                    .due
                    .filter(|d| Some(*d) != prev_due)
                    .map(|d| d.to_string()),
                due_from: if k > 0 && s.due.is_some() && s.due != prev_due {
                    prev_due.map(|d| d.to_string())
                } else {
                    None
                },
                note: s.note.clone(),
                auto_linked: s.auto_linked,
                carried_after,
            }
        })
        .collect();
    ctx.insert("history", &steps);
    ctx
}
