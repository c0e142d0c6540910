//! Small resolved sites for the unit tests of the pure modules.

use crate::model::{GroupId, Meeting, MeetingStatus};
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
