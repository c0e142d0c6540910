//! Walks a site's content: people.yaml, each group's folder and `_group.md`,
//! and every note (in parallel), into a [`Corpus`].

mod cache;
mod files;
mod group;
mod notes;
#[cfg(test)]
mod tests;
mod years;

pub(crate) use cache::NoteCache;
pub(crate) use group::read_people;
pub(crate) use notes::decode;
pub use notes::read_note_text;

use files::{is_note_name, non_utf8_name, not_a_file, rel_path, relist, NoteFile};
use group::read_group;
use notes::{read_note, NoteRead};

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Corpus, GroupMeta, GroupSource, PersonEntry};
use crate::text::{fold, slug};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A group to read, as quorum.toml and the folders under content/ give it.
struct GroupPlan {
    key: String,
    /// Its folder, relative to the site root.
    dir: String,
    /// Its name in quorum.toml.
    name: Option<String>,
    strict: bool,
    /// Globs of files that are not notes.
    exclude: Vec<String>,
    /// `[groups.<key>] split`, when set (else `_group.md`'s, else `[site] split`).
    split: Option<bool>,
}

/// Reads the whole site under `root`.
pub(crate) fn load_site(root: &Path, config: &SiteConfig) -> (Corpus, Vec<Diagnostic>) {
    load_site_with(root, config, None)
}

/// Reads the whole site under `root` like [`load_site`], reusing the notes
/// in `cache` whose files did not change (same path, size and modification
/// time, or else the same bytes) and keeping the notes read for next time.
/// The result is the same as [`load_site`]'s.
pub(crate) fn load_site_cached(
    root: &Path,
    config: &SiteConfig,
    cache: &mut NoteCache,
) -> (Corpus, Vec<Diagnostic>) {
    load_site_with(root, config, Some(cache))
}

/// A stable hash of the groups to read (what the listing of note files depends on).
fn hash_plan(groups: &[GroupPlan]) -> u64 {
    let mut h = crate::cache::StableHasher::new();
    for g in groups {
        h.str(&g.key)
            .str(&g.dir)
            .str(g.name.as_deref().unwrap_or("\0"));
        let split = match g.split {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        };
        h.u64(u64::from(g.strict) + 2 * u64::from(g.name.is_some()) + 4 * split);
        h.u64(g.exclude.len() as u64);
        for e in &g.exclude {
            h.str(e);
        }
    }
    h.finish()
}

/// Reads the site: people.yaml, the groups' folders and `_group.md`, then
/// every note, through `cache` when there is one.
fn load_site_with(
    root: &Path,
    config: &SiteConfig,
    cache: Option<&mut NoteCache>,
) -> (Corpus, Vec<Diagnostic>) {
    let mut l = Loader::new(root, config);
    l.read_people_file();
    let groups = l.plan_groups();
    let plan_hash = hash_plan(&groups);
    let mut cache = cache;
    let previous = cache
        .as_deref_mut()
        .and_then(|c| c.take_listing(root, plan_hash));
    let mut files = Vec::new();
    for g in &groups {
        files.extend(l.group_files(g, previous.as_ref()));
    }
    let known = known_names(&l.corpus.people);
    let is_person = |n: &str| known.contains(&fold(n));
    l.corpus.files = files.len();
    let max = config.max_file_size;
    let results = match cache {
        Some(c) => {
            c.prepare(&files, plan_hash, context_hash(&known, max));
            match c.take_all(&files) {
                Some(results) => results,
                None => c.read_all(&files, max, &is_person),
            }
        }
        None => files
            .par_iter()
            .map(|f| read_note(f, max, &is_person))
            .collect(),
    };
    l.absorb(&files, results);
    years::settle(&files, &mut l.corpus, &mut l.diags);
    (l.corpus, l.diags)
}

/// Every name, alias and handle people.yaml makes known, folded.
fn known_names(people: &[PersonEntry]) -> HashSet<String> {
    people
        .iter()
        .flat_map(|p| {
            std::iter::once(p.name.clone())
                .chain(p.aliases.iter().cloned())
                .chain(p.handle.iter().map(|h| format!("@{h}")))
                .chain(p.handle.iter().cloned())
        })
        .map(|n| fold(&n))
        .collect()
}

/// A stable hash of what reading a note depends on besides its bytes.
fn context_hash(known: &HashSet<String>, max_file_size: u64) -> u64 {
    let mut names: Vec<&String> = known.iter().collect();
    names.sort();
    let mut h = crate::cache::StableHasher::new();
    for n in &names {
        h.str(n);
    }
    h.u64(max_file_size);
    h.finish()
}

/// One load's state: what was read so far and the problems found.
struct Loader<'a> {
    root: &'a Path,
    /// The root's real place: links are followed only while they stay inside it.
    real_root: PathBuf,
    config: &'a SiteConfig,
    corpus: Corpus,
    diags: Vec<Diagnostic>,
}

impl<'a> Loader<'a> {
    fn new(root: &'a Path, config: &'a SiteConfig) -> Self {
        Loader {
            root,
            real_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            config,
            corpus: Corpus::default(),
            diags: Vec::new(),
        }
    }

    /// The real place of `path` when a link takes it out of the site root:
    /// then an error naming both is recorded and `rel` counts as failed.
    fn leaves_root(&mut self, path: &Path, rel: &str) -> bool {
        match crate::paths::outside(&self.real_root, path) {
            Some(real) => {
                let d = crate::paths::outside_diagnostic(&self.real_root, rel, &real);
                self.diags.push(d);
                self.corpus.failed.insert(rel.to_string());
                true
            }
            None => false,
        }
    }

    /// A file's text, decoded, or the error reading it.
    fn read_text(&mut self, path: &Path, rel: &str, strict: bool) -> std::io::Result<String> {
        let bytes = std::fs::read(path)?;
        let (text, mut d) = decode(&bytes, rel, strict);
        self.diags.append(&mut d);
        Ok(text)
    }

    /// Records that file `rel` cannot be read.
    fn unreadable(&mut self, rel: &str, message: String) {
        self.diags
            .push(Diagnostic::error(Code::UnreadableFile, rel, 1, 1, message));
    }

    /// Takes the problems of reading file `rel`; an error marks it failed.
    fn take(&mut self, rel: &str, mut d: Vec<Diagnostic>) {
        if d.iter().any(Diagnostic::is_error) {
            self.corpus.failed.insert(rel.to_string());
        }
        self.diags.append(&mut d);
    }

    fn read_people_file(&mut self) {
        let content = self.config.content.trim_end_matches('/');
        let rel = format!("{content}/people.yaml");
        let path = self.root.join(&rel);
        if self.leaves_root(&path, &rel) || !path.exists() {
            return;
        }
        let strict = self.config.strict;
        match self.read_text(&path, &rel, strict) {
            Ok(text) => {
                let (people, d) = read_people(&text, &rel, strict);
                self.take(&rel, d);
                self.corpus.people = people;
            }
            Err(e) => {
                self.unreadable(&rel, format!("cannot read {}: {e}", path.display()));
                self.corpus.failed.insert(rel);
            }
        }
    }

    /// The groups to read: those configured in quorum.toml, then the other
    /// folders under content/, sorted by key, keys made unique.
    fn plan_groups(&mut self) -> Vec<GroupPlan> {
        let config = self.config;
        let mut groups: Vec<GroupPlan> = Vec::new();
        let mut seen_dirs = HashSet::new();
        for (key, gc) in &config.groups {
            let dir = config.group_dir(key);
            seen_dirs.insert(dir.clone());
            groups.push(GroupPlan {
                key: slug(key),
                dir,
                name: gc.name.clone(),
                strict: gc.strict.unwrap_or(config.strict),
                exclude: gc.exclude.clone(),
                split: gc.split,
            });
        }
        let content = self.root.join(&config.content);
        if let Ok(rd) = std::fs::read_dir(&content) {
            for name in self.folder_names(rd) {
                let dir = format!("{}/{name}", config.content.trim_end_matches('/'));
                if seen_dirs.contains(&dir) || config.group_dirs().contains(&dir) {
                    continue;
                }
                groups.push(GroupPlan {
                    key: slug(&name),
                    dir,
                    name: None,
                    strict: config.strict,
                    exclude: Vec::new(),
                    split: None,
                });
            }
        } else if config.groups.values().any(|g| g.path.is_none()) || config.groups.is_empty() {
            // An error, not a warning: a build would publish an empty site over the last one.
            self.diags.push(
                Diagnostic::error(Code::NoContent, "quorum.toml", 1, 1, format!("there is no `{}` folder ({})", config.content, content.display()))
                    .with_help("put one folder per group under it, or map notes folders with [groups.<key>] path = …"),
            );
        }
        groups.sort_by(|a, b| a.key.cmp(&b.key));
        let mut keys = HashSet::new();
        for g in &mut groups {
            let base = g.key.clone();
            let mut n = 2;
            while !keys.insert(g.key.clone()) {
                g.key = format!("{base}-{n}");
                n += 1;
            }
        }
        groups
    }

    /// The names of the group folders in content/ (linked ones too: their
    /// real place is checked later), sorted; hidden and `_` ones left out.
    fn folder_names(&mut self, rd: std::fs::ReadDir) -> Vec<String> {
        let mut dirs: Vec<String> = rd
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| match e.file_name().to_str() {
                Some(n) => Some(String::from(n)),
                None => {
                    let d = non_utf8_name(self.root, &e.path(), self.config.strict);
                    self.diags.push(d);
                    None
                }
            })
            .filter(|n| !n.starts_with(['.', '_']))
            .collect();
        dirs.sort();
        dirs
    }

    /// Group `g`'s note files, its `_group.md` read on the way: walked, or
    /// taken from `previous` (the last listing and the changed paths).
    fn group_files(
        &mut self,
        g: &GroupPlan,
        previous: Option<&(Vec<NoteFile>, HashSet<String>)>,
    ) -> Vec<NoteFile> {
        let GroupPlan {
            key,
            dir,
            name: config_name,
            strict,
            exclude,
            ..
        } = g;
        let abs = self.root.join(dir);
        if self.leaves_root(&abs, dir) {
            return Vec::new();
        }
        if !abs.is_dir() {
            self.diags.push(Diagnostic::error(
                Code::MissingGroupFolder,
                "quorum.toml",
                1,
                1,
                format!("group `{key}`: folder `{dir}` does not exist"),
            ));
            return Vec::new();
        }
        let mut gb = globset::GlobSetBuilder::new();
        for g in exclude {
            if let Ok(glob) = globset::Glob::new(g) {
                gb.add(glob);
            }
        }
        let excluded = gb.build().unwrap_or_else(|_| globset::GlobSet::empty());
        let meta = self.read_group_file(&abs, dir, *strict);
        let how = files::HowRead {
            strict: *strict,
            split: g.split.or(meta.split).unwrap_or(self.config.site.split),
        };
        self.corpus.groups.push(GroupSource {
            key: key.clone(),
            dir: dir.clone(),
            config_name: config_name.clone(),
            meta,
        });
        match previous {
            Some((listed, changed)) => relist(listed, changed, self.root, key, dir, how, &excluded),
            None => self.walk_group(&abs, key, dir, how, &excluded),
        }
    }

    /// What the group's `_group.md` says, when it has one.
    fn read_group_file(&mut self, abs: &Path, dir: &str, strict: bool) -> GroupMeta {
        let mut meta = GroupMeta::default();
        let path = abs.join("_group.md");
        let rel = format!("{dir}/_group.md");
        if self.leaves_root(&path, &rel) || !path.is_file() {
            return meta;
        }
        match self.read_text(&path, &rel, strict) {
            Ok(text) => {
                let d = read_group(&text, &rel, strict, &mut meta);
                self.take(&rel, d);
                meta.path = Some(PathBuf::from(&rel));
            }
            Err(e) => self.unreadable(&rel, format!("cannot read: {e}")),
        }
        meta
    }

    /// Walks a group's folder for note files, in file-name order; links are
    /// followed while they stay in the site root.
    fn walk_group(
        &mut self,
        abs: &Path,
        key: &str,
        dir: &str,
        how: files::HowRead,
        excluded: &globset::GlobSet,
    ) -> Vec<NoteFile> {
        let strict = how.strict;
        let mut files = Vec::new();
        let mut walker = walkdir::WalkDir::new(abs)
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
                        .map_or_else(|| dir.to_string(), |p| rel_path(self.root, p));
                    self.unreadable(&p, format!("cannot read: {e}"));
                    self.corpus.failed.insert(p);
                    continue;
                }
            };
            let is_dir = entry.file_type().is_dir();
            let linked_out = entry.depth() > 0
                && entry.path_is_symlink()
                && self.leaves_root(entry.path(), &rel_path(self.root, entry.path()));
            if linked_out || entry.file_name().to_str().is_none() {
                if !linked_out {
                    self.diags
                        .push(non_utf8_name(self.root, entry.path(), strict));
                }
                if is_dir {
                    walker.skip_current_dir();
                }
                continue;
            }
            let within = entry.path().strip_prefix(abs).unwrap_or(entry.path());
            if is_dir || excluded.is_match(within) {
                continue;
            }
            if !entry.file_type().is_file() {
                self.diags.push(not_a_file(self.root, entry.path()));
                continue;
            }
            if is_note_name(entry.path()) {
                files.push(NoteFile {
                    abs: entry.path().to_path_buf(),
                    rel: rel_path(self.root, entry.path()),
                    group: key.to_string(),
                    how,
                    unchanged: false,
                });
            }
        }
        files
    }

    /// Takes the notes read from `files`, with their problems.
    fn absorb(&mut self, files: &[NoteFile], results: Vec<NoteRead>) {
        for (f, (note, d)) in files.iter().zip(results) {
            self.take(&f.rel, d);
            self.corpus.notes.extend(note);
        }
    }
}
