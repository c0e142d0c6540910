//! The page `/links/`: every forge issue, pull request and discussion the
//! notes link, by repository, with the meetings that mention each (newest
//! first); and the links an item or a decision gives, for their pages.

use super::Common;
use crate::model::{ItemId, MeetingId};
use crate::render::view::MeetingRow;
use crate::resolve::forge::{ForgeRef, Links};
use serde::Serialize;
use tera::Context;

/// One forge link as pages show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LinkView {
    pub(crate) label: String,
    pub(crate) kind: &'static str,
    pub(crate) url: String,
    /// Its anchor on the links page.
    pub(crate) anchor: String,
}

/// The anchor of a link on the links page.
fn anchor(r: &ForgeRef) -> String {
    let mut a = String::from("l-");
    for c in r.url.trim_start_matches("https://").chars() {
        a.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '-'
        });
    }
    a
}

pub(crate) fn view(r: &ForgeRef) -> LinkView {
    LinkView {
        label: r.label(),
        kind: r.kind.as_str(),
        url: r.url.clone(),
        anchor: anchor(r),
    }
}

#[derive(Serialize)]
struct RefRow<'a> {
    link: LinkView,
    meetings: Vec<&'a MeetingRow>,
}

#[derive(Serialize)]
struct Repo<'a> {
    host: &'a str,
    repo: &'a str,
    id: String,
    refs: Vec<RefRow<'a>>,
}

/// The links page.
pub(crate) fn links(c: &Common, root: &str) -> Context {
    let mut ctx = c.context(root, "Issues and pull requests", "links");
    let links: &Links = &c.insights.links;
    let repos: Vec<Repo> = links
        .by_repo
        .iter()
        .filter_map(|(key, refs)| {
            let first = refs.keys().next()?;
            let mut rows: Vec<(Option<MeetingId>, u64, RefRow)> = refs
                .iter()
                .map(|(r, ms)| {
                    let row = RefRow {
                        link: view(r),
                        meetings: ms.iter().rev().map(|&m| &c.ix.meetings[m]).collect(),
                    };
                    (ms.last().copied(), r.number, row)
                })
                .collect();
            // The most recently discussed first; then by number, highest first.
            rows.sort_by_key(|r| std::cmp::Reverse((r.0, r.1)));
            let rows: Vec<RefRow> = rows.into_iter().map(|t| t.2).collect();
            Some(Repo {
                host: &first.host,
                repo: &first.repo,
                id: format!(
                    "r-{}",
                    key.replace(|ch: char| !ch.is_ascii_alphanumeric(), "-")
                ),
                refs: rows,
            })
        })
        .collect();
    ctx.insert(
        "link_count",
        &repos.iter().map(|r| r.refs.len()).sum::<usize>(),
    );
    ctx.insert("repos", &repos);
    ctx
}

/// The item page's `forge_links`.
pub(crate) fn add_item(c: &Common, i: ItemId, ctx: &mut Context) {
    let list: Vec<LinkView> = c.insights.links.of_item[i].iter().map(view).collect();
    ctx.insert("forge_links", &list);
}

/// The links of outcome `k` of meeting `m`.
pub(crate) fn of_outcome(c: &Common, m: MeetingId, k: usize) -> Vec<LinkView> {
    c.insights
        .links
        .of_outcome
        .get(m)
        .and_then(|o| o.get(k))
        .map(|rs| rs.iter().map(view).collect())
        .unwrap_or_default()
}
