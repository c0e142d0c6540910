//! The record of what quorum wrote: each file's hash, size and time, and
//! how a new site compares with it.

use super::OutputFile;
use std::collections::{HashMap, HashSet};
use std::fs;

/// What one file was when quorum last wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Written {
    pub(super) len: u64,
    pub(super) modified: Option<std::time::SystemTime>,
    pub(super) hash: u128,
}

/// The record of one tree quorum wrote: each file's hash and its size and
/// time on disk.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Manifest {
    pub(super) files: HashMap<String, Written>,
}

/// The records of the trees of one output folder (the published one and
/// the spare), each under its folder's device and inode, which renames
/// keep. Kept in the site's `.quorum-cache/`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Records {
    pub(super) trees: Vec<((u64, u64), Manifest)>,
}

impl Records {
    pub(super) fn take(&mut self, id: Option<(u64, u64)>) -> Option<Manifest> {
        let i = self.trees.iter().position(|(t, _)| Some(*t) == id)?;
        Some(self.trees.swap_remove(i).1)
    }
    pub(super) fn get(&self, id: Option<(u64, u64)>) -> Option<&Manifest> {
        self.trees
            .iter()
            .find(|(t, _)| Some(*t) == id)
            .map(|(_, m)| m)
    }
}

pub(super) const MANIFEST_HEADER: &str = crate::cache::cache_header!("quorum-output-manifest 2");

/// How a write went, against the site it replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct WriteStats {
    /// Files new or changed.
    pub written: usize,
    /// Files whose bytes were already there.
    pub unchanged: usize,
    /// Files removed because the new site no longer has them.
    pub removed: usize,
}

/// How the new files compare with the published site's record (all
/// written when there is none).
pub(super) fn stats_against(
    live: Option<&Manifest>,
    files: &[OutputFile],
    hashes: &[u128],
) -> WriteStats {
    let Some(live) = live else {
        return WriteStats {
            written: files.len(),
            ..WriteStats::default()
        };
    };
    let unchanged = files
        .iter()
        .zip(hashes)
        .filter(|(f, &h)| live.files.get(&f.path).is_some_and(|w| w.hash == h))
        .count();
    let new: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    WriteStats {
        written: files.len() - unchanged,
        unchanged,
        removed: live
            .files
            .keys()
            .filter(|p| !new.contains(p.as_str()))
            .count(),
    }
}

/// Size and time of each file as written, in the order of `files`.
pub(super) type Stamps = Vec<(u64, Option<std::time::SystemTime>)>;

/// Whether the new files fit the old folder's shape: no new file where a
/// folder was, and no new folder where a file was. (Otherwise replace it.)
pub(super) fn same_shape(old: &Manifest, files: &[OutputFile]) -> bool {
    let old_dirs: HashSet<&str> = old.files.keys().flat_map(|p| ancestors(p)).collect();
    !files.iter().any(|f| {
        old_dirs.contains(f.path.as_str()) || ancestors(&f.path).any(|d| old.files.contains_key(d))
    })
}

/// The folders above `path` (`a/b/c` gives `a/b`, then `a`).
pub(super) fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut rest = path;
    std::iter::from_fn(move || {
        let cut = rest.rfind('/')?;
        rest = &rest[..cut];
        Some(rest)
    })
}

pub(super) fn stamp(meta: &fs::Metadata) -> (u64, Option<std::time::SystemTime>) {
    (meta.len(), meta.modified().ok())
}
