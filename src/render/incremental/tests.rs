//! Incremental renders checked byte for byte against full ones.

use super::*;
use crate::render::tests::render_site;
use std::collections::BTreeMap;
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk fixture");
        let rel = e.path().strip_prefix(from).expect("under fixture");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date")
}

fn full(root: &Path) -> (Site, SiteConfig, Theme, BTreeMap<String, Vec<u8>>) {
    let loaded = crate::build::load(root, today(), false).expect("site loads");
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let theme = crate::load::theme::read(root, &loaded.config)
        .and_then(Theme::from_files)
        .expect("theme");
    let opts = RenderOptions { search: true };
    let files = render_site(&loaded.site, &loaded.config, &theme, &opts).expect("renders");
    let map = files.into_iter().map(|f| (f.path, f.bytes)).collect();
    (loaded.site, loaded.config, theme, map)
}

/// Renders the site, applies `edit`, renders it again incrementally and
/// in full, and checks that the two agree byte for byte. Returns whether
/// the incremental render was partial and how many pages it rendered.
fn check_edit(edit: &dyn Fn(&Path), theme_changed: bool) -> (bool, usize, usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generated"),
        root,
    );
    let (site, config, theme, before) = full(root);
    let opts = RenderOptions { search: true };
    let none = HashSet::new();
    let (_, memo) = render_since(
        None,
        Arc::new(site),
        &config,
        &Arc::new(theme),
        1,
        &opts,
        false,
        None,
        &none,
    )
    .expect("first render");
    edit(root);
    let (site2, config2, theme2, after) = full(root);
    let generation = if theme_changed { 2 } else { 1 };
    // As `quorum serve` renders: the whole-site files deferred.
    let (delta, _) = render_since(
        Some(&memo),
        Arc::new(site2),
        &config2,
        &Arc::new(theme2),
        generation,
        &opts,
        true,
        None,
        &none,
    )
    .expect("incremental render");
    let mut merged = before.clone();
    for f in delta.changed {
        merged.insert(f.path, f.bytes);
    }
    let keep: std::collections::BTreeSet<&String> = delta.paths.iter().collect();
    merged.retain(|p, _| keep.contains(p));
    let deferred = (delta.deferred.expect("whole-site files deferred"))();
    assert!(deferred.iter().any(|f| f.path == "actions.json"));
    for f in deferred {
        assert!(
            merged.insert(f.path.clone(), f.bytes).is_none(),
            "{} is both deferred and rendered",
            f.path
        );
    }
    let stale: Vec<&String> = after
        .iter()
        .filter(|(p, b)| merged.get(*p) != Some(*b))
        .map(|(p, _)| p)
        .collect();
    let extra: Vec<&String> = merged.keys().filter(|p| !after.contains_key(*p)).collect();
    assert!(stale.is_empty(), "pages stale after the edit: {stale:?}");
    assert!(
        extra.is_empty(),
        "pages left over after the edit: {extra:?}"
    );
    assert!(before != after, "the edit changed nothing");
    (!delta.full, delta.pages_rendered, delta.pages_total)
}

fn note(root: &Path) -> std::path::PathBuf {
    root.join("content/sig-build/2019/2019-03-05-special.md")
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read note");
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write note");
}

#[test]
fn task_text_edit_renders_few_pages_and_matches_full_render() {
    let (partial, rendered, total) = check_edit(
        &|r| {
            replace(
                &note(r),
                "Review the budget sheet for fuzzing coverage",
                "Review the budget spreadsheet",
            )
        },
        false,
    );
    assert!(partial, "a task edit should not render every page");
    assert!(rendered * 2 < total, "{rendered} of {total} pages rendered");
}

#[test]
fn body_edit_matches_full_render() {
    let (partial, _, _) = check_edit(
        &|r| {
            replace(
                &note(r),
                "### Budget request",
                "### Budget request (edited)",
            )
        },
        false,
    );
    assert!(partial);
}

#[test]
fn owner_change_matches_full_render() {
    check_edit(
        &|r| {
            replace(
                &note(r),
                "owner: \"Hana Jensen\"\n    task: \"Review the CI",
                "owner: \"Ivan Berg\"\n    task: \"Review the CI",
            )
        },
        false,
    );
}

#[test]
fn status_change_matches_full_render() {
    check_edit(
        &|r| {
            replace(
                &note(r),
                "ref: sig-build-20190205-3\n    status: blocked",
                "ref: sig-build-20190205-3\n    status: done",
            )
        },
        false,
    );
}

#[test]
fn attendee_and_outcome_edit_matches_full_render() {
    check_edit(
        &|r| {
            replace(&note(r), "  - \"Olga Ahmed\"\n", "");
            replace(&note(r), "kind: decision", "kind: resolution");
        },
        false,
    );
}

#[test]
fn new_item_matches_full_render() {
    check_edit(
        &|r| {
            replace(
                &note(r),
                "---\n\n## Notes",
                "  - owner: \"Olga Ahmed\"\n    task: \"Write the new onboarding guide\"\n---\n\n## Notes",
            )
        },
        false,
    );
}

#[test]
fn deleted_note_matches_full_render() {
    check_edit(
        &|r| std::fs::remove_file(r.join("content/sig-build/2020/2020-02-18.md")).expect("delete"),
        false,
    );
}

#[test]
fn renamed_note_matches_full_render() {
    check_edit(
        &|r| {
            std::fs::rename(
                note(r),
                r.join("content/sig-build/2019/2019-03-06-special.md"),
            )
            .expect("rename")
        },
        false,
    );
}

#[test]
fn people_yaml_change_matches_full_render() {
    check_edit(
        &|r| {
            let p = r.join("content/people.yaml");
            let text = std::fs::read_to_string(&p).expect("people.yaml");
            let first = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("- name: "))
                .expect("a person")
                .to_string();
            let renamed = format!("{} Junior\"", first.trim_end_matches('"'));
            std::fs::write(&p, text.replacen(&first, &renamed, 1)).expect("write");
        },
        false,
    );
}

#[test]
fn template_change_matches_full_render() {
    check_edit(
        &|r| {
            let dir = r.join("templates");
            std::fs::create_dir_all(&dir).expect("mkdir");
            let base = include_str!("../../../themes/default/templates/meeting.html");
            std::fs::write(
                dir.join("meeting.html"),
                base.replace("</h1>", " (edited)</h1>"),
            )
            .expect("write template");
        },
        true,
    );
}

#[test]
fn meeting_title_and_time_edit_matches_full_render() {
    let (partial, _, _) = check_edit(
        &|r| {
            replace(&note(r), "SIG Build special meeting", "Budget special");
            replace(&note(r), "time: \"20:00\"", "time: \"20:30\"");
        },
        false,
    );
    assert!(partial);
}

#[test]
fn a_sibling_title_clash_renames_the_other_meeting_too() {
    // Two meetings of one day come to share a heading: both take their start
    // time, so the untouched meeting's page (and what lists it) changes too.
    let (partial, _, _) = check_edit(
        &|r| replace(&note(r), "SIG Build special meeting", "SIG Build meeting"),
        false,
    );
    assert!(partial);
}
