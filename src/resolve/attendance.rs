//! Attendance and quorum, computed once from the resolved site for the group,
//! person and meeting pages and for `quorum new`.
//!
//! Who is expected: a group's declared members, else everyone seen at its held
//! meetings in the attendance window. The window of a group is its last
//! `attendance_window` held meetings; the window of one meeting is the
//! `attendance_window` held meetings of its group that end with it. Regrets
//! are counted apart: they are not present, and not silently absent either.

use crate::model::{Group, GroupId, MeetingId, MeetingStatus, PersonId, Site};

/// One person at one meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// Listed among the attendees.
    Present,
    /// Sent apologies.
    Regrets,
    /// Neither.
    Absent,
}

impl Presence {
    /// The word templates use (`present`, `regrets`, `absent`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Presence::Present => "present",
            Presence::Regrets => "regrets",
            Presence::Absent => "absent",
        }
    }
}

/// Where `person` was at meeting `m`.
pub(crate) fn presence(site: &Site, m: MeetingId, person: PersonId) -> Presence {
    let m = &site.meetings[m];
    if m.attendees.iter().any(|a| a.person == person) {
        Presence::Present
    } else if m.regrets.contains(&person) {
        Presence::Regrets
    } else {
        Presence::Absent
    }
}

/// One expected person's record over a window of meetings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PersonRecord {
    /// Who.
    pub person: PersonId,
    /// Their presence at each meeting of the window, oldest first.
    pub cells: Vec<Presence>,
    /// Meetings they attended.
    pub present: usize,
    /// Meetings they sent regrets to.
    pub regrets: usize,
}

impl PersonRecord {
    /// Meetings of the window (the denominator of their rate).
    pub(crate) fn meetings(&self) -> usize {
        self.cells.len()
    }
}

/// A group's attendance over its window.
#[derive(Debug, Clone, Default)]
pub(crate) struct GroupAttendance {
    /// The group's last `attendance_window` held meetings, oldest first.
    pub window: Vec<MeetingId>,
    /// Whether the expected people are the declared members (else: everyone seen in the window).
    pub from_members: bool,
    /// One row per expected person, sorted by name.
    pub rows: Vec<PersonRecord>,
}

impl GroupAttendance {
    /// People present at at least half of the window's meetings, sorted by name:
    /// the usual attendees of a group that declares no members.
    pub(crate) fn usual(&self) -> Vec<PersonId> {
        let n = self.window.len();
        self.rows
            .iter()
            .filter(|r| n > 0 && 2 * r.present >= n)
            .map(|r| r.person)
            .collect()
    }

    /// The record of `person`, if they are expected.
    pub(crate) fn record(&self, person: PersonId) -> Option<&PersonRecord> {
        self.rows.iter().find(|r| r.person == person)
    }
}

/// Held meetings of group `g`, in the group's order.
pub(crate) fn held(site: &Site, g: GroupId) -> Vec<MeetingId> {
    site.groups[g]
        .meetings
        .iter()
        .copied()
        .filter(|&m| site.meetings[m].status == MeetingStatus::Held)
        .collect()
}

/// Who is expected over `window`: the members, else everyone seen, sorted by name.
fn expected(site: &Site, group: &Group, window: &[MeetingId]) -> (Vec<PersonId>, bool) {
    let mut people: Vec<PersonId> = if group.members.is_empty() {
        window
            .iter()
            .flat_map(|&m| site.meetings[m].attendees.iter().map(|a| a.person))
            .collect()
    } else {
        group.members.clone()
    };
    people.sort_by(|a, b| {
        site.people[*a]
            .name
            .cmp(&site.people[*b].name)
            .then(a.cmp(b))
    });
    people.dedup();
    (people, !group.members.is_empty())
}

/// Group `g`'s attendance over its last `window` held meetings.
pub(crate) fn group_attendance(site: &Site, g: GroupId, window: usize) -> GroupAttendance {
    let held = held(site, g);
    let recent = held[held.len().saturating_sub(window)..].to_vec();
    let (people, from_members) = expected(site, &site.groups[g], &recent);
    let rows = people
        .into_iter()
        .map(|p| {
            let cells: Vec<Presence> = recent.iter().map(|&m| presence(site, m, p)).collect();
            PersonRecord {
                person: p,
                present: cells.iter().filter(|c| **c == Presence::Present).count(),
                regrets: cells.iter().filter(|c| **c == Presence::Regrets).count(),
                cells,
            }
        })
        .collect();
    GroupAttendance {
        window: recent,
        from_members,
        rows,
    }
}

/// One meeting's attendance against who was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct MeetingAttendance {
    /// People expected (members, else everyone seen in the meeting's window).
    pub expected: usize,
    /// Expected people present.
    pub present: usize,
    /// Expected people who sent regrets.
    pub regrets: usize,
    /// Attendees who were not expected (guests).
    pub guests: usize,
    /// Attendees the group's quorum needs, if it sets one it can count.
    pub quorum_needed: Option<usize>,
    /// Whether the quorum was reached (held meetings of groups with a quorum).
    pub quorum_met: Option<bool>,
}

/// Meeting `m`'s attendance, its window being the `window` held meetings of
/// its group that end with it.
pub(crate) fn meeting_attendance(site: &Site, m: MeetingId, window: usize) -> MeetingAttendance {
    let meeting = &site.meetings[m];
    let group = &site.groups[meeting.group];
    // Walk back from the meeting: at most `window` held meetings, the meeting included.
    let at = group.meetings.partition_point(|&h| h <= m);
    let mut recent: Vec<MeetingId> = group.meetings[..at]
        .iter()
        .rev()
        .copied()
        .filter(|&h| h != m && site.meetings[h].status == MeetingStatus::Held)
        .take(window.max(1) - 1)
        .collect();
    recent.reverse();
    recent.push(m);
    let (people, _) = expected(site, group, &recent);
    let present = people
        .iter()
        .filter(|&&p| presence(site, m, p) == Presence::Present)
        .count();
    let regrets = people
        .iter()
        .filter(|&&p| presence(site, m, p) == Presence::Regrets)
        .count();
    let guests = meeting
        .attendees
        .iter()
        .filter(|a| !people.contains(&a.person))
        .count();
    MeetingAttendance {
        expected: people.len(),
        present,
        regrets,
        guests,
        quorum_needed: quorum_needed(group),
        quorum_met: meeting.quorum_met,
    }
}

/// The number of attendees a group's quorum needs, if it sets one: a count,
/// or a fraction of its members (rounded up, at least one).
pub(crate) fn quorum_needed(group: &Group) -> Option<usize> {
    let q = group.quorum?;
    if !q.is_finite() || q <= 0.0 {
        None
    } else if q >= 1.0 {
        Some(q.ceil() as usize)
    } else if group.members.is_empty() {
        None
    } else {
        Some((q * group.members.len() as f64).ceil().max(1.0) as usize)
    }
}

/// Sets each held meeting's `quorum_met`: members present (or, for a group
/// that declares none, attendees) against the group's quorum.
pub(crate) fn set_quorum(site: &mut Site) {
    for m in &mut site.meetings {
        let g = &site.groups[m.group];
        let Some(needed) = quorum_needed(g) else {
            continue;
        };
        if m.status != MeetingStatus::Held {
            continue;
        }
        let present = if g.members.is_empty() {
            m.attendees.len()
        } else {
            m.attendees
                .iter()
                .filter(|a| g.members.contains(&a.person))
                .count()
        };
        m.quorum_met = Some(present >= needed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attendee, Meeting, MeetingId, Person, TiVec};
    use chrono::NaiveDate;

    fn meeting(group: usize, day: u32, status: MeetingStatus, att: &[usize]) -> Meeting {
        let date = NaiveDate::from_ymd_opt(2024, 1, day).unwrap_or_default();
        Meeting {
            path: format!("g/{date}.md"),
            url: String::new(),
            title: String::new(),
            attendees: att
                .iter()
                .map(|&p| Attendee {
                    person: PersonId(p),
                    affiliation: None,
                })
                .collect(),
            ..crate::resolve::fixture::meeting(group, &date.to_string(), status)
        }
    }

    fn site(members: Vec<usize>, quorum: Option<f64>) -> Site {
        let people = ["Ann", "Bob", "Cy", "Dee"]
            .iter()
            .map(|n| Person {
                name: n.to_string(),
                ..Default::default()
            })
            .collect();
        let mut meetings: Vec<Meeting> = vec![
            meeting(0, 1, MeetingStatus::Held, &[0, 1, 2]),
            meeting(0, 8, MeetingStatus::Cancelled, &[]),
            meeting(0, 15, MeetingStatus::Held, &[0, 3]),
            meeting(0, 22, MeetingStatus::Held, &[0]),
        ];
        meetings[3].regrets = vec![PersonId(1)];
        let mut s = Site {
            groups: vec![Group {
                members: members.into_iter().map(PersonId).collect(),
                quorum,
                meetings: (0..4).map(MeetingId).collect(),
                ..Default::default()
            }]
            .into(),
            people,
            meetings: meetings.into(),
            items: TiVec::new(),
            today: NaiveDate::from_ymd_opt(2024, 2, 1).unwrap_or_default(),
            ..Default::default()
        };
        set_quorum(&mut s);
        s
    }

    #[test]
    fn members_are_expected_and_regrets_counted_apart() {
        let s = site(vec![0, 1], Some(0.5));
        let a = group_attendance(&s, GroupId(0), 10);
        assert_eq!(
            a.window,
            [MeetingId(0), MeetingId(2), MeetingId(3)],
            "cancelled meetings are not counted"
        );
        assert!(a.from_members);
        let bob = a.record(PersonId(1)).expect("Bob is a member");
        assert_eq!((bob.present, bob.regrets, bob.meetings()), (1, 1, 3));
        assert_eq!(
            bob.cells,
            vec![Presence::Present, Presence::Absent, Presence::Regrets]
        );
        assert!(a.record(PersonId(3)).is_none(), "a guest is not expected");
        let m = meeting_attendance(&s, MeetingId(3), 10);
        assert_eq!((m.expected, m.present, m.regrets, m.guests), (2, 1, 1, 0));
        assert_eq!(m.quorum_needed, Some(1));
        assert_eq!(m.quorum_met, Some(true));
        assert_eq!(
            s.meetings[MeetingId(1)].quorum_met,
            None,
            "not held, no quorum"
        );
    }

    #[test]
    fn without_members_everyone_seen_in_the_window_is_expected() {
        let s = site(vec![], Some(2.0));
        let a = group_attendance(&s, GroupId(0), 2);
        assert_eq!(a.window, [MeetingId(2), MeetingId(3)]);
        let names: Vec<&str> = a
            .rows
            .iter()
            .map(|r| s.people[r.person].name.as_str())
            .collect();
        assert_eq!(names, vec!["Ann", "Dee"]);
        assert_eq!(a.usual(), [PersonId(0), PersonId(3)]);
        assert_eq!(
            s.meetings[MeetingId(3)].quorum_met,
            Some(false),
            "one of two needed"
        );
        assert_eq!(s.meetings[MeetingId(2)].quorum_met, Some(true));
        let m = meeting_attendance(&s, MeetingId(0), 10);
        assert_eq!((m.expected, m.present), (3, 3));
    }
}
