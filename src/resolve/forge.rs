//! Links to code-forge issues, pull requests and discussions in the notes'
//! text: where each was discussed. Offline: only the URL's shape is read.
//!
//! Shapes read (query and fragment dropped, anything after the number too):
//! - GitHub: `github.com/<owner>/<repo>/(issues|pull|discussions)/<n>`
//! - GitLab (gitlab.com or any host): `<host>/<group>[/<subgroup>…]/<project>/-/(issues|merge_requests|work_items)/<n>`,
//!   and on gitlab.com also without the `/-`
//! - Codeberg (Forgejo): `codeberg.org/<owner>/<repo>/(issues|pulls)/<n>`

use crate::model::{ItemId, MeetingId, Site, TiVec};
use std::collections::BTreeMap;

/// What a forge link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    Issue,
    PullRequest,
    MergeRequest,
    Discussion,
}

impl Kind {
    /// The kind in a reader's words.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Issue => "issue",
            Kind::PullRequest => "pull request",
            Kind::MergeRequest => "merge request",
            Kind::Discussion => "discussion",
        }
    }
}

/// One forge issue, pull request or discussion.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ForgeRef {
    /// Host, lower-cased (`github.com`).
    pub(crate) host: String,
    /// Repository path as written (`owner/repo`, `group/sub/project`).
    pub(crate) repo: String,
    /// Its number.
    pub(crate) number: u64,
    /// Issue, pull or merge request, discussion.
    pub(crate) kind: Kind,
    /// The link, in its canonical shape.
    pub(crate) url: String,
}

impl ForgeRef {
    /// The repository's key: host and path, lower-cased.
    pub(crate) fn repo_key(&self) -> String {
        format!("{}/{}", self.host, self.repo.to_lowercase())
    }

    /// `owner/repo#12`, or `group/project!12` for a merge request.
    pub(crate) fn label(&self) -> String {
        let sep = if self.kind == Kind::MergeRequest {
            '!'
        } else {
            '#'
        };
        format!("{}{sep}{}", self.repo, self.number)
    }
}

/// Characters that end a URL in running text.
fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '<' | '>' | '"' | '\'' | '(' | ')' | '[' | ']' | '`' | '|' | '\\' | '{' | '}'
        )
}

/// Every forge link in `text`, in order of first appearance, each once.
pub(crate) fn find(text: &str) -> Vec<ForgeRef> {
    let mut out: Vec<ForgeRef> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let scheme_ok = rest[..at].ends_with("https") || rest[..at].ends_with("http");
        let after = &rest[at + 3..];
        let end = after.find(ends_url).unwrap_or(after.len());
        if scheme_ok {
            if let Some(r) = parse(&after[..end]) {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        rest = &after[end..];
    }
    out
}

/// Reads `host/path…` (the URL after its scheme).
fn parse(url: &str) -> Option<ForgeRef> {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let mut parts = url.split('/');
    let host = parts.next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let segs: Vec<&str> = parts.filter(|s| !s.is_empty()).collect();
    let number = |s: &str| -> Option<u64> {
        let digits = s.trim_end_matches(['.', ',', ';', ':', '!', '?']);
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    };
    let make = |repo: &[&str], kind: Kind, path: &str, n: u64| ForgeRef {
        url: format!("https://{host}/{}/{path}/{n}", repo.join("/")),
        host: host.clone(),
        repo: repo.join("/"),
        number: n,
        kind,
    };
    match host.as_str() {
        "github.com" if segs.len() >= 4 => {
            let (kind, path) = match segs[2] {
                "issues" => (Kind::Issue, "issues"),
                "pull" | "pulls" => (Kind::PullRequest, "pull"),
                "discussions" => (Kind::Discussion, "discussions"),
                _ => return None,
            };
            Some(make(&segs[..2], kind, path, number(segs[3])?))
        }
        "codeberg.org" if segs.len() >= 4 => {
            let (kind, path) = match segs[2] {
                "issues" => (Kind::Issue, "issues"),
                "pulls" => (Kind::PullRequest, "pulls"),
                _ => return None,
            };
            Some(make(&segs[..2], kind, path, number(segs[3])?))
        }
        _ => gitlab(&host, &segs, number, make),
    }
}

/// The GitLab shapes: `…/-/issues/<n>` on any host, `…/issues/<n>` on gitlab.com.
fn gitlab(
    host: &str,
    segs: &[&str],
    number: impl Fn(&str) -> Option<u64>,
    make: impl Fn(&[&str], Kind, &str, u64) -> ForgeRef,
) -> Option<ForgeRef> {
    let kind_of = |s: &str| match s {
        "issues" | "work_items" => Some((Kind::Issue, "-/issues")),
        "merge_requests" => Some((Kind::MergeRequest, "-/merge_requests")),
        _ => None,
    };
    if let Some(dash) = segs.iter().position(|s| *s == "-") {
        if dash >= 2 && segs.len() > dash + 2 {
            let (kind, path) = kind_of(segs[dash + 1])?;
            return Some(make(&segs[..dash], kind, path, number(segs[dash + 2])?));
        }
        return None;
    }
    if host != "gitlab.com" {
        return None;
    }
    let at = segs.iter().position(|s| kind_of(s).is_some())?;
    if at < 2 || segs.len() <= at + 1 {
        return None;
    }
    let (kind, path) = kind_of(segs[at])?;
    Some(make(&segs[..at], kind, path, number(segs[at + 1])?))
}

/// Every forge link of the site, with where it was mentioned.
#[derive(Debug, Default)]
pub(crate) struct Links {
    /// By repository key, then by link: the meetings that mention it (site order).
    pub(crate) by_repo: BTreeMap<String, BTreeMap<ForgeRef, Vec<MeetingId>>>,
    /// The links each item's task or notes give.
    pub(crate) of_item: TiVec<ItemId, Vec<ForgeRef>>,
    /// The links in each meeting's outcomes, by outcome.
    pub(crate) of_outcome: TiVec<MeetingId, Vec<Vec<ForgeRef>>>,
}

/// Reads every note's text for forge links: the body, the agenda, the
/// outcomes, and the tasks and notes of the items the meeting opened or
/// updated.
pub(crate) fn site_links(site: &Site) -> Links {
    use rayon::prelude::*;
    let of_item: Vec<Vec<ForgeRef>> = site
        .items
        .raw
        .par_iter()
        .map(|it| {
            let mut all = find(&it.task);
            for s in &it.history {
                for r in s.note.as_deref().map(find).unwrap_or_default() {
                    if !all.contains(&r) {
                        all.push(r);
                    }
                }
            }
            all
        })
        .collect();
    let per_meeting: Vec<(Vec<ForgeRef>, Vec<Vec<ForgeRef>>)> = site
        .meetings
        .raw
        .par_iter()
        .map(|m| {
            let outcomes: Vec<Vec<ForgeRef>> = m.outcomes.iter().map(|o| find(&o.text)).collect();
            let mut all = find(&m.body);
            let mut add = |rs: Vec<ForgeRef>| {
                for r in rs {
                    if !all.contains(&r) {
                        all.push(r);
                    }
                }
            };
            for a in &m.agenda {
                add(find(&a.title));
                add(a.link.as_deref().map(find).unwrap_or_default());
            }
            for o in &outcomes {
                add(o.clone());
            }
            (all, outcomes)
        })
        .collect();
    let mut links = Links {
        of_item: TiVec::from(of_item),
        ..Links::default()
    };
    for (m, (refs, outcomes)) in per_meeting.into_iter().enumerate() {
        let m = MeetingId(m);
        let meeting = &site.meetings[m];
        let items: Vec<ItemId> = meeting
            .opened
            .iter()
            .chain(&meeting.updated)
            .copied()
            .collect();
        let from_items = items.iter().flat_map(|&i| {
            // The task counts where it was written; a step's note where the step is.
            let it = &site.items[i];
            let mut rs = if it.opened_in == m {
                find(&it.task)
            } else {
                Vec::new()
            };
            for s in it.history.iter().filter(|s| s.meeting == m) {
                rs.extend(s.note.as_deref().map(find).unwrap_or_default());
            }
            rs
        });
        for r in refs.into_iter().chain(from_items) {
            let list = links
                .by_repo
                .entry(r.repo_key())
                .or_default()
                .entry(r)
                .or_default();
            if list.last() != Some(&m) {
                list.push(m);
            }
        }
        links.of_outcome.push(outcomes);
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<(String, &'static str, String)> {
        find(text)
            .into_iter()
            .map(|r| (r.label(), r.kind.as_str(), r.url))
            .collect()
    }

    #[test]
    fn the_three_forges_shapes() {
        let text = "See https://github.com/o3de/sig-security/issues/12, \
            [PR](https://github.com/o3de/sig-security/pull/40/files) and \
            <https://github.com/o3de/sig-security/discussions/9#top>; \
            https://gitlab.com/gnome/sub/gtk/-/merge_requests/7 \
            https://gitlab.freedesktop.org/mesa/mesa/-/issues/99?x=1 \
            https://codeberg.org/forgejo/forgejo/pulls/3.";
        let got = labels(text);
        assert_eq!(
            got,
            vec![
                (
                    "o3de/sig-security#12".into(),
                    "issue",
                    "https://github.com/o3de/sig-security/issues/12".into()
                ),
                (
                    "o3de/sig-security#40".into(),
                    "pull request",
                    "https://github.com/o3de/sig-security/pull/40".into()
                ),
                (
                    "o3de/sig-security#9".into(),
                    "discussion",
                    "https://github.com/o3de/sig-security/discussions/9".into()
                ),
                (
                    "gnome/sub/gtk!7".into(),
                    "merge request",
                    "https://gitlab.com/gnome/sub/gtk/-/merge_requests/7".into()
                ),
                (
                    "mesa/mesa#99".into(),
                    "issue",
                    "https://gitlab.freedesktop.org/mesa/mesa/-/issues/99".into()
                ),
                (
                    "forgejo/forgejo#3".into(),
                    "pull request",
                    "https://codeberg.org/forgejo/forgejo/pulls/3".into()
                ),
            ]
        );
    }

    #[test]
    fn other_links_are_not_forge_links() {
        assert!(find(
            "https://github.com/o3de/sig-security https://github.com/o/r/issues \
             https://github.com/o/r/wiki/12 https://example.org/a/b/issues/3 \
             https://codeberg.org/o/r/issues/x ftp://github.com/o/r/issues/1"
        )
        .is_empty());
        // The same issue twice counts once.
        assert_eq!(
            find("https://github.com/o/r/issues/1 http://www.github.com/o/r/issues/1").len(),
            1
        );
    }
}
