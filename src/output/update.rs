//! Writing files: a changed file as a new file renamed over the old name,
//! a new tree with unchanged files hard-linked from the published one.

use super::record::{ancestors, stamp, Manifest, Stamps, Written};
use super::{io_err, OutputError, OutputFile, WriteStats, MARKER};
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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

/// Size and time of one file on disk.
type Stamp = (u64, Option<std::time::SystemTime>);

/// Updates `out_dir` in place after `old`. See the module docs.
pub(super) fn update(
    out_dir: &Path,
    files: &[OutputFile],
    hashes: &[u128],
    old: &Manifest,
) -> Result<(WriteStats, Stamps), OutputError> {
    use rayon::prelude::*;
    let current = stamps_of_unchanged(out_dir, files, hashes, old);
    let changed: Vec<usize> = (0..files.len()).filter(|&i| current[i].is_none()).collect();
    let made = make_new_folders(out_dir, files, &changed, old)?;
    // Phase 1: write each changed file beside its target.
    let staged = stage_changed(out_dir, files, &changed, &made)?;
    // Phase 2: rename them over their targets.
    changed
        .par_iter()
        .zip(&staged)
        .try_for_each(|(&i, (stage, _))| {
            let target = out_dir.join(&files[i].path);
            fs::rename(stage, &target).map_err(io_err(&target))
        })?;
    // Phase 3: remove what the new site no longer has, and folders left empty.
    let removed = remove_gone(out_dir, files, old);
    let stamps = stamps_in_order(out_dir, &current, &staged)?;
    let stats = WriteStats {
        written: changed.len(),
        unchanged: files.len() - changed.len(),
        removed,
    };
    Ok((stats, stamps))
}

/// For each file, its size and time when it is on disk as recorded in
/// `old` with the same bytes; `None` for a file to write.
fn stamps_of_unchanged(
    out_dir: &Path,
    files: &[OutputFile],
    hashes: &[u128],
    old: &Manifest,
) -> Vec<Option<Stamp>> {
    use rayon::prelude::*;
    files
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
        .collect()
}

/// Removes staged files, then the folders made (deepest first): a failed
/// update leaves the tree as it was.
fn undo(made: &[PathBuf], staged: &[PathBuf]) {
    for p in staged {
        let _ = fs::remove_file(p);
    }
    for d in made.iter().rev() {
        let _ = fs::remove_dir(d);
    }
}

/// Makes the folders the changed files need that `old` had not, parents
/// first; the folders made, so that a failure removes them.
fn make_new_folders(
    out_dir: &Path,
    files: &[OutputFile],
    changed: &[usize],
    old: &Manifest,
) -> Result<Vec<PathBuf>, OutputError> {
    let old_dirs: HashSet<&str> = old.files.keys().flat_map(|p| ancestors(p)).collect();
    let new_dirs: std::collections::BTreeSet<&str> = changed
        .iter()
        .flat_map(|&i| ancestors(&files[i].path))
        .filter(|d| !old_dirs.contains(d))
        .collect();
    let mut made = Vec::new();
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
    Ok(made)
}

/// Writes each changed file to its staging path beside its target; each
/// staged path with its size and time. On failure removes what it wrote
/// and the folders `made`.
fn stage_changed(
    out_dir: &Path,
    files: &[OutputFile],
    changed: &[usize],
    made: &[PathBuf],
) -> Result<Vec<(PathBuf, Stamp)>, OutputError> {
    use rayon::prelude::*;
    let staged: Result<Vec<(PathBuf, Stamp)>, OutputError> = changed
        .par_iter()
        .map(|&i| {
            let target = out_dir.join(&files[i].path);
            let stage = staging_path(&target);
            let s = write_file(&stage, &files[i].bytes)?;
            Ok((stage, s))
        })
        .collect();
    staged.inspect_err(|_| {
        let paths: Vec<PathBuf> = changed
            .iter()
            .map(|&i| staging_path(&out_dir.join(&files[i].path)))
            .collect();
        undo(made, &paths);
    })
}

/// Removes the files of `old` the new site no longer has, then the folders
/// they leave empty; how many files were removed.
fn remove_gone(out_dir: &Path, files: &[OutputFile], old: &Manifest) -> usize {
    use rayon::prelude::*;
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
    gone.len()
}

/// Every file's size and time, in the order of the files: the unchanged
/// ones' from `current`, the written ones' from `staged`.
fn stamps_in_order(
    out_dir: &Path,
    current: &[Option<Stamp>],
    staged: &[(PathBuf, Stamp)],
) -> Result<Stamps, OutputError> {
    let mut stamps: Stamps = Vec::with_capacity(current.len());
    let mut fresh = staged.iter();
    for c in current {
        match c {
            Some(s) => stamps.push(*s),
            None => {
                let (_, s) = fresh.next().ok_or_else(|| OutputError::Io {
                    path: out_dir.to_path_buf(),
                    source: io::Error::other("lost track of a written file"),
                })?;
                stamps.push(*s);
            }
        }
    }
    Ok(stamps)
}

/// Writes a new tree at `tmp` holding `files`. With `from` (the published
/// folder and its record), a file whose bytes are already there (same hash,
/// and its size and time as recorded) is hard-linked from it instead of
/// written: the two trees then share it, and neither is ever written into
/// in place (a changed file is always a new file renamed over the old name).
pub(super) fn write_all(
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
