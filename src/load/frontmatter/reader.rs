//! The typed reader of front matter: one key at a time, each problem at its
//! key's line. The meeting's fields and the value kinds (text, dates, people).

use super::positions::Positions;
use crate::diagnostics::{nearest, Code, Diagnostic};
use crate::load::dates::parse_loose_date;
use crate::model::{DueSpec, MeetingStatus, Note, PersonRef, Span};
use chrono::{NaiveDate, NaiveTime};
use serde_yaml::{Mapping, Value};

/// Front-matter keys a meeting accepts.
pub(crate) const MEETING_KEYS: &[&str] = &[
    "title",
    "date",
    "time",
    "duration",
    "timezone",
    "status",
    "location",
    "moderator",
    "chair",
    "note_taker",
    "attendees",
    "regrets",
    "agenda",
    "outcomes",
    "actions",
    "tags",
    "extra",
    "visibility",
];

const PERSON_KEYS: &[&str] = &["name", "affiliation", "email", "handle"];

/// Reads YAML front matter, reporting every problem against `path`.
pub(crate) struct Reader<'a> {
    pub(super) path: &'a str,
    pub(super) pos: Positions,
    pub(super) strict: bool,
    /// Problems found.
    pub diags: Vec<Diagnostic>,
    /// How many parts of the front matter are private (`private: true`,
    /// `visibility: private`).
    pub private_parts: u32,
    /// The first lines of the action entries marked `private: true`.
    pub private_entries: Vec<u32>,
}

impl<'a> Reader<'a> {
    /// A reader for the front matter `yaml` of `path`, starting at file line `first_line`.
    pub(crate) fn new(path: &'a str, yaml: &str, first_line: u32, strict: bool) -> Self {
        Reader {
            path,
            pos: Positions::index(yaml, first_line),
            strict,
            diags: Vec::new(),
            private_parts: 0,
            private_entries: Vec::new(),
        }
    }

    /// Where `path` (a YAML key path) is.
    pub(crate) fn span(&self, key_path: &str) -> Span {
        self.pos.at(key_path)
    }

    pub(super) fn error(
        &mut self,
        code: crate::diagnostics::Code,
        key_path: &str,
        msg: String,
        help: Option<String>,
    ) {
        let s = self.pos.at(key_path);
        let mut d = Diagnostic::error(code, self.path, s.line, s.col, msg);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.diags.push(d);
    }

    /// A wrong type or value of an optional key: an error under `strict`, else a warning.
    pub(crate) fn invalid(&mut self, key_path: &str, msg: String, help: &str) {
        let s = self.pos.at(key_path);
        let d =
            Diagnostic::error(Code::InvalidValue, self.path, s.line, s.col, msg).with_help(help);
        self.diags.push(d.downgraded(!self.strict));
    }

    pub(super) fn unknown_keys(&mut self, map: &Mapping, known: &[&str], at: &str) {
        for k in map.keys() {
            let name = key_text(k);
            if !known.contains(&name.as_str()) {
                let path = join(at, &name);
                let help = match nearest(&name, known) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!("known keys here: {}", known.join(", ")),
                };
                let s = self.pos.at(&path);
                let d = Diagnostic::error(
                    Code::UnknownKey,
                    self.path,
                    s.line,
                    s.col,
                    format!("unknown key `{name}`"),
                )
                .with_help(help);
                self.diags.push(d.downgraded(!self.strict));
            }
        }
    }

    /// Reads a whole meeting front matter into `note`.
    pub(crate) fn read_meeting(&mut self, doc: &Value, note: &mut Note) {
        let map = match doc {
            Value::Mapping(m) => m,
            Value::Null => return,
            _ => {
                self.error(
                    Code::FrontMatterNotAMap,
                    "",
                    "front matter must be a map of keys and values".into(),
                    Some("write `key: value` lines between the two `---` lines".into()),
                );
                return;
            }
        };
        self.unknown_keys(map, MEETING_KEYS, "");
        for (k, v) in map {
            let key = key_text(k);
            let key = key.as_str();
            match key {
                "title" => note.title = self.text(v, key),
                "date" => {
                    if let Some(d) = self.date(v, key) {
                        note.date = Some(d);
                        note.date_span = self.pos.at(key);
                    }
                }
                "time" => {
                    note.time = self.time(v, key);
                    note.time_span = Some(self.pos.at(key));
                }
                "duration" => match v {
                    Value::Number(n) if n.as_u64().is_some_and(|n| n > 0 && n <= 24 * 60) => {
                        note.duration = n.as_u64().map(|n| n as u32)
                    }
                    Value::Null => {}
                    _ => self.invalid(
                        key,
                        format!("duration must be a number of minutes, not {}", show(v)),
                        "write e.g. `duration: 60`",
                    ),
                },
                "timezone" => {
                    if let Some(tz) = self.text(v, key) {
                        if tz.parse::<chrono_tz::Tz>().is_ok()
                            || crate::text::parse_offset(&tz).is_some()
                        {
                            note.timezone = Some(tz);
                        } else {
                            self.invalid(
                                key,
                                format!("unknown time zone `{tz}`"),
                                "use an IANA name such as Europe/Berlin, UTC, or an offset such as +02:00",
                            );
                        }
                    }
                }
                "status" => {
                    if let Some(s) = self.text(v, key) {
                        match MeetingStatus::parse(&s) {
                            Some(st) => note.status = Some(st),
                            None => self.invalid(
                                key,
                                format!("`{s}` is not a meeting status"),
                                "use held, cancelled or planned",
                            ),
                        }
                    }
                }
                "location" => note.location = self.text(v, key),
                "moderator" | "chair" => note.moderators.extend(self.people(v, key)),
                "note_taker" => note.note_takers = self.people(v, key),
                "attendees" => note.attendees = self.people(v, key),
                "regrets" => note.regrets = self.people(v, key),
                "agenda" => note.agenda = self.agenda(v),
                "outcomes" => note.outcomes = self.outcomes(v),
                "actions" => note.actions = self.actions(v),
                "tags" => note.tags = self.tags(v),
                "visibility" => self.visibility(v, key, note),
                "extra" => {
                    if let Value::Mapping(m) = v {
                        for (ek, ev) in m {
                            let json = serde_json::to_value(ev).unwrap_or(serde_json::Value::Null);
                            note.extra.insert(key_text(ek), json);
                        }
                    } else if !v.is_null() {
                        self.invalid(
                            key,
                            "extra must be a map".into(),
                            "write `extra: {name: value}`",
                        );
                    }
                }
                _ => {}
            }
        }
    }

    /// A plain-text scalar (numbers and booleans are taken as their text).
    pub(crate) fn text(&mut self, v: &Value, at: &str) -> Option<String> {
        match v {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            _ => {
                self.invalid(
                    at,
                    format!("`{}` must be text, not {}", last_key(at), show(v)),
                    "write it on one line after the colon",
                );
                None
            }
        }
    }

    pub(super) fn date(&mut self, v: &Value, at: &str) -> Option<NaiveDate> {
        let s = self.text(v, at)?;
        let head = s.get(..10).unwrap_or(&s);
        if let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
            use chrono::Datelike;
            if (1..=9999).contains(&d.year()) {
                return Some(d);
            }
            self.invalid(
                at,
                format!("`{s}` is outside the years 1 to 9999"),
                "write the date as YYYY-MM-DD with a year from 0001 to 9999",
            );
            return None;
        }
        let looks_iso = head.len() == 10 && head.as_bytes().get(4) == Some(&b'-');
        if !looks_iso {
            if let Some(d) = parse_loose_date(&s, None) {
                return Some(d);
            }
        }
        self.invalid(
            at,
            format!("`{s}` is not a valid date"),
            "write the date as YYYY-MM-DD, e.g. 2022-01-05 (a day that exists)",
        );
        None
    }

    pub(super) fn time(&mut self, v: &Value, at: &str) -> Option<NaiveTime> {
        let s = self.text(v, at)?;
        match NaiveTime::parse_from_str(&s, "%H:%M") {
            Ok(t) if s.len() == 5 => Some(t),
            _ => {
                self.invalid(
                    at,
                    format!("`{s}` is not a time"),
                    "write the time as HH:MM on a 24-hour clock, e.g. \"18:30\"",
                );
                None
            }
        }
    }

    pub(super) fn due(&mut self, v: &Value, at: &str) -> Option<DueSpec> {
        let s = self.text(v, at)?;
        match parse_due(&s) {
            Some(d) => Some(d),
            None => {
                self.invalid(
                    at,
                    format!("`{s}` is not a due date"),
                    "write a date (YYYY-MM-DD), `next meeting` or `+N meetings`",
                );
                None
            }
        }
    }

    /// One person or a list of people.
    pub(crate) fn people(&mut self, v: &Value, at: &str) -> Vec<PersonRef> {
        match v {
            Value::Sequence(seq) => seq
                .iter()
                .enumerate()
                .filter_map(|(i, p)| self.person(p, &format!("{at}[{i}]")))
                .collect(),
            Value::String(s) if s.contains(',') => {
                let span = self.pos.at(at);
                s.split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(|n| PersonRef::named(n, span))
                    .collect()
            }
            Value::Null => Vec::new(),
            _ => self.person(v, at).into_iter().collect(),
        }
    }

    pub(super) fn person(&mut self, v: &Value, at: &str) -> Option<PersonRef> {
        let span = self.pos.at(at);
        match v {
            Value::Mapping(m) => {
                self.unknown_keys(m, PERSON_KEYS, at);
                let get = |r: &mut Self, k: &str| m.get(k).and_then(|x| r.text(x, &join(at, k)));
                let name = get(self, "name");
                let handle = get(self, "handle").map(|h| h.trim_start_matches('@').to_string());
                let name = match (name, &handle) {
                    (Some(n), _) => n,
                    (None, Some(h)) => format!("@{h}"),
                    (None, None) => {
                        self.invalid(
                            at,
                            "a person needs a `name`".into(),
                            "write `name: Full Name`",
                        );
                        return None;
                    }
                };
                Some(PersonRef {
                    name,
                    affiliation: get(self, "affiliation"),
                    email: get(self, "email"),
                    handle,
                    span,
                })
            }
            _ => self.text(v, at).map(|n| PersonRef::named(n, span)),
        }
    }

    pub(super) fn list<'v>(&mut self, v: &'v Value, at: &str) -> Vec<(String, &'v Value)> {
        match v {
            Value::Sequence(seq) => seq
                .iter()
                .enumerate()
                .map(|(i, x)| (format!("{at}[{i}]"), x))
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                self.invalid(
                    at,
                    format!("`{at}` must be a list"),
                    "write one `- item` per line",
                );
                Vec::new()
            }
        }
    }
}

/// `- Embargo policy: final vote` is YAML for a one-key map; in an agenda or
/// outcomes list the note-taker meant the text `Embargo policy: final vote`.
pub(super) fn one_line_text(m: &Mapping, known: &[&str]) -> Option<String> {
    if m.len() != 1 {
        return None;
    }
    let (k, v) = m.iter().next()?;
    let k = k.as_str()?;
    if known.contains(&k) {
        return None;
    }
    let v = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    Some(format!("{k}: {v}"))
}

/// Reads a due date: `YYYY-MM-DD`, `next meeting`, `+N meetings`.
pub(crate) fn parse_due(s: &str) -> Option<DueSpec> {
    let t = s.trim().to_ascii_lowercase();
    if t == "next meeting" {
        return Some(DueSpec::Meetings(1));
    }
    if let Some(rest) = t.strip_prefix('+') {
        let rest = rest.trim();
        let n = rest
            .strip_suffix("meetings")
            .or_else(|| rest.strip_suffix("meeting"))?
            .trim();
        return n.parse().ok().filter(|&n| n > 0).map(DueSpec::Meetings);
    }
    NaiveDate::parse_from_str(&t, "%Y-%m-%d")
        .ok()
        .map(DueSpec::Date)
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => "?".into(),
    }
}

pub(super) fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

pub(super) fn last_key(at: &str) -> &str {
    at.rsplit('.').next().unwrap_or(at)
}

pub(super) fn show(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}
