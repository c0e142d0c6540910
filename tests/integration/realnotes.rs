//! Notes written in the conventions of real notes repositories, built unchanged.

use crate::support::{quorum, stderr};
use serde_json::Value;

#[test]
fn carried_status_updates_close_the_earlier_items() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(
        root.join("quorum.toml"),
        "strict = false\n[groups.sig-lamps]\npath = \"meetings/notes\"\n",
    )
    .expect("write");
    let notes = root.join("meetings/notes");
    std::fs::create_dir_all(&notes).expect("mkdir");
    std::fs::write(
        notes.join("sig-meeting-20230103.md"),
        "## Action Items\n\n* Find a volunteer to run the chair election (Ilse)\n* Move the wiki pages to the docs site (Ilse)\n",
    )
    .expect("write");
    std::fs::write(
        notes.join("sig-meeting-20230117.md"),
        "## Action Items\n\nCarried from [previous meeting](sig-meeting-20230103.md):\n\n* _COMPLETED_: Find volunteer to run the chair election\n* _TODO_: Move the wiki pages to the docs site\n",
    )
    .expect("write");
    let out = quorum(root, &["build", "--out", "public", "--no-search"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let items: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(root.join("public/actions.json")).expect("actions.json"),
    )
    .expect("json");
    let status: Vec<(&str, &str)> = items
        .iter()
        .map(|i| {
            (
                i["task"].as_str().unwrap_or(""),
                i["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            ("Find a volunteer to run the chair election", "done"),
            ("Move the wiki pages to the docs site", "open")
        ],
        "the status lines update the earlier items; they open none"
    );
    assert_eq!(items[0]["closed"], "2023-01-17");
    let step = &items[1]["history"][1];
    assert_eq!(step["auto_linked"], true, "{step}");
    assert_eq!(step["status"], "open");
    let check = quorum(root, &["check", "--format", "plain"]);
    assert!(stderr(&check).contains("taken as a status update (done) of `sig-lamps-20230103-1`"));
}

/// The items a fixture site's build finds, one `date\towners\ttask\tstatus` line each
/// (sorted), beside the lines of its `expected.tsv` (sorted); and the site's root.
fn items_and_expected(name: &str) -> (tempfile::TempDir, Vec<String>, Vec<String>) {
    let site = crate::support::copy_site(&crate::support::fixture(name));
    let root = site.path();
    let out = quorum(
        root,
        &["build", "--out", "out", "--no-search", "--no-history"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let items: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(root.join("out/actions.json")).expect("actions.json"),
    )
    .expect("json");
    let mut got: Vec<String> = items
        .iter()
        .map(|i| {
            let owners = if i["unassigned"] == true {
                "(none)".to_string()
            } else if let Some(g) = i["group_owner"].as_str() {
                format!("(group) {g}")
            } else {
                i["owners"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .unwrap_or_default()
            };
            format!(
                "{}\t{}\t{}\t{}",
                i["opened"].as_str().unwrap_or(""),
                owners,
                i["task"].as_str().unwrap_or(""),
                i["status"].as_str().unwrap_or("")
            )
        })
        .collect();
    let want = std::fs::read_to_string(root.join("expected.tsv")).expect("expected.tsv");
    let mut want: Vec<String> = want.lines().skip(1).map(String::from).collect();
    want.sort_unstable();
    got.sort_unstable();
    (site, got, want)
}

/// Every action-item pattern of the fixture `action-patterns` (markers anywhere, bullet
/// headings, owners nested, group and unassigned items, struck-through and checked items,
/// an action written twice, a transcript after the list) against its `expected.tsv`.
#[test]
fn action_patterns_match_their_expected_items() {
    let (site, got, want) = items_and_expected("action-patterns");
    let root = site.path();
    assert_eq!(got, want);
    let check = quorum(root, &["check", "--format", "plain"]);
    assert!(
        stderr(&check).contains("kept as an unassigned item"),
        "{}",
        stderr(&check)
    );
}

/// Action tables (fixture `action-tables`): one item per row of a table whose header
/// names an action or task column, the owner from an owner column or the start of the
/// task, the status from a status column; a task-only table outside an actions section
/// gives only owned rows, and an attendance table none.
#[test]
fn action_tables_give_one_item_per_row() {
    let (site, got, want) = items_and_expected("action-tables");
    assert_eq!(got, want);
    let items: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(site.path().join("out/actions.json")).expect("actions.json"),
    )
    .expect("json");
    let wicks = items
        .iter()
        .find(|i| i["task"] == "Order the spare wicks")
        .expect("the wicks item");
    assert_eq!(wicks["due"], "2024-05-21", "the Due column: {wicks}");
    let check = quorum(site.path(), &["check", "--format", "plain"]);
    assert!(
        stderr(&check).contains("no owner found in action item \"Return the hall keys\""),
        "{}",
        stderr(&check)
    );
}
