//! `quorum build`: render the whole site and swap it into the output folder
//! only when everything succeeded.

use super::{Exit, Global, Report};
use crate::build::{Failure, Options, Pipeline, SearchMode};
use crate::output::{write_site, write_site_with};
use crate::progress::{print_build_diagnostics, Progress, SHOW_AFTER};
use crate::render::OutputFile;
use std::io::IsTerminal;
use std::path::PathBuf;

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
    /// Print every warning, not one line per kind.
    pub verbose: bool,
}

/// Renders the site in memory: the files to write and the meeting count, or
/// the exit status when something stops it (printed).
pub fn render(
    g: &Global,
    args: &BuildArgs,
    report: &mut Report,
) -> Result<(Vec<OutputFile>, usize), Exit> {
    let opts = Options {
        today: g.today,
        keep_going: args.keep_going,
        base_url: args.base_url.clone(),
        search: if args.no_search {
            SearchMode::Off
        } else {
            SearchMode::Inline
        },
        history: !args.no_history,
        defer_data: false,
    };
    let mut pipeline = if g.cache {
        Pipeline::on_disk(&g.root, opts)
    } else {
        Pipeline::uncached(&g.root, opts)
    };
    let rendered = match pipeline.run(None) {
        Ok(r) => r,
        Err(Failure::Site(e)) => return Err(super::site_error(g, e, report)),
        Err(Failure::Notes(diags)) => {
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let _ = print_build_diagnostics(report, &g.root, &diags, args.verbose);
            let _ = writeln!(report.err, "error: {errors} error(s) in the notes; the site was not built (previous output left as it was)");
            let _ = writeln!(
                report.err,
                "  help: mend them, or pass --keep-going to publish the rest"
            );
            return Err(Exit::Failure);
        }
        Err(Failure::Render(diags)) => {
            let _ = report.diagnostics(&g.root, &diags);
            return Err(Exit::Failure);
        }
    };
    let _ = print_build_diagnostics(report, &g.root, &rendered.warnings, args.verbose);
    if !rendered.failed.is_empty() {
        let _ = writeln!(report.err, "left out (errors, see above):");
        for f in &rendered.failed {
            let _ = writeln!(report.err, "  {f}");
        }
    }
    for n in &rendered.history_notes {
        let _ = writeln!(report.err, "note: history: {n}");
    }
    let meetings = rendered.meetings;
    let timer = crate::timer::Timer::new();
    let files = rendered.into_files();
    drop(pipeline);
    timer.lap("free the site");
    Ok((files, meetings))
}

/// Runs `build`.
pub fn run(g: &Global, args: &BuildArgs, report: &mut Report) -> std::io::Result<Exit> {
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
            return Ok(Exit::Usage);
        }
    };
    let mut progress = Progress::start(std::io::stderr().is_terminal(), SHOW_AFTER);
    progress.stage("reading and rendering the notes");
    let rendered = {
        let mut err = progress.writer(&mut *report.err);
        let mut r = Report {
            out: &mut *report.out,
            err: &mut err,
            style: report.style,
        };
        render(g, args, &mut r)
    };
    let (files, meetings) = match rendered {
        Ok(f) => f,
        Err(code) => return Ok(code),
    };
    progress.stage(format!("writing {} files", files.len()));
    let timer = crate::timer::Timer::new();
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
    progress.finish();
    let written = match written {
        Ok(w) => w,
        Err(e) => {
            writeln!(report.err, "error: {e}")?;
            writeln!(report.err, "  the previous output was left as it was")?;
            return Ok(Exit::Failure);
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
    Ok(Exit::Success)
}
