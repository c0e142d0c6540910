//! The read-only part of the walk, run on chunks of commits in parallel:
//! which files each commit changed, with their hunks.

use super::*;

/// One file changed by a commit; `hunks` (old line count and hunks) when it
/// was modified in place.
pub(super) struct Change {
    pub(super) path: String,
    pub(super) old: Option<Oid>,
    pub(super) new: Option<Oid>,
    pub(super) hunks: Option<(usize, Hunks)>,
}

/// What one commit changed in the walked folders.
pub(super) struct Scanned {
    pub(super) boundary: bool,
    pub(super) changes: Vec<Change>,
}

/// A commit of the walk: its tree, its first parent's tree (`None`: no
/// parent, or beyond a shallow boundary) and what pages show of it.
pub(super) struct Meta {
    pub(super) oid: Oid,
    pub(super) tree: Oid,
    pub(super) parent_tree: Option<Oid>,
    pub(super) info: CommitInfo,
}

/// The read-only part of the walk, run on chunks of commits in parallel.
pub(super) struct Scan<'a> {
    pub(super) dirs: &'a [String],
    pub(super) shallow: bool,
    pub(super) shallow_roots: &'a [Oid],
}

impl Scan<'_> {
    pub(super) fn run(&self, gitdir: &Path, metas: &[Meta]) -> Result<Vec<Scanned>, git2::Error> {
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
