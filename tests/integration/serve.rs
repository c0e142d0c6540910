//! `quorum serve` end to end: a server on an ephemeral port, edits on disk,
//! pages over HTTP and reload events over server-sent events.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long to wait for something the server should do soon.
const PATIENCE: Duration = Duration::from_secs(60);

const NOTE: &str = "content/sig-build/2020/2020-02-18.md";
const PAGE: &str = "/groups/sig-build/2020-02-18/";
/// The note's heading: its group and date (its title is the default one).
const HEADING: &str = "SIG Build, 2020-02-18";

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk fixture");
        let dest = to.join(e.path().strip_prefix(from).expect("under fixture"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

struct Server {
    child: Child,
    addr: String,
    log: Receiver<String>,
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(prepare: &dyn Fn(&Path)) -> Server {
        Server::start_with(prepare, &[])
    }

    /// `start`, with `env` set for the server.
    fn start_with(prepare: &dyn Fn(&Path), env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generated"),
            &root,
        );
        prepare(&root);
        let mut child = Command::new(env!("CARGO_BIN_EXE_quorum"))
            .args(["serve", "--port", "0", "--today", "2026-06-01", "--root"])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .envs(env.iter().copied())
            .spawn()
            .expect("start quorum serve");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + PATIENCE;
        let addr = loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("serve prints its address");
            if let Some(rest) = line.split("serving the site at http://").nth(1) {
                break rest.split('/').next().expect("address").to_string();
            }
        };
        Server {
            child,
            addr,
            log: rx,
            _dir: dir,
            root,
        }
    }

    fn request(&self, method: &str, path: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("send");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let code = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("status code");
        (code, head.to_string(), body.to_string())
    }

    fn get(&self, path: &str) -> (u16, String) {
        let (code, _, body) = self.request("GET", path);
        (code, body)
    }

    /// The status and raw body bytes of `GET path`.
    fn get_bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("send");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read");
        let cut = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        let head = String::from_utf8_lossy(&raw[..cut]).into_owned();
        let code = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("status code");
        (code, raw[cut + 4..].to_vec())
    }

    /// The text of every fragment of the served search index (`search/d/*.jz`,
    /// gzipped JSON), or `None` while `search/meta.json` is not served.
    fn index_text(&self) -> Option<String> {
        let (code, meta) = self.get("/search/meta.json");
        if code != 200 {
            return None;
        }
        let meta: serde_json::Value = serde_json::from_str(&meta).ok()?;
        let (n, frag) = (meta["n"].as_u64()?, meta["frag"].as_u64()?);
        let mut text = String::new();
        for shard in 0..n.div_ceil(frag) {
            let (code, gz) = self.get_bytes(&format!("/search/d/{shard}.jz"));
            if code != 200 {
                return None;
            }
            let mut part = String::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_string(&mut part)
                .ok()?;
            text.push_str(&part);
        }
        Some(text)
    }

    /// Waits until the served search index's fragments satisfy `ok`.
    fn wait_for_index(&self, ok: &dyn Fn(&str) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !self.index_text().is_some_and(|t| ok(&t)) {
            assert!(
                Instant::now() < deadline,
                "the search index never came, or never followed the edit"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `path` answers with `code` and a body that satisfies `ok`.
    fn wait_for(&self, path: &str, code: u16, ok: &dyn Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let (c, body) = self.get(path);
            if c == code && ok(&body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never answered {code} as expected (last {c})"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn events(&self) -> Events {
        let s = TcpStream::connect(&self.addr).expect("connect");
        let mut w = s.try_clone().expect("clone");
        write!(
            w,
            "GET /__quorum/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .expect("send");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(s).lines() {
                let Ok(line) = line else { break };
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    if tx.send((event.clone(), d.to_string())).is_err() {
                        break;
                    }
                }
            }
        });
        Events(rx)
    }

    fn write(&self, rel: &str, text: &str) {
        // As editors save: a temporary file renamed over the note.
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let tmp = path.with_file_name(".save.tmp");
        std::fs::write(&tmp, text).expect("write");
        std::fs::rename(&tmp, &path).expect("rename");
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).expect("read note")
    }
}

struct Events(Receiver<(String, String)>);

impl Events {
    /// The next event whose name is `name`.
    fn next(&self, name: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let (e, d) = self
                .0
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no `{name}` event came"));
            if e == name {
                return d;
            }
        }
    }
}

#[test]
fn an_edit_shows_over_http_with_a_reload_event() {
    let server = Server::start(&|_| {});
    let events = server.events();
    let first = events.next("reload");
    let (code, page) = server.get(PAGE);
    assert_eq!(code, 200);
    assert!(page.contains(HEADING), "{page}");
    assert!(
        page.contains("data-quorum-serve"),
        "the reload script is in pages"
    );

    let text = server.read(NOTE);
    server.write(
        NOTE,
        &text.replace("title: \"SIG Build meeting\"", "title: \"Edited live\""),
    );
    let next = events.next("reload");
    assert_ne!(first, next, "a new generation is announced");
    server.wait_for(PAGE, 200, &|b| {
        b.contains("Edited live — 2020-02-18") && !b.contains(HEADING)
    });
    // The group page lists it too, and the files made from the whole site
    // (made when first asked for) have it as well.
    server.wait_for("/groups/sig-build/", 200, &|b| b.contains("Edited live"));
    server.wait_for("/meetings.json", 200, &|b| b.contains("Edited live"));
    server.wait_for("/feed.xml", 200, &|b| b.contains("Edited live"));

    // Only HTML gets the script.
    for path in ["/feed.xml", "/calendar.ics", "/actions.json", "/style.css"] {
        let (code, body) = server.get(path);
        assert_eq!(code, 200, "{path}");
        assert!(!body.contains("data-quorum-serve"), "{path} has the script");
    }
}

#[test]
fn a_broken_note_keeps_the_last_good_site_and_recovers() {
    let server = Server::start(&|_| {});
    let events = server.events();
    events.next("reload");
    let good = server.read(NOTE);
    server.write(NOTE, &good.replace("date: 2020-02-18", "date: [2020"));
    let error = events.next("build-error");
    assert!(error.contains("2020-02-18.md"), "{error}");
    assert!(
        error.contains("\"line\":") && error.contains("not valid YAML"),
        "{error}"
    );
    let (code, page) = server.get(PAGE);
    assert_eq!(code, 200, "the last good site is still served");
    assert!(page.contains(HEADING), "{page}");
    // The terminal says it too, with file:line.
    let deadline = Instant::now() + PATIENCE;
    loop {
        let line = server
            .log
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the error is printed");
        if line.contains("2020-02-18.md:") && line.contains("error") {
            break;
        }
    }

    server.write(NOTE, &good.replace("SIG Build meeting", "Mended"));
    events.next("reload");
    server.wait_for(PAGE, 200, &|b| {
        b.contains("Mended — 2020-02-18") && !b.contains(HEADING)
    });
}

#[test]
fn deleted_and_renamed_notes_come_and_go() {
    let server = Server::start(&|_| {});
    server.wait_for(PAGE, 200, &|_| true);
    let path = server.root.join(NOTE);
    let away = path.with_extension("md.bak");
    std::fs::rename(&path, &away).expect("rename away");
    server.wait_for(PAGE, 404, &|_| true);
    std::fs::rename(&away, &path).expect("rename back");
    server.wait_for(PAGE, 200, &|b| b.contains(HEADING));
    std::fs::remove_file(&path).expect("delete");
    server.wait_for(PAGE, 404, &|_| true);
    server.wait_for("/groups/sig-build/", 200, &|b| {
        !b.contains("groups/sig-build/2020-02-18/")
    });
    // A note in a new folder, then the folder removed.
    server.write(
        "content/sig-build/2021/2021-01-05.md",
        "---\ndate: 2021-01-05\ntitle: New year meeting\n---\n",
    );
    server.wait_for("/groups/sig-build/2021-01-05/", 200, &|b| {
        b.contains("New year meeting")
    });
    std::fs::remove_dir_all(server.root.join("content/sig-build/2021")).expect("remove folder");
    server.wait_for("/groups/sig-build/2021-01-05/", 404, &|_| true);
    server.wait_for("/meetings.json", 200, &|b| !b.contains("New year meeting"));
}

#[test]
fn only_the_site_is_served_and_only_to_get_and_head() {
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "top secret").expect("write secret");
    let server = Server::start(&|root| {
        std::fs::create_dir_all(root.join("static")).expect("static");
        std::fs::write(root.join("static/ok.txt"), "fine").expect("write");
        // (A link out of the site under static/ is refused when the theme
        // loads: see safety::links_out_of_the_root_are_errors.)
        std::fs::write(root.join("quorum.toml.bak"), "not served").expect("write");
    });
    assert_eq!(server.get("/ok.txt"), (200, "fine".to_string()));
    for path in [
        "/secret.txt",
        "/../secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/groups%2fsig-build%2f",
        "/etc/passwd",
        "//etc/passwd",
        "/quorum.toml",
        "/content/people.yaml",
        "/content/sig-build/2020/2020-02-18.md",
    ] {
        let (code, body) = server.get(path);
        assert_eq!(code, 404, "{path}");
        assert!(
            !body.contains("top secret") && !body.contains("root:"),
            "{path}"
        );
    }
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let (code, head, _) = server.request(method, "/");
        assert_eq!(code, 405, "{method}");
        assert!(head.to_ascii_lowercase().contains("allow: get, head"));
    }
    let (code, head, body) = server.request("HEAD", PAGE);
    assert_eq!(code, 200);
    assert!(head.to_ascii_lowercase().contains("content-length"));
    assert!(body.is_empty(), "HEAD has no body");
}

#[test]
fn listening_beyond_loopback_warns() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generated"),
        dir.path(),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .args(["serve", "--port", "0", "--interface", "0.0.0.0", "--root"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let stderr = child.stderr.take().expect("stderr");
    let first = BufReader::new(stderr)
        .lines()
        .next()
        .and_then(Result::ok)
        .unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.starts_with("warning: serving on 0.0.0.0"), "{first}");
}

#[test]
fn search_is_indexed_in_the_background_and_follows_edits() {
    // Indexing waits 4 s before it starts. Made inside the rebuild (or on the
    // rebuilding thread), an index would hold the next edit's page back as long.
    let server = Server::start_with(&|_| {}, &[("QUORUM_TEST_INDEX_DELAY_MS", "4000")]);
    // The index comes once the background indexing is done: its fragments
    // hold every meeting's title.
    server.wait_for_index(&|text| text.contains("SIG Build meeting"));
    let text = server.read(NOTE);
    let retitle = |title: &str| {
        server.write(
            NOTE,
            &text.replace(
                "title: \"SIG Build meeting\"",
                &format!("title: \"{title}\""),
            ),
        );
        server.wait_for(PAGE, 200, &|b| b.contains(title));
    };
    // Two edits, each page served as soon as it is built; meanwhile the index
    // of the first build still serves, and the first edit's is never made.
    retitle("Edited live");
    retitle("Edited twice");
    let meanwhile = server.index_text().expect("the last index still serves");
    assert!(
        meanwhile.contains("SIG Build meeting") && !meanwhile.contains("Edited"),
        "the index was made before the next edit was served: not in the background"
    );
    // The index is made again for the edited site.
    server.wait_for_index(&|text| text.contains("Edited twice"));
    let (code, page) = server.get("/search/");
    assert_eq!(code, 200);
    assert!(page.contains("data-search-results"), "{page}");
}

/// `git ARGS` in `dir` as Ana Costa on 2024-05-02.
fn git(dir: &Path, args: &[&str]) {
    let who = [
        "-c",
        "user.name=Ana Costa",
        "-c",
        "user.email=ana@example.org",
    ];
    let all: Vec<&str> = who.iter().chain(args).copied().collect();
    crate::support::git(dir, &all, "2024-05-02");
}

#[test]
fn pages_show_git_history_and_follow_edits_and_commits() {
    let server = Server::start(&|root| {
        git(root, &["init", "-q", "--initial-branch=main"]);
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", "notes"]);
    });
    let page = server.wait_for(PAGE, 200, &|_| true);
    assert!(
        page.contains(r#"First committed on <time>2024-05-02</time>"#),
        "{page}"
    );
    assert!(page.contains("by Ana Costa"), "{page}");
    let (_, home) = server.get("/");
    assert!(!home.contains("with uncommitted changes"), "{home}");

    // An edit not committed yet: its page and every footer say so.
    let text = server.read(NOTE);
    server.write(
        NOTE,
        &text.replace("SIG Build meeting", "Edited, not committed"),
    );
    server.wait_for(PAGE, 200, &|b| {
        b.contains("Edited, not committed")
            && b.contains("This page shows changes not committed yet.")
    });
    server.wait_for("/", 200, &|b| b.contains("with uncommitted changes"));
    // A status line changed in place: the item's timeline says it is not committed.
    let text = server.read(NOTE);
    server.write(
        NOTE,
        &text.replacen(
            "  - ref: sig-build-20191224-2\n    status: in-progress",
            "  - ref: sig-build-20191224-2\n    status: done",
            1,
        ),
    );
    server.wait_for("/actions/sig-build-20191224-2/", 200, &|b| {
        b.contains("marked done in changes not committed yet")
    });
    // Committed: HEAD moves, and the pages follow without another edit.
    git(&server.root, &["commit", "-q", "-a", "-m", "title"]);
    server.wait_for("/", 200, &|b| !b.contains("with uncommitted changes"));
    server.wait_for(PAGE, 200, &|b| {
        !b.contains("This page shows changes not committed yet.")
    });
}

#[test]
fn a_note_linked_out_of_the_root_while_serving_is_not_read() {
    let server = Server::start(&|_| {});
    let events = server.events();
    events.next("reload");
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("secret.md");
    std::fs::write(
        &secret,
        "---\ntitle: LEAKED-SECRET\ndate: 2020-12-01\n---\nLEAKED-SECRET\n",
    )
    .expect("write");
    let link = server.root.join("content/sig-build/2020/2020-12-01.md");
    std::os::unix::fs::symlink(&secret, &link).expect("link");
    let error = events.next("build-error");
    assert!(
        error.contains("2020-12-01.md") && error.contains("outside the site root"),
        "{error}"
    );
    let (code, _) = server.get("/groups/sig-build/2020-12-01/");
    assert_eq!(code, 404, "the linked note is not served");
    for path in ["/groups/sig-build/", "/meetings.json", "/"] {
        let (_, body) = server.get(path);
        assert!(!body.contains("LEAKED-SECRET"), "{path} shows the file");
    }
}
