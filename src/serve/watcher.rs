//! Watching the site's files: native events from notify (inotify, FSEvents,
//! ReadDirectoryChangesW), or polling where those cannot be had, debounced
//! into batches of changed paths.
//!
//! The whole root is watched and events are kept only for the files a build
//! reads: the content folder, group folders configured elsewhere, templates/,
//! themes/, static/ and quorum.toml. Editors that save by writing a temporary
//! file and renaming it over the note, renames and deletions all show up as
//! events on the note's path (or its folder), so each needs no special case:
//! every batch leads to a rebuild that walks the content again.

use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long a batch waits for more events after the last one.
const QUIET: Duration = Duration::from_millis(5);
/// The longest a batch waits after its first event.
pub(crate) const DEBOUNCE_MAX: Duration = Duration::from_millis(30);
/// How often the polling watcher looks.
const POLL_EVERY: Duration = Duration::from_millis(250);

/// A running watcher and the batches of paths it reports.
pub(crate) struct SiteWatcher {
    // Kept alive: dropping it stops the events.
    _watcher: Box<dyn Watcher + Send>,
    events: Receiver<notify::Result<Event>>,
    /// Whether it fell back to (or was asked for) polling.
    pub polling: bool,
    relevant: Relevant,
}

/// Which paths a build reads.
#[derive(Debug, Clone)]
pub(crate) struct Relevant {
    root: PathBuf,
    prefixes: Vec<PathBuf>,
    /// Where git keeps HEAD and the branches, when the site root is a repository's.
    git: Vec<PathBuf>,
}

impl Relevant {
    /// The folders and files under `root` that a build reads.
    pub(crate) fn new(root: &Path, content: &str, group_dirs: &[String]) -> Relevant {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut prefixes = vec![
            root.join(content),
            root.join("templates"),
            root.join("themes"),
            root.join("static"),
            root.join("quorum.toml"),
        ];
        prefixes.extend(group_dirs.iter().map(|d| root.join(d)));
        // A commit or checkout moves HEAD: pages show git history. (When the
        // repository's root is above the site's, it shows at the next edit.)
        let git = ["HEAD", "refs/heads", "packed-refs"]
            .iter()
            .map(|p| root.join(".git").join(p))
            .collect();
        Relevant {
            root,
            prefixes,
            git,
        }
    }

    /// Whether a change to `path` can change the site.
    pub(crate) fn matches(&self, path: &Path) -> bool {
        let lock = path.extension().is_some_and(|e| e == "lock");
        if !lock && self.git.iter().any(|g| path.starts_with(g)) {
            return true;
        }
        let hidden = path
            .strip_prefix(&self.root)
            .map(|rel| {
                rel.components().any(|c| {
                    c.as_os_str()
                        .to_str()
                        .is_some_and(|s| s.starts_with('.') && s.len() > 1)
                })
            })
            .unwrap_or(false);
        // Editors' swap and backup files (`.note.md.swp`, `note.md~`) change
        // nothing, but a rename from them does, and shows under the real name.
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let scratch = name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swx");
        !hidden && !scratch && self.prefixes.iter().any(|p| path.starts_with(p))
    }

    /// The root the paths are under.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }
}

impl SiteWatcher {
    /// Watches `relevant.root()`, natively unless `poll` (or native watching
    /// fails, in which case it polls and says why in `fallback`).
    pub(crate) fn start(
        relevant: Relevant,
        poll: bool,
    ) -> notify::Result<(SiteWatcher, Option<String>)> {
        let (tx, rx) = channel();
        let root = relevant.root().to_path_buf();
        let mut fallback = None;
        if !poll {
            let tx2 = tx.clone();
            match notify::recommended_watcher(move |e| {
                let _ = tx2.send(e);
            }) {
                Ok(mut w) => match w.watch(&root, RecursiveMode::Recursive) {
                    Ok(()) => {
                        return Ok((
                            SiteWatcher {
                                _watcher: Box::new(w),
                                events: rx,
                                polling: false,
                                relevant,
                            },
                            None,
                        ))
                    }
                    Err(e) => fallback = Some(e.to_string()),
                },
                Err(e) => fallback = Some(e.to_string()),
            }
        }
        let config = notify::Config::default()
            .with_poll_interval(POLL_EVERY)
            .with_compare_contents(false);
        let mut w = notify::PollWatcher::new(
            move |e| {
                let _ = tx.send(e);
            },
            config,
        )?;
        w.watch(&root, RecursiveMode::Recursive)?;
        Ok((
            SiteWatcher {
                _watcher: Box::new(w),
                events: rx,
                polling: true,
                relevant,
            },
            fallback,
        ))
    }

    /// Blocks until something relevant changes, then gathers the events that
    /// follow within [`DEBOUNCE_MAX`]; returns the changed paths (or `None`
    /// when the watcher stopped). Errors of the watcher come back as paths-less
    /// batches with the message, so the caller rebuilds to be safe.
    pub(crate) fn next_batch(&self) -> Option<Batch> {
        let mut batch = Batch::default();
        // Wait for the first relevant event.
        loop {
            let e = self.events.recv().ok()?;
            if self.take(e, &mut batch) {
                break;
            }
        }
        let first = Instant::now();
        loop {
            let left = DEBOUNCE_MAX.saturating_sub(first.elapsed());
            if left.is_zero() {
                break;
            }
            match self.events.recv_timeout(QUIET.min(left)) {
                Ok(e) => {
                    self.take(e, &mut batch);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        batch.paths.sort();
        batch.paths.dedup();
        Some(batch)
    }

    fn take(&self, e: notify::Result<Event>, batch: &mut Batch) -> bool {
        match e {
            Ok(ev) => {
                if matches!(ev.kind, EventKind::Access(_)) {
                    return false;
                }
                let rescan = ev.need_rescan();
                let mut any = false;
                for p in ev.paths {
                    if self.relevant.matches(&p) {
                        batch.paths.push(p);
                        any = true;
                    }
                }
                // A rescan request (the kernel dropped events) has no paths.
                if rescan {
                    batch.rescan = true;
                    any = true;
                }
                any
            }
            Err(e) => {
                batch.errors.push(e.to_string());
                batch.rescan = true;
                true
            }
        }
    }
}

/// Paths changed together.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// Absolute paths that changed.
    pub paths: Vec<PathBuf>,
    /// Whether events may have been lost (read everything again).
    pub rescan: bool,
    /// Watcher errors, for the terminal.
    pub errors: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_a_build_reads_are_relevant() {
        let r = Relevant::new(Path::new("/site"), "content", &["minutes/board".into()]);
        assert!(r.matches(Path::new("/site/content/wg/2024-01-01.md")));
        assert!(r.matches(Path::new("/site/quorum.toml")));
        assert!(r.matches(Path::new("/site/templates/meeting.html")));
        assert!(r.matches(Path::new("/site/minutes/board/2024.md")));
        assert!(!r.matches(Path::new("/site/public/index.html")));
        assert!(!r.matches(Path::new("/site/.git/index")));
        assert!(!r.matches(Path::new("/site/content/wg/.2024-01-01.md.swp")));
        assert!(!r.matches(Path::new("/site/content/wg/2024-01-01.md~")));
    }
}
