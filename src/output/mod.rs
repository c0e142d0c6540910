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

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

mod publish;
mod record;
mod update;

pub(crate) use record::WriteStats;
use record::{ancestors, same_shape, stats_against, Manifest, Records, Written, MANIFEST_HEADER};
use update::{update, write_all};

/// One file of the rendered site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, forward slashes (`groups/x/index.html`).
    pub path: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// The file that marks a folder as quorum's output.
pub(crate) const MARKER: &str = ".quorum";

/// Why the site could not be written.
#[derive(Debug)]
pub(crate) enum OutputError {
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
pub(crate) fn write_site(out_dir: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    publish_site(out_dir, files, None).map(|_| ())
}

/// Writes `files` as the new contents of `out_dir` like [`write_site`],
/// keeping `manifest` (a file under the site's `.quorum-cache/`) as the
/// record of the trees written, so that the next build writes only what
/// changed. See the module docs.
pub(crate) fn write_site_with(
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
mod tests;
