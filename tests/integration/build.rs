//! `quorum build`: the whole site, swapped in only when the build succeeded.

use crate::support::*;
use std::collections::BTreeMap;
use std::path::Path;

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn builds_the_example_site_byte_identically() {
    let out = tempfile::tempdir().unwrap();
    let a = out.path().join("a");
    let b = out.path().join("b");
    for dir in [&a, &b] {
        let o = quorum(&repo(), &["build", "--out", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let sa = snapshot(&a);
    assert_eq!(sa, snapshot(&b), "two builds of the same notes differ");
    for page in [
        "index.html",
        "404.html",
        "groups/index.html",
        "groups/sig-security/index.html",
        "groups/sig-security/2025-03-12/index.html",
        "people/index.html",
        "actions/index.html",
        "actions/threat-model/index.html",
        "decisions/index.html",
        "decisions/steering-20260603-d1/index.html",
        "groups/steering/2026-10-07/minutes.txt",
        "actions.json",
        "meetings.json",
        "decisions.json",
    ] {
        assert!(sa.contains_key(page), "missing {page}");
    }
    // actions.json holds the same item objects as `quorum actions --format json`.
    let published: serde_json::Value = serde_json::from_slice(&sa["actions.json"]).unwrap();
    let reported = serde_json::Value::Array(items(&repo()));
    assert_eq!(published, reported);
    // Without base_url there is no feed, sitemap or calendar, and the build says so.
    assert!(
        !sa.contains_key("feed.xml")
            && !sa.contains_key("sitemap.xml")
            && !sa.contains_key("calendar.ics")
    );
}

#[test]
fn a_broken_note_leaves_the_previous_output_as_it_was() {
    let site = copy_site(&repo().join("content"));
    let root = tempfile::tempdir().unwrap();
    copy_tree(site.path(), &root.path().join("content"));
    std::fs::copy(repo().join("quorum.toml"), root.path().join("quorum.toml")).unwrap();
    let o = quorum(root.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let public = root.path().join("public");
    let before = snapshot(&public);
    write(
        root.path(),
        "content/steering/2026-12-01.md",
        "---\ndate: 2026-12-01\nstatus: finished\n---\n",
    );
    let o = quorum(root.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content/steering/2026-12-01.md:3"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        before,
        snapshot(&public),
        "the failed build changed the output"
    );

    // --keep-going publishes the rest, says what it left out, and exits 0.
    let o = quorum(root.path(), &["build", "--keep-going"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("left out"), "{}", stderr(&o));
    assert!(stderr(&o).contains("content/steering/2026-12-01.md"));
    assert!(public.join("index.html").is_file());
}

#[test]
fn a_rebuild_writes_only_what_changed_and_equals_a_fresh_build() {
    let root = copy_site(&fixture("generated"));
    let r = root.path();
    let o = quorum(r, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Nothing changed: nothing is written.
    let o = quorum(r, &["build"]);
    assert!(stderr(&o).contains(" 0 written,"), "{}", stderr(&o));
    // An item marked done, the last meeting of a group removed, a new meeting added.
    let note = r.join("content/sig-build/2020/2020-02-18.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(
        &note,
        text.replace(
            "  - ref: sig-build-20191224-2\n    status: in-progress",
            "  - ref: sig-build-20191224-2\n    status: done",
        ),
    )
    .unwrap();
    let last_security = walkdir::WalkDir::new(r.join("content/sig-security"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path().extension().is_some_and(|x| x == "md")
                && !e.file_name().to_string_lossy().starts_with('_')
        })
        .last()
        .unwrap()
        .into_path();
    std::fs::remove_file(&last_security).unwrap();
    write(
        r,
        "content/sig-build/2020/2020-03-03.md",
        "---\ndate: 2020-03-03\nattendees: [Kai Kowalski]\nactions:\n  - owner: Kai Kowalski\n    task: Write the build matrix\n---\n",
    );
    let o = quorum(r, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let line = err.lines().find(|l| l.starts_with("built ")).unwrap();
    assert!(
        !line.contains(" 0 written,") && !line.contains(" 0 unchanged,"),
        "{line}"
    );
    assert!(
        !line.contains(" 0 removed"),
        "a removed meeting's page stays: {line}"
    );
    // The folder updated in place is byte for byte what a build into an empty folder gives.
    let fresh = tempfile::tempdir().unwrap();
    let o = quorum(
        r,
        &[
            "build",
            "--no-cache",
            "--out",
            fresh.path().to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let updated = snapshot(&r.join("public"));
    assert!(updated["actions/sig-build-20191224-2/index.html"]
        .windows(4)
        .any(|w| w == b"done"));
    assert_eq!(updated, snapshot(fresh.path()));
    // Each output folder keeps its own record: alternating between two
    // folders still writes nothing that did not change.
    let other = tempfile::tempdir().unwrap();
    let other = other.path().join("other");
    let o = quorum(r, &["build", "--out", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = quorum(r, &["build"]);
    assert!(stderr(&o).contains(" 0 written,"), "{}", stderr(&o));
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "mine/keep.txt", "precious");
    let out = dir.path().join("mine");
    let o = quorum(&repo(), &["build", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "precious"
    );
    assert!(!out.join("index.html").exists());
}

#[test]
fn hostile_notes_render_inert() {
    let out = tempfile::tempdir().unwrap();
    let o = quorum(
        &fixture("hostile"),
        &["build", "--out", out.path().to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = snapshot(out.path());
    for (path, bytes) in &files {
        // JSON holds the plain strings (JSON-escaped); markup matters in HTML and XML.
        if !(path.ends_with(".html") || path.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for tag in tags(&text) {
            for bad in ["onerror", "onload", "onclick", "onmouseover"] {
                assert!(
                    !tag.contains(&format!(" {bad}=")),
                    "{path}: event handler in <{tag}>"
                );
            }
            for bad in [
                "iframe",
                "object",
                "embed",
                "svg",
                "math",
                "meta http-equiv",
            ] {
                // The theme's own charts (group and person pages) are SVG
                // drawn at build time; nothing from the notes is.
                let chart = bad == "svg" && tag.contains("class=\"chart-svg\"");
                assert!(chart || !tag.starts_with(bad), "{path}: <{tag}>");
            }
            // The only form is the theme's search box.
            assert!(
                !tag.starts_with("form") || tag.starts_with("form class=\"search"),
                "{path}: <{tag}>"
            );
            for bad in [
                "href=\"javascript:",
                "src=\"javascript:",
                "href=\"data:",
                "src=\"data:",
            ] {
                assert!(!tag.contains(bad), "{path}: <{tag}>");
            }
            if tag.starts_with("script") {
                assert!(
                    tag.contains(" src=\""),
                    "{path}: an inline script that is not the theme's: <{tag}>"
                );
            }
        }
    }
    let meeting = files
        .iter()
        .find(|(p, _)| p.starts_with("groups/x-sig/2024-05-01"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("meeting page");
    // Visible, escaped text; the harmless table survives sanitising.
    assert!(
        meeting.contains("&lt;script&gt;"),
        "escaped script text is shown"
    );
    assert!(meeting.contains("<table"), "raw HTML table kept");
    assert!(
        meeting.contains("<a href=\"https://example.org/budget\""),
        "safe link kept"
    );
}

/// The insides of the HTML tags of `text` (`<` followed by a letter, up to `>`).
fn tags(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let end = rest.find('>').unwrap_or(rest.len());
            out.push(&rest[..end]);
        }
    }
    out
}
