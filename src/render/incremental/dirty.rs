//! Which pages an edit can have changed: the two sites compared index for
//! index (see the module docs of [`super`]).

use super::Memo;
use crate::model::{GroupId, ItemId, MeetingId, PersonId, Site, TiVec};
use crate::render::{pages, view, Job, Page};

/// What differs between the last site and the new one, by index.
struct Changes {
    /// Meetings that differ in anything.
    meeting: TiVec<MeetingId, bool>,
    /// Meetings whose row (title, heading, date, status, attendee count)
    /// differs. A heading is made unique within its group, so it can change
    /// when only a sibling meeting's title, date or time does.
    row: TiVec<MeetingId, bool>,
    /// Groups whose held meetings, or their order, differ.
    group_order: TiVec<GroupId, bool>,
    /// Items that differ, or whose opening meeting's row does.
    item: TiVec<ItemId, bool>,
    /// Groups whose page may differ.
    group: TiVec<GroupId, bool>,
}

/// Which jobs to render again, or `None` when the two sites cannot be
/// matched index for index (render everything).
pub(super) fn dirty_pages(
    prev: &Memo,
    site: &Site,
    ix: &view::Index,
    order: &[ItemId],
    open_count: usize,
    jobs: &[Job],
    touched: &TiVec<MeetingId, bool>,
) -> Option<Vec<bool>> {
    if !same_shape(&prev.site, site) {
        return None;
    }
    let ch = Changes::between(prev, site, ix);
    let any_item_changed = ch.item.iter().any(|c| *c);
    let any_meeting_changed = ch.meeting.iter().any(|c| *c);
    let actions_all = order != prev.order.as_slice() || open_count != prev.open_count;
    let changed_action_pages: std::collections::BTreeSet<usize> = order
        .iter()
        .enumerate()
        .filter(|(_, &i)| ch.item[i])
        .map(|(pos, _)| pos / pages::ACTIONS_PAGE + 1)
        .collect();
    let dirty = jobs
        .iter()
        .map(|job| match job.page {
            Page::Home | Page::Groups | Page::People | Page::NotFound | Page::Search => true,
            Page::Links => any_meeting_changed || any_item_changed,
            Page::Decisions | Page::Decision(_) => {
                any_meeting_changed || prev.site.decisions != site.decisions
            }
            Page::Actions(n) => {
                any_item_changed && (actions_all || changed_action_pages.contains(&n))
            }
            Page::Group(g) => ch.group[g],
            Page::Meeting(m) => meeting_dirty(site, &ch, touched, m) || since_dirty(site, &ch, m),
            Page::Item(i) => {
                ch.item[i]
                    || site.items[i]
                        .history
                        .iter()
                        .any(|s| ch.row[s.meeting] || touched[s.meeting])
            }
            Page::Person(p) => {
                person_dirty(prev, site, ix, &ch, p) || person_since_dirty(site, ix, &ch, p)
            }
        })
        .collect();
    Some(dirty)
}

/// Whether the two sites can be matched index for index: the same people,
/// the same groups, meetings and items at the same URLs.
fn same_shape(old: &Site, site: &Site) -> bool {
    old.today == site.today
        && old.people == site.people
        && old.private == site.private
        && old.decisions.len() == site.decisions.len()
        && old
            .decisions
            .iter()
            .zip(&site.decisions)
            .all(|(a, b)| a.url == b.url)
        && old.groups.len() == site.groups.len()
        && old.meetings.len() == site.meetings.len()
        && old.items.len() == site.items.len()
        && old.groups.iter().zip(&site.groups).all(|(a, b)| {
            a.key == b.key && a.name == b.name && a.url == b.url && a.meetings == b.meetings
        })
        && old
            .meetings
            .iter()
            .zip(&site.meetings)
            .all(|(a, b)| a.url == b.url && a.group == b.group)
        && old
            .items
            .iter()
            .zip(&site.items)
            .all(|(a, b)| a.url == b.url && a.group == b.group)
}

impl Changes {
    /// Compares the site of `prev` with `site` (of the same shape).
    fn between(prev: &Memo, site: &Site, ix: &view::Index) -> Changes {
        let (old, old_ix) = (&prev.site, &prev.ix);
        let pairs = || old.meetings.iter().zip(&site.meetings);
        let meeting: TiVec<MeetingId, bool> = pairs().map(|(a, b)| a != b).collect();
        // What lists of meetings show: a meeting's row.
        let row: TiVec<MeetingId, bool> = pairs()
            .zip(old_ix.meetings.iter().zip(&ix.meetings))
            .map(|((a, b), (ra, rb))| {
                ra.heading != rb.heading
                    || a.title != b.title
                    || a.date != b.date
                    || a.status != b.status
                    || a.attendees.len() != b.attendees.len()
            })
            .collect();
        // What attendance rates count: which meetings were held, in what order.
        let mut group_order: TiVec<GroupId, bool> = site
            .groups
            .keys()
            .map(|g| old_ix.held[g] != ix.held[g])
            .collect();
        for (a, b) in pairs() {
            if a.date != b.date || a.time != b.time || a.path != b.path || a.status != b.status {
                group_order[b.group] = true;
            }
        }
        let item: TiVec<ItemId, bool> = old
            .items
            .iter()
            .zip(&site.items)
            .map(|(a, b)| a != b || row[a.opened_in] || row[b.opened_in])
            .collect();
        let mut group: TiVec<GroupId, bool> = old
            .groups
            .iter()
            .zip(&site.groups)
            .zip(site.groups.keys())
            .map(|((a, b), g)| a != b || old_ix.held[g] != ix.held[g])
            .collect();
        for (m, _) in meeting.iter_enumerated().filter(|(_, c)| **c) {
            group[site.meetings[m].group] = true;
        }
        for (i, _) in item.iter_enumerated().filter(|(_, c)| **c) {
            group[site.items[i].group] = true;
        }
        Changes {
            meeting,
            row,
            group_order,
            item,
            group,
        }
    }
}

/// Whether meeting `m`'s page may differ.
fn meeting_dirty(
    site: &Site,
    ch: &Changes,
    touched: &TiVec<MeetingId, bool>,
    m: MeetingId,
) -> bool {
    let mt = &site.meetings[m];
    // Git history shows on a meeting's page and on its items' pages only
    // (and in every footer: see render_since).
    touched[m]
        || ch.meeting[m]
        || ch.row[m]
        || mt.prev.is_some_and(|p| ch.row[p])
        || mt.next.is_some_and(|n| ch.row[n])
        || mt
            .opened
            .iter()
            .chain(&mt.updated)
            .chain(mt.carried_in.iter().map(|(i, _)| i))
            .any(|&i| ch.item[i])
        // A planned meeting lists its group's open items.
        || (mt.status == crate::model::MeetingStatus::Planned && ch.group[mt.group])
}

/// Whether what meeting `m`'s block "since the last meeting" shows may
/// differ: a meeting between the group's previous one and `m`, or an item
/// such a meeting opened or updated, changed.
fn since_dirty(site: &Site, ch: &Changes, m: MeetingId) -> bool {
    let Some(prev) = site.meetings[m].prev else {
        return false;
    };
    (prev.0 + 1..m.0).map(MeetingId).any(|x| {
        let mt = &site.meetings[x];
        ch.meeting[x] || mt.opened.iter().chain(&mt.updated).any(|&i| ch.item[i])
    })
}

/// Whether person `p`'s blocks "since your last meeting" or their action
/// health may differ: a meeting or item of a group they attended changed.
fn person_since_dirty(site: &Site, ix: &view::Index, ch: &Changes, p: PersonId) -> bool {
    ix.attended[p]
        .iter()
        .any(|&m| ch.group[site.meetings[m].group])
}

/// Whether person `p`'s page may differ.
fn person_dirty(prev: &Memo, site: &Site, ix: &view::Index, ch: &Changes, p: PersonId) -> bool {
    let old_ix = &prev.ix;
    let lists_differ = old_ix.owned[p] != ix.owned[p]
        || old_ix.attended[p] != ix.attended[p]
        || old_ix.moderated[p] != ix.moderated[p]
        || old_ix.noted[p] != ix.noted[p]
        || old_ix.chairs[p] != ix.chairs[p]
        || old_ix.member_of[p] != ix.member_of[p];
    lists_differ
        || ix.owned[p].iter().any(|&i| ch.item[i])
        || ix.attended[p]
            .iter()
            .any(|&m| ch.row[m] || ch.group_order[site.meetings[m].group])
}
