//! Decisions across meetings: every decision's id, the earlier decisions it
//! supersedes, amends or revokes, and so whether each still holds.
//!
//! Ids. A decision's id is its `id`, or else `<group>-<YYYYMMDD>-d<n>`: n
//! is its 1-based position among the decisions and resolutions of the
//! group's meetings that day, in meeting order (as for action items).
//!
//! Lineage. The front matter names the earlier decisions with
//! `supersedes:`, `amends:` or `revokes:`; a decision without those keys
//! may say it in its text ("… supersedes steering-20240102-d1"). A link
//! must name an earlier decision (an earlier meeting, or earlier in the same
//! meeting): one to nothing, to itself or to a later decision is an error.
//!
//! State. A decision is superseded or revoked by the latest decision that
//! supersedes or revokes it, else amended when one amends it, else in force.

use crate::diagnostics::{nearest, Code, Diagnostic};
use crate::model::{
    is_valid_id, Decision, DecisionId, DecisionState, GroupId, Lineage, LinkKind, Note,
    OutcomeKind, Site, Span, TiVec,
};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Gives every decision of `site` its id and lineage (`notes`, one per
/// meeting in meeting order, are only read to place problems).
/// With `keep_going`, a link to no decision is a warning.
pub(crate) fn resolve_decisions(
    site: &mut Site,
    notes: &[&Note],
    keep_going: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let mut by_id: HashMap<String, DecisionId> = HashMap::new();
    let mut day: HashMap<(GroupId, NaiveDate), u32> = HashMap::new();
    let mut decisions: TiVec<DecisionId, Decision> = TiVec::new();
    // Where each decision was made, for the problems that name it.
    let mut made_at: Vec<(String, NaiveDate)> = Vec::new();
    for (mi, m) in site.meetings.iter_mut_enumerated() {
        let key = &site.groups[m.group].key;
        for (oi, o) in m.outcomes.iter_mut().enumerate() {
            if o.kind == OutcomeKind::Outcome {
                continue;
            }
            let n = day.entry((m.group, m.date)).or_insert(0);
            *n += 1;
            let id =
                o.id.clone()
                    .unwrap_or_else(|| format!("{key}-{}-d{n}", m.date.format("%Y%m%d")));
            if let Some(&first) = by_id.get(&id) {
                let (path, date) = &made_at[first.index()];
                let (line, col) = place(notes.get(mi.index()).copied(), o.span, &id, m.body_line);
                diags.push(
                    Diagnostic::error(
                        Code::DuplicateDecisionId,
                        &m.path,
                        line,
                        col,
                        format!("the decision id `{id}` is taken already"),
                    )
                    .with_help(format!(
                        "the decision of {path} ({date}) has it; give this one another `id`"
                    )),
                );
                o.id = None;
                continue;
            }
            by_id.insert(id.clone(), decisions.next_key());
            made_at.push((m.path.clone(), m.date));
            o.id = Some(id.clone());
            decisions.push(Decision {
                url: format!("decisions/{id}/"),
                id,
                meeting: mi,
                outcome: oi,
                changes: Vec::new(),
                changed_by: Vec::new(),
                state: DecisionState::InForce,
                private: o.private || m.private,
            });
        }
    }
    link(site, &mut decisions, &by_id, notes, keep_going, diags);
    site.decisions = decisions;
}

/// The decisions of group `g` that still hold (in force or amended), oldest first.
pub(crate) fn in_force(site: &Site, g: GroupId) -> Vec<DecisionId> {
    site.decisions
        .iter_enumerated()
        .filter(|(_, dec)| dec.state.holds() && site.meetings[dec.meeting].group == g)
        .map(|(d, _)| d)
        .collect()
}

/// Reads and checks every decision's links, and sets the states.
fn link(
    site: &Site,
    decisions: &mut TiVec<DecisionId, Decision>,
    by_id: &HashMap<String, DecisionId>,
    notes: &[&Note],
    keep_going: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let mut ids: Vec<&str> = Vec::new();
    for d in decisions.keys().collect::<Vec<_>>() {
        let m = &site.meetings[decisions[d].meeting];
        let o = &m.outcomes[decisions[d].outcome];
        let links = match o.lineage.is_empty() {
            true => text_lineage(&o.text, |id| by_id.contains_key(id)),
            false => o.lineage.clone(),
        };
        for l in links {
            let note = notes.get(decisions[d].meeting.index()).copied();
            let (line, col) = place(note, l.span, &l.id, m.body_line);
            let err = |code, msg: String| Diagnostic::error(code, &m.path, line, col, msg);
            match by_id.get(&l.id).copied() {
                None => {
                    if ids.is_empty() {
                        ids = by_id.keys().map(String::as_str).collect();
                        ids.sort_unstable();
                    }
                    let help = match nearest(&l.id, &ids) {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => "the register (/decisions/) lists every decision's id".into(),
                    };
                    let msg = format!("{} `{}`: no decision has this id", l.kind.as_str(), l.id);
                    let d = err(Code::DecisionRefToNothing, msg).with_help(help);
                    diags.push(d.downgraded(keep_going));
                }
                Some(t) if t >= d => {
                    let msg = match t == d {
                        true => format!("the decision {} itself", l.kind.as_str()),
                        false => {
                            let later = &site.meetings[decisions[t].meeting];
                            format!(
                                "{} `{}`, a later decision ({}, {})",
                                l.kind.as_str(),
                                l.id,
                                later.path,
                                later.date
                            )
                        }
                    };
                    diags.push(err(Code::DecisionRefToLater, msg).with_help(
                        "a decision can only supersede, amend or revoke an earlier one",
                    ));
                }
                Some(t) => {
                    decisions[d].changes.push((l.kind, t));
                    decisions[t].changed_by.push((l.kind, d));
                }
            }
        }
    }
    for dec in decisions.iter_mut() {
        dec.state = state_of(&dec.changed_by);
    }
}

/// The state a decision is left in by the later decisions that change it
/// (in meeting order).
fn state_of(changed_by: &[(LinkKind, DecisionId)]) -> DecisionState {
    let last_end = changed_by
        .iter()
        .rev()
        .find(|(k, _)| *k != LinkKind::Amends);
    match last_end {
        Some((LinkKind::Revokes, _)) => DecisionState::Revoked,
        Some(_) => DecisionState::Superseded,
        None if changed_by.is_empty() => DecisionState::InForce,
        None => DecisionState::Amended,
    }
}

/// The links a decision's text gives: `supersedes`, `amends` or `revokes`,
/// then one or more ids (joined by `,`, `and` or `&`). A word is taken as an
/// id when it is one (`known`), or has the shape of one with a `-` and a
/// digit (so that "amends the co-chair rule" names nothing).
pub(crate) fn text_lineage(text: &str, known: impl Fn(&str) -> bool) -> Vec<Lineage> {
    const PUNCT: &[char] = &[
        '(', ')', '[', ']', ',', '.', ';', ':', '!', '?', '"', '\'', '`', '*', '“', '”', '‘', '’',
    ];
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(PUNCT))
        .collect();
    let id_like = |w: &str| {
        known(w) || (is_valid_id(w) && w.contains('-') && w.bytes().any(|b| b.is_ascii_digit()))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some(kind) = LinkKind::parse(words[i]) else {
            i += 1;
            continue;
        };
        i += 1;
        while i < words.len() {
            let w = words[i];
            if matches!(w.to_ascii_lowercase().as_str(), "and" | "&" | "") {
                i += 1;
                continue;
            }
            if !id_like(w) {
                break;
            }
            out.push(Lineage {
                kind,
                id: w.to_string(),
                span: Span::default(),
            });
            i += 1;
        }
    }
    out
}

/// Where to report a link to `id`: its front-matter span, else the first
/// line of the note's body that names the id, else the body's first line.
fn place(note: Option<&Note>, span: Span, id: &str, body_line: u32) -> (u32, u32) {
    if span.line > 0 {
        return (span.line, span.col.max(1));
    }
    let Some(note) = note else {
        return (body_line.max(1), 1);
    };
    for (k, line) in note.body.lines().enumerate() {
        if let Some(at) = line.find(id) {
            let col = line[..at].chars().count() as u32 + 1;
            return (note.body_line + k as u32, col);
        }
    }
    (note.body_line.max(1), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(LinkKind, String)> {
        text_lineage(text, |id| id == "charter")
            .into_iter()
            .map(|l| (l.kind, l.id))
            .collect()
    }

    #[test]
    fn text_names_earlier_decisions() {
        assert_eq!(
            kinds("Adopt the new policy (supersedes tsc-20240102-d1 and tsc-20240102-d2)."),
            vec![
                (LinkKind::Supersedes, "tsc-20240102-d1".to_string()),
                (LinkKind::Supersedes, "tsc-20240102-d2".to_string())
            ]
        );
        assert_eq!(
            kinds("Amends charter; revokes `tsc-20230101-d3`"),
            vec![
                (LinkKind::Amends, "charter".to_string()),
                (LinkKind::Revokes, "tsc-20230101-d3".to_string())
            ]
        );
    }

    #[test]
    fn prose_is_not_a_link() {
        assert!(kinds("This amends the co-chair rule").is_empty());
        assert!(kinds("Supersedes nothing of note").is_empty());
    }

    #[test]
    fn the_latest_ending_link_sets_the_state() {
        use LinkKind::*;
        assert_eq!(state_of(&[]), DecisionState::InForce);
        assert_eq!(state_of(&[(Amends, DecisionId(1))]), DecisionState::Amended);
        assert_eq!(
            state_of(&[(Amends, DecisionId(1)), (Supersedes, DecisionId(2))]),
            DecisionState::Superseded
        );
        assert_eq!(
            state_of(&[
                (Supersedes, DecisionId(1)),
                (Revokes, DecisionId(2)),
                (Amends, DecisionId(3))
            ]),
            DecisionState::Revoked
        );
    }
}
