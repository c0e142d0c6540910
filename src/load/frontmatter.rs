//! Splits a note's front matter from its body with exact offsets, and reads the
//! front matter with serde_yaml into the typed fields of a [`Note`].
//!
//! Every key is read on its own so that one note reports all its problems, each
//! at the line of the key (or list entry) that holds it.

use super::dates::parse_loose_date;
use crate::diagnostics::{nearest, Diagnostic};
use crate::model::is_valid_id;
use crate::model::{
    ActionEntry, AgendaItem, DueSpec, EntryOrigin, ItemStatus, ItemUpdate, MeetingStatus, NewItem,
    Note, Outcome, OutcomeKind, PersonRef, Span, Votes,
};
use chrono::{NaiveDate, NaiveTime};
use serde_yaml::{Mapping, Value};

/// Where the front matter and the body lie in a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (empty when there is no front matter).
    pub yaml: &'a str,
    /// 1-based file line of the YAML's first line.
    pub yaml_line: u32,
    /// The markdown after the closing fence (or the whole text).
    pub body: &'a str,
    /// 1-based file line of the body's first line.
    pub body_line: u32,
    /// Whether the file has front matter.
    pub has_front_matter: bool,
}

fn is_fence(line: &str, fence: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == fence
}

/// Front matter opened by `---` and never closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unclosed;

/// The diagnostic for front matter opened by `---` at the top of `rel` and never closed.
pub fn unclosed_diagnostic(rel: &str) -> Diagnostic {
    Diagnostic::error(
        "unclosed-front-matter",
        rel,
        1,
        1,
        "front matter opened by `---` is never closed",
    )
    .with_help("add a line `---` after the last front-matter key")
}

/// Splits `text` (BOM already removed) into front matter and body. A text that
/// opens with `---` but never closes it is an error at line 1.
pub fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if is_fence(first, "---") => {}
        _ => {
            return Ok(Split {
                yaml: "",
                yaml_line: 1,
                body: text,
                body_line: 1,
                has_front_matter: false,
            })
        }
    }
    let yaml_start = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    let mut offset = yaml_start;
    for (line_no, line) in (2u32..).zip(lines) {
        if is_fence(line, "---") || is_fence(line, "...") {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
                body_line: line_no + 1,
                has_front_matter: true,
            });
        }
        offset += line.len();
    }
    Err(Unclosed)
}

/// Positions of keys and list entries in block-style YAML, found by paths
/// such as `actions`, `actions[2]`, `actions[2].owner`. Paths are kept as
/// hashes so that indexing a note allocates nothing per key.
#[derive(Debug, Default)]
pub struct Positions {
    entries: Vec<(u64, Span)>,
    first: Span,
}

const ROOT: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn key_hash(parent: u64, key: &str) -> u64 {
    fnv(fnv(parent, b"."), key.as_bytes())
}

fn item_hash(parent: u64, n: usize) -> u64 {
    fnv(fnv(parent, b"["), &n.to_le_bytes())
}

/// The hash of each prefix of `path` (`a`, `a[0]`, `a[0].b`), longest last.
fn prefix_hashes(path: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut h = ROOT;
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            let n = r[..end].parse().unwrap_or(usize::MAX);
            h = item_hash(h, n);
            rest = r.get(end + 1..).unwrap_or("");
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            h = key_hash(h, &r[..end]);
            rest = &r[end..];
        }
        out.push(h);
    }
    out
}

impl Positions {
    /// Indexes `yaml`, whose first line is file line `first_line`.
    pub fn index(yaml: &str, first_line: u32) -> Positions {
        struct Frame {
            indent: usize,
            hash: u64,
            item: bool,
            count: usize,
        }
        let mut entries: Vec<(u64, Span)> = Vec::new();
        let mut add = |h: u64, span: Span| {
            if !entries.iter().any(|(x, _)| *x == h) {
                entries.push((h, span));
            }
        };
        let mut stack: Vec<Frame> = Vec::new();
        let mut block_scalar: Option<usize> = None;
        for (i, raw) in yaml.lines().enumerate() {
            let line_no = first_line + i as u32;
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            let content = raw.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if let Some(bi) = block_scalar {
                if indent > bi {
                    continue;
                }
                block_scalar = None;
            }
            let mut indent = indent;
            let mut rest = &raw[indent..];
            // List items, possibly nested on one line ("- - x" is rare; handle one level).
            if rest == "-" || rest.starts_with("- ") {
                while stack
                    .last()
                    .is_some_and(|f| f.indent > indent || (f.indent == indent && f.item))
                {
                    stack.pop();
                }
                let parent = stack.last().map(|f| f.hash).unwrap_or(ROOT);
                let n = match stack.last_mut() {
                    Some(f) => {
                        f.count += 1;
                        f.count - 1
                    }
                    None => 0,
                };
                let hash = item_hash(parent, n);
                add(hash, Span::new(line_no, indent as u32 + 1));
                stack.push(Frame {
                    indent,
                    hash,
                    item: true,
                    count: 0,
                });
                let after = rest[1..].trim_start_matches(' ');
                indent += rest.len() - after.len();
                rest = after;
                if rest.is_empty() {
                    continue;
                }
            }
            if let Some(key) = key_of(rest) {
                while stack.last().is_some_and(|f| f.indent >= indent) {
                    stack.pop();
                }
                let parent = stack.last().map(|f| f.hash).unwrap_or(ROOT);
                let hash = key_hash(parent, key);
                add(hash, Span::new(line_no, indent as u32 + 1));
                let value = rest[key.len()..]
                    .trim_start_matches(['"', '\''])
                    .trim_start_matches(':')
                    .trim();
                if value.starts_with('|') || value.starts_with('>') {
                    block_scalar = Some(indent);
                }
                stack.push(Frame {
                    indent,
                    hash,
                    item: false,
                    count: 0,
                });
            }
        }
        Positions {
            entries,
            first: Span::new(first_line, 1),
        }
    }

    /// The span of `path`, else of its nearest indexed ancestor, else the first line.
    pub fn at(&self, path: &str) -> Span {
        prefix_hashes(path)
            .iter()
            .rev()
            .find_map(|h| self.entries.iter().find(|(x, _)| x == h).map(|(_, s)| *s))
            .unwrap_or(self.first)
    }
}

fn key_of(s: &str) -> Option<&str> {
    let (key, quoted) = if let Some(r) = s.strip_prefix('"') {
        (&r[..r.find('"')?], true)
    } else if let Some(r) = s.strip_prefix('\'') {
        (&r[..r.find('\'')?], true)
    } else {
        let i = s.find(':')?;
        (&s[..i], false)
    };
    let after = if quoted {
        &s[key.len() + 2..]
    } else {
        &s[key.len()..]
    };
    let after = after.strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with(' ') || after.starts_with('\t')) {
        return None;
    }
    if key.is_empty() || key.contains(['{', '[', '#']) {
        return None;
    }
    Some(key)
}

/// Front-matter keys a meeting accepts.
pub const MEETING_KEYS: &[&str] = &[
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
];
const NEW_ITEM_KEYS: &[&str] = &["id", "owner", "task", "due", "status"];
const UPDATE_KEYS: &[&str] = &["ref", "status", "owner", "due", "note"];
const PERSON_KEYS: &[&str] = &["name", "affiliation", "email", "handle"];
const AGENDA_KEYS: &[&str] = &["title", "link"];
const OUTCOME_KEYS: &[&str] = &["text", "kind", "votes"];
const VOTE_KEYS: &[&str] = &["for", "against", "abstain"];

/// Reads YAML front matter, reporting every problem against `path`.
pub struct Reader<'a> {
    path: &'a str,
    pos: Positions,
    strict: bool,
    /// Problems found.
    pub diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// A reader for the front matter `yaml` of `path`, starting at file line `first_line`.
    pub fn new(path: &'a str, yaml: &str, first_line: u32, strict: bool) -> Self {
        Reader {
            path,
            pos: Positions::index(yaml, first_line),
            strict,
            diags: Vec::new(),
        }
    }

    /// Where `path` (a YAML key path) is.
    pub fn span(&self, key_path: &str) -> Span {
        self.pos.at(key_path)
    }

    fn error(&mut self, code: &'static str, key_path: &str, msg: String, help: Option<String>) {
        let s = self.pos.at(key_path);
        let mut d = Diagnostic::error(code, self.path, s.line, s.col, msg);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.diags.push(d);
    }

    /// A wrong type or value of an optional key: an error under `strict`, else a warning.
    fn invalid(&mut self, key_path: &str, msg: String, help: &str) {
        let s = self.pos.at(key_path);
        let d = Diagnostic::error("invalid-value", self.path, s.line, s.col, msg).with_help(help);
        self.diags.push(d.downgraded(!self.strict));
    }

    fn unknown_keys(&mut self, map: &Mapping, known: &[&str], at: &str) {
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
                    "unknown-key",
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
    pub fn read_meeting(&mut self, doc: &Value, note: &mut Note) {
        let map = match doc {
            Value::Mapping(m) => m,
            Value::Null => return,
            _ => {
                self.error(
                    "front-matter-not-a-map",
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
                "time" => note.time = self.time(v, key),
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
    pub fn text(&mut self, v: &Value, at: &str) -> Option<String> {
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

    fn date(&mut self, v: &Value, at: &str) -> Option<NaiveDate> {
        let s = self.text(v, at)?;
        let head = s.get(..10).unwrap_or(&s);
        if let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
            return Some(d);
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

    fn time(&mut self, v: &Value, at: &str) -> Option<NaiveTime> {
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

    fn due(&mut self, v: &Value, at: &str) -> Option<DueSpec> {
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
    pub fn people(&mut self, v: &Value, at: &str) -> Vec<PersonRef> {
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

    fn person(&mut self, v: &Value, at: &str) -> Option<PersonRef> {
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

    fn list<'v>(&mut self, v: &'v Value, at: &str) -> Vec<(String, &'v Value)> {
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

    fn agenda(&mut self, v: &Value) -> Vec<AgendaItem> {
        let mut out = Vec::new();
        for (at, x) in self.list(v, "agenda") {
            match x {
                Value::Mapping(m) if one_line_text(m, AGENDA_KEYS).is_some() => {
                    out.push(AgendaItem {
                        title: one_line_text(m, AGENDA_KEYS).unwrap_or_default(),
                        link: None,
                    })
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

    fn outcomes(&mut self, v: &Value) -> Vec<Outcome> {
        let mut out = Vec::new();
        for (at, x) in self.list(v, "outcomes") {
            match x {
                Value::Mapping(m) if one_line_text(m, OUTCOME_KEYS).is_some() => {
                    out.push(Outcome {
                        text: one_line_text(m, OUTCOME_KEYS).unwrap_or_default(),
                        kind: OutcomeKind::Outcome,
                        votes: None,
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
                    match text {
                        Some(text) => out.push(Outcome { text, kind, votes }),
                        None => {
                            self.invalid(&at, "an outcome needs a `text`".into(), "write `text: …`")
                        }
                    }
                }
                _ => {
                    if let Some(text) = self.text(x, &at) {
                        out.push(Outcome {
                            text,
                            kind: OutcomeKind::Outcome,
                            votes: None,
                        });
                    }
                }
            }
        }
        out
    }

    fn votes(&mut self, v: &Value, at: &str) -> Option<Votes> {
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

    fn tags(&mut self, v: &Value) -> Vec<String> {
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

    fn actions(&mut self, v: &Value) -> Vec<ActionEntry> {
        let mut out = Vec::new();
        for (at, x) in self.list(v, "actions") {
            let span = self.pos.at(&at);
            let Value::Mapping(m) = x else {
                self.error(
                    "invalid-action",
                    &at,
                    "an action item must be a map with `owner` and `task` (or a `ref`)".into(),
                    Some("write `- owner: Name` and `task: …` on the next line".into()),
                );
                continue;
            };
            if let Some(r) = m.get("ref") {
                self.unknown_keys(m, UPDATE_KEYS, &at);
                let Some(reference) = self.text(r, &join(&at, "ref")) else {
                    self.error("invalid-action", &at, "`ref` needs an item id".into(), None);
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
                            "invalid-id",
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
                        "item-without-owner",
                        &at,
                        "this action item has no `owner`".into(),
                        Some("add `owner: Name` (a person, or a list of people)".into()),
                    );
                }
                let Some(task) = task else {
                    self.error(
                        "item-without-task",
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

    fn status(&mut self, m: &Mapping, at: &str) -> Option<ItemStatus> {
        let at = join(at, "status");
        let s = m.get("status").and_then(|s| self.text(s, &at))?;
        let st = ItemStatus::parse(&s);
        if st.is_none() {
            let s2 = self.pos.at(&at);
            self.diags.push(
                Diagnostic::error(
                    "invalid-value",
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

/// `- Embargo policy: final vote` is YAML for a one-key map; in an agenda or
/// outcomes list the note-taker meant the text `Embargo policy: final vote`.
fn one_line_text(m: &Mapping, known: &[&str]) -> Option<String> {
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
pub fn parse_due(s: &str) -> Option<DueSpec> {
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

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

fn last_key(at: &str) -> &str {
    at.rsplit('.').next().unwrap_or(at)
}

fn show(v: &Value) -> &'static str {
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

/// Parses `yaml` (front matter starting at file line `first_line`); a syntax
/// error becomes a diagnostic at its line.
pub fn parse_yaml(path: &str, yaml: &str, first_line: u32) -> Result<Value, Diagnostic> {
    serde_yaml::from_str::<Value>(yaml).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (first_line + l.line() as u32 - 1, l.column() as u32))
            .unwrap_or((first_line, 1));
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        let help = if msg.contains("repetition limit") || msg.contains("recursion limit") {
            "the front matter expands aliases too far; write the values out"
        } else {
            "front matter must be valid YAML: check indentation, colons and quotes (quote text that contains `: ` or starts with `@`, `*`, `&`, `[`, `{`)"
        };
        Diagnostic::error("yaml-syntax", path, line, col, format!("front matter is not valid YAML: {msg}")).with_help(help)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_body_line() {
        let s = split("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        let s = split("---\r\ntitle: x\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(s.body, "body");
        assert!(split("---\ntitle: x\n").is_err());
        assert!(!split("# Hello\n---\n").unwrap().has_front_matter);
    }

    #[test]
    fn positions_of_nested_keys() {
        let y = "title: x\nactions:\n  - owner: A\n    task: t\n  - ref: a-1\n    status: done\nagenda:\n- one\n- two\n";
        let p = Positions::index(y, 2);
        assert_eq!(p.at("actions"), Span::new(3, 1));
        assert_eq!(p.at("actions[0]"), Span::new(4, 3));
        assert_eq!(p.at("actions[0].task"), Span::new(5, 5));
        assert_eq!(p.at("actions[1].status"), Span::new(7, 5));
        assert_eq!(p.at("agenda[1]"), Span::new(10, 1));
        assert_eq!(p.at("nothing.here"), Span::new(2, 1));
    }

    fn read(yaml: &str, strict: bool) -> (Note, Vec<Diagnostic>) {
        let mut note = Note::default();
        let doc = parse_yaml("n.md", yaml, 2).unwrap();
        let mut r = Reader::new("n.md", yaml, 2, strict);
        r.read_meeting(&doc, &mut note);
        (note, r.diags)
    }

    #[test]
    fn reads_every_problem_at_its_line() {
        let (_, d) = read(
            "date: 2022-02-30\ntime: 25:99\natendees: [A]\nstatus: finished\n",
            true,
        );
        let lines: Vec<_> = d.iter().map(|d| (d.line, d.code)).collect();
        assert!(lines.contains(&(2, "invalid-value")));
        assert!(lines.contains(&(3, "invalid-value")));
        assert!(lines.contains(&(4, "unknown-key")));
        assert!(lines.contains(&(5, "invalid-value")));
        let unknown = d.iter().find(|d| d.code == "unknown-key").unwrap();
        assert_eq!(unknown.help.as_deref(), Some("did you mean `attendees`?"));
    }

    #[test]
    fn lax_mode_warns() {
        let (_, d) = read("atendees: [A]\n", false);
        assert!(d.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn reads_actions() {
        let y = "actions:\n  - id: lf\n    owner: [A, B]\n    task: Do it\n    due: next meeting\n  - ref: g-20220101-1\n    status: done\n  - task: no owner\n";
        let (n, d) = read(y, true);
        assert_eq!(n.actions.len(), 2);
        match &n.actions[0] {
            ActionEntry::New(i) => {
                assert_eq!(i.owners.len(), 2);
                assert_eq!(i.due, Some(DueSpec::Meetings(1)));
                assert_eq!(i.span.line, 3);
            }
            _ => panic!("expected a new item"),
        }
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "item-without-owner");
        assert_eq!(d[0].line, 9);
    }

    #[test]
    fn colon_in_agenda_text_is_text() {
        let (n, d) = read(
            "agenda:\n  - Embargo policy: final vote\noutcomes:\n  - Agreed: yes\n",
            true,
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(n.agenda[0].title, "Embargo policy: final vote");
        assert_eq!(n.outcomes[0].text, "Agreed: yes");
    }

    #[test]
    fn alias_bomb_is_an_error() {
        let mut y = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (p, c) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            y.push_str(&format!(
                "{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
            ));
        }
        let e = parse_yaml("n.md", &y, 2).unwrap_err();
        assert_eq!(e.code, "yaml-syntax");
    }

    #[test]
    fn due_forms() {
        assert_eq!(parse_due("+3 meetings"), Some(DueSpec::Meetings(3)));
        assert_eq!(parse_due("Next meeting"), Some(DueSpec::Meetings(1)));
        assert_eq!(parse_due("2022-02-30"), None);
    }
}
