//! The person page.

use super::Common;
use crate::model::{GroupId, MeetingId, PersonId, Site};
use crate::render::view::{percent, GroupLink, Index, ItemRow, MeetingRow};
use crate::resolve::attendance;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Context;

#[derive(Serialize)]
struct Rate {
    group: GroupLink,
    present: usize,
    regrets: usize,
    meetings: usize,
    rate: u32,
}

#[derive(Serialize)]
struct RoleCount {
    group: GroupLink,
    count: usize,
}

/// The person page.
pub(crate) fn person(c: &Common, root: &str, p: PersonId) -> Context {
    let (site, ix) = (c.site, c.ix);
    let person = &site.people[p];
    let mut ctx = c.context(root, &person.name, "people");
    ctx.insert("person", &ix.person(site, p, None));
    ctx.insert("handle", &person.handle);
    let email = if c.config.people.publish_email {
        person.email.clone()
    } else {
        None
    };
    ctx.insert("email", &email);
    let rows = ix.item_rows(&ix.owned[p]);
    let (open, closed): (Vec<&ItemRow>, Vec<&ItemRow>) = rows.into_iter().partition(|r| r.open);
    ctx.insert(
        "has_calendar",
        &(c.absolute && open.iter().any(|r| r.due.is_some())),
    );
    ctx.insert("open_items", &open);
    let private = crate::model::PrivateCounts::at(&site.private.open_by_person, p);
    ctx.insert(
        "private_items",
        &(private > 0).then(|| crate::minutes::private_items(private)),
    );
    ctx.insert("closed_items", &closed);
    // Attendance per group over the group's window, for the groups that
    // expect them (members, or seen in the window of a group without members).
    let window = c.config.site.attendance_window as usize;
    let mut groups_of: Vec<GroupId> = ix.member_of[p].clone();
    groups_of.extend(ix.attended[p].iter().map(|&m| site.meetings[m].group));
    groups_of.sort_unstable();
    groups_of.dedup();
    let rates: Vec<Rate> = groups_of
        .into_iter()
        .filter_map(|g| {
            let a = attendance::group_attendance(site, g, window);
            let r = a.record(p)?;
            Some(Rate {
                group: ix.groups[g].clone(),
                present: r.present,
                regrets: r.regrets,
                meetings: r.meetings(),
                rate: percent(r.present, r.meetings()),
            })
        })
        .collect();
    ctx.insert("rates", &rates);
    let attended: Vec<&MeetingRow> = ix.attended[p]
        .iter()
        .rev()
        .map(|&m| &ix.meetings[m])
        .collect();
    ctx.insert("attended", &attended);
    let groups = |gs: &[GroupId]| gs.iter().map(|&g| ix.groups[g].clone()).collect::<Vec<_>>();
    ctx.insert("chair_of", &groups(&ix.chairs[p]));
    ctx.insert("member_of", &groups(&ix.member_of[p]));
    ctx.insert("moderated", &role_counts(site, ix, &ix.moderated[p]));
    ctx.insert("noted", &role_counts(site, ix, &ix.noted[p]));
    ctx
}

fn role_counts(site: &Site, ix: &Index, ms: &[MeetingId]) -> Vec<RoleCount> {
    let mut counts: BTreeMap<GroupId, usize> = BTreeMap::new();
    for &m in ms {
        *counts.entry(site.meetings[m].group).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(g, count)| RoleCount {
            group: ix.groups[g].clone(),
            count,
        })
        .collect()
}
