//! Reads a note's markdown body: the sections FORMAT.md lists (attendees,
//! agenda, outcomes, action items), the bold-label details list, `ACTION:`
//! lines, and a date from the first headings and lines.
//!
//! Pure: text in, facts out. Knows nothing of other files.

use crate::diagnostics::Diagnostic;
use crate::model::{AgendaItem, BodyAction, NewItem, Outcome, PersonRef, Span};
use chrono::{NaiveDate, NaiveTime};

/// What the body reader needs from outside the file.
pub struct BodyContext<'a> {
    /// Path of the note relative to the site root (for diagnostics).
    pub path: &'a str,
    /// Whether a name resolves to a person in people.yaml (name, alias or handle).
    pub is_person: &'a dyn Fn(&str) -> bool,
    /// A year to use for dates without one (from the file name or folder).
    pub year_hint: Option<i32>,
}

/// What the body says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyFacts {
    /// Date found in the details list, a heading or the first lines.
    pub date: Option<(NaiveDate, Span)>,
    /// Time from the details list.
    pub time: Option<NaiveTime>,
    /// Time zone from the details list (IANA name, `UTC`, or an offset).
    pub timezone: Option<String>,
    /// Location from the details list.
    pub location: Option<String>,
    /// Moderators from the details list.
    pub moderators: Vec<PersonRef>,
    /// Note-takers from the details list.
    pub note_takers: Vec<PersonRef>,
    /// Attendees section.
    pub attendees: Vec<PersonRef>,
    /// Regrets / apologies section.
    pub regrets: Vec<PersonRef>,
    /// Agenda section.
    pub agenda: Vec<AgendaItem>,
    /// Outcomes / decisions / resolutions sections.
    pub outcomes: Vec<Outcome>,
    /// Action items section, one entry per top-level list item.
    pub actions: Vec<BodyAction>,
    /// `ACTION: Owner to task` lines anywhere.
    pub action_lines: Vec<NewItem>,
    /// The note says the meeting was cancelled.
    pub cancelled: bool,
}

/// Reads `body`, whose first line is line `first_line` of the file.
pub fn read_body(body: &str, first_line: u32, ctx: &BodyContext) -> (BodyFacts, Vec<Diagnostic>) {
    let _ = (body, first_line, ctx);
    (BodyFacts::default(), Vec::new())
}
