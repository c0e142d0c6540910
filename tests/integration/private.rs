//! Private parts: a fixture whose private parts (a body block, an agenda
//! item, a decision, action items and an update, a whole private note) hold
//! the word "zanzibarquux"; no byte of the built site may hold it.

use crate::snapshots::SiteTest;
use crate::support::git;
use std::io::Read;
use std::path::Path;

const WORD: &str = "zanzibarq";

/// Every file under `dir`, its text as published (search chunks decompressed).
fn every_output(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap();
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut s = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut s)
                .unwrap();
            text = s;
        }
        out.push((e.path().display().to_string(), text));
    }
    out
}

fn committed() -> SiteTest {
    let site = SiteTest::fixture("private");
    git(site.root(), &["init", "-q"], "2024-05-01");
    git(site.root(), &["add", "."], "2024-05-01");
    git(
        site.root(),
        &[
            "-c",
            "user.name=Ada",
            "-c",
            "user.email=a@x",
            "commit",
            "-qm",
            "notes",
        ],
        "2024-05-01",
    );
    site
}

#[test]
fn no_output_byte_holds_a_private_word() {
    let site = committed();
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = every_output(&site.root().join("public"));
    // The site is all there: feeds, calendars, sitemap, JSON (the items
    // index's too), search, minutes.
    for want in [
        "feed.xml",
        "calendar.ics",
        "sitemap.xml",
        "actions.json",
        "actions/items.json",
        "meetings.json",
        "decisions.json",
        "search/meta.json",
        "groups/sec/2024-01-10/minutes.txt",
        "decisions/sec-20240313-d2/index.html",
    ] {
        assert!(
            files.iter().any(|(p, _)| p.ends_with(want)),
            "{want} was not built"
        );
    }
    assert!(files.len() > 30, "{}", files.len());
    for (path, text) in &files {
        assert!(
            !text.to_lowercase().contains(WORD),
            "{path} holds a private word"
        );
    }
    // What the private parts leave: counts, and the public rest.
    let ada = site.main_of("public/people/ada-chair/index.html");
    assert!(
        ada.contains("And 2 private items (open, not published)."),
        "{ada}"
    );
    let ben = site.main_of("public/people/ben-member/index.html");
    assert!(
        ben.contains("And 1 private item (open, not published)."),
        "{ben}"
    );
    let jan = site.main_of("public/groups/sec/2024-01-10/index.html");
    assert!(jan.contains("Publish advisories within 90 days"));
    assert!(jan.contains("Ada drafts the template."));
    assert!(
        jan.contains("also opened or updated 3 private items"),
        "{jan}"
    );
    assert!(!site.root().join("public/groups/sec/2024-04-10").exists());
    assert!(!site
        .root()
        .join("public/decisions/sec-20240110-d2")
        .exists());
    let step = site.main_of("public/actions/sec-20240110-1/index.html");
    assert!(step.contains("Template half written"), "{step}");
}

#[test]
fn check_counts_each_notes_private_parts() {
    let site = SiteTest::fixture("private");
    let run = site.run(&["check", "--format", "plain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for want in [
        "content/sec/2024-01-10.md:1:1: info[private-parts]: 5 private parts: never published",
        "content/sec/2024-02-14.md:1:1: info[private-parts]: 1 private part: never published",
        "content/sec/2024-03-13.md:1:1: info[private-parts]: 1 private part: never published",
        "content/sec/2024-04-10.md:1:1: info[private-parts]: the whole note is private",
    ] {
        assert!(run.stderr.contains(want), "{want} not in\n{}", run.stderr);
    }
}

#[test]
fn actions_shows_private_items_locally_marked_private() {
    let site = SiteTest::fixture("private");
    let run = site.run(&["actions"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let private: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("PRIVATE"))
        .collect();
    assert_eq!(private.len(), 5, "{}", run.stdout);
    assert!(private
        .iter()
        .any(|l| l.contains("Notify the zanzibarquux vendor")));
    let json = site.run(&["actions", "--format", "json"]);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let flagged = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["private"] == true)
        .count();
    assert_eq!(flagged, 5);
}

#[test]
fn minutes_leave_private_parts_out() {
    let site = SiteTest::fixture("private");
    let run = site.run(&["minutes", "sec", "2024-01-10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.to_lowercase().contains(WORD), "{}", run.stdout);
    assert!(run.stdout.contains("3 private items (not published)"));
    let private = site.run(&["minutes", "sec", "2024-04-10"]);
    assert_eq!(private.code, 2);
    assert!(!private.stdout.to_lowercase().contains(WORD));
}
