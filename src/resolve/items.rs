//! Action items across meetings: ids, updates, auto-links, carry-over, stale
//! and overdue items, relative due dates.

use super::cadence;
use super::people::People;
use super::ResolveOptions;
use crate::config::SiteConfig;
use crate::diagnostics::{nearest, Code, Diagnostic};
use crate::model::is_valid_id;
use crate::model::{
    ActionEntry, ActionItem, DueSpec, EntryOrigin, HistoryStep, ItemId, ItemStatus, ItemUpdate,
    MeetingId, MeetingStatus, NewItem, Note, PersonId, Site, StepKind,
};
use chrono::NaiveDate;
use std::collections::HashMap;

/// A ref that named no earlier item, checked once every item is known.
struct Unresolved {
    id: String,
    file: String,
    line: u32,
    col: u32,
}

/// The lower-cased alphanumeric words of a task, sorted and unique.
pub fn word_set(task: &str) -> Vec<String> {
    let mut words: Vec<String> = task
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The Sørensen–Dice coefficient of two sorted, unique word sets.
pub fn dice(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// Whether `s` has the shape of an automatic id (`<group>-<YYYYMMDD>-<n>`).
fn looks_like_auto_id(s: &str) -> bool {
    let parts: Vec<&str> = s.rsplitn(3, '-').collect();
    parts.len() == 3
        && parts[0].chars().all(|c| c.is_ascii_digit())
        && !parts[0].is_empty()
        && parts[1].len() == 8
        && parts[1].chars().all(|c| c.is_ascii_digit())
}

struct Ctx<'a> {
    site: &'a mut Site,
    people: &'a mut People,
    diags: &'a mut Vec<Diagnostic>,
    by_id: HashMap<String, ItemId>,
    words: Vec<Vec<String>>,
    group_items: Vec<Vec<ItemId>>,
    /// Each group's items not closed at this point of the walk, ascending
    /// (what carry-over matching searches; a subset of `group_items`).
    open_items: Vec<Vec<ItemId>>,
    unresolved: Vec<Unresolved>,
}

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
        words: Vec::new(),
        group_items: vec![Vec::new(); groups],
        open_items: vec![Vec::new(); groups],
        unresolved: Vec::new(),
    };
    let mut day_counter: HashMap<(usize, NaiveDate), u32> = HashMap::new();
    for (mi, note) in notes.iter().enumerate() {
        let file = note.path.as_str();
        let mut updates: Vec<ItemUpdate> = Vec::new();
        let mut news: Vec<NewItem> = Vec::new();
        // `_COMPLETED_: task` with no owner: a status update of an earlier item, found by its task.
        // An unassigned entry so written that finds no earlier item opens as unassigned.
        #[allow(clippy::type_complexity)]
        let mut carried: Vec<(ItemStatus, String, crate::model::Span, Option<NewItem>)> =
            Vec::new();
        // Body updates of items this meeting opens: applied once they are open.
        let mut later: Vec<ItemUpdate> = Vec::new();
        for entry in &note.actions {
            match entry {
                ActionEntry::Update(u) => updates.push(u.clone()),
                ActionEntry::New(n) => news.push(n.clone()),
                ActionEntry::Body(b) => {
                    let known = b.lead.as_ref().filter(|(id, _)| cx.by_id.contains_key(id));
                    let own = b.lead.as_ref().filter(|(id, _)| opens(note, id));
                    if let Some((id, rest)) = known {
                        updates.push(body_update(id, rest, b.checkbox, b.span));
                    } else if let Some((id, rest)) = own {
                        later.push(body_update(id, rest, b.checkbox, b.span));
                    } else if let Some(su) =
                        status_update(&b.text).filter(|_| b.item.as_ref().is_none_or(is_unassigned))
                    {
                        carried.push((su.0, su.1, b.span, b.item.clone()));
                    } else if let Some(item) = &b.item {
                        news.push(item.clone());
                    } else if let Some((id, _)) =
                        b.lead.as_ref().filter(|(id, _)| looks_like_auto_id(id))
                    {
                        cx.unresolved.push(Unresolved {
                            id: id.clone(),
                            file: file.to_string(),
                            line: b.span.line,
                            col: b.span.col,
                        });
                    }
                }
            }
        }
        updates.sort_by_key(|u| u.origin);
        news.sort_by_key(|n| n.origin);
        for u in &updates {
            match cx.by_id.get(&u.reference).copied() {
                Some(it) => cx.apply_update(it, mi, u, false),
                None => cx.unresolved.push(Unresolved {
                    id: u.reference.clone(),
                    file: file.to_string(),
                    line: u.span.line,
                    col: u.span.col,
                }),
            }
        }
        let g = cx.site.meetings[mi].group;
        let date = cx.site.meetings[mi].date;
        for (status, task, span, item) in &carried {
            let words = word_set(task);
            let found = config
                .actions
                .link_similar
                .then(|| cx.similar(g, mi, None, &words, config.actions.similarity))
                .flatten();
            let Some((it, score)) = found else {
                news.extend(item.clone());
                continue;
            };
            {
                let u = ItemUpdate {
                    reference: cx.site.items[it].id.clone(),
                    status: Some(*status),
                    owners: None,
                    due: None,
                    note: None,
                    span: *span,
                    origin: EntryOrigin::BodySection,
                };
                cx.apply_update(it, mi, &u, true);
                let target = &cx.site.items[it];
                cx.diags.push(
                    Diagnostic::warning(
                        Code::AutoLink,
                        file,
                        span.line,
                        span.col,
                        format!(
                            "taken as a status update ({}) of `{}` (\"{}\"; similarity {:.2})",
                            status.as_str(),
                            target.id,
                            target.task,
                            score
                        ),
                    )
                    .with_help(format!("confirm with `ref: {}`", target.id)),
                );
            }
        }
        for n in &news {
            let pos = day_counter.entry((g, date)).or_insert(0);
            *pos += 1;
            let auto_id = {
                use chrono::Datelike;
                format!(
                    "{}-{:04}{:02}{:02}-{}",
                    cx.site.groups[g].key,
                    date.year(),
                    date.month(),
                    date.day(),
                    pos
                )
            };
            let mut owners = cx.people.resolve_all(&n.owners, file, cx.diags);
            owners.sort_unstable();
            let words = word_set(&n.task);
            if n.id.is_none() && config.actions.link_similar {
                if let Some((it, score)) =
                    cx.similar(g, mi, Some(&owners), &words, config.actions.similarity)
                {
                    let u = ItemUpdate {
                        reference: cx.site.items[it].id.clone(),
                        status: n.status,
                        owners: None,
                        due: n.due,
                        note: None,
                        span: n.span,
                        origin: n.origin,
                    };
                    cx.apply_update(it, mi, &u, true);
                    let target = &cx.site.items[it];
                    let opened = &cx.site.meetings[target.opened_in];
                    cx.diags.push(
                        Diagnostic::warning(
                            Code::AutoLink,
                            file,
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
                    continue;
                }
            }
            let id = n.id.clone().unwrap_or(auto_id);
            if let Some(&first) = cx.by_id.get(&id) {
                let first = &cx.site.items[first];
                let at = &cx.site.meetings[first.opened_in];
                cx.diags.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        file,
                        n.span.line,
                        n.span.col,
                        format!("the item id `{id}` is already used"),
                    )
                    .with_help(format!(
                        "it was first used in {}:{}; give this item another id, or use `ref: {id}` to update that one",
                        at.path, first.line
                    )),
                );
                continue;
            }
            cx.open_item(id, n.id.is_some(), g, mi, owners, words, n);
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

/// Whether `note`'s front matter opens an item with the id `id`.
fn opens(note: &Note, id: &str) -> bool {
    note.actions
        .iter()
        .any(|e| matches!(e, ActionEntry::New(n) if n.id.as_deref() == Some(id)))
}

/// An item that names no owner, neither a person nor the group.
fn is_unassigned(n: &NewItem) -> bool {
    n.owners.is_empty() && n.group_owner.is_none()
}

/// `TODO: task`, `COMPLETED: task`, `Done - task`: a status label and the task after it.
fn status_update(text: &str) -> Option<(ItemStatus, String)> {
    let t = text.trim().trim_start_matches(['_', '*']);
    let (label, rest) = t.split_once([':', '-', '–'])?;
    let status = ItemStatus::parse(label.trim().trim_matches(['_', '*']).trim())?;
    let rest = rest.trim().trim_start_matches(['_', '*', ':']).trim();
    (!rest.is_empty()).then(|| (status, rest.to_string()))
}

fn body_update(
    id: &str,
    rest: &str,
    checkbox: Option<bool>,
    span: crate::model::Span,
) -> ItemUpdate {
    let rest = rest.trim().trim_start_matches([':', '-', '–']).trim();
    let (first, after) = match rest.split_once(|c: char| c.is_whitespace() || c == ',' || c == '.')
    {
        Some((f, a)) => (f, a.trim()),
        None => (rest, ""),
    };
    let (status, note) = match ItemStatus::parse(first) {
        Some(s) => (Some(s), after),
        None => match ItemStatus::parse(&rest.replace(' ', "-")) {
            Some(s) => (Some(s), ""),
            None => (None, rest),
        },
    };
    let status = status.or(match checkbox {
        Some(true) => Some(ItemStatus::Done),
        _ => None,
    });
    ItemUpdate {
        reference: id.to_string(),
        status,
        owners: None,
        due: None,
        note: (!note.is_empty()).then(|| note.to_string()),
        span,
        origin: EntryOrigin::BodySection,
    }
}

impl Ctx<'_> {
    /// The date a due spec names, from meeting `mi` of group `g`.
    fn due_date(&self, spec: DueSpec, g: usize, mi: MeetingId) -> Option<NaiveDate> {
        let n = match spec {
            DueSpec::Date(d) => return Some(d),
            DueSpec::Meetings(n) => n as usize,
        };
        let group = &self.site.groups[g];
        let following: Vec<NaiveDate> = group
            .meetings
            .iter()
            .filter(|&&m| m > mi && self.site.meetings[m].status != MeetingStatus::Cancelled)
            .map(|&m| self.site.meetings[m].date)
            .take(n)
            .collect();
        if following.len() == n {
            return following.last().copied();
        }
        let cad = cadence::parse(group.cadence.as_deref()?)?;
        let mut d = following
            .last()
            .copied()
            .unwrap_or(self.site.meetings[mi].date);
        for _ in following.len()..n {
            d = cadence::next_after(d, cad)?;
        }
        Some(d)
    }

    /// The most similar open item of group `g` opened before meeting `mi`,
    /// owned by exactly `owners` (or by anyone when `None`).
    fn similar(
        &self,
        g: usize,
        mi: MeetingId,
        owners: Option<&[PersonId]>,
        words: &[String],
        min: f64,
    ) -> Option<(ItemId, f64)> {
        let mut best: Option<(ItemId, f64)> = None;
        for &it in &self.open_items[g] {
            let item = &self.site.items[it];
            if item.opened_in >= mi
                || item.status.is_closed()
                || owners.is_some_and(|o| item.owners != o)
            {
                continue;
            }
            let score = dice(&self.words[it], words);
            if score >= min && best.is_none_or(|(_, s)| score > s) {
                best = Some((it, score));
            }
        }
        best
    }

    #[allow(clippy::too_many_arguments)]
    fn open_item(
        &mut self,
        id: String,
        explicit: bool,
        g: usize,
        mi: MeetingId,
        owners: Vec<PersonId>,
        words: Vec<String>,
        n: &NewItem,
    ) {
        let status = n.status.unwrap_or(ItemStatus::Open);
        let due = n.due.and_then(|d| self.due_date(d, g, mi));
        let date = self.site.meetings[mi].date;
        let it = self.site.items.len();
        self.site.items.push(ActionItem {
            url: format!("actions/{id}/"),
            id: id.clone(),
            explicit_id: explicit,
            group: g,
            owners: owners.clone(),
            group_owner: n.group_owner.clone(),
            task: n.task.clone(),
            status,
            opened_in: mi,
            due,
            due_spec: n.due,
            closed: status.is_closed().then_some(date),
            carried: 0,
            stale: false,
            overdue: false,
            history: vec![HistoryStep {
                meeting: mi,
                kind: StepKind::Opened,
                status,
                owners: Some(owners),
                due,
                note: None,
                auto_linked: false,
                line: n.span.line,
            }],
            line: n.span.line,
        });
        debug_assert!(is_valid_id(&id) || !explicit);
        self.by_id.insert(id, it);
        self.words.push(words);
        self.group_items[g].push(it);
        if !status.is_closed() {
            self.open_items[g].push(it);
        }
        self.site.meetings[mi].opened.push(it);
    }

    fn apply_update(&mut self, it: ItemId, mi: MeetingId, u: &ItemUpdate, auto_linked: bool) {
        let file = self.site.meetings[mi].path.clone();
        let owners = u.owners.as_ref().map(|o| {
            let mut ids = self.people.resolve_all(o, &file, self.diags);
            ids.sort_unstable();
            ids
        });
        let g = self.site.items[it].group;
        let due = u.due.and_then(|d| self.due_date(d, g, mi));
        let date = self.site.meetings[mi].date;
        let item = &mut self.site.items[it];
        let status = u.status.unwrap_or(item.status);
        let changed = status != item.status
            || owners.is_some()
            || u.due.is_some()
            || u.note.is_some()
            || auto_linked;
        if status.is_closed() && item.status.is_open() {
            item.closed = Some(date);
        } else if status.is_open() {
            item.closed = None;
        }
        let (was_closed, now_closed) = (item.status.is_closed(), status.is_closed());
        item.status = status;
        if was_closed != now_closed {
            let open = &mut self.open_items[g];
            match (open.binary_search(&it), now_closed) {
                (Ok(at), true) => {
                    open.remove(at);
                }
                (Err(at), false) => open.insert(at, it),
                _ => {}
            }
        }
        let item = &mut self.site.items[it];
        if let Some(o) = &owners {
            item.owners = o.clone();
        }
        if u.due.is_some() {
            item.due = due;
            item.due_spec = u.due;
        }
        let kind = if changed {
            StepKind::Updated
        } else {
            StepKind::Mentioned
        };
        // Several entries of one meeting on one item make one step.
        match item.history.last_mut().filter(|s| s.meeting == mi) {
            Some(step) => {
                if kind == StepKind::Updated && step.kind != StepKind::Opened {
                    step.kind = StepKind::Updated;
                }
                step.status = status;
                step.owners = owners.or(step.owners.take());
                step.due = due.or(step.due);
                step.note = u.note.clone().or(step.note.take());
                step.auto_linked |= auto_linked;
            }
            None => item.history.push(HistoryStep {
                meeting: mi,
                kind,
                status,
                owners,
                due,
                note: u.note.clone(),
                auto_linked,
                line: u.span.line,
            }),
        }
        let m = &mut self.site.meetings[mi];
        let list = if kind == StepKind::Updated {
            &mut m.updated
        } else {
            &mut m.mentioned
        };
        if !list.contains(&it) {
            list.push(it);
        }
        if kind == StepKind::Updated {
            m.mentioned.retain(|&x| x != it);
        }
    }

    fn report_unresolved(&mut self, keep_going: bool) {
        let unresolved = std::mem::take(&mut self.unresolved);
        let mut ids: Vec<&str> = Vec::new();
        for u in &unresolved {
            let d = match self.by_id.get(&u.id) {
                Some(&it) => {
                    let item = &self.site.items[it];
                    let at = &self.site.meetings[item.opened_in];
                    Diagnostic::error(
                        Code::RefToLaterItem,
                        &u.file,
                        u.line,
                        u.col,
                        if at.path == u.file {
                            format!(
                                "`{}` is opened in this same meeting, not an earlier one",
                                u.id
                            )
                        } else {
                            format!("`{}` is opened later, in {} ({})", u.id, at.path, at.date)
                        },
                    )
                    .with_help("a `ref` can only update an item opened in an earlier meeting")
                }
                None => {
                    if ids.is_empty() {
                        ids = self.by_id.keys().map(String::as_str).collect();
                        ids.sort_unstable();
                    }
                    let help = match nearest(&u.id, &ids) {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => {
                            "check the id on the item's page or with `quorum actions`".to_string()
                        }
                    };
                    Diagnostic::error(
                        Code::RefToNothing,
                        &u.file,
                        u.line,
                        u.col,
                        format!("no item has the id `{}`", u.id),
                    )
                    .with_help(help)
                }
            };
            self.diags.push(d.downgraded(keep_going));
        }
    }

    /// Carried counts, the items carried into each meeting, stale and overdue.
    fn carry_over(&mut self, stale_after: u32, today: NaiveDate) {
        let site = &mut *self.site;
        for g in 0..site.groups.len() {
            let meetings = site.groups[g].meetings.clone();
            for &it in &self.group_items[g] {
                let item = &site.items[it];
                let opened = item.opened_in;
                let mut step = 0;
                let mut status = item.history[0].status;
                let mut carried = 0u32;
                let mut last_update = opened;
                let mut held_since_update = 0u32;
                let start = meetings.partition_point(|&m| m <= opened);
                for &m in &meetings[start..] {
                    // Status at the start of meeting m: after every step in an earlier meeting.
                    while step + 1 < item.history.len() && item.history[step + 1].meeting < m {
                        step += 1;
                        status = item.history[step].status;
                        if item.history[step].kind != StepKind::Mentioned {
                            last_update = item.history[step].meeting;
                            held_since_update = 0;
                        }
                    }
                    // Closed for good (no later step): later meetings neither
                    // carry it nor make it stale.
                    if step + 1 == item.history.len() && status.is_closed() {
                        break;
                    }
                    if site.meetings[m].status == MeetingStatus::Held {
                        if status.is_open() {
                            carried += 1;
                            site.meetings[m].carried_in.push((it, carried));
                        }
                        if m > last_update && site.meetings[m].date <= today {
                            held_since_update += 1;
                        }
                    }
                }
                // Steps in other groups' meetings after this group's last meeting.
                for s in &item.history[step + 1..] {
                    if s.kind != StepKind::Mentioned {
                        last_update = s.meeting;
                        held_since_update = 0;
                    }
                }
                let item = &mut site.items[it];
                item.carried = carried;
                item.overdue = item.status.is_open() && item.due.is_some_and(|d| d < today);
                item.stale = item.status.is_open() && held_since_update > stale_after;
                if item.stale {
                    let at = &site.meetings[last_update];
                    let line = item
                        .history
                        .iter()
                        .rev()
                        .find(|s| s.meeting == last_update)
                        .map(|s| s.line)
                        .unwrap_or(item.line);
                    self.diags.push(
                        Diagnostic::warning(
                            Code::StaleItem,
                            &at.path,
                            line,
                            1,
                            format!(
                                "`{}` is stale: open with no update in {} held meetings",
                                item.id, held_since_update
                            ),
                        )
                        .with_help(format!(
                            "update it with `ref: {}` and a status, or drop it",
                            item.id
                        )),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dice_of_word_sets() {
        let a = word_set("Draft the charter updates");
        let b = word_set("draft the Charter update");
        assert!((dice(&a, &b) - 0.75).abs() < 1e-9);
        assert_eq!(dice(&a, &a), 1.0);
    }

    #[test]
    fn auto_id_shape() {
        assert!(looks_like_auto_id("sig-build-20220323-2"));
        assert!(!looks_like_auto_id("lf-guidance"));
    }

    #[test]
    fn status_labels() {
        assert_eq!(
            status_update("COMPLETED: Find a volunteer"),
            Some((ItemStatus::Done, "Find a volunteer".to_string()))
        );
        assert_eq!(
            status_update("_TODO_: Draft it").map(|x| x.0),
            Some(ItemStatus::Open)
        );
        assert_eq!(status_update("Find a volunteer: soon"), None);
    }

    #[test]
    fn body_updates() {
        let s = crate::model::Span::new(1, 1);
        let u = body_update("x-1", ": done, posted", None, s);
        assert_eq!(u.status, Some(ItemStatus::Done));
        assert_eq!(u.note.as_deref(), Some("posted"));
        let u = body_update("x-1", "", Some(true), s);
        assert_eq!(u.status, Some(ItemStatus::Done));
        let u = body_update("x-1", "in progress", None, s);
        assert_eq!(u.status, Some(ItemStatus::InProgress));
    }
}
