//! The group page.

use super::{edit_url, location, Common};
use crate::model::{GroupId, ItemId};
use crate::render::markdown::{render as markdown, safe_url, text_link};
use crate::render::view::{percent, MeetingRow, PersonLink};
use crate::resolve::attendance;
use serde::Serialize;
use tera::Context;

#[derive(Serialize)]
struct Year<'a> {
    year: i32,
    meetings: Vec<&'a MeetingRow>,
}

#[derive(Serialize)]
struct AttendanceRow {
    person: PersonLink,
    cells: Vec<&'static str>,
    present: usize,
    regrets: usize,
    rate: u32,
}

#[derive(Serialize)]
struct WindowMeeting {
    url: String,
    date: String,
    /// Expected people present.
    present: usize,
    expected: usize,
    quorum_met: Option<bool>,
}

/// The group page.
pub(crate) fn group(c: &Common, root: &str, g: GroupId) -> Context {
    let (site, ix) = (c.site, c.ix);
    let group = &site.groups[g];
    let mut ctx = c.context(root, &group.name, "groups");
    ctx.insert("group", &ix.groups[g]);
    ctx.insert("description", &group.description);
    ctx.insert("body", &markdown(&group.body));
    ctx.insert("chairs", &ix.people(site, &group.chairs));
    ctx.insert("members", &ix.people(site, &group.members));
    ctx.insert("cadence", &group.cadence);
    let (charter_text, charter_url) = match group.charter.as_deref() {
        None => (None, None),
        Some(ch) => match text_link(ch).or_else(|| safe_url(ch).map(|u| (ch.to_string(), u))) {
            Some((t, u)) => (Some(t), Some(u)),
            None => location(Some(ch)),
        },
    };
    ctx.insert("charter", &charter_text);
    ctx.insert("charter_url", &charter_url);
    let quorum = group.quorum.map(|q| {
        if q < 1.0 {
            format!("{}% of members", (q * 100.0).round())
        } else {
            format!("{} members", q.round())
        }
    });
    ctx.insert("quorum", &quorum);
    let mut years: Vec<Year> = Vec::new();
    for &m in group.meetings.iter().rev() {
        let row = &ix.meetings[m];
        match years.last_mut() {
            Some(y) if y.year == row.year => y.meetings.push(row),
            _ => years.push(Year {
                year: row.year,
                meetings: vec![row],
            }),
        }
    }
    ctx.insert("years", &years);
    let open: Vec<ItemId> = site
        .items
        .iter_enumerated()
        .filter(|(_, i)| i.group == g && i.status.is_open())
        .map(|(id, _)| id)
        .collect();
    ctx.insert("open_items", &ix.item_rows(&open));
    // Attendance over the window: the last N held meetings.
    let window = c.config.site.attendance_window as usize;
    let att = attendance::group_attendance(site, g, window);
    let rows: Vec<AttendanceRow> = att
        .rows
        .iter()
        .map(|r| AttendanceRow {
            person: ix.person(site, r.person, None),
            cells: r.cells.iter().map(|c| c.as_str()).collect(),
            present: r.present,
            regrets: r.regrets,
            rate: percent(r.present, r.meetings()),
        })
        .collect();
    let window_meetings: Vec<WindowMeeting> = att
        .window
        .iter()
        .enumerate()
        .map(|(i, &m)| {
            let present = att
                .rows
                .iter()
                .filter(|r| r.cells[i] == attendance::Presence::Present)
                .count();
            let row = &ix.meetings[m];
            WindowMeeting {
                url: row.url.clone(),
                date: row.date.clone(),
                present,
                expected: att.rows.len(),
                quorum_met: row.quorum_met,
            }
        })
        .collect();
    ctx.insert("window", &window_meetings);
    ctx.insert("expected_members", &att.from_members);
    ctx.insert("has_quorum", &attendance::quorum_needed(group).is_some());
    ctx.insert("attendance", &rows);
    ctx.insert(
        "edit_url",
        &group.path.as_deref().and_then(|p| match &c.history {
            Some(g) => edit_url(c.config, &g.repo_path(p)),
            None => edit_url(c.config, p),
        }),
    );
    ctx
}
