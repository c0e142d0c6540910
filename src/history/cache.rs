//! The walk kept between builds, keyed by root, folders, HEAD and `.mailmap`.

use super::*;

/// A fingerprint of what `.mailmap` says (the work tree's file and the
/// `mailmap.file` / `mailmap.blob` settings): names come through it, so a
/// change of it makes a kept walk stale.
pub(super) fn mailmap_fingerprint(repo: &Repository) -> String {
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
    pub(super) key: Option<CacheKey>,
    pub(super) committed: Option<SiteHistory>,
    /// Where the kept walk ended, when a later walk can go on from it.
    pub(super) point: Option<ResumePoint>,
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
pub(super) struct CacheKey {
    pub(super) root: PathBuf,
    pub(super) dirs: Vec<String>,
    pub(super) head: Option<String>,
    pub(super) mailmap: String,
}

/// What a saved history cache starts with; another version of quorum rebuilds it.
pub(super) const HISTORY_CACHE_HEADER: &str = crate::cache::cache_header!("quorum-history-cache 3");

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
