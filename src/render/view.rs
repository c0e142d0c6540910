//! What templates see: plain serialisable rows built from the resolved site,
//! and the per-site index (who owns what, who attended what) pages share.

use crate::model::{GroupId, ItemId, MeetingId, MeetingStatus, PersonId, Site, TiVec};
use serde::Serialize;

/// A link to a person, with the affiliation shown beside the name.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PersonLink {
    pub name: String,
    pub url: String,
    pub affiliation: Option<String>,
}

/// A link to a group.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GroupLink {
    pub key: String,
    pub name: String,
    pub url: String,
}

/// One meeting in a list.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MeetingRow {
    pub title: String,
    /// What names it in headings and tabs: "SIG Docs, 2026-04-15", or a given
    /// title with the date; unique within its group.
    pub heading: String,
    pub date: String,
    pub year: i32,
    pub url: String,
    pub status: &'static str,
    pub group: GroupLink,
    pub attendees: usize,
    /// Whether the group's quorum was reached (held meetings of groups with one).
    pub quorum_met: Option<bool>,
}

/// One action item in a table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ItemRow {
    pub id: String,
    pub url: String,
    pub task: String,
    pub status: &'static str,
    /// The status as a reader says it ("in progress").
    pub status_label: &'static str,
    pub open: bool,
    pub owners: Vec<PersonLink>,
    /// The group as written when the whole group owns it.
    pub group_owner: Option<String>,
    /// No owner named at all.
    pub unassigned: bool,
    pub group: GroupLink,
    pub due: Option<String>,
    pub overdue: bool,
    /// Days past the due date (open items; 0 when not overdue).
    pub overdue_days: i64,
    pub stale: bool,
    pub carried: u32,
    pub opened: String,
    pub opened_url: String,
    pub closed: Option<String>,
}

/// Everything pages look up across the site, computed once per render.
pub(crate) struct Index {
    pub groups: TiVec<GroupId, GroupLink>,
    pub items: TiVec<ItemId, ItemRow>,
    pub meetings: TiVec<MeetingId, MeetingRow>,
    /// Items each person owns now.
    pub owned: TiVec<PersonId, Vec<ItemId>>,
    /// Meetings each person attended, in site order.
    pub attended: TiVec<PersonId, Vec<MeetingId>>,
    /// Meetings each person sent regrets to.
    pub regrets: TiVec<PersonId, Vec<MeetingId>>,
    /// Meetings each person moderated.
    pub moderated: TiVec<PersonId, Vec<MeetingId>>,
    /// Meetings each person took notes at.
    pub noted: TiVec<PersonId, Vec<MeetingId>>,
    /// Groups each person chairs.
    pub chairs: TiVec<PersonId, Vec<GroupId>>,
    /// Groups each person is a declared member of.
    pub member_of: TiVec<PersonId, Vec<GroupId>>,
    /// Held meetings of each group, in the group's order.
    pub held: TiVec<GroupId, Vec<MeetingId>>,
}

impl Index {
    pub(super) fn new(site: &Site) -> Index {
        let n = site.people.len();
        let groups: TiVec<GroupId, GroupLink> = site
            .groups
            .iter()
            .map(|g| GroupLink {
                key: g.key.clone(),
                name: g.name.clone(),
                url: g.url.clone(),
            })
            .collect();
        let person = |p: PersonId| PersonLink {
            name: site.people[p].name.clone(),
            url: site.people[p].url.clone(),
            affiliation: site.people[p].affiliation.clone(),
        };
        // The rows are independent: built in parallel.
        use rayon::prelude::*;
        let item_rows = || {
            site.items
                .raw
                .par_iter()
                .map(|i| {
                    let opened = &site.meetings[i.opened_in];
                    ItemRow {
                        id: i.id.clone(),
                        url: i.url.clone(),
                        task: i.task.clone(),
                        status: i.status.as_str(),
                        status_label: status_label(i.status),
                        open: i.status.is_open(),
                        owners: i.owners.iter().map(|&p| person(p)).collect(),
                        group_owner: i.group_owner.clone(),
                        unassigned: i.owners.is_empty() && i.group_owner.is_none(),
                        group: groups[i.group].clone(),
                        due: i.due.map(|d| d.to_string()),
                        overdue: i.overdue,
                        overdue_days: match i.due {
                            Some(d) if i.overdue => (site.today - d).num_days(),
                            _ => 0,
                        },
                        stale: i.stale,
                        carried: i.carried,
                        opened: opened.date.to_string(),
                        opened_url: opened.url.clone(),
                        closed: i.closed.map(|d| d.to_string()),
                    }
                })
                .collect::<Vec<_>>()
                .into()
        };
        let meeting_rows = || {
            site.meetings
                .raw
                .par_iter()
                .map(|m| MeetingRow {
                    title: m.title.clone(),
                    heading: base_heading(m, &groups[m.group].name),
                    date: m.date.to_string(),
                    year: chrono::Datelike::year(&m.date),
                    url: m.url.clone(),
                    status: m.status.as_str(),
                    group: groups[m.group].clone(),
                    attendees: m.attendees.len(),
                    quorum_met: m.quorum_met,
                })
                .collect::<Vec<_>>()
                .into()
        };
        let (items, mut meetings): (TiVec<ItemId, ItemRow>, TiVec<MeetingId, MeetingRow>) =
            rayon::join(item_rows, meeting_rows);
        unique_headings(site, &mut meetings);
        let mut ix = Index {
            groups,
            items,
            meetings,
            owned: vec![Vec::new(); n].into(),
            attended: vec![Vec::new(); n].into(),
            regrets: vec![Vec::new(); n].into(),
            moderated: vec![Vec::new(); n].into(),
            noted: vec![Vec::new(); n].into(),
            chairs: vec![Vec::new(); n].into(),
            member_of: vec![Vec::new(); n].into(),
            held: vec![Vec::new(); site.groups.len()].into(),
        };
        for (id, item) in site.items.iter_enumerated() {
            for &p in &item.owners {
                push_unique(&mut ix.owned[p], id);
            }
        }
        for (id, m) in site.meetings.iter_enumerated() {
            for a in &m.attendees {
                push_unique(&mut ix.attended[a.person], id);
            }
            for &p in &m.regrets {
                push_unique(&mut ix.regrets[p], id);
            }
            for &p in &m.moderators {
                push_unique(&mut ix.moderated[p], id);
            }
            for &p in &m.note_takers {
                push_unique(&mut ix.noted[p], id);
            }
        }
        for (gid, g) in site.groups.iter_enumerated() {
            for &p in &g.chairs {
                push_unique(&mut ix.chairs[p], gid);
            }
            for &p in &g.members {
                push_unique(&mut ix.member_of[p], gid);
            }
            ix.held[gid] = g
                .meetings
                .iter()
                .copied()
                .filter(|&m| site.meetings[m].status == MeetingStatus::Held)
                .collect();
        }
        ix
    }

    pub(super) fn person(&self, site: &Site, p: PersonId, affiliation: Option<&str>) -> PersonLink {
        let person = &site.people[p];
        PersonLink {
            name: person.name.clone(),
            url: person.url.clone(),
            affiliation: affiliation
                .map(str::to_string)
                .or_else(|| person.affiliation.clone()),
        }
    }

    pub(super) fn people(&self, site: &Site, ps: &[PersonId]) -> Vec<PersonLink> {
        ps.iter().map(|&p| self.person(site, p, None)).collect()
    }

    /// Item rows in the order lists show them: open first (earliest due
    /// first, undated last), then closed (latest closed first); ties by id.
    pub(super) fn item_rows(&self, ids: &[ItemId]) -> Vec<&ItemRow> {
        let mut rows: Vec<&ItemRow> = ids.iter().map(|&i| &self.items[i]).collect();
        rows.sort_by(|a, b| item_order(a, b));
        rows
    }
}

/// Open before closed; open by due date (none last); closed by closing date, newest first.
pub(crate) fn item_order(a: &ItemRow, b: &ItemRow) -> std::cmp::Ordering {
    b.open
        .cmp(&a.open)
        .then_with(|| {
            if a.open {
                (a.due.is_none(), &a.due).cmp(&(b.due.is_none(), &b.due))
            } else {
                b.closed.cmp(&a.closed)
            }
        })
        .then_with(|| a.id.cmp(&b.id))
}

/// The status as a reader says it.
pub(crate) fn status_label(s: crate::model::ItemStatus) -> &'static str {
    match s {
        crate::model::ItemStatus::InProgress => "in progress",
        other => other.as_str(),
    }
}

/// "Group, date" for a meeting with the default title; a given title with
/// the date after a dash ("SIG Security, January — 2026-01-21"), unless the
/// title holds the date already.
fn base_heading(m: &crate::model::Meeting, group: &str) -> String {
    let date = m.date.to_string();
    if m.title == format!("{group} meeting") {
        format!("{group}, {date}")
    } else if m.title.contains(&date) {
        m.title.clone()
    } else {
        format!("{} \u{2014} {date}", m.title)
    }
}

/// Meetings of one group with the same heading (two on a day): the start
/// time is added, then a number, so every heading and tab title differs.
fn unique_headings(site: &Site, rows: &mut TiVec<MeetingId, MeetingRow>) {
    for g in &site.groups {
        let mut seen: std::collections::HashMap<String, Vec<MeetingId>> =
            std::collections::HashMap::new();
        for &m in &g.meetings {
            seen.entry(rows[m].heading.clone()).or_default().push(m);
        }
        let mut clashes: Vec<Vec<MeetingId>> = seen.into_values().filter(|v| v.len() > 1).collect();
        clashes.sort();
        for ids in clashes {
            for (n, &m) in ids.iter().enumerate() {
                let mut h = rows[m].heading.clone();
                if let Some(t) = site.meetings[m].time {
                    h.push_str(&format!(" at {}", t.format("%H:%M")));
                }
                if ids
                    .iter()
                    .filter(|&&o| site.meetings[o].time == site.meetings[m].time)
                    .count()
                    > 1
                {
                    h.push_str(&format!(" ({})", n + 1));
                }
                rows[m].heading = h;
            }
        }
    }
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if v.last() != Some(&x) {
        v.push(x);
    }
}

/// A percentage, rounded, for display.
pub(crate) fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        0
    } else {
        ((part as f64 * 100.0) / whole as f64).round() as u32
    }
}
