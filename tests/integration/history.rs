//! Git history on built pages: repositories made here with the `git` CLI, in
//! a temp dir: normal, shallow clone, detached HEAD, uncommitted notes, no
//! repository, a site in a subfolder of its repository.

use crate::support::git;
use quorum::history::{HistoryCache, SiteHistory};
use std::path::{Path, PathBuf};
use std::process::Command;

const FIRST: &str = "---
title: Budget meeting
date: 2024-01-10
attendees: [Ana Costa, Bo Lindqvist]
actions:
  - id: budget-plan
    owner: Ana Costa
    task: Draft the budget plan
---
Notes of the first meeting.
";

const SECOND: &str = "---
title: Budget follow-up
date: 2024-02-14
attendees: [Ana Costa, Bo Lindqvist]
actions:
  - ref: budget-plan
    status: in-progress
---
Notes of the second meeting.
";

const THIRD: &str = "---
title: Budget sign-off
date: 2024-03-01
attendees: [Ana Costa, Bo Lindqvist]
actions:
  - ref: budget-plan
    status: done
---
Notes of the third meeting.
";

fn commit_as(dir: &Path, who: &str, email: &str, date: &str, msg: &str) {
    git(dir, &["add", "-A"], date);
    git(
        dir,
        &[
            "-c",
            &format!("user.name={who}"),
            "-c",
            &format!("user.email={email}"),
            "commit",
            "-q",
            "-m",
            msg,
        ],
        date,
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A site under `dir/sub` (or `dir` when `sub` is empty) with three meetings:
/// the item opened by "ana" (mapped to Ana Costa by .mailmap) on 2024-01-10,
/// in progress by Bo on 2024-02-14, done by ana on 2024-03-02.
fn make_repo(dir: &Path, sub: &str) -> PathBuf {
    let site = if sub.is_empty() {
        dir.to_path_buf()
    } else {
        dir.join(sub)
    };
    git(dir, &["init", "-q", "--initial-branch=main"], "2024-01-01");
    write(
        &dir.join(".mailmap"),
        "Ana Costa <ana@example.org> ana <ana@example.org>\n",
    );
    write(
        &site.join("quorum.toml"),
        "title = \"Test\"\nrepo_url = \"https://forge.example/org/gov\"\n",
    );
    write(
        &site.join("content/people.yaml"),
        "- name: Ana Costa\n- name: Bo Lindqvist\n",
    );
    write(&site.join("content/board/2024-01-10.md"), FIRST);
    commit_as(dir, "ana", "ana@example.org", "2024-01-10", "first meeting");
    write(&site.join("content/board/2024-02-14.md"), SECOND);
    commit_as(
        dir,
        "Bo Lindqvist",
        "bo@example.org",
        "2024-02-14",
        "second",
    );
    write(&site.join("content/board/2024-03-01.md"), THIRD);
    commit_as(dir, "ana", "ana@example.org", "2024-03-02", "third");
    // A later edit of the first note's body only.
    write(
        &site.join("content/board/2024-01-10.md"),
        &FIRST.replace("first meeting.", "first meeting, corrected."),
    );
    commit_as(dir, "Bo Lindqvist", "bo@example.org", "2024-03-05", "typo");
    site
}

fn build(site: &Path, extra: &[&str]) -> (PathBuf, String) {
    let out = site.join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .arg("build")
        .arg("--root")
        .arg(site)
        .arg("--out")
        .arg(&out)
        .args(["--today", "2024-06-01"])
        .args(extra)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("quorum runs");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "build failed: {stderr}");
    (out, stderr)
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn head_short(dir: &Path, rev: &str) -> String {
    let o = git(dir, &["rev-parse", "--short=7", rev], "2024-01-01");
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
fn meeting_page_shows_first_and_last_commit_authors_and_links() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "");
    let (out, stderr) = build(&site, &[]);
    assert!(!stderr.contains("note: history"), "{stderr}");
    let html = page(&out, "groups/board/2024-01-10/index.html");
    let first = head_short(tmp.path(), "HEAD~3");
    let last = head_short(tmp.path(), "HEAD");
    assert!(
        html.contains(r#"First committed on <time>2024-01-10</time>"#),
        "{html}"
    );
    assert!(html.contains(&format!("<code>{first}</code></a> by Ana Costa")));
    assert!(html.contains(r#"last changed on <time>2024-03-05</time>"#));
    assert!(html.contains(&format!("<code>{last}</code></a> by Bo Lindqvist")));
    assert!(html.contains("Authors: Ana Costa, Bo Lindqvist"));
    assert!(html.contains("https://forge.example/org/gov/commit/"));
    assert!(html.contains(
        r#"<a href="https://forge.example/org/gov/commits/HEAD/content/board/2024-01-10.md">History</a>"#
    ));
    assert!(html.contains("https://forge.example/org/gov/edit/HEAD/content/board/2024-01-10.md"));
    // Never an email address, and the mailmap replaced the raw name.
    assert!(!html.contains("example.org"));
    assert!(!html.contains("by ana"));
    // The footer of every page shows the last update.
    let home = page(&out, "index.html");
    assert!(
        home.contains(r#"Last updated <time>2024-03-05</time>"#),
        "{home}"
    );
}

#[test]
fn item_timeline_says_when_each_status_line_entered_the_notes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "");
    let (out, _) = build(&site, &[]);
    let html = page(&out, "actions/budget-plan/index.html");
    let third = head_short(tmp.path(), "HEAD~1");
    let second = head_short(tmp.path(), "HEAD~2");
    let first = head_short(tmp.path(), "HEAD~3");
    assert!(
        html.contains(
            r#"marked done on <time>2024-03-02</time> in <a href="https://forge.example/org/gov/commit/"#
        ),
        "{html}"
    );
    assert!(html.contains(&format!("<code>{third}</code></a> by Ana Costa")));
    assert!(html.contains(r#"marked in-progress on <time>2024-02-14</time>"#));
    assert!(html.contains(&format!("<code>{second}</code></a> by Bo Lindqvist")));
    // The opening line was not touched by the later body edit.
    assert!(html.contains(r#"opened on <time>2024-01-10</time>"#));
    assert!(html.contains(&format!("<code>{first}</code></a> by Ana Costa")));
}

#[test]
fn an_in_place_edit_of_a_status_is_credited_to_its_commit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "");
    // Only the `status:` line changes; the entry's `- ref:` line stays as committed.
    let path = site.join("content/board/2024-03-01.md");
    write(&path, &THIRD.replace("status: done", "status: dropped"));
    commit_as(
        tmp.path(),
        "Bo Lindqvist",
        "bo@example.org",
        "2024-04-01",
        "dropped",
    );
    let (out, _) = build(&site, &[]);
    let html = page(&out, "actions/budget-plan/index.html");
    assert!(
        html.contains(r#"marked dropped on <time>2024-04-01</time>"#),
        "{html}"
    );
    // The earlier entries keep their own commits.
    assert!(html.contains(r#"marked in-progress on <time>2024-02-14</time>"#));
}

#[test]
fn shallow_clone_says_dates_before_its_boundary_are_unknown() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin = tmp.path().join("origin");
    std::fs::create_dir_all(&origin).expect("mkdir");
    make_repo(&origin, "");
    let url = format!("file://{}", origin.display());
    git(
        tmp.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
        "2024-06-01",
    );
    let site = tmp.path().join("clone");
    let (out, stderr) = build(&site, &[]);
    assert!(stderr.contains("note: history: shallow clone"), "{stderr}");
    let html = page(&out, "groups/board/2024-02-14/index.html");
    assert!(
        html.contains(r#"First committed on or before <time>2024-03-05</time>"#),
        "{html}"
    );
    let item = page(&out, "actions/budget-plan/index.html");
    assert!(item.contains("marked done on or before"), "{item}");
}

#[test]
fn detached_head_builds_and_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "");
    git(
        tmp.path(),
        &["checkout", "-q", "--detach", "HEAD~1"],
        "2024-06-01",
    );
    let (out, stderr) = build(&site, &[]);
    assert!(
        stderr.contains("note: history: HEAD is detached at"),
        "{stderr}"
    );
    let home = page(&out, "index.html");
    assert!(home.contains("detached HEAD"), "{home}");
    assert!(home.contains(r#"Last updated <time>2024-03-02</time>"#));
    // The first note at HEAD~1 was not yet corrected: its last change is its creation.
    let html = page(&out, "groups/board/2024-01-10/index.html");
    assert!(!html.contains("last changed"), "{html}");
}

#[test]
fn uncommitted_changes_are_marked_on_pages_and_timelines() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "");
    // Mark the item blocked in the work tree, and add a note nobody committed.
    write(
        &site.join("content/board/2024-03-01.md"),
        &THIRD.replace("status: done", "status: blocked"),
    );
    write(
        &site.join("content/board/2024-04-10.md"),
        "---\ntitle: Spring\ndate: 2024-04-10\nattendees: [Ana Costa]\n---\nDraft.\n",
    );
    let (out, stderr) = build(&site, &[]);
    assert!(
        stderr.contains("2 note(s) have uncommitted changes"),
        "{stderr}"
    );
    let item = page(&out, "actions/budget-plan/index.html");
    assert!(
        item.contains("marked blocked in changes not committed yet"),
        "{item}"
    );
    let changed = page(&out, "groups/board/2024-03-01/index.html");
    assert!(changed.contains("This page shows changes not committed yet."));
    assert!(changed.contains("First committed on"));
    let new = page(&out, "groups/board/2024-04-10/index.html");
    assert!(new.contains("This note is not committed yet."), "{new}");
    assert!(!new.contains("First committed"));
    assert!(page(&out, "index.html").contains("with uncommitted changes"));
}

#[test]
fn outside_a_repository_the_build_works_and_says_what_it_could_not_know() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    write(&site.join("quorum.toml"), "title = \"Test\"\n");
    write(
        &site.join("content/people.yaml"),
        "- name: Ana Costa\n- name: Bo Lindqvist\n",
    );
    write(&site.join("content/board/2024-01-10.md"), FIRST);
    // The temp dir may itself sit inside a repository; make sure discovery stops here.
    let (out, stderr) = {
        let out = site.join("public");
        let o = Command::new(env!("CARGO_BIN_EXE_quorum"))
            .args(["build", "--today", "2024-06-01", "--root"])
            .arg(&site)
            .arg("--out")
            .arg(&out)
            .env("GIT_CEILING_DIRECTORIES", tmp.path())
            .output()
            .expect("quorum runs");
        assert!(o.status.success());
        (out, String::from_utf8_lossy(&o.stderr).into_owned())
    };
    assert!(
        stderr.contains("is not in a git repository: pages show no dates of change or authors"),
        "{stderr}"
    );
    let html = page(&out, "groups/board/2024-01-10/index.html");
    assert!(!html.contains("page-history"));
    assert!(!page(&out, "index.html").contains("Last updated"));
}

#[test]
fn no_history_flag_leaves_git_out() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "");
    let (out, _) = build(&site, &["--no-history"]);
    let html = page(&out, "groups/board/2024-01-10/index.html");
    assert!(!html.contains("First committed"));
    assert!(!page(&out, "actions/budget-plan/index.html").contains("class=\"git\""));
}

#[test]
fn site_in_a_subfolder_links_repository_paths() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "governance");
    let (out, _) = build(&site, &[]);
    let html = page(&out, "groups/board/2024-01-10/index.html");
    assert!(
        html.contains(
            "https://forge.example/org/gov/edit/HEAD/governance/content/board/2024-01-10.md"
        ),
        "{html}"
    );
    assert!(html.contains("/commits/HEAD/governance/content/board/2024-01-10.md"));
    assert!(html.contains("First committed on"));
}

#[test]
fn renamed_note_keeps_its_creation_and_line_history() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "");
    git(
        tmp.path(),
        &[
            "mv",
            "content/board/2024-01-10.md",
            "content/board/2024-01-10-budget.md",
        ],
        "2024-05-01",
    );
    commit_as(
        tmp.path(),
        "Bo Lindqvist",
        "bo@example.org",
        "2024-05-01",
        "rename",
    );
    let h = SiteHistory::read(&site, &["content".to_string()]);
    let f = &h.files["content/board/2024-01-10-budget.md"];
    let created = h.commit(f.created.expect("committed")).expect("commit");
    assert_eq!(created.date.to_string(), "2024-01-10");
    let line = h
        .line("content/board/2024-01-10-budget.md", 1)
        .expect("known")
        .expect("committed");
    assert_eq!(line.author, "Ana Costa");
}

/// Names that sort around a folder in git's order (`a-c.md` < `a.b.md` <
/// `a/`), folders added and removed whole, and a file turned into a folder
/// of the same name and back: each file's first and last commits are the
/// ones `git log` gives, and no deleted file is left.
#[test]
fn folders_and_files_coming_and_going_are_walked_as_git_log_sees_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    git(dir, &["init", "-q", "--initial-branch=main"], "2024-01-01");
    let c = |rel: &str| dir.join("content").join(rel);
    // (date, [(path, new text or deleted)])
    type Step<'a> = (&'a str, Vec<(&'a str, Option<&'a str>)>);
    let steps: Vec<Step> = vec![
        (
            "2024-01-01",
            vec![
                ("a/x.md", Some("x one\n")),
                ("a/y.md", Some("y one\n")),
                ("a-c.md", Some("ac one\n")),
                ("a.b.md", Some("ab one\n")),
                ("c", Some("c as a file\n")),
            ],
        ),
        (
            "2024-01-02",
            vec![("a/x.md", Some("x two\n")), ("a0/z.md", Some("z one\n"))],
        ),
        (
            "2024-01-03",
            vec![
                ("a/x.md", None),
                ("a/y.md", None),
                ("a.b.md", Some("ab two\n")),
            ],
        ),
        (
            "2024-01-04",
            vec![("c", None), ("c/n.md", Some("a note in a folder\n"))],
        ),
        ("2024-01-05", vec![("a-c.md", Some("ac two\n"))]),
        (
            "2024-01-06",
            vec![("c/n.md", None), ("c", Some("a file once more\n"))],
        ),
        ("2024-01-07", vec![("a/x.md", Some("x back\n"))]),
    ];
    for (date, changes) in &steps {
        for (rel, text) in changes {
            match text {
                Some(t) => write(&c(rel), t),
                None => {
                    std::fs::remove_file(c(rel)).expect("remove");
                    // As git leaves it: no empty folder.
                    let _ = std::fs::remove_dir(c(rel).parent().expect("has a parent"));
                }
            }
        }
        commit_as(dir, "Ana Costa", "ana@example.org", date, date);
    }
    let h = SiteHistory::read(dir, &["content".to_string()]);
    let log = |args: &[&str]| {
        let o = git(dir, args, "2024-01-01");
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    let tracked = log(&["ls-files", "content"]);
    let mut want: Vec<&str> = tracked.lines().collect();
    want.sort();
    let mut have: Vec<&str> = h.files.keys().map(String::as_str).collect();
    have.sort();
    assert_eq!(have, want, "the files at HEAD, no more");
    for path in want {
        let f = &h.files[path];
        let short = |i: Option<u32>| {
            h.commit(i.expect("committed"))
                .expect("commit")
                .short
                .clone()
        };
        let added = log(&[
            "log",
            "--format=%h",
            "--abbrev=7",
            "-1",
            "--diff-filter=A",
            "--",
            path,
        ]);
        let last = log(&["log", "--format=%h", "--abbrev=7", "-1", "--", path]);
        assert_eq!(short(f.created), added, "{path} created");
        assert_eq!(short(f.updated), last, "{path} last changed");
    }
}

#[test]
fn cache_walks_again_only_when_head_moves() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "");
    let dirs = vec!["content".to_string()];
    let mut cache = HistoryCache::new();
    let a = cache.get(&site, &dirs);
    let b = cache.get(&site, &dirs);
    assert_eq!(cache.walks, 1);
    assert_eq!(a.files, b.files);
    // An uncommitted change is seen without a new walk.
    write(
        &site.join("content/board/2024-02-14.md"),
        &SECOND.replace("second", "2nd"),
    );
    let c = cache.get(&site, &dirs);
    assert_eq!(cache.walks, 1);
    assert!(c.files["content/board/2024-02-14.md"].uncommitted);
    commit_as(
        tmp.path(),
        "Bo Lindqvist",
        "bo@example.org",
        "2024-06-01",
        "2nd",
    );
    let d = cache.get(&site, &dirs);
    assert_eq!(cache.walks, 2);
    assert_eq!(cache.resumed, 1, "only the new commit was walked");
    assert!(!d.files["content/board/2024-02-14.md"].uncommitted);
}

#[test]
fn saved_cache_spares_the_walk_in_the_next_build_until_head_moves() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "");
    let dirs = vec!["content".to_string()];
    let path = tmp.path().join("cache/history.bin");
    let mut first = HistoryCache::open(&path);
    let a = first.get(&site, &dirs);
    assert_eq!(first.walks, 1);
    first.save(&path).expect("save");
    // A later run reads the walk back and does not walk again.
    let mut second = HistoryCache::open(&path);
    let b = second.get(&site, &dirs);
    assert_eq!(second.walks, 0);
    assert_eq!(a.files, b.files);
    assert_eq!(a.commits, b.commits);
    // A new commit moves HEAD: the saved walk no longer serves.
    write(
        &site.join("content/board/2024-02-14.md"),
        &SECOND.replace("second", "2nd"),
    );
    commit_as(
        tmp.path(),
        "Bo Lindqvist",
        "bo@example.org",
        "2024-06-01",
        "2nd",
    );
    let mut third = HistoryCache::open(&path);
    let c = third.get(&site, &dirs);
    assert_eq!(third.walks, 1);
    assert_ne!(c.files, a.files);
    // Pages built twice in a row (the second from the cache) are the same.
    let (out1, _) = build(&site, &[]);
    let first_page = page(&out1, "groups/board/2024-02-14/index.html");
    let (out2, _) = build(&site, &[]);
    assert_eq!(
        first_page,
        page(&out2, "groups/board/2024-02-14/index.html")
    );
}

/// Builds `site` into `out`.
fn build_to(site: &Path, out: &Path, extra: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .arg("build")
        .arg("--root")
        .arg(site)
        .arg("--out")
        .arg(out)
        .args(["--today", "2024-06-01"])
        .args(extra)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("quorum runs");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "build failed: {stderr}");
    stderr
}

/// Every file under `a` and `b`, relative, with its bytes.
fn tree_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

fn assert_same_output(a: &Path, b: &Path) {
    let (ta, tb) = (tree_of(a), tree_of(b));
    assert!(!ta.is_empty());
    let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ta), names(&tb), "the same files");
    for ((p, x), (_, y)) in ta.iter().zip(&tb) {
        assert!(
            x == y,
            "{} differs:\n{}\n---\n{}",
            p.display(),
            String::from_utf8_lossy(x),
            String::from_utf8_lossy(y)
        );
    }
}

/// The committed history's facts that pages show.
fn assert_same_history(a: &SiteHistory, b: &SiteHistory) {
    assert_eq!(a.commits, b.commits);
    assert_eq!(a.files, b.files);
    assert_eq!(a.lines, b.lines);
    assert_eq!(a.head, b.head);
    assert_eq!(a.notes, b.notes);
}

const FOURTH: &str = "---
title: Budget review
date: 2024-04-10
attendees: [Ana Costa]
actions:
  - ref: budget-plan
    status: done
    note: reviewed
---
Notes of the review.
";

#[test]
fn new_commits_are_walked_on_top_of_the_kept_walk_and_pages_match_a_fresh_build() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "");
    // HEAD changes nothing in the notes: the kept walk has it only as HEAD.
    write(&site.join("README.md"), "Governance notes.\n");
    commit_as(
        tmp.path(),
        "Bo Lindqvist",
        "bo@example.org",
        "2024-03-20",
        "readme",
    );
    let cached_out = tmp.path().join("out-cached");
    build_to(&site, &cached_out, &[]);
    let kept = tmp.path().join("kept-history.bin");
    std::fs::copy(site.join(".quorum-cache/history.bin"), &kept).expect("the build kept its walk");

    // A status changed in place, then a new note.
    let third = site.join("content/board/2024-03-01.md");
    write(&third, &THIRD.replace("status: done", "status: dropped"));
    commit_as(
        tmp.path(),
        "Bo Lindqvist",
        "bo@example.org",
        "2024-04-01",
        "dropped",
    );
    write(&site.join("content/board/2024-04-10.md"), FOURTH);
    commit_as(tmp.path(), "ana", "ana@example.org", "2024-04-12", "review");

    let dirs = vec!["content".to_string()];
    let mut cache = HistoryCache::open(&kept);
    let resumed = cache.get(&site, &dirs);
    assert_eq!(
        (cache.walks, cache.resumed),
        (1, 1),
        "only the new commits walked"
    );
    assert_same_history(&resumed, &SiteHistory::read(&site, &dirs));

    build_to(&site, &cached_out, &[]);
    let fresh_out = tmp.path().join("out-fresh");
    build_to(&site, &fresh_out, &["--no-cache"]);
    assert_same_output(&cached_out, &fresh_out);
    let item = page(&cached_out, "actions/budget-plan/index.html");
    let dropped = head_short(tmp.path(), "HEAD~1");
    let review = head_short(tmp.path(), "HEAD");
    assert!(
        item.contains(r#"marked dropped on <time>2024-04-01</time>"#),
        "{item}"
    );
    assert!(item.contains(&format!("<code>{dropped}</code></a> by Bo Lindqvist")));
    assert!(item.contains(r#"marked done on <time>2024-04-12</time>"#));
    assert!(item.contains(&format!("<code>{review}</code></a> by Ana Costa")));
    assert!(page(&cached_out, "index.html").contains(r#"Last updated <time>2024-04-12</time>"#));
}

#[test]
fn a_reset_or_a_rewritten_head_walks_the_whole_history_again() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = make_repo(tmp.path(), "");
    let dirs = vec!["content".to_string()];
    let cached_out = tmp.path().join("out-cached");
    let fresh_out = tmp.path().join("out-fresh");
    let kept = tmp.path().join("kept-history.bin");
    let keep = || {
        std::fs::copy(site.join(".quorum-cache/history.bin"), &kept).expect("kept walk");
    };
    let check = |full: bool| {
        let mut cache = HistoryCache::open(&kept);
        let h = cache.get(&site, &dirs);
        assert_eq!(cache.walks, 1);
        assert_eq!(
            cache.resumed,
            usize::from(!full),
            "resumed only when HEAD moved on"
        );
        assert_same_history(&h, &SiteHistory::read(&site, &dirs));
        build_to(&site, &cached_out, &[]);
        build_to(&site, &fresh_out, &["--no-cache"]);
        assert_same_output(&cached_out, &fresh_out);
    };
    build_to(&site, &cached_out, &[]);
    keep();

    // HEAD moved back: the body correction is gone again.
    git(
        tmp.path(),
        &["reset", "-q", "--hard", "HEAD~1"],
        "2024-06-01",
    );
    check(true);
    let html = page(&cached_out, "groups/board/2024-01-10/index.html");
    assert!(!html.contains("last changed"), "{html}");
    keep();

    // The same change committed again, on top: walked on from the kept walk.
    write(
        &site.join("content/board/2024-01-10.md"),
        &FIRST.replace("first meeting.", "first meeting, corrected."),
    );
    commit_as(
        tmp.path(),
        "Bo Lindqvist",
        "bo@example.org",
        "2024-03-06",
        "typo",
    );
    check(false);
    keep();

    // HEAD rewritten: amended with another author and date.
    git(
        tmp.path(),
        &[
            "-c",
            "user.name=Ana Costa",
            "-c",
            "user.email=ana@example.org",
            "commit",
            "-q",
            "--amend",
            "--reset-author",
            "-m",
            "typo, amended",
        ],
        "2024-03-09",
    );
    check(true);
    let html = page(&cached_out, "groups/board/2024-01-10/index.html");
    assert!(
        html.contains(r#"last changed on <time>2024-03-09</time>"#),
        "{html}"
    );
    let amended = head_short(tmp.path(), "HEAD");
    assert!(html.contains(&format!("<code>{amended}</code></a> by Ana Costa")));
}
