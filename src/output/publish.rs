//! Where a site is prepared beside its output folder, the lock that keeps
//! two builds apart, and the one rename that publishes it.
//!
//! For an output folder `D/N`, quorum keeps `D/.N.quorum/`: a `lock` file
//! and `site/`, the spare tree. A build brings the spare tree up to date
//! (writing only what differs from what it holds), then exchanges it with
//! `D/N` in one `renameat2(RENAME_EXCHANGE)`: the output path names the
//! whole previous site until that call and the whole new one after it. The
//! previous site becomes the spare tree for the next build.

use super::{io_err, OutputError, MARKER};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The paths around one output folder.
#[derive(Debug, Clone)]
pub(super) struct Place {
    /// The output folder.
    pub out: PathBuf,
    /// `D/.N.quorum`: quorum's work folder beside it.
    pub work: PathBuf,
    /// `D/.N.quorum/site`: the spare tree.
    pub spare: PathBuf,
}

impl Place {
    /// The place of output folder `out` (nothing is created yet).
    pub(super) fn of(out: &Path) -> Result<Place, OutputError> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| OutputError::BadPath(out.display().to_string()))?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let work = parent.join(format!(".{name}.quorum"));
        Ok(Place {
            out: out.to_path_buf(),
            spare: work.join("site"),
            work,
        })
    }

    /// Removes what builds killed half way (by this version or an older
    /// one) left beside the output: `.N.quorum-tmp-*` and `.N.quorum-old-*`
    /// folders that quorum marked as its own, and anything in the work
    /// folder but the lock and the spare tree.
    pub(super) fn clean_leftovers(&self) {
        let name = self
            .out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parent = self.work.parent().unwrap_or(Path::new("."));
        let prefixes = [
            format!(".{name}.quorum-tmp-"),
            format!(".{name}.quorum-old-"),
        ];
        for e in fs::read_dir(parent).into_iter().flatten().flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            let p = e.path();
            let ours = p.join(MARKER).is_file() || is_empty(&p);
            if prefixes.iter().any(|pre| n.starts_with(pre.as_str())) && ours {
                let _ = fs::remove_dir_all(&p);
            }
        }
        for e in fs::read_dir(&self.work).into_iter().flatten().flatten() {
            let n = e.file_name();
            if n != "lock" && n != "site" {
                let p = e.path();
                let _ = if p.is_dir() && !p.is_symlink() {
                    fs::remove_dir_all(&p)
                } else {
                    fs::remove_file(&p)
                };
            }
        }
    }
}

fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut r| r.next().is_none())
}

/// An exclusive lock on one output folder, held until dropped.
#[derive(Debug)]
pub(super) struct Lock {
    _file: fs::File,
}

/// Takes the lock of `place`'s output folder. When another build holds it,
/// says so on stderr and waits for it.
pub(super) fn lock(place: &Place) -> Result<Lock, OutputError> {
    fs::create_dir_all(&place.work).map_err(io_err(&place.work))?;
    let path = place.work.join("lock");
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_err(&path))?;
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let fd = file.as_raw_fd();
        // SAFETY: flock on a file descriptor this function owns.
        if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::WouldBlock {
                return Err(OutputError::Io { path, source: e });
            }
            eprintln!(
                "waiting: another quorum build is writing {} (it holds {}); this one goes on when it is done",
                place.out.display(),
                path.display()
            );
            // SAFETY: as above.
            if unsafe { libc::flock(fd, libc::LOCK_EX) } != 0 {
                let source = io::Error::last_os_error();
                return Err(OutputError::Io { path, source });
            }
        }
    }
    Ok(Lock { _file: file })
}

/// A folder's identity on disk (device and inode), which survives renames.
pub(super) fn tree_id(dir: &Path) -> Option<(u64, u64)> {
    let meta = fs::symlink_metadata(dir).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Publishes `spare` at `out`: one atomic exchange when `out` exists (the
/// previous site is then at `spare`), one rename when it does not.
pub(super) fn swap(spare: &Path, out: &Path) -> Result<(), OutputError> {
    if fs::symlink_metadata(out).is_err() {
        return fs::rename(spare, out).map_err(io_err(out));
    }
    match exchange(spare, out) {
        Ok(()) => Ok(()),
        Err(e) if unsupported(&e) => fallback_swap(spare, out),
        Err(e) => Err(OutputError::Io {
            path: out.to_path_buf(),
            source: e,
        }),
    }
}

fn unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS))
            || e.kind() == io::ErrorKind::Unsupported
    }
    #[cfg(not(target_os = "linux"))]
    {
        e.kind() == io::ErrorKind::Unsupported
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: two valid NUL-terminated paths, relative to the current folder.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Where the file system cannot exchange two names: the previous site is
/// renamed aside, then the new one into place (between the two renames the
/// output path names nothing, never a mix), then the previous one becomes
/// the spare tree.
fn fallback_swap(spare: &Path, out: &Path) -> Result<(), OutputError> {
    let aside = spare.with_file_name("previous");
    let _ = fs::remove_dir_all(&aside);
    fs::rename(out, &aside).map_err(io_err(out))?;
    if let Err(e) = fs::rename(spare, out) {
        let _ = fs::rename(&aside, out);
        return Err(OutputError::Io {
            path: out.to_path_buf(),
            source: e,
        });
    }
    fs::rename(&aside, spare).map_err(io_err(spare))
}
