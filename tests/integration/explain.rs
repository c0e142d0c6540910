//! `quorum explain` (fixture `tests/fixtures/explain`): what quorum took from a note,
//! and each line that looks like an action but was not taken, with its line and reason;
//! per meeting for a running-notes file; as text and as JSON.

use crate::support::{copy_site, fixture, quorum, stderr, stdout};
use serde_json::Value;

fn explain(args: &[&str]) -> (tempfile::TempDir, String) {
    let site = copy_site(&fixture("explain"));
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    let out = quorum(site.path(), &all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    (site, text)
}

/// The `why:` line right after the first `line N  text` line that has one.
fn why_at(out: &str, line: u32) -> String {
    let lines: Vec<&str> = out.lines().collect();
    let head = format!("line {line} ");
    lines
        .windows(2)
        .find(|w| w[0].trim_start().starts_with(&head) && w[1].trim_start().starts_with("why:"))
        .map(|w| w[1].trim().to_string())
        .unwrap_or_else(|| panic!("no not-taken line {line} in\n{out}"))
}

#[test]
fn text_lists_items_and_the_lines_not_taken_with_their_reasons() {
    let (_site, out) = explain(&["notes/2024-06-04.md", "notes/2024-06-18.md"]);
    assert!(
        out.contains("line 13    new        Orla: order the spare wicks"),
        "{out}"
    );
    assert!(
        out.contains("line 9     new        Tamsin: mend the old stand [done]"),
        "a struck-through ACTION line is done work: {out}"
    );
    assert!(
        why_at(&out, 7).contains("outside an actions section"),
        "{out}"
    );
    assert!(why_at(&out, 8).contains("struck through"), "{out}");
    assert!(
        why_at(&out, 14).contains("`Move` is a common word"),
        "{out}"
    );
    assert!(
        why_at(&out, 12).contains("after the actions list ended"),
        "the item after the transcript line: {out}"
    );
    assert!(
        out.contains("re-states an earlier item, so it opens no new one: taken as a carry-over of `lamps-20240604-1`"),
        "the second note's re-stated item names the item it updated: {out}"
    );
}

#[test]
fn a_running_notes_file_is_explained_per_meeting() {
    let (_site, out) = explain(&["notes/running-notes.md"]);
    assert!(out.contains("meeting 1 of 2 (lines 1-10)"), "{out}");
    assert!(out.contains("meeting 2 of 2 (lines 11-18)"), "{out}");
    let second = out.split("meeting 2 of 2").nth(1).unwrap_or("");
    assert!(second.contains("date        2024-07-16"), "{out}");
    assert!(
        second.contains("line 17    Tamsin to check the wick stock"),
        "{out}"
    );
    assert!(
        !second.contains("clean the lamp glass"),
        "the first meeting's item is not the second's: {out}"
    );
}

#[test]
fn json_gives_the_same_per_meeting() {
    let (_site, out) = explain(&[
        "--format",
        "json",
        "notes/2024-06-04.md",
        "notes/running-notes.md",
    ]);
    let v: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(v.len(), 2);
    let first = &v[0]["meetings"][0];
    assert_eq!(first["date"], "2024-06-04");
    let not_taken = first["not_taken"].as_array().expect("not_taken");
    let at = |n: u64| {
        not_taken
            .iter()
            .find(|x| x["line"] == n)
            .unwrap_or_else(|| panic!("no line {n}: {first}"))
    };
    assert_eq!(at(8)["text"], "~~Bram to sell the old stand~~");
    assert_eq!(at(8)["reason"], "struck through: not open work");
    assert!(at(7)["reason"]
        .as_str()
        .is_some_and(|r| r.contains("outside an actions section")));
    let kinds: Vec<(&str, &str)> = first["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap_or(""),
                i["task"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("unassigned", "Move: the next call to Thursday")),
        "{kinds:?}"
    );
    let meetings = v[1]["meetings"].as_array().expect("meetings");
    assert_eq!(meetings.len(), 2);
    assert_eq!(meetings[1]["lines"], serde_json::json!([11, 18]));
    assert_eq!(meetings[1]["not_taken"][0]["line"], 17);
}

#[test]
fn an_unreadable_file_fails_with_the_reason() {
    let site = copy_site(&fixture("explain"));
    let out = quorum(site.path(), &["explain", "notes/missing.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("cannot read"), "{}", stdout(&out));
}
