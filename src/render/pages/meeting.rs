//! The meeting page.

use super::{edit_url, location, Common};
use crate::model::{Meeting, MeetingId};
use crate::render::markdown::{render as markdown, safe_url, text_link};
use crate::render::view::{ItemRow, PersonLink};
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
}

#[derive(Serialize)]
struct Update {
    item: ItemRow,
    from: &'static str,
    to: &'static str,
    status_changed: bool,
    owners: Option<Vec<PersonLink>>,
    due: Option<String>,
    note: Option<String>,
    auto_linked: bool,
}

#[derive(Serialize)]
struct Carried {
    item: ItemRow,
    count: u32,
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
    let mut ctx = c.context(root, &m.title, "groups");
    ctx.insert("meeting", &ix.meetings[id]);
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
    ctx.insert("outcomes", &outcomes(m));
    ctx.insert("minutes", &crate::minutes::has_minutes(site, id));
    let private = crate::model::PrivateCounts::at(&site.private.by_meeting, id);
    ctx.insert(
        "private_items",
        &(private > 0).then(|| crate::minutes::private_items(private)),
    );
    let opened: Vec<ItemRow> = m.opened.iter().map(|&i| ix.items[i].clone()).collect();
    ctx.insert("opened", &opened);
    ctx.insert("updated", &updates(c, id));
    let carried: Vec<Carried> = m
        .carried_in
        .iter()
        .map(|&(i, count)| Carried {
            item: ix.items[i].clone(),
            count,
        })
        .collect();
    ctx.insert("carried", &carried);
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

/// The items the meeting updated, each with its status before and after.
fn updates(c: &Common, id: MeetingId) -> Vec<Update> {
    let (site, ix) = (c.site, c.ix);
    site.meetings[id]
        .updated
        .iter()
        .filter_map(|&i| {
            let item = &site.items[i];
            let pos = item.history.iter().position(|s| s.meeting == id)?;
            let step = &item.history[pos];
            let from = if pos > 0 {
                item.history[pos - 1].status
            } else {
                step.status
            };
            Some(Update {
                item: ix.items[i].clone(),
                from: from.as_str(),
                to: step.status.as_str(),
                status_changed: from != step.status,
                owners: step.owners.as_deref().map(|o| ix.people(site, o)),
                due: step.due.map(|d| d.to_string()),
                note: step.note.clone(),
                auto_linked: step.auto_linked,
            })
        })
        .collect()
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

fn outcomes(m: &Meeting) -> Vec<OutcomeView> {
    m.outcomes
        .iter()
        .map(|o| OutcomeView {
            text: o.text.clone(),
            kind: o.kind.as_str(),
            votes: o.votes,
            id: o.id.clone(),
        })
        .collect()
}
