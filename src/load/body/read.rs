//! Reads the blocks of each section: attendance, agenda, outcomes and action
//! items, one method per kind of section.

use super::blocks::{Block, BlockKind, Doc};
use super::sections::{self, Sections};
use super::tables::{self, ActionCols};
use super::{actions, details, people, section_items, text, BodyContext, BodyFacts, Pos, Section};
use crate::model::{AgendaItem, BodyAction, Outcome, OutcomeKind, Span};
use std::collections::{BTreeMap, HashMap, HashSet};

/// An outcomes section's entries: their indices in the outcomes, the same
/// entries read as `Name - task` action items, and whether every one reads so.
struct OwnedOutcomes {
    outcomes: Vec<usize>,
    actions: Vec<BodyAction>,
    all: bool,
}

/// What reading the sections found, and the state it keeps per section.
pub(crate) struct SectionReader<'a> {
    body: &'a str,
    doc: &'a Doc,
    pos: &'a Pos<'a>,
    ctx: &'a BodyContext<'a>,
    sections: &'a Sections<'a>,
    min_depth: HashMap<usize, usize>,
    one_per_item: HashMap<usize, bool>,
    /// What the body says, so far.
    pub(crate) facts: BodyFacts,
    /// Byte ranges of the action sections' items (not read again as lines).
    pub(crate) action_ranges: Vec<(usize, usize)>,
    owned_outcomes: BTreeMap<usize, OwnedOutcomes>,
    tables: HashMap<usize, people::TableCols>,
    /// Per table seen: its action columns, when its header names an action column.
    action_tables: HashMap<usize, Option<ActionCols>>,
    /// Action sections whose list has begun, and those a paragraph after the list ended.
    listed: HashSet<usize>,
    ended: HashSet<usize>,
    /// Per ended action section: where the paragraph that ended it starts.
    ended_at: HashMap<usize, usize>,
    /// Per action section: where its last owned paragraph line ends; a list that
    /// follows with no blank line holds that item's details.
    owned_para_end: HashMap<usize, usize>,
    /// Plan sections (`Next steps`) whose entries are mostly remarks: a discussion.
    discussions: HashSet<usize>,
}

/// The file position of line `k` of a block that starts at `span`.
fn line_span(span: Span, k: usize) -> Span {
    Span::new(span.line + k as u32, if k == 0 { span.col } else { 1 })
}

impl<'a> SectionReader<'a> {
    pub(crate) fn new(
        body: &'a str,
        doc: &'a Doc,
        pos: &'a Pos<'a>,
        ctx: &'a BodyContext<'a>,
        sections: &'a Sections<'a>,
    ) -> Self {
        SectionReader {
            body,
            doc,
            pos,
            ctx,
            sections,
            min_depth: sections::min_depths(&sections.assigned),
            one_per_item: sections::one_person_per_item(&sections.assigned),
            facts: BodyFacts::default(),
            action_ranges: Vec::new(),
            owned_outcomes: BTreeMap::new(),
            tables: HashMap::new(),
            action_tables: HashMap::new(),
            listed: HashSet::new(),
            ended: HashSet::new(),
            ended_at: HashMap::new(),
            owned_para_end: HashMap::new(),
            discussions: HashSet::new(),
        }
    }

    /// Plan sections (`Next steps`, `TODO`) of four entries or more of which fewer than
    /// half read as an owned task: the notes of a discussion (`Myles, need to identify
    /// impact projects`), not a list of tasks.
    fn find_discussions(&mut self) {
        let mut counts: HashMap<usize, (usize, usize)> = HashMap::new();
        for (sec, b) in &self.sections.assigned {
            let Some((Section::Actions, id)) = sec else {
                continue;
            };
            let BlockKind::Item { text, depth, .. } = &b.kind else {
                continue;
            };
            if !self.sections.weak_ids.contains(id) || self.min_depth.get(id) != Some(depth) {
                continue;
            }
            let owned = actions::body_action(text, None, &[], Span::new(1, 1), self.ctx)
                .item
                .is_some();
            let e = counts.entry(*id).or_default();
            e.0 += 1;
            e.1 += usize::from(owned);
        }
        self.discussions = counts
            .into_iter()
            .filter(|(_, (n, owned))| *n >= 4 && owned * 2 < *n)
            .map(|(id, _)| id)
            .collect();
    }

    /// Reads every block that lies in a section.
    pub(crate) fn read(&mut self) {
        self.find_discussions();
        let sections = self.sections;
        for (sec, b) in &sections.assigned {
            if self.action_row(*sec, b) {
                continue;
            }
            if let Some((sec, id)) = sec {
                self.block(*sec, *id, b);
            }
        }
    }

    /// A row of an action table, in any section: read as one action item. Whether `b`
    /// is a row of such a table (its header included).
    fn action_row(&mut self, sec: Option<(Section, usize)>, b: &Block) -> bool {
        let BlockKind::Row { table, cells, .. } = &b.kind else {
            return false;
        };
        let cols = match self.action_tables.get(table) {
            Some(cols) => cols.clone(),
            None => {
                // The first row of a table is its header.
                let cols = ActionCols::from_header(cells);
                self.action_tables.insert(*table, cols.clone());
                return cols.is_some();
            }
        };
        let Some(cols) = cols else {
            return false;
        };
        let in_actions = matches!(sec, Some((Section::Actions, _)));
        let span = self.pos.span(b.start);
        if let Some(a) = tables::row_action(&cols, cells, in_actions, span, self.ctx) {
            self.facts.actions.push(a);
        }
        self.action_ranges.push((b.start, b.end));
        true
    }

    fn block(&mut self, sec: Section, id: usize, b: &Block) {
        let top = match &b.kind {
            BlockKind::Item { depth, .. } => self.min_depth.get(&id).is_some_and(|m| m == depth),
            _ => false,
        };
        let span = self.pos.span(b.start);
        if matches!(b.kind, BlockKind::Item { .. } | BlockKind::Paragraph { .. })
            && details::is_detail_line(self.body.get(b.start..b.end).unwrap_or(""))
        {
            return;
        }
        let sub = self.sections.under_sub.contains(&b.start);
        match (sec, &b.kind) {
            (Section::Attendees | Section::Regrets, kind) => self.attendance(sec, id, kind, span),
            (Section::Agenda, BlockKind::Item { text, link, .. }) if top => {
                let (title, link) = text::title_and_link(text, link.as_deref());
                if !title.is_empty() {
                    self.facts.agenda.push(AgendaItem { title, link });
                }
            }
            (Section::Outcomes(kind), BlockKind::Item { text, .. }) if top => {
                self.outcome_item(kind, id, text, span, sub);
            }
            (Section::Outcomes(kind), BlockKind::Paragraph { text }) => {
                self.outcome_paragraph(kind, id, text, span, sub);
            }
            (
                Section::Actions,
                BlockKind::Item {
                    text,
                    checkbox,
                    depth,
                    ..
                },
            ) if top => self.action_item(id, b, (text, *checkbox, *depth)),
            (Section::Actions, BlockKind::Paragraph { text }) => {
                self.action_paragraph(id, b, text, span);
            }
            _ => {}
        }
    }

    /// An entry of an attendees or regrets section: a list item, a paragraph
    /// of names, or a row of a sign-in table.
    fn attendance(&mut self, sec: Section, id: usize, kind: &BlockKind, span: Span) {
        let into = if sec == Section::Attendees {
            &mut self.facts.attendees
        } else {
            &mut self.facts.regrets
        };
        match kind {
            BlockKind::Item {
                text, has_children, ..
            } => {
                let t = text.trim();
                if *has_children && t.ends_with(':') {
                    return;
                }
                if self.one_per_item.get(&id).copied().unwrap_or(false) {
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
                    self.tables
                        .insert(*table, people::TableCols::from_header(cells));
                } else if let Some(p) = self.tables.entry(*table).or_default().person(cells, span) {
                    into.push(p);
                }
            }
            BlockKind::Heading { .. } => {}
        }
    }

    fn owned(&mut self, id: usize) -> &mut OwnedOutcomes {
        self.owned_outcomes.entry(id).or_insert(OwnedOutcomes {
            outcomes: Vec::new(),
            actions: Vec::new(),
            all: true,
        })
    }

    /// A top-level item of an outcomes section.
    fn outcome_item(&mut self, kind: OutcomeKind, id: usize, text: &str, span: Span, sub: bool) {
        let t = text::clean(text);
        if t.is_empty() {
            return;
        }
        if !sub {
            let n = self.facts.outcomes.len();
            let found = actions::name_dash_task(&t, span, self.ctx);
            let e = self.owned(id);
            e.outcomes.push(n);
            match found {
                Some(a) => e.actions.push(a),
                None => e.all = false,
            }
        }
        self.facts.outcomes.push(Outcome {
            text: t,
            kind,
            votes: None,
            ..Default::default()
        });
    }

    /// A paragraph of an outcomes section: one outcome; each of its lines may
    /// read as `Name - task`.
    fn outcome_paragraph(
        &mut self,
        kind: OutcomeKind,
        id: usize,
        text: &str,
        span: Span,
        sub: bool,
    ) {
        let t = text::clean(text);
        if t.is_empty() || t.ends_with(':') {
            return;
        }
        let n = self.facts.outcomes.len();
        let found: Vec<Option<BodyAction>> = if sub {
            Vec::new()
        } else {
            text.lines()
                .enumerate()
                .map(|(k, line)| {
                    actions::name_dash_task(&text::clean(line), line_span(span, k), self.ctx)
                })
                .collect()
        };
        let e = self.owned(id);
        if !sub {
            e.outcomes.push(n);
        }
        for a in found {
            match a {
                Some(a) => e.actions.push(a),
                None => e.all = false,
            }
        }
        self.facts.outcomes.push(Outcome {
            text: t,
            kind,
            votes: None,
            ..Default::default()
        });
    }

    /// A top-level item of an action section.
    fn action_item(&mut self, id: usize, b: &Block, item: (&str, Option<bool>, usize)) {
        if self.ended.contains(&id) || self.discussions.contains(&id) {
            return;
        }
        self.listed.insert(id);
        self.action_ranges.push((b.start, b.end));
        // `Pip: Follow up on the roadmap` with `- Also provide a matrix` right below it:
        // the list tells more of Pip's item; it opens no unassigned items.
        let detail = self.owned_para_end.contains_key(&id) && {
            let before = self.body.get(..b.start).unwrap_or("");
            before[before.trim_end().len()..].matches('\n').count() <= 1
        };
        if detail {
            self.owned_para_end.insert(id, b.end);
        } else {
            self.owned_para_end.remove(&id);
        }
        let keep_unassigned = !detail;
        let found = section_items::read_item(
            self.body,
            self.doc,
            b,
            item,
            keep_unassigned,
            self.pos,
            self.ctx,
        );
        if self.sections.bullet_ids.contains(&id) {
            let items = found.into_iter().filter_map(|a| a.item);
            self.facts.action_lines.extend(items);
        } else {
            self.facts.actions.extend(found);
        }
    }

    /// Lines of a paragraph in an action section: `Derek: Will update the
    /// schedule`. A paragraph after the section's list ends the section (a
    /// transcript follows).
    fn action_paragraph(&mut self, id: usize, b: &Block, text: &str, span: Span) {
        let raw = self.body.get(b.start..b.end).unwrap_or("");
        if self.ended.contains(&id)
            || (self.listed.contains(&id) && section_items::ends_section(raw, text, self.ctx))
        {
            self.ended.insert(id);
            self.ended_at.entry(id).or_insert(b.start);
            return;
        }
        let mut last_owned = false;
        for (k, line) in text.lines().enumerate() {
            // `@WG-llvm checkin by @nagisa:` labels what follows; it is no task.
            if line.trim_end().ends_with(':') {
                last_owned = false;
                continue;
            }
            let a = actions::body_action(line, None, &[], line_span(span, k), self.ctx);
            last_owned = a.item.is_some();
            if a.item.is_some() || a.lead.is_some() {
                self.facts.actions.push(a);
            }
        }
        if last_owned {
            self.owned_para_end.insert(id, b.end);
        } else {
            self.owned_para_end.remove(&id);
        }
    }

    /// Plan sections read as a discussion, and where each ended action section ended
    /// (for `quorum explain`).
    pub(crate) fn skipped(&self) -> (&HashSet<usize>, &HashMap<usize, usize>) {
        (&self.discussions, &self.ended_at)
    }

    /// The facts read, once an outcomes section whose every entry is
    /// `Name - task` has been taken as a list of action items.
    pub(crate) fn finish(mut self) -> (BodyFacts, Vec<(usize, usize)>) {
        let mut drop: Vec<usize> = Vec::new();
        for o in std::mem::take(&mut self.owned_outcomes).into_values() {
            if o.all && !o.actions.is_empty() {
                drop.extend(o.outcomes);
                self.facts.actions.extend(o.actions);
            }
        }
        if !drop.is_empty() {
            let mut i = 0;
            self.facts.outcomes.retain(|_| {
                i += 1;
                !drop.contains(&(i - 1))
            });
        }
        (self.facts, self.action_ranges)
    }
}
