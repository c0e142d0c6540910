//! Reads a note's markdown body: the sections FORMAT.md lists (attendees,
//! agenda, outcomes, action items), the bold-label details list, `ACTION:`
//! lines, and a date from the first headings and lines.
//!
//! Pure: text in, facts out. Knows nothing of other files.

mod actions;
mod blocks;
mod details;
mod markers;
mod owners;
mod people;
mod read;
mod section_items;
mod sections;
mod tables;
mod text;
mod times;
mod why;

pub(crate) use text::{strip_inline_md as plain_text, strip_tags as strip_html};
pub(crate) use times::{zone_mismatches, ZoneCheck};
pub(crate) use why::action_like_lines;

use crate::diagnostics::Diagnostic;
use crate::model::{
    ActionEntry, AgendaItem, BodyAction, NewItem, Outcome, OutcomeKind, PersonRef, Span,
};
use blocks::BlockKind;
use chrono::{NaiveDate, NaiveTime};

/// What the body reader needs from outside the file.
pub(crate) struct BodyContext<'a> {
    /// Path of the note relative to the site root (for diagnostics).
    pub path: &'a str,
    /// Whether a name resolves to a person in people.yaml (name, alias or handle).
    pub is_person: &'a dyn Fn(&str) -> bool,
    /// A year to use for dates without one (from the file name or folder).
    pub year_hint: Option<i32>,
}

/// What the body says.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct BodyFacts {
    /// Date found in the details list, a heading or the first lines.
    pub date: Option<(NaiveDate, Span)>,
    /// Time from the details list.
    pub time: Option<NaiveTime>,
    /// Time zone from the details list (IANA name, `UTC`, or an offset).
    pub timezone: Option<String>,
    /// Length in minutes, when a time range gives one.
    pub duration: Option<u32>,
    /// The time line read, when it names several zones side by side: checked
    /// once the meeting's date is settled ([`zone_mismatches`]).
    pub zone_check: Option<ZoneCheck>,
    /// Location from the details list.
    pub location: Option<String>,
    /// The heading that names the meeting (the H1), when one does.
    pub title: Option<String>,
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

impl BodyFacts {
    /// The body's action entries, taken out of it: its lines about items
    /// (under front-matter `actions`, only the updates, with no item of their
    /// own), then its `ACTION:` lines.
    pub(crate) fn take_action_entries(&mut self, updates_only: bool) -> Vec<ActionEntry> {
        let mut entries: Vec<ActionEntry> = std::mem::take(&mut self.actions)
            .into_iter()
            .filter(|a| !updates_only || a.lead.is_some())
            .map(|mut a| {
                if updates_only {
                    a.item = None;
                }
                ActionEntry::Body(a)
            })
            .collect();
        entries.extend(
            std::mem::take(&mut self.action_lines)
                .into_iter()
                .map(ActionEntry::New),
        );
        entries
    }
}

/// The sections FORMAT.md names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Attendees,
    Regrets,
    Agenda,
    Outcomes(OutcomeKind),
    Actions,
}

const SECTION_NAMES: &[(&str, Section)] = &[
    ("attendees", Section::Attendees),
    ("attendee", Section::Attendees),
    ("attendance", Section::Attendees),
    ("present", Section::Attendees),
    ("participants", Section::Attendees),
    ("roll call", Section::Attendees),
    ("attending", Section::Attendees),
    ("in attendance", Section::Attendees),
    ("visitors", Section::Attendees),
    ("guests", Section::Attendees),
    ("who", Section::Attendees),
    ("regrets", Section::Regrets),
    ("apologies", Section::Regrets),
    ("absent", Section::Regrets),
    ("not present", Section::Regrets),
    ("agenda", Section::Agenda),
    ("outcomes", Section::Outcomes(OutcomeKind::Outcome)),
    ("outcome", Section::Outcomes(OutcomeKind::Outcome)),
    ("conclusion", Section::Outcomes(OutcomeKind::Outcome)),
    ("conclusions", Section::Outcomes(OutcomeKind::Outcome)),
    ("decisions", Section::Outcomes(OutcomeKind::Decision)),
    ("decision", Section::Outcomes(OutcomeKind::Decision)),
    ("resolutions", Section::Outcomes(OutcomeKind::Resolution)),
    ("resolution", Section::Outcomes(OutcomeKind::Resolution)),
    ("action items", Section::Actions),
    ("action item", Section::Actions),
    ("actions", Section::Actions),
    ("action points", Section::Actions),
    ("action point", Section::Actions),
    ("ais", Section::Actions),
    ("next steps", Section::Actions),
    ("next step", Section::Actions),
    ("follow ups", Section::Actions),
    ("followups", Section::Actions),
    ("follow up items", Section::Actions),
    ("todo", Section::Actions),
    ("todos", Section::Actions),
    ("to do", Section::Actions),
    ("assignments", Section::Actions),
];

/// The section a heading names: exact match first, else the longest name the
/// heading starts or ends with (whole words).
pub(crate) fn section_of(heading: &str) -> Option<Section> {
    let words = text::norm_words(heading);
    if words.is_empty() {
        return None;
    }
    let mut best: Option<(usize, Section)> = None;
    for (name, sec) in SECTION_NAMES {
        let nw: Vec<&str> = name.split(' ').collect();
        if words.len() == nw.len() && words.iter().zip(&nw).all(|(a, b)| a == b) {
            return Some(*sec);
        }
        let n = nw.len();
        if words.len() > n {
            let starts = words.iter().zip(&nw).all(|(a, b)| a == b);
            let ends = words[words.len() - n..]
                .iter()
                .zip(&nw)
                .all(|(a, b)| a == b);
            // `Outcomes from Agenda`: the name before `from`/`of`/`for` is the head.
            let head = starts
                && words
                    .get(n)
                    .is_some_and(|w| matches!(w.as_str(), "from" | "of" | "for"));
            let rank = n * 2 + usize::from(head) * 100;
            if (starts || ends) && best.is_none_or(|(l, _)| rank > l) {
                best = Some((rank, *sec));
            }
        }
    }
    best.map(|(_, s)| s)
}

/// Whether a heading's text names an action-items section (for `quorum explain`).
pub(crate) fn section_of_actions(heading: &str) -> bool {
    section_of(heading.trim_end_matches(':')) == Some(Section::Actions)
}

/// The section a heading names exactly (no partial matches).
pub(crate) fn section_exact(heading: &str) -> Option<Section> {
    let words = text::norm_words(heading).join(" ");
    SECTION_NAMES
        .iter()
        .find(|(n, _)| *n == words)
        .map(|(_, s)| *s)
}

/// Converts byte offsets of the body into file positions.
pub(crate) struct Pos<'a> {
    body: &'a str,
    first_line: u32,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> Pos<'a> {
    fn new(body: &'a str, first_line: u32) -> Self {
        let mut starts = vec![0];
        starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
        Pos {
            body,
            first_line,
            starts,
        }
    }

    pub(crate) fn span(&self, offset: usize) -> Span {
        let mut offset = offset.min(self.body.len());
        while !self.body.is_char_boundary(offset) {
            offset -= 1;
        }
        let idx = self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(idx).copied().unwrap_or(0);
        let col = self
            .body
            .get(start..offset)
            .map_or(0, |t| t.chars().count()) as u32
            + 1;
        Span::new(self.first_line.saturating_add(idx as u32), col)
    }
}

/// Reads `body`, whose first line is line `first_line` of the file.
pub(crate) fn read_body(
    body: &str,
    first_line: u32,
    ctx: &BodyContext,
) -> (BodyFacts, Vec<Diagnostic>) {
    read_body_with(body, first_line, ctx, Wants::default())
}

/// What the caller already knows, so the reader can skip looking for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Wants {
    /// The front matter gives the date: no fallback from headings and first lines.
    pub date_known: bool,
    /// The front matter gives the status: no looking for a cancellation notice.
    pub status_known: bool,
}

/// [`read_body`], skipping what `wants` says is known.
pub(crate) fn read_body_with(
    body: &str,
    first_line: u32,
    ctx: &BodyContext,
    wants: Wants,
) -> (BodyFacts, Vec<Diagnostic>) {
    let pos = Pos::new(body, first_line.max(1));
    let mut diags = Vec::new();
    let doc = blocks::collect(body);
    let sections = sections::assign(&doc);
    // Names the body itself shows to be people count as people.
    let known = section_items::known_names(body, &doc, &sections.assigned);
    let is_person = |s: &str| (ctx.is_person)(s) || known.contains(&section_items::name_key(s));
    let ctx = &BodyContext {
        path: ctx.path,
        is_person: &is_person,
        year_hint: ctx.year_hint,
    };
    let mut reader = read::SectionReader::new(body, &doc, &pos, ctx, &sections);
    reader.read();
    let (mut facts, action_ranges) = reader.finish();
    details::read_lines(
        body,
        &doc,
        &pos,
        ctx,
        &action_ranges,
        &mut facts,
        &mut diags,
    );
    section_items::dedupe(&mut facts);
    section_items::warn_unassigned(&facts, ctx.path, &mut diags);
    if facts.attendees.is_empty() {
        facts.attendees = roster(&doc, &pos);
    }
    facts.title = title_of(&doc);
    if !wants.date_known {
        details::date_fallback(body, &doc, &pos, ctx, &mut facts);
    }
    if facts.time.is_none() {
        details::time_fallback(body, &doc, &pos, &mut facts);
    }
    if !wants.status_known {
        facts.cancelled = details::is_cancelled(body, &doc);
    }
    (facts, diags)
}

/// Why a note's body is not a meeting, when it is not: a template, or an index
/// of links (most of its list items are links alone, and it names no attendance).
pub(crate) fn not_a_meeting(body: &str, path: &str) -> Option<&'static str> {
    let stem = path.rsplit('/').next().unwrap_or(path);
    if text::norm_words(stem).iter().any(|w| w == "template") {
        return Some("its name says it is a template");
    }
    let doc = blocks::collect(body);
    let (mut items, mut links) = (0usize, 0usize);
    for b in &doc.blocks {
        match &b.kind {
            BlockKind::Heading { text, .. } if section_of(text) == Some(Section::Attendees) => {
                return None;
            }
            BlockKind::Heading { text, level }
                if *level <= 2 && text::norm_words(text).iter().any(|w| w == "template") =>
            {
                return Some("its title says it is a template");
            }
            BlockKind::Item { text, link, .. } => {
                items += 1;
                if link.is_some() && text.chars().count() <= 120 {
                    links += 1;
                }
            }
            BlockKind::Paragraph { text } if text.chars().count() > 200 => return None,
            _ => {}
        }
    }
    (items >= 5 && links * 10 >= items * 9).then_some("it is an index of links")
}

/// Headings that name a part of a note, never the meeting.
const PART_HEADINGS: &[&str] = &[
    "meeting details",
    "details",
    "meeting notes",
    "notes",
    "minutes",
    "meeting minutes",
    "summary",
    "table of contents",
    "contents",
    "toc",
    "discussion",
    "opening",
    "welcome",
    "logistics",
    "links",
    "resources",
    "announcements",
    "updates",
    "next meeting",
];

/// The note's title: its H1, else the first of its first three headings that
/// names a meeting (`Ecosystem WG meeting 2020-03-05`). Section headings
/// (Agenda, Attendees, Meeting Details, Notes ...) are never titles.
fn title_of(doc: &blocks::Doc) -> Option<String> {
    let is_part = |t: &str| {
        let w = text::norm_words(t).join(" ");
        w.is_empty() || section_of(t).is_some() || PART_HEADINGS.contains(&w.as_str())
    };
    let heads: Vec<(u8, &str)> = doc
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Heading { level, text } if *level <= 6 => Some((*level, text.as_str())),
            _ => None,
        })
        .collect();
    let ok = |t: &&str| !is_part(t) && t.chars().count() <= 120;
    if let Some((_, t)) = heads.iter().find(|(l, t)| *l == 1 && ok(t)) {
        return Some(text::clean(t));
    }
    heads
        .iter()
        .take(3)
        .find(|(_, t)| {
            ok(t)
                && text::norm_words(t).iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "meeting" | "call" | "sync" | "minutes" | "notes" | "standup"
                    )
                })
        })
        .map(|(_, t)| text::clean(t))
}

/// A paragraph of names right under the title, before any section: a roster
/// (`Ana Ruiz (AR), Bo Li (BL), ...`). At least four entries, nearly all names.
fn roster(doc: &blocks::Doc, pos: &Pos) -> Vec<PersonRef> {
    let mut headings = 0;
    for b in &doc.blocks {
        match &b.kind {
            BlockKind::Heading { level, .. } if *level <= 6 => {
                headings += 1;
                if headings > 1 {
                    break;
                }
            }
            BlockKind::Paragraph { text } => {
                let parts = text.split(',').count();
                if parts < 4 {
                    continue;
                }
                let found = people::people_in(text, pos.span(b.start));
                let names = found
                    .iter()
                    .filter(|p| people::looks_like_name(&p.name))
                    .count();
                if names >= 4 && names * 10 >= parts * 9 {
                    return found;
                }
            }
            _ => {}
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod pos_tests {
    #[test]
    fn pos_matches_line_col() {
        let body = "ab\ncdé f\n\nx";
        let pos = super::Pos::new(body, 4);
        for off in 0..=body.len() + 2 {
            let (l, c) = crate::text::line_col(body, off);
            assert_eq!(pos.span(off), crate::model::Span::new(l + 3, c), "{off}");
        }
    }
}
