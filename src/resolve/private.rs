//! Which parts of the resolved site are private (written in a note's
//! private part, or in a note that is private as a whole), and the site
//! that is published: the same site with every private part left out.
//!
//! Resolve keeps private parts (they take their place in the ids, and
//! `quorum actions` shows private items to the people who run it);
//! [`publishable`] is what `build` and `serve` render, index and export.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{
    DecisionId, ItemId, LinkKind, MeetingId, Note, PersonId, PrivateCounts, Site, TiVec,
};

/// Marks the private steps and items of `site` (resolved from `notes`, one
/// per meeting in meeting order), and tells how many private parts each
/// note holds.
pub(crate) fn mark_private(site: &mut Site, notes: &[&Note], diags: &mut Vec<Diagnostic>) {
    let private_line = |m: MeetingId, line: u32| {
        notes
            .get(m.index())
            .is_some_and(|n| n.is_private_line(line))
    };
    for item in &mut site.items {
        for step in &mut item.history {
            step.private = private_line(step.meeting, step.line);
        }
        item.private = item.history.first().is_some_and(|s| s.private);
    }
    for n in notes {
        if n.private_parts == 0 && !n.private {
            continue;
        }
        let msg = match (n.private, n.private_parts) {
            (true, _) => "the whole note is private (visibility: private): none of it is published"
                .to_string(),
            (false, 1) => "1 private part: never published".to_string(),
            (false, k) => format!("{k} private parts: never published"),
        };
        diags.push(
            Diagnostic::info(Code::PrivateParts, &n.path, 1, 1, msg).with_help(
                "private parts count locally (quorum actions) and are left out of the site",
            ),
        );
    }
}

/// Old index to new, for a list with some entries left out.
fn renumber<K: From<usize>>(keep: &TiVec<K, bool>) -> TiVec<K, Option<K>> {
    let mut next = 0;
    keep.iter()
        .map(|&k| {
            k.then(|| {
                next += 1;
                K::from(next - 1)
            })
        })
        .collect()
}

/// `site` with every private part left out: private meetings, items, steps,
/// outcomes and decisions, and the people named only there. What is left
/// out is counted where the published pages say so ([`PrivateCounts`]).
pub(crate) fn publishable(mut site: Site) -> Site {
    let any = site.meetings.iter().any(|m| m.private)
        || site
            .items
            .iter()
            .any(|i| i.private || i.history.iter().any(|s| s.private))
        || site
            .meetings
            .iter()
            .any(|m| m.outcomes.iter().any(|o| o.private));
    if !any {
        return site;
    }
    let counts = private_counts(&site);
    let keep_m: TiVec<MeetingId, bool> = site.meetings.iter().map(|m| !m.private).collect();
    let keep_i: TiVec<ItemId, bool> = site
        .items
        .iter()
        .map(|i| !i.private && keep_m[i.opened_in])
        .collect();
    let keep_d: TiVec<DecisionId, bool> = site
        .decisions
        .iter()
        .map(|d| !d.private && keep_m[d.meeting])
        .collect();
    let (nm, ni, nd) = (renumber(&keep_m), renumber(&keep_i), renumber(&keep_d));
    let mut meetings = TiVec::with_capacity(site.meetings.len());
    for (m, mut mt) in std::mem::take(&mut site.meetings).into_iter_enumerated() {
        if nm[m].is_none() {
            continue;
        }
        let items =
            |v: Vec<ItemId>| -> Vec<ItemId> { v.into_iter().filter_map(|i| ni[i]).collect() };
        mt.opened = items(std::mem::take(&mut mt.opened));
        mt.updated = items(std::mem::take(&mut mt.updated));
        mt.mentioned = items(std::mem::take(&mut mt.mentioned));
        mt.carried_in = std::mem::take(&mut mt.carried_in)
            .into_iter()
            .filter_map(|(i, c)| ni[i].map(|i| (i, c)))
            .collect();
        mt.outcomes.retain(|o| !o.private);
        meetings.push(mt);
    }
    site.meetings = meetings;
    for g in &mut site.groups {
        g.meetings = g.meetings.iter().filter_map(|&m| nm[m]).collect();
        for w in g.meetings.windows(2) {
            site.meetings[w[0]].next = Some(w[1]);
            site.meetings[w[1]].prev = Some(w[0]);
        }
        if let (Some(&first), Some(&last)) = (g.meetings.first(), g.meetings.last()) {
            site.meetings[first].prev = None;
            site.meetings[last].next = None;
        }
    }
    let mut items = TiVec::with_capacity(site.items.len());
    for (i, mut it) in std::mem::take(&mut site.items).into_iter_enumerated() {
        if ni[i].is_none() {
            continue;
        }
        it.history.retain(|s| !s.private && keep_m[s.meeting]);
        for s in &mut it.history {
            s.meeting = nm[s.meeting].unwrap_or(s.meeting);
        }
        it.opened_in = nm[it.opened_in].unwrap_or(it.opened_in);
        items.push(it);
    }
    site.items = items;
    // A meeting updated or mentioned an item only where a published step says so.
    let steps: std::collections::HashSet<(ItemId, MeetingId)> = site
        .items
        .iter_enumerated()
        .flat_map(|(i, it)| it.history.iter().map(move |s| (i, s.meeting)))
        .collect();
    for (m, mt) in site.meetings.iter_mut_enumerated() {
        mt.updated.retain(|&i| steps.contains(&(i, m)));
        mt.mentioned.retain(|&i| steps.contains(&(i, m)));
    }
    let mut decisions = TiVec::with_capacity(site.decisions.len());
    for (d, mut dec) in std::mem::take(&mut site.decisions).into_iter_enumerated() {
        if nd[d].is_none() {
            continue;
        }
        let links = |v: Vec<(LinkKind, DecisionId)>| -> Vec<(LinkKind, DecisionId)> {
            v.into_iter()
                .filter_map(|(k, x)| nd[x].map(|x| (k, x)))
                .collect()
        };
        dec.changes = links(std::mem::take(&mut dec.changes));
        dec.changed_by = links(std::mem::take(&mut dec.changed_by));
        dec.meeting = nm[dec.meeting].unwrap_or(dec.meeting);
        // Its position among the outcomes the published meeting keeps.
        dec.outcome = site.meetings[dec.meeting]
            .outcomes
            .iter()
            .position(|o| o.id.as_deref() == Some(dec.id.as_str()))
            .unwrap_or(0);
        decisions.push(dec);
    }
    site.decisions = decisions;
    site.private = PrivateCounts {
        by_meeting: keep_m
            .iter_enumerated()
            .filter(|(_, &k)| k)
            .map(|(m, _)| PrivateCounts::at(&counts.by_meeting, m))
            .collect(),
        ..counts
    };
    drop_private_people(&mut site);
    site
}

/// How many private items each person owns (open), each meeting opened or
/// updated, each group holds (open); indices of the whole site.
fn private_counts(site: &Site) -> PrivateCounts {
    let mut c = PrivateCounts {
        open_by_person: vec![0; site.people.len()].into(),
        by_meeting: vec![0; site.meetings.len()].into(),
        open_by_group: vec![0; site.groups.len()].into(),
    };
    for it in site.items.iter().filter(|i| i.private) {
        if it.status.is_open() {
            for &p in &it.owners {
                c.open_by_person[p] += 1;
            }
            c.open_by_group[it.group] += 1;
        }
        let mut ms: Vec<MeetingId> = it.history.iter().map(|s| s.meeting).collect();
        ms.dedup();
        for m in ms {
            if !site.meetings[m].private {
                c.by_meeting[m] += 1;
            }
        }
    }
    c
}

/// Leaves out the people whom only private parts name (people.yaml's are
/// kept: the roster is public), renumbering every reference to a person.
fn drop_private_people(site: &mut Site) {
    let mut named: TiVec<PersonId, bool> = site.people.iter().map(|p| p.declared).collect();
    let mut mark = |ps: &[PersonId]| {
        for &p in ps {
            if let Some(n) = named.get_mut(p) {
                *n = true;
            }
        }
    };
    for g in &site.groups {
        mark(&g.chairs);
        mark(&g.members);
    }
    for m in &site.meetings {
        mark(&m.moderators);
        mark(&m.note_takers);
        mark(&m.regrets);
        let at: Vec<PersonId> = m.attendees.iter().map(|a| a.person).collect();
        mark(&at);
    }
    for it in &site.items {
        mark(&it.owners);
        for s in &it.history {
            if let Some(o) = &s.owners {
                mark(o);
            }
        }
    }
    if named.iter().all(|n| *n) {
        return;
    }
    let np = renumber(&named);
    let map = |ps: &mut Vec<PersonId>| {
        *ps = ps
            .iter()
            .filter_map(|&p| np.get(p).copied().flatten())
            .collect();
    };
    for g in &mut site.groups {
        map(&mut g.chairs);
        map(&mut g.members);
    }
    for m in &mut site.meetings {
        map(&mut m.moderators);
        map(&mut m.note_takers);
        map(&mut m.regrets);
        m.attendees
            .retain_mut(|a| match np.get(a.person).copied().flatten() {
                Some(p) => {
                    a.person = p;
                    true
                }
                None => false,
            });
    }
    for it in &mut site.items {
        map(&mut it.owners);
        for s in &mut it.history {
            if let Some(o) = &mut s.owners {
                map(o);
            }
        }
    }
    let old = std::mem::take(&mut site.private.open_by_person);
    site.private.open_by_person = named
        .iter_enumerated()
        .filter(|(_, &n)| n)
        .map(|(p, _)| PrivateCounts::at(&old, p))
        .collect();
    let people = std::mem::take(&mut site.people);
    site.people = people
        .into_iter()
        .zip(&named)
        .filter(|(_, n)| **n)
        .map(|(p, _)| p)
        .collect();
}
