//! `quorum serve`: build the site into memory, serve it on 127.0.0.1, watch
//! its files, rebuild what changed and tell open pages to reload.

use super::{Exit, Global, Report};
use crate::diagnostics::{self, Diagnostic, Style};
use crate::serve::reload::{Problem, Status};
use crate::serve::server::{self, Files, Shared};
use crate::serve::watcher::{Relevant, SiteWatcher};
use crate::serve::{apply, background, index_in_background, Builder};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

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

fn is_loopback(ip: &IpAddr) -> bool {
    ip.is_loopback()
}

/// Runs `serve` until interrupted.
pub fn run(g: &Global, args: &ServeArgs, report: &mut Report) -> std::io::Result<Exit> {
    if !g.root.is_dir() {
        writeln!(report.err, "error: no site root at {}", g.root.display())?;
        return Ok(Exit::Usage);
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
    let Some(listener) = listen(&runtime, args, report)? else {
        return Ok(Exit::Usage);
    };
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}/");

    let mut builder = Builder::new(&g.root, g.today, &url);
    let shared = first_build(&mut builder, &g.root, report)?;
    let (content, groups) = builder.watched_dirs();
    let relevant = Relevant::new(&g.root, &content, &groups);
    let (watch, fallback) = match SiteWatcher::start(relevant, args.poll) {
        Ok(w) => w,
        Err(e) => {
            writeln!(report.err, "error: cannot watch {}: {e}", g.root.display())?;
            return Ok(Exit::Usage);
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
    rebuild_forever(&watch, &mut builder, &shared, &g.root, report)?;
    // The watcher stopped: keep serving what there is.
    writeln!(
        report.err,
        "warning: the file watcher stopped; no more rebuilds"
    )?;
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

/// Binds the address to serve at; `None` (after saying why) when it cannot.
fn listen(
    runtime: &tokio::runtime::Runtime,
    args: &ServeArgs,
    report: &mut Report,
) -> std::io::Result<Option<tokio::net::TcpListener>> {
    let addr = SocketAddr::new(args.interface, args.port);
    match runtime.block_on(tokio::net::TcpListener::bind(addr)) {
        Ok(l) => Ok(Some(l)),
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
            Ok(None)
        }
    }
}

/// Builds the site once: what the server starts with (the site, or no
/// files and the errors shown in the browser).
fn first_build(
    builder: &mut Builder,
    root: &Path,
    report: &mut Report,
) -> std::io::Result<Arc<Shared>> {
    let started = Instant::now();
    let (status, files, lazy) = match builder.rebuild(None) {
        Ok(built) => {
            print_warnings(report, root, &built.warnings);
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
            let status = Status {
                generation: 1,
                error: None,
            };
            (status, files, lazy)
        }
        Err(errors) => {
            print_errors(report, root, &errors);
            let status = Status {
                generation: 0,
                error: Some(errors.iter().map(Problem::from).collect()),
            };
            (status, Files::new(), server::Lazy::new(None))
        }
    };
    let (status_tx, _) = tokio::sync::watch::channel(status);
    Ok(Arc::new(Shared {
        files: RwLock::new(Arc::new(files)),
        lazy: RwLock::new(Arc::new(lazy)),
        status: status_tx,
    }))
}

/// Rebuilds on this thread after every batch of changes, until the watcher stops.
fn rebuild_forever(
    watch: &SiteWatcher,
    builder: &mut Builder,
    shared: &Arc<Shared>,
    root: &Path,
    report: &mut Report,
) -> std::io::Result<()> {
    while let Some(batch) = watch.next_batch() {
        for e in &batch.errors {
            writeln!(report.err, "warning: file watcher: {e}")?;
        }
        let t = Instant::now();
        if batch.rescan {
            builder.forget_notes();
        }
        let changed = (!batch.rescan).then_some(batch.paths.as_slice());
        match builder.rebuild(changed) {
            Ok(built) => {
                publish(shared, built.delta);
                index_in_background(shared, builder);
                writeln!(
                    report.err,
                    "rebuilt in {} ms after {} ({})",
                    t.elapsed().as_millis(),
                    describe(&batch.paths, root),
                    built.timings
                )?;
            }
            Err(errors) => {
                print_errors(report, root, &errors);
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
    Ok(())
}

/// Puts a rebuild's files over the served ones and tells the browsers to
/// reload; then makes the whole-site files in the background.
fn publish(shared: &Shared, delta: crate::render::incremental::Delta) {
    let old = match shared.files.read() {
        Ok(f) => Arc::clone(&f),
        Err(p) => Arc::clone(&p.into_inner()),
    };
    let (files, lazy) = apply(&old, delta);
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
    // Make the whole-site files (JSON, feeds, calendars) ahead of a
    // request for them, after the reload went out.
    background().spawn(move || {
        lazy.files();
    });
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
