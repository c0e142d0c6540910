//! `quorum build`: render the whole site and swap it into the output folder
//! only when everything succeeded.

use super::{load, Global, Report};
use crate::diagnostics::Diagnostic;
use crate::history::{HistoryCache, SiteHistory};
use crate::output::{write_site, write_site_with};
use crate::render::{render_site_with_history, OutputFile, RenderOptions, Theme};
use std::path::PathBuf;

/// Where the command line keeps the history walk, under the site root.
pub const HISTORY_CACHE_FILE: &str = ".quorum-cache/history.bin";
/// Where `build` records what it wrote into the output folder `out`, under
/// the site root: one record per output folder, so that builds into two
/// folders (with and without `--no-search`, say) each update theirs in place.
pub fn output_manifest(root: &std::path::Path, out: &std::path::Path) -> std::path::PathBuf {
    let out = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let key = xxhash_rust::xxh3::xxh3_64(out.to_string_lossy().as_bytes());
    root.join(format!(".quorum-cache/output-{key:016x}.bin"))
}

/// `build`'s options.
#[derive(Debug, Clone, Default)]
pub struct BuildArgs {
    /// Output folder (relative to the site root unless absolute).
    pub out: PathBuf,
    /// Overrides quorum.toml's base_url.
    pub base_url: Option<String>,
    /// Leave notes in error out and publish the rest.
    pub keep_going: bool,
    /// Leave the search index and box out.
    pub no_search: bool,
    /// Do not read the git history.
    pub no_history: bool,
}

/// Renders the site in memory: the files to write, or the problems that stop it.
pub fn render(
    g: &Global,
    args: &BuildArgs,
    report: &mut Report,
) -> Result<(Vec<OutputFile>, usize), i32> {
    // The history walk reads only git and quorum.toml: it runs while the
    // notes are loaded and resolved. Nothing is written from there: a build
    // that stops at an error leaves the walk behind.
    let walk = (!args.no_history && g.root.is_dir()).then(|| {
        let (root, cache) = (g.root.clone(), g.cache);
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            let dirs = history_dirs(&crate::config::SiteConfig::load(&root).ok()?);
            let (h, kept) = read_history(&root, &dirs, cache);
            Some((dirs, h, kept, started.elapsed()))
        })
    });
    let mut loaded = load(g, args.keep_going, report)?;
    if let Some(b) = &args.base_url {
        loaded.config.base_url = b.clone();
    }
    let mut diags = loaded.diagnostics.clone();
    if loaded.config.base_url.is_empty() {
        diags.push(
            Diagnostic::warning(
                "no-base-url",
                "quorum.toml",
                1,
                1,
                "base_url is empty: no feed, sitemap or calendar",
            )
            .with_help("set base_url in quorum.toml or pass --base-url https://…/"),
        );
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let blocking = if args.keep_going {
        loaded.has_blocking_errors()
    } else {
        errors > 0
    };
    if blocking {
        let _ = report.diagnostics(&g.root, &diags);
        let _ = writeln!(report.err, "error: {errors} error(s) in the notes; the site was not built (previous output left as it was)");
        let _ = writeln!(
            report.err,
            "  help: mend them, or pass --keep-going to publish the rest"
        );
        return Err(1);
    }
    let _ = report.diagnostics(&g.root, &diags);
    if args.keep_going && !loaded.corpus.failed.is_empty() {
        let _ = writeln!(report.err, "left out (errors, see above):");
        for f in &loaded.corpus.failed {
            let _ = writeln!(report.err, "  {f}");
        }
    }
    let theme = match Theme::load(&g.root, &loaded.config) {
        Ok(t) => t,
        Err(d) => {
            let _ = report.diagnostics(&g.root, &[d]);
            return Err(1);
        }
    };
    let opts = RenderOptions {
        search: loaded.config.search.enabled && !args.no_search,
    };
    let timer = crate::build::Timer::new();
    let history = walk.map(|walk| {
        let dirs = history_dirs(&loaded.config);
        let (mut h, kept) = match walk.join() {
            Ok(Some((walked, h, kept, took))) if walked == dirs => {
                timer.note("history walk, beside loading", took);
                (h, kept)
            }
            // quorum.toml changed meanwhile, or the walk could not start.
            _ => read_history(&g.root, &dirs, g.cache),
        };
        if let Some(kept) = kept {
            let _ = kept.save(&g.root.join(HISTORY_CACHE_FILE));
        }
        h.mark_entries(&g.root, &loaded.site);
        for n in &h.notes {
            let _ = writeln!(report.err, "note: history: {n}");
        }
        h
    });
    timer.lap("history (left after loading)");
    let (rendered, search) = rayon::join(
        || {
            render_site_with_history(
                &loaded.site,
                &loaded.config,
                &theme,
                &opts,
                history.as_ref(),
            )
        },
        || {
            if opts.search {
                crate::search::files(&loaded.site, &loaded.config, &theme)
            } else {
                Ok(Vec::new())
            }
        },
    );
    timer.lap("render and search");
    match (rendered, search) {
        (Ok(mut files), Ok(search)) => {
            if opts.search {
                files.extend(search);
                files.sort_by(|a, b| a.path.cmp(&b.path));
            } else {
                files.retain(|f| f.path != "search.js");
            }
            Ok((files, loaded.site.meetings.len()))
        }
        (Err(d), _) | (_, Err(d)) => {
            let _ = report.diagnostics(&g.root, &d);
            Err(1)
        }
    }
}

/// The git history of the site's `dirs`, walked once per HEAD. With `cache`,
/// the walk kept in .quorum-cache/ is used, and the cache to save when the
/// history was walked (saved by the caller, once the build goes on).
fn read_history(
    root: &std::path::Path,
    dirs: &[String],
    cache: bool,
) -> (SiteHistory, Option<HistoryCache>) {
    if !cache {
        return (SiteHistory::read(root, dirs), None);
    }
    let mut kept = HistoryCache::open(&root.join(HISTORY_CACHE_FILE));
    let h = kept.get(root, dirs);
    (h, (kept.walks > 0).then_some(kept))
}

/// The folders whose git history pages show: the content folder and every
/// group folder configured outside it (relative to the site root).
pub fn history_dirs(config: &crate::config::SiteConfig) -> Vec<String> {
    let mut dirs = vec![config.content.clone()];
    dirs.extend(config.groups.values().filter_map(|g| g.path.clone()));
    dirs
}

/// Runs `build`.
pub fn run(g: &Global, args: &BuildArgs, report: &mut Report) -> std::io::Result<i32> {
    let started = std::time::Instant::now();
    // Resolved before any check: `--out x/../content` is the notes folder.
    let out = match crate::paths::output_folder(&g.root, &args.out) {
        Ok(out) => out,
        Err(msg) => {
            writeln!(report.err, "error: {msg}")?;
            writeln!(
                report.err,
                "  help: pass --out a folder of its own, such as `public`"
            )?;
            return Ok(2);
        }
    };
    let (files, meetings) = match render(g, args, report) {
        Ok(f) => f,
        Err(code) => return Ok(code),
    };
    let timer = crate::build::Timer::new();
    // With the cache on, the output folder is updated in place after the
    // record of the last write (only changed files are written).
    let written = if g.cache {
        write_site_with(&out, &files, &output_manifest(&g.root, &out)).map(|s| {
            format!(
                "{} written, {} unchanged, {} removed",
                s.written, s.unchanged, s.removed
            )
        })
    } else {
        write_site(&out, &files).map(|()| format!("{} written", files.len()))
    };
    timer.lap("write");
    let written = match written {
        Ok(w) => w,
        Err(e) => {
            writeln!(report.err, "error: {e}")?;
            writeln!(report.err, "  the previous output was left as it was")?;
            return Ok(1);
        }
    };
    writeln!(
        report.err,
        "built {} meetings into {} ({} files: {}) in {} ms",
        meetings,
        out.display(),
        files.len(),
        written,
        started.elapsed().as_millis()
    )?;
    Ok(0)
}
