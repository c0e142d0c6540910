//! The template context of each page: built once per page from the resolved
//! site and the shared [`Index`].

use super::markdown::{safe_url, text_link};
use super::view::Index;
use crate::config::SiteConfig;
use crate::model::Site;
use tera::Context;

mod debt;
mod decision;
mod extras;
mod group;
mod health;
mod item;
mod links;
mod lists;
mod meeting;
mod person;
mod since;

pub(crate) use decision::{decision, decision_text, decisions};
pub(crate) use extras::{add as add_extras, Insights};
pub(crate) use group::group;
pub(crate) use item::item;
pub(crate) use links::links;
pub(crate) use lists::{
    actions, actions_page_url, groups, home, not_found, people, search, sorted_items,
};
pub(crate) use meeting::meeting;
pub(crate) use person::person;

/// How many rows the home page shows of each list.
pub(crate) const HOME_CAP: usize = 10;
/// Rows per page of the actions index.
pub(crate) const ACTIONS_PAGE: usize = 100;

/// What every page's context holds.
pub(crate) struct Common<'a> {
    pub site: &'a Site,
    pub config: &'a SiteConfig,
    pub ix: &'a Index,
    /// What the added blocks read across the site.
    pub insights: &'a Insights,
    pub search: bool,
    /// Whether feeds and calendars are written (base_url is set).
    pub absolute: bool,
    /// What git knows of the notes, when it was read.
    pub history: Option<super::git::GitView<'a>>,
}

impl Common<'_> {
    /// The context every template gets: `root` is the prefix that leads from
    /// the page to the site root (`./`, `../../`, or the base path for 404.html).
    pub(super) fn context(&self, root: &str, title: &str, section: &str) -> Context {
        let mut c = Context::new();
        c.insert("site_title", &self.config.title);
        c.insert("root", root);
        c.insert("title", title);
        c.insert("section", section);
        c.insert("search", &self.search);
        c.insert("has_feed", &self.absolute);
        c.insert(
            "site_updated",
            &self.history.as_ref().and_then(|g| g.site_updated.as_ref()),
        );
        c
    }
}

/// A location: free text, or a link (bare, `<url>` or `[text](url)`).
pub(super) fn location(loc: Option<&str>) -> (Option<String>, Option<String>) {
    match loc {
        None => (None, None),
        Some(l) => match text_link(l) {
            Some((text, url)) => (Some(text), Some(url)),
            None => {
                // `[text](javascript:…)`: keep the text, drop the link.
                let t = l.trim();
                let shown = t
                    .strip_prefix('[')
                    .and_then(|r| r.split_once("]("))
                    .map(|(label, _)| label.to_string())
                    .unwrap_or_else(|| t.to_string());
                (Some(shown), None)
            }
        },
    }
}

/// `{repo_url}/edit/HEAD/{path}`, when repo_url is set and safe.
pub(super) fn edit_url(config: &SiteConfig, path: &str) -> Option<String> {
    let repo = safe_url(config.repo_url.trim_end_matches('/'))?;
    if path.is_empty() {
        return None;
    }
    Some(format!(
        "{repo}/edit/HEAD/{}",
        crate::text::encode_path(path)
    ))
}
