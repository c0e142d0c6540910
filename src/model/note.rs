//! What `load` reads from one file, before any cross-file meaning is given.

use super::Span;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The status of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MeetingStatus {
    /// The meeting took place.
    Held,
    /// The meeting was called off.
    Cancelled,
    /// The meeting is in the future.
    Planned,
}

impl MeetingStatus {
    /// The word used in notes and output.
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Held => "held",
            MeetingStatus::Cancelled => "cancelled",
            MeetingStatus::Planned => "planned",
        }
    }
    /// Reads the word used in notes (`canceled` is accepted too).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "held" => Some(MeetingStatus::Held),
            "cancelled" | "canceled" => Some(MeetingStatus::Cancelled),
            "planned" => Some(MeetingStatus::Planned),
            _ => None,
        }
    }
}

/// The status of an action item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemStatus {
    /// Not started or not yet reported on.
    Open,
    /// Being worked on.
    InProgress,
    /// Waiting on something.
    Blocked,
    /// Finished.
    Done,
    /// Given up.
    Dropped,
}

impl ItemStatus {
    /// Every status, in the order notes list them.
    pub const ALL: [ItemStatus; 5] = [
        ItemStatus::Open,
        ItemStatus::InProgress,
        ItemStatus::Blocked,
        ItemStatus::Done,
        ItemStatus::Dropped,
    ];
    /// The word used in notes and output.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Open => "open",
            ItemStatus::InProgress => "in-progress",
            ItemStatus::Blocked => "blocked",
            ItemStatus::Done => "done",
            ItemStatus::Dropped => "dropped",
        }
    }
    /// Reads a status word (case-insensitive; `in progress`, `closed`, `complete(d)` accepted).
    pub fn parse(s: &str) -> Option<Self> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['_', ' '], "-")
            .as_str()
        {
            "open" | "todo" => Some(ItemStatus::Open),
            "in-progress" | "inprogress" | "wip" => Some(ItemStatus::InProgress),
            "blocked" => Some(ItemStatus::Blocked),
            "done" | "closed" | "complete" | "completed" => Some(ItemStatus::Done),
            "dropped" | "cancelled" | "canceled" | "wontfix" => Some(ItemStatus::Dropped),
            _ => None,
        }
    }
    /// Open, in progress or blocked.
    pub fn is_open(self) -> bool {
        !self.is_closed()
    }
    /// Done or dropped.
    pub fn is_closed(self) -> bool {
        matches!(self, ItemStatus::Done | ItemStatus::Dropped)
    }
}

/// The kind of an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Hash, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeKind {
    /// Something agreed, the default.
    #[default]
    Outcome,
    /// A decision, listed in the decisions register.
    Decision,
    /// A formal resolution, listed in the decisions register.
    Resolution,
}

impl OutcomeKind {
    /// The word used in notes and output.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Outcome => "outcome",
            OutcomeKind::Decision => "decision",
            OutcomeKind::Resolution => "resolution",
        }
    }
    /// Reads the word used in notes.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "outcome" => Some(OutcomeKind::Outcome),
            "decision" => Some(OutcomeKind::Decision),
            "resolution" => Some(OutcomeKind::Resolution),
            _ => None,
        }
    }
}

/// A person as a note names them, before people.yaml resolves them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PersonRef {
    /// The name, alias or `@handle` as written.
    pub name: String,
    /// Affiliation given in the note, if any.
    pub affiliation: Option<String>,
    /// Email given in the note (never published unless configured).
    pub email: Option<String>,
    /// Handle given in the note's map form.
    pub handle: Option<String>,
    /// Where the note names them.
    pub span: Span,
}

impl PersonRef {
    /// A plain name at `span`.
    pub fn named(name: impl Into<String>, span: Span) -> Self {
        PersonRef {
            name: name.into(),
            span,
            ..Default::default()
        }
    }
}

/// An agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// The item as written (plain text).
    pub title: String,
    /// Its link, if any (already checked to be a safe URL by the renderer).
    pub link: Option<String>,
}

/// Votes on an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, Deserialize)]
pub struct Votes {
    /// Votes in favour.
    #[serde(rename = "for")]
    pub for_: u32,
    /// Votes against.
    pub against: u32,
    /// Abstentions.
    pub abstain: u32,
}

/// Something a meeting agreed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outcome {
    /// The outcome as written (plain text).
    pub text: String,
    /// Outcome, decision or resolution.
    pub kind: OutcomeKind,
    /// Votes, when recorded.
    pub votes: Option<Votes>,
    /// A decision's id: as written (`id:`), and after resolve the automatic
    /// `<group>-<YYYYMMDD>-d<n>` where none was written.
    #[serde(default)]
    pub id: Option<String>,
    /// The earlier decisions it supersedes, amends or revokes (front matter).
    #[serde(default)]
    pub lineage: Vec<crate::model::Lineage>,
    /// Marked `private: true`, or in a private part of the note: never published.
    #[serde(default)]
    pub private: bool,
    /// Where the front matter writes it (line 0 for the body's outcomes).
    #[serde(default)]
    pub span: Span,
}

/// A due date as written: a date or a count of meetings ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueSpec {
    /// A calendar date.
    Date(NaiveDate),
    /// `next meeting` (1) or `+N meetings` (N) of the item's group.
    Meetings(u32),
}

/// Where in a note an action entry was found; entries apply in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntryOrigin {
    /// The `actions:` key of the front matter.
    FrontMatter,
    /// The body's Action items section.
    BodySection,
    /// An `ACTION: Owner to task` line anywhere in the body.
    ActionLine,
}

/// A new action item as a note writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewItem {
    /// Explicit id, if given.
    pub id: Option<String>,
    /// Owners as written (none for an unassigned or a group-owned item).
    pub owners: Vec<PersonRef>,
    /// The group as written when the whole group owns it (`everyone`, `the TAC`).
    #[serde(default)]
    pub group_owner: Option<String>,
    /// The task (plain text).
    pub task: String,
    /// Due date, if given.
    pub due: Option<DueSpec>,
    /// Status on creation (default open).
    pub status: Option<ItemStatus>,
    /// Where it is written.
    pub span: Span,
    /// Which part of the note it came from.
    pub origin: EntryOrigin,
}

/// An update of an earlier item (`ref:` in front matter, or a body line starting with an id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemUpdate {
    /// The id of the item updated.
    pub reference: String,
    /// New status, if any.
    pub status: Option<ItemStatus>,
    /// Reassignment, if any.
    pub owners: Option<Vec<PersonRef>>,
    /// Re-dating, if any.
    pub due: Option<DueSpec>,
    /// A note on progress.
    pub note: Option<String>,
    /// Where it is written.
    pub span: Span,
    /// Which part of the note it came from.
    pub origin: EntryOrigin,
}

/// One list item of a body's action section, before resolve knows which ids exist.
///
/// If `lead` names a known item id it is an update of that item; otherwise it is
/// the new item `item` (when the reader found an owner and a task).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyAction {
    /// The first word of the item (without a trailing `:`) and the text after it,
    /// when it could be an item id (`sig-build-20220323-2: done`).
    pub lead: Option<(String, String)>,
    /// `Some(false)` for `[ ]`, `Some(true)` for `[x]`.
    pub checkbox: Option<bool>,
    /// The new item this line makes when `lead` is not a known id; `None` when no
    /// owner could be read (resolve then reports it).
    pub item: Option<NewItem>,
    /// The whole text of the list item, for diagnostics.
    pub text: String,
    /// Where it is written.
    pub span: Span,
}

/// One action entry of a note, in the order the note gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionEntry {
    /// A new item.
    New(NewItem),
    /// An update of an earlier item.
    Update(ItemUpdate),
    /// A body line whose meaning depends on which ids exist.
    Body(BodyAction),
}

/// `_group.md`: a group's metadata and description.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GroupMeta {
    /// Display name.
    pub name: Option<String>,
    /// Chairs.
    pub chairs: Vec<PersonRef>,
    /// Members: who is expected at meetings.
    pub members: Vec<PersonRef>,
    /// Quorum: a count (>= 1) or a fraction of members (< 1).
    pub quorum: Option<f64>,
    /// Cadence as written ("weekly", "every 2 weeks", "monthly on the first Tuesday").
    pub cadence: Option<String>,
    /// Line of `cadence` in `_group.md` (0 when it sets none).
    #[serde(default)]
    pub cadence_line: u32,
    /// Link to the charter.
    pub charter: Option<String>,
    /// Short description.
    pub description: Option<String>,
    /// `split:`: whether a file of several dated sections is one meeting per section.
    pub split: Option<bool>,
    /// The markdown body of `_group.md`.
    pub body: String,
    /// Path of `_group.md`, relative to the site root, if there is one.
    pub path: Option<PathBuf>,
}

/// An entry of people.yaml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonEntry {
    /// Canonical name.
    pub name: String,
    /// Handle without `@`.
    pub handle: Option<String>,
    /// Other names notes use.
    pub aliases: Vec<String>,
    /// Affiliation.
    pub affiliation: Option<String>,
    /// Email (never published unless configured).
    pub email: Option<String>,
    /// Where it is written in people.yaml.
    pub span: Span,
}

/// One meeting note as read from its file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Note {
    /// Path relative to the site root (forward slashes), for display and sorting.
    pub path: String,
    /// The key of the group whose folder holds it.
    pub group: String,
    /// Whether the file had front matter.
    pub has_front_matter: bool,
    /// Title, if given.
    pub title: Option<String>,
    /// The meeting's date, if found (front matter, details list, headings, file name).
    pub date: Option<NaiveDate>,
    /// Where the date was found.
    pub date_span: Span,
    /// A date the body gives without a year (`Thursday 26 March`, as month
    /// and day) when neither the path nor the text names the year: the load
    /// takes it from the neighbouring notes of the folder (`date` is unset
    /// until then).
    #[serde(default)]
    pub year_less: Option<(u32, u32)>,
    /// Start time.
    pub time: Option<NaiveTime>,
    /// Where the time was found in the front matter.
    #[serde(default)]
    pub time_span: Option<Span>,
    /// Length in minutes.
    pub duration: Option<u32>,
    /// IANA name or UTC offset as written.
    pub timezone: Option<String>,
    /// Status, if given.
    pub status: Option<MeetingStatus>,
    /// Location: free text or a link.
    pub location: Option<String>,
    /// Moderators (or chairs of the meeting).
    pub moderators: Vec<PersonRef>,
    /// Note-takers.
    pub note_takers: Vec<PersonRef>,
    /// Attendees.
    pub attendees: Vec<PersonRef>,
    /// People who sent apologies.
    pub regrets: Vec<PersonRef>,
    /// Agenda.
    pub agenda: Vec<AgendaItem>,
    /// Outcomes.
    pub outcomes: Vec<Outcome>,
    /// Action entries in application order is decided by resolve; here in file order.
    pub actions: Vec<ActionEntry>,
    /// Tags.
    pub tags: Vec<String>,
    /// Anything under `extra`, as JSON.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The markdown after the front matter (shared with the meeting made of it).
    pub body: std::sync::Arc<str>,
    /// 1-based line of the file where `body` starts.
    pub body_line: u32,
    /// The first and last line (1-based, in the file) of each action entry
    /// of the front matter, so that history dates an entry by the newest of
    /// its lines without reading the note again (see [`entry_ends`]).
    #[serde(default)]
    pub entry_ends: Vec<(u32, u32)>,
    /// `visibility: private`: nothing of the note is published.
    #[serde(default)]
    pub private: bool,
    /// The lines (first, last; in the file) of its private parts: the body's
    /// `<!-- private -->` blocks and the front-matter entries marked
    /// `private: true`. An action entry written there is a private item or step.
    #[serde(default)]
    pub private_lines: Vec<(u32, u32)>,
    /// How many private parts it holds (blocks, and entries marked private).
    #[serde(default)]
    pub private_parts: u32,
}

impl Note {
    /// Whether file line `line` is in a private part of the note (or the
    /// whole note is private).
    pub fn is_private_line(&self, line: u32) -> bool {
        self.private
            || self
                .private_lines
                .iter()
                .any(|&(a, b)| a <= line && line <= b)
    }
}

/// The first and last line of each front-matter entry of `actions`, in the
/// front matter `yaml` that starts at file line `first_line`: an entry goes
/// on over the lines after its first that are indented deeper than its `-`
/// (or blank), to the end of the front matter.
pub fn entry_ends(yaml: &str, first_line: u32, actions: &[ActionEntry]) -> Vec<(u32, u32)> {
    let starts: Vec<u32> = actions
        .iter()
        .filter_map(|a| match a {
            ActionEntry::Update(u) if u.origin == EntryOrigin::FrontMatter => Some(u.span.line),
            ActionEntry::New(n) if n.origin == EntryOrigin::FrontMatter => Some(n.span.line),
            _ => None,
        })
        .collect();
    if starts.is_empty() {
        return Vec::new();
    }
    let lines: Vec<&str> = yaml.lines().collect();
    starts
        .into_iter()
        .map(|start| (start, entry_end(&lines, first_line, start)))
        .collect()
}

/// The last line (1-based, in the file) of the YAML list entry starting at
/// file line `start`, in `lines` (the front matter, from file line `first_line`).
fn entry_end(lines: &[&str], first_line: u32, start: u32) -> u32 {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let at = |n: u32| {
        n.checked_sub(first_line)
            .and_then(|i| lines.get(i as usize))
    };
    let Some(first) = at(start) else {
        return start;
    };
    let dash = indent(first);
    let mut end = start;
    let mut n = start + 1;
    while let Some(l) = at(n) {
        if l.trim().is_empty() {
            n += 1;
            continue;
        }
        if indent(l) <= dash {
            break;
        }
        end = n;
        n += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_ends_at_the_next_item_or_key() {
        // The front matter between the fences, from file line 2.
        let fm = [
            "actions:",
            "  - ref: a",
            "    status: done",
            "",
            "    note: x",
            "  - ref: b",
            "    status: open",
            "tags: [x]",
        ];
        assert_eq!(entry_end(&fm, 2, 3), 6);
        assert_eq!(entry_end(&fm, 2, 7), 8);
        assert_eq!(entry_end(&fm, 2, 9), 9);
        // The last entry runs to the end of the front matter.
        assert_eq!(entry_end(&fm[..7], 2, 7), 8);
        let span = Span::new(7, 3);
        let update = ActionEntry::Update(ItemUpdate {
            reference: "b".into(),
            status: None,
            owners: None,
            due: None,
            note: None,
            span,
            origin: EntryOrigin::FrontMatter,
        });
        assert_eq!(entry_ends(&fm.join("\n"), 2, &[update]), vec![(7, 8)]);
    }
}
