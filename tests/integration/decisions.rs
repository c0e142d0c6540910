//! Decisions: ids, lineage and states in the register, each decision's page,
//! decisions.json, `check` on links to nothing or to later decisions,
//! `quorum new` listing the decisions in force, and `quorum minutes`.

use crate::snapshots::SiteTest;
use serde_json::Value;

fn built() -> SiteTest {
    let site = SiteTest::fixture("decisions");
    let run = site.run(&["build", "--out", "public", "--no-history"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

fn decisions_json(site: &SiteTest) -> Vec<Value> {
    let v: Value = serde_json::from_str(&site.file("public/decisions.json")).unwrap();
    v.as_array().unwrap().clone()
}

fn decision<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no decision {id} in {list:?}"))
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn decisions_json_gives_ids_states_and_lineage_both_ways() {
    let site = built();
    let list = decisions_json(&site);
    let ids: Vec<&str> = list.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "tsc-20240110-d1",
            "charter-2024",
            "tsc-20240306-d1",
            "tsc-20240306-d2",
            "tsc-20250205-d1",
            "board-20250301-d1"
        ]
    );
    let six = decision(&list, "tsc-20240110-d1");
    assert_eq!(six["state"], "superseded");
    assert_eq!(strs(&six["superseded_by"]), ["tsc-20240306-d1"]);
    assert_eq!(six["url"], "/gov/decisions/tsc-20240110-d1/");
    assert_eq!(six["meeting"], "/gov/groups/tsc/2024-01-10/");
    let charter = decision(&list, "charter-2024");
    assert_eq!(charter["kind"], "resolution");
    assert_eq!(charter["state"], "revoked");
    assert_eq!(strs(&charter["amended_by"]), ["tsc-20240306-d2"]);
    assert_eq!(strs(&charter["revoked_by"]), ["tsc-20250205-d1"]);
    // Read from the body's text: "(supersedes …)", "; amends …".
    let eight = decision(&list, "tsc-20240306-d1");
    assert_eq!(eight["state"], "in-force");
    assert_eq!(strs(&eight["supersedes"]), ["tsc-20240110-d1"]);
    assert_eq!(
        strs(&decision(&list, "tsc-20240306-d2")["amends"]),
        ["charter-2024"]
    );
    assert_eq!(
        strs(&decision(&list, "tsc-20250205-d1")["revokes"]),
        ["charter-2024"]
    );
    assert_eq!(decision(&list, "board-20250301-d1")["state"], "in-force");
}

#[test]
fn a_decision_page_shows_its_state_and_lineage_linked_to_the_meetings() {
    let site = built();
    let old = site.main_of("public/decisions/tsc-20240110-d1/index.html");
    assert!(
        old.contains(r#"<span class="state d-superseded">superseded</span>"#),
        "{old}"
    );
    assert!(
        old.contains(r#"Superseded by <a href="../../decisions/tsc-20240306-d1/">"#),
        "{old}"
    );
    assert!(
        old.contains(r#"href="../../groups/tsc/2024-01-10/""#),
        "{old}"
    );
    assert!(
        old.contains(r#"href="../../groups/tsc/2024-03-06/""#),
        "{old}"
    );
    let new = site.main_of("public/decisions/tsc-20240306-d1/index.html");
    assert!(
        new.contains(r#"Supersedes <a href="../../decisions/tsc-20240110-d1/">"#),
        "{new}"
    );
    assert!(new.contains("in force"), "{new}");
    insta::assert_snapshot!(
        "main-decision",
        site.main_of("public/decisions/charter-2024/index.html")
    );
}

#[test]
fn the_register_shows_states_with_filters_by_group_year_and_state() {
    let site = built();
    let reg = site.main_of("public/decisions/index.html");
    assert!(reg.contains(r#"<tr data-group="tsc" data-year="2024" data-state="superseded">"#));
    assert!(reg.contains(r#"<tr data-group="board" data-year="2025" data-state="in-force">"#));
    assert!(
        reg.contains(r#"<option value="board">board</option>"#),
        "{reg}"
    );
    assert!(reg.contains(r#"<option value="tsc">Technical Steering Committee</option>"#));
    assert!(reg.contains("<option>2025</option>") && reg.contains("<option>2024</option>"));
    assert!(reg.contains(r#"<option value="revoked">revoked</option>"#));
    // Newest first.
    let board = reg.find("board-20250301-d1").unwrap();
    let first = reg.find("tsc-20240110-d1").unwrap();
    assert!(board < first);
    assert!(site
        .file("public/decisions.js")
        .contains("data-decision-filters"));
}

#[test]
fn a_meeting_page_links_its_decisions_and_its_minutes() {
    let site = built();
    let page = site.main_of("public/groups/tsc/2024-03-06/index.html");
    assert!(
        page.contains(r#"href="../../../decisions/tsc-20240306-d1/""#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="../../../groups/tsc/2024-03-06/minutes.txt""#),
        "{page}"
    );
}

#[test]
fn links_to_nothing_or_to_later_decisions_are_errors_at_their_line() {
    let site = SiteTest::fixture("broken/decision-refs");
    let run = site.run(&["check", "--format", "plain"]);
    assert_eq!(run.code, 1);
    for want in [
        "content/g/2024-01-10.md:9:5: error[decision-ref-to-later]",
        "content/g/2024-02-10.md:6:5: error[decision-ref-to-nothing]: supersedes `polcy`",
        "did you mean `policy`?",
        "content/g/2024-02-10.md:7:3: error[duplicate-decision-id]",
        "content/g/2024-03-10.md:7:30: error[decision-ref-to-nothing]: revokes `g-20990101-d1`",
    ] {
        assert!(run.stderr.contains(want), "{want} not in\n{}", run.stderr);
    }
    let build = site.run(&["build", "--out", "public"]);
    assert_eq!(build.code, 1);
    assert!(!site.root().join("public").exists());
}

#[test]
fn new_lists_the_decisions_in_force_under_a_comment() {
    let site = SiteTest::fixture("decisions");
    let run = site.run(&["new", "tsc", "--date", "2025-06-04"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let note = site.file("content/tsc/2025-06-04.md");
    let start = note.find("# Decisions in force").expect(&note);
    let block: Vec<&str> = note[start..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with('#'))
        .collect();
    assert_eq!(
        block,
        [
            "#   tsc-20240306-d1: Release every eight weeks instead (supersedes tsc-20240110-d1) (2024-03-06)",
            "#   tsc-20240306-d2: Allow votes by email between meetings; amends charter-2024 (2024-03-06)",
            "#   tsc-20250205-d1: Adopt the committee charter, version 2 (2025-02-05)",
        ]
    );
    // The comment is YAML: the note still reads.
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn minutes_for_the_mailing_list_as_text_and_markdown() {
    let site = built();
    let text = site.run(&["minutes", "tsc", "2024-03-06"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.lines().all(|l| l.chars().count() <= 72),
        "{}",
        text.stdout
    );
    insta::assert_snapshot!("minutes-text", text.stdout);
    // The same text is published beside the meeting page.
    assert_eq!(
        site.file("public/groups/tsc/2024-03-06/minutes.txt"),
        text.stdout
    );
    let by_path = site.run(&[
        "minutes",
        "content/tsc/2024-01-10.md",
        "--format",
        "markdown",
    ]);
    assert_eq!(by_path.code, 0, "{}", by_path.stderr);
    insta::assert_snapshot!("minutes-markdown", by_path.stdout);
    let none = site.run(&["minutes", "tsc", "2023-01-01"]);
    assert_eq!(none.code, 2);
    assert!(
        none.stderr.contains("tsc has no meeting on 2023-01-01"),
        "{}",
        none.stderr
    );
}
