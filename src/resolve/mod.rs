//! Turns the loaded notes into one [`Site`]: people, meeting order, every
//! action item's id, history, status, carry-over, staleness and due dates.
//! Pure: no file system.

pub(crate) mod attendance;
pub(crate) mod cadence;
pub(crate) mod checks;
pub(crate) mod debt;
pub(crate) mod decisions;
#[cfg(test)]
pub(crate) mod fixture;
pub(crate) mod forge;
pub(crate) mod health;
mod items;
pub(crate) mod people;
pub(crate) mod private;
pub(crate) mod since;
mod times;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::model::Corpus;
use crate::model::{
    Attendee, Group, GroupId, Meeting, MeetingId, MeetingStatus, Note, Site, TiVec,
};
use chrono::NaiveDate;
use people::People;
use std::collections::HashMap;

/// How to resolve.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ResolveOptions {
    /// The date taken as today.
    pub today: NaiveDate,
    /// Refs to items that do not exist are warnings (`build --keep-going`).
    pub keep_going: bool,
    /// Run the carry-over checks (warnings only; the site is the same
    /// without them). `quorum serve` leaves them out of its rebuilds.
    pub checks: bool,
}

/// Resolves `corpus` into a site, with every problem found on the way.
pub(crate) fn resolve(
    corpus: &Corpus,
    config: &SiteConfig,
    opts: ResolveOptions,
) -> (Site, Vec<Diagnostic>) {
    let timer = crate::timer::Timer::new();
    let mut diags = Vec::new();
    let mut people = People::new(&corpus.people);
    let mut groups = resolve_groups(corpus, &mut people, &mut diags);
    let group_index: HashMap<String, GroupId> = groups
        .iter_enumerated()
        .map(|(i, g)| (g.key.clone(), i))
        .collect();
    let notes = dated_notes(corpus, &group_index);
    let mut meetings: TiVec<MeetingId, Meeting> = TiVec::with_capacity(notes.len());
    let mut day_slugs: HashMap<(GroupId, NaiveDate), u32> = HashMap::new();
    for (mi, note) in notes.iter().enumerate() {
        let mi = MeetingId(mi);
        let g = group_index[note.group.as_str()];
        let date = note.date.unwrap_or(opts.today);
        let n = day_slugs.entry((g, date)).or_insert(0);
        *n += 1;
        let slug = if *n == 1 {
            date.to_string()
        } else {
            format!("{date}-{n}")
        };
        groups[g].meetings.push(mi);
        let m = meeting_of(
            note,
            g,
            &groups[g],
            slug,
            config,
            opts,
            &mut people,
            &mut diags,
        );
        meetings.push(m);
    }
    link_prev_next(&groups, &mut meetings);
    times::time_checks(&meetings.raw, &notes, &mut diags);
    timer.lap("resolve: meetings");
    let mut site = Site {
        groups,
        people: TiVec::new(),
        meetings,
        items: TiVec::new(),
        today: opts.today,
        ..Site::default()
    };
    items::resolve_items(&mut site, &notes, &mut people, config, opts, &mut diags);
    private::mark_private(&mut site, &notes, &mut diags);
    decisions::resolve_decisions(&mut site, &notes, opts.keep_going, &mut diags);
    timer.lap("resolve: items");
    attendance::set_quorum(&mut site);
    site.people = people.list;
    if opts.checks {
        checks::carry_over_checks(&site, &mut diags);
        debt::minutes_checks(&site, config.site.minutes_due_days, &mut diags);
    }
    timer.lap("resolve: checks");
    (site, diags)
}

/// Every group of the corpus, its chairs and members resolved (no meetings yet).
fn resolve_groups(
    corpus: &Corpus,
    people: &mut People,
    diags: &mut Vec<Diagnostic>,
) -> TiVec<GroupId, Group> {
    corpus
        .groups
        .iter()
        .map(|g| {
            let file = g
                .meta
                .path
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            Group {
                key: g.key.clone(),
                name: g
                    .config_name
                    .clone()
                    .or_else(|| g.meta.name.clone())
                    .unwrap_or_else(|| g.key.clone()),
                description: g.meta.description.clone(),
                body: g.meta.body.clone(),
                chairs: people.resolve_all(&g.meta.chairs, &file, diags),
                members: people.resolve_all(&g.meta.members, &file, diags),
                quorum: g.meta.quorum,
                cadence: g.meta.cadence.clone(),
                cadence_line: g.meta.cadence_line,
                charter: g.meta.charter.clone(),
                meetings: Vec::new(),
                path: g
                    .meta
                    .path
                    .as_ref()
                    .map(|p| p.to_string_lossy().replace('\\', "/")),
                url: format!("groups/{}/", g.key),
            }
        })
        .collect()
}

/// The notes that make meetings (a date, a known group), in meeting order:
/// by date, time, then path.
fn dated_notes<'a>(corpus: &'a Corpus, group_index: &HashMap<String, GroupId>) -> Vec<&'a Note> {
    let mut notes: Vec<&Note> = corpus
        .notes
        .iter()
        .map(|n| &**n)
        .filter(|n| n.date.is_some() && group_index.contains_key(n.group.as_str()))
        .collect();
    notes.sort_by(|a, b| (a.date, a.time, &a.path).cmp(&(b.date, b.time, &b.path)));
    notes
}

/// The meeting of `note` in group `g`, its people resolved (no items yet).
#[allow(clippy::too_many_arguments)]
fn meeting_of(
    note: &Note,
    g: GroupId,
    group: &Group,
    slug: String,
    config: &SiteConfig,
    opts: ResolveOptions,
    people: &mut People,
    diags: &mut Vec<Diagnostic>,
) -> Meeting {
    let date = note.date.unwrap_or(opts.today);
    let file = note.path.as_str();
    let attendees = dedup_attendees(
        note.attendees
            .iter()
            .map(|a| Attendee {
                person: people.resolve(a, file, diags),
                affiliation: a.affiliation.clone(),
            })
            .collect(),
    );
    Meeting {
        group: g,
        path: note.path.clone(),
        url: format!("groups/{}/{slug}/", group.key),
        slug,
        title: note
            .title
            .clone()
            .unwrap_or_else(|| format!("{} meeting", group.name)),
        date,
        time: note.time,
        duration: note.duration.unwrap_or(60),
        timezone: note
            .timezone
            .clone()
            .unwrap_or_else(|| config.timezone.clone()),
        status: note.status.unwrap_or(if date > opts.today {
            MeetingStatus::Planned
        } else {
            MeetingStatus::Held
        }),
        location: note.location.clone(),
        moderators: people.resolve_all(&note.moderators, file, diags),
        note_takers: people.resolve_all(&note.note_takers, file, diags),
        attendees,
        regrets: people.resolve_all(&note.regrets, file, diags),
        agenda: note.agenda.clone(),
        outcomes: note.outcomes.clone(),
        tags: note.tags.clone(),
        extra: note.extra.clone(),
        body: note.body.clone(),
        body_line: note.body_line,
        opened: Vec::new(),
        updated: Vec::new(),
        mentioned: Vec::new(),
        carried_in: Vec::new(),
        quorum_met: None,
        prev: None,
        next: None,
        private: note.private,
    }
}

/// Links each meeting to the previous and next of its group.
fn link_prev_next(groups: &TiVec<GroupId, Group>, meetings: &mut TiVec<MeetingId, Meeting>) {
    for g in groups {
        for w in g.meetings.windows(2) {
            meetings[w[0]].next = Some(w[1]);
            meetings[w[1]].prev = Some(w[0]);
        }
    }
}

fn dedup_attendees(list: Vec<Attendee>) -> Vec<Attendee> {
    let mut out: Vec<Attendee> = Vec::with_capacity(list.len());
    for a in list {
        if !out.iter().any(|o| o.person == a.person) {
            out.push(a);
        }
    }
    out
}
