//! The blocks "since your last meeting" (person pages, one per group) and
//! "since the last meeting" (meeting pages): what was decided, opened and
//! closed in the meetings in between, each linked.

use super::Common;
use crate::model::{GroupId, ItemId, MeetingId, PersonId};
use crate::render::view::{GroupLink, ItemRow, MeetingRow};
use crate::resolve::since::{self, Happened};
use serde::Serialize;
use tera::Context;

/// How many rows each list of a person's block shows.
const PERSON_CAP: usize = 20;
/// How many rows each list of a meeting's block shows (meeting pages stay light).
const MEETING_CAP: usize = 5;

/// A decision in a block: only what its line shows.
#[derive(Serialize)]
struct DecisionRow<'a> {
    url: &'a str,
    date: &'a str,
    group: &'a str,
    kind: &'static str,
    text: &'a str,
}

/// An item in a block: only what its line shows.
#[derive(Serialize)]
struct ItemLine<'a> {
    url: &'a str,
    id: &'a str,
    task: &'a str,
    status: &'static str,
    group: &'a str,
}

impl<'a> ItemLine<'a> {
    fn new(row: &'a ItemRow) -> ItemLine<'a> {
        ItemLine {
            url: &row.url,
            id: &row.id,
            task: &row.task,
            status: row.status,
            group: &row.group.name,
        }
    }
}

/// A list, cut at a cap, with how many were left out.
#[derive(Serialize)]
struct Capped<T: Serialize> {
    label: &'static str,
    rows: Vec<T>,
    total: usize,
    more: usize,
}

/// A list of `total` rows cut at `cap`: only the rows shown are made.
fn capped<T: Serialize>(
    label: &'static str,
    total: usize,
    all: impl Iterator<Item = T>,
    cap: usize,
) -> Capped<T> {
    let rows: Vec<T> = all.take(cap).collect();
    Capped {
        label,
        more: total - rows.len(),
        rows,
        total,
    }
}

#[derive(Serialize)]
struct Block<'a> {
    /// The group (person pages).
    group: Option<&'a GroupLink>,
    /// The meeting counted from.
    last: &'a MeetingRow,
    /// How many meetings lie in between.
    meetings: usize,
    decisions: Capped<DecisionRow<'a>>,
    /// Items closed, opened, and (person pages) the person's own items that changed.
    lists: Vec<Capped<ItemLine<'a>>>,
    /// Whether any list has a row.
    any: bool,
}

fn block<'a>(c: &'a Common, last: MeetingId, h: &Happened, cap: usize) -> Block<'a> {
    let (site, ix) = (c.site, c.ix);
    // Newest first.
    let decisions = h.decisions.iter().rev().map(|&(m, k)| {
        let (o, row) = (&site.meetings[m].outcomes[k], &ix.meetings[m]);
        DecisionRow {
            url: &row.url,
            date: &row.date,
            group: &row.group.name,
            kind: o.kind.as_str(),
            text: &o.text,
        }
    });
    let rows = |label, total, ids: &[ItemId]| {
        let lines = ids.iter().rev().map(|&i| ItemLine::new(&ix.items[i]));
        capped(label, total, lines, cap)
    };
    let n = h.counts;
    Block {
        group: None,
        last: &ix.meetings[last],
        meetings: n.meetings,
        decisions: capped("Decisions", n.decisions, decisions, cap),
        lists: vec![
            rows("Items closed", n.closed, &h.closed),
            rows("Items opened", n.opened, &h.opened),
        ],
        any: n.decisions + n.closed + n.opened > 0,
    }
}

/// The meeting page's `since_last`: the meetings of every group between
/// this group's previous meeting and this one (none for its first).
pub(crate) fn add_meeting(c: &Common, m: MeetingId, ctx: &mut Context) {
    let found = since::between_meetings(c.site, &c.insights.tally, m, MEETING_CAP);
    let b = found
        .as_ref()
        .map(|(prev, h)| block(c, *prev, h, MEETING_CAP));
    ctx.insert("since_last", &b);
}

/// The person page's `since_attended`: for each group they attended, what
/// its meetings after their last one did (groups with no later meeting left out).
pub(crate) fn add_person(c: &Common, p: PersonId, ctx: &mut Context) {
    let (site, ix) = (c.site, c.ix);
    let mut groups: Vec<GroupId> = ix.attended[p]
        .iter()
        .map(|&m| site.meetings[m].group)
        .collect();
    groups.sort_unstable();
    groups.dedup();
    let blocks: Vec<Block> = groups
        .into_iter()
        .filter_map(|g| {
            let (last, h, theirs) = since::since_attended(site, &ix.attended[p], &ix.owned[p], g)?;
            if h.counts.meetings == 0 {
                return None;
            }
            let mut b = block(c, last, &h, PERSON_CAP);
            b.group = Some(&ix.groups[g]);
            let rows = theirs.iter().map(|&i| ItemLine::new(&ix.items[i]));
            b.lists.push(capped(
                "Your items that changed",
                theirs.len(),
                rows,
                PERSON_CAP,
            ));
            b.any |= !theirs.is_empty();
            Some(b)
        })
        .collect();
    ctx.insert("since_attended", &blocks);
}
