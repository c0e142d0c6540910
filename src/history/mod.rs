//! Facts from git about the site's notes: when each file was first committed
//! and last changed, by whom, and which commit wrote each line (so an action
//! item's timeline can say when each of its status lines entered the notes).
//!
//! Everything comes from ONE walk of HEAD's first-parent history: each commit
//! is diffed against its first parent, only inside the site's content folders
//! (a folder whose tree is unchanged is skipped without a diff), and the
//! hunks of the diff are applied to a per-file list of "which commit wrote
//! this line". That is blame for every file at the cost of one `git log -p
//! --first-parent`, instead of one walk per file. Uncommitted changes are then
//! laid over it from the work tree: such lines and files say so.
//!
//! Nothing here fails a build: outside a repository, in a repository without
//! commits, in a shallow clone or on a detached HEAD the result says what
//! could not be known ([`SiteHistory::notes`]) and the pages show what is known.
//! See `docs/history.md` for the choices made.

use chrono::{DateTime, FixedOffset, NaiveDate};
use git2::{DiffOptions, Oid, Patch, Repository, StatusOptions};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod cache;
mod entries;
mod scan;
mod tree;
mod walk;
mod worktree;

pub use cache::HistoryCache;
use scan::*;
use tree::*;
use walk::*;

/// A line's origin for a line not yet committed.
pub const UNCOMMITTED: u32 = u32::MAX;

/// A commit that wrote something in the notes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommitInfo {
    /// Full hex id.
    pub id: String,
    /// The first 7 hex digits.
    pub short: String,
    /// The author's date, in the author's own offset.
    pub date: NaiveDate,
    /// The author's name, through .mailmap (never an email address).
    pub author: String,
    /// The oldest commit of a shallow clone: what it "wrote" may be older.
    pub boundary: bool,
}

/// What git knows of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileHistory {
    /// The commit that added the file (index into [`SiteHistory::commits`]);
    /// `None` when the file is not committed yet.
    pub created: Option<u32>,
    /// The last commit that changed it; `None` when it is not committed yet.
    pub updated: Option<u32>,
    /// Commit authors, the creator first, then in order of their first change.
    pub authors: Vec<String>,
    /// The work tree (or the index) differs from HEAD for this file.
    pub uncommitted: bool,
}

/// Which commit wrote each line of a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LineOrigins {
    /// Every line comes from this commit (a file never changed since it was
    /// added: its lines are not even counted).
    All(u32),
    /// Line by line (0-based).
    Each(Vec<u32>),
}

impl LineOrigins {
    /// The origin of 0-based line `i`.
    pub fn get(&self, i: usize) -> Option<u32> {
        match self {
            LineOrigins::All(c) => Some(*c),
            LineOrigins::Each(v) => v.get(i).copied(),
        }
    }

    /// The newest origin among 0-based lines `from..to` (clamped to the file).
    pub fn newest(&self, from: usize, to: usize) -> Option<u32> {
        match self {
            LineOrigins::All(c) => Some(*c),
            LineOrigins::Each(v) => v.get(from..to.min(v.len()))?.iter().max().copied(),
        }
    }

    /// Whether lines `from..to` all come from one commit.
    pub fn uniform(&self, from: usize, to: usize) -> bool {
        match self {
            LineOrigins::All(_) => true,
            LineOrigins::Each(v) => v
                .get(from..to.min(v.len()))
                .is_none_or(|ls| ls.windows(2).all(|w| w[0] == w[1])),
        }
    }

    /// Line by line, for a file of `n` lines.
    fn into_vec(self, n: usize) -> Vec<u32> {
        match self {
            LineOrigins::All(c) => vec![c; n],
            LineOrigins::Each(v) => v,
        }
    }
}

/// HEAD as the build saw it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HeadInfo {
    /// HEAD's commit (index into [`SiteHistory::commits`]).
    pub commit: u32,
    /// The branch checked out; `None` on a detached HEAD.
    pub branch: Option<String>,
}

/// Git facts for the site's notes, keyed by path relative to the site root.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SiteHistory {
    /// HEAD, when there is a repository with at least one commit.
    pub head: Option<HeadInfo>,
    /// Whether the site is in a git repository at all.
    pub in_repo: bool,
    /// Whether the clone is shallow (the oldest commit is a boundary).
    pub shallow: bool,
    /// The site root relative to the repository's work tree (`""` or `dir/`).
    pub prefix: String,
    /// Every commit referred to.
    pub commits: Vec<CommitInfo>,
    /// Per file (site-relative path, forward slashes).
    pub files: HashMap<String, FileHistory>,
    /// Per file, per line, the commit that wrote it, or [`UNCOMMITTED`].
    pub lines: HashMap<String, LineOrigins>,
    /// What could not be known, for the person building (one sentence each).
    pub notes: Vec<String>,
    /// Per file, the last line of a multi-line front-matter entry starting at
    /// a line (see [`SiteHistory::mark_entries`]); absent: one line.
    pub entry_ends: HashMap<String, HashMap<u32, u32>>,
}

impl SiteHistory {
    /// A history that knows nothing, saying why.
    pub fn unknown(note: impl Into<String>) -> SiteHistory {
        SiteHistory {
            notes: vec![note.into()],
            ..SiteHistory::default()
        }
    }

    /// Reads the history of the files under `dirs` (folders relative to the
    /// site `root`, e.g. `content`). Never fails: see [`SiteHistory::notes`].
    pub fn read(root: &Path, dirs: &[String]) -> SiteHistory {
        let mut h = SiteHistory::committed(root, dirs);
        h.overlay_worktree(root, dirs);
        h
    }

    /// The history as committed at HEAD, without the work tree's changes
    /// (the part [`HistoryCache`] keeps between builds).
    pub fn committed(root: &Path, dirs: &[String]) -> SiteHistory {
        walk_committed(root, dirs, None).history
    }

    /// The commit at `i`.
    pub fn commit(&self, i: u32) -> Option<&CommitInfo> {
        self.commits.get(i as usize)
    }

    /// HEAD's commit, if any.
    pub fn head_commit(&self) -> Option<&CommitInfo> {
        self.head.as_ref().and_then(|h| self.commit(h.commit))
    }

    /// Which commit wrote 1-based `line` of the site file `path`:
    /// `Some(None)` when that line is not committed yet, `None` when unknown.
    pub fn line(&self, path: &str, line: u32) -> Option<Option<&CommitInfo>> {
        let origin = self.lines.get(path)?.get((line as usize).checked_sub(1)?)?;
        if origin == UNCOMMITTED {
            Some(None)
        } else {
            self.commit(origin).map(Some)
        }
    }

    /// Which commit wrote the entry starting at 1-based `line` of `path`: the
    /// newest commit among its lines (see [`SiteHistory::mark_entries`]).
    /// `Some(None)` when one of its lines is not committed yet.
    pub fn entry(&self, path: &str, line: u32) -> Option<Option<&CommitInfo>> {
        let end = self
            .entry_ends
            .get(path)
            .and_then(|m| m.get(&line))
            .copied()
            .unwrap_or(line);
        let from = (line as usize).checked_sub(1)?;
        let newest = self.lines.get(path)?.newest(from, end as usize)?;
        if newest == UNCOMMITTED {
            Some(None)
        } else {
            self.commit(newest).map(Some)
        }
    }

    /// The path of a site file relative to the repository's work tree.
    pub fn repo_path(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    /// Whether any file differs from HEAD.
    pub fn has_uncommitted(&self) -> bool {
        self.files.values().any(|f| f.uncommitted)
    }
}

#[cfg(test)]
mod tests;
