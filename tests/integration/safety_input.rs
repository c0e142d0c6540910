//! Input a clumsy user or an adversary writes: old Mac line endings,
//! same-meeting updates in the body, type errors and conflicts in the
//! settings and the roster, links under `ids --write` and `new`, control
//! characters, hostile URLs, the last representable date and DST gaps. Each
//! is read, or reported at its line; none is dropped without a word.

use crate::support::{diagnostics, items, quorum, stderr, stdout, write};
use std::path::{Path, PathBuf};

/// A small site in a temp folder: quorum.toml with a base_url and a group `ops`.
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonicalize");
    write(
        &root,
        "quorum.toml",
        "title = \"Gov\"\nbase_url = \"https://example.org/gov/\"\n",
    );
    write(
        &root,
        "content/people.yaml",
        "- name: Pip Potter\n  handle: pip\n",
    );
    (dir, root)
}

/// Every byte of every file under `dir`.
fn all_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("read");
            (e.path().display().to_string(), bytes)
        })
        .collect()
}

fn page(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join("public").join(rel)).expect("page")
}

#[test]
fn front_matter_with_old_mac_line_endings_is_read() {
    let (_d, root) = site();
    let note = "---\rtitle: Old Mac meeting\rdate: 2026-01-05\r---\rNotes.\r";
    write(&root, "content/ops/2026-01-05.md", note);
    let o = quorum(&root, &["build", "--out", "public"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(page(&root, "groups/ops/2026-01-05/index.html").contains("<title>Old Mac meeting"));
    // Its problems are at their lines, as an editor shows them.
    write(
        &root,
        "content/ops/2026-01-12.md",
        "---\rdate: 2026-01-12\rtitel: x\r---\r",
    );
    let (code, diags) = diagnostics(&root);
    assert_eq!(code, 1);
    assert!(
        diags.iter().any(|d| d.0 == "content/ops/2026-01-12.md"
            && d.1 == 3
            && d.3 == "unknown-key"
            && d.4.contains("titel")),
        "{diags:?}"
    );
    // The file is left byte for byte as it was.
    let on_disk = std::fs::read(root.join("content/ops/2026-01-05.md")).unwrap();
    assert_eq!(on_disk, note.as_bytes());
}

#[test]
fn a_body_update_of_an_item_the_same_meeting_opens_updates_it() {
    let (_d, root) = site();
    write(
        &root,
        "content/ops/2026-01-12.md",
        "---\ndate: 2026-01-12\nactions:\n  - id: a\n    owner: Pip Potter\n    task: Write the charter\n---\n## Action items\n\n- a: done\n",
    );
    let (code, diags) = diagnostics(&root);
    assert_eq!(code, 0, "{diags:?}");
    assert!(
        !diags.iter().any(|d| d.3 == "action-without-owner"),
        "{diags:?}"
    );
    let list = items(&root);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["id"], "a");
    assert_eq!(list[0]["status"], "done");
    assert_eq!(list[0]["closed"], "2026-01-12");
}

#[test]
fn settings_type_errors_and_roster_errors_are_at_their_line() {
    let (_d, root) = site();
    write(
        &root,
        "content/ops/2026-01-05.md",
        "---\ndate: 2026-01-05\n---\n",
    );
    write(
        &root,
        "quorum.toml",
        "title = \"Gov\"\n\n[actions]\nstale_after = \"three\"\n",
    );
    let o = quorum(&root, &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("quorum.toml:4:15: error[config]: invalid type: string \"three\""),
        "{}",
        stderr(&o)
    );
    write(&root, "quorum.toml", "title = \"Gov\"\n");
    write(
        &root,
        "content/people.yaml",
        "- name: Pip Potter\n  handle: pip\n- name: Ann Lee\n  affiliaton: X\n- nmae: Bo\n- just text\n",
    );
    let (code, diags) = diagnostics(&root);
    assert_eq!(code, 1, "{diags:?}");
    let at = |line: u64, code: &str| {
        diags
            .iter()
            .any(|d| d.0 == "content/people.yaml" && d.1 == line && d.3 == code)
    };
    assert!(at(4, "unknown-key"), "{diags:?}");
    assert!(at(5, "unknown-key"), "{diags:?}");
    assert!(at(5, "invalid-people"), "{diags:?}");
    assert!(at(6, "invalid-people"), "{diags:?}");
    assert!(
        !diags
            .iter()
            .any(|d| d.0 == "content/people.yaml" && d.1 == 1),
        "{diags:?}"
    );
}

#[test]
fn people_who_claim_one_name_are_warned_at_the_later_entry() {
    let (_d, root) = site();
    write(
        &root,
        "content/ops/2026-01-05.md",
        "---\ndate: 2026-01-05\n---\n",
    );
    write(
        &root,
        "content/people.yaml",
        "- name: Ann Lee\n  handle: ann\n  aliases: [Annie]\n- name: Bo Berg\n  aliases: [annie]\n- name: C Dee\n  handle: ANN\n- name: \"ann  LEE\"\n",
    );
    let (code, diags) = diagnostics(&root);
    assert_eq!(code, 0, "{diags:?}");
    let conflicts: Vec<_> = diags.iter().filter(|d| d.3 == "people-conflict").collect();
    assert_eq!(conflicts.len(), 3, "{diags:?}");
    let has = |line: u64, words: &[&str]| {
        conflicts
            .iter()
            .any(|d| d.1 == line && d.2 == "warning" && words.iter().all(|w| d.4.contains(w)))
    };
    assert!(
        has(4, &["alias `annie`", "Bo Berg", "Ann Lee"]),
        "{conflicts:?}"
    );
    assert!(
        has(6, &["handle `ANN`", "C Dee", "Ann Lee"]),
        "{conflicts:?}"
    );
    assert!(
        has(8, &["ann  LEE", "Ann Lee", "one name"]),
        "{conflicts:?}"
    );
}

#[test]
fn ids_write_goes_through_a_link_and_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let (_d, root) = site();
    let note = "---\ndate: 2026-01-05\nactions:\n  - owner: Pip Potter\n    task: Draft the charter\n---\n";
    write(&root, "shared/notes/2026-01-05.md", note);
    let target = root.join("shared/notes/2026-01-05.md");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = root.join("content/ops/2026-01-05.md");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("../../shared/notes/2026-01-05.md", &link).unwrap();
    let o = quorum(&root, &["ids", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("content/ops/2026-01-05.md:4: id: ops-20260105-1"),
        "{}",
        stdout(&o)
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("../../shared/notes/2026-01-05.md")
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        note.replace("  - owner", "  - id: ops-20260105-1\n    owner")
    );
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    let strays: Vec<_> = std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(strays.len(), 1, "{strays:?}");
}

#[test]
fn control_characters_never_reach_a_page_or_the_terminal_raw() {
    let (_d, root) = site();
    write(
        &root,
        "content/ops/2026-02-02.md",
        "---\ndate: 2026-02-02\ntitle: \"Evil \\e[31mred\\e]0;pwn\\a\"\nlocation: \"\\x1b[2J\"\n\"ti\\e[2Jtle\": x\n---\nBody \u{1b}[5m blink\n",
    );
    let o = quorum(&root, &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown key `ti\\u{1b}[2Jtle`"), "{err}");
    assert!(
        !o.stderr.contains(&0x1b) && !o.stdout.contains(&0x1b),
        "{err}"
    );
    let o = quorum(&root, &["check", "--format", "plain"]);
    assert!(!o.stderr.contains(&0x1b) && !o.stdout.contains(&0x1b));
    // Published with the bad key left out.
    let text = std::fs::read_to_string(root.join("content/ops/2026-02-02.md")).unwrap();
    write(
        &root,
        "content/ops/2026-02-02.md",
        &text.replace("\"ti\\e[2Jtle\": x\n", ""),
    );
    let o = quorum(&root, &["build", "--out", "public"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        page(&root, "groups/ops/2026-02-02/index.html").contains("<title>Evil \u{fffd}[31mred"),
        "the title shows U+FFFD"
    );
    for (path, bytes) in all_bytes(&root.join("public")) {
        if path.ends_with(".jz") {
            continue; // compressed
        }
        let raw = bytes
            .iter()
            .any(|&b| b < 0x20 && !b"\t\n\r".contains(&b) || b == 0x7f);
        assert!(!raw, "{path} holds a raw control character");
    }
    // The minutes for the mailing list show them as pages do, in either format.
    for format in ["text", "markdown"] {
        let o = quorum(&root, &["minutes", "ops", "2026-02-02", "--format", format]);
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(out.contains("Evil \u{fffd}"), "{out}");
        assert!(
            !o.stdout.contains(&0x1b) && !o.stdout.contains(&0x07),
            "{out}"
        );
    }
    // The actions table prints task text from notes: escaped too.
    write(
        &root,
        "content/ops/2026-02-09.md",
        "---\ndate: 2026-02-09\nactions:\n  - owner: Ann\n    task: \"Paint \\e[31mred\"\n---\n",
    );
    let o = quorum(&root, &["actions"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("Paint \\u{1b}[31mred"), "{out}{}", stderr(&o));
    assert!(!o.stdout.contains(&0x1b), "{out}");
}

#[test]
fn a_base_url_that_is_not_http_is_a_config_error_at_its_line() {
    let (_d, root) = site();
    write(
        &root,
        "content/ops/2026-01-05.md",
        "---\ndate: 2026-01-05\n---\n",
    );
    write(
        &root,
        "quorum.toml",
        "title = \"Gov\"\nbase_url = \"javascript:alert(1)//\"\n",
    );
    let o = quorum(&root, &["build", "--out", "public"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "quorum.toml:2:1: error[config]: base_url `javascript:alert(1)//` is not an http(s) URL"
        ),
        "{}",
        stderr(&o)
    );
    assert!(!root.join("public").exists());
    write(&root, "quorum.toml", "title = \"Gov\"\n");
    let o = quorum(
        &root,
        &["build", "--out", "public", "--base-url", "javascript:x"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--base-url `javascript:x` is not an http(s) URL"));
    assert!(!root.join("public").exists());
}

#[test]
fn the_last_day_of_9999_is_written_as_a_duration_and_year_0_is_refused() {
    let (_d, root) = site();
    write(
        &root,
        "content/ops/9999-12-31.md",
        "---\ndate: 9999-12-31\n---\n",
    );
    write(
        &root,
        "content/ops/late.md",
        "---\ndate: 9999-12-31\ntime: \"23:30\"\n---\n",
    );
    let (code, diags) = diagnostics(&root);
    assert_eq!(code, 0, "{diags:?}");
    let warned = |f: &str| {
        diags
            .iter()
            .any(|d| d.0 == f && d.1 == 2 && d.2 == "warning" && d.3 == "date-range")
    };
    assert!(warned("content/ops/9999-12-31.md"), "{diags:?}");
    assert!(warned("content/ops/late.md"), "{diags:?}");
    let o = quorum(&root, &["build", "--out", "public"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ics = page(&root, "calendar.ics");
    assert!(!ics.contains("10000") && !ics.contains("+1"), "{ics}");
    assert!(
        ics.contains("DTSTART;VALUE=DATE:99991231\r\nDURATION:P1D\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("DTSTART:99991231T233000Z\r\nDURATION:PT60M\r\n"),
        "{ics}"
    );
    write(
        &root,
        "content/ops/0000-01-01.md",
        "---\ndate: 0000-01-01\n---\n",
    );
    let (code, diags) = diagnostics(&root);
    assert_eq!(code, 1);
    assert!(
        diags.iter().any(|d| d.0 == "content/ops/0000-01-01.md"
            && d.1 == 2
            && d.4.contains("outside the years 1 to 9999")),
        "{diags:?}"
    );
}

#[test]
fn a_time_in_a_dst_gap_is_warned_and_read_with_the_offset_before() {
    let (_d, root) = site();
    write(
        &root,
        "content/ops/2026-03-08.md",
        "---\ndate: 2026-03-08\ntime: \"02:30\"\ntimezone: America/New_York\n---\n",
    );
    let (code, diags) = diagnostics(&root);
    assert_eq!(code, 0, "{diags:?}");
    assert!(
        diags.iter().any(|d| d.1 == 3
            && d.3 == "dst-gap"
            && d.4
                .contains("02:30 on 2026-03-08 does not exist in America/New_York")
            && d.4.contains("read as 03:30")),
        "{diags:?}"
    );
    let o = quorum(&root, &["build", "--out", "public"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ics = page(&root, "calendar.ics");
    assert!(
        ics.contains("DTSTART:20260308T073000Z\r\nDTEND:20260308T083000Z\r\n"),
        "{ics}"
    );
}

#[test]
fn new_through_a_folder_linked_out_of_the_root_writes_nothing() {
    let (_d, root) = site();
    write(
        &root,
        "content/ops/2026/2026-11-03.md",
        "---\ndate: 2026-11-03\n---\n",
    );
    let outside = tempfile::tempdir().unwrap();
    let outside = outside.path().canonicalize().unwrap();
    std::os::unix::fs::symlink(&outside, root.join("content/ops/2027")).unwrap();
    let o = quorum(&root, &["new", "ops", "--date", "2027-01-05"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "{} leads to {}, outside the site root {}; nothing was written",
            root.join("content/ops/2027/2027-01-05.md").display(),
            outside.join("2027-01-05.md").display(),
            root.display()
        )),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
}
