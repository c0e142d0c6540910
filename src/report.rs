//! The resolved data as JSON objects: the items of actions.json (also printed by
//! `quorum actions --format json`) and the meetings of meetings.json.

use crate::model::{ActionItem, ItemId, Meeting, PersonId, Site, StepKind};
use serde::Serialize;

pub(crate) mod decisions;

/// One step of an item's history, as published.
#[derive(Debug, Serialize)]
pub(crate) struct StepJson<'a> {
    /// Date of the meeting.
    pub date: String,
    /// URL path of the meeting.
    pub meeting: String,
    /// `opened`, `updated` or `mentioned`.
    pub kind: &'static str,
    /// Status after this step.
    pub status: &'static str,
    /// Owners set by this step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owners: Option<Vec<&'a str>>,
    /// Due date set by this step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// Note on progress.
    pub note: Option<&'a str>,
    /// An auto-link by task similarity.
    pub auto_linked: bool,
    /// The line of the meeting's note that wrote this step.
    pub line: u32,
}

/// One item of actions.json.
#[derive(Debug, Serialize)]
pub(crate) struct ItemJson<'a> {
    /// Item id.
    pub id: &'a str,
    /// Group key.
    pub group: &'a str,
    /// Canonical owner names (empty for an unassigned or a group-owned item).
    pub owners: Vec<&'a str>,
    /// No owner is named: neither a person nor the group.
    pub unassigned: bool,
    /// The group as the note names it when the whole group owns the item.
    pub group_owner: Option<&'a str>,
    /// The task.
    pub task: &'a str,
    /// Current status.
    pub status: &'static str,
    /// Date it was opened.
    pub opened: String,
    /// URL path of the meeting that opened it.
    pub opened_in: String,
    /// Current due date.
    pub due: Option<String>,
    /// Date it was closed.
    pub closed: Option<String>,
    /// Held meetings it was carried into.
    pub carried: u32,
    /// Stale.
    pub stale: bool,
    /// Overdue.
    pub overdue: bool,
    /// URL path of its page.
    pub url: String,
    /// Meeting by meeting.
    pub history: Vec<StepJson<'a>>,
    /// Private (only `quorum actions` shows such items; the site never does).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
}

/// One meeting of meetings.json.
#[derive(Debug, Serialize)]
pub(crate) struct MeetingJson<'a> {
    /// Group key.
    pub group: &'a str,
    /// Date.
    pub date: String,
    /// Start time (HH:MM).
    pub time: Option<String>,
    /// Length in minutes.
    pub duration: u32,
    /// Time zone.
    pub timezone: &'a str,
    /// Title.
    pub title: &'a str,
    /// held, cancelled or planned.
    pub status: &'static str,
    /// URL path.
    pub url: String,
    /// Source file.
    pub source: &'a str,
    /// Canonical names of attendees.
    pub attendees: Vec<&'a str>,
    /// Canonical names of those who sent regrets.
    pub regrets: Vec<&'a str>,
    /// Ids of items opened here.
    pub opened: Vec<&'a str>,
    /// Ids of items updated here.
    pub updated: Vec<&'a str>,
    /// Whether the group's quorum was met.
    pub quorum_met: Option<bool>,
}

/// Joins a site path under `base_path` (which starts and ends with `/`).
pub(crate) fn url(base_path: &str, path: &str) -> String {
    format!("{base_path}{path}")
}

impl<'a> ItemJson<'a> {
    /// The published form of `item`.
    pub(crate) fn new(site: &'a Site, item: &'a ActionItem, base_path: &str) -> Self {
        let names = |ids: &[PersonId]| {
            ids.iter()
                .map(|&p| site.people[p].name.as_str())
                .collect::<Vec<_>>()
        };
        let opened = &site.meetings[item.opened_in];
        ItemJson {
            id: &item.id,
            group: &site.groups[item.group].key,
            owners: names(&item.owners),
            unassigned: item.owners.is_empty() && item.group_owner.is_none(),
            group_owner: item.group_owner.as_deref(),
            task: &item.task,
            status: item.status.as_str(),
            opened: opened.date.to_string(),
            opened_in: url(base_path, &opened.url),
            due: item.due.map(|d| d.to_string()),
            closed: item.closed.map(|d| d.to_string()),
            carried: item.carried,
            stale: item.stale,
            overdue: item.overdue,
            url: url(base_path, &item.url),
            history: item
                .history
                .iter()
                .map(|s| {
                    let m = &site.meetings[s.meeting];
                    StepJson {
                        date: m.date.to_string(),
                        meeting: url(base_path, &m.url),
                        kind: match s.kind {
                            StepKind::Opened => "opened",
                            StepKind::Updated => "updated",
                            StepKind::Mentioned => "mentioned",
                        },
                        status: s.status.as_str(),
                        owners: s.owners.as_deref().map(names),
                        due: s.due.map(|d| d.to_string()),
                        note: s.note.as_deref(),
                        auto_linked: s.auto_linked,
                        line: s.line,
                    }
                })
                .collect(),
            private: item.private,
        }
    }
}

impl<'a> MeetingJson<'a> {
    /// The published form of `meeting`.
    pub(crate) fn new(site: &'a Site, m: &'a Meeting, base_path: &str) -> Self {
        let ids = |v: &[ItemId]| {
            v.iter()
                .map(|&i| site.items[i].id.as_str())
                .collect::<Vec<_>>()
        };
        MeetingJson {
            group: &site.groups[m.group].key,
            date: m.date.to_string(),
            time: m.time.map(|t| t.format("%H:%M").to_string()),
            duration: m.duration,
            timezone: &m.timezone,
            title: &m.title,
            status: m.status.as_str(),
            url: url(base_path, &m.url),
            source: &m.path,
            attendees: m
                .attendees
                .iter()
                .map(|a| site.people[a.person].name.as_str())
                .collect(),
            regrets: m
                .regrets
                .iter()
                .map(|&p| site.people[p].name.as_str())
                .collect(),
            opened: ids(&m.opened),
            updated: ids(&m.updated),
            quorum_met: m.quorum_met,
        }
    }
}

/// actions.json: every item, in opening order.
pub(crate) fn actions_json(site: &Site, base_path: &str) -> Vec<u8> {
    let items: Vec<_> = site
        .items
        .iter()
        .map(|i| ItemJson::new(site, i, base_path))
        .collect();
    to_json(&items)
}

/// meetings.json: every meeting, in site order.
pub(crate) fn meetings_json(site: &Site, base_path: &str) -> Vec<u8> {
    let ms: Vec<_> = site
        .meetings
        .iter()
        .map(|m| MeetingJson::new(site, m, base_path))
        .collect();
    to_json(&ms)
}

/// A JSON array with one record a line: as easy to diff and grep as the
/// pretty form, at a fraction of its size.
pub(crate) fn to_json<T: Serialize>(records: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * 512 + 4);
    out.push(b'[');
    for (n, r) in records.iter().enumerate() {
        out.extend_from_slice(if n == 0 { b"\n" } else { b",\n" });
        // Serialising plain data into a Vec cannot fail.
        serde_json::to_writer(&mut out, r).unwrap_or_default();
    }
    out.extend_from_slice(b"\n]\n");
    out
}

#[cfg(test)]
mod tests {
    use super::to_json;

    #[test]
    fn one_record_a_line_parses_back() {
        let records = vec![
            serde_json::json!({"id": "a-1", "task": "Write the \"plan\"\nsoon"}),
            serde_json::json!({"id": "a-2", "history": [{"status": "open"}]}),
        ];
        let text = String::from_utf8(to_json(&records)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert_eq!((lines[0], lines[3]), ("[", "]"));
        assert!(lines[1].starts_with("{\"id\":\"a-1\"") && lines[1].ends_with("},"));
        let back: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, records);
        assert_eq!(to_json::<serde_json::Value>(&[]), b"[\n]\n");
    }
}
