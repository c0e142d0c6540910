//! decisions.json: every decision and resolution with its state and lineage.

use super::{to_json, url};
use crate::model::{DecisionId, LinkKind, Site};
use serde::Serialize;

/// One decision of decisions.json.
#[derive(Debug, Serialize)]
pub(crate) struct DecisionJson<'a> {
    /// Its id.
    pub(crate) id: &'a str,
    /// Group key.
    pub(crate) group: &'a str,
    /// Date of the meeting that made it.
    pub(crate) date: String,
    /// URL path of that meeting.
    pub(crate) meeting: String,
    /// `decision` or `resolution`.
    pub(crate) kind: &'static str,
    /// The decision as written.
    pub(crate) text: &'a str,
    /// Votes, when recorded.
    pub(crate) votes: Option<crate::model::Votes>,
    /// `in-force`, `amended`, `superseded` or `revoked`.
    pub(crate) state: &'static str,
    /// Ids of the earlier decisions it supersedes.
    pub(crate) supersedes: Vec<&'a str>,
    /// Ids of the earlier decisions it amends.
    pub(crate) amends: Vec<&'a str>,
    /// Ids of the earlier decisions it revokes.
    pub(crate) revokes: Vec<&'a str>,
    /// Ids of the later decisions that supersede it.
    pub(crate) superseded_by: Vec<&'a str>,
    /// Ids of the later decisions that amend it.
    pub(crate) amended_by: Vec<&'a str>,
    /// Ids of the later decisions that revoke it.
    pub(crate) revoked_by: Vec<&'a str>,
    /// URL path of its page.
    pub(crate) url: String,
}

/// decisions.json: every decision, in meeting order.
pub(crate) fn decisions_json(site: &Site, base_path: &str) -> Vec<u8> {
    let list: Vec<DecisionJson> = site
        .decisions
        .iter()
        .map(|d| {
            let m = &site.meetings[d.meeting];
            let o = m.outcomes.get(d.outcome);
            let ids = |links: &[(LinkKind, DecisionId)], kind: LinkKind| -> Vec<&str> {
                links
                    .iter()
                    .filter(|(k, _)| *k == kind)
                    .map(|&(_, t)| site.decisions[t].id.as_str())
                    .collect()
            };
            DecisionJson {
                id: &d.id,
                group: &site.groups[m.group].key,
                date: m.date.to_string(),
                meeting: url(base_path, &m.url),
                kind: o.map_or("decision", |o| o.kind.as_str()),
                text: o.map_or("", |o| o.text.as_str()),
                votes: o.and_then(|o| o.votes),
                state: d.state.as_str(),
                supersedes: ids(&d.changes, LinkKind::Supersedes),
                amends: ids(&d.changes, LinkKind::Amends),
                revokes: ids(&d.changes, LinkKind::Revokes),
                superseded_by: ids(&d.changed_by, LinkKind::Supersedes),
                amended_by: ids(&d.changed_by, LinkKind::Amends),
                revoked_by: ids(&d.changed_by, LinkKind::Revokes),
                url: url(base_path, &d.url),
            }
        })
        .collect();
    to_json(&list)
}
