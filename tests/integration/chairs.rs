//! The chairs' tools: `quorum init`, `quorum new`, `quorum ids`, the
//! carry-over checks, relative due dates, attendance and quorum.

use crate::support::{item, parse_diagnostics, Diag};
use std::path::Path;
use std::process::{Command, Output};

const TODAY: &str = "2024-03-01";

fn run(root: &Path, args: &[&str]) -> Output {
    run_on(root, args, TODAY)
}

fn run_on(root: &Path, args: &[&str], today: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quorum"))
        .args(args)
        .arg("--root")
        .arg(root)
        .args(["--today", today])
        .output()
        .expect("run quorum")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A diagnostic as (file, line, severity, code, message).
/// `check --format json`: exit status and diagnostics.
fn diags(root: &Path) -> (i32, Vec<Diag>) {
    parse_diagnostics(&run(root, &["check", "--format", "json"]))
}

/// Builds into `root/public` and returns actions.json.
fn build_items(root: &Path) -> Vec<serde_json::Value> {
    let o = run(root, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: serde_json::Value =
        serde_json::from_str(&read(root, "public/actions.json")).expect("actions.json");
    v.as_array().expect("array").clone()
}

#[test]
fn init_then_build_with_no_edits() {
    let tmp = tempfile::tempdir().expect("tmp");
    let site = tmp.path().join("gov");
    let o = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .arg("init")
        .arg(&site)
        .args(["--today", TODAY])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    for f in [
        "quorum.toml",
        "content/people.yaml",
        "content/steering/_group.md",
        "content/steering/2024-03-01.md",
        ".github/workflows/quorum.yml",
    ] {
        assert!(site.join(f).is_file(), "{f} missing");
        assert!(out(&o).contains(f), "{f} not printed: {}", out(&o));
    }
    let wf = read(&site, ".github/workflows/quorum.yml");
    let installs: Vec<&str> = wf
        .lines()
        .filter(|l| l.contains("cargo install") && !l.trim_start().starts_with('#'))
        .collect();
    assert_eq!(installs.len(), 2, "one install line per job: {installs:?}");
    assert!(installs
        .iter()
        .all(|l| l.contains("cargo install --locked quorum-ssg")));
    assert!(wf.contains("actions/upload-pages-artifact@"));
    assert!(wf.contains("actions/deploy-pages@"));
    assert!(wf.contains("quorum build"));

    let (code, d) = diags(&site);
    assert_eq!(code, 0);
    assert!(d.is_empty(), "a new site has no problems: {d:?}");
    let o = run(&site, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(!err(&o).contains("error"), "{}", err(&o));
    let page = read(&site, "public/groups/steering/2024-03-01/index.html");
    assert!(page.contains("Invite the other members"));
    // The next meeting's note follows from the new site's cadence.
    let o = run(&site, &["new", "steering"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o)
        .trim_end()
        .ends_with("content/steering/2024-03-15.md"));
}

#[test]
fn init_refuses_a_folder_with_anything_in_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), "notes.txt", "mine");
    let o = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .arg("init")
        .arg(tmp.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("not empty"), "{}", err(&o));
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("notes.txt")]);
}

/// A group that meets weekly, whose last meeting was cancelled.
fn weekly_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = tmp.path();
    write(r, "quorum.toml", "timezone = \"UTC\"\n");
    write(
        r,
        "content/people.yaml",
        "- name: Ann Chair\n- name: Bob Member\n- name: Cy Member\n",
    );
    write(
        r,
        "content/wg/_group.md",
        "---\nname: Working Group\nmembers: [Ann Chair, Bob Member, Cy Member]\nquorum: 2\ncadence: weekly\n---\n",
    );
    write(
        r,
        "content/wg/2024/wg-20240103.md",
        "---\ntitle: \"WG sync: weekly\"\ndate: 2024-01-03\ntime: \"15:30\"\nlocation: https://meet.example.org/wg\nattendees: [Ann Chair, Bob Member]\nregrets: [Cy Member]\nactions:\n  - owner: Bob Member\n    task: \"Write the # FAQ: draft\"\n  - owner: Ann Chair\n    task: Book the room\n    status: done\n  - owner: Cy Member\n    task: Review the charter\n    status: blocked\n---\n",
    );
    write(
        r,
        "content/wg/2024/wg-20240110.md",
        "---\ndate: 2024-01-10\nstatus: cancelled\n---\nCancelled: no quorum expected.\n",
    );
    tmp
}

#[test]
fn new_after_a_cancelled_meeting() {
    let tmp = weekly_site();
    let r = tmp.path();
    let o = run_on(r, &["new", "wg"], "2024-01-12");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let rel = "content/wg/2024/wg-20240117.md";
    assert_eq!(out(&o).trim(), r.join(rel).display().to_string());
    let note = read(r, rel);
    // Date by cadence after the cancelled meeting; title, time and place
    // from the last meeting that was held.
    assert!(note.contains("date: 2024-01-17\n"), "{note}");
    assert!(note.contains("status: planned\n"), "{note}");
    assert!(note.contains("title: \"WG sync: weekly\"\n"), "{note}");
    assert!(note.contains("time: \"15:30\"\n"), "{note}");
    assert!(
        note.contains("location: https://meet.example.org/wg\n"),
        "{note}"
    );
    assert!(
        note.contains("attendees:\n  - Ann Chair\n  - Bob Member\n  - Cy Member\n"),
        "{note}"
    );
    assert!(
        note.contains("agenda:\n  - Review of open action items\n"),
        "{note}"
    );
    assert!(
        note.contains(
            "  - ref: wg-20240103-1  # Bob Member: Write the # FAQ: draft\n    status: open\n"
        ),
        "{note}"
    );
    assert!(
        note.contains(
            "  - ref: wg-20240103-3  # Cy Member: Review the charter\n    status: blocked\n"
        ),
        "{note}"
    );
    assert!(!note.contains("wg-20240103-2"), "closed items are left out");

    // The note is valid as written, and its refs are mentions, not updates.
    let (code, d) = diags(r);
    assert_eq!(code, 0, "{d:?}");
    assert!(d.iter().all(|d| d.2 != "error"), "{d:?}");
    let items = build_items(r);
    let faq = item(&items, "wg-20240103-1");
    assert_eq!(faq["status"], "open");
    let meetings: serde_json::Value =
        serde_json::from_str(&read(r, "public/meetings.json")).expect("meetings.json");
    let planned = meetings
        .as_array()
        .expect("array")
        .iter()
        .find(|m| m["date"] == "2024-01-17")
        .expect("the new meeting");
    assert_eq!(planned["status"], "planned");
    assert_eq!(planned["updated"], serde_json::json!([]));

    // The same note again: refused, and nothing is touched.
    let before = read(r, rel);
    let o = run(r, &["new", "Working Group", "--date", "2024-01-17"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("already exists"), "{}", err(&o));
    assert_eq!(read(r, rel), before);

    // Weeks later: the next meeting of the series from today on, not one in the past.
    let o = run(r, &["new", "wg"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).trim_end().ends_with("wg-20240306.md"),
        "{}",
        out(&o)
    );
}

#[test]
fn new_names_the_note_like_the_latest_across_a_year() {
    let tmp = weekly_site();
    let r = tmp.path();
    let o = run(r, &["new", "wg", "--date", "2025-01-08"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(r.join("content/wg/2025/wg-20250108.md").is_file());
    let o = run(r, &["new", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("the groups are: wg"), "{}", err(&o));
}

#[test]
fn new_for_a_group_without_cadence_asks_for_a_date() {
    let tmp = weekly_site();
    let r = tmp.path();
    write(r, "content/wg/_group.md", "---\nname: Working Group\n---\n");
    let o = run(r, &["new", "wg"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--date"), "{}", err(&o));
    // Without members: the usual attendees (present at half the window or more).
    let o = run(r, &["new", "wg", "--date", "2024-01-17"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let note = read(r, "content/wg/2024/wg-20240117.md");
    assert!(
        note.contains("attendees:\n  - Ann Chair\n  - Bob Member\nregrets"),
        "{note}"
    );
}

const IDS_NOTE: &str = "---\r
date: 2024-01-03\r
# who came\r
attendees: [Ann]\r
actions:\r
  - owner: Ann   # the chair\r
    task: 'Quoted: task'\r
  - id: pinned\r
    owner: Bob\r
    task: Already has an id\r
  -\r
    owner: Bob\r
    task: Map on the next line\r
---\r
ACTION: Ann to send the minutes\r
";

#[test]
fn ids_write_pins_auto_ids_in_place() {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = tmp.path();
    write(r, "quorum.toml", "");
    write(r, "content/g/2024-01-03.md", IDS_NOTE);
    write(
        r,
        "content/g/2024-01-10.md",
        "---\nactions:\n  - ref: g-20240103-3\n    status: done\n---\n",
    );
    write(
        r,
        "content/g/2024-01-24.md",
        "# Notes\n\n## Action items\n\n- Cy: a body item\n",
    );
    write(
        r,
        "content/g/2024-02-07.md",
        "---\nactions:\n  - owner: Ann\n    task: First\n  - owner: Bob\n    task: Second\n---\n",
    );
    write(
        r,
        "content/g/2024-02-14.md",
        "---\nactions:\n  - ref: g-20240207-2\n    status: done\n---\n",
    );
    let before = build_items(r);
    let o = run(r, &["ids"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(read(r, "content/g/2024-01-03.md"), IDS_NOTE, "a dry run");

    let o = run(r, &["ids", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let listed = out(&o);
    assert!(
        listed.contains("content/g/2024-01-03.md:6: id: g-20240103-1"),
        "{listed}"
    );
    assert!(
        listed.contains("content/g/2024-01-03.md:11: id: g-20240103-3"),
        "{listed}"
    );
    assert!(
        listed.contains("content/g/2024-01-03.md:15: not changed: `g-20240103-4`"),
        "{listed}"
    );
    assert!(
        listed.contains("content/g/2024-01-24.md:5: not changed: `g-20240124-1`"),
        "{listed}"
    );
    let text = read(r, "content/g/2024-01-03.md");
    assert_eq!(
        text,
        IDS_NOTE
            .replace(
                "  - owner: Ann   # the chair\r\n",
                "  - id: g-20240103-1\r\n    owner: Ann   # the chair\r\n"
            )
            .replace("  -\r\n", "  -\r\n    id: g-20240103-3\r\n"),
        "only the id lines are added"
    );
    // Same items, same histories, no problems (the lines of the entries move
    // down by the id lines added above them).
    let without_lines = |items: Vec<serde_json::Value>| -> Vec<serde_json::Value> {
        items
            .into_iter()
            .map(|mut i| {
                for step in i["history"].as_array_mut().expect("history") {
                    step.as_object_mut().expect("step").remove("line");
                }
                i
            })
            .collect()
    };
    let after = build_items(r);
    assert_eq!(without_lines(before), without_lines(after));
    let (code, d) = diags(r);
    assert_eq!(code, 0, "{d:?}");

    // Now removing an item above, in an old note, no longer re-targets the
    // ref (without ids, `g-20240207-2` would name nothing).
    let old_note = read(r, "content/g/2024-02-07.md");
    let edited = old_note.replace(
        "  - id: g-20240207-1\n    owner: Ann\n    task: First\n",
        "",
    );
    assert_ne!(edited, old_note);
    write(r, "content/g/2024-02-07.md", &edited);
    let items = build_items(r);
    assert_eq!(item(&items, "g-20240207-2")["task"], "Second");
    assert_eq!(item(&items, "g-20240207-2")["status"], "done");
    // An item without an id below the removed one (here an ACTION line) now
    // takes a pinned id: a loud error at that line, never a silent re-target.
    let edited = text.replace(
        "  - id: g-20240103-1\r\n    owner: Ann   # the chair\r\n    task: 'Quoted: task'\r\n",
        "",
    );
    write(r, "content/g/2024-01-03.md", &edited);
    let (code, d) = diags(r);
    assert_eq!(code, 1);
    let errors: Vec<_> = d.iter().filter(|x| x.2 == "error").collect();
    assert_eq!(errors.len(), 1, "{d:?}");
    assert_eq!(
        (errors[0].0.as_str(), errors[0].1, errors[0].3.as_str()),
        ("content/g/2024-01-03.md", 14, "duplicate-id")
    );
    write(r, "content/g/2024-01-03.md", &text);

    // A second run has nothing left to pin in the front matter.
    let o = run(r, &["ids", "--write"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!out(&o).contains(": id:"), "{}", out(&o));
}

#[test]
fn ids_refuses_a_site_with_errors() {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = tmp.path();
    write(r, "quorum.toml", "");
    let note =
        "---\ndate: 2024-01-03\nactions:\n  - owner: A\n    task: t\n  - ref: nothing-here\n---\n";
    write(r, "content/g/2024-01-03.md", note);
    let o = run(r, &["ids", "--write"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(read(r, "content/g/2024-01-03.md"), note);
}

#[test]
fn carry_over_checks_warn() {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = tmp.path();
    write(r, "quorum.toml", "");
    write(
        r,
        "content/g/2024-01-03.md",
        "---\nattendees: [Ann, Bob]\nactions:\n  - id: forgotten\n    owner: Ann\n    task: Nobody mentions this\n  - id: kept\n    owner: Ann\n    task: Mentioned every time\n  - id: closed\n    owner: Bob\n    task: Done then touched\n  - id: absent\n    owner: Zed\n    task: Owner never comes\n---\n",
    );
    write(
        r,
        "content/g/2024-01-10.md",
        "---\nattendees: [Ann, Bob]\nactions:\n  - ref: kept\n  - ref: absent\n  - ref: closed\n    status: done\n---\n",
    );
    write(
        r,
        "content/g/2024-01-17.md",
        "---\nattendees: [Ann]\nactions:\n  - ref: kept\n  - ref: forgotten\n  - ref: absent\n  - ref: closed\n    note: one more thing\n---\n",
    );
    // No actions list: not a missed carry-over.
    write(
        r,
        "content/g/2024-01-24.md",
        "---\nattendees: [Ann]\n---\nWe talked.\n",
    );
    let (code, d) = diags(r);
    assert_eq!(code, 0, "warnings only: {d:?}");
    let has = |file: &str, line: u64, code: &str, text: &str| {
        d.iter().any(|x| {
            x.0 == file && x.1 == line && x.2 == "warning" && x.3 == code && x.4.contains(text)
        })
    };
    assert!(
        has(
            "content/g/2024-01-10.md",
            4,
            "carry-over-missed",
            "`forgotten`"
        ),
        "{d:?}"
    );
    assert!(
        !d.iter()
            .any(|x| x.3 == "carry-over-missed" && x.4.contains("`kept`")),
        "{d:?}"
    );
    assert!(
        !d.iter()
            .any(|x| x.3 == "carry-over-missed" && x.0.ends_with("24.md")),
        "{d:?}"
    );
    assert!(
        has(
            "content/g/2024-01-17.md",
            7,
            "closed-item-updated",
            "`closed`"
        ),
        "{d:?}"
    );
    assert!(
        has("content/g/2024-01-03.md", 13, "owner-absent", "Zed"),
        "{d:?}"
    );
    assert!(!d
        .iter()
        .any(|x| x.3 == "owner-absent" && x.4.contains("Ann")));
    let o = run(r, &["check", "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn relative_due_dates_are_dates() {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = tmp.path();
    write(r, "quorum.toml", "");
    write(
        r,
        "content/g/_group.md",
        "---\ncadence: every 2 weeks\n---\n",
    );
    write(
        r,
        "content/g/2024-01-03.md",
        "---\nactions:\n  - id: next\n    owner: Ann\n    task: By the next meeting\n    due: next meeting\n  - id: later\n    owner: Ann\n    task: In three meetings\n    due: +3 meetings\n---\n",
    );
    write(
        r,
        "content/g/2024-01-10.md",
        "---\nstatus: cancelled\n---\n",
    );
    write(
        r,
        "content/g/2024-01-17.md",
        "---\nactions:\n  - ref: next\n  - ref: later\n---\n",
    );
    let items = build_items(r);
    // The cancelled meeting does not count; past the written meetings, the cadence.
    assert_eq!(item(&items, "next")["due"], "2024-01-17");
    assert_eq!(item(&items, "later")["due"], "2024-02-14");
    let page = read(r, "public/actions/later/index.html");
    assert!(page.contains("2024-02-14"), "{page}");
}

#[test]
fn attendance_and_quorum_on_pages() {
    let tmp = weekly_site();
    let r = tmp.path();
    write(
        r,
        "content/wg/2024/wg-20240117.md",
        "---\ndate: 2024-01-17\nattendees: [Ann Chair, Guest Person]\nregrets: [Bob Member]\n---\n",
    );
    let o = run(r, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let meeting = read(r, "public/groups/wg/2024-01-17/index.html");
    assert!(
        meeting.contains("1 of 3 members present, 1 sent regrets, 1 guest"),
        "{meeting}"
    );
    assert!(meeting.contains("Not met (2 needed)"), "{meeting}");
    let held = read(r, "public/groups/wg/2024-01-03/index.html");
    assert!(held.contains("2 of 3 members present, 1 sent regrets"));
    assert!(held.contains("Met (2 needed)"), "{held}");

    let group = read(r, "public/groups/wg/index.html");
    assert!(group.contains("Expected: the 3 members"), "{group}");
    // Bob: present once of two held meetings, regrets once.
    assert!(
        group.contains("Bob Member</a><td class=\"a-present\">✓<span class=\"vh\"> present</span><td class=\"a-regrets\">regrets<td>1/2<td>1<td>50%"),
        "{group}"
    );
    assert!(
        group.contains("<tr><th scope=\"row\">Present<td>2/3<td>1/3<td colspan"),
        "{group}"
    );
    assert!(
        group.contains("<td class=\"ok\">met<td class=\"warn\">not met<td"),
        "{group}"
    );
    assert!(group.contains("quorum not met"), "{group}");

    let cy = read(r, "public/people/cy-member/index.html");
    assert!(
        cy.contains("Working Group</a><td>0<td>1<td>2<td>0%"),
        "{cy}"
    );
}
