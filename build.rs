//! Build script: gives the binary a build id that changes with its code.
//!
//! `QUORUM_BUILD_ID` is a hash (64-bit FNV-1a) of every file under `src/`
//! and `themes/` (path and bytes, in sorted order) and of Cargo.lock, so the
//! caches under a site's `.quorum-cache/` (keyed by the crate version and
//! this id) are never read by a binary built from other code or other
//! dependency versions. See docs/format-choices.md.
use std::path::Path;

fn main() {
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
