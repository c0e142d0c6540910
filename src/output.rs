//! Writing a rendered site to disk, all or nothing.
//!
//! [`write_site`] writes every file into a temporary folder beside the output
//! folder (`.<name>.quorum-tmp-<pid>`), marks it as quorum's with a `.quorum`
//! file, then swaps it in: the old output is renamed away, the new one renamed
//! in, the old one deleted. A failure at any step removes the temporary folder
//! and leaves the previous output as it was. An existing non-empty folder
//! without the marker is never replaced: it is not a site quorum wrote.

use crate::render::OutputFile;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file that marks a folder as quorum's output.
pub const MARKER: &str = ".quorum";

/// Why the site could not be written.
#[derive(Debug)]
pub enum OutputError {
    /// `out_dir` holds files and no `.quorum` marker: quorum will not replace it.
    Foreign(PathBuf),
    /// An output path that would leave the output folder.
    BadPath(String),
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
    if let Err(e) = write_all(&tmp, files) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
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

fn write_all(tmp: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    use rayon::prelude::*;
    fs::create_dir_all(tmp).map_err(io_err(tmp))?;
    let marker = tmp.join(MARKER);
    fs::write(
        &marker,
        b"written by quorum; the next build replaces this folder\n",
    )
    .map_err(io_err(&marker))?;
    for f in files {
        let rel = Path::new(&f.path);
        if f.path.is_empty() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(OutputError::BadPath(f.path.clone()));
        }
    }
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
    files.par_iter().try_for_each(|f| {
        let path = tmp.join(&f.path);
        fs::write(&path, &f.bytes).map_err(io_err(&path))
    })
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
        assert!(matches!(err, OutputError::Io { .. }), "{err}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        let err = write_site(&out, &[file("../escape", "x")]).unwrap_err();
        assert!(matches!(err, OutputError::BadPath(_)));
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
