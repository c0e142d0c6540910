//! After the walk: refs to no earlier item, carried counts, stale and overdue items.

use super::Ctx;
use crate::diagnostics::{nearest, Code, Diagnostic};
use crate::model::{MeetingStatus, StepKind};
use chrono::NaiveDate;

impl Ctx<'_> {
    pub(super) fn report_unresolved(&mut self, keep_going: bool) {
        let unresolved = std::mem::take(&mut self.unresolved);
        let mut ids: Vec<&str> = Vec::new();
        for u in &unresolved {
            let d = match self.by_id.get(&u.id) {
                Some(&it) => {
                    let item = &self.site.items[it];
                    let at = &self.site.meetings[item.opened_in];
                    Diagnostic::error(
                        Code::RefToLaterItem,
                        &u.file,
                        u.line,
                        u.col,
                        if at.path == u.file {
                            format!(
                                "`{}` is opened in this same meeting, not an earlier one",
                                u.id
                            )
                        } else {
                            format!("`{}` is opened later, in {} ({})", u.id, at.path, at.date)
                        },
                    )
                    .with_help("a `ref` can only update an item opened in an earlier meeting")
                }
                None => {
                    if ids.is_empty() {
                        ids = self.by_id.keys().map(String::as_str).collect();
                        ids.sort_unstable();
                    }
                    let help = match nearest(&u.id, &ids) {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => {
                            "check the id on the item's page or with `quorum actions`".to_string()
                        }
                    };
                    Diagnostic::error(
                        Code::RefToNothing,
                        &u.file,
                        u.line,
                        u.col,
                        format!("no item has the id `{}`", u.id),
                    )
                    .with_help(help)
                }
            };
            self.diags.push(d.downgraded(keep_going));
        }
    }

    /// Carried counts, the items carried into each meeting, stale and overdue.
    pub(super) fn carry_over(&mut self, stale_after: u32, today: NaiveDate) {
        let site = &mut *self.site;
        for g in site.groups.keys() {
            let meetings = site.groups[g].meetings.clone();
            for &it in &self.group_items[g] {
                let item = &site.items[it];
                let opened = item.opened_in;
                let mut step = 0;
                let mut status = item.history[0].status;
                let mut carried = 0u32;
                let mut last_update = opened;
                let mut held_since_update = 0u32;
                let start = meetings.partition_point(|&m| m <= opened);
                for &m in &meetings[start..] {
                    // Status at the start of meeting m: after every step in an earlier meeting.
                    while step + 1 < item.history.len() && item.history[step + 1].meeting < m {
                        step += 1;
                        status = item.history[step].status;
                        if item.history[step].kind != StepKind::Mentioned {
                            last_update = item.history[step].meeting;
                            held_since_update = 0;
                        }
                    }
                    // Closed for good (no later step): later meetings neither
                    // carry it nor make it stale.
                    if step + 1 == item.history.len() && status.is_closed() {
                        break;
                    }
                    if site.meetings[m].status == MeetingStatus::Held {
                        if status.is_open() {
                            carried += 1;
                            site.meetings[m].carried_in.push((it, carried));
                        }
                        if m > last_update && site.meetings[m].date <= today {
                            held_since_update += 1;
                        }
                    }
                }
                // Steps in other groups' meetings after this group's last meeting.
                for s in &item.history[step + 1..] {
                    if s.kind != StepKind::Mentioned {
                        last_update = s.meeting;
                        held_since_update = 0;
                    }
                }
                let item = &mut site.items[it];
                item.carried = carried;
                item.overdue = item.status.is_open() && item.due.is_some_and(|d| d < today);
                item.stale = item.status.is_open() && held_since_update > stale_after;
                if item.stale {
                    let at = &site.meetings[last_update];
                    let line = item
                        .history
                        .iter()
                        .rev()
                        .find(|s| s.meeting == last_update)
                        .map(|s| s.line)
                        .unwrap_or(item.line);
                    self.diags.push(
                        Diagnostic::warning(
                            Code::StaleItem,
                            &at.path,
                            line,
                            1,
                            format!(
                                "`{}` is stale: open with no update in {} held meetings",
                                item.id, held_since_update
                            ),
                        )
                        .with_help(format!(
                            "update it with `ref: {}` and a status, or drop it",
                            item.id
                        )),
                    );
                }
            }
        }
    }
}
