//! The commands behind the command line, each writing to the writers it is
//! given and returning an exit status (0 success, 1 content errors, 2 usage).

pub mod actions;
pub mod build;
pub mod check;
pub mod explain;
pub mod ids;
pub mod import;
pub mod init;
pub mod minutes;
pub mod new;
pub mod serve;

use crate::build::{Loaded, SiteError};

use chrono::NaiveDate;

/// Options every command takes.
#[derive(Debug, Clone)]
pub struct Global {
    /// The site root.
    pub root: std::path::PathBuf,
    /// The date taken as today.
    pub today: NaiveDate,
    /// Keep parsed notes in the site's `.quorum-cache/` between runs.
    pub cache: bool,
}

pub use crate::diagnostics::Report;

/// How a command ends: the process's exit status, always one of these numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, nothing wrong.
    Success = 0,
    /// 1: the notes have errors (or warnings under `--deny-warnings`), or a
    /// file could not be read or written.
    Failure = 1,
    /// 2: no site to read, a bad configuration or argument, or an I/O error.
    Usage = 2,
}

impl Exit {
    /// The number the process exits with.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e.code())
    }
}

/// Loads the site, printing a site-level failure; `Err(Exit::Usage)` when there is none to read.
pub fn load(g: &Global, keep_going: bool, report: &mut Report) -> Result<Loaded, Exit> {
    let opts = crate::build::Options {
        today: g.today,
        keep_going,
        history: false,
        ..crate::build::Options::default()
    };
    let mut pipeline = if g.cache {
        crate::build::Pipeline::on_disk(&g.root, opts)
    } else {
        crate::build::Pipeline::uncached(&g.root, opts)
    };
    pipeline.load().map_err(|e| site_error(g, e, report))
}

/// Prints why there is no site to read; the exit status ([`Exit::Usage`]).
pub fn site_error(g: &Global, e: SiteError, report: &mut Report) -> Exit {
    match e {
        SiteError::NoRoot(msg) => {
            let _ = writeln!(report.err, "error: {msg}");
            let _ = writeln!(report.err, "  help: run quorum in a site's folder, or pass --root DIR (quorum init DIR makes a new site)");
        }
        SiteError::Config(diags) => {
            let _ = report.diagnostics(&g.root, &diags);
        }
    }
    Exit::Usage
}
