//! The meeting page.

use super::{edit_url, location, Common};
use crate::model::{ItemId, Meeting, MeetingId, MeetingStatus};
use crate::render::markdown::{render as markdown, safe_url, text_link};
use crate::render::view::{item_order, status_label, ItemRow, PersonLink};
use crate::resolve::attendance;
use serde::Serialize;
use tera::Context;

#[derive(Serialize)]
struct Agenda {
    title: String,
    link: Option<String>,
}

#[derive(Serialize)]
struct OutcomeView {
    text: String,
    kind: &'static str,
    votes: Option<crate::model::Votes>,
    /// A decision's id (its page is `decisions/<id>/`).
    id: Option<String>,
    /// A decision's state (`in-force`) and its words (`in force`).
    state: Option<&'static str>,
    state_label: Option<&'static str>,
}

/// One row of the meeting's action items: what the meeting did to an item
/// (opened it, updated it) or that the item was carried in open.
#[derive(Serialize)]
struct ActionRow<'a> {
    /// `new`, `updated`, `carried`, or `open` (a planned meeting's agenda).
    kind: &'static str,
    item: &'a ItemRow,
    /// The status after this meeting (carried: at its start).
    status: &'static str,
    status_label: &'static str,
    /// The status before, when this meeting changed it.
    from: Option<&'static str>,
    /// Owners before, when this meeting reassigned the item.
    owners_from: Option<Vec<PersonLink>>,
    owners: Option<Vec<PersonLink>>,
    /// The due date before, when this meeting changed it.
    due_from: Option<String>,
    due: Option<String>,
    note: Option<String>,
    auto_linked: bool,
    /// Meetings it had been carried into, this one included (carried rows).
    carried: u32,
}

#[derive(Serialize)]
struct Extra {
    key: String,
    text: String,
    link: Option<String>,
}

#[derive(Serialize)]
struct MeetingAttendanceView {
    expected: usize,
    present: usize,
    regrets: usize,
    guests: usize,
    from_members: bool,
    quorum_needed: Option<usize>,
}

/// The meeting page.
pub(crate) fn meeting(c: &Common, root: &str, id: MeetingId) -> Context {
    let (site, ix) = (c.site, c.ix);
    let m = &site.meetings[id];
    let row = &ix.meetings[id];
    let group_name = &site.groups[m.group].name;
    let tab = if row.heading.contains(group_name.as_str()) {
        row.heading.clone()
    } else {
        format!("{} · {group_name}", row.heading)
    };
    let mut ctx = c.context(root, &tab, "groups");
    ctx.insert("meeting", row);
    ctx.insert("when", &when(m));
    ctx.insert("duration", &m.duration);
    ctx.insert("timezone", &m.timezone);
    ctx.insert("has_time", &m.time.is_some());
    let (loc_text, loc_url) = location(m.location.as_deref());
    ctx.insert("location", &loc_text);
    ctx.insert("location_url", &loc_url);
    insert_people(&mut ctx, c, m);
    ctx.insert("quorum_met", &m.quorum_met);
    ctx.insert("attendance", &attendance_view(c, id));
    ctx.insert("agenda", &agenda(m));
    ctx.insert("outcomes", &outcomes(site, id));
    ctx.insert("minutes", &crate::minutes::has_minutes(site, id));
    let private = crate::model::PrivateCounts::at(&site.private.by_meeting, id);
    ctx.insert(
        "private_items",
        &(private > 0).then(|| crate::minutes::private_items(private)),
    );
    let rows = action_rows(c, id);
    let count = |k: &str| rows.iter().filter(|r| r.kind == k).count();
    ctx.insert("n_new", &count("new"));
    ctx.insert("n_updated", &count("updated"));
    ctx.insert("n_carried", &(count("carried") + count("open")));
    ctx.insert("actions", &rows);
    ctx.insert("notes_heading", &starts_with_notes_heading(&m.body));
    ctx.insert("body", &markdown(&m.body));
    ctx.insert("tags", &m.tags);
    ctx.insert("extra", &extras(m));
    ctx.insert("prev", &m.prev.map(|p| &ix.meetings[p]));
    ctx.insert("next", &m.next.map(|p| &ix.meetings[p]));
    insert_history(&mut ctx, c, &m.path);
    ctx
}

/// `HH:MM–HH:MM zone`, or empty for a meeting without a time.
fn when(m: &Meeting) -> String {
    match m.time {
        Some(t) => {
            let end = t + chrono::Duration::minutes(i64::from(m.duration));
            format!(
                "{}–{} {}",
                t.format("%H:%M"),
                end.format("%H:%M"),
                m.timezone
            )
        }
        None => String::new(),
    }
}

/// Moderators, note takers, attendees and regrets.
fn insert_people(ctx: &mut Context, c: &Common, m: &Meeting) {
    let (site, ix) = (c.site, c.ix);
    ctx.insert("moderators", &ix.people(site, &m.moderators));
    ctx.insert("note_takers", &ix.people(site, &m.note_takers));
    let attendees: Vec<PersonLink> = m
        .attendees
        .iter()
        .map(|a| ix.person(site, a.person, a.affiliation.as_deref()))
        .collect();
    ctx.insert("attendees", &attendees);
    ctx.insert("regrets", &ix.people(site, &m.regrets));
}

/// Who was expected and who came, against the group's window.
fn attendance_view(c: &Common, id: MeetingId) -> MeetingAttendanceView {
    let site = c.site;
    let a = attendance::meeting_attendance(site, id, c.config.site.attendance_window as usize);
    MeetingAttendanceView {
        expected: a.expected,
        present: a.present,
        regrets: a.regrets,
        guests: a.guests,
        from_members: !site.groups[site.meetings[id].group].members.is_empty(),
        quorum_needed: a.quorum_needed,
    }
}

/// The agenda, each link kept only when safe.
fn agenda(m: &Meeting) -> Vec<Agenda> {
    m.agenda
        .iter()
        .map(|a| Agenda {
            title: a.title.clone(),
            link: a.link.as_deref().and_then(safe_url),
        })
        .collect()
}

/// The meeting's action items, each once: opened here, updated here, then
/// carried in (open at the meeting's start and not touched by it); for a
/// planned meeting, the group's items open now, as its agenda's start.
fn action_rows<'a>(c: &Common<'a>, id: MeetingId) -> Vec<ActionRow<'a>> {
    let (site, ix) = (c.site, c.ix);
    let m = &site.meetings[id];
    let mut rows: Vec<ActionRow<'a>> = Vec::new();
    for &i in m.opened.iter().chain(&m.updated) {
        if rows.iter().any(|r| r.item.id == ix.items[i].id) {
            continue;
        }
        if let Some(r) = step_row(c, i, id) {
            rows.push(r);
        }
    }
    let touched: Vec<ItemId> = m.opened.iter().chain(&m.updated).copied().collect();
    let carried: Vec<(ItemId, u32)> = if m.status == MeetingStatus::Planned {
        let mut open: Vec<ItemId> = site
            .items
            .keys()
            .filter(|&i| {
                let it = &site.items[i];
                it.group == m.group && it.status.is_open() && it.opened_in < id
            })
            .collect();
        open.sort_by(|&a, &b| item_order(&ix.items[a], &ix.items[b]));
        open.into_iter()
            .map(|i| (i, site.items[i].carried))
            .collect()
    } else {
        m.carried_in.clone()
    };
    let kind = if m.status == MeetingStatus::Planned {
        "open"
    } else {
        "carried"
    };
    for (i, count) in carried {
        if touched.contains(&i) {
            continue;
        }
        let item = &site.items[i];
        let before = item.history.iter().rev().find(|s| s.meeting < id);
        let status = before.map_or(item.status, |s| s.status);
        rows.push(ActionRow {
            kind,
            item: &ix.items[i],
            status: status.as_str(),
            status_label: status_label(status),
            from: None,
            owners_from: None,
            owners: None,
            due_from: None,
            due: None,
            note: None,
            auto_linked: false,
            carried: count,
        });
    }
    rows
}

/// What meeting `id` did to item `i`: its step there, against the step before.
fn step_row<'a>(c: &Common<'a>, i: ItemId, id: MeetingId) -> Option<ActionRow<'a>> {
    let (site, ix) = (c.site, c.ix);
    let item = &site.items[i];
    let pos = item.history.iter().position(|s| s.meeting == id)?;
    let step = &item.history[pos];
    let earlier = &item.history[..pos];
    let new = item.opened_in == id && pos == 0;
    let prev_status = earlier.last().map(|s| s.status);
    let prev_owners = earlier.iter().rev().find_map(|s| s.owners.as_deref());
    let prev_due = earlier.iter().rev().find_map(|s| s.due);
    let reassigned = !new && step.owners.is_some() && step.owners.as_deref() != prev_owners;
    let due_changed = !new && step.due.is_some() && step.due != prev_due;
    Some(ActionRow {
        kind: if new { "new" } else { "updated" },
        item: &ix.items[i],
        status: step.status.as_str(),
        status_label: status_label(step.status),
        from: prev_status
            .filter(|p| !new && *p != step.status)
            .map(|p| p.as_str()),
        owners_from: if reassigned {
            prev_owners.map(|o| ix.people(site, o))
        } else {
            None
        },
        owners: if reassigned {
            step.owners.as_deref().map(|o| ix.people(site, o))
        } else {
            None
        },
        due_from: if due_changed {
            prev_due.map(|d| d.to_string())
        } else {
            None
        },
        due: if due_changed || new {
            step.due.map(|d| d.to_string())
        } else {
            None
        },
        note: step.note.clone(),
        auto_linked: step.auto_linked,
        carried: 0,
    })
}

/// Whether the notes start with their own "Notes" heading (then the page
/// does not add a second one).
fn starts_with_notes_heading(body: &str) -> bool {
    body.lines()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| l.trim().strip_prefix('#'))
        .map(|rest| {
            rest.trim_start_matches('#')
                .trim()
                .trim_end_matches('#')
                .trim()
        })
        .is_some_and(|t| t.eq_ignore_ascii_case("notes"))
}

/// Front matter keys quorum does not know, shown as they were written.
fn extras(m: &Meeting) -> Vec<Extra> {
    m.extra
        .iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let link = text_link(&text).map(|(_, u)| u);
            Extra {
                key: k.clone(),
                text,
                link,
            }
        })
        .collect()
}

/// The edit link and, with git, the page's history.
fn insert_history(ctx: &mut Context, c: &Common, path: &str) {
    match &c.history {
        Some(g) => {
            ctx.insert("edit_url", &edit_url(c.config, &g.repo_path(path)));
            let page = g.page(path);
            ctx.insert(
                "history_url",
                &page.as_ref().and_then(|p| p.history_url.clone()),
            );
            ctx.insert("page_history", &page);
        }
        None => {
            ctx.insert("edit_url", &edit_url(c.config, path));
            ctx.insert("history_url", &None::<String>);
            ctx.insert("page_history", &None::<()>);
        }
    }
}

fn outcomes(site: &crate::model::Site, id: MeetingId) -> Vec<OutcomeView> {
    let decisions = site.decisions_at(id);
    site.meetings[id]
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let state = decisions.iter().find(|d| d.outcome == i).map(|d| d.state);
            OutcomeView {
                text: o.text.clone(),
                kind: o.kind.as_str(),
                votes: o.votes,
                id: o.id.clone(),
                state: state.map(|s| s.as_str()),
                state_label: state.map(|s| s.label()),
            }
        })
        .collect()
}
