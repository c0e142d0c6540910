//! Walks a site's content: people.yaml, each group's folder and `_group.md`,
//! and every note (in parallel), into a [`Corpus`].

use super::body::{read_body_with, BodyContext, Wants};
use super::dates::date_from_file_name;
use super::frontmatter::{parse_yaml, split, unclosed_diagnostic, Reader};
use crate::config::SiteConfig;
use crate::diagnostics::{nearest, Diagnostic};
use crate::model::{
    ActionEntry, Corpus, GroupMeta, GroupSource, MeetingStatus, Note, PersonEntry, Span,
};
use crate::text::{fold, slug};
use rayon::prelude::*;
use serde_yaml::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A group to read: key, folder, name from quorum.toml, strictness, exclude globs.
type GroupPlan = (String, String, Option<String>, bool, Vec<String>);

/// A note file found under a group.
#[derive(Debug, Clone)]
struct NoteFile {
    abs: PathBuf,
    rel: String,
    group: String,
    strict: bool,
    /// Known unchanged since the last load (`quorum serve` was told what
    /// changed): its cached note is taken without a look at the file.
    unchanged: bool,
}

/// Reads the whole site under `root`.
pub fn load_site(root: &Path, config: &SiteConfig) -> (Corpus, Vec<Diagnostic>) {
    load_site_with(root, config, None)
}

/// Reads the whole site under `root` like [`load_site`], reusing the notes
/// in `cache` whose files did not change (same path, size and modification
/// time, or else the same bytes) and keeping the notes read for next time.
/// The result is the same as [`load_site`]'s.
pub fn load_site_cached(
    root: &Path,
    config: &SiteConfig,
    cache: &mut NoteCache,
) -> (Corpus, Vec<Diagnostic>) {
    load_site_with(root, config, Some(cache))
}

/// Notes already read, for [`load_site_cached`]: keyed by path, checked by the
/// file's size and modification time, then by a hash of its bytes.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct NoteCache {
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
const CACHE_HEADER: &str = concat!(
    "quorum-note-cache 3 ",
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("QUORUM_BUILD_ID"),
    "\n"
);

/// A note as read from its file, with the problems found.
type NoteRead = (Vec<Arc<Note>>, Vec<Diagnostic>);

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct CachedNote {
    len: u64,
    modified: Option<std::time::SystemTime>,
    hash: u64,
    group: String,
    strict: bool,
    result: NoteRead,
}

impl NoteCache {
    /// An empty cache.
    pub fn new() -> NoteCache {
        NoteCache::default()
    }

    /// Forgets the note at `rel` (relative to the site root), so that the
    /// next load reads its file whatever its size and time say.
    pub fn invalidate(&mut self, rel: &str) {
        self.entries.remove(rel);
    }

    /// The entry for `f`, if it was read with the same group and strictness.
    fn entry(&self, f: &NoteFile) -> Option<&CachedNote> {
        self.entries
            .get(&f.rel)
            .filter(|e| e.group == f.group && e.strict == f.strict)
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
    pub fn clear(&mut self) {
        self.entries.clear();
        self.listing = None;
        self.changes = None;
    }

    /// Tells the next load that since the last one only the files (or
    /// folders) at `rels` (relative to the site root) may have changed, as a
    /// file watcher reports them: it then neither walks the folders nor
    /// looks at the other notes' files. Without this call, a load looks at
    /// every file.
    pub fn expect_changes(&mut self, rels: Vec<String>) {
        for r in &rels {
            self.entries.remove(r);
        }
        self.changes = Some(rels);
    }

    /// The cache saved at `path`, or an empty one when there is none or it
    /// cannot be read (another version of quorum wrote it, or it is damaged).
    pub fn open(path: &Path) -> NoteCache {
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
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        crate::cache::write(path, CACHE_HEADER, self)
    }

    /// How many notes it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds no note.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    crate::cache::hash64(bytes)
}

/// A stable hash of the groups to read (what the listing of note files depends on).
fn hash_plan(groups: &[GroupPlan]) -> u64 {
    let mut h = crate::cache::StableHasher::new();
    for (key, dir, name, strict, exclude) in groups {
        h.str(key).str(dir).str(name.as_deref().unwrap_or("\0"));
        h.u64(u64::from(*strict) + 2 * u64::from(name.is_some()));
        h.u64(exclude.len() as u64);
        for e in exclude {
            h.str(e);
        }
    }
    h.finish()
}

fn load_site_with(
    root: &Path,
    config: &SiteConfig,
    mut cache: Option<&mut NoteCache>,
) -> (Corpus, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut corpus = Corpus::default();
    // Links are followed only while they stay inside the site root.
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let content = root.join(&config.content);
    let people_rel = format!("{}/people.yaml", config.content.trim_end_matches('/'));
    let people_path = root.join(&people_rel);
    if let Some(real) = crate::paths::outside(&real_root, &people_path) {
        corpus.failed.insert(people_rel.clone());
        diags.push(crate::paths::outside_diagnostic(
            &real_root,
            &people_rel,
            &real,
        ));
    } else if people_path.exists() {
        match std::fs::read(&people_path) {
            Ok(bytes) => {
                let (text, mut d) = decode(&bytes, &people_rel, config.strict);
                diags.append(&mut d);
                let (people, mut d) = read_people(&text, &people_rel, config.strict);
                if d.iter().any(Diagnostic::is_error) {
                    corpus.failed.insert(people_rel.clone());
                }
                diags.append(&mut d);
                corpus.people = people;
            }
            Err(e) => {
                corpus.failed.insert(people_rel.clone());
                diags.push(Diagnostic::error(
                    "unreadable-file",
                    &people_rel,
                    1,
                    1,
                    format!("cannot read {}: {e}", people_path.display()),
                ));
            }
        }
    }

    // Groups: folders under content/, and groups configured in quorum.toml.
    let mut groups: Vec<GroupPlan> = Vec::new();
    let mut seen_dirs = HashSet::new();
    for (key, gc) in &config.groups {
        let dir = config.group_dir(key);
        seen_dirs.insert(dir.clone());
        groups.push((
            slug(key),
            dir,
            gc.name.clone(),
            gc.strict.unwrap_or(config.strict),
            gc.exclude.clone(),
        ));
    }
    if let Ok(rd) = std::fs::read_dir(&content) {
        // Linked group folders too (their real place is checked below).
        let mut dirs: Vec<_> = rd
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| match e.file_name().to_str() {
                Some(n) => Some(String::from(n)),
                None => {
                    diags.push(non_utf8_name(root, &e.path(), config.strict));
                    None
                }
            })
            .filter(|n| !n.starts_with(['.', '_']))
            .collect();
        dirs.sort();
        for name in dirs {
            let dir = format!("{}/{name}", config.content.trim_end_matches('/'));
            if seen_dirs.contains(&dir) || config.group_dirs().contains(&dir) {
                continue;
            }
            groups.push((slug(&name), dir, None, config.strict, Vec::new()));
        }
    } else if config.groups.values().any(|g| g.path.is_none()) || config.groups.is_empty() {
        // An error, not a warning: a build would publish an empty site over the last one.
        diags.push(
            Diagnostic::error("no-content", "quorum.toml", 1, 1, format!("there is no `{}` folder ({})", config.content, content.display()))
                .with_help("put one folder per group under it, or map notes folders with [groups.<key>] path = …"),
        );
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let mut keys = HashSet::new();
    for g in &mut groups {
        let base = g.0.clone();
        let mut n = 2;
        while !keys.insert(g.0.clone()) {
            g.0 = format!("{base}-{n}");
            n += 1;
        }
    }

    // Find the notes: walk every group's folder, or, when the cache was told
    // what changed since it listed them, take its listing with those changes.
    let plan_hash = hash_plan(&groups);
    let mut previous: Option<Vec<NoteFile>> = None;
    let mut changed: HashSet<String> = HashSet::new();
    if let Some(c) = cache.as_deref_mut() {
        let changes = c.changes.take();
        let listing = c.listing.take();
        if let (Some(changes), Some((hash, listed))) = (changes, listing) {
            let no_folder = changes.iter().all(|r| !root.join(r).is_dir());
            if hash == plan_hash && no_folder {
                changed = changes.into_iter().collect();
                previous = Some(listed);
            }
        }
    }
    let mut files = Vec::new();
    for (key, dir, config_name, strict, exclude) in &groups {
        let abs = root.join(dir);
        if let Some(real) = crate::paths::outside(&real_root, &abs) {
            diags.push(crate::paths::outside_diagnostic(&real_root, dir, &real));
            corpus.failed.insert(dir.clone());
            continue;
        }
        if !abs.is_dir() {
            diags.push(Diagnostic::error(
                "missing-group-folder",
                "quorum.toml",
                1,
                1,
                format!("group `{key}`: folder `{dir}` does not exist"),
            ));
            continue;
        }
        let mut gb = globset::GlobSetBuilder::new();
        for g in exclude {
            if let Ok(glob) = globset::Glob::new(g) {
                gb.add(glob);
            }
        }
        let excluded = gb.build().unwrap_or_else(|_| globset::GlobSet::empty());
        let mut meta = GroupMeta::default();
        let group_md = abs.join("_group.md");
        let md_rel = format!("{dir}/_group.md");
        if let Some(real) = crate::paths::outside(&real_root, &group_md) {
            diags.push(crate::paths::outside_diagnostic(&real_root, &md_rel, &real));
            corpus.failed.insert(md_rel);
        } else if group_md.is_file() {
            let rel = format!("{dir}/_group.md");
            match std::fs::read(&group_md) {
                Ok(bytes) => {
                    let (text, mut d) = decode(&bytes, &rel, *strict);
                    diags.append(&mut d);
                    let mut d = read_group(&text, &rel, *strict, &mut meta);
                    if d.iter().any(Diagnostic::is_error) {
                        corpus.failed.insert(rel.clone());
                    }
                    diags.append(&mut d);
                    meta.path = Some(PathBuf::from(&rel));
                }
                Err(e) => diags.push(Diagnostic::error(
                    "unreadable-file",
                    &rel,
                    1,
                    1,
                    format!("cannot read: {e}"),
                )),
            }
        }
        corpus.groups.push(GroupSource {
            key: key.clone(),
            dir: dir.clone(),
            config_name: config_name.clone(),
            meta,
        });
        if let Some(listed) = &previous {
            files.extend(relist(listed, &changed, root, key, dir, *strict, &excluded));
            continue;
        }
        let mut walker = walkdir::WalkDir::new(&abs)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !e
                        .file_name()
                        .to_str()
                        .is_some_and(|n| n.starts_with(['.', '_']))
            });
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let p = e
                        .path()
                        .map(|p| rel_path(root, p))
                        .unwrap_or_else(|| dir.clone());
                    diags.push(Diagnostic::error(
                        "unreadable-file",
                        &p,
                        1,
                        1,
                        format!("cannot read: {e}"),
                    ));
                    corpus.failed.insert(p);
                    continue;
                }
            };
            if entry.depth() > 0 && entry.path_is_symlink() {
                if let Some(real) = crate::paths::outside(&real_root, entry.path()) {
                    let rel = rel_path(root, entry.path());
                    diags.push(crate::paths::outside_diagnostic(&real_root, &rel, &real));
                    corpus.failed.insert(rel);
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
            }
            let within = entry.path().strip_prefix(&abs).unwrap_or(entry.path());
            if entry.file_name().to_str().is_none() {
                diags.push(non_utf8_name(root, entry.path(), *strict));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            if entry.file_type().is_dir() || excluded.is_match(within) {
                continue;
            }
            if !entry.file_type().is_file() {
                diags.push(not_a_file(root, entry.path()));
                continue;
            }
            if !is_note_name(entry.path()) {
                continue;
            }
            files.push(NoteFile {
                abs: entry.path().to_path_buf(),
                rel: rel_path(root, entry.path()),
                group: key.clone(),
                strict: *strict,
                unchanged: false,
            });
        }
    }

    let known: HashSet<String> = corpus
        .people
        .iter()
        .flat_map(|p| {
            std::iter::once(p.name.clone())
                .chain(p.aliases.iter().cloned())
                .chain(p.handle.iter().map(|h| format!("@{h}")))
                .chain(p.handle.iter().cloned())
        })
        .map(|n| fold(&n))
        .collect();
    let is_person = |n: &str| known.contains(&fold(n));
    corpus.files = files.len();
    if let Some(c) = cache.as_deref_mut() {
        let mut listed = files.clone();
        for f in &mut listed {
            f.unchanged = true;
        }
        c.listing = Some((plan_hash, listed));
        let mut names: Vec<&String> = known.iter().collect();
        names.sort();
        let mut h = crate::cache::StableHasher::new();
        for n in &names {
            h.str(n);
        }
        h.u64(config.max_file_size);
        let context = h.finish();
        if c.context != context {
            c.entries.clear();
            c.context = context;
        }
        let present: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        let before = c.entries.len();
        c.entries.retain(|k, _| present.contains(k.as_str()));
        c.pruned = c.entries.len() != before;
    }
    // A one-shot run (the command line) whose notes all match the cache
    // takes them out of it rather than copying them: nothing is saved then
    // (unless notes were removed: then the cache is kept whole and saved).
    if let Some(c) = cache.as_deref_mut().filter(|c| c.consume && !c.pruned) {
        if files.par_iter().all(|f| c.unchanged(f)) {
            let results: Vec<NoteRead> = files
                .iter()
                .map(|f| {
                    c.entries
                        .remove(&f.rel)
                        .map(|e| e.result)
                        .unwrap_or_default()
                })
                .collect();
            c.hits = files.len();
            c.misses = 0;
            for (f, (note, mut d)) in files.iter().zip(results) {
                if d.iter().any(Diagnostic::is_error) {
                    corpus.failed.insert(f.rel.clone());
                }
                diags.append(&mut d);
                corpus.notes.extend(note);
            }
            return (corpus, diags);
        }
    }
    let cached = cache.as_deref();
    let results: Vec<(NoteRead, Option<CachedNote>)> = files
        .par_iter()
        .map(|f| match cached {
            None => (read_note(f, config.max_file_size, &is_person), None),
            Some(c) => read_note_cached(f, config.max_file_size, &is_person, c),
        })
        .collect();
    let mut results_only = Vec::with_capacity(results.len());
    if let Some(c) = cache {
        c.hits = 0;
        c.misses = 0;
        for (f, (r, fresh)) in files.iter().zip(results) {
            match fresh {
                Some(entry) => {
                    c.misses += 1;
                    c.entries.insert(f.rel.clone(), entry);
                }
                None => c.hits += 1,
            }
            results_only.push(r);
        }
    } else {
        results_only.extend(results.into_iter().map(|(r, _)| r));
    }
    for (f, (note, mut d)) in files.iter().zip(results_only) {
        if d.iter().any(Diagnostic::is_error) {
            corpus.failed.insert(f.rel.clone());
        }
        diags.append(&mut d);
        corpus.notes.extend(note);
    }
    (corpus, diags)
}

/// The note files of group `key` (folder `dir`) from the last load's
/// listing, with the paths in `changed` looked at again: a changed note file
/// is read again, a new one added in its place, a removed one (or every note
/// under a removed folder) dropped.
fn relist(
    listed: &[NoteFile],
    changed: &HashSet<String>,
    root: &Path,
    key: &str,
    dir: &str,
    strict: bool,
    excluded: &globset::GlobSet,
) -> Vec<NoteFile> {
    let prefix = format!("{dir}/");
    let gone = |rel: &str| {
        changed.iter().any(|c| {
            (rel == c.as_str()
                || rel
                    .strip_prefix(c.as_str())
                    .is_some_and(|r| r.starts_with('/')))
                && !root.join(c).exists()
        })
    };
    let mut out: Vec<NoteFile> = listed
        .iter()
        .filter(|f| f.group == key && !gone(&f.rel))
        .map(|f| NoteFile {
            unchanged: !changed.contains(&f.rel),
            ..f.clone()
        })
        .collect();
    for rel in changed {
        let Some(within) = rel.strip_prefix(&prefix) else {
            continue;
        };
        let abs = root.join(rel);
        let hidden = Path::new(within).components().any(|c| {
            c.as_os_str()
                .to_str()
                .is_some_and(|n| n.starts_with(['.', '_']))
        });
        let leaves = root
            .canonicalize()
            .ok()
            .is_some_and(|r| crate::paths::outside(&r, &abs).is_some());
        if hidden
            || leaves
            || excluded.is_match(within)
            || !abs.is_file()
            || !is_note_name(&abs)
            || out.iter().any(|f| &f.rel == rel)
        {
            continue;
        }
        out.push(NoteFile {
            abs,
            rel: rel.clone(),
            group: key.to_string(),
            strict,
            unchanged: false,
        });
    }
    // The order of a walk sorted by file name.
    out.sort_by(|a, b| a.abs.cmp(&b.abs));
    out
}

/// A file or folder whose name is not UTF-8: it cannot be a note's.
fn non_utf8_name(root: &Path, path: &Path, strict: bool) -> Diagnostic {
    Diagnostic::error(
        "non-utf8-name",
        &rel_path(root, path),
        1,
        1,
        format!(
            "the name of {} is not UTF-8: it is not read",
            path.display()
        ),
    )
    .with_help("rename it (quorum reads names in UTF-8)")
    .downgraded(!strict)
}

/// A FIFO, socket or device among the notes: never opened.
fn not_a_file(root: &Path, path: &Path) -> Diagnostic {
    Diagnostic::warning(
        "not-a-file",
        &rel_path(root, path),
        1,
        1,
        format!(
            "{} is not a regular file (a FIFO, socket or device): it is not read",
            path.display()
        ),
    )
}

fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.to_string_lossy().replace('\\', "/")
}

const NOT_NOTES: &[&str] = &[
    "readme",
    "index",
    "license",
    "codeowners",
    "contributing",
    "changelog",
];

/// Whether a file name is a note's (by FORMAT.md's rules, before size and content).
fn is_note_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with(['_', '.']) {
        return false;
    }
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    if NOT_NOTES.contains(&stem.as_str()) {
        return false;
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ["md", "markdown", "txt"].contains(&ext.to_ascii_lowercase().as_str()) => true,
        Some(ext)
            if !ext.contains(' ') && ext.len() <= 8 && !ext.chars().all(|c| c.is_ascii_digit()) =>
        {
            false
        }
        // No extension (or a dot inside a name such as `2022 - Aug. 30th`): a note when it starts as text.
        _ => starts_as_text(path),
    }
}

fn starts_as_text(path: &Path) -> bool {
    use std::io::Read;
    let mut buf = [0u8; 512];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut buf))
        .unwrap_or(0);
    let head = &buf[..n];
    !head.contains(&0)
        && match std::str::from_utf8(head) {
            Ok(_) => true,
            Err(e) => e.error_len().is_none(), // cut inside a character at the 512th byte
        }
}

/// Decodes a file's bytes: BOM removed; invalid UTF-8 is an error at its line
/// (a warning under `strict = false`), the bad bytes replaced.
pub fn decode(bytes: &[u8], rel: &str, strict: bool) -> (String, Vec<Diagnostic>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), Vec::new()),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let line_start = good
                .iter()
                .rposition(|&b| b == b'\n')
                .map(|i| i + 1)
                .unwrap_or(0);
            let col = String::from_utf8_lossy(&good[line_start..]).chars().count() as u32 + 1;
            let d = Diagnostic::error(
                "invalid-utf8",
                rel,
                line,
                col,
                format!(
                    "the file is not UTF-8 (byte 0x{:02x})",
                    bytes[e.valid_up_to()]
                ),
            )
            .with_help("save the file as UTF-8")
            .downgraded(!strict);
            (String::from_utf8_lossy(bytes).into_owned(), vec![d])
        }
    }
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
            let (text, mut diags) = decode(&bytes, &f.rel, f.strict);
            let (note, mut d) = read_note_text(&text, &f.rel, &f.group, f.strict, is_person);
            diags.append(&mut d);
            (note.into_iter().map(Arc::new).collect(), diags)
        }
    };
    let entry = CachedNote {
        len,
        modified,
        hash,
        group: f.group.clone(),
        strict: f.strict,
        result: result.clone(),
    };
    (result, Some(entry))
}

/// A note whose file cannot be read.
fn unreadable(rel: &str, e: &std::io::Error) -> NoteRead {
    (
        Vec::new(),
        vec![Diagnostic::error(
            "unreadable-file",
            rel,
            1,
            1,
            format!("cannot read: {e}"),
        )],
    )
}

fn read_note(f: &NoteFile, max: u64, is_person: &(dyn Fn(&str) -> bool + Sync)) -> NoteRead {
    let rel = f.rel.as_str();
    match std::fs::metadata(&f.abs) {
        Ok(m) if m.len() > max => {
            return (
                Vec::new(),
                vec![Diagnostic::error(
                    "file-too-large",
                    rel,
                    1,
                    1,
                    format!("the file is {} bytes, over max_file_size ({max})", m.len()),
                )
                .with_help("split the file, or raise max_file_size in quorum.toml")],
            )
        }
        Ok(_) => {}
        Err(e) => return unreadable(rel, &e),
    }
    let bytes = match std::fs::read(&f.abs) {
        Ok(b) => b,
        Err(e) => return unreadable(rel, &e),
    };
    let (text, mut diags) = decode(&bytes, rel, f.strict);
    let (note, mut d) = read_note_text(&text, rel, &f.group, f.strict, is_person);
    diags.append(&mut d);
    (note.into_iter().map(Arc::new).collect(), diags)
}

/// Reads one note's text (already decoded). Pure.
pub fn read_note_text(
    text: &str,
    rel: &str,
    group: &str,
    strict: bool,
    is_person: &dyn Fn(&str) -> bool,
) -> (Vec<Note>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::warning("empty-note", rel, 1, 1, "the note is empty")
                .with_help("write the meeting's front matter and notes, or delete the file"),
        );
    }
    let Ok(parts) = split(text) else {
        diags.push(unclosed_diagnostic(rel));
        return (Vec::new(), diags);
    };
    let mut note = Note {
        path: rel.to_string(),
        group: group.to_string(),
        has_front_matter: parts.has_front_matter,
        body: parts.body.into(),
        body_line: parts.body_line,
        ..Note::default()
    };
    let mut fm_keys: HashSet<String> = HashSet::new();
    if parts.has_front_matter {
        match parse_yaml(rel, parts.yaml, parts.yaml_line) {
            Ok(doc) => {
                if let Value::Mapping(m) = &doc {
                    fm_keys = m
                        .keys()
                        .filter_map(|k| k.as_str().map(String::from))
                        .collect();
                }
                let mut reader = Reader::new(rel, parts.yaml, parts.yaml_line, strict);
                reader.read_meeting(&doc, &mut note);
                diags.append(&mut reader.diags);
            }
            Err(d) => {
                diags.push(d);
                return (Vec::new(), diags);
            }
        }
    }
    if note.date.is_none() && !fm_keys.contains("date") {
        if let Some(why) = super::body::not_a_meeting(parts.body, rel) {
            diags.push(
                Diagnostic::info(
                    "not-a-meeting",
                    rel,
                    1,
                    1,
                    format!("not read as a meeting: {why}"),
                )
                .with_help("give it front matter with a `date` to publish it as a meeting"),
            );
            return (Vec::new(), diags);
        }
        let parts_of = super::running::sections(parts.body, rel);
        if parts_of.len() >= 2 {
            // What the preamble says of every meeting (the time, the place).
            let mut pre = note.clone();
            let first = parts_of.first().map_or(0, |m| m.line.saturating_sub(1));
            let pre_body = super::running::lines_text(parts.body, 0, first);
            pre.date = Some(chrono::NaiveDate::MIN);
            pre.body_line = parts.body_line;
            fill_from_body(&mut pre, &pre_body, &fm_keys, is_person, &mut Vec::new());
            let mut notes = Vec::with_capacity(parts_of.len());
            for m in parts_of {
                let mut n = note.clone();
                n.date = Some(m.date);
                n.date_span = Span::new(parts.body_line + m.line as u32 - 1, 1);
                if m.cancelled && n.status.is_none() {
                    n.status = Some(MeetingStatus::Cancelled);
                }
                let body = super::running::lines_text(parts.body, m.line, m.end);
                n.body = body.into();
                n.body_line = parts.body_line + m.line as u32;
                let b = n.body.clone();
                fill_from_body(&mut n, &b, &fm_keys, is_person, &mut diags);
                if n.time.is_none() {
                    n.time = pre.time;
                    n.duration = n.duration.or(pre.duration);
                    n.timezone = n.timezone.or_else(|| pre.timezone.clone());
                }
                n.location = n.location.or_else(|| pre.location.clone());
                notes.push(n);
            }
            return (notes, diags);
        }
    }
    let body = note.body.clone();
    fill_from_body(&mut note, &body, &fm_keys, is_person, &mut diags);
    (vec![note], diags)
}

/// Reads a note's body into `note`, where the front matter (keys `fm_keys`)
/// left a field unset, and settles its date.
fn fill_from_body(
    note: &mut Note,
    body: &str,
    fm_keys: &HashSet<String>,
    is_person: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    let rel = note.path.clone();
    let rel = rel.as_str();
    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    let name_date = date_from_file_name(file_name);
    let year_hint = name_date
        .map(|d| chrono::Datelike::year(&d))
        .or_else(|| super::dates::year_from_path(rel));
    // The people the front matter names count as people in the body too
    // (`ACTION: Ann Example to …` under `attendees: [Ann Example]`).
    let named: HashSet<String> = note
        .attendees
        .iter()
        .chain(&note.moderators)
        .chain(&note.note_takers)
        .chain(&note.regrets)
        .map(|p| crate::text::fold(&p.name))
        .collect();
    let is_named = |s: &str| is_person(s) || named.contains(&crate::text::fold(s));
    let ctx = BodyContext {
        path: rel,
        is_person: &is_named,
        year_hint,
    };
    let wants = Wants {
        date_known: note.date.is_some(),
        status_known: note.status.is_some(),
    };
    let (facts, mut d) = read_body_with(body, note.body_line, &ctx, wants);
    diags.append(&mut d);
    let has = |k: &str| fm_keys.contains(k);
    if note.date.is_none() {
        if let Some((d, span)) = facts.date {
            note.date = Some(d);
            note.date_span = span;
            if let Some(nd) = name_date.filter(|nd| *nd != d) {
                diags.push(
                    Diagnostic::warning(
                        "date-mismatch",
                        rel,
                        span.line,
                        span.col,
                        format!("the note says {d} but the file name says {nd}; {d} is used"),
                    )
                    .with_help("correct whichever is wrong, or give the date in the front matter"),
                );
            }
        } else if let Some(d) = name_date.or_else(|| super::dates::month_day_from_path(rel)) {
            note.date = Some(d);
            note.date_span = Span::new(1, 1);
        }
    } else if let (Some(fm), Some(nd), true) = (note.date, name_date, has("date")) {
        if fm != nd {
            diags.push(
                Diagnostic::warning(
                    "date-mismatch",
                    rel,
                    note.date_span.line,
                    note.date_span.col,
                    format!("the front matter says {fm} but the file name says {nd}; {fm} is used"),
                )
                .with_help("correct whichever is wrong"),
            );
        }
    }
    if note.date.is_none() {
        diags.push(
            Diagnostic::error("no-date", rel, 1, 1, "no date found for this meeting")
                .with_help("add `date: YYYY-MM-DD` to the front matter, or name the file after the date (2022-01-05.md)"),
        );
    }
    if !has("time") {
        note.time = note.time.or(facts.time);
    }
    if !has("timezone") {
        note.timezone = note.timezone.take().or(facts.timezone);
    }
    if !has("title") {
        note.title = note.title.take().or(facts.title);
    }
    if !has("duration") {
        note.duration = note.duration.or(facts.duration);
    }
    if !has("location") {
        note.location = note.location.take().or(facts.location);
    }
    if !has("moderator") && !has("chair") {
        note.moderators = facts.moderators;
    }
    if !has("note_taker") {
        note.note_takers = facts.note_takers;
    }
    if !has("attendees") {
        note.attendees = facts.attendees;
    }
    if !has("regrets") {
        note.regrets = facts.regrets;
    }
    if !has("agenda") {
        note.agenda = facts.agenda;
    }
    if !has("outcomes") {
        note.outcomes = facts.outcomes;
    }
    if !has("actions") {
        note.actions
            .extend(facts.actions.into_iter().map(ActionEntry::Body));
    }
    note.actions
        .extend(facts.action_lines.into_iter().map(ActionEntry::New));
    if note.status.is_none() && facts.cancelled {
        note.status = Some(MeetingStatus::Cancelled);
    }
}

const GROUP_KEYS: &[&str] = &[
    "name",
    "chairs",
    "members",
    "quorum",
    "cadence",
    "charter",
    "description",
];

fn read_group(text: &str, rel: &str, strict: bool, meta: &mut GroupMeta) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let Ok(parts) = split(text) else {
        diags.push(unclosed_diagnostic(rel));
        return diags;
    };
    meta.body = parts.body.to_string();
    if !parts.has_front_matter {
        return diags;
    }
    let doc = match parse_yaml(rel, parts.yaml, parts.yaml_line) {
        Ok(d) => d,
        Err(d) => return vec![d],
    };
    let mut r = Reader::new(rel, parts.yaml, parts.yaml_line, strict);
    if let Value::Mapping(m) = &doc {
        for (k, v) in m {
            let key = k.as_str().unwrap_or("?");
            match key {
                "name" => meta.name = r.text(v, key),
                "chairs" => meta.chairs = r.people(v, key),
                "members" => meta.members = r.people(v, key),
                "cadence" => meta.cadence = r.text(v, key),
                "charter" => meta.charter = r.text(v, key),
                "description" => meta.description = r.text(v, key),
                "quorum" => match v.as_f64() {
                    Some(q) if q > 0.0 => meta.quorum = Some(q),
                    _ => {
                        let s = r.span(key);
                        r.diags.push(
                            Diagnostic::error(
                                "invalid-value",
                                rel,
                                s.line,
                                s.col,
                                "quorum must be a positive number",
                            )
                            .with_help("write a count (e.g. 3) or a fraction of members (e.g. 0.5)")
                            .downgraded(!strict),
                        );
                    }
                },
                _ => {
                    let s = r.span(key);
                    let help = nearest(key, GROUP_KEYS)
                        .map(|n| format!("did you mean `{n}`?"))
                        .unwrap_or_else(|| format!("known keys: {}", GROUP_KEYS.join(", ")));
                    r.diags.push(
                        Diagnostic::error(
                            "unknown-key",
                            rel,
                            s.line,
                            s.col,
                            format!("unknown key `{key}`"),
                        )
                        .with_help(help)
                        .downgraded(!strict),
                    );
                }
            }
        }
    }
    diags.append(&mut r.diags);
    diags
}

const PERSON_ENTRY_KEYS: &[&str] = &["name", "handle", "aliases", "affiliation", "email"];

/// Reads people.yaml: a list of people.
pub fn read_people(text: &str, rel: &str, strict: bool) -> (Vec<PersonEntry>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let doc = match parse_yaml(rel, text, 1) {
        Ok(d) => d,
        Err(mut d) => {
            d.message = d.message.replace("front matter", "people.yaml");
            return (Vec::new(), vec![d]);
        }
    };
    let seq = match doc {
        Value::Sequence(s) => s,
        Value::Null => return (Vec::new(), diags),
        _ => {
            diags.push(
                Diagnostic::error(
                    "invalid-people",
                    rel,
                    1,
                    1,
                    "people.yaml must be a list of people",
                )
                .with_help("write one `- name: Full Name` entry per person"),
            );
            return (Vec::new(), diags);
        }
    };
    let mut out = Vec::new();
    // One reader (and one index of positions) for the whole file.
    let mut r = Reader::new(rel, text, 1, strict);
    for (i, entry) in seq.iter().enumerate() {
        let at = format!("[{i}]");
        let span = r.span(&at);
        let Value::Mapping(m) = entry else {
            diags.push(Diagnostic::error(
                "invalid-people",
                rel,
                span.line,
                span.col,
                "each person must be a map with a `name`",
            ));
            continue;
        };
        for k in m.keys() {
            let k = k.as_str().unwrap_or("?");
            if !PERSON_ENTRY_KEYS.contains(&k) {
                let s = r.span(&format!("{at}.{k}"));
                let help = nearest(k, PERSON_ENTRY_KEYS)
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| format!("known keys: {}", PERSON_ENTRY_KEYS.join(", ")));
                diags.push(
                    Diagnostic::error(
                        "unknown-key",
                        rel,
                        s.line,
                        s.col,
                        format!("unknown key `{k}`"),
                    )
                    .with_help(help)
                    .downgraded(!strict),
                );
            }
        }
        let get = |r: &mut Reader, k: &str| m.get(k).and_then(|v| r.text(v, &format!("{at}.{k}")));
        let Some(name) = get(&mut r, "name") else {
            diags.push(
                Diagnostic::error(
                    "invalid-people",
                    rel,
                    span.line,
                    span.col,
                    "this person has no `name`",
                )
                .with_help("add `name: Full Name`"),
            );
            continue;
        };
        let aliases = m
            .get("aliases")
            .map(|a| {
                r.people(a, &format!("{at}.aliases"))
                    .into_iter()
                    .map(|p| p.name)
                    .collect()
            })
            .unwrap_or_default();
        out.push(PersonEntry {
            handle: get(&mut r, "handle").map(|h| h.trim_start_matches('@').to_string()),
            affiliation: get(&mut r, "affiliation"),
            email: get(&mut r, "email"),
            name,
            aliases,
            span,
        });
        diags.append(&mut r.diags);
    }
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note_text(date: &str, title: &str) -> String {
        format!("---\ndate: {date}\ntitle: {title}\n---\nNotes.\n")
    }

    fn paths_and_titles(c: &Corpus) -> Vec<(String, Option<String>)> {
        c.notes
            .iter()
            .map(|n| (n.path.clone(), n.title.clone()))
            .collect()
    }

    #[test]
    fn told_what_changed_a_load_equals_a_full_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let w = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w(
            "content/wg/2024/2024-01-02.md",
            &note_text("2024-01-02", "One"),
        );
        w(
            "content/wg/2024/2024-01-09.md",
            &note_text("2024-01-09", "Two"),
        );
        w("content/wg/2024-b.md", &note_text("2024-02-01", "Beside"));
        w(
            "content/tsc/2024-01-03.md",
            &note_text("2024-01-03", "Three"),
        );
        let config = SiteConfig::default();
        let mut cache = NoteCache::new();
        let (first, _) = load_site_cached(root, &config, &mut cache);
        assert_eq!(first.notes.len(), 4);

        // An edit, a new note sorting between others, a deletion, a note
        // starting with `_` (not a note), all reported by a watcher.
        w(
            "content/wg/2024/2024-01-09.md",
            &note_text("2024-01-09", "Two, edited"),
        );
        w(
            "content/wg/2024/2024-01-05.md",
            &note_text("2024-01-05", "New"),
        );
        w(
            "content/wg/2024/_draft.md",
            &note_text("2024-01-06", "Draft"),
        );
        std::fs::remove_file(root.join("content/tsc/2024-01-03.md")).unwrap();
        let changed = [
            "content/wg/2024/2024-01-09.md",
            "content/wg/2024/2024-01-05.md",
            "content/wg/2024/_draft.md",
            "content/tsc/2024-01-03.md",
        ];
        cache.expect_changes(changed.iter().map(|s| s.to_string()).collect());
        let (told, _) = load_site_cached(root, &config, &mut cache);
        assert_eq!(cache.misses, 2, "only the edited and the new note are read");
        let (full, _) = load_site(root, &config);
        assert_eq!(paths_and_titles(&told), paths_and_titles(&full));
        assert!(paths_and_titles(&told)
            .iter()
            .any(|(_, t)| t.as_deref() == Some("Two, edited")));

        // A folder removed: every note under it goes.
        std::fs::remove_dir_all(root.join("content/wg/2024")).unwrap();
        cache.expect_changes(vec!["content/wg/2024".into()]);
        let (told, _) = load_site_cached(root, &config, &mut cache);
        let (full, _) = load_site(root, &config);
        assert_eq!(paths_and_titles(&told), paths_and_titles(&full));
        assert_eq!(told.notes.len(), 1);

        // A folder added: walked.
        w(
            "content/wg/2025/2025-01-07.md",
            &note_text("2025-01-07", "Later"),
        );
        cache.expect_changes(vec!["content/wg/2025".into()]);
        let (told, _) = load_site_cached(root, &config, &mut cache);
        let (full, _) = load_site(root, &config);
        assert_eq!(paths_and_titles(&told), paths_and_titles(&full));
        assert_eq!(told.notes.len(), 2);
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("SIG Security!"), "sig-security");
        assert_eq!(slug("Ünïcode  name"), "unicode-name");
        assert_eq!(slug("Inès Laurent"), "ines-laurent");
        assert_eq!(slug("Łukasz"), "lukasz");
        assert!(slug("渡辺")
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-'));
        assert!(!slug("渡辺").is_empty());
    }

    #[test]
    fn decode_reports_line_of_bad_byte() {
        let (_, d) = decode(b"ok\nfine\nbad \xff here", "n.md", true);
        assert_eq!((d[0].line, d[0].col), (3, 5));
        assert!(d[0].is_error());
        let (_, d) = decode(b"\xff", "n.md", false);
        assert!(!d[0].is_error());
    }

    #[test]
    fn note_names() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        std::fs::write(p("2022 - August 30th"), "text").unwrap();
        std::fs::write(p("blob"), b"\x00\x01").unwrap();
        assert!(is_note_name(&p("2022-01-05.md")));
        assert!(is_note_name(&p("notes.TXT")));
        assert!(!is_note_name(&p("README.md")));
        assert!(!is_note_name(&p("_group.md")));
        assert!(!is_note_name(&p("image.png")));
        assert!(is_note_name(&p("2022 - August 30th")));
        assert!(!is_note_name(&p("blob")));
    }

    #[test]
    fn unclosed_and_empty() {
        let no = |_: &str| false;
        let (n, d) = read_note_text("---\ntitle: x\n", "g/a.md", "g", true, &no);
        assert!(n.is_empty());
        assert_eq!(d[0].code, "unclosed-front-matter");
        let (n, d) = read_note_text("", "g/2022-01-01.md", "g", true, &no);
        assert!(
            !n.is_empty(),
            "an empty note named by date is a placeholder meeting"
        );
        assert_eq!(d[0].code, "empty-note");
        let (_, d) = read_note_text("", "g/empty.md", "g", true, &no);
        assert_eq!(d[1].code, "no-date");
    }

    #[test]
    fn date_from_front_matter_beats_file_name() {
        let no = |_: &str| false;
        let (n, d) = read_note_text(
            "---\ndate: 2022-01-06\n---\n",
            "g/2022-01-05.md",
            "g",
            true,
            &no,
        );
        assert_eq!(n[0].date, chrono::NaiveDate::from_ymd_opt(2022, 1, 6));
        assert_eq!(d[0].code, "date-mismatch");
        assert_eq!(d[0].line, 2);
    }

    fn lines_of(text: &str) -> u32 {
        text.split('\n').count() as u32
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        #[test]
        fn any_text_reads_without_panic(text in "(---\r?\n)?(\\PC|[:\\-\\[\\]{}&*!|>'\"%@`#\n ]){0,400}") {
            let no = |_: &str| false;
            let (_, diags) = read_note_text(&text, "g/2022-01-05.md", "g", true, &no);
            for d in diags {
                proptest::prop_assert!(d.line >= 1 && d.line <= lines_of(&text), "{d:?} outside {} lines", lines_of(&text));
            }
        }

        #[test]
        fn any_front_matter_reads_without_panic(
            keys in proptest::collection::vec(
                ("(title|date|time|status|attendees|agenda|outcomes|actions|owner|task|ref|due|votes|[a-z]{1,6})",
                 "( |  |    )(- )?([a-z0-9:@&*\\[\\]{},. -]{0,20})"),
                0..20),
        ) {
            let mut text = String::from("---\n");
            for (k, v) in &keys {
                text.push_str(&format!("{k}:{v}\n"));
            }
            text.push_str("---\nbody\n");
            let no = |_: &str| false;
            let (_, diags) = read_note_text(&text, "g/x.md", "g", true, &no);
            for d in diags {
                proptest::prop_assert!(d.line >= 1 && d.line <= lines_of(&text), "{d:?}");
            }
        }

        #[test]
        fn any_bytes_decode_without_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let (text, diags) = decode(&bytes, "g/x.md", true);
            for d in &diags {
                proptest::prop_assert!(d.line >= 1 && d.line <= lines_of(&text));
            }
            let no = |_: &str| false;
            let _ = read_note_text(&text, "g/x.md", "g", false, &no);
        }
    }
}
