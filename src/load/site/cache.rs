//! The parsed-note cache: notes already read, kept between loads (on disk for
//! `quorum build`, in memory for `quorum serve`).

use super::files::{HowRead, NoteFile};
use super::notes::{decode, read_note, read_note_text_as, NoteRead};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// file's size and modification time, then by a hash of its bytes.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct NoteCache {
    entries: std::collections::HashMap<String, CachedNote>,
    /// A hash of what reading a note depends on besides its bytes (the names
    /// people.yaml makes known, max_file_size); a change empties the cache.
    context: u64,
    /// Size and time are trusted only for files last changed before this
    /// instant (when the cache was saved): a file changed in the same clock
    /// tick as the save is checked by its bytes. `None`: always trusted
    /// (`quorum serve`, whose watcher invalidates what changes).
    #[serde(skip)]
    trust_before: Option<std::time::SystemTime>,
    /// Notes taken from the cache in the last load.
    #[serde(skip)]
    pub hits: usize,
    /// Notes read from their files in the last load.
    #[serde(skip)]
    pub misses: usize,
    /// Whether the last load forgot notes whose files are gone.
    #[serde(skip)]
    pub pruned: bool,
    /// A one-shot run: when every note is unchanged, the notes are moved out
    /// of the cache instead of copied (it is not saved then).
    #[serde(skip)]
    consume: bool,
    /// The note files the last load found, and a hash of the groups they
    /// were found under.
    #[serde(skip)]
    listing: Option<(u64, Vec<NoteFile>)>,
    /// Set by [`NoteCache::expect_changes`]: the only paths (relative to
    /// the site root) changed since the last load.
    #[serde(skip)]
    changes: Option<Vec<String>>,
}

/// What a saved cache starts with: a change of quorum's version or of the
/// cache's layout makes it unreadable, and it is rebuilt.
const CACHE_HEADER: &str = crate::cache::cache_header!("quorum-note-cache 4");

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct CachedNote {
    len: u64,
    modified: Option<std::time::SystemTime>,
    hash: u64,
    group: String,
    how: HowRead,
    result: NoteRead,
}

impl NoteCache {
    /// An empty cache.
    pub(crate) fn new() -> NoteCache {
        NoteCache::default()
    }

    /// The entry for `f`, if it was read with the same group, strictness and split.
    fn entry(&self, f: &NoteFile) -> Option<&CachedNote> {
        self.entries
            .get(&f.rel)
            .filter(|e| e.group == f.group && e.how == f.how)
    }

    /// Whether `e` may be taken as is for a file of this size and time.
    fn matches(&self, e: &CachedNote, len: u64, modified: Option<std::time::SystemTime>) -> bool {
        let trusted = match (self.trust_before, modified) {
            (Some(before), Some(m)) => m < before,
            (None, _) => true,
            (Some(_), None) => false,
        };
        trusted && e.len == len && e.modified.is_some() && e.modified == modified
    }

    /// Whether `f`'s cached note can be taken without reading the file.
    fn unchanged(&self, f: &NoteFile) -> bool {
        let Some(e) = self.entry(f) else {
            return false;
        };
        if f.unchanged {
            return true;
        }
        std::fs::metadata(&f.abs).is_ok_and(|m| self.matches(e, m.len(), m.modified().ok()))
    }

    /// Forgets every note.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.listing = None;
        self.changes = None;
    }

    /// Tells the next load that since the last one only the files (or
    /// folders) at `rels` (relative to the site root) may have changed, as a
    /// file watcher reports them: it then neither walks the folders nor
    /// looks at the other notes' files. Without this call, a load looks at
    /// every file.
    pub(crate) fn expect_changes(&mut self, rels: Vec<String>) {
        for r in &rels {
            self.entries.remove(r);
        }
        self.changes = Some(rels);
    }

    /// The cache saved at `path`, or an empty one when there is none or it
    /// cannot be read (another version of quorum wrote it, or it is damaged).
    pub(crate) fn open(path: &Path) -> NoteCache {
        let saved_at = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        match (
            crate::cache::read::<NoteCache>(path, CACHE_HEADER),
            saved_at,
        ) {
            (Some(mut c), Some(at)) => {
                c.trust_before = Some(at - std::time::Duration::from_secs(2));
                c.consume = true;
                c
            }
            _ => NoteCache::default(),
        }
    }

    /// Saves the cache at `path`.
    pub(crate) fn save(&self, path: &Path) -> std::io::Result<()> {
        crate::cache::write(path, CACHE_HEADER, self)
    }
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    crate::cache::hash64(bytes)
}

/// A note from the cache when its file did not change, else read afresh
/// (with the entry to keep for next time).
fn read_note_cached(
    f: &NoteFile,
    max: u64,
    is_person: &(dyn Fn(&str) -> bool + Sync),
    cache: &NoteCache,
) -> (NoteRead, Option<CachedNote>) {
    if f.unchanged {
        if let Some(e) = cache.entry(f) {
            return (e.result.clone(), None);
        }
    }
    let meta = match std::fs::metadata(&f.abs) {
        Ok(m) => m,
        Err(_) => return (read_note(f, max, is_person), None),
    };
    let (len, modified) = (meta.len(), meta.modified().ok());
    let old = cache.entry(f);
    if let Some(e) = old {
        if cache.matches(e, len, modified) {
            return (e.result.clone(), None);
        }
    }
    if len > max {
        return (read_note(f, max, is_person), None);
    }
    let bytes = match std::fs::read(&f.abs) {
        Ok(b) => b,
        Err(_) => return (read_note(f, max, is_person), None),
    };
    let hash = hash_bytes(&bytes);
    let result = match old {
        Some(e) if e.hash == hash => e.result.clone(),
        _ => {
            let (text, mut diags) = decode(&bytes, &f.rel, f.how.strict);
            let (note, mut d) = read_note_text_as(&text, &f.rel, &f.group, f.how, is_person);
            diags.append(&mut d);
            (note.into_iter().map(Arc::new).collect(), diags)
        }
    };
    let entry = CachedNote {
        len,
        modified,
        hash,
        group: f.group.clone(),
        how: f.how,
        result: result.clone(),
    };
    (result, Some(entry))
}

impl NoteCache {
    /// The last load's listing and the paths changed since, when a watcher
    /// told what changed, the groups are the same and no folder changed.
    pub(super) fn take_listing(
        &mut self,
        root: &Path,
        plan_hash: u64,
    ) -> Option<(Vec<NoteFile>, HashSet<String>)> {
        let changes = self.changes.take();
        let listing = self.listing.take();
        let (changes, (hash, listed)) = changes.zip(listing)?;
        // A changed folder or link is listed again by the full walk, which
        // reports a link out of the root (a link is never read silently).
        let plain = changes.iter().all(|r| {
            let p = root.join(r);
            let link = p
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink());
            !p.is_dir() && !link
        });
        (hash == plan_hash && plain).then(|| (listed, changes.into_iter().collect()))
    }

    /// Keeps `files` as the listing for next time; forgets every note when
    /// what reading depends on changed (`context`), and the notes whose
    /// files are gone.
    pub(super) fn prepare(&mut self, files: &[NoteFile], plan_hash: u64, context: u64) {
        let mut listed = files.to_vec();
        for f in &mut listed {
            f.unchanged = true;
        }
        self.listing = Some((plan_hash, listed));
        if self.context != context {
            self.entries.clear();
            self.context = context;
        }
        let present: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        let before = self.entries.len();
        self.entries.retain(|k, _| present.contains(k.as_str()));
        self.pruned = self.entries.len() != before;
    }

    /// A one-shot run (the command line) whose notes all match the cache
    /// takes them out of it rather than copying them: nothing is saved then
    /// (unless notes were removed: then the cache is kept whole and saved).
    pub(super) fn take_all(&mut self, files: &[NoteFile]) -> Option<Vec<NoteRead>> {
        if !self.consume || self.pruned || !files.par_iter().all(|f| self.unchanged(f)) {
            return None;
        }
        let results = files
            .iter()
            .map(|f| {
                self.entries
                    .remove(&f.rel)
                    .map(|e| e.result)
                    .unwrap_or_default()
            })
            .collect();
        self.hits = files.len();
        self.misses = 0;
        Some(results)
    }

    /// Reads `files`, taking unchanged ones from the cache and keeping the
    /// ones read afresh for next time.
    pub(super) fn read_all(
        &mut self,
        files: &[NoteFile],
        max: u64,
        is_person: &(dyn Fn(&str) -> bool + Sync),
    ) -> Vec<NoteRead> {
        let cache = &*self;
        let results: Vec<(NoteRead, Option<CachedNote>)> = files
            .par_iter()
            .map(|f| read_note_cached(f, max, is_person, cache))
            .collect();
        self.hits = 0;
        self.misses = 0;
        let mut out = Vec::with_capacity(results.len());
        for (f, (r, fresh)) in files.iter().zip(results) {
            match fresh {
                Some(entry) => {
                    self.misses += 1;
                    self.entries.insert(f.rel.clone(), entry);
                }
                None => self.hits += 1,
            }
            out.push(r);
        }
        out
    }
}
