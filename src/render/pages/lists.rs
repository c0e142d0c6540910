//! The index pages: home, actions, decisions, groups, people, search and 404.

use super::{Common, ACTIONS_PAGE, HOME_CAP};
use crate::model::{ItemId, MeetingStatus, Site};
use crate::render::view::{item_order, GroupLink, Index, ItemRow, MeetingRow, PersonLink};
use serde::Serialize;
use tera::Context;

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
    /// Pages left out before this one ("…").
    gap: bool,
}

/// Links to the first and last pages, and to the two either side of `page`.
fn page_links(pages: usize, page: usize) -> Vec<PageLink> {
    let mut out: Vec<PageLink> = Vec::new();
    let mut last = 0;
    for n in 1..=pages {
        if n == 1 || n == pages || n.abs_diff(page) <= 2 {
            out.push(PageLink {
                number: n,
                url: actions_page_url(n),
                current: n == page,
                gap: n > last + 1,
            });
            last = n;
        }
    }
    out
}

/// The URL (relative to the root) of page `n` (1-based) of the actions index.
pub(crate) fn actions_page_url(n: usize) -> String {
    if n <= 1 {
        "actions/".to_string()
    } else {
        format!("actions/_page/{n}/")
    }
}

/// Every item, open first, in pages of [`ACTIONS_PAGE`](super::ACTIONS_PAGE).
pub(crate) fn sorted_items(ix: &Index) -> Vec<ItemId> {
    let mut order: Vec<ItemId> = ix.items.keys().collect();
    order.sort_by(|&a, &b| item_order(&ix.items[a], &ix.items[b]));
    order
}

/// One page of the actions index.
pub(crate) fn actions(c: &Common, root: &str, order: &[ItemId], page: usize) -> Context {
    let ix = c.ix;
    let pages = order.len().div_ceil(ACTIONS_PAGE).max(1);
    let title = if page > 1 {
        format!("Action items, page {page} of {pages}")
    } else {
        "Action items".to_string()
    };
    let mut ctx = c.context(root, &title, "actions");
    let start = (page - 1) * ACTIONS_PAGE;
    let rows: Vec<&ItemRow> = order[start.min(order.len())..]
        .iter()
        .take(ACTIONS_PAGE)
        .map(|&i| &ix.items[i])
        .collect();
    ctx.insert("items", &rows);
    ctx.insert("total", &order.len());
    // `order` puts open items first: counted by a search, not per page over every item.
    let open_count = order.partition_point(|&i| ix.items[i].open);
    ctx.insert("open_count", &open_count);
    ctx.insert("first", &(start + 1).min(order.len()));
    ctx.insert("last", &(start + rows.len()));
    let links = if pages > 1 {
        page_links(pages, page)
    } else {
        Vec::new()
    };
    ctx.insert("pages", &links);
    ctx.insert("page", &page);
    ctx.insert("page_count", &pages);
    ctx.insert("prev_url", &(page > 1).then(|| actions_page_url(page - 1)));
    ctx.insert(
        "next_url",
        &(page < pages).then(|| actions_page_url(page + 1)),
    );
    ctx.insert("groups", &ix.groups);
    ctx
}

#[derive(Serialize)]
struct GroupSummary<'a> {
    group: &'a GroupLink,
    description: Option<String>,
    meetings: usize,
    open: usize,
    last: Option<&'a MeetingRow>,
}

fn group_summaries<'a>(site: &'a Site, ix: &'a Index) -> Vec<GroupSummary<'a>> {
    site.groups
        .iter_enumerated()
        .map(|(g, group)| GroupSummary {
            group: &ix.groups[g],
            description: group.description.clone(),
            meetings: group.meetings.len(),
            open: site
                .items
                .iter()
                .filter(|i| i.group == g && i.status.is_open())
                .count(),
            last: group
                .meetings
                .iter()
                .rev()
                .find(|&&m| site.meetings[m].status != MeetingStatus::Planned)
                .map(|&m| &ix.meetings[m]),
        })
        .collect()
}

/// The home page.
pub(crate) fn home(c: &Common, root: &str, order: &[ItemId]) -> Context {
    let (site, ix) = (c.site, c.ix);
    let mut ctx = c.context(root, &c.config.title, "home");
    ctx.insert("groups", &group_summaries(site, ix));
    let past: Vec<&MeetingRow> = site
        .meetings
        .iter_enumerated()
        .rev()
        .filter(|(_, m)| m.status != MeetingStatus::Planned)
        .map(|(i, _)| &ix.meetings[i])
        .take(HOME_CAP)
        .collect();
    ctx.insert("latest", &past);
    let upcoming: Vec<&MeetingRow> = site
        .meetings
        .iter_enumerated()
        .filter(|(_, m)| m.status == MeetingStatus::Planned)
        .map(|(i, _)| &ix.meetings[i])
        .take(HOME_CAP)
        .collect();
    ctx.insert("upcoming", &upcoming);
    let pick = |f: &dyn Fn(&ItemRow) -> bool| -> (Vec<&ItemRow>, usize) {
        let all: Vec<&ItemRow> = order
            .iter()
            .map(|&i| &ix.items[i])
            .filter(|r| f(r))
            .collect();
        let n = all.len();
        (all.into_iter().take(HOME_CAP).collect(), n)
    };
    let (overdue, n_overdue) = pick(&|r| r.overdue);
    let (stale, n_stale) = pick(&|r| r.stale);
    let (closed, n_closed) = pick(&|r| !r.open);
    ctx.insert("overdue", &overdue);
    ctx.insert("overdue_count", &n_overdue);
    ctx.insert("stale", &stale);
    ctx.insert("stale_count", &n_stale);
    ctx.insert("closed", &closed);
    ctx.insert("closed_count", &n_closed);
    ctx.insert("meeting_count", &site.meetings.len());
    ctx
}

/// Every group.
pub(crate) fn groups(c: &Common, root: &str) -> Context {
    let mut ctx = c.context(root, "Groups", "groups");
    ctx.insert("groups", &group_summaries(c.site, c.ix));
    ctx
}

#[derive(Serialize)]
struct PersonSummary {
    person: PersonLink,
    attended: usize,
    open: usize,
    /// The letter of the index the name files under.
    letter: String,
    /// Whether this is the first name under its letter (the index links here).
    first: bool,
}

/// The letter a name files under: its first letter, upper-cased, or `#`.
fn letter_of(name: &str) -> String {
    match name.chars().find(|c| c.is_alphanumeric()) {
        Some(c) if c.is_alphabetic() => c.to_uppercase().collect(),
        _ => "#".to_string(),
    }
}

/// Every person.
pub(crate) fn people(c: &Common, root: &str) -> Context {
    let (site, ix) = (c.site, c.ix);
    let mut ctx = c.context(root, "People", "people");
    let mut rows: Vec<PersonSummary> = site
        .people
        .keys()
        .map(|p| PersonSummary {
            person: ix.person(site, p, None),
            attended: ix.attended[p].len(),
            open: ix.owned[p].iter().filter(|&&i| ix.items[i].open).count(),
            letter: letter_of(&site.people[p].name),
            first: false,
        })
        .collect();
    rows.sort_by_cached_key(|r| (r.person.name.to_lowercase(), r.person.url.clone()));
    let mut letters: Vec<String> = Vec::new();
    for r in &mut rows {
        if !letters.contains(&r.letter) {
            letters.push(r.letter.clone());
            r.first = true;
        }
    }
    ctx.insert("people", &rows);
    ctx.insert("letters", &letters);
    ctx
}

/// The page a host serves for a missing path.
pub(crate) fn search(c: &Common, root: &str) -> Context {
    c.context(root, "Search", "search")
}

pub(crate) fn not_found(c: &Common, root: &str) -> Context {
    c.context(root, "Page not found", "")
}
