//! Writing a rendered site to disk, all or nothing.
//!
//! The whole site is rendered (and every note checked) before anything is
//! written, so bad input never touches the output. Then there are two ways
//! to write it:
//!
//! - **Replace** ([`write_site`], and [`write_site_with`] when there is no
//!   usable record of the last write): every file goes into a temporary
//!   folder beside the output folder (`.<name>.quorum-tmp-<pid>`), marked as
//!   quorum's with a `.quorum` file, which is then swapped in: the old output
//!   is renamed away, the new one renamed in, the old one deleted.
//! - **Update in place** ([`write_site_with`] given the [`Manifest`] of the
//!   last write): a file whose bytes are unchanged (same hash as recorded,
//!   and its size and time on disk still those recorded) is left alone. Each
//!   changed file is first written beside its target as a hidden
//!   `.<name>.quorum-new`; only when all of them are written are they renamed
//!   over their targets (a reader never sees half a file), and then the
//!   files the new site no longer has are removed. A failure while writing
//!   removes what was written and leaves the previous output as it was. On
//!   a 10k-meeting site most builds change few of 36,000 files, and writing
//!   and deleting them all was most of the build's time.
//!
//! An existing non-empty folder without the marker is never replaced: it is
//! not a site quorum wrote.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

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

/// Writes `files` as the new contents of `out_dir`, replacing it atomically
/// (as far as two renames are). See the module docs.
pub fn write_site(out_dir: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    check_replaceable(out_dir)?;
    check_paths(files)?;
    replace(out_dir, files).map(|_| ())
}

/// What one file was when quorum last wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Written {
    len: u64,
    modified: Option<std::time::SystemTime>,
    hash: u128,
}

/// The record of the last write into an output folder: each file's hash and
/// its size and time on disk. Kept in the site's `.quorum-cache/`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    out_dir: PathBuf,
    files: HashMap<String, Written>,
}

const MANIFEST_HEADER: &str = concat!("quorum-output-manifest 1 ", env!("CARGO_PKG_VERSION"), "\n");

/// How a write went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteStats {
    /// Files written.
    pub written: usize,
    /// Files left alone because their bytes were already there.
    pub unchanged: usize,
    /// Files removed because the new site no longer has them.
    pub removed: usize,
}

/// Writes `files` as the new contents of `out_dir` like [`write_site`], but
/// updates the folder in place when `manifest` (a file under the site's
/// `.quorum-cache/`) records the last write into it: only changed files are
/// written. The manifest is then saved for the next build. See the module
/// docs.
pub fn write_site_with(
    out_dir: &Path,
    files: &[OutputFile],
    manifest: &Path,
) -> Result<WriteStats, OutputError> {
    use rayon::prelude::*;
    check_replaceable(out_dir)?;
    check_paths(files)?;
    let hashes: Vec<u128> = files
        .par_iter()
        .map(|f| xxhash_rust::xxh3::xxh3_128(&f.bytes))
        .collect();
    let canonical = out_dir.canonicalize().ok();
    let previous = crate::cache::read::<Manifest>(manifest, MANIFEST_HEADER).filter(|m| {
        canonical.as_deref() == Some(m.out_dir.as_path()) && out_dir.join(MARKER).is_file()
    });
    // Forget the record before touching the folder: if this write stops half
    // way, the next one replaces the folder whole.
    let _ = fs::remove_file(manifest);
    let (stats, written) = match previous.filter(|m| same_shape(m, files)) {
        Some(old) => update(out_dir, files, &hashes, &old)?,
        None => replace(out_dir, files)?,
    };
    let out_dir = out_dir.canonicalize().map_err(io_err(out_dir))?;
    let record = Manifest {
        out_dir,
        files: files
            .iter()
            .zip(&hashes)
            .zip(written)
            .map(|((f, &hash), (len, modified))| {
                (
                    f.path.clone(),
                    Written {
                        len,
                        modified,
                        hash,
                    },
                )
            })
            .collect(),
    };
    // A record that cannot be saved only costs time next build.
    let _ = crate::cache::write(manifest, MANIFEST_HEADER, &record);
    Ok(stats)
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

/// Replaces `out_dir` with a folder holding `files`. See the module docs.
fn replace(out_dir: &Path, files: &[OutputFile]) -> Result<(WriteStats, Stamps), OutputError> {
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.quorum-tmp-{pid}"));
    let old = parent.join(format!(".{name}.quorum-old-{pid}"));
    let _ = fs::remove_dir_all(&tmp);
    let stamps = match write_all(&tmp, files) {
        Ok(s) => s,
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    let had_old = out_dir.exists();
    if had_old {
        let _ = fs::remove_dir_all(&old);
        if let Err(e) = fs::rename(out_dir, &old) {
            let _ = fs::remove_dir_all(&tmp);
            return Err(OutputError::Io {
                path: out_dir.to_path_buf(),
                source: e,
            });
        }
    }
    if let Err(e) = fs::rename(&tmp, out_dir) {
        if had_old {
            let _ = fs::rename(&old, out_dir);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(OutputError::Io {
            path: out_dir.to_path_buf(),
            source: e,
        });
    }
    if had_old {
        remove_tree(&old).map_err(io_err(&old))?;
    }
    let stats = WriteStats {
        written: files.len(),
        ..WriteStats::default()
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

fn write_all(tmp: &Path, files: &[OutputFile]) -> Result<Stamps, OutputError> {
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
        .map(|f| write_file(&tmp.join(&f.path), &f.bytes))
        .collect()
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
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
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
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
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
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
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
        let beside: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(beside.len(), 2, "{beside:?}");
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
        let s = write_site_with(&out, &files, &m).unwrap();
        assert_eq!(s.written, 2);
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
        fs::remove_file(&m).unwrap();
        let s = write_site_with(&two, &[file("index.html", "x")], &m).unwrap();
        assert_eq!((s.written, s.unchanged), (1, 0));
        assert!(!two.join("stray").exists());
    }

    #[test]
    fn a_failed_update_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let m = manifest_in(dir.path());
        write_site_with(
            &out,
            &[file("index.html", "old"), file("a/index.html", "a")],
            &m,
        )
        .unwrap();
        // A file put there by hand where the new site needs a folder.
        fs::write(out.join("x"), "mine").unwrap();
        let err = write_site_with(
            &out,
            &[
                file("index.html", "new"),
                file("a/index.html", "a2"),
                file("x/y/index.html", "z"),
            ],
            &m,
        )
        .unwrap_err();
        assert!(matches!(err, OutputError::Io { .. }), "{err}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "a");
        let names: Vec<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("quorum-new"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
        // The next build, with the obstacle gone, writes everything right.
        fs::remove_file(out.join("x")).unwrap();
        write_site_with(
            &out,
            &[file("index.html", "new"), file("x/y/index.html", "z")],
            &m,
        )
        .unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert!(!out.join("a").exists());
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
