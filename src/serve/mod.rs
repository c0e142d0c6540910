//! The dev server's parts: the site built into memory and rebuilt after
//! each change, the HTTP server on 127.0.0.1, the watcher and live reload.
//! `quorum serve` itself (the loop tying them together) is in
//! `commands/serve.rs`.
//!
//! The pipeline is the build's own ([`Pipeline`]), kept alive with its
//! caches: parsed notes keyed by path and content, the git walk, the theme
//! and the last render, so that only the pages an edit affects are
//! rendered again. A
//! build with errors keeps the last good site and shows the errors in the
//! terminal and over the page; the next good build replaces it.

pub(crate) mod reload;
pub(crate) mod server;
pub(crate) mod watcher;

use crate::build::{Failure, Options, Pipeline, SearchMode, SiteError};
use crate::diagnostics::{Code, Diagnostic};
use crate::render::incremental::Delta;
use axum::body::Bytes;
use server::{Files, Shared};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The rebuilding side: the build's [`Pipeline`], kept alive with its
/// caches and the last render.
pub struct Builder {
    pipeline: Pipeline,
}

/// A good build.
pub struct Built {
    /// What changed.
    pub delta: Delta,
    /// Warnings found.
    pub warnings: Vec<Diagnostic>,
    /// Time taken by stage, for the terminal.
    pub timings: String,
    /// What git could not tell (as `quorum build` prints them).
    pub history_notes: Vec<String>,
}

impl Builder {
    /// A builder for the site at `root`, whose pages will be served at `base_url`.
    pub fn new(root: &Path, today: chrono::NaiveDate, base_url: &str) -> Builder {
        let opts = Options {
            today,
            keep_going: false,
            base_url: Some(base_url.to_string()),
            search: SearchMode::Deferred,
            history: true,
            defer_data: true,
        };
        Builder {
            pipeline: Pipeline::new(root, opts),
        }
    }

    /// Forgets every parsed note, for a rescan.
    pub(crate) fn forget_notes(&mut self) {
        self.pipeline.forget_notes();
    }

    /// The content folder and group folders, for the watcher.
    pub(crate) fn watched_dirs(&self) -> (String, Vec<String>) {
        match self.pipeline.config() {
            Some(c) => (c.content.clone(), c.group_dirs()),
            None => ("content".into(), Vec::new()),
        }
    }

    /// Builds again after `changed` (absolute paths; `None` for "anything").
    /// On errors the caches stay as they were for the files that did not
    /// change, and the last good render stays the one compared with.
    pub fn rebuild(&mut self, changed: Option<&[PathBuf]>) -> Result<Built, Vec<Diagnostic>> {
        match self.pipeline.run(changed) {
            Ok(r) => Ok(Built {
                timings: format!(
                    "{} ({} of {} pages)",
                    r.timings, r.delta.pages_rendered, r.delta.pages_total
                ),
                delta: r.delta,
                warnings: r.warnings,
                history_notes: r.history_notes,
            }),
            Err(Failure::Site(SiteError::NoRoot(msg))) => Err(vec![Diagnostic::error(
                Code::NoSite,
                "quorum.toml",
                1,
                1,
                msg,
            )]),
            Err(f) => Err(f.errors()),
        }
    }
}

/// The served files after `delta`, built on `old`, and the files to make
/// on request.
pub(crate) fn apply(old: &Files, delta: Delta) -> (Files, server::Lazy) {
    let lazy = server::Lazy::new(delta.deferred);
    if !delta.full {
        // Same pages as before (render_since renders everything otherwise):
        // only their bytes changed.
        let mut files = old.clone();
        for f in delta.changed {
            files.insert(Arc::from(f.path), Bytes::from(f.bytes));
        }
        return (files, lazy);
    }
    let mut files = Files::with_capacity(delta.paths.len());
    for f in delta.changed {
        files.insert(Arc::from(f.path), Bytes::from(f.bytes));
    }
    // The search index is built in the background after each build
    // (see `index_in_background`); the last one serves until then.
    for (p, b) in old {
        if p.starts_with("search/") && !files.contains_key(p) {
            files.insert(Arc::clone(p), b.clone());
        }
    }
    (files, lazy)
}

/// Threads for work nobody waits for (the search index, the whole-site
/// files, freeing the last site): a rayon pool of their own, so that their
/// parallel loops never queue ahead of a rebuild's, at the lowest CPU
/// priority, so that a rebuild on the same cores is not slowed by them.
pub(crate) fn background() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("quorum-background-{i}"))
            .start_handler(|_| lower_priority())
            .build()
            .or_else(|_| rayon::ThreadPoolBuilder::new().num_threads(1).build())
            .unwrap_or_else(|_| std::process::abort())
    })
}

/// Puts the calling thread at the lowest CPU priority (Linux: nice 19).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority only read their arguments; on Linux
    // PRIO_PROCESS with a thread id applies to that thread alone.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19);
    }
}

/// Builds the search page and index of the last good build in the
/// background, so that search never slows the edit-to-reload loop, and serves
/// them once ready (unless a newer build came in meanwhile: it indexes again).
pub(crate) fn index_in_background(shared: &Arc<Shared>, builder: &Builder) {
    let Some(job) = builder.pipeline.search_files() else {
        return;
    };
    let generation = shared.status.borrow().generation;
    let shared = Arc::clone(shared);
    let delay = test_index_delay();
    background().spawn(move || {
        std::thread::sleep(delay);
        if shared.status.borrow().generation != generation {
            return;
        }
        let index = job.files();
        let mut guard = match shared.files.write() {
            Ok(f) => f,
            Err(p) => p.into_inner(),
        };
        if shared.status.borrow().generation != generation {
            return;
        }
        let mut files = (**guard).clone();
        for f in index {
            files.insert(Arc::from(f.path), Bytes::from(f.bytes));
        }
        *guard = Arc::new(files);
    });
}

/// How long the background indexing waits before it starts: zero, unless
/// `QUORUM_TEST_INDEX_DELAY_MS` says otherwise. The integration tests set it to
/// show that pages follow an edit while the index is still being made.
fn test_index_delay() -> std::time::Duration {
    let ms = std::env::var("QUORUM_TEST_INDEX_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    std::time::Duration::from_millis(ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::Pipeline;
    use std::collections::BTreeMap;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date")
    }

    /// A copy of the example site in a git repository of its own, with one
    /// commit, so that pages show what git knows.
    fn example_site(search: bool) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let from = Path::new(env!("CARGO_MANIFEST_DIR"));
        for e in walkdir::WalkDir::new(from.join("content")) {
            let e = e.expect("walk example");
            let rel = e.path().strip_prefix(from).expect("under the crate");
            if e.file_type().is_dir() {
                std::fs::create_dir_all(dir.path().join(rel)).expect("mkdir");
            } else {
                std::fs::copy(e.path(), dir.path().join(rel)).expect("copy");
            }
        }
        let mut toml = std::fs::read_to_string(from.join("quorum.toml")).expect("quorum.toml");
        if !search {
            toml.push_str("\n[search]\nenabled = false\n");
        }
        std::fs::write(dir.path().join("quorum.toml"), toml).expect("write quorum.toml");
        git2::Repository::init(dir.path()).expect("git init");
        commit_all(dir.path(), "Notes");
        dir
    }

    /// Every file `quorum build` writes for the site, by path.
    fn built(root: &Path, url: &str) -> BTreeMap<String, Vec<u8>> {
        let opts = Options {
            today: today(),
            base_url: Some(url.into()),
            ..Options::default()
        };
        let rendered = Pipeline::uncached(root, opts).run(None).expect("builds");
        rendered
            .into_files()
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect()
    }

    /// Every file `quorum serve` serves for the site, once its background
    /// work is done, by path.
    fn served(root: &Path, url: &str) -> BTreeMap<String, Vec<u8>> {
        let mut builder = Builder::new(root, today(), url);
        let built = builder.rebuild(None).expect("builds");
        let (files, lazy) = apply(&Files::new(), built.delta);
        let mut all: BTreeMap<String, Vec<u8>> = files
            .iter()
            .chain(lazy.files())
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        if let Some(job) = builder.pipeline.search_files() {
            all.extend(job.files().into_iter().map(|f| (f.path, f.bytes)));
        }
        all
    }

    /// Commits the whole work tree of the repository at `root` on top of
    /// HEAD (the first commit when there is none yet).
    fn commit_all(root: &Path, message: &str) {
        let repo = git2::Repository::open(root).expect("open repository");
        let mut index = repo.index().expect("index");
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .expect("add");
        index.write().expect("write index");
        let tree = repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        let head = repo.head().and_then(|h| h.peel_to_commit()).ok();
        let sig = git2::Signature::now("Ada Example", "ada@example.org").expect("signature");
        let parents: Vec<&git2::Commit> = head.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .expect("commit");
    }

    /// Rebuilds after `changed`, checks that only some pages were rendered
    /// when `partial`, and returns the files served then.
    fn rebuild_after(
        builder: &mut Builder,
        old: &Files,
        changed: &Path,
        partial: bool,
    ) -> (Files, server::Lazy) {
        let built = builder
            .rebuild(Some(&[changed.to_path_buf()]))
            .expect("rebuilds");
        if partial {
            assert!(!built.delta.full, "{:?}", built.delta);
            assert!(built.delta.pages_rendered < built.delta.pages_total);
        }
        apply(old, built.delta)
    }

    /// Every file served: the pages and the files made on request.
    fn all_files(files: &Files, lazy: &server::Lazy) -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .chain(lazy.files())
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect()
    }

    #[test]
    fn edits_and_commits_of_a_note_render_as_a_full_build_would() {
        let site = example_site(false);
        let url = "http://127.0.0.1:1111/";
        let (a, b) = (
            site.path().join("content/steering/2026-06-03.md"),
            site.path().join("content/steering/2026-10-07.md"),
        );
        let mut builder = Builder::new(site.path(), today(), url);
        let first = builder.rebuild(None).expect("builds");
        let mut files = apply(&Files::new(), first.delta).0;
        let edit = |p: &Path, line: &str| {
            let text = std::fs::read_to_string(p).expect("read note");
            std::fs::write(p, format!("{text}\n{line}\n")).expect("write note");
        };
        // The first edit makes the work tree dirty (every footer says so).
        edit(&a, "A line not committed yet.");
        files = rebuild_after(&mut builder, &files, &a, false).0;
        // A second note edited while the tree is dirty: only the pages git
        // changes for are rendered again (the dirty path of `touched`).
        edit(&b, "Another line not committed yet.");
        let (files, lazy) = rebuild_after(&mut builder, &files, &b, true);
        assert_eq!(all_files(&files, &lazy), built(site.path(), url));
        // A commit of both: HEAD moves, every page shows it.
        commit_all(site.path(), "Lines");
        let (files, lazy) = rebuild_after(&mut builder, &files, &b, false);
        assert_eq!(all_files(&files, &lazy), built(site.path(), url));
    }

    #[test]
    fn serve_and_build_make_the_same_files() {
        for search in [true, false] {
            let site = example_site(search);
            let url = "http://127.0.0.1:1111/";
            let (b, s) = (built(site.path(), url), served(site.path(), url));
            let paths = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
            assert_eq!(paths(&b), paths(&s), "search {search}");
            for (path, bytes) in &b {
                assert!(s[path] == *bytes, "{path} differs (search {search})");
            }
            assert_eq!(b.contains_key("search.js"), search);
            assert_eq!(b.contains_key("search/index.html"), search);
            if search {
                let page = String::from_utf8_lossy(&b["search/index.html"]).into_owned();
                assert!(page.contains("Last updated"), "search page footer: {page}");
            }
        }
    }
}
