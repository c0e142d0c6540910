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
//! Which pages depend on what follows `pages.rs` (the only reader of the
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
//!   decisions page shows every meeting's outcomes; the home, groups, people
//!   and 404 pages are always rendered again.
//!
//! An item's row shows the date of the meeting that opened it, so an item
//! counts as changed when that meeting's row does. The test
//! `incremental_matches_full_render` checks the result byte for byte against
//! a full render for each kind of edit.

use super::{data_files, is_data_path, other_files, static_files};
use super::{pages, plan, render_jobs, view, Job, OutputFile, Page, RenderOptions};
use super::{Diagnostic, Site, SiteConfig, Theme};
use crate::history::SiteHistory;
use std::collections::HashSet;
use std::sync::Arc;

/// What one render leaves for the next to compare with.
pub struct Memo {
    site: Arc<Site>,
    ix: Arc<view::Index>,
    config: SiteConfig,
    search: bool,
    theme_generation: u64,
    /// What every page's footer showed of git (HEAD, uncommitted changes).
    history_key: Option<String>,
    order: Vec<usize>,
    open_count: usize,
}

impl Memo {
    /// The site that was rendered.
    pub fn site(&self) -> &Arc<Site> {
        &self.site
    }
}

/// Makes the files left out of a [`Delta`] when asked to defer them.
pub type Deferred = Box<dyn FnOnce() -> Vec<OutputFile> + Send>;

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
/// `defer_data`), are byte for byte what [`render_site`](super::render_site)
/// gives.
///
/// With `history`, pages show what git knows (as `quorum build` does):
/// `touched` are the notes whose lines' commits may have changed since the
/// last render (the files the watcher reported); their meetings' pages and
/// the pages of items with a step in them are rendered again. A change to
/// what every page's footer shows (HEAD, uncommitted changes) renders
/// everything.
#[allow(clippy::too_many_arguments)]
pub fn render_since(
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
    let selected: Option<Vec<bool>> = prev
        .filter(|p| {
            p.config == *config
                && p.search == opts.search
                && p.theme_generation == theme_generation
                && p.history_key == history_key
        })
        .and_then(|p| {
            let touched: Vec<bool> = site
                .meetings
                .iter()
                .map(|m| history.is_some_and(|h| h.in_repo) && touched.contains(&m.path))
                .collect();
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
    let deferred: Option<Deferred> = if defer_data {
        changed.extend(static_files(theme, &jobs, &[], |p| !is_data_path(p)));
        let (site, ix, config, theme) = (
            Arc::clone(&site),
            Arc::clone(&ix),
            config.clone(),
            Arc::clone(theme),
        );
        let action_pages = order.len().div_ceil(pages::ACTIONS_PAGE);
        let search = opts.search;
        Some(Box::new(move || {
            let jobs = plan(&site, action_pages, search);
            let mut files = data_files(&site, &config, &ix, &jobs);
            let statics = static_files(&theme, &jobs, &files, is_data_path);
            files.extend(statics);
            files
        }))
    } else {
        changed.extend(other_files(&site, config, theme, &ix, &jobs));
        None
    };
    timer.lap("render: other files");
    let mut paths: Vec<String> = jobs.iter().map(|j| j.path.clone()).collect();
    paths.extend(
        changed
            .iter()
            .filter(|f| !f.path.ends_with("index.html") && f.path != "404.html")
            .map(|f| f.path.clone()),
    );
    paths.sort();
    paths.dedup();
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

/// Which jobs to render again, or `None` when the two sites cannot be
/// matched index for index (render everything).
fn dirty_pages(
    prev: &Memo,
    site: &Site,
    ix: &view::Index,
    order: &[usize],
    open_count: usize,
    jobs: &[Job],
    touched: &[bool],
) -> Option<Vec<bool>> {
    let old = &prev.site;
    let same_shape = old.today == site.today
        && old.people == site.people
        && old.groups.len() == site.groups.len()
        && old.meetings.len() == site.meetings.len()
        && old.items.len() == site.items.len()
        && old.groups.iter().zip(&site.groups).all(|(a, b)| {
            a.key == b.key && a.name == b.name && a.url == b.url && a.meetings == b.meetings
        })
        && old
            .meetings
            .iter()
            .zip(&site.meetings)
            .all(|(a, b)| a.url == b.url && a.group == b.group)
        && old
            .items
            .iter()
            .zip(&site.items)
            .all(|(a, b)| a.url == b.url && a.group == b.group);
    if !same_shape {
        return None;
    }
    let old_ix = &prev.ix;

    let meeting_changed: Vec<bool> = old
        .meetings
        .iter()
        .zip(&site.meetings)
        .map(|(a, b)| a != b)
        .collect();
    // What lists of meetings show: a meeting's row.
    let row_changed: Vec<bool> = old
        .meetings
        .iter()
        .zip(&site.meetings)
        .map(|(a, b)| {
            a.title != b.title
                || a.date != b.date
                || a.status != b.status
                || a.attendees.len() != b.attendees.len()
        })
        .collect();
    // What attendance rates count: which meetings were held, in what order.
    let mut group_order_changed: Vec<bool> = (0..site.groups.len())
        .map(|g| old_ix.held[g] != ix.held[g])
        .collect();
    for (a, b) in old.meetings.iter().zip(&site.meetings) {
        if a.date != b.date || a.time != b.time || a.path != b.path || a.status != b.status {
            group_order_changed[b.group] = true;
        }
    }
    let item_changed: Vec<bool> = old
        .items
        .iter()
        .zip(&site.items)
        .map(|(a, b)| a != b || row_changed[a.opened_in] || row_changed[b.opened_in])
        .collect();
    let mut group_touched: Vec<bool> = old
        .groups
        .iter()
        .zip(&site.groups)
        .enumerate()
        .map(|(g, (a, b))| a != b || old_ix.held[g] != ix.held[g])
        .collect();
    for (m, _) in meeting_changed.iter().enumerate().filter(|(_, c)| **c) {
        group_touched[site.meetings[m].group] = true;
    }
    for (i, _) in item_changed.iter().enumerate().filter(|(_, c)| **c) {
        group_touched[site.items[i].group] = true;
    }
    let any_item_changed = item_changed.iter().any(|c| *c);
    let any_meeting_changed = meeting_changed.iter().any(|c| *c);
    let actions_all = order != prev.order.as_slice() || open_count != prev.open_count;
    let changed_action_pages: std::collections::BTreeSet<usize> = order
        .iter()
        .enumerate()
        .filter(|(_, &i)| item_changed[i])
        .map(|(pos, _)| pos / pages::ACTIONS_PAGE + 1)
        .collect();

    let person_dirty = |p: usize| -> bool {
        let lists_differ = old_ix.owned[p] != ix.owned[p]
            || old_ix.attended[p] != ix.attended[p]
            || old_ix.moderated[p] != ix.moderated[p]
            || old_ix.noted[p] != ix.noted[p]
            || old_ix.chairs[p] != ix.chairs[p]
            || old_ix.member_of[p] != ix.member_of[p];
        lists_differ
            || ix.owned[p].iter().any(|&i| item_changed[i])
            || ix.attended[p]
                .iter()
                .any(|&m| row_changed[m] || group_order_changed[site.meetings[m].group])
    };

    let dirty = jobs
        .iter()
        .map(|job| match job.page {
            Page::Home | Page::Groups | Page::People | Page::NotFound | Page::Search => true,
            Page::Decisions => any_meeting_changed,
            Page::Actions(n) => {
                any_item_changed && (actions_all || changed_action_pages.contains(&n))
            }
            Page::Group(g) => group_touched[g],
            Page::Meeting(m) => {
                let mt = &site.meetings[m];
                // Git history shows on a meeting's page and on its items'
                // pages only (and in every footer: see render_since).
                touched[m]
                    || meeting_changed[m]
                    || mt.prev.is_some_and(|p| row_changed[p])
                    || mt.next.is_some_and(|n| row_changed[n])
                    || mt
                        .opened
                        .iter()
                        .chain(&mt.updated)
                        .chain(mt.carried_in.iter().map(|(i, _)| i))
                        .any(|&i| item_changed[i])
            }
            Page::Item(i) => {
                item_changed[i]
                    || site.items[i]
                        .history
                        .iter()
                        .any(|s| row_changed[s.meeting] || touched[s.meeting])
            }
            Page::Person(p) => person_dirty(p),
        })
        .collect();
    Some(dirty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::render_site;
    use std::collections::BTreeMap;
    use std::path::Path;

    fn copy_dir(from: &Path, to: &Path) {
        for e in walkdir::WalkDir::new(from) {
            let e = e.expect("walk fixture");
            let rel = e.path().strip_prefix(from).expect("under fixture");
            let dest = to.join(rel);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).expect("mkdir");
            } else {
                std::fs::copy(e.path(), &dest).expect("copy");
            }
        }
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date")
    }

    fn full(root: &Path) -> (Site, SiteConfig, Theme, BTreeMap<String, Vec<u8>>) {
        let loaded = crate::build::load(root, today(), false).expect("site loads");
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let theme = crate::load::theme::read(root, &loaded.config)
            .and_then(Theme::from_files)
            .expect("theme");
        let opts = RenderOptions { search: true };
        let files = render_site(&loaded.site, &loaded.config, &theme, &opts).expect("renders");
        let map = files.into_iter().map(|f| (f.path, f.bytes)).collect();
        (loaded.site, loaded.config, theme, map)
    }

    /// Renders the site, applies `edit`, renders it again incrementally and
    /// in full, and checks that the two agree byte for byte. Returns whether
    /// the incremental render was partial and how many pages it rendered.
    fn check_edit(edit: &dyn Fn(&Path), theme_changed: bool) -> (bool, usize, usize) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generated"),
            root,
        );
        let (site, config, theme, before) = full(root);
        let opts = RenderOptions { search: true };
        let none = HashSet::new();
        let (_, memo) = render_since(
            None,
            Arc::new(site),
            &config,
            &Arc::new(theme),
            1,
            &opts,
            false,
            None,
            &none,
        )
        .expect("first render");
        edit(root);
        let (site2, config2, theme2, after) = full(root);
        let generation = if theme_changed { 2 } else { 1 };
        // As `quorum serve` renders: the whole-site files deferred.
        let (delta, _) = render_since(
            Some(&memo),
            Arc::new(site2),
            &config2,
            &Arc::new(theme2),
            generation,
            &opts,
            true,
            None,
            &none,
        )
        .expect("incremental render");
        let mut merged = before.clone();
        for f in delta.changed {
            merged.insert(f.path, f.bytes);
        }
        let keep: std::collections::BTreeSet<&String> = delta.paths.iter().collect();
        merged.retain(|p, _| keep.contains(p));
        let deferred = (delta.deferred.expect("whole-site files deferred"))();
        assert!(deferred.iter().any(|f| f.path == "actions.json"));
        for f in deferred {
            assert!(
                merged.insert(f.path.clone(), f.bytes).is_none(),
                "{} is both deferred and rendered",
                f.path
            );
        }
        let stale: Vec<&String> = after
            .iter()
            .filter(|(p, b)| merged.get(*p) != Some(*b))
            .map(|(p, _)| p)
            .collect();
        let extra: Vec<&String> = merged.keys().filter(|p| !after.contains_key(*p)).collect();
        assert!(stale.is_empty(), "pages stale after the edit: {stale:?}");
        assert!(
            extra.is_empty(),
            "pages left over after the edit: {extra:?}"
        );
        assert!(before != after, "the edit changed nothing");
        (!delta.full, delta.pages_rendered, delta.pages_total)
    }

    fn note(root: &Path) -> std::path::PathBuf {
        root.join("content/sig-build/2019/2019-03-05-special.md")
    }

    fn replace(path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(path).expect("read note");
        assert!(text.contains(from), "{} lacks {from:?}", path.display());
        std::fs::write(path, text.replacen(from, to, 1)).expect("write note");
    }

    #[test]
    fn task_text_edit_renders_few_pages_and_matches_full_render() {
        let (partial, rendered, total) = check_edit(
            &|r| {
                replace(
                    &note(r),
                    "Review the budget sheet for fuzzing coverage",
                    "Review the budget spreadsheet",
                )
            },
            false,
        );
        assert!(partial, "a task edit should not render every page");
        assert!(rendered * 2 < total, "{rendered} of {total} pages rendered");
    }

    #[test]
    fn body_edit_matches_full_render() {
        let (partial, _, _) = check_edit(
            &|r| {
                replace(
                    &note(r),
                    "### Budget request",
                    "### Budget request (edited)",
                )
            },
            false,
        );
        assert!(partial);
    }

    #[test]
    fn owner_change_matches_full_render() {
        check_edit(
            &|r| {
                replace(
                    &note(r),
                    "owner: \"Hana Jensen\"\n    task: \"Review the CI",
                    "owner: \"Ivan Berg\"\n    task: \"Review the CI",
                )
            },
            false,
        );
    }

    #[test]
    fn status_change_matches_full_render() {
        check_edit(
            &|r| {
                replace(
                    &note(r),
                    "ref: sig-build-20190205-3\n    status: blocked",
                    "ref: sig-build-20190205-3\n    status: done",
                )
            },
            false,
        );
    }

    #[test]
    fn attendee_and_outcome_edit_matches_full_render() {
        check_edit(
            &|r| {
                replace(&note(r), "  - \"Olga Ahmed\"\n", "");
                replace(&note(r), "kind: decision", "kind: resolution");
            },
            false,
        );
    }

    #[test]
    fn new_item_matches_full_render() {
        check_edit(
            &|r| {
                replace(
                    &note(r),
                    "---\n\n## Notes",
                    "  - owner: \"Olga Ahmed\"\n    task: \"Write the new onboarding guide\"\n---\n\n## Notes",
                )
            },
            false,
        );
    }

    #[test]
    fn deleted_note_matches_full_render() {
        check_edit(
            &|r| {
                std::fs::remove_file(r.join("content/sig-build/2020/2020-02-18.md"))
                    .expect("delete")
            },
            false,
        );
    }

    #[test]
    fn renamed_note_matches_full_render() {
        check_edit(
            &|r| {
                std::fs::rename(
                    note(r),
                    r.join("content/sig-build/2019/2019-03-06-special.md"),
                )
                .expect("rename")
            },
            false,
        );
    }

    #[test]
    fn people_yaml_change_matches_full_render() {
        check_edit(
            &|r| {
                let p = r.join("content/people.yaml");
                let text = std::fs::read_to_string(&p).expect("people.yaml");
                let first = text
                    .lines()
                    .find_map(|l| l.trim().strip_prefix("- name: "))
                    .expect("a person")
                    .to_string();
                let renamed = format!("{} Junior\"", first.trim_end_matches('"'));
                std::fs::write(&p, text.replacen(&first, &renamed, 1)).expect("write");
            },
            false,
        );
    }

    #[test]
    fn template_change_matches_full_render() {
        check_edit(
            &|r| {
                let dir = r.join("templates");
                std::fs::create_dir_all(&dir).expect("mkdir");
                let base = include_str!("../../themes/default/templates/meeting.html");
                std::fs::write(
                    dir.join("meeting.html"),
                    base.replace("</h1>", " (edited)</h1>"),
                )
                .expect("write template");
            },
            true,
        );
    }

    #[test]
    fn meeting_title_and_time_edit_matches_full_render() {
        let (partial, _, _) = check_edit(
            &|r| {
                replace(&note(r), "SIG Build special meeting", "Budget special");
                replace(&note(r), "time: \"20:00\"", "time: \"20:30\"");
            },
            false,
        );
        assert!(partial);
    }
}
