//! What a clumsy user or an adversary can do with paths, links, kills and
//! stale caches: no note lost, no file read from outside the site root, no
//! mixed site, no stale parse.

use crate::support::{copy_site, fixture_source, quorum, stderr, write};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `dir` with its bytes, and every folder (as `None`),
/// leaving quorum's caches out.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".quorum-cache")
        .map(|e| {
            let e = e.expect("walk");
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("under")
                .display()
                .to_string();
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).expect("read"));
            (rel, bytes)
        })
        .collect()
}

fn real(p: &Path) -> PathBuf {
    p.canonicalize().expect("canonicalize")
}

#[test]
fn an_output_through_dots_onto_the_notes_is_refused() {
    let site = copy_site(&fixture_source("generated"));
    let root = real(site.path());
    let before = snapshot(&root);
    let name = root.file_name().unwrap().to_str().unwrap().to_string();
    let up = format!("x/../../{name}");
    let cases = [
        (
            "nonexist/../content",
            "is the content folder",
            root.join("content"),
        ),
        (up.as_str(), "is the site root", root.clone()),
        (
            "..",
            "holds the site root",
            root.parent().unwrap().to_path_buf(),
        ),
        (
            "content/sig-build/out",
            "lies inside the content folder",
            root.join("content/sig-build/out"),
        ),
        (
            "templates",
            "is the `templates` folder",
            root.join("templates"),
        ),
    ];
    for (out, says, resolved) in cases {
        let o = quorum(&root, &["build", "--out", out]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "--out {out}: {err}");
        assert!(
            err.contains(&format!("the output folder {} {says}", resolved.display())),
            "--out {out}: {err}"
        );
        assert_eq!(snapshot(&root), before, "--out {out} changed the site");
    }
    // A link to the notes is seen through too.
    let outside = tempfile::tempdir().unwrap();
    let link = outside.path().join("out");
    std::os::unix::fs::symlink(root.join("content"), &link).unwrap();
    let o = quorum(&root, &["build", "--out", link.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(snapshot(&root), before);
    // The usual place works.
    let o = quorum(&root, &["build", "--out", "public"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn init_through_dots_into_a_site_writes_nothing() {
    let site = copy_site(&fixture_source("generated"));
    let root = real(site.path());
    let before = snapshot(&root);
    let o = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .current_dir(root.join("content"))
        .args(["init", "x/../.."])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "{} is not empty; nothing was written",
            root.display()
        )),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(&root), before);
}

#[test]
fn import_into_a_folder_outside_the_site_is_refused() {
    let site = copy_site(&fixture_source("generated"));
    let root = real(site.path());
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "doc.md", "## 2024-01-02\n\nText.\n");
    let into = root.join("content/../../elsewhere");
    let o = quorum(
        &root,
        &[
            "import",
            outside.path().join("doc.md").to_str().unwrap(),
            "--group",
            "sig-build",
            "--into",
            into.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let resolved = root.parent().unwrap().join("elsewhere");
    assert!(
        stderr(&o).contains(&format!(
            "the folder {} is outside the site root",
            resolved.display()
        )),
        "{}",
        stderr(&o)
    );
    assert!(!resolved.exists());
}

#[test]
fn links_out_of_the_root_are_errors_and_links_inside_are_followed() {
    let site = copy_site(&fixture_source("generated"));
    let root = real(site.path());
    let outside = tempfile::tempdir().unwrap();
    let secret_dir = real(outside.path());
    write(
        &secret_dir,
        "secret.md",
        "---\ntitle: LEAKED-SECRET\ndate: 2026-11-05\n---\nLEAKED-SECRET\n",
    );
    let note = root.join("content/sig-build/2026-11-05.md");
    std::os::unix::fs::symlink(secret_dir.join("secret.md"), &note).unwrap();
    let o = quorum(&root, &["build", "--out", "public"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{} links to {}, outside the site root {}",
            note.display(),
            secret_dir.join("secret.md").display(),
            root.display()
        )),
        "{err}"
    );
    assert!(!root.join("public").exists());
    // A folder linked out, with --keep-going: the rest is published, nothing from outside.
    std::fs::remove_file(&note).unwrap();
    std::os::unix::fs::symlink(&secret_dir, root.join("content/sig-build/2026")).unwrap();
    std::os::unix::fs::symlink(&secret_dir, root.join("content/linked-group")).unwrap();
    let o = quorum(&root, &["build", "--out", "public", "--keep-going"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("content/sig-build/2026 links to"), "{err}");
    assert!(err.contains("content/linked-group links to"), "{err}");
    for (path, bytes) in snapshot(&root.join("public")) {
        let text = String::from_utf8_lossy(bytes.as_deref().unwrap_or_default()).into_owned();
        assert!(
            !text.contains("LEAKED-SECRET"),
            "{path} holds a file from outside the root"
        );
    }
    // Links inside the root are followed: a note and a whole group folder.
    std::fs::remove_file(root.join("content/sig-build/2026")).unwrap();
    std::fs::remove_file(root.join("content/linked-group")).unwrap();
    write(
        &root,
        "shared/2026-11-06.md",
        "---\ntitle: Shared note inside\ndate: 2026-11-06\n---\nText.\n",
    );
    std::os::unix::fs::symlink(
        root.join("shared/2026-11-06.md"),
        root.join("content/sig-build/2026-11-06.md"),
    )
    .unwrap();
    write(
        &root,
        "elsewhere/ops/2026-11-07.md",
        "---\ntitle: Linked group inside\ndate: 2026-11-07\n---\nText.\n",
    );
    std::os::unix::fs::symlink(root.join("elsewhere/ops"), root.join("content/ops")).unwrap();
    let o = quorum(&root, &["build", "--out", "public"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let site = snapshot(&root.join("public"));
    let all: String = site
        .values()
        .flatten()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(all.contains("Shared note inside"));
    assert!(all.contains("Linked group inside"));
}

#[test]
fn a_static_file_linked_out_of_the_root_is_an_error() {
    let site = copy_site(&fixture_source("generated"));
    let root = real(site.path());
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "passwd", "root:x:0:0");
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("passwd"), root.join("static/passwd")).unwrap();
    let o = quorum(&root, &["build", "--out", "public"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("static/passwd links to"),
        "{}",
        stderr(&o)
    );
    assert!(!root.join("public").exists());
}

#[test]
fn a_missing_content_or_group_folder_leaves_the_output_as_it_was() {
    let site = copy_site(&fixture_source("generated"));
    let root = real(site.path());
    let o = quorum(&root, &["build", "--out", "public"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let published = snapshot(&root.join("public"));
    std::fs::rename(root.join("content"), root.join("moved")).unwrap();
    let o = quorum(&root, &["build", "--out", "public"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "there is no `content` folder ({})",
            root.join("content").display()
        )),
        "{err}"
    );
    assert!(err.contains("previous output left as it was"), "{err}");
    assert_eq!(snapshot(&root.join("public")), published);
    // A configured group folder that is missing.
    std::fs::rename(root.join("moved"), root.join("content")).unwrap();
    let toml = std::fs::read_to_string(root.join("quorum.toml")).unwrap();
    std::fs::write(
        root.join("quorum.toml"),
        format!("{toml}\n[groups.ops]\npath = \"ops-notes\"\n"),
    )
    .unwrap();
    let o = quorum(&root, &["build", "--out", "public"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("group `ops`: folder `ops-notes` does not exist"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(&root.join("public")), published);
}

#[test]
fn special_files_and_names_that_are_not_utf8_are_reported() {
    use std::os::unix::ffi::OsStrExt;
    let site = copy_site(&fixture_source("generated"));
    let root = real(site.path());
    let fifo = root.join("content/sig-build/2026-01-01.md");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let bad = root
        .join("content/sig-build")
        .join(std::ffi::OsStr::from_bytes(b"2026-01-02-\xff.md"));
    std::fs::write(&bad, "---\ndate: 2026-01-02\n---\n").unwrap();
    let o = quorum(&root, &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{} is not a regular file (a FIFO, socket or device): it is not read",
            fifo.display()
        )),
        "{err}"
    );
    assert!(err.contains("is not UTF-8: it is not read"), "{err}");
    assert!(err.contains("non-utf8-name"), "{err}");
}

#[test]
fn a_cache_from_another_build_of_quorum_is_not_read() {
    let site = copy_site(&fixture_source("generated"));
    let root = real(site.path());
    let note = root.join("content/sig-build/2019/2019-01-22.md");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let set_time = |p: &Path| {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
    };
    set_time(&note);
    assert_eq!(quorum(&root, &["check"]).status.code(), Some(0));
    let cache = root.join(".quorum-cache/notes.bin");
    let bytes = std::fs::read(&cache).unwrap();
    let header_end = bytes.iter().position(|&b| b == b'\n').unwrap();
    let header = String::from_utf8(bytes[..header_end].to_vec()).unwrap();
    let (_, fingerprint) = header.rsplit_once(' ').unwrap();
    let (version, build) = fingerprint.split_once('+').expect("version+build id");
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    assert_eq!(build.len(), 16, "{header}");
    // The note changes, with its size and time as they were.
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, text.replace("date: 2019-01-22", "date: 2019-13-22")).unwrap();
    set_time(&note);
    // This build trusts its own cache (size and time unchanged)...
    assert_eq!(quorum(&root, &["check"]).status.code(), Some(0));
    // ...but a cache written by another build is not read: the note is parsed again.
    let other = header.replace(build, "0000000000000000");
    let mut forged = other.into_bytes();
    forged.extend_from_slice(&bytes[header_end..]);
    std::fs::write(&cache, forged).unwrap();
    let o = quorum(&root, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("2019-01-22.md"), "{}", stderr(&o));
}

#[test]
fn a_second_build_into_the_same_folder_waits_for_the_first() {
    let site = copy_site(&fixture_source("generated"));
    let root = real(site.path());
    assert_eq!(
        quorum(&root, &["build", "--out", "public"]).status.code(),
        Some(0)
    );
    let lock = root.join(".public.quorum/lock");
    assert!(lock.is_file());
    let holder = Command::new("flock")
        .arg(&lock)
        .args(["sleep", "1.5"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let t = std::time::Instant::now();
    let o = quorum(&root, &["build", "--out", "public"]);
    let mut holder = holder;
    holder.wait().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "waiting: another quorum build is writing {}",
            root.join("public").display()
        )),
        "{}",
        stderr(&o)
    );
    assert!(t.elapsed() >= std::time::Duration::from_millis(900));
}

/// A site of `n` meetings over four groups; `variant` changes a tenth of them.
fn write_meetings(root: &Path, n: usize, variant: usize) {
    write(
        root,
        "quorum.toml",
        "title = \"Kill test\"\nbase_url = \"https://example.org/\"\n",
    );
    write(
        root,
        "content/people.yaml",
        "- name: Ada Chair\n- name: Sam Member\n",
    );
    for i in 0..n {
        let group = ["alpha", "beta", "gamma", "delta"][i % 4];
        let date =
            chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(i as u64);
        let extra = if i % 10 == variant % 10 {
            format!("Revised in round {variant}.\n")
        } else {
            String::new()
        };
        write(
            root,
            &format!("content/{group}/{date}.md"),
            &format!("---\ntitle: Meeting {i}\ndate: {date}\nattendees: [Ada Chair, Sam Member]\n---\n\n## Notes\n\nMeeting number {i} talked.\n{extra}\n- [ ] Ada Chair: follow up on {i}\n"),
        );
    }
    // One meeting comes and goes, so pages are removed and added too.
    let p = root.join("content/alpha/2030-01-01.md");
    if variant % 2 == 0 {
        write(
            root,
            "content/alpha/2030-01-01.md",
            "---\ntitle: Sometimes\ndate: 2030-01-01\n---\nText.\n",
        );
    } else {
        let _ = std::fs::remove_file(p);
    }
}

/// Output folders beside `out` must be only quorum's work folder.
fn assert_nothing_stray(out: &Path) {
    let parent = out.parent().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("public"))
        .collect();
    names.sort();
    assert_eq!(names, [".public.quorum", "public"]);
}

/// `quorum build` of the site at `root` into its `public/`, as the kill test
/// runs it (timed, and killed).
fn rebuild_into_public(root: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_quorum"));
    c.args([
        "build",
        "--no-history",
        "--out",
        "public",
        "--today",
        crate::support::TODAY,
    ])
    .arg("--root")
    .arg(root);
    c
}

#[test]
fn a_build_killed_at_any_moment_of_its_write_leaves_a_whole_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = real(dir.path());
    let out = root.join("public");
    let build = |args: &[&str]| quorum(&root, &[&["build", "--no-history"][..], args].concat());
    // The two sites, each built whole into a folder of its own.
    let mut sites = Vec::new();
    for v in 0..2 {
        write_meetings(&root, 1000, v);
        let o = build(&["--out", &format!("expected-{v}")]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        sites.push(snapshot(&root.join(format!("expected-{v}"))));
    }
    assert_ne!(sites[0], sites[1]);
    // How long a rebuild takes, and when its write starts: measured on
    // rebuilds like the killed ones (the spare tree beside the output already
    // made by an earlier swap), the median of three.
    write_meetings(&root, 1000, 0);
    assert_eq!(build(&["--out", "public"]).status.code(), Some(0));
    let mut runs = Vec::new();
    for v in [1, 0, 1] {
        write_meetings(&root, 1000, v);
        let t = std::time::Instant::now();
        let o = rebuild_into_public(&root)
            .env("QUORUM_TIMINGS", "1")
            .output()
            .unwrap();
        let total = t.elapsed().as_secs_f64();
        let write_ms: f64 = stderr(&o)
            .lines()
            .find_map(|l| {
                l.strip_prefix("timing: write ")?
                    .strip_suffix(" ms")?
                    .parse()
                    .ok()
            })
            .expect("write timing");
        assert_eq!(snapshot(&out), sites[v]);
        runs.push((total, write_ms / 1000.0));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (total, write) = runs[1];
    let mut current = 1;
    let mut killed = 0;
    // 20 moments spread over the write phase, tried again (up to three
    // rounds) where a build ended before its kill, as timings on a shared
    // machine vary.
    for k in 0..60 {
        if killed >= 20 {
            break;
        }
        // Spread over the write phase, with a little before and after it.
        let slot = k % 20;
        let at = (total - write) + write * (slot as f64 - 1.0) / 17.0;
        let next = 1 - current;
        write_meetings(&root, 1000, next);
        let mut child = rebuild_into_public(&root)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_secs_f64(at.max(0.0)));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.code().is_none() {
            killed += 1;
        }
        let now = snapshot(&out);
        assert!(
            now == sites[0] || now == sites[1],
            "kill {k} at {at:.3} s left a mixed site"
        );
        assert_nothing_stray(&out);
        current = if now == sites[next] { next } else { current };
        // The next build is exact, whatever the killed one left.
        if k % 5 == 4 {
            let o = build(&["--out", "public"]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            assert_eq!(snapshot(&out), sites[next], "after kill {k}");
            current = next;
        }
    }
    assert!(
        killed >= 10,
        "only {killed} of 20 builds were killed before they ended"
    );
    let next = 1 - current;
    write_meetings(&root, 1000, next);
    assert_eq!(build(&["--out", "public"]).status.code(), Some(0));
    assert_eq!(snapshot(&out), sites[next]);
    assert_nothing_stray(&out);
}
