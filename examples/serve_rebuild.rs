//! Times `quorum serve`'s rebuild after one edited note, stage by stage,
//! without the HTTP side: `cargo run --release --example serve_rebuild -- SITE [EDITS]`.
//! The site is edited in place (one meeting note's task text), so pass a copy.
use std::path::{Path, PathBuf};
use std::time::Instant;

// mimalloc: quorum allocates and frees millions of small strings per build,
// and `serve` frees the last site on another thread (benches/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: serve_rebuild SITE [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let mut builder = quorum::serve::Builder::new(&root, today, "http://127.0.0.1:1111/");
    let t = Instant::now();
    match builder.rebuild(None) {
        Ok(b) => eprintln!("first build {} ms ({})", t.elapsed().as_millis(), b.timings),
        Err(e) => {
            eprintln!("first build failed: {e:?}");
            std::process::exit(1);
        }
    }
    let note = pick_note(&root);
    let original = std::fs::read_to_string(&note).expect("read note");
    let mut times = Vec::new();
    for i in 0..edits {
        let text = original.replacen("task: ", &format!("task: edit {i} "), 1);
        std::fs::write(&note, text).expect("write note");
        let t = Instant::now();
        let built = timed_rebuild(&mut builder, std::slice::from_ref(&note));
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        times.push(ms);
        match built {
            Ok(mut b) => {
                eprintln!("edit {i}: {ms:.0} ms ({})", b.timings);
                // As serve does: the whole-site files made meanwhile.
                if std::env::var_os("LAZY").is_some() {
                    if let Some(make) = b.delta.deferred.take() {
                        std::thread::spawn(move || make().len());
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            Err(e) => eprintln!("edit {i}: errors {e:?}"),
        }
    }
    std::fs::write(&note, original).expect("restore note");
    times.sort_by(|a, b| a.total_cmp(b));
    eprintln!("median {:.0} ms", times[times.len() / 2]);
}

/// One rebuild, a function of its own so that a profiler can single it out
/// (`valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*timed_rebuild*'`).
#[inline(never)]
fn timed_rebuild(
    builder: &mut quorum::serve::Builder,
    changed: &[PathBuf],
) -> Result<quorum::serve::Built, Vec<quorum::diagnostics::Diagnostic>> {
    builder.rebuild(Some(changed))
}

/// A meeting note in the middle of the site that opens an item.
fn pick_note(root: &Path) -> PathBuf {
    let mut notes: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("task: ")))
        .collect();
    let mid = notes.len() / 2;
    notes.swap_remove(mid)
}
