//! Reading notes as a person reads them: dates, times and zones, attendees,
//! titles, transliterated slugs and running-notes files of many meetings
//! (fixture `tests/fixtures/reading`).

use crate::support::{copy_site, diagnostics, fixture, quorum, stderr};
use serde_json::Value;

fn built() -> (tempfile::TempDir, Vec<Value>) {
    let dir = copy_site(&fixture("reading"));
    let out = quorum(
        dir.path(),
        &["build", "--out", "public", "--no-search", "--no-history"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text =
        std::fs::read_to_string(dir.path().join("public/meetings.json")).expect("meetings.json");
    let meetings: Vec<Value> = serde_json::from_str(&text).expect("json");
    (dir, meetings)
}

fn from<'a>(meetings: &'a [Value], file: &str) -> Vec<&'a Value> {
    meetings
        .iter()
        .filter(|m| m["source"].as_str().is_some_and(|s| s.ends_with(file)))
        .collect()
}

fn names(m: &Value, key: &str) -> Vec<String> {
    m[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn details_give_time_range_zone_title_and_only_people() {
    let (dir, meetings) = built();
    let m = from(&meetings, "2024-03-05.md");
    assert_eq!(m.len(), 1);
    let m = m[0];
    assert_eq!(m["title"], "Platform WG meeting #12", "the H1 is the title");
    assert_eq!(m["time"], "10:30");
    assert_eq!(m["timezone"], "America/Los_Angeles", "PDT is Pacific time");
    assert_eq!(m["duration"], 90, "10:30 AM – 12:00 PM is 90 minutes");
    assert_eq!(
        names(m, "attendees"),
        ["Inès Laurent", "Tobias Fenn", "Mara Quill", "Ola Brant"],
        "no pronouns, template lines, URLs or emoji; regrets are not attendees"
    );
    assert_eq!(names(m, "regrets"), ["Oli Brandt"]);
    assert!(
        dir.path()
            .join("public/people/ines-laurent/index.html")
            .exists(),
        "the slug is transliterated to ASCII"
    );
    let page = std::fs::read_to_string(dir.path().join("public/people/ines-laurent/index.html"))
        .expect("person page");
    assert!(
        page.contains("Northwind Labs"),
        "`Name, Organisation` gives the affiliation"
    );
}

#[test]
fn a_running_notes_file_is_one_meeting_per_dated_section() {
    let (_dir, meetings) = built();
    let m = from(&meetings, "running-notes.md");
    let dates: Vec<&str> = m.iter().filter_map(|m| m["date"].as_str()).collect();
    assert_eq!(
        dates,
        ["2023-02-09", "2023-02-23", "2023-03-09"],
        "the template is no meeting"
    );
    let urls: Vec<&str> = m.iter().filter_map(|m| m["url"].as_str()).collect();
    assert_eq!(urls.len(), 3);
    assert!(
        urls.iter().all(|u| u.contains("groups/wg/2023-")),
        "{urls:?}"
    );
    assert_eq!(m[1]["status"], "cancelled");
    assert_eq!(
        names(m[0], "attendees"),
        ["Ana Ruiz", "Bo Li"],
        "the list after `Attendees:` only"
    );
    assert_eq!(names(m[2], "attendees"), ["Ana Ruiz", "Cy Okafor"]);
    for x in &m {
        assert_eq!(
            x["time"], "16:00",
            "the preamble's time holds for every meeting"
        );
        assert_eq!(x["timezone"], "UTC");
        assert_eq!(x["duration"], 60);
    }
}

#[test]
fn a_one_meeting_front_matter_turns_the_split_off() {
    let dir = copy_site(&fixture("reading"));
    let p = dir.path().join("notes/wg/running-notes.md");
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(&p, format!("---\ndate: 2023-02-09\n---\n{text}")).expect("write");
    let out = quorum(
        dir.path(),
        &["build", "--out", "public", "--no-search", "--no-history"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let meetings: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("public/meetings.json")).expect("json"),
    )
    .expect("json");
    assert_eq!(from(&meetings, "running-notes.md").len(), 1);
}

#[test]
fn dates_from_date_lines_not_stamps_or_prose() {
    let (_dir, meetings) = built();
    let m = from(&meetings, "2023/sync-notes.md");
    assert_eq!(m.len(), 1);
    assert_eq!(
        m[0]["date"], "2023-03-16",
        "not the `Last updated` stamp; the year from the folder"
    );
    assert_eq!(m[0]["time"], "10:00");
    assert_eq!(m[0]["timezone"], "Europe/Berlin");
    assert_eq!(names(m[0], "attendees"), ["Pip Potter", "Rui Sato"]);
    assert_eq!(names(m[0], "regrets"), ["Lena Dahl"]);
    let s = from(&meetings, "steering-update.md");
    assert_eq!(
        s[0]["date"], "2019-04-20",
        "a date heading beats the file name; prose never counts"
    );
    assert_eq!(s[0]["title"], "Steering update");
}

#[test]
fn an_index_of_links_is_no_meeting_and_check_says_why() {
    let (dir, meetings) = built();
    assert!(from(&meetings, "links.md").is_empty());
    let (code, diags) = diagnostics(dir.path());
    let info = diags
        .iter()
        .find(|d| d.0.ends_with("links.md"))
        .expect("a diagnostic for links.md");
    assert_eq!(
        (info.2.as_str(), info.3.as_str()),
        ("info", "not-a-meeting")
    );
    assert!(info.4.contains("index of links"), "{}", info.4);
    let mismatch = diags
        .iter()
        .find(|d| d.3 == "date-mismatch")
        .expect("a date-mismatch warning");
    assert!(
        mismatch.4.contains("2019-04-20") && mismatch.4.contains("2020-01-06"),
        "{}",
        mismatch.4
    );
    assert_eq!(code, 0, "{diags:?}");
}

/// Builds a copy of fixture `reading-groups`, `edit` run on it first.
fn built_groups(edit: impl FnOnce(&std::path::Path)) -> (tempfile::TempDir, Vec<Value>) {
    let dir = copy_site(&fixture("reading-groups"));
    edit(dir.path());
    let out = quorum(
        dir.path(),
        &["build", "--out", "public", "--no-search", "--no-history"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text =
        std::fs::read_to_string(dir.path().join("public/meetings.json")).expect("meetings.json");
    (dir, serde_json::from_str(&text).expect("json"))
}

fn dates_of(meetings: &[Value], file: &str) -> Vec<String> {
    from(meetings, file)
        .iter()
        .filter_map(|m| m["date"].as_str().map(String::from))
        .collect()
}

fn edit_file(root: &std::path::Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&p, text.replace(from, to)).expect("write");
}

#[test]
fn a_group_turns_the_split_off_in_quorum_toml_or_its_group_file() {
    let (_dir, meetings) = built_groups(|_| {});
    assert_eq!(
        dates_of(&meetings, "board/quarter-log.md"),
        ["2024-01-11"],
        "[groups.board] split = false: the file is one meeting"
    );
    assert_eq!(
        dates_of(&meetings, "council/quarter-log.md"),
        ["2024-01-11"],
        "`split: false` in _group.md: the file is one meeting"
    );
    assert_eq!(
        dates_of(&meetings, "wg/quarter-log.md"),
        ["2024-01-11", "2024-01-25"],
        "a group that says nothing splits"
    );
}

#[test]
fn the_site_turns_the_split_off_and_a_group_turns_it_back_on() {
    let (_dir, meetings) = built_groups(|root| {
        edit_file(root, "quorum.toml", "split = true", "split = false");
    });
    assert_eq!(dates_of(&meetings, "wg/quarter-log.md"), ["2024-01-11"]);
    let (_dir, meetings) = built_groups(|root| {
        edit_file(root, "quorum.toml", "split = true", "split = false");
        edit_file(
            root,
            "quorum.toml",
            "path = \"notes/wg\"",
            "path = \"notes/wg\"\nsplit = true",
        );
    });
    assert_eq!(
        dates_of(&meetings, "wg/quarter-log.md"),
        ["2024-01-11", "2024-01-25"]
    );
    assert_eq!(dates_of(&meetings, "board/quarter-log.md"), ["2024-01-11"]);
}

#[test]
fn a_misspelt_split_key_is_named_with_the_right_one() {
    let dir = copy_site(&fixture("reading-groups"));
    edit_file(dir.path(), "notes/council/_group.md", "split:", "spilt:");
    let out = quorum(dir.path(), &["check"]);
    let err = stderr(&out);
    assert!(
        err.contains("notes/council/_group.md:3:1") && err.contains("did you mean `split`?"),
        "{err}"
    );
    edit_file(dir.path(), "quorum.toml", "split = false", "splitt = false");
    let out = quorum(dir.path(), &["check"]);
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("unknown key `splitt` in [groups.board]")
            && err.contains("did you mean `split`?"),
        "{err}"
    );
}

#[test]
fn zones_side_by_side_are_checked_wherever_the_time_line_is() {
    let (_dir, meetings) = built_groups(|_| {});
    for file in ["2024-03-28.md", "2024-04-11.md"] {
        let m = from(&meetings, file);
        assert_eq!(
            (m[0]["time"].as_str(), m[0]["timezone"].as_str()),
            (Some("18:30"), Some("UTC")),
            "{file}: the first zone is the meeting's"
        );
    }
    let dir = copy_site(&fixture("reading-groups"));
    let (code, diags) = diagnostics(dir.path());
    assert_eq!(code, 0, "{diags:?}");
    let mut mismatches: Vec<(String, u64)> = diags
        .iter()
        .filter(|d| d.3 == "time-mismatch")
        .map(|d| (d.0.clone(), d.1))
        .collect();
    mismatches.sort();
    assert_eq!(
        mismatches,
        [
            // A heading: 18:30 UTC is 14:30 in New York in April, not 13:30.
            ("notes/wg/2024-04-11.md".to_string(), 1),
            // A details list, the time before the date: 16:00 UTC is 18:00 CEST.
            ("notes/wg/2024-05-09.md".to_string(), 3),
        ],
        "the agreeing first line (2024-03-28) and prose date line (2024-05-23) give none: {diags:?}"
    );
    let heading = diags
        .iter()
        .find(|d| d.0.ends_with("2024-04-11.md") && d.3 == "time-mismatch")
        .expect("warning");
    assert!(
        heading.4.contains("18:30 UTC") && heading.4.contains("13:30"),
        "{}",
        heading.4
    );
}

#[test]
fn a_year_less_date_takes_the_year_from_the_path_or_the_neighbouring_notes() {
    let (_dir, meetings) = built_groups(|_| {});
    assert_eq!(
        dates_of(&meetings, "triage/2025/kickoff.md"),
        ["2025-11-06"],
        "the folder names the year"
    );
    assert_eq!(
        dates_of(&meetings, "meeting-40.md"),
        ["2025-12-18"],
        "before the next note (2026-01-08): the year before"
    );
    assert_eq!(
        dates_of(&meetings, "meeting-42.md"),
        ["2026-03-26"],
        "between 2026-01-08 and 2026-04-02"
    );
    // Alone in its folder, a year-less date has no year: the no-date error.
    let dir = copy_site(&fixture("reading-groups"));
    crate::support::write(
        dir.path(),
        "notes/triage/misc/lonely.md",
        "# Triage, Thursday 26 March\n\n## Notes\n\n- Nobody came.\n",
    );
    let (code, diags) = diagnostics(dir.path());
    assert_ne!(code, 0);
    let errors: Vec<&crate::support::Diag> = diags.iter().filter(|d| d.2 == "error").collect();
    assert_eq!(errors.len(), 1, "{diags:?}");
    assert_eq!(
        (errors[0].0.as_str(), errors[0].3.as_str()),
        ("notes/triage/misc/lonely.md", "no-date")
    );
}
