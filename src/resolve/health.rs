//! Action health: the figures a chair looks at to see whether a group's (or
//! a person's) action list is healthy. Pure; reads the resolved site.
//!
//! - Open items by age: days since the meeting that opened them, in four
//!   bins ([`AGE_BINS`]).
//! - Median days to close: from the opening meeting to the closing date, over
//!   the closed items.
//! - Items carried five or more times: open items carried into at least
//!   [`LONG_CARRIED`] held meetings.
//! - Open items per owner (a group's load).
//! - Open items after each held meeting, and attendance at each.

use crate::model::{GroupId, ItemId, MeetingId, MeetingStatus, PersonId, Site};

/// The age bins of open items: labels and the first day after each.
pub(crate) const AGE_BINS: [(&str, i64); 4] = [
    ("under 30 days", 30),
    ("30–90 days", 90),
    ("90–180 days", 180),
    ("over 180 days", i64::MAX),
];
/// An open item carried into this many held meetings is counted as long carried.
pub(crate) const LONG_CARRIED: u32 = 5;

/// The health figures of a set of items.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Health {
    /// Open items per age bin (see [`AGE_BINS`]).
    pub(crate) ages: [usize; 4],
    /// Open items.
    pub(crate) open: usize,
    /// Closed items.
    pub(crate) closed: usize,
    /// Median days from opening to closing, over the closed items.
    pub(crate) median_days_to_close: Option<f64>,
    /// Open items carried [`LONG_CARRIED`] times or more.
    pub(crate) long_carried: usize,
}

/// The figures of `items`, ages counted to the site's today.
pub(crate) fn health(site: &Site, items: &[ItemId]) -> Health {
    let mut h = Health {
        ages: [0; 4],
        open: 0,
        closed: 0,
        median_days_to_close: None,
        long_carried: 0,
    };
    let mut close_days: Vec<i64> = Vec::new();
    for &i in items {
        let item = &site.items[i];
        let opened = site.meetings[item.opened_in].date;
        if item.status.is_open() {
            h.open += 1;
            let age = (site.today - opened).num_days().max(0);
            let bin = AGE_BINS.iter().position(|&(_, end)| age < end).unwrap_or(3);
            h.ages[bin] += 1;
            if item.carried >= LONG_CARRIED {
                h.long_carried += 1;
            }
        } else {
            h.closed += 1;
            if let Some(closed) = item.closed {
                close_days.push((closed - opened).num_days().max(0));
            }
        }
    }
    close_days.sort_unstable();
    let n = close_days.len();
    if n > 0 {
        h.median_days_to_close = Some(if n % 2 == 1 {
            close_days[n / 2] as f64
        } else {
            (close_days[n / 2 - 1] + close_days[n / 2]) as f64 / 2.0
        });
    }
    h
}

/// Who carries a group's open items: each owner's count, most first (ties
/// by name); `None` stands for the items with no owner named.
pub(crate) fn load_per_owner(site: &Site, items: &[ItemId]) -> Vec<(Option<PersonId>, usize)> {
    let mut counts: std::collections::BTreeMap<Option<PersonId>, usize> = Default::default();
    for &i in items {
        let item = &site.items[i];
        if !item.status.is_open() {
            continue;
        }
        if item.owners.is_empty() {
            *counts.entry(None).or_default() += 1;
        }
        for &p in &item.owners {
            *counts.entry(Some(p)).or_default() += 1;
        }
    }
    let name = |p: &Option<PersonId>| p.map(|p| site.people[p].name.as_str()).unwrap_or("");
    let mut list: Vec<(Option<PersonId>, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| a.0.is_none().cmp(&b.0.is_none()))
            .then_with(|| name(&a.0).cmp(name(&b.0)))
    });
    list
}

/// The group's held meetings with, for each, how many of the group's items
/// were open once it ended and how many people attended.
pub(crate) fn over_time(site: &Site, g: GroupId) -> Vec<(MeetingId, usize, usize)> {
    // Each time an item of the group opens or closes, by meeting (site order).
    let mut events: Vec<(MeetingId, i64)> = Vec::new();
    for item in site.items.iter().filter(|i| i.group == g) {
        let mut open = false;
        for step in &item.history {
            let now = step.status.is_open();
            if now != open {
                events.push((step.meeting, if now { 1 } else { -1 }));
                open = now;
            }
        }
    }
    events.sort_unstable();
    let mut out = Vec::new();
    let (mut at, mut count) = (0usize, 0i64);
    for &m in &site.groups[g].meetings {
        while at < events.len() && events[at].0 <= m {
            count += events[at].1;
            at += 1;
        }
        let meeting = &site.meetings[m];
        if meeting.status == MeetingStatus::Held && meeting.date <= site.today {
            out.push((m, count.max(0) as usize, meeting.attendees.len()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActionItem, Group, HistoryStep, ItemStatus, Person, StepKind, TiVec};
    use crate::resolve::fixture::{self, meeting};

    fn step(meeting: MeetingId, status: ItemStatus) -> HistoryStep {
        fixture::step(meeting, StepKind::Updated, status)
    }

    fn item(
        opened_in: MeetingId,
        owners: Vec<PersonId>,
        steps: &[(MeetingId, ItemStatus)],
    ) -> ActionItem {
        let mut history = vec![step(opened_in, ItemStatus::Open)];
        history.extend(steps.iter().map(|&(m, s)| step(m, s)));
        let mut it = fixture::item(
            &format!("i{}-{}", opened_in.0, steps.len()),
            owners,
            history,
        );
        it.explicit_id = false;
        it
    }

    fn site() -> Site {
        let dates = ["2024-01-01", "2024-02-15", "2024-04-01", "2024-06-01"];
        let meetings = dates
            .iter()
            .map(|d| meeting(0, d, MeetingStatus::Held))
            .collect();
        let (m, p) = (MeetingId, PersonId);
        let mut items: TiVec<ItemId, ActionItem> = TiVec::from(vec![
            item(m(0), vec![p(0)], &[]),
            item(m(0), vec![p(0), p(1)], &[(m(1), ItemStatus::Done)]),
            item(
                m(1),
                vec![],
                &[(m(2), ItemStatus::Done), (m(3), ItemStatus::Open)],
            ),
            item(m(2), vec![p(1)], &[(m(3), ItemStatus::Dropped)]),
            item(m(3), vec![p(1)], &[]),
        ]);
        items[ItemId(0)].carried = 5;
        items[ItemId(1)].closed = "2024-02-15".parse().ok();
        items[ItemId(3)].closed = "2024-06-01".parse().ok();
        Site {
            groups: TiVec::from(vec![Group {
                meetings: vec![m(0), m(1), m(2), m(3)],
                ..Group::default()
            }]),
            people: TiVec::from(vec![
                Person {
                    name: "Ann".into(),
                    ..Person::default()
                },
                Person {
                    name: "Bob".into(),
                    ..Person::default()
                },
            ]),
            meetings,
            items,
            today: "2024-06-20".parse().unwrap_or_default(),
            ..Site::default()
        }
    }

    #[test]
    fn figures_of_a_group() {
        let s = site();
        let all: Vec<ItemId> = s.items.keys().collect();
        let h = health(&s, &all);
        // Open: item 0 (171 days), item 2 (126 days, reopened), item 4 (19 days).
        assert_eq!(h.ages, [1, 0, 2, 0]);
        assert_eq!((h.open, h.closed, h.long_carried), (3, 2, 1));
        // Closed after 45 and 61 days.
        assert_eq!(h.median_days_to_close, Some(53.0));
        assert_eq!(
            load_per_owner(&s, &all),
            vec![(Some(PersonId(0)), 1), (Some(PersonId(1)), 1), (None, 1)]
        );
        let counts: Vec<usize> = over_time(&s, GroupId(0)).iter().map(|t| t.1).collect();
        assert_eq!(counts, vec![2, 2, 2, 3]);
    }
}
