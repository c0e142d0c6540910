//! Writing a rendered site to disk, all or nothing, published at once.
//!
//! The whole site is rendered (and every note checked) before anything is
//! written, so bad input never touches the output. The new site is then
//! made in a spare tree beside the output folder (`.<name>.quorum/site`,
//! see [`publish`]) and exchanged with the output folder in one atomic
//! rename: at every moment the output path names the whole previous site or
//! the whole new one, and no temporary file is ever inside it. A lock file
//! (`.<name>.quorum/lock`) makes a second build into the same folder wait.
//!
//! - With a record ([`write_site_with`]): the spare tree is the site before
//!   the previous one, and its record says what each of its files is (hash,
//!   size, time); only the files that differ are written there (each as a
//!   new file renamed over the old name), and what the new site no longer
//!   has is removed. When the spare tree has no record (the first builds,
//!   or a build killed half way, which forgets it before touching it), it
//!   is made again, hard-linking every unchanged file from the published
//!   site. On a 10k-meeting site most builds change few of 36,000 files.
//! - Without ([`write_site`], `--no-cache`): the spare tree is made whole
//!   and, once exchanged, the previous site is removed.
//!
//! An existing non-empty folder without the `.quorum` marker is never
//! replaced: it is not a site quorum wrote. Leftovers of builds killed by
//! older versions (`.<name>.quorum-tmp-*`, `.<name>.quorum-old-*` folders
//! holding the marker) are removed by the next build.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

mod publish;

/// One file of the rendered site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, forward slashes (`groups/x/index.html`).
    pub path: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// The file that marks a folder as quorum's output.
pub const MARKER: &str = ".quorum";

/// Why the site could not be written.
#[derive(Debug)]
pub enum OutputError {
    /// `out_dir` holds files and no `.quorum` marker: quorum will not replace it.
    Foreign(PathBuf),
    /// An output path that would leave the output folder.
    BadPath(String),
    /// Two output paths where one would be a file and also a folder of the other.
    Clash(String, String),
    /// A file-system call failed on `path`.
    Io {
        /// The path the call was about.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::Foreign(p) => write!(
                f,
                "{} is not empty and was not written by quorum (it has no {MARKER} file); \
                 refusing to replace it: choose another --out folder, or empty or remove this one",
                p.display()
            ),
            OutputError::BadPath(p) => write!(f, "output path `{p}` leaves the output folder"),
            OutputError::Clash(file, inside) => write!(
                f,
                "output path `{file}` is a file, but `{inside}` would put a folder there"
            ),
            OutputError::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `files` as the new contents of `out_dir`, published in one
/// atomic rename. See the module docs. (No record is kept: the spare tree
/// is removed once the new site is in place.)
pub fn write_site(out_dir: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    publish_site(out_dir, files, None).map(|_| ())
}

/// What one file was when quorum last wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Written {
    len: u64,
    modified: Option<std::time::SystemTime>,
    hash: u128,
}

/// The record of one tree quorum wrote: each file's hash and its size and
/// time on disk.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    files: HashMap<String, Written>,
}

/// The records of the trees of one output folder (the published one and
/// the spare), each under its folder's device and inode, which renames
/// keep. Kept in the site's `.quorum-cache/`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Records {
    trees: Vec<((u64, u64), Manifest)>,
}

impl Records {
    fn take(&mut self, id: Option<(u64, u64)>) -> Option<Manifest> {
        let i = self.trees.iter().position(|(t, _)| Some(*t) == id)?;
        Some(self.trees.swap_remove(i).1)
    }
    fn get(&self, id: Option<(u64, u64)>) -> Option<&Manifest> {
        self.trees
            .iter()
            .find(|(t, _)| Some(*t) == id)
            .map(|(_, m)| m)
    }
}

const MANIFEST_HEADER: &str = concat!(
    "quorum-output-manifest 2 ",
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("QUORUM_BUILD_ID"),
    "\n"
);

/// How a write went, against the site it replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteStats {
    /// Files new or changed.
    pub written: usize,
    /// Files whose bytes were already there.
    pub unchanged: usize,
    /// Files removed because the new site no longer has them.
    pub removed: usize,
}

/// Writes `files` as the new contents of `out_dir` like [`write_site`],
/// keeping `manifest` (a file under the site's `.quorum-cache/`) as the
/// record of the trees written, so that the next build writes only what
/// changed. See the module docs.
pub fn write_site_with(
    out_dir: &Path,
    files: &[OutputFile],
    manifest: &Path,
) -> Result<WriteStats, OutputError> {
    publish_site(out_dir, files, Some(manifest))
}

fn publish_site(
    out_dir: &Path,
    files: &[OutputFile],
    manifest: Option<&Path>,
) -> Result<WriteStats, OutputError> {
    use rayon::prelude::*;
    check_paths(files)?;
    check_replaceable(out_dir)?;
    let place = publish::Place::of(out_dir)?;
    let _lock = publish::lock(&place)?;
    // Again: another build may have written there while this one waited.
    check_replaceable(out_dir)?;
    place.clean_leftovers();
    let hashes: Vec<u128> = files
        .par_iter()
        .map(|f| xxhash_rust::xxh3::xxh3_128(&f.bytes))
        .collect();
    let mut records: Records = manifest
        .and_then(|m| crate::cache::read(m, MANIFEST_HEADER))
        .unwrap_or_default();
    let live_id = publish::tree_id(out_dir).filter(|_| out_dir.join(MARKER).is_file());
    let spare_rec = records.take(publish::tree_id(&place.spare));
    records.trees.retain(|(id, _)| Some(*id) == live_id);
    let live = records.get(live_id).cloned();
    if let Some(m) = manifest {
        // Forget the spare tree before touching it: if this build stops
        // half way, the next one makes it again.
        if spare_rec.is_some() {
            let _ = crate::cache::write(m, MANIFEST_HEADER, &records);
        }
    }
    let stats = stats_against(live.as_ref(), files, &hashes);
    let stamps = match spare_rec.filter(|m| same_shape(m, files)) {
        Some(old) if place.spare.join(MARKER).is_file() => {
            update(&place.spare, files, &hashes, &old)?.1
        }
        _ => {
            if fs::symlink_metadata(&place.spare).is_ok() {
                remove_tree(&place.spare).map_err(io_err(&place.spare))?;
            }
            let from = live.as_ref().map(|m| (out_dir, m));
            write_all(&place.spare, files, &hashes, from)?
        }
    };
    if let (Some(m), Some(id)) = (manifest, publish::tree_id(&place.spare)) {
        let record = Manifest {
            files: files
                .iter()
                .zip(&hashes)
                .zip(stamps)
                .map(|((f, &hash), (len, modified))| {
                    let w = Written {
                        len,
                        modified,
                        hash,
                    };
                    (f.path.clone(), w)
                })
                .collect(),
        };
        records.trees.push((id, record));
        // A record that cannot be saved only costs time next build.
        let _ = crate::cache::write(m, MANIFEST_HEADER, &records);
    }
    publish::swap(&place.spare, out_dir)?;
    if manifest.is_none() && fs::symlink_metadata(&place.spare).is_ok() {
        // No record of the previous site: it would be written again anyway.
        remove_tree(&place.spare).map_err(io_err(&place.spare))?;
    }
    Ok(stats)
}

/// How the new files compare with the published site's record (all
/// written when there is none).
fn stats_against(live: Option<&Manifest>, files: &[OutputFile], hashes: &[u128]) -> WriteStats {
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
type Stamps = Vec<(u64, Option<std::time::SystemTime>)>;

/// Whether the new files fit the old folder's shape: no new file where a
/// folder was, and no new folder where a file was. (Otherwise replace it.)
fn same_shape(old: &Manifest, files: &[OutputFile]) -> bool {
    let old_dirs: HashSet<&str> = old.files.keys().flat_map(|p| ancestors(p)).collect();
    !files.iter().any(|f| {
        old_dirs.contains(f.path.as_str()) || ancestors(&f.path).any(|d| old.files.contains_key(d))
    })
}

/// The folders above `path` (`a/b/c` gives `a/b`, then `a`).
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut rest = path;
    std::iter::from_fn(move || {
        let cut = rest.rfind('/')?;
        rest = &rest[..cut];
        Some(rest)
    })
}

fn stamp(meta: &fs::Metadata) -> (u64, Option<std::time::SystemTime>) {
    (meta.len(), meta.modified().ok())
}

/// Writes `bytes` to a new file at `path`; its size and time as written.
fn write_file(
    path: &Path,
    bytes: &[u8],
) -> Result<(u64, Option<std::time::SystemTime>), OutputError> {
    let mut file = fs::File::create(path).map_err(io_err(path))?;
    io::Write::write_all(&mut file, bytes).map_err(io_err(path))?;
    Ok(stamp(&file.metadata().map_err(io_err(path))?))
}

/// The hidden file a changed file is written to before it is renamed over its target.
fn staging_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.quorum-new"))
}

/// Updates `out_dir` in place after `old`. See the module docs.
fn update(
    out_dir: &Path,
    files: &[OutputFile],
    hashes: &[u128],
    old: &Manifest,
) -> Result<(WriteStats, Stamps), OutputError> {
    use rayon::prelude::*;
    // Which files differ from what is on disk.
    let current: Vec<Option<(u64, Option<std::time::SystemTime>)>> = files
        .par_iter()
        .zip(hashes)
        .map(|(f, &hash)| {
            let was = old.files.get(&f.path)?;
            let meta = fs::symlink_metadata(out_dir.join(&f.path)).ok()?;
            let (len, modified) = stamp(&meta);
            let same = meta.is_file()
                && was.hash == hash
                && was.len == len
                && was.modified.is_some()
                && was.modified == modified;
            same.then_some((len, modified))
        })
        .collect();
    let changed: Vec<usize> = (0..files.len()).filter(|&i| current[i].is_none()).collect();

    // New folders, parents first; remembered so that a failure removes them.
    let old_dirs: HashSet<&str> = old.files.keys().flat_map(|p| ancestors(p)).collect();
    let new_dirs: std::collections::BTreeSet<&str> = changed
        .iter()
        .flat_map(|&i| ancestors(&files[i].path))
        .filter(|d| !old_dirs.contains(d))
        .collect();
    let mut made = Vec::new();
    let undo = |made: &[PathBuf], staged: &[PathBuf]| {
        for p in staged {
            let _ = fs::remove_file(p);
        }
        for d in made.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    };
    for d in &new_dirs {
        let dir = out_dir.join(d);
        match fs::create_dir(&dir) {
            Ok(()) => made.push(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(e) => {
                undo(&made, &[]);
                return Err(OutputError::Io {
                    path: dir,
                    source: e,
                });
            }
        }
    }
    // Phase 1: write each changed file beside its target.
    let staged: Result<Vec<(PathBuf, u64, Option<std::time::SystemTime>)>, OutputError> = changed
        .par_iter()
        .map(|&i| {
            let target = out_dir.join(&files[i].path);
            let stage = staging_path(&target);
            let (len, modified) = write_file(&stage, &files[i].bytes)?;
            Ok((stage, len, modified))
        })
        .collect();
    let staged = match staged {
        Ok(s) => s,
        Err(e) => {
            let paths: Vec<PathBuf> = changed
                .iter()
                .map(|&i| staging_path(&out_dir.join(&files[i].path)))
                .collect();
            undo(&made, &paths);
            return Err(e);
        }
    };
    // Phase 2: rename them over their targets.
    changed
        .par_iter()
        .zip(&staged)
        .try_for_each(|(&i, (stage, _, _))| {
            let target = out_dir.join(&files[i].path);
            fs::rename(stage, &target).map_err(io_err(&target))
        })?;
    // Phase 3: remove what the new site no longer has, and folders left empty.
    let new_files: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let gone: Vec<&String> = old
        .files
        .keys()
        .filter(|p| !new_files.contains(p.as_str()))
        .collect();
    gone.par_iter().for_each(|p| {
        let _ = fs::remove_file(out_dir.join(p));
    });
    let new_dirs_all: HashSet<&str> = files.iter().flat_map(|f| ancestors(&f.path)).collect();
    let mut empty: Vec<&str> = gone
        .iter()
        .flat_map(|p| ancestors(p))
        .filter(|d| !new_dirs_all.contains(d))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    // Deepest first, so a folder is empty by the time it is removed.
    empty.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for d in empty {
        let _ = fs::remove_dir(out_dir.join(d));
    }
    let mut stamps: Stamps = Vec::with_capacity(files.len());
    let mut fresh = staged.iter();
    for c in &current {
        match c {
            Some(s) => stamps.push(*s),
            None => {
                let (_, len, modified) = fresh.next().ok_or_else(|| OutputError::Io {
                    path: out_dir.to_path_buf(),
                    source: io::Error::other("lost track of a written file"),
                })?;
                stamps.push((*len, *modified));
            }
        }
    }
    let stats = WriteStats {
        written: changed.len(),
        unchanged: files.len() - changed.len(),
        removed: gone.len(),
    };
    Ok((stats, stamps))
}

/// Err for a path that would leave the output folder, or a path that is
/// both a file and a folder of another file.
fn check_paths(files: &[OutputFile]) -> Result<(), OutputError> {
    for f in files {
        let rel = Path::new(&f.path);
        if f.path.is_empty() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(OutputError::BadPath(f.path.clone()));
        }
    }
    let all: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for f in files {
        if let Some(d) = ancestors(&f.path).find(|d| all.contains(d)) {
            return Err(OutputError::Clash(d.to_string(), f.path.clone()));
        }
    }
    Ok(())
}

/// Err when `out_dir` exists and is a file, or a non-empty folder without the marker.
fn check_replaceable(out_dir: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(out_dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(OutputError::Io {
            path: out_dir.to_path_buf(),
            source: e,
        }),
        Ok(meta) if !meta.is_dir() => Err(OutputError::Foreign(out_dir.to_path_buf())),
        Ok(_) => {
            if out_dir.join(MARKER).is_file() {
                return Ok(());
            }
            let mut entries = fs::read_dir(out_dir).map_err(io_err(out_dir))?;
            if entries.next().is_none() {
                Ok(())
            } else {
                Err(OutputError::Foreign(out_dir.to_path_buf()))
            }
        }
    }
}

/// Writes a new tree at `tmp` holding `files`. With `from` (the published
/// folder and its record), a file whose bytes are already there (same hash,
/// and its size and time as recorded) is hard-linked from it instead of
/// written: the two trees then share it, and neither is ever written into
/// in place (a changed file is always a new file renamed over the old name).
fn write_all(
    tmp: &Path,
    files: &[OutputFile],
    hashes: &[u128],
    from: Option<(&Path, &Manifest)>,
) -> Result<Stamps, OutputError> {
    use rayon::prelude::*;
    fs::create_dir_all(tmp).map_err(io_err(tmp))?;
    let marker = tmp.join(MARKER);
    fs::write(
        &marker,
        b"written by quorum; the next build replaces this folder\n",
    )
    .map_err(io_err(&marker))?;
    // Each folder once (parents first), then the files in parallel.
    let dirs: std::collections::BTreeSet<&Path> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent())
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    for d in dirs {
        let dir = tmp.join(d);
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    }
    files
        .par_iter()
        .zip(hashes)
        .map(|(f, &hash)| {
            let target = tmp.join(&f.path);
            if let Some((out, m)) = from {
                if let Some(s) =
                    link_unchanged(&out.join(&f.path), &target, m.files.get(&f.path), hash)
                {
                    return Ok(s);
                }
            }
            write_file(&target, &f.bytes)
        })
        .collect()
}

/// Hard-links `src` at `target` when `src` still is the file recorded as
/// `was` with bytes hashing to `hash`; its size and time.
fn link_unchanged(
    src: &Path,
    target: &Path,
    was: Option<&Written>,
    hash: u128,
) -> Option<(u64, Option<std::time::SystemTime>)> {
    let was = was.filter(|w| w.hash == hash && w.modified.is_some())?;
    let meta = fs::symlink_metadata(src).ok()?;
    let s = stamp(&meta);
    if !meta.is_file() || s != (was.len, was.modified) {
        return None;
    }
    fs::hard_link(src, target).ok()?;
    Some(s)
}

/// Removes a folder tree, its top-level entries in parallel.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.par_iter().try_for_each(|p| {
        if p.is_dir() && !p.is_symlink() {
            remove_tree(p)
        } else {
            fs::remove_file(p)
        }
    })?;
    fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, s: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_then_replaces_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[file("index.html", "one"), file("a/b/index.html", "b")],
        )
        .unwrap();
        assert_eq!(fs::read_to_string(out.join("a/b/index.html")).unwrap(), "b");
        assert!(out.join(MARKER).is_file());
        write_site(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a").exists());
        assert_eq!(beside(dir.path()), ["public"]);
    }

    #[test]
    fn refuses_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("precious.txt"), "mine").unwrap();
        let err = write_site(&out, &[file("index.html", "x")]).unwrap_err();
        assert!(matches!(err, OutputError::Foreign(_)));
        assert!(err.to_string().contains("not written by quorum"), "{err}");
        assert_eq!(
            fs::read_to_string(out.join("precious.txt")).unwrap(),
            "mine"
        );
        assert_eq!(beside(dir.path()), ["docs"]);
    }

    #[test]
    fn empty_folder_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        write_site(&out, &[file("index.html", "x")]).unwrap();
        assert!(out.join("index.html").is_file());
    }

    #[test]
    fn failure_leaves_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "old")]).unwrap();
        // A file and a folder at the same path: the second write fails.
        let err = write_site(
            &out,
            &[file("index.html", "new"), file("x", "f"), file("x/y", "g")],
        )
        .unwrap_err();
        assert!(matches!(err, OutputError::Clash(..)), "{err}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        let err = write_site(&out, &[file("../escape", "x")]).unwrap_err();
        assert!(matches!(err, OutputError::BadPath(_)));
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(beside(dir.path()), ["public"]);
    }

    fn manifest_in(dir: &Path) -> PathBuf {
        dir.join("cache/output.bin")
    }

    fn inode(p: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(p).unwrap().ino()
    }

    #[test]
    fn updates_in_place_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = manifest_in(dir.path());
        let first = [
            file("index.html", "home"),
            file("a/index.html", "a"),
            file("gone/deep/index.html", "old page"),
            file("b/index.html", "b"),
        ];
        let s = write_site_with(&out, &first, &m).unwrap();
        assert_eq!(s.written, 4);
        let (home, b) = (
            inode(&out.join("index.html")),
            inode(&out.join("b/index.html")),
        );
        let second = [
            file("index.html", "home"),
            file("a/index.html", "a, edited"),
            file("b/index.html", "b"),
            file("c/d/index.html", "new"),
        ];
        let s = write_site_with(&out, &second, &m).unwrap();
        assert_eq!(
            s,
            WriteStats {
                written: 2,
                unchanged: 2,
                removed: 1
            }
        );
        // Unchanged files are the same files on disk; changed ones have their new bytes.
        assert_eq!(inode(&out.join("index.html")), home);
        assert_eq!(inode(&out.join("b/index.html")), b);
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a, edited"
        );
        assert_eq!(
            fs::read_to_string(out.join("c/d/index.html")).unwrap(),
            "new"
        );
        // What the site no longer has is gone, with the folders it leaves empty.
        assert!(!out.join("gone").exists());
        // No staging files and nothing beside the output folder.
        let mut names: Vec<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| {
                e.unwrap()
                    .path()
                    .strip_prefix(&out)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "",
                ".quorum",
                "a",
                "a/index.html",
                "b",
                "b/index.html",
                "c",
                "c/d",
                "c/d/index.html",
                "index.html"
            ]
        );
        assert_eq!(beside(dir.path()), ["cache", "public"]);
    }

    #[test]
    fn a_file_changed_by_hand_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = manifest_in(dir.path());
        let files = [file("index.html", "home"), file("a/index.html", "a")];
        write_site_with(&out, &files, &m).unwrap();
        fs::write(out.join("a/index.html"), "vandalised").unwrap();
        fs::remove_file(out.join("index.html")).unwrap();
        write_site_with(&out, &files, &m).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "a");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home");
    }

    #[test]
    fn a_record_of_another_folder_or_a_missing_one_replaces_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let (one, two) = (dir.path().join("one"), dir.path().join("two"));
        let m = manifest_in(dir.path());
        write_site_with(&one, &[file("index.html", "x")], &m).unwrap();
        write_site_with(&two, &[file("index.html", "x"), file("stray", "s")], &m).unwrap();
        // The record is two's now: one is replaced whole, and stays right.
        let s = write_site_with(&one, &[file("index.html", "y")], &m).unwrap();
        assert_eq!(s.written, 1);
        assert_eq!(fs::read_to_string(one.join("index.html")).unwrap(), "y");
        assert_eq!(fs::read_to_string(two.join("stray")).unwrap(), "s");
        fs::remove_file(&m).unwrap();
        let s = write_site_with(&two, &[file("index.html", "x")], &m).unwrap();
        assert_eq!((s.written, s.unchanged), (1, 0));
        assert!(!two.join("stray").exists());
    }

    #[test]
    fn a_file_put_where_a_folder_goes_does_not_stop_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = manifest_in(dir.path());
        let first = [file("index.html", "old"), file("a/index.html", "a")];
        write_site_with(&out, &first, &m).unwrap();
        write_site_with(&out, &first, &m).unwrap();
        // A file put there by hand where the new site needs a folder: the
        // new site is made beside it, and replaces the folder whole.
        fs::write(out.join("x"), "stray").unwrap();
        let second = [file("index.html", "new"), file("x/y/index.html", "z")];
        write_site_with(&out, &second, &m).unwrap();
        let want: Vec<(String, Option<String>)> = [
            (".quorum", None),
            ("index.html", Some("new")),
            ("x", None),
            ("x/y", None),
            ("x/y/index.html", Some("z")),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_string(), t.map(String::from)))
        .collect();
        assert_eq!(tree(&out), want);
        assert_eq!(beside(dir.path()), ["cache", "public"]);
    }

    /// Every path under `dir` with the text of each file (`None` for a folder, and the marker).
    fn tree(dir: &Path) -> Vec<(String, Option<String>)> {
        let mut v: Vec<(String, Option<String>)> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                let text = (e.file_type().is_file() && rel != MARKER)
                    .then(|| fs::read_to_string(e.path()).unwrap());
                (rel, text)
            })
            .collect();
        v.sort();
        v
    }

    /// What `dir` holds but quorum's own `.NAME.quorum` work folders.
    fn beside(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !(n.starts_with('.') && n.ends_with(".quorum")))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn the_spare_tree_alternates_and_shares_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = manifest_in(dir.path());
        let v = |n: &str| [file("index.html", "home"), file("a/index.html", n)];
        for round in 0..4 {
            let text = format!("a{round}");
            let s = write_site_with(&out, &v(&text), &m).unwrap();
            if round > 0 {
                assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 0));
            }
            assert_eq!(
                tree(&out),
                [
                    (".quorum".into(), None),
                    ("a".into(), None),
                    ("a/index.html".into(), Some(text)),
                    ("index.html".into(), Some("home".into()))
                ]
            );
        }
        // The unchanged page is one file shared by the site and its spare.
        let spare = dir.path().join(".public.quorum/site");
        assert_eq!(
            inode(&spare.join("index.html")),
            inode(&out.join("index.html"))
        );
        assert_eq!(
            fs::read_to_string(spare.join("a/index.html")).unwrap(),
            "a2"
        );
        // Without a record, nothing is kept beside the output but the lock.
        write_site(&out, &v("b")).unwrap();
        assert!(!spare.exists());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "b");
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = manifest_in(dir.path());
        write_site_with(&out, &[file("index.html", "x")], &m).unwrap();
        for d in [".public.quorum-tmp-123", ".public.quorum-old-456"] {
            fs::create_dir_all(dir.path().join(d).join("a")).unwrap();
            fs::write(dir.path().join(d).join(MARKER), "").unwrap();
        }
        fs::create_dir_all(dir.path().join(".public.quorum-tmp-9-mine")).unwrap();
        fs::write(dir.path().join(".public.quorum-tmp-9-mine/keep"), "mine").unwrap();
        fs::write(dir.path().join(".public.quorum/previous"), "").unwrap();
        write_site_with(&out, &[file("index.html", "y")], &m).unwrap();
        assert_eq!(
            beside(dir.path()),
            [".public.quorum-tmp-9-mine", "cache", "public"]
        );
        let work: Vec<String> = fs::read_dir(dir.path().join(".public.quorum"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(work, ["lock", "site"]);
    }

    #[test]
    fn a_file_and_a_folder_at_one_path_is_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = manifest_in(dir.path());
        write_site_with(&out, &[file("index.html", "old")], &m).unwrap();
        let err = write_site_with(&out, &[file("x", "f"), file("x/y", "g")], &m).unwrap_err();
        assert!(matches!(err, OutputError::Clash(..)), "{err}");
        assert!(err.to_string().contains("`x` is a file"), "{err}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    }

    #[test]
    fn a_page_that_becomes_a_folder_replaces_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = manifest_in(dir.path());
        write_site_with(&out, &[file("a", "file")], &m).unwrap();
        write_site_with(&out, &[file("a/index.html", "page")], &m).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).unwrap(),
            "page"
        );
        write_site_with(&out, &[file("a", "file again")], &m).unwrap();
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "file again");
    }
}
