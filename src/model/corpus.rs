//! What the load stage gives the resolve stage: every note read, with the
//! groups, people.yaml and the files in error.

use super::{GroupMeta, Note, PersonEntry};
use std::collections::BTreeSet;
use std::sync::Arc;

/// A group's folder and metadata.
#[derive(Debug, Clone)]
pub struct GroupSource {
    /// The group's key (a slug of its folder name, or its key in quorum.toml).
    pub key: String,
    /// Its folder, relative to the site root.
    pub dir: String,
    /// Name from quorum.toml, if given.
    pub config_name: Option<String>,
    /// `_group.md`.
    pub meta: GroupMeta,
}

/// Everything read from a site's files.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Every note, sorted by path (shared with the cache of parsed notes).
    pub notes: Vec<Arc<Note>>,
    /// Every group, sorted by key.
    pub groups: Vec<GroupSource>,
    /// people.yaml.
    pub people: Vec<PersonEntry>,
    /// Paths of notes (and other files) with errors.
    pub failed: BTreeSet<String>,
    /// How many note files were found (read or not).
    pub files: usize,
}
