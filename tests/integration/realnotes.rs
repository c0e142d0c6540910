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

/// Every action-item pattern of the fixture `action-patterns` (markers anywhere, bullet
/// headings, owners nested, group and unassigned items, struck-through and checked items,
/// an action written twice, a transcript after the list) against its `expected.tsv`.
#[test]
fn action_patterns_match_their_expected_items() {
    let site = crate::support::copy_site(&crate::support::fixture("action-patterns"));
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
    let got: Vec<String> = items
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
    let mut want: Vec<&str> = want.lines().skip(1).collect();
    let mut got_sorted: Vec<&str> = got.iter().map(String::as_str).collect();
    want.sort_unstable();
    got_sorted.sort_unstable();
    assert_eq!(got_sorted, want);
    let check = quorum(root, &["check", "--format", "plain"]);
    assert!(
        stderr(&check).contains("kept as an unassigned item"),
        "{}",
        stderr(&check)
    );
}
