//! The one place that chains the stages: config, load, resolve (and, for
//! `quorum build`, render and output), deciding go or no-go.

use crate::config::SiteConfig;
use crate::diagnostics::{self, Diagnostic};
use crate::load::{load_site, load_site_cached, Corpus, NoteCache};
use crate::model::Site;
use crate::resolve::{resolve, ResolveOptions};
use chrono::NaiveDate;
use std::path::Path;

/// A site read and resolved, with every problem found.
#[derive(Debug)]
pub struct Loaded {
    /// quorum.toml.
    pub config: SiteConfig,
    /// The notes as read.
    pub corpus: Corpus,
    /// The resolved site.
    pub site: Site,
    /// Every problem, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// The problems that are errors.
    pub fn errors(&self) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect()
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Whether an error lies in a file that is published (not left out).
    pub fn has_blocking_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.is_error() && !self.corpus.failed.contains(&d.file))
    }
}

/// Why a site could not be read at all (exit status 2).
#[derive(Debug)]
pub enum SiteError {
    /// The root folder does not exist or is not a site.
    NoRoot(String),
    /// quorum.toml could not be read or is invalid.
    Config(Vec<Diagnostic>),
}

/// Reads and resolves the site at `root`. With `keep_going`, notes with errors
/// are left out and refs into them become warnings.
pub fn load(root: &Path, today: NaiveDate, keep_going: bool) -> Result<Loaded, SiteError> {
    load_with(root, today, keep_going, None)
}

/// Where the command line keeps its cache of parsed notes, under the site root.
pub const CACHE_FILE: &str = ".quorum-cache/notes.bin";

/// [`load`], taking unchanged notes from `cache` (and keeping what it read there).
pub fn load_with(
    root: &Path,
    today: NaiveDate,
    keep_going: bool,
    cache: Option<&mut NoteCache>,
) -> Result<Loaded, SiteError> {
    if !root.is_dir() {
        return Err(SiteError::NoRoot(format!(
            "no site root at {}",
            root.display()
        )));
    }
    let config = SiteConfig::load(root).map_err(SiteError::Config)?;
    if !root.join("quorum.toml").is_file() && !root.join(&config.content).is_dir() {
        return Err(SiteError::NoRoot(format!(
            "{} is not a quorum site: it has neither quorum.toml nor a `{}` folder",
            root.display(),
            config.content
        )));
    }
    let timer = Timer::new();
    let (mut corpus, mut diags) = match cache {
        Some(c) => load_site_cached(root, &config, c),
        None => load_site(root, &config),
    };
    timer.lap("load");
    let opts = ResolveOptions {
        today,
        keep_going,
        checks: true,
    };
    let (mut site, mut d) = resolve(&corpus, &config, opts);
    timer.lap("resolve");
    if keep_going {
        // Leave out every file in error (those resolve finds too) and resolve
        // the rest again, until no error remains among what is published.
        loop {
            let failed: Vec<String> = diags
                .iter()
                .chain(d.iter())
                .filter(|x| x.is_error() && !corpus.failed.contains(&x.file))
                .map(|x| x.file.clone())
                .collect();
            let before = corpus.failed.len();
            corpus.failed.extend(failed);
            corpus.notes.retain(|n| !corpus.failed.contains(&n.path));
            if corpus.failed.len() == before {
                break;
            }
            diags.append(&mut d);
            (site, d) = resolve(&corpus, &config, opts);
        }
    }
    diags.append(&mut d);
    diagnostics::sort(&mut diags);
    diags.dedup();
    Ok(Loaded {
        config,
        corpus,
        site,
        diagnostics: diags,
    })
}

/// Prints how long each stage took to stderr when `QUORUM_TIMINGS` is set.
pub struct Timer {
    start: Option<std::cell::Cell<std::time::Instant>>,
}

impl Timer {
    /// A timer that is on when `QUORUM_TIMINGS` is set.
    pub fn new() -> Timer {
        Timer {
            start: std::env::var_os("QUORUM_TIMINGS")
                .map(|_| std::cell::Cell::new(std::time::Instant::now())),
        }
    }

    /// Prints the time of work done elsewhere (another thread), when on.
    pub fn note(&self, what: &str, took: std::time::Duration) {
        if self.start.is_some() {
            eprintln!("timing: {what} {:.1} ms", took.as_secs_f64() * 1000.0);
        }
    }

    /// Prints the time since the last lap under `stage`.
    pub fn lap(&self, stage: &str) {
        if let Some(start) = &self.start {
            let now = std::time::Instant::now();
            self.note(stage, now - start.get());
            start.set(now);
        }
    }
}

impl Default for Timer {
    fn default() -> Self {
        Timer::new()
    }
}
