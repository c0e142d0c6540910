//! The one place that chains the stages: config, load, resolve, history,
//! render and search, deciding go or no-go. `quorum build` runs a one-shot
//! [`Pipeline`] with the caches kept on disk; `quorum serve` keeps one alive
//! and runs it again after every change; `check`, `actions`, `new` and `ids`
//! run its first stages only ([`Pipeline::load`]).

use crate::config::SiteConfig;
use crate::diagnostics::{self, Code, Diagnostic};
use crate::history::{HistoryCache, SiteHistory};
use crate::load::{load_site, load_site_cached, NoteCache};
use crate::model::Site;
use crate::render::incremental::{render_since, Delta, Memo};
use crate::render::{OutputFile, RenderOptions, Theme};
use crate::resolve::{resolve, ResolveOptions};
use crate::timer::Timer;
use chrono::NaiveDate;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod outcome;
pub use outcome::{Failure, Loaded, Rendered, SiteError, Timings};

/// Reads and resolves the site at `root`. With `keep_going`, notes with errors
/// are left out and refs into them become warnings.
pub fn load(root: &Path, today: NaiveDate, keep_going: bool) -> Result<Loaded, SiteError> {
    let mut p = Pipeline::uncached(
        root,
        Options {
            today,
            keep_going,
            history: false,
            ..Options::default()
        },
    );
    p.load()
}

/// Where the command line keeps its cache of parsed notes, under the site root.
pub const CACHE_FILE: &str = ".quorum-cache/notes.bin";
/// Where the command line keeps the history walk, under the site root.
pub const HISTORY_CACHE_FILE: &str = ".quorum-cache/history.bin";

/// How the search index is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchMode {
    /// Beside the render, into [`Rendered::search`] (`quorum build`).
    #[default]
    Inline,
    /// Not by the pipeline: the caller indexes the last good build when it
    /// likes ([`Pipeline::search_files`], `quorum serve`).
    Deferred,
    /// No search at all (`--no-search`): no page, no index, no script.
    Off,
}

/// What a [`Pipeline`] builds, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The date taken as today.
    pub today: NaiveDate,
    /// Leave notes in error out and publish the rest.
    pub keep_going: bool,
    /// Overrides quorum.toml's base_url.
    pub base_url: Option<String>,
    /// How the search index is made (quorum.toml can still turn it off).
    pub search: SearchMode,
    /// Read git history for the pages.
    pub history: bool,
    /// Leave the files made from the whole site out of the render, to be
    /// made on request ([`Delta::deferred`], `quorum serve`).
    pub defer_data: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            today: NaiveDate::default(),
            keep_going: false,
            base_url: None,
            search: SearchMode::Inline,
            history: true,
            defer_data: false,
        }
    }
}

/// The stages chained once, with what one run keeps for the next: parsed
/// notes, the git walk, the theme and the last render.
pub struct Pipeline {
    root: PathBuf,
    opts: Options,
    /// Whether the caches are kept under the site's `.quorum-cache/`.
    disk: bool,
    /// Parsed notes kept between runs (none for a one-shot `--no-cache` build).
    notes: Option<NoteCache>,
    /// The git walk kept between runs (none: walked afresh each time).
    history: Option<HistoryCache>,
    /// How long the last load and resolve took.
    load_time: (Duration, Duration),
    theme: Option<Arc<Theme>>,
    theme_generation: u64,
    config: Option<SiteConfig>,
    memo: Option<Memo>,
}

impl Pipeline {
    /// A pipeline for the site at `root` with its caches in memory (`serve`).
    pub fn new(root: &Path, opts: Options) -> Pipeline {
        let mut p = Pipeline::uncached(root, opts);
        p.notes = Some(NoteCache::new());
        p.history = Some(HistoryCache::new());
        p
    }

    /// A pipeline that keeps nothing between runs (`--no-cache`).
    pub fn uncached(root: &Path, opts: Options) -> Pipeline {
        Pipeline {
            root: root.to_path_buf(),
            opts,
            disk: false,
            notes: None,
            history: None,
            load_time: (Duration::ZERO, Duration::ZERO),
            theme: None,
            theme_generation: 0,
            config: None,
            memo: None,
        }
    }

    /// A pipeline whose caches are read from and saved under the site's
    /// `.quorum-cache/` (the command line's, unless `--no-cache`).
    pub fn on_disk(root: &Path, opts: Options) -> Pipeline {
        let mut p = Pipeline::new(root, opts);
        if root.is_dir() {
            let timer = Timer::new();
            p.disk = true;
            p.notes = Some(NoteCache::open(&root.join(CACHE_FILE)));
            timer.lap("read the parsed-note cache");
            if p.opts.history {
                p.history = Some(HistoryCache::open(&root.join(HISTORY_CACHE_FILE)));
                timer.lap("read the history cache");
            }
        }
        p
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// quorum.toml as the last run read it.
    pub fn config(&self) -> Option<&SiteConfig> {
        self.config.as_ref()
    }

    /// Forgets every parsed note (a rescan).
    pub fn forget_notes(&mut self) {
        if let Some(n) = &mut self.notes {
            n.clear();
        }
    }

    /// Notes read from their files and taken from the cache by the last load.
    fn note_counts(&self) -> (usize, usize) {
        self.notes.as_ref().map_or((0, 0), |n| (n.misses, n.hits))
    }

    /// Saves the parsed notes when they are kept on disk and the last load
    /// read some afresh or forgot some (the cache counts per load). A cache
    /// that cannot be written (a read-only checkout) only costs time.
    fn save_notes(&self) {
        if let (true, Some(n)) = (self.disk, &self.notes) {
            if n.misses > 0 || n.pruned {
                let _ = n.save(&self.root.join(CACHE_FILE));
            }
        }
    }

    /// Config, load and resolve: the site read and resolved, with every
    /// problem. Saves the parsed notes when they are kept on disk.
    pub fn load(&mut self) -> Result<Loaded, SiteError> {
        let config = read_config(&self.root)?;
        let loaded = self.load_with(config);
        self.save_notes();
        Ok(loaded)
    }

    fn load_with(&mut self, config: SiteConfig) -> Loaded {
        let timer = Timer::new();
        let t0 = Instant::now();
        let (mut corpus, mut diags) = match &mut self.notes {
            Some(cache) => load_site_cached(&self.root, &config, cache),
            None => load_site(&self.root, &config),
        };
        let t_load = t0.elapsed();
        timer.lap("load");
        let opts = ResolveOptions {
            today: self.opts.today,
            keep_going: self.opts.keep_going,
            // Carry-over warnings are counted once, on the first run.
            checks: self.memo.is_none(),
        };
        let (mut site, mut d) = resolve(&corpus, &config, opts);
        timer.lap("resolve");
        if self.opts.keep_going {
            // Leave out every file in error (those resolve finds too) and
            // resolve the rest again, until no error remains among what is
            // published.
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
        self.load_time = (t_load, t0.elapsed() - t_load);
        Loaded {
            config,
            corpus,
            site,
            diagnostics: diags,
        }
    }

    /// Runs every stage. `changed` are the files changed since the last run
    /// (absolute paths), or `None` when anything may have changed. On
    /// failure the caches stay good for the files that did not change, and
    /// the last good render stays the one the next run compares with.
    pub fn run(&mut self, changed: Option<&[PathBuf]>) -> Result<Rendered, Failure> {
        let t0 = Instant::now();
        let (touched, mut theme_stale) = self.note_changes(changed);
        let mut config = read_config(&self.root).map_err(Failure::Site)?;
        if let Some(b) = &self.opts.base_url {
            if let Err(why) = crate::config::check_url(b) {
                let msg = format!("--base-url `{}` {why}", crate::text::escape_control(b));
                let d = Diagnostic::error(Code::Config, "--base-url", 1, 1, msg)
                    .with_help("pass an http(s) URL such as https://example.org/governance/");
                return Err(Failure::Site(SiteError::Config(vec![d])));
            }
            config.base_url = b.clone();
        }
        theme_stale |= self.config.as_ref() != Some(&config);
        self.config = Some(config.clone());
        // The history walk reads only git: it runs while the notes are
        // loaded and resolved.
        let walk = self.start_history_walk(config.source_dirs());
        let loaded = self.load_with(config);
        let t_resolve = t0.elapsed();
        let history = self.join_history_walk(walk, &loaded.config);
        self.save_notes();
        let warnings = self.go_or_no_go(&loaded)?;
        let theme = self.theme_for(&loaded.config, theme_stale)?;
        if let (Some((_, true)), Some(cache), true) = (&history, &self.history, self.disk) {
            // Saved only once the build goes on.
            let _ = cache.save(&self.root.join(HISTORY_CACHE_FILE));
        }
        let Loaded {
            config,
            corpus,
            site,
            ..
        } = loaded;
        let history = history.map(|(mut h, _)| {
            h.mark_entries(&site, &corpus.notes);
            h
        });
        // What is published: the site with its private parts left out.
        let site = crate::resolve::private::publishable(site);
        let t_history = t0.elapsed();
        let search = self.opts.search != SearchMode::Off && config.search.enabled;
        let inline = search && self.opts.search == SearchMode::Inline;
        let meetings = site.meetings.len();
        let failed: Vec<String> = corpus.failed.iter().cloned().collect();
        let site = Arc::new(site);
        let timer = Timer::new();
        let (rendered, search) = rayon::join(
            || {
                render_since(
                    self.memo.as_ref(),
                    Arc::clone(&site),
                    &config,
                    &theme,
                    self.theme_generation,
                    &RenderOptions { search },
                    self.opts.defer_data,
                    history.as_ref(),
                    &touched,
                )
            },
            || match inline {
                true => crate::search::files(&site),
                false => Vec::new(),
            },
        );
        timer.lap("render and search");
        let (delta, memo) = rendered.map_err(Failure::Render)?;
        // The last site and the notes read are freed off the caller's path
        // (that takes a while at 10,000 meetings).
        let old = self.memo.replace(memo);
        free_later(Box::new((old, corpus, site)));
        let t_render = t0.elapsed();
        let (read, cached) = self.note_counts();
        Ok(Rendered {
            timings: Timings {
                load: self.load_time.0,
                resolve: self.load_time.1,
                history: t_history - t_resolve,
                render: t_render - t_history,
                notes_read: read,
                notes_cached: cached,
            },
            delta,
            search,
            meetings,
            warnings,
            failed,
            history_notes: history.map(|h| h.notes).unwrap_or_default(),
        })
    }

    /// The search index of the last good run (with [`SearchMode::Deferred`]).
    pub fn search_files(&self) -> Option<SearchJob> {
        let (memo, config) = (self.memo.as_ref()?, self.config.as_ref()?);
        if self.opts.search == SearchMode::Off || !config.search.enabled {
            return None;
        }
        Some(SearchJob {
            site: Arc::clone(memo.site()),
        })
    }

    /// The notes changed since the last run, relative to the root, and
    /// whether the theme must be read again.
    fn note_changes(&mut self, changed: Option<&[PathBuf]>) -> (HashSet<String>, bool) {
        let mut theme_stale = self.theme.is_none();
        let Some(changed) = changed.filter(|c| !c.is_empty()) else {
            return (HashSet::new(), theme_stale);
        };
        let root_canon = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.clone());
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
        let touched = rels.iter().cloned().collect();
        // Only these changed: the next load looks at nothing else.
        if let Some(n) = &mut self.notes {
            n.expect_changes(rels);
        }
        (touched, theme_stale)
    }

    /// Starts walking the git history of `dirs` on a thread of its own,
    /// with the kept walk.
    fn start_history_walk(&mut self, dirs: Vec<String>) -> Option<Walk> {
        if !self.opts.history {
            return None;
        }
        let root = self.root.clone();
        let mut cache = self.history.take();
        Some(std::thread::spawn(move || {
            let started = Instant::now();
            let (h, walked) = walk_history(&root, &dirs, cache.as_mut());
            (dirs, h, cache, walked, started.elapsed())
        }))
    }

    /// The history of the site's folders, and whether it was walked anew.
    fn join_history_walk(
        &mut self,
        walk: Option<Walk>,
        config: &SiteConfig,
    ) -> Option<(SiteHistory, bool)> {
        let walk = walk?;
        let timer = Timer::new();
        let dirs = config.source_dirs();
        let result = match walk.join() {
            Ok((walked_dirs, h, cache, walked, took)) => {
                self.history = cache;
                timer.note("history walk, beside loading", took);
                // quorum.toml changed meanwhile: walk the folders it names now.
                (walked_dirs == dirs).then_some((h, walked))
            }
            Err(_) => None,
        };
        let result =
            result.unwrap_or_else(|| walk_history(&self.root, &dirs, self.history.as_mut()));
        timer.lap("history (left after loading)");
        Some(result)
    }

    /// Whether the build goes on: the problems that do not stop it, or every
    /// problem when some error does.
    fn go_or_no_go(&self, loaded: &Loaded) -> Result<Vec<Diagnostic>, Failure> {
        let mut diags = loaded.diagnostics.clone();
        if loaded.config.base_url.is_empty() {
            diags.push(
                Diagnostic::warning(
                    Code::NoBaseUrl,
                    "quorum.toml",
                    1,
                    1,
                    "base_url is empty: no feed, sitemap or calendar",
                )
                .with_help("set base_url in quorum.toml or pass --base-url https://…/"),
            );
        }
        let blocking = if self.opts.keep_going {
            loaded.has_blocking_errors()
        } else {
            loaded.has_errors()
        };
        if blocking {
            return Err(Failure::Notes(diags));
        }
        Ok(diags)
    }

    /// The theme, read again when it may have changed.
    fn theme_for(&mut self, config: &SiteConfig, stale: bool) -> Result<Arc<Theme>, Failure> {
        match &self.theme {
            Some(t) if !stale => Ok(Arc::clone(t)),
            _ => {
                let t = Arc::new(
                    crate::load::theme::read(&self.root, config)
                        .and_then(Theme::from_files)
                        .map_err(|d| Failure::Render(vec![d]))?,
                );
                self.theme = Some(Arc::clone(&t));
                self.theme_generation += 1;
                Ok(t)
            }
        }
    }
}

/// The history walk running beside loading: the folders walked, the
/// history, the cache back, whether it walked anew and how long it took.
type Walk = std::thread::JoinHandle<(
    Vec<String>,
    SiteHistory,
    Option<HistoryCache>,
    bool,
    Duration,
)>;

/// The git history of `root`'s `dirs`, from `cache` when it holds this HEAD's
/// walk, and whether it was walked anew.
fn walk_history(
    root: &Path,
    dirs: &[String],
    cache: Option<&mut HistoryCache>,
) -> (SiteHistory, bool) {
    match cache {
        Some(c) => {
            let walks = c.walks;
            let h = c.get(root, dirs);
            (h, c.walks > walks)
        }
        None => (SiteHistory::read(root, dirs), false),
    }
}

/// What indexing the last good build needs, to run wherever the caller likes.
pub struct SearchJob {
    site: Arc<Site>,
}

impl SearchJob {
    /// The search index's files.
    pub fn files(&self) -> Vec<OutputFile> {
        crate::search::files(&self.site)
    }
}

/// quorum.toml of the site at `root`, when there is a site there.
fn read_config(root: &Path) -> Result<SiteConfig, SiteError> {
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
    Ok(config)
}

/// Drops `what` on a thread of its own: nothing waits for it.
fn free_later(what: Box<dyn Send>) {
    let _ = std::thread::Builder::new()
        .name("quorum-free".into())
        .spawn(move || drop(what));
}
