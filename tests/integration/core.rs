//! The core: reading notes, resolving items, `check`, `actions`, `schema`.

use crate::support::*;
use serde_json::Value;
use std::collections::BTreeMap;

fn count_open_by_owner(items: &[Value]) -> BTreeMap<String, u64> {
    let mut by = BTreeMap::new();
    for i in items
        .iter()
        .filter(|i| !matches!(i["status"].as_str(), Some("done" | "dropped")))
    {
        for o in i["owners"].as_array().expect("owners") {
            *by.entry(o.as_str().unwrap_or_default().to_string())
                .or_insert(0) += 1;
        }
    }
    by
}

fn ids_where(items: &[Value], key: &str) -> Vec<String> {
    let mut v: Vec<String> = items
        .iter()
        .filter(|i| i[key].as_bool() == Some(true))
        .map(|i| i["id"].as_str().unwrap_or_default().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn example_site_resolves_to_the_hand_worked_figures() {
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("example-expected.json")).unwrap())
            .unwrap();
    let items = items(&repo());
    let closed = items
        .iter()
        .filter(|i| matches!(i["status"].as_str(), Some("done" | "dropped")))
        .count();
    assert_eq!(items.len() as u64, want["actions_opened"].as_u64().unwrap());
    assert_eq!(closed as u64, want["actions_closed"].as_u64().unwrap());
    assert_eq!(
        (items.len() - closed) as u64,
        want["actions_open"].as_u64().unwrap()
    );
    let want_by: BTreeMap<String, u64> =
        serde_json::from_value(want["open_by_owner"].clone()).unwrap();
    assert_eq!(count_open_by_owner(&items), want_by);
    let want_overdue: Vec<String> = serde_json::from_value(want["overdue"].clone()).unwrap();
    assert_eq!(ids_where(&items, "overdue"), want_overdue);
    let want_stale: Vec<String> = serde_json::from_value(want["stale"].clone()).unwrap();
    assert_eq!(ids_where(&items, "stale"), want_stale);
    let auto: usize = items
        .iter()
        .map(|i| {
            i["history"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["auto_linked"] == true)
                .count()
        })
        .sum();
    assert_eq!(auto as u64, want["auto_linked"].as_u64().unwrap());

    // Per meeting: the items it opened and updated.
    let o = quorum(&repo(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    for m in want["meetings_detail"].as_array().unwrap() {
        let file = m["file"].as_str().unwrap();
        let opened: Vec<&str> = items
            .iter()
            .filter(|i| i["history"][0]["meeting"].as_str().is_some())
            .filter(|i| {
                let url = i["opened_in"].as_str().unwrap();
                url.contains(m["group"].as_str().unwrap())
                    && url.contains(m["date"].as_str().unwrap())
            })
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        let want_opened: Vec<&str> = m["opened"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert_eq!(opened, want_opened, "items opened in {file}");
    }
}

#[test]
fn generated_site_reproduces_corpus_json() {
    let site = fixture("generated");
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("corpus.json")).unwrap()).unwrap();
    let items = items(&site);
    let closed = items
        .iter()
        .filter(|i| matches!(i["status"].as_str(), Some("done" | "dropped")))
        .count();
    assert_eq!(items.len() as u64, want["actions_opened"].as_u64().unwrap());
    assert_eq!(closed as u64, want["actions_closed"].as_u64().unwrap());
    assert_eq!(
        (items.len() - closed) as u64,
        want["actions_open"].as_u64().unwrap()
    );
    let want_by: BTreeMap<String, u64> =
        serde_json::from_value(want["open_by_owner"].clone()).unwrap();
    assert_eq!(count_open_by_owner(&items), want_by);

    let (code, diags) = diagnostics(&site);
    assert!(diags.iter().all(|d| d.2 != "error"), "{diags:?}");
    assert!(diags.iter().all(|d| d.3 != "auto-link"), "{diags:?}");
    assert_eq!(code, 0);
}

// What `check` reports on each broken fixture, exactly: the snapshots of
// `snapshots::check_output_of_every_broken_fixture`.

#[test]
fn alias_bomb_is_refused_not_expanded() {
    let (code, diags) = diagnostics(&fixture("broken/alias-bomb"));
    assert_eq!(code, 1);
    let d = diags
        .iter()
        .find(|d| d.3 == "yaml-syntax")
        .expect("a YAML diagnostic");
    assert_eq!(d.0, "content/g/2022-01-05.md");
    assert!((2..=12).contains(&d.1), "line {}", d.1);
}

#[test]
fn bom_and_crlf_read_cleanly() {
    let items = items(&fixture("broken/bom-crlf-valid"));
    let tasks: Vec<&str> = items.iter().map(|i| i["task"].as_str().unwrap()).collect();
    assert_eq!(tasks, ["Send the budget to the board", "book the room"]);
    assert_eq!(items[0]["due"], "2022-01-19");
    let o = quorum(
        &fixture("broken/bom-crlf-valid"),
        &["check", "--deny-warnings"],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "warnings fail under --deny-warnings"
    );
}

#[test]
fn every_problem_of_a_site_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "quorum.toml", "");
    write(
        dir.path(),
        "content/g/2022-01-05.md",
        "---\natendees: [A]\ntime: 7pm\n---\n",
    );
    write(
        dir.path(),
        "content/g/2022-01-12.md",
        "---\nstatus: over\n---\n",
    );
    write(dir.path(), "content/h/notes.md", "no date here\n");
    let (code, diags) = diagnostics(dir.path());
    assert_eq!(code, 1);
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.2 == "error")
        .map(|d| (d.0.as_str(), d.1))
        .collect();
    assert_eq!(
        errors,
        [
            ("content/g/2022-01-05.md", 2),
            ("content/g/2022-01-05.md", 3),
            ("content/g/2022-01-12.md", 2),
            ("content/h/notes.md", 1)
        ]
    );
}

#[test]
fn output_formats() {
    let site = fixture("broken/unknown-key");
    let o = quorum(&site, &["check", "--format", "plain"]);
    let err = stderr(&o);
    assert!(
        err.contains("content/g/2022-01-05.md:3:1: error[unknown-key]: unknown key `atendees`"),
        "{err}"
    );
    assert!(err.contains("help: did you mean `attendees`?"), "{err}");
    let o = quorum(&site, &["check", "--format", "github"]);
    let out = stdout(&o);
    assert!(
        out.starts_with("::error file=content/g/2022-01-05.md,line=3,col=1,title=unknown-key::unknown key `atendees`"),
        "{out}"
    );
    let o = quorum(&site, &["check", "--format", "pretty"]);
    let err = stderr(&o);
    assert!(
        err.contains("error[unknown-key]: unknown key `atendees`"),
        "{err}"
    );
    assert!(err.contains("^"), "a caret under the key: {err}");
    assert!(err.contains("content/g/2022-01-05.md:3:1"), "{err}");
}

#[test]
fn exit_status_two_for_no_site_or_bad_config_or_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let o = quorum(&dir.path().join("missing"), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no site root"), "{}", stderr(&o));
    let o = quorum(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2), "an empty folder is not a site");
    write(dir.path(), "quorum.toml", "title = [unclosed\n");
    let o = quorum(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    write(dir.path(), "quorum.toml", "titel = \"x\"\n");
    let o = quorum(dir.path(), &["check", "--format", "plain"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `title`?"),
        "{}",
        stderr(&o)
    );
    let o = quorum(&repo(), &["actions", "--status", "sideways"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn actions_report_filters() {
    let all = items(&repo());
    // --owner takes a name, an alias or a handle, case-insensitively.
    let tobias = quorum(
        &repo(),
        &["actions", "--owner", "tobias lindqvist", "--format", "json"],
    );
    let v: Vec<Value> = serde_json::from_slice(&tobias.stdout).unwrap();
    assert_eq!(v.len(), 3);
    assert!(v.iter().all(|i| i["owners"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o == "Tobias Lindqvist")));
    let overdue = quorum(
        &repo(),
        &["actions", "--status", "overdue", "--format", "json"],
    );
    let v: Vec<Value> = serde_json::from_slice(&overdue.stdout).unwrap();
    assert_eq!(v.len(), ids_where(&all, "overdue").len());
    let closed = quorum(
        &repo(),
        &[
            "actions", "--status", "closed", "--group", "steering", "--format", "csv",
        ],
    );
    let csv = stdout(&closed);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,status,owners,due,group,opened,carried,stale,overdue,task")
    );
    assert!(lines.clone().count() > 0);
    assert!(lines
        .all(|l| l.contains(",steering,") && (l.contains(",done,") || l.contains(",dropped,"))));
    let table = stdout(&quorum(&repo(), &["actions"]));
    assert!(table.starts_with("ID"), "{table}");
    assert!(table.contains("OVERDUE"), "{table}");
    assert!(table.contains("11 item(s), 11 open"), "{table}");
    let o = quorum(&repo(), &["actions", "--group", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no group `nope`"));
}

#[test]
fn schema_describes_the_front_matter() {
    let o = quorum(&repo(), &["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["type"], "object");
    assert_eq!(v["additionalProperties"], false);
    assert!(v["properties"]["actions"]["items"]["oneOf"].is_array());
}

#[test]
fn a_large_note_is_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "quorum.toml", "");
    let mut body = String::from("---\ndate: 2022-01-05\n---\n## Notes\n\n");
    while body.len() < 9 * 1024 * 1024 {
        body.push_str(
            "- we discussed the proposal and agreed that the working group should look again\n",
        );
    }
    body.push_str("\nACTION: Ana to write it up\n");
    write(dir.path(), "content/g/2022-01-05.md", &body);
    let items = items(dir.path());
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["owners"][0], "Ana");
    // Over max_file_size: refused with a diagnostic.
    write(dir.path(), "quorum.toml", "max_file_size = 1000000\n");
    let (code, diags) = diagnostics(dir.path());
    assert_eq!(code, 1);
    assert_eq!(diags[0].3, "file-too-large");
}

#[test]
fn lax_groups_warn_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "quorum.toml",
        "[groups.notes]\npath = \"meetings\"\nstrict = false\n",
    );
    write(
        dir.path(),
        "meetings/2022-01-05.md",
        "---\natendees: [A]\n---\n# Notes\n",
    );
    write(dir.path(), "meetings/README.md", "# not a note\n");
    let (code, diags) = diagnostics(dir.path());
    assert_eq!(code, 0, "{diags:?}");
    assert!(diags
        .iter()
        .any(|d| d.3 == "unknown-key" && d.2 == "warning"));
    let o = quorum(dir.path(), &["check"]);
    assert!(
        stderr(&o).contains("checked 1 notes: 1 meetings in 1 groups"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_note_cache_never_serves_a_stale_note() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "quorum.toml", "");
    let note = |owner: &str| {
        format!("---\ndate: 2022-01-05\nactions:\n  - owner: {owner}\n    task: Write it up\n---\n")
    };
    write(dir.path(), "content/g/2022-01-05.md", &note("Ann"));
    assert_eq!(items(dir.path())[0]["owners"][0], "Ann");
    assert!(
        dir.path().join(".quorum-cache/notes.bin").is_file(),
        "the first run saves the cache"
    );
    // Same size, same second: only the bytes tell the change.
    write(dir.path(), "content/g/2022-01-05.md", &note("Bob"));
    assert_eq!(items(dir.path())[0]["owners"][0], "Bob");
    // A damaged cache is read past, and rebuilt.
    std::fs::write(dir.path().join(".quorum-cache/notes.bin"), b"not a cache").unwrap();
    assert_eq!(items(dir.path())[0]["owners"][0], "Bob");
    // A note added later, and one removed.
    write(dir.path(), "content/g/2022-01-12.md", &note("Cy"));
    assert_eq!(items(dir.path()).len(), 2);
    std::fs::remove_file(dir.path().join("content/g/2022-01-05.md")).unwrap();
    let left = items(dir.path());
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["owners"][0], "Cy");
    // --no-cache gives the same answer.
    let o = quorum(
        dir.path(),
        &[
            "actions",
            "--status",
            "all",
            "--format",
            "json",
            "--no-cache",
        ],
    );
    let v: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v, left);
}
