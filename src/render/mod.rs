//! Plans the site's pages as render jobs and renders them with tera templates
//! from the theme (the default theme is embedded from `themes/default`).
//!
//! A render first lists every page as a [`Job`] (plain data: a path, a
//! template and what the page is about), then renders the jobs in parallel,
//! each building its template context once. Feeds, calendars, the sitemap
//! and the JSON reports are written by hand, not by templates. Links between
//! pages are relative (`../../groups/x/`), except on 404.html, which a host
//! serves at any path and so links under base_url's path.

mod charts;
pub(crate) mod feed;
mod git;
pub(crate) mod ics;
pub(crate) mod incremental;
mod items_index;
pub(crate) mod markdown;
mod owner_feed;
mod pages;
pub(crate) mod sitemap;
pub(crate) mod theme;
mod view;

pub(crate) use crate::output::OutputFile;
pub(crate) use pages::decision_text;
pub(crate) use theme::Theme;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::history::SiteHistory;
use crate::model::{GroupId, ItemId, MeetingId, PersonId, Site};
use pages::Common;
use rayon::prelude::*;

/// Choices for one render.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderOptions {
    /// Show the search box (the search page itself is rendered elsewhere).
    pub search: bool,
}

/// What one page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Home,
    Groups,
    Group(GroupId),
    Meeting(MeetingId),
    People,
    Person(PersonId),
    Actions(usize),
    Item(ItemId),
    Decisions,
    Links,
    Decision(crate::model::DecisionId),
    Search,
    NotFound,
}

/// One HTML page to render.
#[derive(Debug, Clone)]
struct Job {
    /// Output path (`…/index.html`).
    path: String,
    template: &'static str,
    page: Page,
}

impl Job {
    fn dir(url: &str, template: &'static str, page: Page) -> Job {
        Job {
            path: format!("{url}index.html"),
            template,
            page,
        }
    }
}

/// Every HTML page of the site, as data; the search page with `search`.
fn plan(site: &Site, action_pages: usize, search: bool) -> Vec<Job> {
    let mut jobs = vec![
        Job::dir("", "index.html", Page::Home),
        Job::dir("groups/", "groups.html", Page::Groups),
        Job::dir("people/", "people.html", Page::People),
        Job::dir("decisions/", "decisions.html", Page::Decisions),
        Job::dir("links/", "links.html", Page::Links),
        Job {
            path: "404.html".into(),
            template: "404.html",
            page: Page::NotFound,
        },
    ];
    if search {
        jobs.push(Job::dir("search/", "search.html", Page::Search));
    }
    for n in 1..=action_pages.max(1) {
        jobs.push(Job::dir(
            &pages::actions_page_url(n),
            "actions.html",
            Page::Actions(n),
        ));
    }
    for (i, g) in site.groups.iter_enumerated() {
        jobs.push(Job::dir(&g.url, "group.html", Page::Group(i)));
    }
    for (i, m) in site.meetings.iter_enumerated() {
        jobs.push(Job::dir(&m.url, "meeting.html", Page::Meeting(i)));
    }
    for (i, p) in site.people.iter_enumerated() {
        jobs.push(Job::dir(&p.url, "person.html", Page::Person(i)));
    }
    for (i, it) in site.items.iter_enumerated() {
        jobs.push(Job::dir(&it.url, "item.html", Page::Item(i)));
    }
    for (i, d) in site.decisions.iter_enumerated() {
        jobs.push(Job::dir(&d.url, "decision.html", Page::Decision(i)));
    }
    jobs
}

/// The prefix leading from the page at `path` back to the site root.
fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// Renders the chosen HTML pages (in parallel).
#[allow(clippy::too_many_arguments)]
fn render_jobs(
    site: &Site,
    config: &SiteConfig,
    theme: &Theme,
    opts: &RenderOptions,
    history: Option<&SiteHistory>,
    ix: &view::Index,
    order: &[ItemId],
    jobs: &[&Job],
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let absolute = !config.base_url.trim().is_empty();
    let insights = pages::Insights::new(site, config);
    let common = Common {
        site,
        config,
        ix,
        insights: &insights,
        search: opts.search,
        absolute,
        history: history.map(|h| git::GitView::new(h, config)),
    };
    let base_path = config.base_path();

    let rendered: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let root = if job.page == Page::NotFound {
                base_path.clone()
            } else {
                root_of(&job.path)
            };
            let mut ctx = match job.page {
                Page::Home => pages::home(&common, &root, order),
                Page::Groups => pages::groups(&common, &root),
                Page::Group(g) => pages::group(&common, &root, g),
                Page::Meeting(m) => pages::meeting(&common, &root, m),
                Page::People => pages::people(&common, &root),
                Page::Person(p) => pages::person(&common, &root, p),
                Page::Actions(n) => pages::actions(&common, &root, order, n),
                Page::Item(i) => pages::item(&common, &root, i),
                Page::Decisions => pages::decisions(&common, &root),
                Page::Links => pages::links(&common, &root),
                Page::Decision(d) => pages::decision(&common, &root, d),
                Page::Search => pages::search(&common, &root),
                Page::NotFound => pages::not_found(&common, &root),
            };
            pages::add_extras(&common, job.page, &mut ctx);
            render_page(theme, job.template, &ctx)
                .map(|bytes| OutputFile {
                    path: job.path.clone(),
                    bytes,
                })
                .map_err(|e| {
                    let mut d = theme::template_diagnostic(&e);
                    d.file = format!("templates/{}", job.template);
                    d.message = format!("rendering {}: {}", job.path, d.message);
                    d
                })
        })
        .collect();

    let mut files = Vec::with_capacity(rendered.len() + 16);
    let mut errors = Vec::new();
    for r in rendered {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        // One error per template is enough; every page of it fails alike.
        errors.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
        errors.dedup_by(|a, b| a.file == b.file);
        return Err(errors);
    }
    Ok(files)
}

thread_local! {
    /// Each render thread's page buffer, kept from page to page: a page is
    /// rendered into it and copied out at its exact size, rather than grown
    /// from tera's 2 KB by copies into fresh memory (page faults were a fifth
    /// of a 10k build's time).
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Renders `template` with `ctx` through this thread's page buffer.
fn render_page(theme: &Theme, template: &str, ctx: &tera::Context) -> tera::Result<Vec<u8>> {
    PAGE_BUFFER.with(|buf| {
        let mut buf = buf.borrow_mut();
        buf.clear();
        theme.tera.render_to(template, ctx, &mut *buf)?;
        Ok(crate::text::replace_control_bytes(buf.as_slice().to_vec()))
    })
}

/// Every file that is not a templated page: the JSON reports, feeds,
/// calendars, sitemaps and the theme's static files (unsorted).
fn other_files(
    site: &Site,
    config: &SiteConfig,
    theme: &Theme,
    ix: &view::Index,
    jobs: &[Job],
) -> Vec<OutputFile> {
    let mut files = data_files(site, config, ix, jobs);
    files.extend(static_files(theme, jobs, &files, |_| true));
    files
}

/// Whether `path` is one that [`data_files`] may write, whatever the site.
fn is_data_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        path,
        "actions.json" | "meetings.json" | "decisions.json" | "actions/items.json"
    ) || (name == "minutes.txt" && path.starts_with("groups/"))
        || name == "feed.xml"
        || name == "calendar.ics"
        || (!path.contains('/') && name.starts_with("sitemap") && name.ends_with(".xml"))
}

/// The theme's static files that are not among `jobs`' pages nor `data`,
/// and that `keep` keeps; `search.js` only for a site with a search page.
fn static_files(
    theme: &Theme,
    jobs: &[Job],
    data: &[OutputFile],
    keep: impl Fn(&str) -> bool,
) -> Vec<OutputFile> {
    let generated: std::collections::BTreeSet<&str> = data
        .iter()
        .map(|f| f.path.as_str())
        .chain(jobs.iter().map(|j| j.path.as_str()))
        .collect();
    let search = jobs.iter().any(|j| j.page == Page::Search);
    theme
        .static_files
        .iter()
        .filter(|(path, _)| !generated.contains(path.as_str()) && keep(path))
        .filter(|(path, _)| search || path.as_str() != "search.js")
        .map(|(path, bytes)| OutputFile {
            path: path.clone(),
            bytes: bytes.clone(),
        })
        .collect()
}

/// The files made from the whole site rather than one page of it: the JSON
/// reports, the feeds, the calendars and the sitemaps (unsorted).
fn data_files(site: &Site, config: &SiteConfig, ix: &view::Index, jobs: &[Job]) -> Vec<OutputFile> {
    let absolute = !config.base_url.trim().is_empty();
    let base_path = config.base_path();
    let mut files = Vec::with_capacity(16);
    files.push(OutputFile {
        path: "actions.json".into(),
        bytes: crate::report::actions_json(site, &base_path),
    });
    files.push(OutputFile {
        path: "actions/items.json".into(),
        bytes: items_index::items_json(site, ix, &pages::sorted_items(ix)),
    });
    files.push(OutputFile {
        path: "meetings.json".into(),
        bytes: crate::report::meetings_json(site, &base_path),
    });
    files.push(OutputFile {
        path: "decisions.json".into(),
        bytes: crate::report::decisions::decisions_json(site, &base_path),
    });
    files.extend(crate::minutes::published(site, config));
    if absolute {
        let base_url = absolute_base(&config.base_url);
        let all_meetings: Vec<MeetingId> = site.meetings.keys().collect();
        let open_items: Vec<ItemId> = site
            .items
            .iter_enumerated()
            .filter(|(_, it)| it.status.is_open())
            .map(|(i, _)| i)
            .collect();
        files.push(OutputFile {
            path: "feed.xml".into(),
            bytes: feed::atom(site, &config.title, &base_url, "", &all_meetings),
        });
        files.push(OutputFile {
            path: "calendar.ics".into(),
            bytes: ics::calendar(site, &config.title, &base_url, &all_meetings, &open_items),
        });
        for (g, group) in site.groups.iter_enumerated() {
            let title = format!("{}: {}", config.title, group.name);
            let items: Vec<ItemId> = open_items
                .iter()
                .copied()
                .filter(|&i| site.items[i].group == g)
                .collect();
            files.push(OutputFile {
                path: format!("{}feed.xml", group.url),
                bytes: feed::atom(site, &title, &base_url, &group.url, &group.meetings),
            });
            files.push(OutputFile {
                path: format!("{}calendar.ics", group.url),
                bytes: ics::calendar(site, &title, &base_url, &group.meetings, &items),
            });
        }
        for (p, person) in site.people.iter_enumerated() {
            let items: Vec<ItemId> = ix.owned[p]
                .iter()
                .copied()
                .filter(|&i| site.items[i].status.is_open() && site.items[i].due.is_some())
                .collect();
            if items.is_empty() {
                continue;
            }
            let title = format!("{}: {}", config.title, person.name);
            files.push(OutputFile {
                path: format!("{}calendar.ics", person.url),
                bytes: ics::calendar(site, &title, &base_url, &[], &items),
            });
        }
        for (p, person) in site.people.iter_enumerated() {
            if ix.owned[p].is_empty() {
                continue;
            }
            files.push(OutputFile {
                path: format!("{}feed.xml", person.url),
                bytes: owner_feed::person_feed(site, &config.title, &base_url, p, &ix.owned[p]),
            });
        }
        let urls: Vec<String> = jobs
            .iter()
            .filter(|j| !matches!(j.page, Page::NotFound | Page::Search))
            .map(|j| j.path.trim_end_matches("index.html").to_string())
            .collect();
        files.extend(sitemap::sitemaps(&base_url, urls));
    }
    debug_assert!(files.iter().all(|f| is_data_path(&f.path)));
    files
}

/// `base_url` with exactly one trailing `/`.
fn absolute_base(base_url: &str) -> String {
    format!("{}/", base_url.trim().trim_end_matches('/'))
}

#[cfg(test)]
mod tests;
