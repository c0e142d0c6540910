//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date every test takes as today.
pub const TODAY: &str = "2026-11-23";

/// The repository root (the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture under tests/fixtures, as committed (read it, never run quorum on it).
pub fn fixture_source(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// A fixture (site or file) under tests/fixtures, copied once per test run
/// into a temporary folder: quorum's caches are written there, never into
/// the repository, so no test reads a cache an older quorum left.
pub fn fixture(name: &str) -> PathBuf {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static COPIES: OnceLock<Mutex<(tempfile::TempDir, HashMap<String, PathBuf>)>> = OnceLock::new();
    let copies =
        COPIES.get_or_init(|| Mutex::new((tempfile::tempdir().expect("temp dir"), HashMap::new())));
    let mut guard = copies.lock().unwrap_or_else(|e| e.into_inner());
    let (dir, seen) = &mut *guard;
    if let Some(p) = seen.get(name) {
        return p.clone();
    }
    let src = fixture_source(name);
    let dst = dir.path().join(name);
    if src.is_dir() {
        copy_tree(&src, &dst);
    } else {
        std::fs::create_dir_all(dst.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&src, &dst).expect("copy");
    }
    seen.insert(name.to_string(), dst.clone());
    dst
}

/// Runs `quorum <args> --root <root> --today TODAY`.
pub fn quorum(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quorum"))
        .args(args)
        .arg("--root")
        .arg(root)
        .args(["--today", TODAY])
        .output()
        .expect("run quorum")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copies a folder tree (a fixture site) into a new temp folder.
pub fn copy_site(src: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(src, dir.path());
    dir
}

/// Copies `src` into `dst` recursively.
pub fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(src).expect("prefix");
        let to = dst.join(rel);
        if entry
            .path()
            .components()
            .any(|c| c.as_os_str() == ".quorum-cache")
        {
            continue;
        }
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
}

/// Writes `text` to `root/rel`, creating folders.
pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// A diagnostic as `check --format json` prints it: (file, line, severity, code, message).
pub type Diag = (String, u64, String, String, String);

/// `check --format json` diagnostics.
pub fn diagnostics(root: &Path) -> (i32, Vec<Diag>) {
    parse_diagnostics(&quorum(root, &["check", "--format", "json"]))
}

/// The exit status and diagnostics of a `check --format json` run.
pub fn parse_diagnostics(o: &Output) -> (i32, Vec<Diag>) {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json diagnostics");
    let list = v
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (
                s("file"),
                d["line"].as_u64().unwrap_or_default(),
                s("severity"),
                s("code"),
                s("message"),
            )
        })
        .collect();
    (o.status.code().unwrap_or(-1), list)
}

/// Items from `actions --status all --format json`.
pub fn items(root: &Path) -> Vec<serde_json::Value> {
    let o = quorum(root, &["actions", "--status", "all", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json items");
    v.as_array().expect("array").clone()
}

/// Runs `git ARGS` in `dir` with author and committer dates at noon UTC on
/// `date` (YYYY-MM-DD) and no system or user configuration; fails the test if
/// git does.
pub fn git(dir: &Path, args: &[&str], date: &str) -> Output {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", format!("{date}T12:00:00+00:00"))
        .env("GIT_COMMITTER_DATE", format!("{date}T12:00:00+00:00"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The item `id` of a parsed `actions.json`.
pub fn item<'a>(items: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    items
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id} in actions.json"))
}
