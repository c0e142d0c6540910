//! The front matter's lists: agenda, outcomes and votes, tags, and action
//! entries (new items and updates).

use super::reader::{join, one_line_text, show, Reader};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::is_valid_id;
use crate::model::{
    ActionEntry, AgendaItem, EntryOrigin, ItemStatus, ItemUpdate, NewItem, Outcome, OutcomeKind,
    Votes,
};
use serde_yaml::{Mapping, Value};

const NEW_ITEM_KEYS: &[&str] = &["id", "owner", "task", "due", "status", "private"];
const UPDATE_KEYS: &[&str] = &["ref", "status", "owner", "due", "note", "private"];
const AGENDA_KEYS: &[&str] = &["title", "link", "private"];
const OUTCOME_KEYS: &[&str] = &[
    "text",
    "kind",
    "votes",
    "id",
    "supersedes",
    "amends",
    "revokes",
    "private",
];
const VOTE_KEYS: &[&str] = &["for", "against", "abstain"];

impl Reader<'_> {
    pub(super) fn agenda(&mut self, v: &Value) -> Vec<AgendaItem> {
        let mut out = Vec::new();
        for (at, x) in self.list(v, "agenda") {
            match x {
                Value::Mapping(m) if one_line_text(m, AGENDA_KEYS).is_some() => {
                    out.push(AgendaItem {
                        title: one_line_text(m, AGENDA_KEYS).unwrap_or_default(),
                        link: None,
                    })
                }
                Value::Mapping(m) if self.is_private(m, &at) => {
                    self.unknown_keys(m, AGENDA_KEYS, &at);
                    self.note_private(None);
                }
                Value::Mapping(m) => {
                    self.unknown_keys(m, AGENDA_KEYS, &at);
                    let title = m
                        .get("title")
                        .and_then(|t| self.text(t, &join(&at, "title")));
                    let link = m.get("link").and_then(|t| self.text(t, &join(&at, "link")));
                    match title.or_else(|| link.clone()) {
                        Some(title) => out.push(AgendaItem { title, link }),
                        None => self.invalid(
                            &at,
                            "an agenda item needs a `title`".into(),
                            "write `title: …`",
                        ),
                    }
                }
                _ => {
                    if let Some(title) = self.text(x, &at) {
                        out.push(AgendaItem { title, link: None });
                    }
                }
            }
        }
        out
    }

    pub(super) fn outcomes(&mut self, v: &Value) -> Vec<Outcome> {
        let mut out = Vec::new();
        for (at, x) in self.list(v, "outcomes") {
            match x {
                Value::Mapping(m) if one_line_text(m, OUTCOME_KEYS).is_some() => {
                    out.push(Outcome {
                        text: one_line_text(m, OUTCOME_KEYS).unwrap_or_default(),
                        kind: OutcomeKind::Outcome,
                        votes: None,
                        span: self.pos.at(&at),
                        ..Default::default()
                    })
                }
                Value::Mapping(m) => {
                    self.unknown_keys(m, OUTCOME_KEYS, &at);
                    let text = m.get("text").and_then(|t| self.text(t, &join(&at, "text")));
                    let mut kind = OutcomeKind::Outcome;
                    if let Some(k) = m.get("kind").and_then(|t| self.text(t, &join(&at, "kind"))) {
                        match OutcomeKind::parse(&k) {
                            Some(kd) => kind = kd,
                            None => self.invalid(
                                &join(&at, "kind"),
                                format!("`{k}` is not a kind of outcome"),
                                "use decision, resolution or outcome",
                            ),
                        }
                    }
                    let votes = m
                        .get("votes")
                        .and_then(|vv| self.votes(vv, &join(&at, "votes")));
                    let mut o = Outcome {
                        kind,
                        votes,
                        span: self.pos.at(&at),
                        ..Default::default()
                    };
                    self.decision_keys(m, &at, &mut o);
                    match text {
                        Some(text) => out.push(Outcome { text, ..o }),
                        None => {
                            self.invalid(&at, "an outcome needs a `text`".into(), "write `text: …`")
                        }
                    }
                }
                _ => {
                    if let Some(text) = self.text(x, &at) {
                        out.push(Outcome {
                            text,
                            span: self.pos.at(&at),
                            ..Default::default()
                        });
                    }
                }
            }
        }
        out
    }

    pub(super) fn votes(&mut self, v: &Value, at: &str) -> Option<Votes> {
        let Value::Mapping(m) = v else {
            self.invalid(
                at,
                "votes must be a map".into(),
                "write `votes: {for: 5, against: 0, abstain: 1}`",
            );
            return None;
        };
        self.unknown_keys(m, VOTE_KEYS, at);
        let mut votes = Votes::default();
        for (k, slot) in [
            ("for", &mut votes.for_),
            ("against", &mut votes.against),
            ("abstain", &mut votes.abstain),
        ] {
            match m.get(k) {
                None | Some(Value::Null) => {}
                Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n <= u32::MAX as u64) => {
                    *slot = n.as_u64().unwrap_or(0) as u32
                }
                Some(x) => self.invalid(
                    &join(at, k),
                    format!("votes `{k}` must be a whole number, not {}", show(x)),
                    "write a count such as 5",
                ),
            }
        }
        Some(votes)
    }

    pub(super) fn tags(&mut self, v: &Value) -> Vec<String> {
        match v {
            Value::String(s) => s
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect(),
            _ => self
                .list(v, "tags")
                .into_iter()
                .filter_map(|(at, x)| self.text(x, &at))
                .collect(),
        }
    }

    pub(super) fn actions(&mut self, v: &Value) -> Vec<ActionEntry> {
        let mut out = Vec::new();
        for (at, x) in self.list(v, "actions") {
            let span = self.pos.at(&at);
            let Value::Mapping(m) = x else {
                self.error(
                    Code::InvalidAction,
                    &at,
                    "an action item must be a map with `owner` and `task` (or a `ref`)".into(),
                    Some("write `- owner: Name` and `task: …` on the next line".into()),
                );
                continue;
            };
            if self.is_private(m, &at) {
                self.note_private(Some(span.line));
            }
            if let Some(r) = m.get("ref") {
                self.unknown_keys(m, UPDATE_KEYS, &at);
                let Some(reference) = self.text(r, &join(&at, "ref")) else {
                    self.error(
                        Code::InvalidAction,
                        &at,
                        "`ref` needs an item id".into(),
                        None,
                    );
                    continue;
                };
                let status = self.status(m, &at);
                let owners = m
                    .get("owner")
                    .map(|o| self.people(o, &join(&at, "owner")))
                    .filter(|o| !o.is_empty());
                let due = m.get("due").and_then(|d| self.due(d, &join(&at, "due")));
                let note = m.get("note").and_then(|n| self.text(n, &join(&at, "note")));
                out.push(ActionEntry::Update(ItemUpdate {
                    reference,
                    status,
                    owners,
                    due,
                    note,
                    span,
                    origin: EntryOrigin::FrontMatter,
                }));
            } else {
                self.unknown_keys(m, NEW_ITEM_KEYS, &at);
                let id = m.get("id").and_then(|i| self.text(i, &join(&at, "id")));
                if let Some(id) = &id {
                    if !is_valid_id(id) {
                        self.error(
                            Code::InvalidId,
                            &join(&at, "id"),
                            format!("`{id}` is not a valid item id"),
                            Some(
                                "use lower-case letters, digits and `-`, e.g. `lf-guidance`".into(),
                            ),
                        );
                    }
                }
                let owners = m
                    .get("owner")
                    .map(|o| self.people(o, &join(&at, "owner")))
                    .unwrap_or_default();
                let task = m.get("task").and_then(|t| self.text(t, &join(&at, "task")));
                let due = m.get("due").and_then(|d| self.due(d, &join(&at, "due")));
                let status = self.status(m, &at);
                if owners.is_empty() {
                    self.error(
                        Code::ItemWithoutOwner,
                        &at,
                        "this action item has no `owner`".into(),
                        Some("add `owner: Name` (a person, or a list of people)".into()),
                    );
                }
                let Some(task) = task else {
                    self.error(
                        Code::ItemWithoutTask,
                        &at,
                        "this action item has no `task`".into(),
                        Some("add `task: what is to be done`".into()),
                    );
                    continue;
                };
                if owners.is_empty() {
                    continue;
                }
                out.push(ActionEntry::New(NewItem {
                    id: id.filter(|i| is_valid_id(i)),
                    owners,
                    group_owner: None,
                    task,
                    due,
                    status,
                    span,
                    origin: EntryOrigin::FrontMatter,
                }));
            }
        }
        out
    }

    pub(super) fn status(&mut self, m: &Mapping, at: &str) -> Option<ItemStatus> {
        let at = join(at, "status");
        let s = m.get("status").and_then(|s| self.text(s, &at))?;
        let st = ItemStatus::parse(&s);
        if st.is_none() {
            let s2 = self.pos.at(&at);
            self.diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    self.path,
                    s2.line,
                    s2.col,
                    format!("`{s}` is not an item status"),
                )
                .with_help("use open, in-progress, blocked, done or dropped"),
            );
        }
        st
    }
}
