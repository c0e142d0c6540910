//! Times reading a site's git history alone (the part `quorum build` adds):
//!
//!     cargo run --release --example history_walk -- SITE_ROOT [RUNS]
//!
//! Prints the commits, files and lines read and the median wall time of RUNS reads.

use quorum::history::SiteHistory;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: history_walk SITE_ROOT [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let root = std::path::PathBuf::from(root);
    let config = quorum::config::SiteConfig::load(&root).unwrap_or_default();
    let dirs = config.source_dirs();
    let mut times = Vec::new();
    let mut last = SiteHistory::default();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        last = SiteHistory::committed(&root, &dirs);
        let walked = t.elapsed().as_secs_f64();
        last.overlay_worktree(&root, &dirs);
        eprintln!(
            "walk {walked:.3} s, work tree {:.3} s",
            t.elapsed().as_secs_f64() - walked
        );
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let edited = last
        .lines
        .values()
        .filter(|l| matches!(l, quorum::history::LineOrigins::Each(_)))
        .count();
    println!(
        "{} commits referred to, {} files ({} changed after they were added); median {:.3} s over {} runs (min {:.3}, max {:.3})",
        last.commits.len(),
        last.files.len(),
        edited,
        times[times.len() / 2],
        times.len(),
        times[0],
        times[times.len() - 1]
    );
    for n in &last.notes {
        println!("note: {n}");
    }
}
