//! Build script: two compile-time variables.
//!
//! - `QUORUM_COMMIT`: the git commit the binary is built from (`quorum
//!   --version` prints it). Outside the project's own git checkout (the
//!   crates.io package), the commit cargo wrote into `.cargo_vcs_info.json`
//!   when it packaged the crate; else `unknown`.
//! - `QUORUM_BUILD_ID`: a hash (64-bit FNV-1a) of every file under `src/` and
//!   `themes/` (path and bytes, in sorted order) and of Cargo.lock, so the
//!   caches under a site's `.quorum-cache/` (keyed by the crate version and
//!   this id) are never read by a binary built from other code or other
//!   dependency versions. See docs/format-choices.md.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !s.is_empty()).then_some(s)
}

/// The commit of the checkout at `dir`, when `dir` is its top folder (not a
/// folder inside some other repository, as cargo's package folder is).
fn checkout_commit(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if Path::new(&top).canonicalize().ok()? != dir.canonicalize().ok()? {
        return None;
    }
    for rel in ["HEAD", "packed-refs"] {
        if let Some(p) = git(dir, &["rev-parse", "--git-path", rel]) {
            println!("cargo:rerun-if-changed={}", dir.join(p).display());
        }
    }
    if let Some(r) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        if let Some(p) = git(dir, &["rev-parse", "--git-path", &r]) {
            println!("cargo:rerun-if-changed={}", dir.join(p).display());
        }
    }
    git(dir, &["rev-parse", "--short=12", "HEAD"])
}

/// The commit recorded by `cargo package` in `.cargo_vcs_info.json`.
fn packaged_commit(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let rest = &text[text.find("\"sha1\"")? + 6..];
    let start = rest.find('"')? + 1;
    let sha = &rest[start..start + rest[start..].find('"')?];
    Some(sha.chars().take(12).collect())
}

fn commit() {
    let dir =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| ".".into(), std::path::PathBuf::from);
    let commit = checkout_commit(&dir)
        .or_else(|| packaged_commit(&dir))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=QUORUM_COMMIT={commit}");
    println!("cargo:rerun-if-changed=build.rs");
}

fn build_id() {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for top in ["src", "themes"] {
        println!("cargo:rerun-if-changed={top}");
        let mut files = Vec::new();
        collect(Path::new(top), &mut files);
        files.sort();
        for f in files {
            feed(f.to_string_lossy().as_bytes());
            feed(&[0]);
            feed(&std::fs::read(&f).unwrap_or_default());
            feed(&[0]);
        }
    }
    println!("cargo:rerun-if-changed=Cargo.lock");
    feed(&std::fs::read("Cargo.lock").unwrap_or_default());
    println!("cargo:rustc-env=QUORUM_BUILD_ID={hash:016x}");
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    commit();
    build_id();
}
