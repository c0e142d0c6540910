//! Tests of writing and publishing a site.

use super::*;

fn file(path: &str, s: &str) -> OutputFile {
    OutputFile {
        path: path.into(),
        bytes: s.as_bytes().to_vec(),
    }
}

#[test]
fn writes_then_replaces_its_own_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(
        &out,
        &[file("index.html", "one"), file("a/b/index.html", "b")],
    )
    .unwrap();
    assert_eq!(fs::read_to_string(out.join("a/b/index.html")).unwrap(), "b");
    assert!(out.join(MARKER).is_file());
    write_site(&out, &[file("index.html", "two")]).unwrap();
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
    assert!(!out.join("a").exists());
    assert_eq!(beside(dir.path()), ["public"]);
}

#[test]
fn refuses_a_foreign_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("docs");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("precious.txt"), "mine").unwrap();
    let err = write_site(&out, &[file("index.html", "x")]).unwrap_err();
    assert!(matches!(err, OutputError::Foreign(_)));
    assert!(err.to_string().contains("not written by quorum"), "{err}");
    assert_eq!(
        fs::read_to_string(out.join("precious.txt")).unwrap(),
        "mine"
    );
    assert_eq!(beside(dir.path()), ["docs"]);
}

#[test]
fn empty_folder_is_fine() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    fs::create_dir_all(&out).unwrap();
    write_site(&out, &[file("index.html", "x")]).unwrap();
    assert!(out.join("index.html").is_file());
}

#[test]
fn failure_leaves_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &[file("index.html", "old")]).unwrap();
    // A file and a folder at the same path: the second write fails.
    let err = write_site(
        &out,
        &[file("index.html", "new"), file("x", "f"), file("x/y", "g")],
    )
    .unwrap_err();
    assert!(matches!(err, OutputError::Clash(..)), "{err}");
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    let err = write_site(&out, &[file("../escape", "x")]).unwrap_err();
    assert!(matches!(err, OutputError::BadPath(_)));
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    assert_eq!(beside(dir.path()), ["public"]);
}

fn manifest_in(dir: &Path) -> PathBuf {
    dir.join("cache/output.bin")
}

fn inode(p: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(p).unwrap().ino()
}

#[test]
fn updates_in_place_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let m = manifest_in(dir.path());
    let first = [
        file("index.html", "home"),
        file("a/index.html", "a"),
        file("gone/deep/index.html", "old page"),
        file("b/index.html", "b"),
    ];
    let s = write_site_with(&out, &first, &m).unwrap();
    assert_eq!(s.written, 4);
    let (home, b) = (
        inode(&out.join("index.html")),
        inode(&out.join("b/index.html")),
    );
    let second = [
        file("index.html", "home"),
        file("a/index.html", "a, edited"),
        file("b/index.html", "b"),
        file("c/d/index.html", "new"),
    ];
    let s = write_site_with(&out, &second, &m).unwrap();
    assert_eq!(
        s,
        WriteStats {
            written: 2,
            unchanged: 2,
            removed: 1
        }
    );
    // Unchanged files are the same files on disk; changed ones have their new bytes.
    assert_eq!(inode(&out.join("index.html")), home);
    assert_eq!(inode(&out.join("b/index.html")), b);
    assert_eq!(
        fs::read_to_string(out.join("a/index.html")).unwrap(),
        "a, edited"
    );
    assert_eq!(
        fs::read_to_string(out.join("c/d/index.html")).unwrap(),
        "new"
    );
    // What the site no longer has is gone, with the folders it leaves empty.
    assert!(!out.join("gone").exists());
    // No staging files and nothing beside the output folder.
    let mut names: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| {
            e.unwrap()
                .path()
                .strip_prefix(&out)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "",
            ".quorum",
            "a",
            "a/index.html",
            "b",
            "b/index.html",
            "c",
            "c/d",
            "c/d/index.html",
            "index.html"
        ]
    );
    assert_eq!(beside(dir.path()), ["cache", "public"]);
}

#[test]
fn a_file_changed_by_hand_is_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let m = manifest_in(dir.path());
    let files = [file("index.html", "home"), file("a/index.html", "a")];
    write_site_with(&out, &files, &m).unwrap();
    fs::write(out.join("a/index.html"), "vandalised").unwrap();
    fs::remove_file(out.join("index.html")).unwrap();
    write_site_with(&out, &files, &m).unwrap();
    assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "a");
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home");
}

#[test]
fn a_record_of_another_folder_or_a_missing_one_replaces_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    let m = manifest_in(dir.path());
    write_site_with(&one, &[file("index.html", "x")], &m).unwrap();
    write_site_with(&two, &[file("index.html", "x"), file("stray", "s")], &m).unwrap();
    // The record is two's now: one is replaced whole, and stays right.
    let s = write_site_with(&one, &[file("index.html", "y")], &m).unwrap();
    assert_eq!(s.written, 1);
    assert_eq!(fs::read_to_string(one.join("index.html")).unwrap(), "y");
    assert_eq!(fs::read_to_string(two.join("stray")).unwrap(), "s");
    fs::remove_file(&m).unwrap();
    let s = write_site_with(&two, &[file("index.html", "x")], &m).unwrap();
    assert_eq!((s.written, s.unchanged), (1, 0));
    assert!(!two.join("stray").exists());
}

#[test]
fn a_file_put_where_a_folder_goes_does_not_stop_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let m = manifest_in(dir.path());
    let first = [file("index.html", "old"), file("a/index.html", "a")];
    write_site_with(&out, &first, &m).unwrap();
    write_site_with(&out, &first, &m).unwrap();
    // A file put there by hand where the new site needs a folder: the
    // new site is made beside it, and replaces the folder whole.
    fs::write(out.join("x"), "stray").unwrap();
    let second = [file("index.html", "new"), file("x/y/index.html", "z")];
    write_site_with(&out, &second, &m).unwrap();
    let want: Vec<(String, Option<String>)> = [
        (".quorum", None),
        ("index.html", Some("new")),
        ("x", None),
        ("x/y", None),
        ("x/y/index.html", Some("z")),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.map(String::from)))
    .collect();
    assert_eq!(tree(&out), want);
    assert_eq!(beside(dir.path()), ["cache", "public"]);
}

/// Every path under `dir` with the text of each file (`None` for a folder, and the marker).
fn tree(dir: &Path) -> Vec<(String, Option<String>)> {
    let mut v: Vec<(String, Option<String>)> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let text = (e.file_type().is_file() && rel != MARKER)
                .then(|| fs::read_to_string(e.path()).unwrap());
            (rel, text)
        })
        .collect();
    v.sort();
    v
}

/// What `dir` holds but quorum's own `.NAME.quorum` work folders.
fn beside(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !(n.starts_with('.') && n.ends_with(".quorum")))
        .collect();
    v.sort();
    v
}

#[test]
fn the_spare_tree_alternates_and_shares_unchanged_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let m = manifest_in(dir.path());
    let v = |n: &str| [file("index.html", "home"), file("a/index.html", n)];
    for round in 0..4 {
        let text = format!("a{round}");
        let s = write_site_with(&out, &v(&text), &m).unwrap();
        if round > 0 {
            assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 0));
        }
        assert_eq!(
            tree(&out),
            [
                (".quorum".into(), None),
                ("a".into(), None),
                ("a/index.html".into(), Some(text)),
                ("index.html".into(), Some("home".into()))
            ]
        );
    }
    // The unchanged page is one file shared by the site and its spare.
    let spare = dir.path().join(".public.quorum/site");
    assert_eq!(
        inode(&spare.join("index.html")),
        inode(&out.join("index.html"))
    );
    assert_eq!(
        fs::read_to_string(spare.join("a/index.html")).unwrap(),
        "a2"
    );
    // Without a record, nothing is kept beside the output but the lock.
    write_site(&out, &v("b")).unwrap();
    assert!(!spare.exists());
    assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "b");
}

#[test]
fn leftovers_of_killed_builds_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let m = manifest_in(dir.path());
    write_site_with(&out, &[file("index.html", "x")], &m).unwrap();
    for d in [".public.quorum-tmp-123", ".public.quorum-old-456"] {
        fs::create_dir_all(dir.path().join(d).join("a")).unwrap();
        fs::write(dir.path().join(d).join(MARKER), "").unwrap();
    }
    fs::create_dir_all(dir.path().join(".public.quorum-tmp-9-mine")).unwrap();
    fs::write(dir.path().join(".public.quorum-tmp-9-mine/keep"), "mine").unwrap();
    fs::write(dir.path().join(".public.quorum/previous"), "").unwrap();
    write_site_with(&out, &[file("index.html", "y")], &m).unwrap();
    assert_eq!(
        beside(dir.path()),
        [".public.quorum-tmp-9-mine", "cache", "public"]
    );
    let work: Vec<String> = fs::read_dir(dir.path().join(".public.quorum"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(work, ["lock", "site"]);
}

#[test]
fn a_file_and_a_folder_at_one_path_is_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let m = manifest_in(dir.path());
    write_site_with(&out, &[file("index.html", "old")], &m).unwrap();
    let err = write_site_with(&out, &[file("x", "f"), file("x/y", "g")], &m).unwrap_err();
    assert!(matches!(err, OutputError::Clash(..)), "{err}");
    assert!(err.to_string().contains("`x` is a file"), "{err}");
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
}

#[test]
fn a_page_that_becomes_a_folder_replaces_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let m = manifest_in(dir.path());
    write_site_with(&out, &[file("a", "file")], &m).unwrap();
    write_site_with(&out, &[file("a/index.html", "page")], &m).unwrap();
    assert_eq!(
        fs::read_to_string(out.join("a/index.html")).unwrap(),
        "page"
    );
    write_site_with(&out, &[file("a", "file again")], &m).unwrap();
    assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "file again");
}
