//! Action items across meetings: ids, updates, auto-links, carry-over, stale
//! and overdue items, relative due dates.
//!
//! The notes are walked in meeting order; each note's entries are sorted
//! ([`entries`]), its updates applied, its status lines linked to earlier
//! items by their task ([`similar`]), and its new items opened ([`apply`]).
//! After the walk come the refs that named no earlier item, carried counts,
//! stale and overdue items ([`carry`]).

mod apply;
mod carry;
mod entries;
mod similar;

use super::people::People;
use super::ResolveOptions;
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{GroupId, ItemId, ItemUpdate, MeetingId, NewItem, Note, Site, TiVec};
use chrono::NaiveDate;
use entries::{Carried, Entries};
use similar::word_set;
use std::collections::HashMap;

/// A ref that named no earlier item, checked once every item is known.
struct Unresolved {
    id: String,
    file: String,
    line: u32,
    col: u32,
}

/// What the walk over the notes keeps.
struct Ctx<'a> {
    site: &'a mut Site,
    people: &'a mut People,
    diags: &'a mut Vec<Diagnostic>,
    by_id: HashMap<String, ItemId>,
    words: TiVec<ItemId, Vec<String>>,
    group_items: TiVec<GroupId, Vec<ItemId>>,
    /// Each group's items not closed at this point of the walk, ascending
    /// (what carry-over matching searches; a subset of `group_items`).
    open_items: TiVec<GroupId, Vec<ItemId>>,
    unresolved: Vec<Unresolved>,
    /// How many items each group's meetings of one day opened so far (for
    /// automatic ids).
    day_counter: HashMap<(GroupId, NaiveDate), u32>,
    /// The private parts of the note being walked: whether it is private
    /// as a whole, and its private lines.
    private: (bool, Vec<(u32, u32)>),
}

impl Ctx<'_> {
    /// Whether line `line` of the note being walked is in a private part.
    fn is_private_line(&self, line: u32) -> bool {
        self.private.0 || self.private.1.iter().any(|&(a, b)| a <= line && line <= b)
    }
}

/// Opens, updates and links every action item of `notes` (one per meeting,
/// in meeting order) into `site`.
pub(super) fn resolve_items(
    site: &mut Site,
    notes: &[&Note],
    people: &mut People,
    config: &SiteConfig,
    opts: ResolveOptions,
    diags: &mut Vec<Diagnostic>,
) {
    let groups = site.groups.len();
    let mut cx = Ctx {
        site,
        people,
        diags,
        by_id: HashMap::new(),
        words: TiVec::new(),
        group_items: vec![Vec::new(); groups].into(),
        open_items: vec![Vec::new(); groups].into(),
        unresolved: Vec::new(),
        day_counter: HashMap::new(),
        private: (false, Vec::new()),
    };
    for (mi, note) in notes.iter().enumerate() {
        let mi = MeetingId(mi);
        cx.private = (note.private, note.private_lines.clone());
        let Entries {
            updates,
            mut news,
            carried,
            later,
        } = cx.sort_entries(note);
        cx.apply_updates(mi, &updates);
        for c in &carried {
            if !cx.link_carried(mi, c, config) {
                news.extend(c.item.clone());
            }
        }
        for n in &news {
            cx.add_new(mi, n, config);
        }
        for u in &later {
            if let Some(it) = cx.by_id.get(&u.reference).copied() {
                cx.apply_update(it, mi, u, false);
            }
        }
    }
    cx.report_unresolved(opts.keep_going);
    cx.carry_over(config.actions.stale_after, opts.today);
}

impl Ctx<'_> {
    /// Applies a note's `ref:` updates; a ref to no earlier item waits for
    /// the end of the walk.
    fn apply_updates(&mut self, mi: MeetingId, updates: &[ItemUpdate]) {
        for u in updates {
            match self.by_id.get(&u.reference).copied() {
                Some(it) => self.apply_update(it, mi, u, false),
                None => self.unresolved.push(Unresolved {
                    id: u.reference.clone(),
                    file: self.site.meetings[mi].path.clone(),
                    line: u.span.line,
                    col: u.span.col,
                }),
            }
        }
    }

    /// Takes a status line without an owner as an update of the most
    /// similar earlier open item; false when there is none.
    fn link_carried(&mut self, mi: MeetingId, c: &Carried, config: &SiteConfig) -> bool {
        let g = self.site.meetings[mi].group;
        let words = word_set(&c.task);
        let found = config
            .actions
            .link_similar
            .then(|| self.similar(g, mi, None, &words, config.actions.similarity))
            .flatten();
        let Some((it, score)) = found else {
            return false;
        };
        let u = ItemUpdate {
            reference: self.site.items[it].id.clone(),
            status: Some(c.status),
            owners: None,
            due: None,
            note: None,
            span: c.span,
            origin: crate::model::EntryOrigin::BodySection,
        };
        self.apply_update(it, mi, &u, true);
        let target = &self.site.items[it];
        self.diags.push(
            Diagnostic::warning(
                Code::AutoLink,
                &self.site.meetings[mi].path,
                c.span.line,
                c.span.col,
                format!(
                    "taken as a status update ({}) of `{}` (\"{}\"; similarity {:.2})",
                    c.status.as_str(),
                    target.id,
                    target.task,
                    score
                ),
            )
            .with_help(format!("confirm with `ref: {}`", target.id)),
        );
        true
    }

    /// Opens a new item of meeting `mi`: as a carry-over of a similar earlier
    /// item when it has no id, refused when its id is taken.
    fn add_new(&mut self, mi: MeetingId, n: &NewItem, config: &SiteConfig) {
        let g = self.site.meetings[mi].group;
        let date = self.site.meetings[mi].date;
        let pos = self.day_counter.entry((g, date)).or_insert(0);
        *pos += 1;
        let auto_id = {
            use chrono::Datelike;
            format!(
                "{}-{:04}{:02}{:02}-{}",
                self.site.groups[g].key,
                date.year(),
                date.month(),
                date.day(),
                pos
            )
        };
        let file = self.site.meetings[mi].path.clone();
        let mut owners = self.people.resolve_all(&n.owners, &file, self.diags);
        owners.sort_unstable();
        let words = word_set(&n.task);
        if n.id.is_none() && config.actions.link_similar {
            if let Some((it, score)) =
                self.similar(g, mi, Some(&owners), &words, config.actions.similarity)
            {
                self.link_new(mi, it, score, n);
                return;
            }
        }
        let id = n.id.clone().unwrap_or(auto_id);
        if let Some(&first) = self.by_id.get(&id) {
            let first = &self.site.items[first];
            let at = &self.site.meetings[first.opened_in];
            self.diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    &file,
                    n.span.line,
                    n.span.col,
                    format!("the item id `{id}` is already used"),
                )
                .with_help(format!(
                    "it was first used in {}:{}; give this item another id, or use `ref: {id}` to update that one",
                    at.path, first.line
                )),
            );
            return;
        }
        self.open_item(id, n.id.is_some(), g, mi, owners, words, n);
    }

    /// Takes new item `n` of meeting `mi` as a carry-over of item `it`.
    fn link_new(&mut self, mi: MeetingId, it: ItemId, score: f64, n: &NewItem) {
        let u = ItemUpdate {
            reference: self.site.items[it].id.clone(),
            status: n.status,
            owners: None,
            due: n.due,
            note: None,
            span: n.span,
            origin: n.origin,
        };
        self.apply_update(it, mi, &u, true);
        let target = &self.site.items[it];
        let opened = &self.site.meetings[target.opened_in];
        self.diags.push(
            Diagnostic::warning(
                Code::AutoLink,
                &self.site.meetings[mi].path,
                n.span.line,
                n.span.col,
                format!(
                    "taken as a carry-over of `{}` (\"{}\", opened {}; similarity {:.2})",
                    target.id, target.task, opened.date, score
                ),
            )
            .with_help(format!(
                "confirm with `ref: {}`, or give this item an `id` if it is a new one",
                target.id
            )),
        );
    }
}

#[cfg(test)]
mod tests;
