//! An action item's page.

use super::Common;
use crate::model::{ItemId, StepKind};
use crate::render::view::{MeetingRow, PersonLink};
use serde::Serialize;
use tera::Context;

#[derive(Serialize)]
struct Step<'a> {
    meeting: &'a MeetingRow,
    kind: &'static str,
    status: &'static str,
    owners: Option<Vec<PersonLink>>,
    due: Option<String>,
    note: Option<String>,
    auto_linked: bool,
    /// When its line entered the notes (git).
    git: Option<crate::render::git::LineGit>,
}

/// One item's page with its history.
pub(crate) fn item(c: &Common, root: &str, i: ItemId) -> Context {
    let (site, ix) = (c.site, c.ix);
    let item = &site.items[i];
    let mut ctx = c.context(root, &format!("Action item {}", item.id), "actions");
    ctx.insert("item", &ix.items[i]);
    let steps: Vec<Step> = item
        .history
        .iter()
        .enumerate()
        .map(|(k, s)| Step {
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
            owners: s.owners.as_deref().map(|o| ix.people(site, o)),
            due: s.due.map(|d| d.to_string()),
            note: s.note.clone(),
            auto_linked: s.auto_linked,
        })
        .collect();
    ctx.insert("history", &steps);
    ctx
}
