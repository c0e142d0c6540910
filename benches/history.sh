#!/usr/bin/env bash
# What reading the git history costs `quorum build`.
#
#   benches/history.sh
#   BENCH_DIR=/tmp/b HISTORY_EDITS=500 benches/history.sh
#
# Makes (once) a repository of the 10k gen-corpus (seed 1) with one commit per
# meeting plus 2,000 commits that each change one line of an earlier note, under
# BENCH_DIR (default /work/bench), then times `quorum build` without history
# (`--no-history`), with the walk kept from the last build, and with no kept
# walk; then without history and with history when the parsed notes are not
# kept either (as on a fresh checkout). The builds take turns for
# HISTORY_ROUNDS rounds (default 7); it prints the medians and what history
# adds to them. The issue's bar: history adds at most 1 s.
# HISTORY_NO_REPACK=1 keeps fast-import's own pack (see below) instead of
# repacking it as git gc would.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
quorum="$target_dir/release/quorum"
bench_dir="${BENCH_DIR:-/work/bench}"
edits="${HISTORY_EDITS:-2000}"
corpus="$bench_dir/g10k"
repo="$bench_dir/history-g10k"
out="${HISTORY_OUT:-/tmp/quorum-history-bench}"


mkdir -p "$bench_dir"
if [[ ! -f "$corpus/corpus.json" ]]; then
  [[ -n "$gen_corpus" ]] || { echo "gen-corpus not found; set GEN_CORPUS=/path/to/gen-corpus" >&2; exit 2; }
  echo "generating 10000 meetings (seed 1) into $corpus" >&2
  "$gen_corpus" --meetings 10000 --seed 1 --out "$corpus" >/dev/null
fi

pack="repacked"
[[ -z "${HISTORY_NO_REPACK:-}" ]] || pack="fast-import"
marker="$repo/.bench-edits-$edits-$pack"
if [[ ! -f "$marker" ]]; then
  echo "making $repo: one commit per meeting plus $edits one-line edits" >&2
  rm -rf "$repo"
  git init --quiet --initial-branch=main "$repo"
  python3 "$root/benches/make_history_repo.py" "$corpus" "$edits" | git -C "$repo" fast-import --quiet
  # git-fast-import(1), "Packfile Optimization": its packs are "simply never
  # seen in real use situations" (each object a delta of the one written
  # before it, in chains of 50); it says to repack before any benchmark. A
  # repository built commit by commit gets its deltas from `git gc`, as here.
  if [[ -z "${HISTORY_NO_REPACK:-}" ]]; then
    git -C "$repo" repack -a -d -f --quiet
  fi
  git -C "$repo" checkout --quiet --force main
  touch "$repo/.git/info/exclude" && echo ".bench-edits-*" >>"$repo/.git/info/exclude"
  touch "$marker"
fi
echo "commits: $(git -C "$repo" rev-list --count HEAD)" >&2

cargo build --release --quiet
# A private copy: a shared CARGO_TARGET_DIR may be rebuilt from another tree meanwhile.
cp "$quorum" "$bench_dir/quorum-history-bench"
quorum="$bench_dir/quorum-history-bench"
"$quorum" build --help | grep -q -- --no-history || { echo "$quorum has no --no-history; rebuild" >&2; exit 2; }
rounds="${HISTORY_ROUNDS:-7}"
# The three builds take turns, round after round (the order rotating), so
# that a change in the machine's load falls on all of them alike. Each keeps
# its own output folder, so none rewrites the others' pages.
python3 - "$quorum" "$repo" "$out" "$rounds" <<'EOF_PY'
import os, statistics, subprocess, sys, time
quorum, repo, out, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cache = os.path.join(repo, ".quorum-cache")
walk, notes = os.path.join(cache, "history.bin"), os.path.join(cache, "notes.bin")
base = [quorum, "build", "--root", repo, "--today", "2026-11-23"]
nohist = base + ["--out", out + "-nohist", "--no-history"]
hist = base + ["--out", out]
# (command, kept files removed first)
variants = {
    "without history (--no-history)": (nohist, []),
    "history, kept walk (same HEAD)": (hist, []),
    "history, no kept walk": (hist, [walk]),
    "without history, no kept notes": (nohist, [notes]),
    "history, no kept walk or notes": (hist, [walk, notes]),
}
def run(cmd, gone):
    for f in gone:
        if os.path.exists(f):
            os.remove(f)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t
names = list(variants)
for n in names:  # warm-up: outputs written, caches filled
    run(*variants[n])
times = {n: [] for n in names}
for r in range(rounds):
    for n in names[r % len(names):] + names[: r % len(names)]:
        times[n].append(run(*variants[n]))
med = {n: statistics.median(t) for n, t in times.items()}
for n in names:
    t = sorted(times[n])
    print(f"{n:40} median {med[n]:.3f} s  (min {t[0]:.3f}, max {t[-1]:.3f}, {len(t)} runs)")
b, c = med[names[0]], med[names[3]]
print(f"\nhistory adds: {med[names[1]] - b:.3f} s with a kept walk, {med[names[2]] - b:.3f} s without one,")
print(f"{med[names[4]] - c:.3f} s when neither the walk nor the parsed notes are kept (a fresh checkout)")
EOF_PY
