//! What the pipeline gives: the site loaded, a good run's files and
//! figures, or why there is no site.

use super::Delta;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::model::{Corpus, Site};
use crate::output::OutputFile;
use std::time::Duration;

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

/// Why a run of the pipeline gave no site.
#[derive(Debug)]
pub enum Failure {
    /// There is no site to read (exit status 2).
    Site(SiteError),
    /// The notes have errors: every problem found, warnings included.
    Notes(Vec<Diagnostic>),
    /// The theme or a template failed.
    Render(Vec<Diagnostic>),
}

impl Failure {
    /// The errors among the problems (none for a missing site).
    pub fn errors(&self) -> Vec<Diagnostic> {
        match self {
            Failure::Site(SiteError::Config(d)) | Failure::Notes(d) | Failure::Render(d) => {
                d.iter().filter(|d| d.is_error()).cloned().collect()
            }
            Failure::Site(SiteError::NoRoot(_)) => Vec::new(),
        }
    }
}

/// A good run of the pipeline.
pub struct Rendered {
    /// The files rendered (all of them on a first run) and the site's paths.
    pub delta: Delta,
    /// The search index, with [`SearchMode::Inline`].
    pub search: Vec<OutputFile>,
    /// How many meetings the site has.
    pub meetings: usize,
    /// Every problem that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Notes left out for their errors (`keep_going`).
    pub failed: Vec<String>,
    /// What git could not tell.
    pub history_notes: Vec<String>,
    /// Time by stage.
    pub timings: Timings,
}

impl Rendered {
    /// Every file of the site, sorted by path (the deferred ones made now).
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.delta.changed;
        if let Some(make) = self.delta.deferred {
            files.extend(make());
        }
        files.extend(self.search);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

/// How long each stage of one run took.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Reading the notes.
    pub load: Duration,
    /// Resolving them into a site.
    pub resolve: Duration,
    /// What was left of the history walk once the notes were resolved.
    pub history: Duration,
    /// Rendering (and indexing, inline).
    pub render: Duration,
    /// Notes read from disk.
    pub notes_read: usize,
    /// Notes taken from the cache.
    pub notes_cached: usize,
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "load {} ms ({} notes read, {} cached), resolve {} ms, history {} ms, render {} ms",
            self.load.as_millis(),
            self.notes_read,
            self.notes_cached,
            self.resolve.as_millis(),
            self.history.as_millis(),
            self.render.as_millis(),
        )
    }
}
