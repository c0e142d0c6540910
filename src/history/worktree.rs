//! The work tree's (and the index's) changes laid over the committed history.

use super::*;

impl SiteHistory {
    /// Lays the work tree's (and the index's) changes over the committed
    /// history: new files and changed lines become uncommitted.
    pub fn overlay_worktree(&mut self, root: &Path, dirs: &[String]) {
        if !self.in_repo {
            return;
        }
        let Ok(repo) = Repository::discover(root) else {
            return;
        };
        let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
            return;
        };
        let mut opts = StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .exclude_submodules(true)
            .disable_pathspec_match(true);
        let specs: Vec<String> = dirs.iter().map(|d| repo_dir(&self.prefix, d)).collect();
        if !specs.iter().any(String::is_empty) {
            for d in specs {
                opts.pathspec(d);
            }
        }
        let statuses = match repo.statuses(Some(&mut opts)) {
            Ok(s) => s,
            Err(e) => {
                self.notes.push(format!(
                    "could not read the work tree's status ({}): uncommitted changes are not marked",
                    e.message()
                ));
                return;
            }
        };
        let head_tree = repo.head().and_then(|h| h.peel_to_tree()).ok();
        let mut changed = 0usize;
        for entry in statuses.iter() {
            let st = entry.status();
            let repo_path = String::from_utf8_lossy(entry.path_bytes()).into_owned();
            let Some(path) = repo_path.strip_prefix(&self.prefix).map(str::to_string) else {
                continue;
            };
            if st.is_wt_deleted() || st.is_index_deleted() {
                self.files.remove(&path);
                self.lines.remove(&path);
                continue;
            }
            let bytes = match std::fs::read(workdir.join(&repo_path)) {
                Ok(b) => b,
                Err(_) => continue,
            };
            changed += 1;
            let old_blob = head_tree
                .as_ref()
                .and_then(|t| t.get_path(Path::new(&repo_path)).ok())
                .and_then(|e| repo.find_blob(e.id()).ok());
            let file = self.files.entry(path.clone()).or_default();
            file.uncommitted = true;
            let old_lines = self.lines.remove(&path);
            let new_lines = match &old_blob {
                Some(blob) => match text_hunks(blob.content(), &bytes) {
                    Ok((old_len, hs)) => {
                        let old_lines = old_lines.map(|l| l.into_vec(old_len)).unwrap_or_default();
                        apply_hunks(&old_lines, &hs, UNCOMMITTED)
                    }
                    Err(_) => vec![UNCOMMITTED; count_lines(&bytes)],
                },
                None => vec![UNCOMMITTED; count_lines(&bytes)],
            };
            self.lines.insert(path, LineOrigins::Each(new_lines));
        }
        if changed > 0 {
            self.notes.push(format!(
                "{changed} note(s) have uncommitted changes: their pages and lines say so"
            ));
        }
    }
}
