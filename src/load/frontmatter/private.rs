//! The front matter's keys of decisions and private parts: an outcome's
//! `id`, `supersedes`, `amends` and `revokes`; `private: true` on an agenda
//! item, outcome or action entry; `visibility` of a whole note.

use super::reader::{join, show, Reader};
use crate::diagnostics::Code;
use crate::model::{is_valid_id, Lineage, LinkKind, Note, Outcome};
use serde_yaml::{Mapping, Value};

impl Reader<'_> {
    /// Whether the entry `m` at `at` says `private: true` (a wrong value is
    /// reported, and read as private: nothing is published by mistake).
    pub(super) fn is_private(&mut self, m: &Mapping, at: &str) -> bool {
        match m.get("private") {
            None | Some(Value::Null) | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(v) => {
                self.invalid(
                    &join(at, "private"),
                    format!("`private` must be true or false, not {}", show(v)),
                    "write `private: true`",
                );
                true
            }
        }
    }

    /// Counts a private part of the front matter, and the lines of an
    /// action entry's when it is one (`entry` is its first line).
    pub(super) fn note_private(&mut self, entry: Option<u32>) {
        self.private_parts += 1;
        if let Some(line) = entry {
            self.private_entries.push(line);
        }
    }

    /// An outcome's `id`, `supersedes`, `amends`, `revokes` and `private`.
    pub(super) fn decision_keys(&mut self, m: &Mapping, at: &str, o: &mut Outcome) {
        if let Some(id) = m.get("id").and_then(|i| self.text(i, &join(at, "id"))) {
            if is_valid_id(&id) {
                o.id = Some(id);
            } else {
                self.error(
                    Code::InvalidId,
                    &join(at, "id"),
                    format!("`{id}` is not a valid decision id"),
                    Some("use lower-case letters, digits and `-`, e.g. `charter-2024`".into()),
                );
            }
        }
        for kind in LinkKind::ALL {
            let key = join(at, kind.as_str());
            let Some(v) = m.get(kind.as_str()) else {
                continue;
            };
            let ids: Vec<(String, String)> = match v {
                Value::Sequence(_) => self
                    .list(v, &key)
                    .into_iter()
                    .filter_map(|(k, x)| self.text(x, &k).map(|t| (k, t)))
                    .collect(),
                _ => self
                    .text(v, &key)
                    .map(|t| (key.clone(), t))
                    .into_iter()
                    .collect(),
            };
            for (k, id) in ids {
                o.lineage.push(Lineage {
                    kind,
                    id,
                    span: self.pos.at(&k),
                });
            }
        }
        if self.is_private(m, at) {
            o.private = true;
            self.note_private(None);
        }
    }

    /// `visibility: public | private` of the whole note.
    pub(super) fn visibility(&mut self, v: &Value, key: &str, note: &mut Note) {
        match self.text(v, key).as_deref().map(str::to_ascii_lowercase) {
            None => {}
            Some(s) if s == "public" => {}
            Some(s) if s == "private" => {
                note.private = true;
                self.private_parts += 1;
            }
            Some(s) => {
                self.invalid(
                    key,
                    format!("`{s}` is not a visibility"),
                    "use public or private",
                );
                // A note meant to be kept back is not published by a typo.
                note.private = true;
            }
        }
    }
}
