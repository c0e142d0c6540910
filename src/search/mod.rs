//! The site's search: one record per meeting, action item, decision, person
//! and group, taken from the resolved [`Site`] (never from rendered HTML),
//! indexed into small compressed chunks that the search page loads on demand.
//!
//! [`records`] lists what can be found; [`index::build`] turns the records
//! into the files under `search/`; [`files`] gives every output file of the
//! search (index and page) for `quorum build` to add to the site. The format
//! and the choices behind it are described in `docs/search.md`.

pub mod index;

use crate::model::{GroupId, PersonId, Site};
use crate::output::OutputFile;
use chrono::{Datelike, NaiveDate};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

/// What a record is; the `kind` filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A meeting note.
    Meeting,
    /// An action item.
    Action,
    /// A decision or resolution.
    Decision,
    /// A person.
    Person,
    /// A group.
    Group,
}

impl Kind {
    /// Every kind, in filter order.
    pub const ALL: [Kind; 5] = [
        Kind::Meeting,
        Kind::Action,
        Kind::Decision,
        Kind::Person,
        Kind::Group,
    ];
    /// The word shown in filters and results.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Meeting => "meeting",
            Kind::Action => "action",
            Kind::Decision => "decision",
            Kind::Person => "person",
            Kind::Group => "group",
        }
    }
}

/// The `status` filter's values, in filter order.
pub const STATUSES: [&str; 14] = [
    "open",
    "in-progress",
    "blocked",
    "overdue",
    "stale",
    "done",
    "dropped",
    "held",
    "planned",
    "cancelled",
    "in-force",
    "amended",
    "superseded",
    "revoked",
];

/// One thing the search can find.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// What it is.
    pub kind: Kind,
    /// URL relative to the site root (`groups/x/2024-01-02/`).
    pub url: String,
    /// Title: ranks first.
    pub title: String,
    /// The title is the one quorum made ("SIG Release meeting"), not one the
    /// note gives: its words rank as plain text, or every meeting of a group
    /// named after a word would outrank what is about it.
    pub made_title: bool,
    /// Agenda items (meetings) or the item id (actions): ranks second.
    pub strong: String,
    /// Everything else that can be found (plain text), shown in excerpts.
    pub text: String,
    /// Words that find it but are not shown in its excerpt: owners' names,
    /// aliases and handles, who was present, tags, chairs.
    pub hidden: String,
    /// The date shown and filtered by year.
    pub date: Option<NaiveDate>,
    /// The group shown and filtered on.
    pub group: Option<GroupId>,
    /// Status filter values (indices into [`STATUSES`]).
    pub status: Vec<u8>,
    /// The people it concerns: owners of an item, moderators, note-takers and
    /// attendees of a meeting, the person themself.
    pub people: Vec<PersonId>,
}

impl Record {
    /// The year filter's value.
    pub fn year(&self) -> Option<i32> {
        self.date.map(|d| d.year())
    }
}

fn status_index(s: &str) -> u8 {
    STATUSES.iter().position(|x| *x == s).unwrap_or(0) as u8
}

/// The plain text of markdown: text and code, no URLs or markup.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    // Tables, strikethrough and task lists parsed, so that their syntax
    // (`| --- |`, `~~`, `[ ]`) never reaches an excerpt: cells are parted
    // by a space, rows end like sentences.
    let opts = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_TASKLISTS;
    for ev in Parser::new_ext(markdown, opts) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableHead
                | TagEnd::TableRow,
            ) => end_sentence(&mut out),
            Event::End(TagEnd::TableCell) => out.push(' '),
            Event::Start(Tag::Item) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Ends a sentence: ". ", or only a space after a sentence that has its own stop.
fn end_sentence(out: &mut String) {
    let cut = out.trim_end().len();
    out.truncate(cut);
    if out.is_empty() || out.ends_with(['.', '!', '?', ':', ';']) {
        out.push(' ');
    } else {
        out.push_str(". ");
    }
}

fn names(site: &Site, people: &[PersonId]) -> String {
    let mut s = String::new();
    for &p in people {
        if let Some(person) = site.people.get(p) {
            s.push_str(&person.name);
            s.push_str(", ");
        }
    }
    s
}

/// Every record of the site: meetings, action items, decisions, people and
/// groups, in that order.
pub fn records(site: &Site) -> Vec<Record> {
    let mut out: Vec<Record> = site
        .meetings
        .raw
        .par_iter()
        .map(|m| meeting_record(site, m))
        .collect();
    out.par_extend(site.items.raw.par_iter().map(|it| item_record(site, it)));
    out.extend(site.decisions.iter().map(|d| decision_record(site, d)));
    for (i, p) in site.people.iter_enumerated() {
        out.push(person_record(i, p));
    }
    for (i, g) in site.groups.iter_enumerated() {
        out.push(group_record(site, i, g));
    }
    out
}

/// A meeting: its agenda as the strong text; outcomes, body, tags and who
/// was there as the text.
fn meeting_record(site: &Site, m: &crate::model::Meeting) -> Record {
    let mut people: Vec<PersonId> = m
        .moderators
        .iter()
        .chain(&m.note_takers)
        .copied()
        .chain(m.attendees.iter().map(|a| a.person))
        .collect();
    people.sort_unstable();
    people.dedup();
    let mut strong = String::new();
    for a in &m.agenda {
        strong.push_str(&a.title);
        strong.push_str(". ");
    }
    let mut text = String::new();
    for o in &m.outcomes {
        text.push_str(&o.text);
        end_sentence(&mut text);
    }
    text.push_str(&plain_text(&m.body));
    let mut hidden = m.tags.join(" ");
    hidden.push(' ');
    hidden.push_str(&names(site, &people));
    Record {
        kind: Kind::Meeting,
        url: m.url.clone(),
        title: m.title.clone(),
        made_title: site
            .groups
            .get(m.group)
            .is_some_and(|g| m.title == format!("{} meeting", g.name)),
        strong,
        text,
        hidden,
        date: Some(m.date),
        group: Some(m.group),
        status: vec![status_index(m.status.as_str())],
        people,
    }
}

/// An action item: its id as the strong text; owners (with their aliases
/// and handles), step notes and the opening meeting as the text.
fn item_record(site: &Site, it: &crate::model::ActionItem) -> Record {
    let mut status = vec![status_index(it.status.as_str())];
    if it.overdue {
        status.push(status_index("overdue"));
    }
    if it.stale {
        status.push(status_index("stale"));
    }
    let mut hidden = names(site, &it.owners);
    for &p in &it.owners {
        if let Some(person) = site.people.get(p) {
            for a in &person.aliases {
                hidden.push_str(a);
                hidden.push_str(", ");
            }
            if let Some(h) = &person.handle {
                hidden.push_str(h);
                hidden.push_str(", ");
            }
        }
    }
    if let Some(g) = &it.group_owner {
        hidden.push_str(g);
    }
    let mut text = String::new();
    for step in &it.history {
        if let Some(n) = &step.note {
            text.push_str(n);
            end_sentence(&mut text);
        }
    }
    if let Some(m) = site.meetings.get(it.opened_in) {
        hidden.push(' ');
        hidden.push_str(&m.title);
    }
    Record {
        kind: Kind::Action,
        url: it.url.clone(),
        title: it.task.clone(),
        made_title: false,
        strong: it.id.clone(),
        text,
        hidden,
        date: site.meetings.get(it.opened_in).map(|m| m.date),
        group: Some(it.group),
        status,
        people: it.owners.clone(),
    }
}

/// A decision or resolution: its id as the strong text, its state as the
/// status filter's value.
fn decision_record(site: &Site, d: &crate::model::Decision) -> Record {
    let m = &site.meetings[d.meeting];
    let o = m.outcomes.get(d.outcome);
    let kind = o.map_or("decision", |o| o.kind.as_str());
    let mut text = format!("{kind} of {}, {}, {}.", m.title, m.date, d.state.label());
    for &(k, t) in &d.changes {
        text.push_str(&format!(" {} {}.", k.as_str(), site.decisions[t].id));
    }
    Record {
        kind: Kind::Decision,
        url: d.url.clone(),
        title: o.map(|o| o.text.clone()).unwrap_or_default(),
        made_title: false,
        strong: d.id.clone(),
        text,
        hidden: String::new(),
        date: Some(m.date),
        group: Some(m.group),
        status: vec![status_index(d.state.as_str())],
        people: Vec::new(),
    }
}

/// A person: aliases, handle and affiliation as the text.
fn person_record(i: PersonId, p: &crate::model::Person) -> Record {
    let mut hidden = String::new();
    for a in &p.aliases {
        hidden.push_str(a);
        hidden.push_str(", ");
    }
    if let Some(h) = &p.handle {
        hidden.push_str(h);
    }
    Record {
        kind: Kind::Person,
        url: p.url.clone(),
        title: p.name.clone(),
        made_title: false,
        strong: String::new(),
        text: p.affiliation.clone().unwrap_or_default(),
        hidden,
        date: None,
        group: None,
        status: Vec::new(),
        people: vec![i],
    }
}

/// A group: its key as the strong text; description, body and chairs as the text.
fn group_record(site: &Site, i: GroupId, g: &crate::model::Group) -> Record {
    let mut text = g.description.clone().unwrap_or_default();
    text.push_str(". ");
    text.push_str(&plain_text(&g.body));
    Record {
        kind: Kind::Group,
        url: g.url.clone(),
        title: g.name.clone(),
        made_title: false,
        strong: g.key.clone(),
        text,
        hidden: names(site, &g.chairs),
        date: None,
        group: Some(i),
        status: Vec::new(),
        people: g.chairs.clone(),
    }
}

/// Every file the search adds to the site: the index under `search/` (the
/// search page is rendered with the other pages).
pub fn files(site: &Site) -> Vec<OutputFile> {
    index::build(site, &records(site))
}

#[cfg(test)]
mod tests;
