//! `quorum import`: running-notes documents split into one note per meeting.

use crate::support::{fixture, quorum, stderr, stdout};
use std::path::Path;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("quorum.toml"), "title = \"Imported\"\n").expect("write");
    dir
}

fn import(root: &Path, files: &[&str], extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import".to_string()];
    args.extend(
        files
            .iter()
            .map(|f| fixture("import").join(f).display().to_string()),
    );
    args.extend(["--group".to_string(), "lantern".to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    quorum(root, &refs)
}

fn note(root: &Path, name: &str) -> String {
    std::fs::read_to_string(root.join("content/lantern").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn html_running_notes_become_one_note_per_meeting() {
    let dir = site();
    let out = import(dir.path(), &["running-2021.md"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("content/lantern"))
        .expect("notes written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["2021-10-19.md", "2021-11-02.md", "2021-11-16.md"],
        "the template section makes no note"
    );
    // The attendee table moved to the front matter, its empty row left out.
    let n = note(dir.path(), "2021-11-02.md");
    assert!(n.starts_with("---\ndate: 2021-11-02\n"), "{n}");
    assert!(
        n.contains("- name: Wren Okafor\n  affiliation: Harbor Labs\n- Tomas Ilves\n"),
        "{n}"
    );
    assert!(
        !n.contains("<table>"),
        "the table is not left in the body: {n}"
    );
    // Empty sections and bullets go; sections with text stay.
    assert!(!n.contains("Opens"), "{n}");
    assert!(
        n.contains("* Pick a date for the autumn summit\n\n<h3>Notes</h3>"),
        "{n}"
    );
    // A heading that says cancelled; a typo'd date read in the file's year, and said so.
    let c = note(dir.path(), "2021-11-16.md");
    assert!(c.contains("status: cancelled"), "{c}");
    let err = stderr(&out);
    assert!(
        err.contains("`2011116` is not a date; read as 2021-11-16"),
        "{err}"
    );
    assert!(
        err.contains("running-2021.md:1-6: before the first dated heading"),
        "{err}"
    );
    assert!(
        err.contains("template section `TEMPLATE` left out"),
        "{err}"
    );
    assert!(stdout(&out).contains("2021-11-02.md (2021-11-02, 2 attendees)"));
}

#[test]
fn imported_notes_pass_check_and_keep_their_action_items() {
    let dir = site();
    let out = import(
        dir.path(),
        &["running-2021.md", "wg-notes.md", "2019-board-minutes.md"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let check = quorum(dir.path(), &["check", "--format", "plain"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(
        stderr(&check)
            .contains("checked 8 notes: 8 meetings in 1 groups, 2 action items: 0 errors"),
        "{}",
        stderr(&check)
    );
    // Markdown headings, oldest first; a markdown table and a list of attendees.
    let a = note(dir.path(), "2024-07-24.md");
    assert!(
        a.contains("- name: Dana Whitfield\n  affiliation: Quay Systems\n- Olu Bankole\n"),
        "{a}"
    );
    assert!(
        a.contains("- Dana Whitfield: write up the runner migration plan"),
        "{a}"
    );
    assert!(note(dir.path(), "2024-08-07.md").contains("attendees:\n- Olu Bankole\n- Mina Sato\n"));
    assert!(note(dir.path(), "2024-08-21.md").contains("status: cancelled"));
    // `# June 7` takes its year from the file name; `Present:` names go to the front matter.
    let j = note(dir.path(), "2019-06-07.md");
    assert!(
        j.contains("attendees:\n- Ada Brightwater\n- Felix Moreau\n"),
        "{j}"
    );
}

#[test]
fn import_never_overwrites_a_note() {
    let dir = site();
    let into = dir.path().join("notes/board");
    std::fs::create_dir_all(&into).expect("mkdir");
    std::fs::write(into.join("2019-06-07.md"), "kept as it was\n").expect("write");
    let into_s = into.display().to_string();
    let out = import(dir.path(), &["2019-board-minutes.md"], &["--into", &into_s]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("2019-06-07.md exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(into.join("2019-06-07.md")).expect("read"),
        "kept as it was\n"
    );
    assert!(
        into.join("2019-06-21.md").is_file(),
        "the other meeting is written"
    );
}
