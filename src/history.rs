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

    /// Lays the work tree's (and the index's) changes over the committed
    /// history: new files and changed lines become uncommitted.
    pub fn overlay_worktree(&mut self, root: &Path, dirs: &[String]) {
        if !self.in_repo {
            return;
        }
        let Ok(repo) = Repository::discover(root) else {
            return;
        };
        let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
            return;
        };
        let mut opts = StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .exclude_submodules(true)
            .disable_pathspec_match(true);
        let specs: Vec<String> = dirs.iter().map(|d| repo_dir(&self.prefix, d)).collect();
        if !specs.iter().any(String::is_empty) {
            for d in specs {
                opts.pathspec(d);
            }
        }
        let statuses = match repo.statuses(Some(&mut opts)) {
            Ok(s) => s,
            Err(e) => {
                self.notes.push(format!(
                    "could not read the work tree's status ({}): uncommitted changes are not marked",
                    e.message()
                ));
                return;
            }
        };
        let head_tree = repo.head().and_then(|h| h.peel_to_tree()).ok();
        let mut changed = 0usize;
        for entry in statuses.iter() {
            let st = entry.status();
            let repo_path = String::from_utf8_lossy(entry.path_bytes()).into_owned();
            let Some(path) = repo_path.strip_prefix(&self.prefix).map(str::to_string) else {
                continue;
            };
            if st.is_wt_deleted() || st.is_index_deleted() {
                self.files.remove(&path);
                self.lines.remove(&path);
                continue;
            }
            let bytes = match std::fs::read(workdir.join(&repo_path)) {
                Ok(b) => b,
                Err(_) => continue,
            };
            changed += 1;
            let old_blob = head_tree
                .as_ref()
                .and_then(|t| t.get_path(Path::new(&repo_path)).ok())
                .and_then(|e| repo.find_blob(e.id()).ok());
            let file = self.files.entry(path.clone()).or_default();
            file.uncommitted = true;
            let old_lines = self.lines.remove(&path);
            let new_lines = match &old_blob {
                Some(blob) => match text_hunks(blob.content(), &bytes) {
                    Ok((old_len, hs)) => {
                        let old_lines = old_lines.map(|l| l.into_vec(old_len)).unwrap_or_default();
                        apply_hunks(&old_lines, &hs, UNCOMMITTED)
                    }
                    Err(_) => vec![UNCOMMITTED; count_lines(&bytes)],
                },
                None => vec![UNCOMMITTED; count_lines(&bytes)],
            };
            self.lines.insert(path, LineOrigins::Each(new_lines));
        }
        if changed > 0 {
            self.notes.push(format!(
                "{changed} note(s) have uncommitted changes: their pages and lines say so"
            ));
        }
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

    /// Finds where each action entry of the front matter ends, so that an
    /// entry (`- ref: x` then `status: done` on the next line) is dated by the
    /// newest of its lines. Reads only notes whose front-matter lines after an
    /// entry come from more than one commit (edited in place), so it costs
    /// nothing on notes written in one go.
    pub fn mark_entries(&mut self, root: &Path, site: &crate::model::Site) {
        let mut wanted: HashMap<&str, (u32, Vec<u32>)> = HashMap::new();
        for item in &site.items {
            for step in &item.history {
                let m = &site.meetings[step.meeting];
                if step.line == 0 || step.line >= m.body_line {
                    continue;
                }
                let Some(lines) = self.lines.get(&m.path) else {
                    continue;
                };
                let from = step.line as usize - 1;
                let to = (m.body_line as usize).saturating_sub(1);
                if lines.uniform(from, to) {
                    continue;
                }
                let e = wanted.entry(&m.path).or_insert((m.body_line, Vec::new()));
                e.1.push(step.line);
            }
        }
        for (path, (body_line, starts)) in wanted {
            let Ok(text) = std::fs::read_to_string(root.join(path)) else {
                continue;
            };
            let lines: Vec<&str> = text.lines().collect();
            let ends = self.entry_ends.entry(path.to_string()).or_default();
            for start in starts {
                ends.insert(start, entry_end(&lines, start, body_line));
            }
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

/// Where a walk ended, so that a later one can go on from there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct ResumePoint {
    /// HEAD's commit (hex) the walk ended at.
    head: String,
    /// Whether that commit changed the walked folders; when not, it is in
    /// [`SiteHistory::commits`] only as HEAD (the last one), and a walk going
    /// on from it leaves it out, as a walk from scratch would.
    head_changed: bool,
}

/// What [`walk_committed`] gives.
struct Walked {
    history: SiteHistory,
    /// Where a later walk can go on from; `None` when it cannot (the walk
    /// failed part way, the clone is shallow, there are no commits).
    point: Option<ResumePoint>,
    /// Whether it went on from an earlier walk rather than from the start.
    resumed: bool,
}

/// Walks the history of `root`'s `dirs` at HEAD. With `from` (an earlier
/// walk's result and its end), only the commits on top of that end are
/// walked, when that end is a first-parent ancestor of HEAD; anything else
/// (history rewritten, HEAD moved back, another repository) walks in full.
fn walk_committed(
    root: &Path,
    dirs: &[String],
    from: Option<(SiteHistory, ResumePoint)>,
) -> Walked {
    let unknown = |note: String| Walked {
        history: SiteHistory::unknown(note),
        point: None,
        resumed: false,
    };
    let repo = match Repository::discover(root) {
        Ok(r) => r,
        Err(_) => {
            return unknown(format!(
                "{} is not in a git repository: pages show no dates of change or authors",
                root.display()
            ))
        }
    };
    let Some(prefix) = prefix_of(&repo, root) else {
        return unknown(format!(
            "{} is in a bare repository or outside its work tree: pages show no history",
            root.display()
        ));
    };
    // Objects are only read, never written or trusted for anything but
    // dates and names: checking each one's hash took a third of the walk.
    git2::opts::strict_hash_verification(false);
    // Keep trees and note-sized blobs in libgit2's object cache: consecutive
    // commits share most of their trees, and a blob is read as the new side
    // of one diff and the old side of the next.
    // SAFETY: sets libgit2's global cache limits; libgit2 guards its cache
    // with a lock, and no repository of ours caches objects yet.
    unsafe {
        let _ = git2::opts::set_cache_object_limit(git2::ObjectType::Blob, 256 * 1024);
        let _ = git2::opts::set_cache_object_limit(git2::ObjectType::Tree, 1024 * 1024);
    }
    let shallow = repo.is_shallow();
    let mut walk = Walk::new(&repo, &prefix, dirs);
    let resume = from.and_then(|(h, point)| {
        if shallow || h.shallow || !h.in_repo || h.prefix != prefix {
            return None;
        }
        let base = Oid::from_str(&point.head).ok()?;
        let head = repo.head().ok()?.target()?;
        let oids = first_parent_chain(&repo, head, base)?;
        let mut h = h;
        walk.load(&mut h, &point)?;
        Some((h, oids))
    });
    let resumed = resume.is_some();
    let (mut h, oids) = match resume {
        Some((h, oids)) => (h, Some(oids)),
        None => {
            // A walk that could not go on may have left part of its state.
            walk = Walk::new(&repo, &prefix, dirs);
            let h = SiteHistory {
                in_repo: true,
                shallow,
                prefix,
                ..SiteHistory::default()
            };
            (h, None)
        }
    };
    let point = match walk.run(&mut h, oids) {
        Ok(head_changed) => (!shallow).then(|| ResumePoint {
            head: h.head_commit().map(|c| c.id.clone()).unwrap_or_default(),
            head_changed,
        }),
        Err(WalkError::Unborn) => {
            h.notes
                .push("the repository has no commits yet: every note counts as uncommitted".into());
            None
        }
        Err(WalkError::Git(e)) => {
            h.notes.push(format!(
                "could not read the git history ({}): pages show what was read before it",
                e.message()
            ));
            None
        }
    };
    walk.finish(&mut h);
    if let Some(head) = &h.head {
        if head.branch.is_none() {
            h.notes.push(format!(
                "HEAD is detached at {}: history is read from that commit",
                h.commits[head.commit as usize].short
            ));
        }
    }
    if h.shallow {
        match h.commits.iter().filter(|c| c.boundary).map(|c| c.date).min() {
            Some(d) => h.notes.push(format!(
                "shallow clone: nothing before {d} is in the history, so earlier dates read \"on or before\" (fetch the full history, e.g. fetch-depth: 0, to know them)"
            )),
            None => h.notes.push("shallow clone: some history is missing".into()),
        }
    }
    Walked {
        history: h,
        point,
        resumed,
    }
}

/// The commits from `base` (left out) to `head` along first parents, oldest
/// first; `None` when `base` is not a first-parent ancestor of `head`.
fn first_parent_chain(repo: &Repository, head: Oid, base: Oid) -> Option<Vec<Oid>> {
    let mut chain = Vec::new();
    let mut at = head;
    while at != base {
        chain.push(at);
        at = repo.find_commit(at).ok()?.parent_id(0).ok()?;
    }
    chain.reverse();
    Some(chain)
}

/// A fingerprint of what `.mailmap` says (the work tree's file and the
/// `mailmap.file` / `mailmap.blob` settings): names come through it, so a
/// change of it makes a kept walk stale.
fn mailmap_fingerprint(repo: &Repository) -> String {
    let hash = |b: &[u8]| {
        Oid::hash_object(git2::ObjectType::Blob, b)
            .map(|o| o.to_string())
            .unwrap_or_default()
    };
    let mut parts = Vec::new();
    match repo.workdir() {
        Some(w) => parts.push(hash(&std::fs::read(w.join(".mailmap")).unwrap_or_default())),
        None => parts.push(
            repo.revparse_single("HEAD:.mailmap")
                .map(|o| o.id().to_string())
                .unwrap_or_default(),
        ),
    }
    if let Ok(cfg) = repo.config() {
        if let Ok(f) = cfg.get_path("mailmap.file") {
            parts.push(hash(&std::fs::read(f).unwrap_or_default()));
        }
        if let Ok(b) = cfg.get_string("mailmap.blob") {
            parts.push(b);
        }
    }
    parts.join(" ")
}

/// Keeps the committed history between builds (`quorum serve`, and
/// `quorum build` through `.quorum-cache/history.bin`). With HEAD unchanged
/// the kept history serves as it is; when HEAD moved on (new commits on top
/// of the kept one, along first parents) only the new commits are walked, on
/// top of the kept state; anything else walks the whole history again. The
/// work tree's changes are laid over it on every call.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct HistoryCache {
    /// What the kept history is of.
    key: Option<CacheKey>,
    committed: Option<SiteHistory>,
    /// Where the kept walk ended, when a later walk can go on from it.
    point: Option<ResumePoint>,
    /// How many times the history was walked, in full or going on from the
    /// kept walk (for tests and logs).
    #[serde(skip)]
    pub walks: usize,
    /// How many of those walks went on from the kept walk.
    #[serde(skip)]
    pub resumed: usize,
}

/// What a kept history is of: the site root, its folders, HEAD's commit (hex)
/// and what `.mailmap` says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct CacheKey {
    root: PathBuf,
    dirs: Vec<String>,
    head: Option<String>,
    mailmap: String,
}

/// What a saved history cache starts with; another version of quorum rebuilds it.
const HISTORY_CACHE_HEADER: &str = concat!(
    "quorum-history-cache 3 ",
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("QUORUM_BUILD_ID"),
    "\n"
);

impl HistoryCache {
    /// An empty cache.
    pub fn new() -> HistoryCache {
        HistoryCache::default()
    }

    /// The cache saved at `path`, or an empty one when there is none or it
    /// cannot be read.
    pub fn open(path: &Path) -> HistoryCache {
        crate::cache::read(path, HISTORY_CACHE_HEADER).unwrap_or_default()
    }

    /// Saves the cache at `path`.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        crate::cache::write(path, HISTORY_CACHE_HEADER, self)
    }

    /// The history of `root`'s `dirs`: from the cache when HEAD is unchanged,
    /// walking only the new commits when HEAD moved on from the kept one.
    pub fn get(&mut self, root: &Path, dirs: &[String]) -> SiteHistory {
        let repo = Repository::discover(root).ok();
        let key = CacheKey {
            root: root.to_path_buf(),
            dirs: dirs.to_vec(),
            head: repo
                .as_ref()
                .and_then(|r| r.head().ok().and_then(|h| h.target()))
                .map(|oid| oid.to_string()),
            mailmap: repo.as_ref().map(mailmap_fingerprint).unwrap_or_default(),
        };
        drop(repo);
        let mut h = match (&self.key, &self.committed) {
            (Some(k), Some(c)) if *k == key => c.clone(),
            _ => {
                let same_site = self.key.as_ref().is_some_and(|k| {
                    k.root == key.root && k.dirs == key.dirs && k.mailmap == key.mailmap
                });
                let from = match (self.committed.take(), self.point.take()) {
                    (Some(c), Some(p)) if same_site => Some((c, p)),
                    _ => None,
                };
                let w = walk_committed(root, dirs, from);
                self.walks += 1;
                self.resumed += usize::from(w.resumed);
                self.committed = Some(w.history.clone());
                self.point = w.point;
                self.key = Some(key);
                w.history
            }
        };
        h.overlay_worktree(root, dirs);
        h
    }
}

/// The site root relative to the repository's work tree: `""` or `a/b/`.
fn prefix_of(repo: &Repository, root: &Path) -> Option<String> {
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let rel = root.strip_prefix(&workdir).ok()?;
    let mut s = String::new();
    for c in rel.components() {
        s.push_str(&c.as_os_str().to_string_lossy());
        s.push('/');
    }
    Some(s)
}

/// A site folder as a repository path without a trailing slash (`""` for the root).
fn repo_dir(prefix: &str, dir: &str) -> String {
    let d = dir.trim_matches('/');
    let d = if d == "." { "" } else { d };
    format!("{prefix}{d}").trim_end_matches('/').to_string()
}

fn zero_context() -> DiffOptions {
    let mut o = DiffOptions::new();
    o.context_lines(0).interhunk_lines(0);
    o
}

/// Hunks as (old_start, old_lines, new_start, new_lines).
type Hunks = Vec<(u32, u32, u32, u32)>;

/// The hunks of a patch.
fn hunks(p: &Patch) -> Hunks {
    (0..p.num_hunks())
        .filter_map(|i| p.hunk(i).ok())
        .map(|(h, _)| (h.old_start(), h.old_lines(), h.new_start(), h.new_lines()))
        .collect()
}

fn count_lines(bytes: &[u8]) -> usize {
    let n = bytes.iter().filter(|&&b| b == b'\n').count();
    if bytes.last().is_some_and(|&b| b != b'\n') {
        n + 1
    } else {
        n
    }
}

/// The last line (1-based) of the YAML list entry starting at `start`: the
/// lines after it that are indented deeper than its `-` (or blank), before
/// the front matter's end (`body_line`).
fn entry_end(lines: &[&str], start: u32, body_line: u32) -> u32 {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let Some(first) = lines.get(start as usize - 1) else {
        return start;
    };
    let dash = indent(first);
    let mut end = start;
    let mut n = start + 1;
    while n + 1 < body_line {
        let Some(l) = lines.get(n as usize - 1) else {
            break;
        };
        if l.trim().is_empty() {
            n += 1;
            continue;
        }
        if indent(l) <= dash {
            break;
        }
        end = n;
        n += 1;
    }
    end
}

/// Applies zero-context hunks to the per-line origins of the old file: the
/// lines a hunk adds get `origin`, the others keep theirs. Hunks that do not
/// fit the old file are clamped (never a panic).
pub(crate) fn apply_hunks(old: &[u32], hunks: &[(u32, u32, u32, u32)], origin: u32) -> Vec<u32> {
    let mut out = Vec::with_capacity(old.len() + 8);
    let mut pos = 0usize;
    for &(old_start, old_lines, _, new_lines) in hunks {
        // With no old lines, old_start is the line after which the new ones go.
        let start = if old_lines == 0 {
            old_start as usize
        } else {
            (old_start as usize).saturating_sub(1)
        };
        let start = start.clamp(pos, old.len());
        out.extend_from_slice(&old[pos..start]);
        out.extend(std::iter::repeat_n(origin, new_lines as usize));
        pos = (start + old_lines as usize).min(old.len());
    }
    out.extend_from_slice(&old[pos..]);
    out
}

enum WalkError {
    Unborn,
    Git(git2::Error),
}

impl From<git2::Error> for WalkError {
    fn from(e: git2::Error) -> Self {
        WalkError::Git(e)
    }
}

/// Per-file state during the walk.
#[derive(Default)]
struct Tracked {
    /// `None`: every line comes from `created` (the file was never changed).
    lines: Option<Vec<u32>>,
    created: u32,
    updated: u32,
    authors: Vec<String>,
}

struct Walk<'r> {
    repo: &'r Repository,
    /// The folders walked, as repository paths (`""` is the whole tree).
    dirs: Vec<String>,
    /// Repository path prefix to strip for site paths.
    prefix: String,
    mailmap: Option<git2::Mailmap>,
    index: HashMap<Oid, u32>,
    files: HashMap<String, Tracked>,
    /// The commits a shallow clone cut the history at.
    shallow_roots: Vec<Oid>,
}

impl<'r> Walk<'r> {
    fn new(repo: &'r Repository, prefix: &str, dirs: &[String]) -> Walk<'r> {
        let mut ds: Vec<String> = dirs.iter().map(|d| repo_dir(prefix, d)).collect();
        ds.sort();
        ds.dedup();
        // Drop folders inside others (each file is walked once).
        let all = ds.clone();
        ds.retain(|d| {
            !all.iter()
                .any(|o| o != d && (o.is_empty() || d.starts_with(&format!("{o}/"))))
        });
        Walk {
            repo,
            dirs: ds,
            prefix: prefix.to_string(),
            mailmap: repo.mailmap().ok(),
            index: HashMap::new(),
            files: HashMap::new(),
            shallow_roots: std::fs::read_to_string(repo.path().join("shallow"))
                .unwrap_or_default()
                .lines()
                .filter_map(|l| Oid::from_str(l.trim()).ok())
                .collect(),
        }
    }

    /// The index of a commit in `h.commits`, recording it on first use.
    fn commit_index(&mut self, h: &mut SiteHistory, info: &CommitInfo, oid: Oid) -> u32 {
        if let Some(&i) = self.index.get(&oid) {
            return i;
        }
        let i = h.commits.len() as u32;
        h.commits.push(info.clone());
        self.index.insert(oid, i);
        i
    }

    /// What a commit shows: its id, its author's name (through .mailmap) and date.
    fn commit_info(&self, c: &git2::Commit) -> CommitInfo {
        let sig = match &self.mailmap {
            Some(m) => c.author_with_mailmap(m).ok(),
            None => None,
        }
        .unwrap_or_else(|| c.author().to_owned());
        let name = String::from_utf8_lossy(sig.name_bytes()).trim().to_string();
        let t = sig.when();
        let date = FixedOffset::east_opt(t.offset_minutes() * 60)
            .and_then(|o| DateTime::from_timestamp(t.seconds(), 0).map(|d| d.with_timezone(&o)))
            .map(|d| d.date_naive())
            .unwrap_or_default();
        let id = c.id().to_string();
        CommitInfo {
            short: id.chars().take(7).collect(),
            id,
            date,
            author: if name.is_empty() {
                "unknown".into()
            } else {
                name
            },
            boundary: false,
        }
    }

    /// HEAD's first-parent history, oldest first, down to the root or to
    /// the commits a shallow clone was cut at.
    fn chain(&self, head: Oid) -> Result<Vec<Oid>, git2::Error> {
        let mut chain = Vec::new();
        let mut at = Some(head);
        while let Some(oid) = at {
            chain.push(oid);
            if self.shallow_roots.contains(&oid) {
                break;
            }
            at = self.repo.find_commit(oid)?.parent_id(0).ok();
        }
        chain.reverse();
        Ok(chain)
    }

    /// The commits `oids` (a first-parent chain, oldest first) with what
    /// the scan and the walk need of them.
    fn metas(&self, oids: &[Oid]) -> Result<Vec<Meta>, git2::Error> {
        let mut out: Vec<Meta> = Vec::with_capacity(oids.len());
        for &oid in oids {
            let c = self.repo.find_commit(oid)?;
            let parent_tree = match out.last() {
                Some(p) => Some(p.tree),
                // The first one's parent: none, or beyond a shallow boundary.
                None => c
                    .parent_id(0)
                    .ok()
                    .filter(|_| !self.shallow_roots.contains(&oid))
                    .and_then(|p| self.repo.find_commit(p).ok())
                    .map(|p| p.tree_id()),
            };
            out.push(Meta {
                oid,
                tree: c.tree_id(),
                parent_tree,
                info: self.commit_info(&c),
            });
        }
        Ok(out)
    }

    /// Takes over an earlier walk's result `h` (ended at `point`) as the
    /// walk's state, so that the walk goes on from there: `h` is left as a
    /// walk from scratch would have it before the commits after `point`.
    fn load(&mut self, h: &mut SiteHistory, point: &ResumePoint) -> Option<()> {
        if !point.head_changed {
            // HEAD was recorded only as HEAD: a walk from scratch has it only
            // if a later commit changes something, which is not this one.
            if h.commits.last().map(|c| c.id.as_str()) != Some(point.head.as_str()) {
                return None;
            }
            h.commits.pop();
        }
        for (i, c) in h.commits.iter().enumerate() {
            self.index.insert(Oid::from_str(&c.id).ok()?, i as u32);
        }
        for (path, f) in h.files.drain() {
            let lines = h.lines.remove(&path);
            let (Some(created), Some(updated)) = (f.created, f.updated) else {
                return None;
            };
            let lines = match lines {
                Some(LineOrigins::Each(v)) => Some(v),
                Some(LineOrigins::All(c)) if c == created => None,
                _ => return None,
            };
            self.files.insert(
                format!("{}{path}", self.prefix),
                Tracked {
                    lines,
                    created,
                    updated,
                    authors: f.authors,
                },
            );
        }
        h.lines.clear();
        h.notes.clear();
        h.entry_ends.clear();
        h.head = None;
        Some(())
    }

    /// Walks the commits `oids` (oldest first; `None`: HEAD's whole
    /// first-parent history) and records HEAD. Says whether HEAD's own commit
    /// changed the walked folders.
    fn run(&mut self, h: &mut SiteHistory, oids: Option<Vec<Oid>>) -> Result<bool, WalkError> {
        let head = match self.repo.head() {
            Ok(r) => r,
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => return Err(WalkError::Unborn),
            Err(e) => return Err(e.into()),
        };
        let branch = if self.repo.head_detached().unwrap_or(false) {
            None
        } else {
            head.shorthand().ok().map(str::to_string)
        };
        let head_commit = head.peel_to_commit()?;
        let oids = match oids {
            Some(o) => o,
            None => self.chain(head_commit.id())?,
        };
        let metas = self.metas(&oids)?;
        // Reading trees and blobs is most of the work: commits are scanned in
        // parallel chunks (each thread with its own handle on the repository),
        // then their changes are applied in order.
        let gitdir = self.repo.path().to_path_buf();
        let threads = rayon::current_num_threads().max(1);
        let chunk = metas.len().div_ceil(threads * 4).max(1);
        let scan = Scan {
            dirs: &self.dirs,
            shallow: h.shallow,
            shallow_roots: &self.shallow_roots,
        };
        let scanned: Vec<Result<Vec<Scanned>, git2::Error>> = metas
            .par_chunks(chunk)
            .map(|part| scan.run(&gitdir, part))
            .collect();
        for (part, ms) in scanned.into_iter().zip(metas.chunks(chunk)) {
            for (sc, m) in part?.into_iter().zip(ms) {
                if sc.changes.is_empty() {
                    continue;
                }
                let info = CommitInfo {
                    boundary: sc.boundary,
                    ..m.info.clone()
                };
                self.apply(h, &info, m.oid, sc.changes)?;
            }
        }
        let head_oid = head_commit.id();
        let head_changed = self.index.contains_key(&head_oid);
        let info = match metas.last() {
            Some(m) if m.oid == head_oid => m.info.clone(),
            _ => self.commit_info(&head_commit),
        };
        let c = self.commit_index(h, &info, head_oid);
        h.head = Some(HeadInfo { commit: c, branch });
        Ok(head_changed)
    }

    fn blob_hunks(&self, old: Oid, new: Oid) -> Result<(usize, Hunks), git2::Error> {
        blob_hunks(self.repo, old, new)
    }

    /// Applies one commit's changes (from [`Scan`]) to the per-file state.
    fn apply(
        &mut self,
        h: &mut SiteHistory,
        info: &CommitInfo,
        oid: Oid,
        changes: Vec<Change>,
    ) -> Result<(), WalkError> {
        let ci = self.commit_index(h, info, oid);
        let deleted: Vec<(String, Oid)> = changes
            .iter()
            .filter_map(|c| match (c.old, c.new) {
                (Some(o), None) => Some((c.path.clone(), o)),
                _ => None,
            })
            .collect();
        let mut renamed_from: std::collections::HashSet<String> = Default::default();
        for c in changes {
            let Some(n) = c.new else { continue };
            let path = &c.path;
            let (state, (old_len, hs)) = match c.old {
                Some(_) => (self.files.remove(path), c.hunks.unwrap_or_default()),
                // Added: a rename when it is like a file deleted in the same commit.
                None => match self.rename_source(&deleted, &renamed_from, n) {
                    Some((p, hs)) => {
                        renamed_from.insert(p.clone());
                        (self.files.remove(&p), hs)
                    }
                    None => (None, (0, Vec::new())),
                },
            };
            let mut t = match state {
                Some(mut t) => {
                    let old = match t.lines.take() {
                        Some(v) => v,
                        None => vec![t.created; old_len],
                    };
                    t.lines = Some(apply_hunks(&old, &hs, ci));
                    t
                }
                None => Tracked {
                    created: ci,
                    ..Tracked::default()
                },
            };
            t.updated = ci;
            let author = &h.commits[ci as usize].author;
            if !t.authors.contains(author) {
                t.authors.push(author.clone());
            }
            self.files.insert(path.clone(), t);
        }
        for (p, _) in &deleted {
            if !renamed_from.contains(p) {
                self.files.remove(p);
            }
        }
        Ok(())
    }

    /// A deleted file of the same commit that `new` was moved from: the same
    /// blob, or (among at most 20 candidates) one sharing at least half its
    /// lines. Gives its path, its line count and the hunks from it to `new`.
    fn rename_source(
        &self,
        deleted: &[(String, Oid)],
        taken: &std::collections::HashSet<String>,
        new: Oid,
    ) -> Option<(String, (usize, Hunks))> {
        let free = || {
            deleted
                .iter()
                .filter(|(p, _)| !taken.contains(p) && self.files.contains_key(p))
        };
        // No deleted file to come from: the new blob is not even read.
        free().next()?;
        if let Some((p, o)) = free().find(|(_, o)| *o == new) {
            let n = self.repo.find_blob(*o).map(|b| count_lines(b.content()));
            return Some((p.clone(), (n.unwrap_or(0), Vec::new())));
        }
        let new_len = count_lines(self.repo.find_blob(new).ok()?.content());
        let mut best: Option<(usize, String, (usize, Hunks))> = None;
        for (p, o) in free().take(20) {
            let Ok((old_len, hs)) = self.blob_hunks(*o, new) else {
                continue;
            };
            let removed: usize = hs.iter().map(|h| h.1 as usize).sum();
            let kept = old_len.saturating_sub(removed);
            if kept > 0
                && kept * 2 >= old_len.max(new_len)
                && best.as_ref().is_none_or(|b| kept > b.0)
            {
                best = Some((kept, p.clone(), (old_len, hs)));
            }
        }
        best.map(|(_, p, x)| (p, x))
    }

    /// Moves the walk's per-file state into `h`, keyed by site path.
    fn finish(&mut self, h: &mut SiteHistory) {
        for (path, t) in self.files.drain() {
            let Some(site_path) = path.strip_prefix(&self.prefix).map(str::to_string) else {
                continue;
            };
            h.files.insert(
                site_path.clone(),
                FileHistory {
                    created: Some(t.created),
                    updated: Some(t.updated),
                    authors: t.authors,
                    uncommitted: false,
                },
            );
            let lines = match t.lines {
                Some(v) => LineOrigins::Each(v),
                None => LineOrigins::All(t.created),
            };
            h.lines.insert(site_path, lines);
        }
    }
}

/// One file changed by a commit; `hunks` (old line count and hunks) when it
/// was modified in place.
struct Change {
    path: String,
    old: Option<Oid>,
    new: Option<Oid>,
    hunks: Option<(usize, Hunks)>,
}

/// What one commit changed in the walked folders.
struct Scanned {
    boundary: bool,
    changes: Vec<Change>,
}

/// A commit of the walk: its tree, its first parent's tree (`None`: no
/// parent, or beyond a shallow boundary) and what pages show of it.
struct Meta {
    oid: Oid,
    tree: Oid,
    parent_tree: Option<Oid>,
    info: CommitInfo,
}

/// The read-only part of the walk, run on chunks of commits in parallel.
struct Scan<'a> {
    dirs: &'a [String],
    shallow: bool,
    shallow_roots: &'a [Oid],
}

impl Scan<'_> {
    fn run(&self, gitdir: &Path, metas: &[Meta]) -> Result<Vec<Scanned>, git2::Error> {
        let repo = Repository::open(gitdir)?;
        let mut out = Vec::with_capacity(metas.len());
        // Newest first: packs store older versions as deltas against newer
        // ones, so reading in this order lets libgit2's caches serve the
        // bases. A commit's parent tree is the next (older) commit's tree.
        let mut next: Option<(Oid, Vec<Option<Oid>>)> = None;
        for m in metas.iter().rev() {
            let now = match &next {
                Some((t, subs)) if *t == m.tree => subs.clone(),
                _ => subtrees(self.dirs, Some(&repo.find_tree(m.tree)?)),
            };
            let parent_subs = match m.parent_tree {
                Some(pt) => match repo.find_tree(pt) {
                    Ok(pt) => Some(subtrees(self.dirs, Some(&pt))),
                    Err(_) => None, // beyond a shallow boundary
                },
                None => None,
            };
            if let (Some(pt), Some(subs)) = (m.parent_tree, &parent_subs) {
                next = Some((pt, subs.clone()));
            }
            let boundary =
                self.shallow && (parent_subs.is_none() || self.shallow_roots.contains(&m.oid));
            let before = parent_subs.unwrap_or_else(|| vec![None; self.dirs.len()]);
            let mut files = Vec::new();
            for (k, dir) in self.dirs.iter().enumerate() {
                changed(&repo, dir, before[k], now[k], &mut files)?;
            }
            let changes = files
                .into_iter()
                .map(|(path, old, new)| Change {
                    hunks: match (old, new) {
                        (Some(o), Some(n)) => blob_hunks(&repo, o, n).ok(),
                        _ => None,
                    },
                    path,
                    old,
                    new,
                })
                .collect();
            out.push(Scanned { boundary, changes });
        }
        out.reverse();
        Ok(out)
    }
}

/// The ids of the folders' trees in `tree` (None where absent).
fn subtrees(dirs: &[String], tree: Option<&git2::Tree>) -> Vec<Option<Oid>> {
    dirs.iter()
        .map(|d| {
            let t = tree?;
            if d.is_empty() {
                Some(t.id())
            } else {
                t.get_path(Path::new(d)).ok().map(|e| e.id())
            }
        })
        .collect()
}

/// Lists the files that differ between two trees (ids), descending only
/// into subtrees whose ids differ: (path, old blob, new blob).
fn changed(
    repo: &Repository,
    dir: &str,
    old: Option<Oid>,
    new: Option<Oid>,
    out: &mut Vec<(String, Option<Oid>, Option<Oid>)>,
) -> Result<(), git2::Error> {
    if old == new {
        return Ok(());
    }
    let ot = old.map(|o| repo.find_tree(o)).transpose()?;
    let nt = new.map(|o| repo.find_tree(o)).transpose()?;
    let join = |name: &[u8]| {
        let name = String::from_utf8_lossy(name);
        if dir.is_empty() {
            name.into_owned()
        } else {
            format!("{dir}/{name}")
        }
    };
    // Both trees' entries are in git's order, so one pass over the two
    // lists pairs them (a lookup by name for each entry cost a tenth of the
    // walk). Entries only in the old tree are deleted: listed after the rest.
    let (olds, news) = (entries(ot.as_ref()), entries(nt.as_ref()));
    let mut gone = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < olds.len() || j < news.len() {
        let order = match (olds.get(i), news.get(j)) {
            (Some((o, ok)), Some((n, nk))) => tree_order(o.name_bytes(), *ok, n.name_bytes(), *nk),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                gone.push(i);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                // Added (a name that changed kind, file to folder, sorts
                // apart: its old side is deleted, the new one added).
                let (e, is_tree) = &news[j];
                side(repo, &join(e.name_bytes()), e.id(), *is_tree, false, out)?;
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let ((o, _), (n, is_tree)) = (&olds[i], &news[j]);
                if o.id() != n.id() {
                    let path = join(n.name_bytes());
                    if *is_tree {
                        changed(repo, &path, Some(o.id()), Some(n.id()), out)?;
                    } else {
                        out.push((path, Some(o.id()), Some(n.id())));
                    }
                }
                i += 1;
                j += 1;
            }
        }
    }
    for k in gone {
        let (e, is_tree) = &olds[k];
        side(repo, &join(e.name_bytes()), e.id(), *is_tree, true, out)?;
    }
    Ok(())
}

/// A tree's folders and files (submodules are left out), each with whether
/// it is a folder, in the tree's order.
fn entries<'t>(tree: Option<&'t git2::Tree>) -> Vec<(git2::TreeEntry<'t>, bool)> {
    tree.into_iter()
        .flat_map(|t| t.iter())
        .filter_map(|e| match e.kind() {
            Some(git2::ObjectType::Tree) => Some((e, true)),
            Some(git2::ObjectType::Blob) => Some((e, false)),
            _ => None,
        })
        .collect()
}

/// Git's order of tree entries: by name, a folder's name read as if it
/// ended in `/`.
fn tree_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    let after = |s: &[u8], tree: bool| match s.get(n) {
        Some(&c) => c,
        None if tree => b'/',
        None => 0,
    };
    a[..n]
        .cmp(&b[..n])
        .then_with(|| after(a, a_tree).cmp(&after(b, b_tree)))
}

/// Every file of a tree (or one file) as deleted (`old`) or added.
fn side(
    repo: &Repository,
    path: &str,
    id: Oid,
    is_tree: bool,
    old: bool,
    out: &mut Vec<(String, Option<Oid>, Option<Oid>)>,
) -> Result<(), git2::Error> {
    if !is_tree {
        out.push(if old {
            (path.to_string(), Some(id), None)
        } else {
            (path.to_string(), None, Some(id))
        });
        return Ok(());
    }
    if old {
        changed(repo, path, Some(id), None, out)
    } else {
        changed(repo, path, None, Some(id), out)
    }
}

/// The old blob's line count and the zero-context hunks between two blobs.
fn blob_hunks(repo: &Repository, old: Oid, new: Oid) -> Result<(usize, Hunks), git2::Error> {
    let a = repo.find_blob(old)?;
    let b = repo.find_blob(new)?;
    text_hunks(a.content(), b.content())
}

/// The old text's line count and the zero-context hunks between two texts.
/// Diffed as plain buffers, outside any repository: a diff of blobs would
/// look up `.gitattributes` for a diff driver each time (a tenth of the walk).
fn text_hunks(old: &[u8], new: &[u8]) -> Result<(usize, Hunks), git2::Error> {
    let mut o = zero_context();
    let p = Patch::from_buffers(old, None, new, None, Some(&mut o))?;
    Ok((count_lines(old), hunks(&p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_file_lines_all_get_the_commit() {
        assert_eq!(apply_hunks(&[], &[(0, 0, 1, 3)], 7), vec![7, 7, 7]);
    }

    #[test]
    fn changed_line_gets_the_new_commit_and_others_keep_theirs() {
        // line 2 of 4 replaced
        assert_eq!(
            apply_hunks(&[1, 1, 1, 1], &[(2, 1, 2, 1)], 2),
            vec![1, 2, 1, 1]
        );
    }

    #[test]
    fn insertion_after_a_line_and_deletion() {
        // insert 2 lines after line 1, delete line 3
        let out = apply_hunks(&[1, 1, 1, 1], &[(1, 0, 2, 2), (3, 1, 4, 0)], 5);
        assert_eq!(out, vec![1, 5, 5, 1, 1]);
        // insertion at the very top
        assert_eq!(apply_hunks(&[1, 1], &[(0, 0, 1, 1)], 3), vec![3, 1, 1]);
    }

    #[test]
    fn hunks_past_the_end_are_clamped() {
        assert_eq!(apply_hunks(&[1], &[(9, 4, 9, 2)], 2), vec![1, 2, 2]);
    }

    #[test]
    fn entry_ends_at_the_next_item_or_key() {
        let fm = [
            "---",
            "actions:",
            "  - ref: a",
            "    status: done",
            "",
            "    note: x",
            "  - ref: b",
            "    status: open",
            "tags: [x]",
            "---",
        ];
        assert_eq!(entry_end(&fm, 3, 11), 6);
        assert_eq!(entry_end(&fm, 7, 11), 8);
    }

    #[test]
    fn tree_entries_sort_as_git_sorts_them() {
        use std::cmp::Ordering::*;
        // A folder's name reads as if it ended in `/` (0x2f): `a-c` (0x2d)
        // and `a.b` (0x2e) come before the folder `a`, `a0` (0x30) after.
        assert_eq!(tree_order(b"a-c.md", false, b"a", true), Less);
        assert_eq!(tree_order(b"a.b.md", false, b"a", true), Less);
        assert_eq!(tree_order(b"a", true, b"a0", true), Less);
        assert_eq!(tree_order(b"a", false, b"a", true), Less);
        assert_eq!(tree_order(b"a", true, b"a", true), Equal);
        assert_eq!(tree_order(b"b", false, b"a", true), Greater);
    }

    #[test]
    fn line_counts() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a\nb"), 2);
        assert_eq!(count_lines(b"a\nb\n"), 2);
    }

    #[test]
    fn repo_dirs() {
        assert_eq!(repo_dir("", "content"), "content");
        assert_eq!(repo_dir("site/", "content/"), "site/content");
        assert_eq!(repo_dir("site/", "."), "site");
        assert_eq!(repo_dir("", "."), "");
    }
}
