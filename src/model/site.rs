//! The resolved site: what `resolve` makes of every note, and what `render`,
//! `search` and the reports read.

use super::{AgendaItem, DueSpec, ItemStatus, MeetingStatus, Outcome};
use chrono::{NaiveDate, NaiveTime};
use std::collections::BTreeMap;
pub use typed_index_collections::TiVec;

/// A typed index into one of [`Site`]'s lists: a meeting's id cannot be used
/// where a person's is meant. Lists indexed by one are [`TiVec`]s.
macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub usize);

        impl $name {
            /// The position in the list.
            pub fn index(self) -> usize {
                self.0
            }
        }

        impl From<usize> for $name {
            fn from(i: usize) -> $name {
                $name(i)
            }
        }

        impl From<$name> for usize {
            fn from(id: $name) -> usize {
                id.0
            }
        }
    };
}

index_type!(
    /// Index into [`Site::groups`].
    GroupId
);
index_type!(
    /// Index into [`Site::people`].
    PersonId
);
index_type!(
    /// Index into [`Site::meetings`].
    MeetingId
);
index_type!(
    /// Index into [`Site::items`].
    ItemId
);
index_type!(
    /// Index into [`Site::decisions`].
    DecisionId
);

/// A group (SIG, working group, board, committee).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    /// The group's key: its folder name as a slug.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Short description (plain text).
    pub description: Option<String>,
    /// The markdown body of `_group.md`.
    pub body: String,
    /// Chairs.
    pub chairs: Vec<PersonId>,
    /// Members as declared (empty when `_group.md` names none).
    pub members: Vec<PersonId>,
    /// Quorum: a count (>= 1) or a fraction of members (< 1).
    pub quorum: Option<f64>,
    /// Cadence as written.
    pub cadence: Option<String>,
    /// Line of `cadence` in `_group.md` (0 when it sets none).
    pub cadence_line: u32,
    /// Charter link.
    pub charter: Option<String>,
    /// Meetings, in the group's order (date, time, path).
    pub meetings: Vec<MeetingId>,
    /// Path of `_group.md`, if any.
    pub path: Option<String>,
    /// URL path of the group page, relative to the site root (`groups/<key>/`).
    pub url: String,
}

/// A person: from people.yaml or first seen in a note.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Person {
    /// Canonical name.
    pub name: String,
    /// Slug used in URLs.
    pub slug: String,
    /// Handle without `@`.
    pub handle: Option<String>,
    /// Other names.
    pub aliases: Vec<String>,
    /// Affiliation.
    pub affiliation: Option<String>,
    /// Email (only published with `[people] publish_email`).
    pub email: Option<String>,
    /// Whether people.yaml lists them.
    pub declared: bool,
    /// URL path of the person page (`people/<slug>/`).
    pub url: String,
}

/// Someone at a meeting, with the affiliation the note gives (or theirs).
#[derive(Debug, Clone, PartialEq)]
pub struct Attendee {
    /// Who.
    pub person: PersonId,
    /// Affiliation shown for them at this meeting.
    pub affiliation: Option<String>,
}

/// A meeting after resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    /// Its group.
    pub group: GroupId,
    /// Source path relative to the site root.
    pub path: String,
    /// `YYYY-MM-DD`, or `YYYY-MM-DD-2` for a later meeting that day.
    pub slug: String,
    /// URL path relative to the site root (`groups/<key>/<slug>/`).
    pub url: String,
    /// Title (given, or "<group name> meeting").
    pub title: String,
    /// Date.
    pub date: NaiveDate,
    /// Start time.
    pub time: Option<NaiveTime>,
    /// Length in minutes (default 60).
    pub duration: u32,
    /// Time zone: the note's, else the site's.
    pub timezone: String,
    /// Held, cancelled or planned.
    pub status: MeetingStatus,
    /// Location.
    pub location: Option<String>,
    /// Moderators.
    pub moderators: Vec<PersonId>,
    /// Note-takers.
    pub note_takers: Vec<PersonId>,
    /// Attendees.
    pub attendees: Vec<Attendee>,
    /// Regrets.
    pub regrets: Vec<PersonId>,
    /// Agenda.
    pub agenda: Vec<AgendaItem>,
    /// Outcomes.
    pub outcomes: Vec<Outcome>,
    /// Tags.
    pub tags: Vec<String>,
    /// Extra front-matter data.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Markdown notes.
    pub body: std::sync::Arc<str>,
    /// Line of the file where the body starts.
    pub body_line: u32,
    /// Items opened here.
    pub opened: Vec<ItemId>,
    /// Items updated here (status, owner, due or note changed; auto-links included).
    pub updated: Vec<ItemId>,
    /// Items mentioned here without change.
    pub mentioned: Vec<ItemId>,
    /// Items of the group open at this meeting's start, with how many meetings
    /// each had been carried into by this one (held meetings only).
    pub carried_in: Vec<(ItemId, u32)>,
    /// Whether the group's quorum was met (None when the group sets none or the
    /// meeting was not held).
    pub quorum_met: Option<bool>,
    /// Previous meeting of the group.
    pub prev: Option<MeetingId>,
    /// Next meeting of the group.
    pub next: Option<MeetingId>,
    /// `visibility: private`: the meeting is never published.
    pub private: bool,
}

/// What a meeting did to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// The item was opened here.
    Opened,
    /// The item was updated here.
    Updated,
    /// The item was named here without change.
    Mentioned,
}

/// One meeting's step in an item's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryStep {
    /// The meeting.
    pub meeting: MeetingId,
    /// Opened, updated or mentioned.
    pub kind: StepKind,
    /// Status after this step.
    pub status: ItemStatus,
    /// Owners after this step, when this step set them.
    pub owners: Option<Vec<PersonId>>,
    /// Due date set by this step, if any.
    pub due: Option<NaiveDate>,
    /// Note on progress.
    pub note: Option<String>,
    /// Whether this step is an auto-link by task similarity.
    pub auto_linked: bool,
    /// Line in the meeting's file.
    pub line: u32,
    /// Written in a private part of the note: never published.
    pub private: bool,
}

/// An action item with its whole history.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionItem {
    /// Its id (explicit or `<group>-<YYYYMMDD>-<n>`).
    pub id: String,
    /// Whether the id was written in the note.
    pub explicit_id: bool,
    /// Group of the meeting that opened it.
    pub group: GroupId,
    /// Current owners (none for an unassigned or a group-owned item).
    pub owners: Vec<PersonId>,
    /// The group as written when the whole group owns it (`everyone`, `the TAC`).
    pub group_owner: Option<String>,
    /// The task.
    pub task: String,
    /// Current status.
    pub status: ItemStatus,
    /// The meeting that opened it.
    pub opened_in: MeetingId,
    /// Current due date.
    pub due: Option<NaiveDate>,
    /// The due date as last written (for "next meeting" shown as a date).
    pub due_spec: Option<DueSpec>,
    /// Date it was closed (done or dropped), if it is closed.
    pub closed: Option<NaiveDate>,
    /// Held meetings of its group it was carried into while open.
    pub carried: u32,
    /// Open and untouched for more than `stale_after` held meetings.
    pub stale: bool,
    /// Open and past its due date.
    pub overdue: bool,
    /// Meeting by meeting.
    pub history: Vec<HistoryStep>,
    /// Line of the file where it was opened.
    pub line: u32,
    /// URL path of its page (`actions/<id>/`).
    pub url: String,
    /// Opened in a private part of a note: counted, never published.
    pub private: bool,
}

/// The resolved site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Site {
    /// Groups, sorted by key.
    pub groups: TiVec<GroupId, Group>,
    /// People, sorted by name.
    pub people: TiVec<PersonId, Person>,
    /// Meetings, in site order (date, time, path).
    pub meetings: TiVec<MeetingId, Meeting>,
    /// Items, in the order they were opened.
    pub items: TiVec<ItemId, ActionItem>,
    /// The date taken as today.
    pub today: NaiveDate,
    /// Decisions and resolutions, in meeting order.
    pub decisions: TiVec<DecisionId, super::Decision>,
    /// What the published site says of the private items it leaves out.
    pub private: PrivateCounts,
}

/// How many private action items the published site leaves out, where it
/// says so ("1 private item"): indices are the published site's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrivateCounts {
    /// Open private items each person owns (by [`PersonId`]; may be shorter
    /// than the people).
    pub open_by_person: TiVec<PersonId, u32>,
    /// Private items each meeting opened or updated (by [`MeetingId`]).
    pub by_meeting: TiVec<MeetingId, u32>,
    /// Open private items of each group (by [`GroupId`]).
    pub open_by_group: TiVec<GroupId, u32>,
}

impl PrivateCounts {
    /// The count at `i` of `list`, 0 past its end.
    pub fn at<K: From<usize> + Into<usize>>(list: &TiVec<K, u32>, i: K) -> u32 {
        list.get(i).copied().unwrap_or(0)
    }
}

impl Site {
    /// The decisions made at meeting `m`, in the order of its outcomes
    /// (decisions are kept in meeting order).
    pub fn decisions_at(&self, m: MeetingId) -> &[super::Decision] {
        let all = &self.decisions.raw;
        let from = all.partition_point(|d| d.meeting < m);
        let to = from + all[from..].partition_point(|d| d.meeting == m);
        &all[from..to]
    }
}
