//! "What did I miss?": what a run of meetings did, for the blocks "since
//! your last meeting" (person pages) and "since the last meeting" (meeting
//! pages). Pure; reads the resolved site.

use crate::model::{GroupId, ItemId, MeetingId, MeetingStatus, OutcomeKind, Site, StepKind};

/// What happened at a run of meetings: how much of each kind, and the
/// entries themselves (all of them, or the newest few; see [`between_meetings`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Happened {
    /// How many of each kind the run holds.
    pub(crate) counts: Counts,
    /// Decisions and resolutions: (meeting, index among its outcomes), in site order.
    pub(crate) decisions: Vec<(MeetingId, usize)>,
    /// Items opened, in site order.
    pub(crate) opened: Vec<ItemId>,
    /// Items closed (done or dropped from an open status), in site order.
    pub(crate) closed: Vec<ItemId>,
}

/// How many meetings, decisions, items opened and items closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) meetings: usize,
    pub(crate) decisions: usize,
    pub(crate) opened: usize,
    pub(crate) closed: usize,
}

impl Counts {
    fn minus(self, o: Counts) -> Counts {
        Counts {
            meetings: self.meetings - o.meetings,
            decisions: self.decisions - o.decisions,
            opened: self.opened - o.opened,
            closed: self.closed - o.closed,
        }
    }
}

impl Happened {
    /// Whether nothing at all was decided, opened or closed.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.decisions.is_empty() && self.opened.is_empty() && self.closed.is_empty()
    }
}

/// Whether meeting `m`'s step closed item `i`.
fn closed_at(site: &Site, i: ItemId, m: MeetingId) -> bool {
    let h = &site.items[i].history;
    h.iter()
        .position(|s| s.meeting == m)
        .is_some_and(|at| !h[at].status.is_open() && at > 0 && h[at - 1].status.is_open())
}

/// Meeting `m`'s decisions, items opened and items closed, each in order.
fn at_meeting(
    site: &Site,
    m: MeetingId,
) -> (
    impl DoubleEndedIterator<Item = (MeetingId, usize)> + '_,
    &[ItemId],
    impl DoubleEndedIterator<Item = ItemId> + '_,
) {
    let meeting = &site.meetings[m];
    let decisions = (meeting.outcomes.iter().enumerate())
        .filter(|(_, o)| o.kind != OutcomeKind::Outcome)
        .map(move |(k, _)| (m, k));
    let closed = (meeting.updated.iter().copied()).filter(move |&i| closed_at(site, i, m));
    (decisions, &meeting.opened, closed)
}

/// What `meetings` (in site order) decided, opened and closed: all of it.
pub(crate) fn happened(site: &Site, meetings: Vec<MeetingId>) -> Happened {
    let mut out = Happened::default();
    for &m in &meetings {
        let (decisions, opened, closed) = at_meeting(site, m);
        out.decisions.extend(decisions);
        out.opened.extend_from_slice(opened);
        out.closed.extend(closed);
    }
    out.counts = Counts {
        meetings: meetings.len(),
        decisions: out.decisions.len(),
        opened: out.opened.len(),
        closed: out.closed.len(),
    };
    out
}

/// Running totals over the site's held meetings in site order, so that a
/// run of meetings is counted without being walked: a meeting page's run
/// spans every group's meetings in between, which grows with the site.
pub(crate) struct Tally {
    /// `before[n]`: the totals over the held meetings numbered below `n`.
    before: Vec<Counts>,
}

impl Tally {
    pub(crate) fn new(site: &Site) -> Tally {
        let mut before = Vec::with_capacity(site.meetings.len() + 1);
        let mut c = Counts::default();
        before.push(c);
        for (m, meeting) in site.meetings.iter_enumerated() {
            if meeting.status == MeetingStatus::Held {
                let (decisions, opened, closed) = at_meeting(site, m);
                c.meetings += 1;
                c.decisions += decisions.count();
                c.opened += opened.len();
                c.closed += closed.count();
            }
            before.push(c);
        }
        Tally { before }
    }

    /// The totals over the held meetings numbered `from..to`.
    fn between(&self, from: usize, to: usize) -> Counts {
        self.before[to].minus(self.before[from])
    }
}

/// The held meetings of the whole site strictly between meeting `m`'s
/// previous held meeting of its group and `m` (none for a group's first),
/// with that previous meeting: counted in full, and the newest `cap` of
/// each kind (in site order).
pub(crate) fn between_meetings(
    site: &Site,
    tally: &Tally,
    m: MeetingId,
    cap: usize,
) -> Option<(MeetingId, Happened)> {
    let held = |x: MeetingId| site.meetings[x].status == MeetingStatus::Held;
    let group = &site.groups[site.meetings[m].group];
    let earlier = &group.meetings[..group.meetings.partition_point(|&x| x < m)];
    let prev = earlier.iter().copied().rfind(|&x| held(x))?;
    let mut out = Happened {
        counts: tally.between(prev.0 + 1, m.0),
        ..Happened::default()
    };
    // Meetings are numbered in site order: walk back from `m` until each
    // list holds its newest `cap` (or all it has).
    let n = out.counts;
    let want = [n.decisions, n.opened, n.closed].map(|total| total.min(cap));
    for x in (prev.0 + 1..m.0).rev().map(MeetingId).filter(|&x| held(x)) {
        if [out.decisions.len(), out.opened.len(), out.closed.len()] == want {
            break;
        }
        let (decisions, opened, closed) = at_meeting(site, x);
        take_newest(&mut out.decisions, decisions.rev(), want[0]);
        take_newest(&mut out.opened, opened.iter().rev().copied(), want[1]);
        take_newest(&mut out.closed, closed.rev(), want[2]);
    }
    out.decisions.reverse();
    out.opened.reverse();
    out.closed.reverse();
    Some((prev, out))
}

/// Adds to `into` from `newest_first` until it holds `want`.
fn take_newest<T>(into: &mut Vec<T>, newest_first: impl Iterator<Item = T>, want: usize) {
    into.extend(newest_first.take(want.saturating_sub(into.len())));
}

/// For a person and one group: the last meeting of the group they attended,
/// what the group's later held meetings (up to today) did,
/// and the items they own now that those meetings changed.
pub(crate) fn since_attended(
    site: &Site,
    attended: &[MeetingId],
    owned: &[ItemId],
    group: GroupId,
) -> Option<(MeetingId, Happened, Vec<ItemId>)> {
    let last = attended
        .iter()
        .copied()
        .rfind(|&m| site.meetings[m].group == group)?;
    let g = &site.groups[group];
    let after: Vec<MeetingId> = g
        .meetings
        .iter()
        .copied()
        .filter(|&x| x > last)
        .filter(|&x| {
            let mt = &site.meetings[x];
            mt.status == MeetingStatus::Held && mt.date <= site.today
        })
        .collect();
    let theirs: Vec<ItemId> = owned
        .iter()
        .copied()
        .filter(|&i| {
            site.items[i]
                .history
                .iter()
                .any(|s| s.kind != StepKind::Mentioned && after.binary_search(&s.meeting).is_ok())
        })
        .collect();
    Some((last, happened(site, after), theirs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActionItem, Group, HistoryStep, ItemStatus, Outcome, PersonId, TiVec};
    use crate::resolve::fixture::{self, meeting, step};

    fn m(i: usize) -> MeetingId {
        MeetingId(i)
    }

    fn it(i: usize) -> ItemId {
        ItemId(i)
    }

    fn item(id: &str, history: Vec<HistoryStep>) -> ActionItem {
        fixture::item(id, vec![PersonId(0)], history)
    }

    /// Group 0 meets on the 1st, 8th and 15th; group 1 on the 4th.
    fn site() -> Site {
        let mut meetings: TiVec<MeetingId, _> = TiVec::from(vec![
            meeting(0, "2024-01-01", MeetingStatus::Held),
            meeting(1, "2024-01-04", MeetingStatus::Held),
            meeting(0, "2024-01-08", MeetingStatus::Held),
            meeting(0, "2024-01-15", MeetingStatus::Held),
        ]);
        meetings[m(2)].prev = Some(m(0));
        meetings[m(3)].prev = Some(m(2));
        meetings[m(1)].outcomes.push(Outcome {
            text: "Adopt the charter".into(),
            kind: OutcomeKind::Decision,
            votes: None,
            id: None,
            lineage: Vec::new(),
            private: false,
            span: Default::default(),
        });
        meetings[m(0)].opened = vec![it(0)];
        meetings[m(1)].opened = vec![it(1)];
        meetings[m(1)].updated = vec![it(0)];
        meetings[m(2)].updated = vec![it(1)];
        let items: TiVec<ItemId, _> = TiVec::from(vec![
            item(
                "a",
                vec![
                    step(m(0), StepKind::Opened, ItemStatus::Open),
                    step(m(1), StepKind::Updated, ItemStatus::Done),
                ],
            ),
            item(
                "b",
                vec![
                    step(m(1), StepKind::Opened, ItemStatus::Open),
                    step(m(2), StepKind::Updated, ItemStatus::InProgress),
                ],
            ),
        ]);
        Site {
            groups: TiVec::from(vec![
                Group {
                    meetings: vec![m(0), m(2), m(3)],
                    ..Group::default()
                },
                Group {
                    meetings: vec![m(1)],
                    ..Group::default()
                },
            ]),
            meetings,
            items,
            today: "2024-02-01".parse().unwrap_or_default(),
            ..Site::default()
        }
    }

    #[test]
    fn between_two_meetings_of_a_group() {
        let s = site();
        let tally = Tally::new(&s);
        let (prev, h) = between_meetings(&s, &tally, m(2), 5).expect("has a previous meeting");
        assert_eq!(prev, m(0));
        assert_eq!(h.counts.meetings, 1);
        assert_eq!(h.decisions, vec![(m(1), 0)]);
        assert_eq!(
            (h.opened.clone(), h.closed.clone()),
            (vec![it(1)], vec![it(0)])
        );
        assert!(
            between_meetings(&s, &tally, m(0), 5).is_none(),
            "a group's first meeting"
        );
        assert!(between_meetings(&s, &tally, m(3), 5).is_some_and(|(_, h)| h.is_empty()));
    }

    #[test]
    fn a_capped_run_keeps_the_full_counts_and_the_newest_entries() {
        let s = site();
        let tally = Tally::new(&s);
        let full = happened(&s, vec![m(1)]);
        for cap in 0..3 {
            let (_, h) = between_meetings(&s, &tally, m(2), cap).expect("has a previous meeting");
            assert_eq!(h.counts, full.counts, "cap {cap}");
            let newest = |v: &[ItemId]| v[v.len().saturating_sub(cap)..].to_vec();
            assert_eq!(h.opened, newest(&full.opened), "cap {cap}");
            assert_eq!(h.closed, newest(&full.closed), "cap {cap}");
            assert_eq!(h.decisions.len(), full.decisions.len().min(cap));
        }
    }

    #[test]
    fn since_a_person_last_attended() {
        let s = site();
        let (last, h, theirs) =
            since_attended(&s, &[m(0)], &[it(0), it(1)], GroupId(0)).expect("attended");
        assert_eq!(last, m(0));
        assert_eq!(h.counts.meetings, 2);
        assert!(
            h.closed.is_empty(),
            "item a closed at the other group's meeting"
        );
        assert_eq!(theirs, vec![it(1)], "item b changed at the 8th");
        assert!(since_attended(&s, &[m(0)], &[], GroupId(1)).is_none());
    }
}
