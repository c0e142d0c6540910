//! What templates see of the git history: a page's first and last commit and
//! its authors, the commit that wrote an item's status line, the site's last
//! update. Links go to the forge when `repo_url` is set (GitHub-style paths:
//! `/commit/<id>`, `/commits/HEAD/<path>`, `/edit/HEAD/<path>`).

use super::markdown::safe_url;
use crate::config::SiteConfig;
use crate::history::{CommitInfo, SiteHistory};
use crate::model::{ActionItem, ItemStatus, StepKind};
use crate::text::encode_path;
use serde::Serialize;

/// A commit as pages show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CommitView {
    /// YYYY-MM-DD (the author's date).
    pub date: String,
    /// The first 7 hex digits.
    pub short: String,
    /// The commit on the forge, when repo_url is set.
    pub url: Option<String>,
    /// Author name through .mailmap.
    pub author: String,
    /// The oldest commit of a shallow clone: read the date as "on or before".
    pub approx: bool,
}

/// A meeting page's history.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageHistory {
    /// The commit that added the note (none when not committed yet).
    pub created: Option<CommitView>,
    /// The last commit that changed it.
    pub updated: Option<CommitView>,
    /// Commit authors, the creator first.
    pub authors: Vec<String>,
    /// The note has changes not committed yet.
    pub uncommitted: bool,
    /// The file's history on the forge.
    pub history_url: Option<String>,
}

/// When a line of a note entered the notes.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LineGit {
    /// What the line did: `opened`, `marked done`, `updated`, `mentioned`.
    pub verb: String,
    /// The commit that added the line; none when it is not committed yet.
    pub commit: Option<CommitView>,
}

/// The site's last update, for the footer.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteUpdated {
    pub commit: CommitView,
    /// The branch built; none on a detached HEAD.
    pub branch: Option<String>,
    /// Some notes differ from the commit.
    pub uncommitted: bool,
}

/// The history and the forge links, built once per render.
pub(crate) struct GitView<'a> {
    h: &'a SiteHistory,
    repo: Option<String>,
    /// For every page's footer.
    pub site_updated: Option<SiteUpdated>,
}

impl<'a> GitView<'a> {
    pub(super) fn new(h: &'a SiteHistory, config: &SiteConfig) -> GitView<'a> {
        let repo = safe_url(config.repo_url.trim().trim_end_matches('/'))
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
        let mut v = GitView {
            h,
            repo,
            site_updated: None,
        };
        v.site_updated = h.head.as_ref().and_then(|head| {
            Some(SiteUpdated {
                commit: v.commit(h.commit(head.commit)?),
                branch: head.branch.clone(),
                uncommitted: h.has_uncommitted(),
            })
        });
        v
    }

    fn commit(&self, c: &CommitInfo) -> CommitView {
        CommitView {
            date: c.date.to_string(),
            short: c.short.clone(),
            url: self.repo.as_ref().map(|r| format!("{r}/commit/{}", c.id)),
            author: c.author.clone(),
            approx: c.boundary,
        }
    }

    /// The repository path of a site file, for edit links.
    pub(super) fn repo_path(&self, path: &str) -> String {
        self.h.repo_path(path)
    }

    /// The history of the site file `path`; none when git knows nothing of it.
    pub(super) fn page(&self, path: &str) -> Option<PageHistory> {
        let f = self.h.files.get(path)?;
        let c = |i: Option<u32>| i.and_then(|i| self.h.commit(i)).map(|c| self.commit(c));
        Some(PageHistory {
            created: c(f.created),
            updated: c(f.updated),
            authors: f.authors.clone(),
            uncommitted: f.uncommitted,
            history_url: match (&self.repo, f.created) {
                (Some(r), Some(_)) => Some(format!(
                    "{r}/commits/HEAD/{}",
                    encode_path(&self.h.repo_path(path))
                )),
                _ => None,
            },
        })
    }

    /// When step `k` of `item` (written at its line of `path`) entered the notes.
    pub(super) fn step(&self, item: &ActionItem, k: usize, path: &str) -> Option<LineGit> {
        let step = item.history.get(k)?;
        let before = k
            .checked_sub(1)
            .and_then(|j| item.history.get(j))
            .map(|s| s.status);
        let verb = match step.kind {
            StepKind::Opened if step.status == ItemStatus::Open => "opened".to_string(),
            StepKind::Opened => format!("opened as {}", step.status.as_str()),
            StepKind::Updated if before != Some(step.status) => {
                format!("marked {}", step.status.as_str())
            }
            StepKind::Updated => "updated".to_string(),
            StepKind::Mentioned => "mentioned".to_string(),
        };
        let origin = self.h.entry(path, step.line)?;
        Some(LineGit {
            verb,
            commit: origin.map(|c| self.commit(c)),
        })
    }
}
