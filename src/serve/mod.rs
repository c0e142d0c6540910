//! `quorum serve`: build the site into memory, serve it on 127.0.0.1, watch
//! its files, rebuild what changed and tell open pages to reload.
//!
//! The pipeline is the build's (config, [`load`](crate::load), resolve,
//! [`render`](crate::render)), with two caches: parsed notes keyed by path
//! and content ([`NoteCache`]), and the last render
//! ([`Memo`]) so that only the pages an edit affects are rendered again. A
//! build with errors keeps the last good site and shows the errors in the
//! terminal and over the page; the next good build replaces it.

pub mod reload;
pub mod server;
pub mod watcher;

use crate::commands::{Global, Report};
use crate::config::SiteConfig;
use crate::diagnostics::{self, Diagnostic, Style};
use crate::load::{load_site_cached, NoteCache};
use crate::render::incremental::{render_since, Delta, Memo};
use crate::render::{RenderOptions, Theme};
use crate::resolve::{resolve, ResolveOptions};
use axum::body::Bytes;
use reload::{Problem, Status};
use server::{Files, Shared};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use watcher::{Relevant, SiteWatcher};

/// `serve`'s options.
#[derive(Debug, Clone)]
pub struct ServeArgs {
    /// Port (0 picks a free one).
    pub port: u16,
    /// Address to listen on.
    pub interface: IpAddr,
    /// Open the site in a browser.
    pub open: bool,
    /// Poll for changes instead of using native file events.
    pub poll: bool,
}

/// The rebuilding side: caches and what was rendered last.
pub struct Builder {
    root: PathBuf,
    today: chrono::NaiveDate,
    base_url: String,
    notes: NoteCache,
    theme: Option<Arc<Theme>>,
    theme_generation: u64,
    config: Option<SiteConfig>,
    memo: Option<Memo>,
    history: crate::history::HistoryCache,
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
        Builder {
            root: root.to_path_buf(),
            today,
            base_url: base_url.to_string(),
            notes: NoteCache::new(),
            theme: None,
            theme_generation: 0,
            config: None,
            memo: None,
            history: crate::history::HistoryCache::new(),
        }
    }

    /// The content folder and group folders, for the watcher.
    pub fn watched_dirs(&self) -> (String, Vec<String>) {
        match &self.config {
            Some(c) => (
                c.content.clone(),
                c.groups.values().filter_map(|g| g.path.clone()).collect(),
            ),
            None => ("content".into(), Vec::new()),
        }
    }

    /// Builds again after `changed` (absolute paths; empty for "anything").
    /// On errors the caches stay as they were for the files that did not
    /// change, and the last good render stays the one compared with.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Built, Vec<Diagnostic>> {
        let t0 = Instant::now();
        let root_canon = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.clone());
        let mut theme_stale = self.theme.is_none();
        let mut rels = Vec::with_capacity(changed.len());
        for p in changed {
            let rel = p
                .strip_prefix(&root_canon)
                .or_else(|_| p.strip_prefix(&self.root))
                .unwrap_or(p);
            rels.push(rel.to_string_lossy().replace('\\', "/"));
            if ["templates", "themes", "static", "quorum.toml"]
                .iter()
                .any(|d| rel.starts_with(d))
            {
                theme_stale = true;
            }
        }
        let touched: std::collections::HashSet<String> = rels.iter().cloned().collect();
        if !changed.is_empty() {
            // Only these changed: the next load looks at nothing else.
            self.notes.expect_changes(rels);
        }
        let mut config = SiteConfig::load(&self.root)?;
        config.base_url = self.base_url.clone();
        if self.config.as_ref() != Some(&config) {
            theme_stale = true;
        }
        if theme_stale {
            self.theme = Some(Arc::new(
                Theme::load(&self.root, &config).map_err(|d| vec![d])?,
            ));
            self.theme_generation += 1;
        }
        self.config = Some(config.clone());
        let (corpus, mut diags) = load_site_cached(&self.root, &config, &mut self.notes);
        let t_load = t0.elapsed();
        let (site, mut d) = resolve(
            &corpus,
            &config,
            ResolveOptions {
                today: self.today,
                keep_going: false,
                // The carry-over warnings are counted once, at the start.
                checks: self.memo.is_none(),
            },
        );
        diags.append(&mut d);
        diagnostics::sort(&mut diags);
        let t_resolve = t0.elapsed();
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags.into_iter().filter(Diagnostic::is_error).collect());
        }
        let Some(theme) = &self.theme else {
            return Err(Vec::new());
        };
        let opts = RenderOptions {
            search: config.search.enabled,
        };
        // Git history, walked again only when HEAD moves.
        let mut history = self
            .history
            .get(&self.root, &crate::commands::build::history_dirs(&config));
        history.mark_entries(&self.root, &site);
        let t_history = t0.elapsed();
        let (delta, memo) = render_since(
            self.memo.as_ref(),
            site,
            &config,
            theme,
            self.theme_generation,
            &opts,
            true,
            Some(&history),
            &touched,
        )?;
        // The last site and the notes read are freed on another thread: that
        // takes a while at 10,000 meetings, and nothing waits for it.
        let old = self.memo.replace(memo);
        background().spawn(move || drop((old, corpus)));
        let t_render = t0.elapsed();
        let timings = format!(
            "load {} ms ({} notes read, {} cached), resolve {} ms, history {} ms, render {} ms ({} of {} pages)",
            t_load.as_millis(),
            self.notes.misses,
            self.notes.hits,
            (t_resolve - t_load).as_millis(),
            (t_history - t_resolve).as_millis(),
            (t_render - t_history).as_millis(),
            delta.pages_rendered,
            delta.pages_total,
        );
        Ok(Built {
            delta,
            warnings: diags,
            timings,
            history_notes: history.notes,
        })
    }
}

/// The served files after `delta`, built on `old`, and the files to make
/// on request.
pub fn apply(old: &Files, delta: Delta) -> (Files, server::Lazy) {
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
fn background() -> &'static rayon::ThreadPool {
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
fn index_in_background(shared: &Arc<Shared>, builder: &Builder) {
    let (Some(memo), Some(theme), Some(config)) = (&builder.memo, &builder.theme, &builder.config)
    else {
        return;
    };
    if !config.search.enabled {
        return;
    }
    let generation = shared.status.borrow().generation;
    let (site, theme, config) = (Arc::clone(memo.site()), Arc::clone(theme), config.clone());
    let shared = Arc::clone(shared);
    background().spawn(move || {
        if shared.status.borrow().generation != generation {
            return;
        }
        let Ok(index) = crate::search::files(&site, &config, &theme) else {
            return;
        };
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

fn is_loopback(ip: &IpAddr) -> bool {
    ip.is_loopback()
}

/// Runs `serve` until interrupted.
pub fn run(g: &Global, args: &ServeArgs, report: &mut Report) -> std::io::Result<i32> {
    if !g.root.is_dir() {
        writeln!(report.err, "error: no site root at {}", g.root.display())?;
        return Ok(2);
    }
    if !is_loopback(&args.interface) {
        writeln!(
            report.err,
            "warning: serving on {}, not on loopback: anyone who can reach this machine can read the site \
             (including notes that are not published yet)",
            args.interface
        )?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let listener = match runtime.block_on(tokio::net::TcpListener::bind(SocketAddr::new(
        args.interface,
        args.port,
    ))) {
        Ok(l) => l,
        Err(e) => {
            writeln!(
                report.err,
                "error: cannot listen on {}:{}: {e}",
                args.interface, args.port
            )?;
            writeln!(
                report.err,
                "  help: pass another --port (0 picks a free one)"
            )?;
            return Ok(2);
        }
    };
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}/");

    let mut builder = Builder::new(&g.root, g.today, &url);
    let started = Instant::now();
    let (status0, files0) = match builder.rebuild(&[]) {
        Ok(built) => {
            print_warnings(report, &g.root, &built.warnings);
            for n in &built.history_notes {
                writeln!(report.err, "note: history: {n}")?;
            }
            writeln!(
                report.err,
                "built {} files in {} ms ({})",
                built.delta.paths.len(),
                started.elapsed().as_millis(),
                built.timings
            )?;
            let (files, lazy) = apply(&Files::new(), built.delta);
            (
                Status {
                    generation: 1,
                    error: None,
                },
                (files, lazy),
            )
        }
        Err(errors) => {
            print_errors(report, &g.root, &errors);
            (
                Status {
                    generation: 0,
                    error: Some(errors.iter().map(Problem::from).collect()),
                },
                (Files::new(), server::Lazy::new(None)),
            )
        }
    };
    let (status_tx, _) = tokio::sync::watch::channel(status0);
    let (files0, lazy0) = files0;
    let shared = Arc::new(Shared {
        files: RwLock::new(Arc::new(files0)),
        lazy: RwLock::new(Arc::new(lazy0)),
        status: status_tx,
    });

    let (content, groups) = builder.watched_dirs();
    let relevant = Relevant::new(&g.root, &content, &groups);
    let (watch, fallback) = match SiteWatcher::start(relevant, args.poll) {
        Ok(w) => w,
        Err(e) => {
            writeln!(report.err, "error: cannot watch {}: {e}", g.root.display())?;
            return Ok(2);
        }
    };
    if let Some(why) = fallback {
        writeln!(
            report.err,
            "warning: native file events unavailable ({why}); polling for changes"
        )?;
    }
    writeln!(
        report.err,
        "serving the site at {url} (watching {}{}; Ctrl+C to stop)",
        g.root.display(),
        if watch.polling { " by polling" } else { "" }
    )?;
    report.err.flush()?;
    if args.open {
        open_browser(&url);
    }

    index_in_background(&shared, &builder);
    let app = server::router(Arc::clone(&shared));
    runtime.spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("error: the server stopped: {e}");
        }
    });

    // Rebuild on this thread, forever.
    while let Some(batch) = watch.next_batch() {
        for e in &batch.errors {
            writeln!(report.err, "warning: file watcher: {e}")?;
        }
        let t = Instant::now();
        let changed = if batch.rescan {
            Vec::new()
        } else {
            batch.paths.clone()
        };
        if batch.rescan {
            builder.notes.clear();
        }
        match builder.rebuild(&changed) {
            Ok(built) => {
                let old = match shared.files.read() {
                    Ok(f) => Arc::clone(&f),
                    Err(p) => Arc::clone(&p.into_inner()),
                };
                let (files, lazy) = apply(&old, built.delta);
                let lazy = Arc::new(lazy);
                match shared.lazy.write() {
                    Ok(mut l) => *l = Arc::clone(&lazy),
                    Err(p) => *p.into_inner() = Arc::clone(&lazy),
                }
                let files = Arc::new(files);
                match shared.files.write() {
                    Ok(mut f) => *f = files,
                    Err(p) => *p.into_inner() = files,
                }
                let generation = shared.status.borrow().generation + 1;
                shared.status.send_replace(Status {
                    generation,
                    error: None,
                });
                // Make the whole-site files (JSON, feeds, calendars) ahead
                // of a request for them, after the reload went out.
                background().spawn(move || {
                    lazy.files();
                });
                index_in_background(&shared, &builder);
                writeln!(
                    report.err,
                    "rebuilt in {} ms after {} ({})",
                    t.elapsed().as_millis(),
                    describe(&batch.paths, &g.root),
                    built.timings
                )?;
            }
            Err(errors) => {
                print_errors(report, &g.root, &errors);
                let generation = shared.status.borrow().generation;
                shared.status.send_replace(Status {
                    generation,
                    error: Some(errors.iter().map(Problem::from).collect()),
                });
                writeln!(
                    report.err,
                    "the site has errors: still serving the last good build"
                )?;
            }
        }
        report.err.flush()?;
    }
    // The watcher stopped: keep serving what there is.
    writeln!(
        report.err,
        "warning: the file watcher stopped; no more rebuilds"
    )?;
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

fn describe(paths: &[PathBuf], root: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let names: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
        .collect();
    match paths.len() {
        0 => "a rescan".into(),
        n if n > 3 => format!("{} and {} more", names.join(", "), n - 3),
        _ => names.join(", "),
    }
}

fn print_errors(report: &mut Report, root: &Path, errors: &[Diagnostic]) {
    let source = |file: &str| std::fs::read_to_string(root.join(file)).ok();
    let style = match report.style {
        Style::Json | Style::Github => Style::Plain,
        s => s,
    };
    let _ = diagnostics::emit(report.err, errors, style, &source);
}

fn print_warnings(report: &mut Report, root: &Path, warnings: &[Diagnostic]) {
    let n = warnings
        .iter()
        .filter(|d| !d.is_error() && !d.is_info())
        .count();
    if n > 0 {
        let _ = writeln!(
            report.err,
            "{n} warning(s); `quorum check --root {}` lists them",
            root.display()
        );
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
