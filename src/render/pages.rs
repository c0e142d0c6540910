//! The template context of each page: built once per page from the resolved
//! site and the shared [`Index`].

use super::markdown::{render as markdown, safe_url, text_link};
use super::view::{item_order, percent, GroupLink, Index, ItemRow, MeetingRow, PersonLink};
use crate::config::SiteConfig;
use crate::model::{GroupId, ItemId, MeetingId, MeetingStatus, PersonId, Site, StepKind};
use crate::resolve::attendance;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Context;

/// How many rows the home page shows of each list.
pub(crate) const HOME_CAP: usize = 10;
/// Rows per page of the actions index.
pub(crate) const ACTIONS_PAGE: usize = 500;

/// What every page's context holds.
pub(crate) struct Common<'a> {
    pub site: &'a Site,
    pub config: &'a SiteConfig,
    pub ix: &'a Index,
    pub search: bool,
    /// Whether feeds and calendars are written (base_url is set).
    pub absolute: bool,
    /// What git knows of the notes, when it was read.
    pub history: Option<super::git::GitView<'a>>,
}

impl Common<'_> {
    /// The context every template gets: `root` is the prefix that leads from
    /// the page to the site root (`./`, `../../`, or the base path for 404.html).
    pub fn context(&self, root: &str, title: &str, section: &str) -> Context {
        let mut c = Context::new();
        c.insert("site_title", &self.config.title);
        c.insert("root", root);
        c.insert("title", title);
        c.insert("section", section);
        c.insert("search", &self.search);
        c.insert("has_feed", &self.absolute);
        c.insert(
            "site_updated",
            &self.history.as_ref().and_then(|g| g.site_updated.as_ref()),
        );
        c
    }
}

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

/// The meeting page.
pub(crate) fn meeting(c: &Common, root: &str, id: MeetingId) -> Context {
    let (site, ix) = (c.site, c.ix);
    let m = &site.meetings[id];
    let mut ctx = c.context(root, &m.title, "groups");
    let when = match m.time {
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
    };
    ctx.insert("meeting", &ix.meetings[id]);
    ctx.insert("when", &when);
    ctx.insert("duration", &m.duration);
    ctx.insert("timezone", &m.timezone);
    ctx.insert("has_time", &m.time.is_some());
    let (loc_text, loc_url) = location(m.location.as_deref());
    ctx.insert("location", &loc_text);
    ctx.insert("location_url", &loc_url);
    ctx.insert("moderators", &ix.people(site, &m.moderators));
    ctx.insert("note_takers", &ix.people(site, &m.note_takers));
    let attendees: Vec<PersonLink> = m
        .attendees
        .iter()
        .map(|a| ix.person(site, a.person, a.affiliation.as_deref()))
        .collect();
    ctx.insert("attendees", &attendees);
    ctx.insert("regrets", &ix.people(site, &m.regrets));
    ctx.insert("quorum_met", &m.quorum_met);
    let a = attendance::meeting_attendance(site, id, c.config.site.attendance_window as usize);
    ctx.insert(
        "attendance",
        &MeetingAttendanceView {
            expected: a.expected,
            present: a.present,
            regrets: a.regrets,
            guests: a.guests,
            from_members: !site.groups[m.group].members.is_empty(),
            quorum_needed: a.quorum_needed,
        },
    );
    let agenda: Vec<Agenda> = m
        .agenda
        .iter()
        .map(|a| Agenda {
            title: a.title.clone(),
            link: a.link.as_deref().and_then(safe_url),
        })
        .collect();
    ctx.insert("agenda", &agenda);
    ctx.insert("outcomes", &outcomes(m));
    let opened: Vec<ItemRow> = m.opened.iter().map(|&i| ix.items[i].clone()).collect();
    ctx.insert("opened", &opened);
    let updated: Vec<Update> = m
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
        .collect();
    ctx.insert("updated", &updated);
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
    let extra: Vec<Extra> = m
        .extra
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
        .collect();
    ctx.insert("extra", &extra);
    ctx.insert("prev", &m.prev.map(|p| &ix.meetings[p]));
    ctx.insert("next", &m.next.map(|p| &ix.meetings[p]));
    match &c.history {
        Some(g) => {
            ctx.insert("edit_url", &edit_url(c.config, &g.repo_path(&m.path)));
            let page = g.page(&m.path);
            ctx.insert(
                "history_url",
                &page.as_ref().and_then(|p| p.history_url.clone()),
            );
            ctx.insert("page_history", &page);
        }
        None => {
            ctx.insert("edit_url", &edit_url(c.config, &m.path));
            ctx.insert("history_url", &None::<String>);
            ctx.insert("page_history", &None::<()>);
        }
    }
    ctx
}

fn outcomes(m: &crate::model::Meeting) -> Vec<OutcomeView> {
    m.outcomes
        .iter()
        .map(|o| OutcomeView {
            text: o.text.clone(),
            kind: o.kind.as_str(),
            votes: o.votes,
        })
        .collect()
}

/// A location: free text, or a link (bare, `<url>` or `[text](url)`).
fn location(loc: Option<&str>) -> (Option<String>, Option<String>) {
    match loc {
        None => (None, None),
        Some(l) => match text_link(l) {
            Some((text, url)) => (Some(text), Some(url)),
            None => {
                // `[text](javascript:…)`: keep the text, drop the link.
                let t = l.trim();
                let shown = t
                    .strip_prefix('[')
                    .and_then(|r| r.split_once("]("))
                    .map(|(label, _)| label.to_string())
                    .unwrap_or_else(|| t.to_string());
                (Some(shown), None)
            }
        },
    }
}

/// `{repo_url}/edit/HEAD/{path}`, when repo_url is set and safe.
fn edit_url(config: &SiteConfig, path: &str) -> Option<String> {
    let repo = safe_url(config.repo_url.trim_end_matches('/'))?;
    if path.is_empty() {
        return None;
    }
    Some(format!(
        "{repo}/edit/HEAD/{}",
        crate::text::encode_path(path)
    ))
}

#[derive(Serialize)]
struct Rate {
    group: GroupLink,
    present: usize,
    regrets: usize,
    meetings: usize,
    rate: u32,
}

#[derive(Serialize)]
struct RoleCount {
    group: GroupLink,
    count: usize,
}

/// The person page.
pub(crate) fn person(c: &Common, root: &str, p: PersonId) -> Context {
    let (site, ix) = (c.site, c.ix);
    let person = &site.people[p];
    let mut ctx = c.context(root, &person.name, "people");
    ctx.insert("person", &ix.person(site, p, None));
    ctx.insert("handle", &person.handle);
    let email = if c.config.people.publish_email {
        person.email.clone()
    } else {
        None
    };
    ctx.insert("email", &email);
    let rows = ix.item_rows(&ix.owned[p]);
    let (open, closed): (Vec<ItemRow>, Vec<ItemRow>) = rows.into_iter().partition(|r| r.open);
    ctx.insert(
        "has_calendar",
        &(c.absolute && open.iter().any(|r| r.due.is_some())),
    );
    ctx.insert("open_items", &open);
    ctx.insert("closed_items", &closed);
    // Attendance per group over the group's window, for the groups that
    // expect them (members, or seen in the window of a group without members).
    let window = c.config.site.attendance_window as usize;
    let mut groups_of: Vec<GroupId> = ix.member_of[p].clone();
    groups_of.extend(ix.attended[p].iter().map(|&m| site.meetings[m].group));
    groups_of.sort_unstable();
    groups_of.dedup();
    let rates: Vec<Rate> = groups_of
        .into_iter()
        .filter_map(|g| {
            let a = attendance::group_attendance(site, g, window);
            let r = a.record(p)?;
            Some(Rate {
                group: ix.groups[g].clone(),
                present: r.present,
                regrets: r.regrets,
                meetings: r.meetings(),
                rate: percent(r.present, r.meetings()),
            })
        })
        .collect();
    ctx.insert("rates", &rates);
    let attended: Vec<&MeetingRow> = ix.attended[p]
        .iter()
        .rev()
        .map(|&m| &ix.meetings[m])
        .collect();
    ctx.insert("attended", &attended);
    let groups = |gs: &[GroupId]| gs.iter().map(|&g| ix.groups[g].clone()).collect::<Vec<_>>();
    ctx.insert("chair_of", &groups(&ix.chairs[p]));
    ctx.insert("member_of", &groups(&ix.member_of[p]));
    ctx.insert("moderated", &role_counts(site, ix, &ix.moderated[p]));
    ctx.insert("noted", &role_counts(site, ix, &ix.noted[p]));
    ctx
}

fn role_counts(site: &Site, ix: &Index, ms: &[MeetingId]) -> Vec<RoleCount> {
    let mut counts: BTreeMap<GroupId, usize> = BTreeMap::new();
    for &m in ms {
        *counts.entry(site.meetings[m].group).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(g, count)| RoleCount {
            group: ix.groups[g].clone(),
            count,
        })
        .collect()
}

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

#[derive(Serialize)]
struct MeetingAttendanceView {
    expected: usize,
    present: usize,
    regrets: usize,
    guests: usize,
    from_members: bool,
    quorum_needed: Option<usize>,
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
        .iter()
        .enumerate()
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

#[derive(Serialize)]
struct Step<'a> {
    meeting: &'a MeetingRow,
    kind: &'static str,
    status: &'static str,
    owners: Option<Vec<PersonLink>>,
    due: Option<String>,
    note: Option<String>,
    auto_linked: bool,
    /// When its line entered the notes (git).
    git: Option<super::git::LineGit>,
}

/// One item's page with its history.
pub(crate) fn item(c: &Common, root: &str, i: ItemId) -> Context {
    let (site, ix) = (c.site, c.ix);
    let item = &site.items[i];
    let mut ctx = c.context(root, &format!("Action item {}", item.id), "actions");
    ctx.insert("item", &ix.items[i]);
    let steps: Vec<Step> = item
        .history
        .iter()
        .enumerate()
        .map(|(k, s)| Step {
            git: c
                .history
                .as_ref()
                .and_then(|g| g.step(item, k, &site.meetings[s.meeting].path)),
            meeting: &ix.meetings[s.meeting],
            kind: match s.kind {
                StepKind::Opened => "opened",
                StepKind::Updated => "updated",
                StepKind::Mentioned => "mentioned",
            },
            status: s.status.as_str(),
            owners: s.owners.as_deref().map(|o| ix.people(site, o)),
            due: s.due.map(|d| d.to_string()),
            note: s.note.clone(),
            auto_linked: s.auto_linked,
        })
        .collect();
    ctx.insert("history", &steps);
    ctx
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

/// The URL (relative to the root) of page `n` (1-based) of the actions index.
pub(crate) fn actions_page_url(n: usize) -> String {
    if n <= 1 {
        "actions/".to_string()
    } else {
        format!("actions/_page/{n}/")
    }
}

/// Every item, open first, in pages of [`ACTIONS_PAGE`].
pub(crate) fn sorted_items(ix: &Index) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ix.items.len()).collect();
    order.sort_by(|&a, &b| item_order(&ix.items[a], &ix.items[b]));
    order
}

/// One page of the actions index.
pub(crate) fn actions(c: &Common, root: &str, order: &[usize], page: usize) -> Context {
    let ix = c.ix;
    let pages = order.len().div_ceil(ACTIONS_PAGE).max(1);
    let title = if page > 1 {
        format!("Action items, page {page} of {pages}")
    } else {
        "Action items".to_string()
    };
    let mut ctx = c.context(root, &title, "actions");
    let start = (page - 1) * ACTIONS_PAGE;
    let rows: Vec<&ItemRow> = order
        .iter()
        .skip(start)
        .take(ACTIONS_PAGE)
        .map(|&i| &ix.items[i])
        .collect();
    ctx.insert("items", &rows);
    ctx.insert("total", &order.len());
    ctx.insert("open_count", &ix.items.iter().filter(|r| r.open).count());
    ctx.insert("first", &(start + 1).min(order.len()));
    ctx.insert("last", &(start + rows.len()));
    let links: Vec<PageLink> = (1..=pages)
        .map(|n| PageLink {
            number: n,
            url: actions_page_url(n),
            current: n == page,
        })
        .collect();
    ctx.insert("pages", &if pages > 1 { links } else { Vec::new() });
    ctx.insert("groups", &ix.groups);
    ctx
}

#[derive(Serialize)]
struct Decision<'a> {
    meeting: &'a MeetingRow,
    text: String,
    kind: &'static str,
    votes: Option<crate::model::Votes>,
}

/// The decisions register, newest first.
pub(crate) fn decisions(c: &Common, root: &str) -> Context {
    let (site, ix) = (c.site, c.ix);
    let mut ctx = c.context(root, "Decisions", "decisions");
    let list: Vec<Decision> = site
        .meetings
        .iter()
        .enumerate()
        .rev()
        .flat_map(|(id, m)| {
            m.outcomes
                .iter()
                .filter(|o| o.kind != crate::model::OutcomeKind::Outcome)
                .map(move |o| Decision {
                    meeting: &ix.meetings[id],
                    text: o.text.clone(),
                    kind: o.kind.as_str(),
                    votes: o.votes,
                })
        })
        .collect();
    ctx.insert("decisions", &list);
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
        .iter()
        .enumerate()
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
pub(crate) fn home(c: &Common, root: &str, order: &[usize]) -> Context {
    let (site, ix) = (c.site, c.ix);
    let mut ctx = c.context(root, &c.config.title, "home");
    ctx.insert("groups", &group_summaries(site, ix));
    let past: Vec<&MeetingRow> = site
        .meetings
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, m)| m.status != MeetingStatus::Planned)
        .map(|(i, _)| &ix.meetings[i])
        .take(HOME_CAP)
        .collect();
    ctx.insert("latest", &past);
    let upcoming: Vec<&MeetingRow> = site
        .meetings
        .iter()
        .enumerate()
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
}

/// Every person.
pub(crate) fn people(c: &Common, root: &str) -> Context {
    let (site, ix) = (c.site, c.ix);
    let mut ctx = c.context(root, "People", "people");
    let rows: Vec<PersonSummary> = (0..site.people.len())
        .map(|p| PersonSummary {
            person: ix.person(site, p, None),
            attended: ix.attended[p].len(),
            open: ix.owned[p].iter().filter(|&&i| ix.items[i].open).count(),
        })
        .collect();
    ctx.insert("people", &rows);
    ctx
}

/// The page a host serves for a missing path.
pub(crate) fn search(c: &Common, root: &str) -> Context {
    c.context(root, "Search", "search")
}

pub(crate) fn not_found(c: &Common, root: &str) -> Context {
    c.context(root, "Page not found", "")
}
