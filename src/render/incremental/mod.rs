//! Re-rendering only the pages an edit affects, for `quorum serve`.
//!
//! [`render_since`] compares the new resolved site with the one rendered
//! last time (kept in a [`Memo`]) and renders again only the HTML pages whose
//! template context can have changed; every other file (feeds, calendars,
//! sitemaps, the JSON reports, static files) is made again each time, as it
//! is cheap. Pages are matched across the two sites by index, so anything
//! that moves an index (a meeting, item, person or group added, removed or
//! reordered), a change to a person or to a group's name, or a change to
//! quorum.toml, the theme or the render options renders everything.
//!
//! Which pages depend on what follows `pages/` (the only reader of the
//! site while rendering):
//!
//! - a meeting page shows the meeting, its previous and next meetings' rows
//!   (title, date, status, attendee count), and the rows of the items it
//!   opened, updated or carried in;
//! - an item page shows the item and the rows of the meetings in its history;
//! - a person page shows the person, the rows of the items they own and of
//!   the meetings they attended, and attendance rates, which depend on which
//!   meetings of those groups were held and in what order;
//! - a group page shows the group, its meetings, its items and attendance;
//! - the actions pages show every item row (only the pages holding a changed
//!   item are rendered, unless the order or the open count changed); the
//!   decisions page and each decision's page show every meeting's outcomes
//!   (a change to the decisions, or to the private counts, renders them or
//!   everything); the home, groups, people
//!   and 404 pages are always rendered again.
//!
//! An item's row shows the date of the meeting that opened it, so an item
//! counts as changed when that meeting's row does. The test
//! `incremental_matches_full_render` checks the result byte for byte against
//! a full render for each kind of edit.

use super::{data_files, is_data_path, other_files, static_files};
use super::{pages, plan, render_jobs, view, Job, OutputFile, RenderOptions};
use super::{Diagnostic, Site, SiteConfig, Theme};
use crate::history::SiteHistory;
use crate::model::{ItemId, MeetingId, TiVec};
use std::collections::HashSet;
use std::sync::Arc;

mod dirty;

use dirty::dirty_pages;

/// What one render leaves for the next to compare with.
pub(crate) struct Memo {
    site: Arc<Site>,
    ix: Arc<view::Index>,
    config: SiteConfig,
    search: bool,
    theme_generation: u64,
    /// What every page's footer showed of git (HEAD, uncommitted changes).
    history_key: Option<String>,
    order: Vec<ItemId>,
    open_count: usize,
}

impl Memo {
    /// The site that was rendered.
    pub(crate) fn site(&self) -> &Arc<Site> {
        &self.site
    }
}

/// Makes the files left out of a [`Delta`] when asked to defer them.
pub(crate) type Deferred = Box<dyn FnOnce() -> Vec<OutputFile> + Send>;

/// The result of [`render_since`].
pub struct Delta {
    /// The files rendered this time: every file when `full`, else the pages
    /// that may have changed and every file that is not a page.
    pub changed: Vec<OutputFile>,
    /// Every path of the new site, sorted; paths not among them are gone.
    pub paths: Vec<String>,
    /// Whether every page was rendered.
    pub full: bool,
    /// How many HTML pages were rendered.
    pub pages_rendered: usize,
    /// How many HTML pages the site has.
    pub pages_total: usize,
    /// With `defer_data`: makes the files built from the whole site (JSON
    /// reports, feeds, calendars, sitemaps), which are then neither in
    /// `changed` nor in `paths`. They cost more than the pages an edit
    /// touches, so `quorum serve` makes them when asked for.
    pub deferred: Option<Deferred>,
}

impl std::fmt::Debug for Delta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delta")
            .field("changed", &self.changed.len())
            .field("paths", &self.paths.len())
            .field("full", &self.full)
            .field("pages_rendered", &self.pages_rendered)
            .field("pages_total", &self.pages_total)
            .field("deferred", &self.deferred.is_some())
            .finish()
    }
}

/// Renders `site`, only in part when `prev` (the memo of the last render)
/// allows. `theme_generation` must change whenever the theme was loaded
/// again. The files of the last render, with `changed` put over them and
/// the paths not in `paths` removed (and the deferred files added, if
/// `defer_data`), are byte for byte what a first render (no `prev`) gives.
///
/// With `history`, pages show what git knows (as `quorum build` does):
/// `touched` are the notes whose lines' commits may have changed since the
/// last render (the files the watcher reported); their meetings' pages and
/// the pages of items with a step in them are rendered again. A change to
/// what every page's footer shows (HEAD, uncommitted changes) renders
/// everything.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_since(
    prev: Option<&Memo>,
    site: Arc<Site>,
    config: &SiteConfig,
    theme: &Arc<Theme>,
    theme_generation: u64,
    opts: &RenderOptions,
    defer_data: bool,
    history: Option<&SiteHistory>,
    touched: &HashSet<String>,
) -> Result<(Delta, Memo), Vec<Diagnostic>> {
    let timer = crate::timer::Timer::new();
    let history_key = history.map(|h| {
        serde_json::to_string(&super::git::GitView::new(h, config).site_updated).unwrap_or_default()
    });
    let ix = Arc::new(view::Index::new(&site));
    let order = pages::sorted_items(&ix);
    timer.lap("render: index");
    let open_count = ix.items.iter().filter(|r| r.open).count();
    let jobs = plan(
        &site,
        order.len().div_ceil(pages::ACTIONS_PAGE),
        opts.search,
    );
    let selected = prev
        .filter(|p| {
            p.config == *config
                && p.search == opts.search
                && p.theme_generation == theme_generation
                && p.history_key == history_key
        })
        .and_then(|p| {
            let touched = touched_meetings(&site, history, touched);
            dirty_pages(p, &site, &ix, &order, open_count, &jobs, &touched)
        });
    timer.lap("render: dirty pages");
    let chosen: Vec<&Job> = match &selected {
        Some(dirty) => jobs
            .iter()
            .zip(dirty)
            .filter(|(_, d)| **d)
            .map(|(j, _)| j)
            .collect(),
        None => jobs.iter().collect(),
    };
    let mut changed = render_jobs(&site, config, theme, opts, history, &ix, &order, &chosen)?;
    let pages_rendered = changed.len();
    timer.lap("render: pages");
    let deferred = if defer_data {
        changed.extend(static_files(theme, &jobs, &[], |p| !is_data_path(p)));
        Some(deferred_data(
            &site,
            &ix,
            config,
            theme,
            &order,
            opts.search,
        ))
    } else {
        changed.extend(other_files(&site, config, theme, &ix, &jobs));
        None
    };
    timer.lap("render: other files");
    let paths = site_paths(&jobs, &changed);
    changed.sort_by(|a, b| a.path.cmp(&b.path));
    let delta = Delta {
        changed,
        paths,
        full: selected.is_none(),
        pages_rendered,
        pages_total: jobs.len(),
        deferred,
    };
    let memo = Memo {
        site,
        ix,
        config: config.clone(),
        search: opts.search,
        theme_generation,
        history_key,
        order,
        open_count,
    };
    Ok((delta, memo))
}

/// For each meeting, whether git may show something new for its note:
/// `touched` are the notes the watcher reported (only in a repository).
fn touched_meetings(
    site: &Site,
    history: Option<&SiteHistory>,
    touched: &HashSet<String>,
) -> TiVec<MeetingId, bool> {
    site.meetings
        .iter()
        .map(|m| history.is_some_and(|h| h.in_repo) && touched.contains(&m.path))
        .collect()
}

/// Makes, when called, the files built from the whole site (JSON reports,
/// feeds, calendars, sitemaps) and the static files among them.
fn deferred_data(
    site: &Arc<Site>,
    ix: &Arc<view::Index>,
    config: &SiteConfig,
    theme: &Arc<Theme>,
    order: &[ItemId],
    search: bool,
) -> Deferred {
    let (site, ix, config, theme) = (
        Arc::clone(site),
        Arc::clone(ix),
        config.clone(),
        Arc::clone(theme),
    );
    let action_pages = order.len().div_ceil(pages::ACTIONS_PAGE);
    Box::new(move || {
        let jobs = plan(&site, action_pages, search);
        let mut files = data_files(&site, &config, &ix, &jobs);
        let statics = static_files(&theme, &jobs, &files, is_data_path);
        files.extend(statics);
        files
    })
}

/// Every path of the new site, sorted: the pages and the other files made.
fn site_paths(jobs: &[Job], changed: &[OutputFile]) -> Vec<String> {
    let mut paths: Vec<String> = jobs.iter().map(|j| j.path.clone()).collect();
    paths.extend(
        changed
            .iter()
            .filter(|f| !f.path.ends_with("index.html") && f.path != "404.html")
            .map(|f| f.path.clone()),
    );
    paths.sort();
    paths.dedup();
    paths
}

#[cfg(test)]
mod tests;
