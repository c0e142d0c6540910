//! The commands behind the command line, each writing to the writers it is
//! given and returning an exit status (0 success, 1 content errors, 2 usage).

pub mod actions;
pub mod build;
pub mod check;
pub mod explain;
pub mod ids;
pub mod import;
pub mod init;
pub mod new;

use crate::build::{Loaded, SiteError};
use crate::diagnostics::{self, Diagnostic, Style};
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;

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

/// Where diagnostics go and how they look.
pub struct Report<'a> {
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
    /// Style of diagnostics.
    pub style: Style,
}

impl Report<'_> {
    /// Prints diagnostics: JSON and GitHub annotations to stdout, the rest to stderr.
    pub fn diagnostics(&mut self, root: &Path, diags: &[Diagnostic]) -> std::io::Result<()> {
        let source = |file: &str| std::fs::read_to_string(root.join(file)).ok();
        match self.style {
            Style::Json | Style::Github => diagnostics::emit(self.out, diags, self.style, &source),
            _ => diagnostics::emit(self.err, diags, self.style, &source),
        }
    }
}

/// Loads the site, printing a site-level failure; `Err(2)` when there is none to read.
pub fn load(g: &Global, keep_going: bool, report: &mut Report) -> Result<Loaded, i32> {
    let cache_path = g.root.join(crate::build::CACHE_FILE);
    let mut cache = (g.cache && g.root.is_dir()).then(|| crate::load::NoteCache::open(&cache_path));
    let loaded = crate::build::load_with(&g.root, g.today, keep_going, cache.as_mut());
    if let (Some(c), Ok(_)) = (&cache, &loaded) {
        // A cache that cannot be written (a read-only checkout) only costs time.
        if c.misses > 0 || c.pruned {
            let _ = c.save(&cache_path);
        }
    }
    match loaded {
        Ok(l) => Ok(l),
        Err(SiteError::NoRoot(msg)) => {
            let _ = writeln!(report.err, "error: {msg}");
            let _ = writeln!(report.err, "  help: run quorum in a site's folder, or pass --root DIR (quorum init DIR makes a new site)");
            Err(2)
        }
        Err(SiteError::Config(diags)) => {
            let _ = report.diagnostics(&g.root, &diags);
            Err(2)
        }
    }
}
