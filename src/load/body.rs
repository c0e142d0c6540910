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
mod section_items;
mod text;
mod times;

pub use markers::{looks_like_action, why_not_taken};
pub(crate) use text::{strip_inline_md as plain_text, strip_tags as strip_html};
pub use times::{zone_mismatches, ZoneCheck};

use crate::diagnostics::Diagnostic;
use crate::model::{AgendaItem, BodyAction, NewItem, Outcome, OutcomeKind, PersonRef, Span};
use blocks::{Block, BlockKind};
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
pub fn section_of_actions(heading: &str) -> bool {
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
pub fn read_body(body: &str, first_line: u32, ctx: &BodyContext) -> (BodyFacts, Vec<Diagnostic>) {
    read_body_with(body, first_line, ctx, Wants::default())
}

/// What the caller already knows, so the reader can skip looking for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wants {
    /// The front matter gives the date: no fallback from headings and first lines.
    pub date_known: bool,
    /// The front matter gives the status: no looking for a cancellation notice.
    pub status_known: bool,
}

/// [`read_body`], skipping what `wants` says is known.
pub fn read_body_with(
    body: &str,
    first_line: u32,
    ctx: &BodyContext,
    wants: Wants,
) -> (BodyFacts, Vec<Diagnostic>) {
    let pos = Pos::new(body, first_line.max(1));
    let mut facts = BodyFacts::default();
    let mut diags = Vec::new();
    let doc = blocks::collect(body);

    // Sections: a heading opens one until a heading of the same or a higher level.
    let mut stack: Vec<(u8, Option<Section>, usize)> = Vec::new();
    let mut assigned: Vec<(Option<(Section, usize)>, &Block)> = Vec::new();
    // Blocks under a heading nested inside their section's heading.
    let mut under_sub: std::collections::HashSet<usize> = Default::default();
    let mut bullet_heads: Vec<(usize, usize, usize)> = Vec::new();
    // Bullets acting as action headings (their items are inline, like markers), and
    // sections of plans (`Next steps`, `TODO`) whose entries without an owner are no items.
    let mut bullet_ids: std::collections::HashSet<usize> = Default::default();
    let mut weak_ids: std::collections::HashSet<usize> = Default::default();
    // Per announcing line: whether items, or a paragraph, followed it yet.
    let mut runs: std::collections::HashMap<usize, (bool, bool)> = Default::default();
    for (i, b) in doc.blocks.iter().enumerate() {
        if let BlockKind::Heading { level, text } = &b.kind {
            while stack.last().is_some_and(|(l, _, _)| l >= level) {
                stack.pop();
            }
            stack.push((*level, section_of(text), i));
            if section_items::is_weak(text) {
                weak_ids.insert(i);
            }
            continue;
        }
        // `- Action items:` with the items nested below it: a heading for them.
        if let Some(&(_, _, id)) = bullet_heads
            .iter()
            .rev()
            .find(|(s, e, _)| b.start > *s && b.start < *e)
        {
            assigned.push((Some((Section::Actions, id)), b));
            continue;
        }
        if section_items::is_bullet_heading(&b.kind) {
            bullet_heads.push((b.start, b.end, i));
            bullet_ids.insert(i);
            if let BlockKind::Item { text, .. } = &b.kind {
                if section_items::is_weak(text) {
                    weak_ids.insert(i);
                }
            }
            continue;
        }
        let mut cur = stack
            .iter()
            .rev()
            .find_map(|(_, s, id)| s.map(|s| (s, *id)));
        // A line that announces attendance (`Attendees:`) heads the list or the
        // paragraph right after it, no more.
        if let Some((Section::Attendees | Section::Regrets, id)) = cur {
            if stack
                .last()
                .is_some_and(|(l, _, top)| *l == 7 && *top == id)
            {
                let st = runs.entry(id).or_insert((false, false));
                let is_item = matches!(b.kind, BlockKind::Item { .. });
                let ends = match &b.kind {
                    BlockKind::Item { .. } => st.1,
                    BlockKind::Paragraph { text } => st.0 || st.1 || text.trim_end().ends_with(':'),
                    _ => false,
                };
                if ends {
                    stack.pop();
                    cur = stack
                        .iter()
                        .rev()
                        .find_map(|(_, s, id)| s.map(|s| (s, *id)));
                } else if is_item {
                    st.0 = true;
                } else {
                    st.1 = true;
                }
            }
        }
        if cur.is_some_and(|(_, id)| stack.last().is_some_and(|(_, _, top)| *top != id)) {
            under_sub.insert(b.start);
        }
        assigned.push((cur, b));
    }
    let known = section_items::known_names(body, &doc, &assigned);
    let is_person = |s: &str| (ctx.is_person)(s) || known.contains(&section_items::name_key(s));
    let ctx = &BodyContext {
        path: ctx.path,
        is_person: &is_person,
        year_hint: ctx.year_hint,
    };

    // The shallowest list depth of each section: its top-level items.
    let mut min_depth: std::collections::HashMap<usize, usize> = Default::default();
    for (sec, b) in &assigned {
        if let (Some((_, id)), BlockKind::Item { depth, .. }) = (sec, &b.kind) {
            let e = min_depth.entry(*id).or_insert(*depth);
            *e = (*e).min(*depth);
        }
    }

    let mut action_ranges: Vec<(usize, usize)> = Vec::new();
    // Per outcomes section: its outcomes, the same entries read as `Name - task`
    // action items, and whether every entry reads so.
    #[allow(clippy::type_complexity)]
    let mut owned_outcomes: std::collections::BTreeMap<
        usize,
        (Vec<usize>, Vec<BodyAction>, bool),
    > = Default::default();
    let mut tables: std::collections::HashMap<usize, people::TableCols> = Default::default();
    // Action sections whose list has begun, and those a paragraph after the list ended.
    let mut listed: std::collections::HashSet<usize> = Default::default();
    let mut ended: std::collections::HashSet<usize> = Default::default();
    // Attendance lists of one person per item (most items hold no comma): a
    // comma there joins a name and an organisation.
    let mut commas: std::collections::HashMap<usize, (usize, usize)> = Default::default();
    for (sec, b) in &assigned {
        if let (Some((Section::Attendees, id)), BlockKind::Item { text, .. }) = (sec, &b.kind) {
            let e = commas.entry(*id).or_insert((0, 0));
            e.0 += 1;
            e.1 += usize::from(!text.contains([',', ';']));
        }
    }
    let one_per_item: std::collections::HashMap<usize, bool> = commas
        .into_iter()
        .map(|(id, (n, plain))| (id, n >= 3 && plain * 10 >= n * 6))
        .collect();
    for (sec, b) in &assigned {
        let Some((sec, id)) = sec else { continue };
        let top = match &b.kind {
            BlockKind::Item { depth, .. } => min_depth.get(id).is_some_and(|m| m == depth),
            _ => false,
        };
        let span = pos.span(b.start);
        if matches!(b.kind, BlockKind::Item { .. } | BlockKind::Paragraph { .. })
            && details::is_detail_line(body.get(b.start..b.end).unwrap_or(""))
        {
            continue;
        }
        match (sec, &b.kind) {
            (Section::Attendees | Section::Regrets, kind) => {
                let into = if *sec == Section::Attendees {
                    &mut facts.attendees
                } else {
                    &mut facts.regrets
                };
                match kind {
                    BlockKind::Item {
                        text, has_children, ..
                    } => {
                        let t = text.trim();
                        if *has_children && t.ends_with(':') {
                            continue;
                        }
                        if one_per_item.get(id).copied().unwrap_or(false) {
                            into.extend(people::person_of_item(t, span));
                        } else {
                            into.extend(people::people_in(t, span));
                        }
                    }
                    BlockKind::Paragraph { text } => into.extend(people::people_in(text, span)),
                    BlockKind::Row {
                        table,
                        header,
                        cells,
                    } => {
                        if *header {
                            tables.insert(*table, people::TableCols::from_header(cells));
                        } else {
                            let cols = tables.entry(*table).or_default();
                            if let Some(p) = cols.person(cells, span) {
                                into.push(p);
                            }
                        }
                    }
                    BlockKind::Heading { .. } => {}
                }
            }
            (Section::Agenda, BlockKind::Item { text, link, .. }) if top => {
                let (title, link) = text::title_and_link(text, link.as_deref());
                if !title.is_empty() {
                    facts.agenda.push(AgendaItem { title, link });
                }
            }
            (Section::Outcomes(kind), BlockKind::Item { text, .. }) if top => {
                let t = text::clean(text);
                if !t.is_empty() {
                    if !under_sub.contains(&b.start) {
                        let e = owned_outcomes
                            .entry(*id)
                            .or_insert((Vec::new(), Vec::new(), true));
                        e.0.push(facts.outcomes.len());
                        match actions::name_dash_task(&t, span, ctx) {
                            Some(a) => e.1.push(a),
                            None => e.2 = false,
                        }
                    }
                    facts.outcomes.push(Outcome {
                        text: t,
                        kind: *kind,
                        votes: None,
                    });
                }
            }
            (Section::Outcomes(kind), BlockKind::Paragraph { text }) => {
                let t = text::clean(text);
                if !t.is_empty() && !t.ends_with(':') {
                    let e = owned_outcomes
                        .entry(*id)
                        .or_insert((Vec::new(), Vec::new(), true));
                    if !under_sub.contains(&b.start) {
                        e.0.push(facts.outcomes.len());
                    }
                    for (k, line) in text.lines().enumerate() {
                        if under_sub.contains(&b.start) {
                            break;
                        }
                        let at = crate::model::Span::new(
                            span.line + k as u32,
                            if k == 0 { span.col } else { 1 },
                        );
                        match actions::name_dash_task(&text::clean(line), at, ctx) {
                            Some(a) => e.1.push(a),
                            None => e.2 = false,
                        }
                    }
                    facts.outcomes.push(Outcome {
                        text: t,
                        kind: *kind,
                        votes: None,
                    });
                }
            }
            (
                Section::Actions,
                BlockKind::Item {
                    text,
                    checkbox,
                    depth,
                    ..
                },
            ) if top => {
                if ended.contains(id) {
                    continue;
                }
                listed.insert(*id);
                action_ranges.push((b.start, b.end));
                let found = section_items::read_item(
                    body,
                    &doc,
                    b,
                    (text, *checkbox, *depth),
                    !weak_ids.contains(id),
                    &pos,
                    ctx,
                );
                if bullet_ids.contains(id) {
                    facts
                        .action_lines
                        .extend(found.into_iter().filter_map(|a| a.item));
                } else {
                    facts.actions.extend(found);
                }
            }
            // Lines of a paragraph in an action section: `Derek: Will update the schedule`.
            // A paragraph after the section's list ends the section (a transcript follows).
            (Section::Actions, BlockKind::Paragraph { text }) => {
                let raw = body.get(b.start..b.end).unwrap_or("");
                if ended.contains(id)
                    || (listed.contains(id) && section_items::ends_section(raw, text, ctx))
                {
                    ended.insert(*id);
                    continue;
                }
                for (k, line) in text.lines().enumerate() {
                    let at = crate::model::Span::new(
                        span.line + k as u32,
                        if k == 0 { span.col } else { 1 },
                    );
                    let a = actions::body_action(line, None, &[], at, ctx);
                    if a.item.is_some() || a.lead.is_some() {
                        facts.actions.push(a);
                    }
                }
            }
            _ => {}
        }
    }

    // An outcomes section whose every entry is `Name - task` lists action items.
    let mut drop: Vec<usize> = Vec::new();
    for (idx, found, all) in owned_outcomes.into_values() {
        if all && !found.is_empty() {
            drop.extend(idx);
            facts.actions.extend(found);
        }
    }
    if !drop.is_empty() {
        let mut i = 0;
        facts.outcomes.retain(|_| {
            i += 1;
            !drop.contains(&(i - 1))
        });
    }

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
pub fn not_a_meeting(body: &str, path: &str) -> Option<&'static str> {
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
