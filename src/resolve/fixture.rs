//! Small resolved sites for the unit tests of the pure modules.

use crate::model::{
    ActionItem, GroupId, HistoryStep, ItemStatus, Meeting, MeetingId, MeetingStatus, PersonId,
    StepKind,
};
use chrono::NaiveDate;

/// A meeting of `group` on `date` (`YYYY-MM-DD`) with nothing in it.
pub(crate) fn meeting(group: usize, date: &str, status: MeetingStatus) -> Meeting {
    let date: NaiveDate = date.parse().unwrap_or_default();
    Meeting {
        group: GroupId(group),
        path: format!("content/g{group}/{date}.md"),
        slug: date.to_string(),
        url: format!("groups/g{group}/{date}/"),
        title: "Meeting".into(),
        date,
        time: None,
        duration: 60,
        timezone: "UTC".into(),
        status,
        location: None,
        moderators: vec![],
        note_takers: vec![],
        attendees: vec![],
        regrets: vec![],
        agenda: vec![],
        outcomes: vec![],
        tags: vec![],
        extra: Default::default(),
        body: "".into(),
        body_line: 1,
        opened: vec![],
        updated: vec![],
        mentioned: vec![],
        carried_in: vec![],
        quorum_met: None,
        prev: None,
        next: None,
        private: false,
    }
}

/// A step of an item's history at `meeting`: only its kind and status.
pub(crate) fn step(meeting: MeetingId, kind: StepKind, status: ItemStatus) -> HistoryStep {
    HistoryStep {
        meeting,
        kind,
        status,
        owners: None,
        due: None,
        note: None,
        auto_linked: false,
        private: false,
        line: 1,
    }
}

/// An item of group 0 owned by `owners`, opened at its first step (its
/// status the last step's).
pub(crate) fn item(id: &str, owners: Vec<PersonId>, history: Vec<HistoryStep>) -> ActionItem {
    ActionItem {
        id: id.into(),
        explicit_id: true,
        group: GroupId(0),
        owners,
        group_owner: None,
        task: "t".into(),
        status: history.last().map(|s| s.status).unwrap_or(ItemStatus::Open),
        opened_in: history.first().map(|s| s.meeting).unwrap_or(MeetingId(0)),
        due: None,
        due_spec: None,
        closed: None,
        carried: 0,
        stale: false,
        overdue: false,
        history,
        line: 1,
        url: String::new(),
        private: false,
    }
}
