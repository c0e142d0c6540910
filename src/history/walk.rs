//! The walk of HEAD's first-parent history: each commit diffed against
//! its first parent inside the site's folders, the hunks applied to each
//! file's line origins; resumable from a kept walk.

use super::*;

/// Where a walk ended, so that a later one can go on from there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct ResumePoint {
    /// HEAD's commit (hex) the walk ended at.
    pub(super) head: String,
    /// Whether that commit changed the walked folders; when not, it is in
    /// [`SiteHistory::commits`] only as HEAD (the last one), and a walk going
    /// on from it leaves it out, as a walk from scratch would.
    pub(super) head_changed: bool,
}

/// What [`walk_committed`] gives.
pub(super) struct Walked {
    pub(super) history: SiteHistory,
    /// Where a later walk can go on from; `None` when it cannot (the walk
    /// failed part way, the clone is shallow, there are no commits).
    pub(super) point: Option<ResumePoint>,
    /// Whether it went on from an earlier walk rather than from the start.
    pub(super) resumed: bool,
}

/// Walks the history of `root`'s `dirs` at HEAD. With `from` (an earlier
/// walk's result and its end), only the commits on top of that end are
/// walked, when that end is a first-parent ancestor of HEAD; anything else
/// (history rewritten, HEAD moved back, another repository) walks in full.
pub(super) fn walk_committed(
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
pub(super) fn first_parent_chain(repo: &Repository, head: Oid, base: Oid) -> Option<Vec<Oid>> {
    let mut chain = Vec::new();
    let mut at = head;
    while at != base {
        chain.push(at);
        at = repo.find_commit(at).ok()?.parent_id(0).ok()?;
    }
    chain.reverse();
    Some(chain)
}

pub(super) enum WalkError {
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
pub(super) struct Tracked {
    /// `None`: every line comes from `created` (the file was never changed).
    pub(super) lines: Option<Vec<u32>>,
    pub(super) created: u32,
    pub(super) updated: u32,
    pub(super) authors: Vec<String>,
}

pub(super) struct Walk<'r> {
    pub(super) repo: &'r Repository,
    /// The folders walked, as repository paths (`""` is the whole tree).
    pub(super) dirs: Vec<String>,
    /// Repository path prefix to strip for site paths.
    pub(super) prefix: String,
    pub(super) mailmap: Option<git2::Mailmap>,
    pub(super) index: HashMap<Oid, u32>,
    pub(super) files: HashMap<String, Tracked>,
    /// The commits a shallow clone cut the history at.
    pub(super) shallow_roots: Vec<Oid>,
}

impl<'r> Walk<'r> {
    pub(super) fn new(repo: &'r Repository, prefix: &str, dirs: &[String]) -> Walk<'r> {
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
    pub(super) fn commit_index(&mut self, h: &mut SiteHistory, info: &CommitInfo, oid: Oid) -> u32 {
        if let Some(&i) = self.index.get(&oid) {
            return i;
        }
        let i = h.commits.len() as u32;
        h.commits.push(info.clone());
        self.index.insert(oid, i);
        i
    }

    /// What a commit shows: its id, its author's name (through .mailmap) and date.
    pub(super) fn commit_info(&self, c: &git2::Commit) -> CommitInfo {
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
    pub(super) fn chain(&self, head: Oid) -> Result<Vec<Oid>, git2::Error> {
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
    pub(super) fn metas(&self, oids: &[Oid]) -> Result<Vec<Meta>, git2::Error> {
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
    pub(super) fn load(&mut self, h: &mut SiteHistory, point: &ResumePoint) -> Option<()> {
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
    pub(super) fn run(
        &mut self,
        h: &mut SiteHistory,
        oids: Option<Vec<Oid>>,
    ) -> Result<bool, WalkError> {
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

    pub(super) fn blob_hunks(&self, old: Oid, new: Oid) -> Result<(usize, Hunks), git2::Error> {
        blob_hunks(self.repo, old, new)
    }

    /// Applies one commit's changes (from [`Scan`]) to the per-file state.
    pub(super) fn apply(
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
    pub(super) fn rename_source(
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
    pub(super) fn finish(&mut self, h: &mut SiteHistory) {
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
