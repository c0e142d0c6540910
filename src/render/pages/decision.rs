//! The decisions register (`/decisions/`) and each decision's page
//! (`/decisions/<id>/`): its state, and its lineage both ways.

use super::Common;
use crate::model::{Decision, DecisionId, DecisionState, GroupId, Site};
use crate::render::view::MeetingRow;
use serde::Serialize;
use tera::Context;

/// A link from one decision to another, as the pages show it.
#[derive(Serialize)]
struct LinkView<'a> {
    /// `supersedes`, or `superseded by` on the other side.
    verb: &'static str,
    id: &'a str,
    url: &'a str,
    text: &'a str,
    state: &'static str,
    meeting: &'a MeetingRow,
}

/// One decision in the register or on its page.
#[derive(Serialize)]
struct DecisionView<'a> {
    id: &'a str,
    url: &'a str,
    text: &'a str,
    kind: &'static str,
    votes: Option<crate::model::Votes>,
    /// `in-force`, `amended`, `superseded`, `revoked`.
    state: &'static str,
    /// `in force`, …
    state_label: &'static str,
    year: i32,
    meeting: &'a MeetingRow,
    changes: Vec<LinkView<'a>>,
    changed_by: Vec<LinkView<'a>>,
    /// The forge issues and pull requests the decision links.
    links: Vec<super::links::LinkView>,
}

/// The text of decision `d`.
pub(crate) fn decision_text(site: &Site, d: &Decision) -> String {
    site.meetings[d.meeting]
        .outcomes
        .get(d.outcome)
        .map(|o| o.text.clone())
        .unwrap_or_default()
}

fn view<'a>(c: &'a Common, d: DecisionId) -> DecisionView<'a> {
    let (site, ix) = (c.site, c.ix);
    let dec = &site.decisions[d];
    let o = site.meetings[dec.meeting].outcomes.get(dec.outcome);
    let link = |(k, t): &(crate::model::LinkKind, DecisionId), passive: bool| {
        let other = &site.decisions[*t];
        LinkView {
            verb: if passive { k.passive() } else { k.as_str() },
            id: &other.id,
            url: &other.url,
            text: site.meetings[other.meeting]
                .outcomes
                .get(other.outcome)
                .map_or("", |o| o.text.as_str()),
            state: other.state.label(),
            meeting: &ix.meetings[other.meeting],
        }
    };
    DecisionView {
        id: &dec.id,
        url: &dec.url,
        text: o.map_or("", |o| o.text.as_str()),
        kind: o.map_or("decision", |o| o.kind.as_str()),
        votes: o.and_then(|o| o.votes),
        state: dec.state.as_str(),
        state_label: dec.state.label(),
        year: ix.meetings[dec.meeting].year,
        meeting: &ix.meetings[dec.meeting],
        changes: dec.changes.iter().map(|l| link(l, false)).collect(),
        changed_by: dec.changed_by.iter().map(|l| link(l, true)).collect(),
        links: super::links::of_outcome(c, dec.meeting, dec.outcome),
    }
}

#[derive(Serialize)]
struct StateCount {
    state: &'static str,
    label: &'static str,
    count: usize,
}

/// The decisions register, newest first, with filters by group, year and state.
pub(crate) fn decisions(c: &Common, root: &str) -> Context {
    let site = c.site;
    let mut ctx = c.context(root, "Decisions", "decisions");
    let list: Vec<DecisionView> = site.decisions.keys().rev().map(|d| view(c, d)).collect();
    let mut years: Vec<i32> = list.iter().map(|d| d.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut groups: Vec<GroupId> = site
        .decisions
        .iter()
        .map(|d| site.meetings[d.meeting].group)
        .collect();
    groups.sort_unstable();
    groups.dedup();
    let groups: Vec<_> = groups.into_iter().map(|g| &c.ix.groups[g]).collect();
    let states: Vec<StateCount> = DecisionState::ALL
        .iter()
        .map(|&s| StateCount {
            state: s.as_str(),
            label: s.label(),
            count: site.decisions.iter().filter(|d| d.state == s).count(),
        })
        .collect();
    ctx.insert("decisions", &list);
    ctx.insert("years", &years);
    ctx.insert("decision_groups", &groups);
    ctx.insert("states", &states);
    ctx
}

/// One decision's page.
pub(crate) fn decision(c: &Common, root: &str, d: DecisionId) -> Context {
    let dec = &c.site.decisions[d];
    let mut ctx = c.context(root, &format!("Decision {}", dec.id), "decisions");
    ctx.insert("decision", &view(c, d));
    ctx
}
