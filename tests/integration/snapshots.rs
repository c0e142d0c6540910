//! Whole outputs, exactly: `check` on every broken fixture and the `<main>`
//! of pages of a fixture site, each run on a temporary copy and compared
//! with its committed insta snapshot (tests/integration/snapshots/).

use crate::support::{copy_tree, fixture_source, TODAY};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fixture site copied to a temporary folder, to run quorum on (as
/// mdBook's `BookTest`): the fixture in the repository is never touched.
pub struct SiteTest {
    dir: tempfile::TempDir,
}

/// What one run of quorum gave.
pub struct Run {
    /// The exit status.
    pub code: i32,
    /// Standard output, with the temporary folder shown as `[ROOT]`.
    pub stdout: String,
    /// Standard error, likewise.
    pub stderr: String,
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(&fixture_source(name), dir.path());
        SiteTest { dir }
    }

    /// The copy's root folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `quorum ARGS --root ROOT --today TODAY --no-cache`.
    pub fn run(&self, args: &[&str]) -> Run {
        let o = Command::new(env!("CARGO_BIN_EXE_quorum"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .args(["--today", TODAY, "--no-cache"])
            .env("NO_COLOR", "1")
            .output()
            .expect("run quorum");
        let root = self.root().display().to_string();
        let clean = |b: &[u8]| String::from_utf8_lossy(b).replace(&root, "[ROOT]");
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: clean(&o.stdout),
            stderr: clean(&o.stderr),
        }
    }

    /// A file of the copy, as text.
    pub fn file(&self, rel: &str) -> String {
        let p: PathBuf = self.root().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// The `<main>` element of the built page `rel` (under the output folder).
    pub fn main_of(&self, rel: &str) -> String {
        let page = self.file(rel);
        let start = page
            .find("<main")
            .unwrap_or_else(|| panic!("{rel} has no <main>"));
        let end = page[start..]
            .find("</main>")
            .map(|e| start + e + "</main>".len())
            .unwrap_or_else(|| panic!("{rel}: <main> is not closed"));
        page[start..end].to_string()
    }
}

impl Run {
    /// The exit status and both streams, as a snapshot shows them.
    pub fn shown(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Every folder under tests/fixtures/broken.
fn broken_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_source("broken"))
        .expect("tests/fixtures/broken")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn check_output_of_every_broken_fixture() {
    let names = broken_fixtures();
    assert!(names.len() >= 14, "{names:?}");
    for name in names {
        let site = SiteTest::fixture(&format!("broken/{name}"));
        let plain = site.run(&["check", "--format", "plain"]);
        insta::assert_snapshot!(format!("check-{name}"), plain.shown());
        let json = site.run(&["check", "--format", "json"]);
        insta::assert_snapshot!(format!("check-json-{name}"), json.shown());
    }
}

#[test]
fn main_of_pages_of_a_fixture_site() {
    let site = SiteTest::fixture("action-patterns");
    let built = site.run(&["build", "--out", "public"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    for (name, page) in [
        ("home", "public/index.html"),
        ("group", "public/groups/wg-lamps/index.html"),
        ("meeting", "public/groups/wg-lamps/2024-03-05/index.html"),
        ("item", "public/actions/wg-lamps-20240305-1/index.html"),
        ("actions", "public/actions/index.html"),
    ] {
        insta::assert_snapshot!(format!("main-{name}"), site.main_of(page));
    }
}
