//! `quorum build` with and without search, and the search page in a real
//! browser (headless Chromium through tests/e2e/search.js).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the example site into `out` with `extra` arguments.
fn build_example(out: &Path, extra: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .arg("--root")
        .arg(repo())
        .args(["--today", "2026-11-23", "build", "--out"])
        .arg(out)
        .args(extra)
        .status()
        .expect("quorum runs");
    assert!(status.success(), "quorum build failed");
}

fn has_search_box(page: &Path) -> bool {
    std::fs::read_to_string(page)
        .expect("page")
        .contains("type=\"search\"")
}

#[test]
fn build_writes_the_search_page_index_and_box() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out, &[]);
    let page = std::fs::read_to_string(out.join("search/index.html")).unwrap();
    assert!(page.contains("data-search-results"));
    assert!(page.contains("type=\"search\""));
    assert!(out.join("search/meta.json").is_file());
    assert!(out.join("search.js").is_file());
    assert!(has_search_box(&out.join("index.html")));
    assert!(has_search_box(
        &out.join("groups/steering/2025-02-05/index.html")
    ));
}

#[test]
fn no_search_leaves_the_index_and_the_box_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out, &["--no-search"]);
    assert!(!out.join("search").exists());
    assert!(!out.join("search.js").exists());
    assert!(!has_search_box(&out.join("index.html")));
}

#[test]
fn search_disabled_in_quorum_toml_leaves_it_out() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/wg")).unwrap();
    std::fs::write(
        site.join("quorum.toml"),
        "title = \"T\"\n[search]\nenabled = false\n",
    )
    .unwrap();
    std::fs::write(
        site.join("content/wg/2025-01-02.md"),
        "---\ntitle: Kick-off\ndate: 2025-01-02\n---\n\nWe met.\n",
    )
    .unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .arg("--root")
        .arg(&site)
        .args(["--today", "2026-11-23", "build"])
        .status()
        .unwrap();
    assert!(status.success());
    let out = site.join("public");
    assert!(out.join("index.html").is_file());
    assert!(!out.join("search").exists());
    assert!(!has_search_box(&out.join("index.html")));
}

/// A static file server on 127.0.0.1 for `root`, one thread per request.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
    format!("http://{addr}/")
}

fn answer(mut stream: TcpStream, root: &Path) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // Skip the headers.
    let mut h = String::new();
    while reader.read_line(&mut h).map(|n| n > 2).unwrap_or(false) {
        h.clear();
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut file = root.join(percent_decode(path.trim_start_matches('/')));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let ok = !path.contains("..") && file.is_file();
    let (status, body) = if ok {
        ("200 OK", std::fs::read(&file).unwrap_or_default())
    } else {
        ("404 Not Found", b"not found".to_vec())
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the browser test needs and this machine lacks, each with how to get it.
fn browser_test_missing(e2e: &std::path::Path) -> Vec<String> {
    let mut missing = Vec::new();
    let chromium = std::env::var_os("CHROMIUM").map_or_else(
        || std::path::PathBuf::from("/usr/bin/chromium"),
        std::path::PathBuf::from,
    );
    if !chromium.is_file() {
        missing.push(format!(
            "Chromium at {} (Debian: `apt-get install chromium`; or set CHROMIUM)",
            chromium.display()
        ));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        missing.push("Node.js (`node` on PATH)".to_string());
    }
    if !e2e.join("node_modules/playwright-core").is_dir() {
        missing.push("the node packages of tests/e2e (`npm ci` in tests/e2e)".to_string());
    }
    missing
}

/// Runs tests/e2e/search.js in headless Chromium against the built example
/// site. Needs Chromium (/usr/bin/chromium or $CHROMIUM), Node.js and the
/// node packages of tests/e2e; `scripts/test` (the README's test command)
/// installs them. QUORUM_SKIP_BROWSER=1 skips it on machines without a browser.
#[test]
fn search_page_works_in_a_real_browser() {
    if std::env::var_os("QUORUM_SKIP_BROWSER").is_some() {
        eprintln!("skipped: QUORUM_SKIP_BROWSER is set");
        return;
    }
    let e2e = repo().join("tests/e2e");
    let missing = browser_test_missing(&e2e);
    assert!(
        missing.is_empty(),
        "the browser test of search needs {}: run `scripts/test`, which installs them \
         (or set QUORUM_SKIP_BROWSER=1 to skip this test)",
        missing.join(", ")
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out, &[]);
    let base = serve(out);
    let result = Command::new("node")
        .arg(e2e.join("search.js"))
        .arg(&base)
        .current_dir(&e2e)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        result.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("browser checks: 0 failed"), "{stdout}");
}

/// Runs tests/e2e/pages.js against `out` with `flags`; panics with its output on failure.
fn run_pages_test(out: PathBuf, flags: &[&str]) {
    let e2e = repo().join("tests/e2e");
    let base = serve(out);
    let result = Command::new("node")
        .arg(e2e.join("pages.js"))
        .arg(&base)
        .args(flags)
        .current_dir(&e2e)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        result.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("browser checks: 0 failed"), "{stdout}");
}

/// The members' pages at a phone's width (390 px) in headless Chromium
/// (tests/e2e/pages.js), on the example site and on the generated fixture
/// (two groups, 63 meetings, 122 items: two pages of the actions index):
/// no page wider than the screen, unique meeting titles, plain snippets,
/// search results from more than one group, the owner filter across pages.
#[test]
fn members_pages_fit_a_phone_in_a_real_browser() {
    if std::env::var_os("QUORUM_SKIP_BROWSER").is_some() {
        eprintln!("skipped: QUORUM_SKIP_BROWSER is set");
        return;
    }
    let missing = browser_test_missing(&repo().join("tests/e2e"));
    assert!(
        missing.is_empty(),
        "the browser test of the pages needs {}: run `scripts/test`, which installs them \
         (or set QUORUM_SKIP_BROWSER=1 to skip this test)",
        missing.join(", ")
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out, &[]);
    run_pages_test(out, &[]);

    let site = crate::support::copy_site(&crate::support::fixture_source("generated"));
    let gen_out = dir.path().join("gen-public");
    let status = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .arg("--root")
        .arg(site.path())
        .args(["--today", "2020-02-10", "build", "--out"])
        .arg(&gen_out)
        .status()
        .expect("quorum runs");
    assert!(
        status.success(),
        "quorum build of the generated fixture failed"
    );
    run_pages_test(gen_out, &["--search-across-groups", "--owner-across-pages"]);
}
