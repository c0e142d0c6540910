//! Carry-over checks: warnings about action items that the meetings lost
//! sight of. Pure; reads the resolved site.
//!
//! - `carry-over-missed`: an item open after a meeting that the next held
//!   meeting of its group neither updates nor mentions, when that meeting
//!   keeps an actions list (it opens, updates or mentions some item).
//! - `closed-item-updated`: a done or dropped item updated again (status,
//!   owner, due or note) without an open status that would reopen it.
//! - `owner-absent`: an open item whose owner has missed every held meeting
//!   of its group (that records attendees) since the item was opened or
//!   assigned to them.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{ActionItem, GroupId, MeetingId, MeetingStatus, Site, StepKind, TiVec};

/// Adds every carry-over warning of `site` to `diags`.
pub(crate) fn carry_over_checks(site: &Site, diags: &mut Vec<Diagnostic>) {
    // Held meetings of each group up to today, in site order (ids ascending).
    let held: TiVec<GroupId, Vec<MeetingId>> = site
        .groups
        .iter()
        .map(|g| {
            g.meetings
                .iter()
                .copied()
                .filter(|&m| {
                    let m = &site.meetings[m];
                    m.status == MeetingStatus::Held && m.date <= site.today
                })
                .collect()
        })
        .collect();
    // Each item on its own: checked in parallel, reported in item order.
    use rayon::prelude::*;
    let found: Vec<Vec<Diagnostic>> = site
        .items
        .raw
        .par_iter()
        .map(|item| {
            let mut d = Vec::new();
            let held = held[item.group].as_slice();
            missed(site, held, item, &mut d);
            closed_updated(site, item, &mut d);
            owner_absent(site, held, item, &mut d);
            d
        })
        .collect();
    diags.extend(found.into_iter().flatten());
}

/// Held meetings of the item's group after meeting `after` (site order).
fn held_after(held: &[MeetingId], after: MeetingId) -> &[MeetingId] {
    &held[held.partition_point(|&m| m <= after)..]
}

/// Whether meeting `m` keeps an actions list.
fn has_actions(site: &Site, m: MeetingId) -> bool {
    let m = &site.meetings[m];
    !(m.opened.is_empty() && m.updated.is_empty() && m.mentioned.is_empty())
}

/// The first line of meeting `m`'s action entries, where a warning about
/// its list points.
fn actions_line(site: &Site, m: MeetingId) -> u32 {
    let meeting = &site.meetings[m];
    meeting
        .opened
        .iter()
        .chain(&meeting.updated)
        .chain(&meeting.mentioned)
        .filter_map(|&it| site.items[it].history.iter().find(|s| s.meeting == m))
        .map(|s| s.line)
        .min()
        .unwrap_or(meeting.body_line.max(1))
}

fn owners(site: &Site, item: &ActionItem) -> String {
    let names: Vec<&str> = item
        .owners
        .iter()
        .map(|&p| site.people[p].name.as_str())
        .collect();
    names.join(", ")
}

fn missed(site: &Site, held: &[MeetingId], item: &ActionItem, diags: &mut Vec<Diagnostic>) {
    for (s, step) in item.history.iter().enumerate() {
        if step.status.is_closed() {
            continue;
        }
        let Some(&next) = held_after(held, step.meeting).first() else {
            continue;
        };
        let touched_by = item.history.get(s + 1).map(|n| n.meeting);
        if touched_by.is_some_and(|t| t <= next) || !has_actions(site, next) {
            continue;
        }
        let m = &site.meetings[next];
        let from = &site.meetings[step.meeting];
        diags.push(
            Diagnostic::warning(
                Code::CarryOverMissed,
                &m.path,
                actions_line(site, next),
                1,
                format!(
                    "`{}` ({}: {}) was open after {} but this meeting's action items neither update nor mention it",
                    item.id,
                    owners(site, item),
                    one_line(&item.task),
                    from.date
                ),
            )
            .with_help(format!(
                "add `- ref: {}` with its status to `actions:` (`quorum new` lists every open item)",
                item.id
            )),
        );
    }
}

fn closed_updated(site: &Site, item: &ActionItem, diags: &mut Vec<Diagnostic>) {
    for w in item.history.windows(2) {
        let (before, step) = (&w[0], &w[1]);
        if before.status.is_closed() && step.kind == StepKind::Updated && step.status.is_closed() {
            let closed_at = &site.meetings[before.meeting];
            diags.push(
                Diagnostic::warning(
                    Code::ClosedItemUpdated,
                    &site.meetings[step.meeting].path,
                    step.line,
                    1,
                    format!(
                        "`{}` was already {} (at {}); this updates it without reopening it",
                        item.id,
                        before.status.as_str(),
                        closed_at.date
                    ),
                )
                .with_help(
                    "to reopen it, set `status: open` (or in-progress, blocked); for new work, open a new item",
                ),
            );
        }
    }
}

fn owner_absent(site: &Site, held: &[MeetingId], item: &ActionItem, diags: &mut Vec<Diagnostic>) {
    if item.status.is_closed() {
        return;
    }
    // Since the step that gave the item its current owners.
    let Some(assigned) = item.history.iter().rev().find(|s| s.owners.is_some()) else {
        return;
    };
    let since: Vec<MeetingId> = held_after(held, assigned.meeting)
        .iter()
        .copied()
        .filter(|&m| !site.meetings[m].attendees.is_empty())
        .collect();
    if since.is_empty() {
        return;
    }
    for &p in &item.owners {
        let came = since
            .iter()
            .any(|&m| site.meetings[m].attendees.iter().any(|a| a.person == p));
        if came {
            continue;
        }
        let at = &site.meetings[assigned.meeting];
        let n = since.len();
        diags.push(
            Diagnostic::warning(
                Code::OwnerAbsent,
                &at.path,
                assigned.line,
                1,
                format!(
                    "`{}` is open, but its owner {} has missed {} of {} since {}",
                    item.id,
                    site.people[p].name,
                    if n == 1 {
                        "the one meeting".to_string()
                    } else {
                        format!("all {n} meetings")
                    },
                    site.groups[item.group].name,
                    at.date
                ),
            )
            .with_help(format!(
                "check in with them, or reassign it with `- ref: {}` and `owner: …`",
                item.id
            )),
        );
    }
}

fn one_line(s: &str) -> String {
    let t: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > 60 {
        let cut: String = t.chars().take(57).collect();
        format!("{cut}…")
    } else {
        t
    }
}
