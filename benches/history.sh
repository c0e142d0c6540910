#!/usr/bin/env bash
# What reading the git history costs `quorum build`.
#
#   benches/history.sh
#   BENCH_DIR=/tmp/b HISTORY_EDITS=500 benches/history.sh
#
# Makes (once) a repository of the 10k gen-corpus (seed 1) with one commit per
# meeting plus 2,000 commits that each change one line of an earlier note, under
# BENCH_DIR (default /work/bench), then times `quorum build` with and without
# `--no-history` with hyperfine (warmup 1, 5 runs) and prints the medians and
# their difference. The issue's bar: history adds at most 1 s.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
quorum="$target_dir/release/quorum"
bench_dir="${BENCH_DIR:-/work/bench}"
edits="${HISTORY_EDITS:-2000}"
corpus="$bench_dir/g10k"
repo="$bench_dir/history-g10k"
out="${HISTORY_OUT:-/tmp/quorum-history-bench}"


if ! command -v hyperfine >/dev/null 2>&1; then
  echo "installing hyperfine" >&2
  apt-get install -y hyperfine >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y hyperfine >/dev/null; }
fi

mkdir -p "$bench_dir"
if [[ ! -f "$corpus/corpus.json" ]]; then
  [[ -n "$gen_corpus" ]] || { echo "gen-corpus not found; set GEN_CORPUS=/path/to/gen-corpus" >&2; exit 2; }
  echo "generating 10000 meetings (seed 1) into $corpus" >&2
  "$gen_corpus" --meetings 10000 --seed 1 --out "$corpus" >/dev/null
fi

if [[ ! -f "$repo/.bench-edits-$edits" ]]; then
  echo "making $repo: one commit per meeting plus $edits one-line edits" >&2
  rm -rf "$repo"
  git init --quiet --initial-branch=main "$repo"
  python3 "$root/benches/make_history_repo.py" "$corpus" "$edits" | git -C "$repo" fast-import --quiet
  git -C "$repo" checkout --quiet --force main
  touch "$repo/.git/info/exclude" && echo ".bench-edits-*" >>"$repo/.git/info/exclude"
  touch "$repo/.bench-edits-$edits"
fi
echo "commits: $(git -C "$repo" rev-list --count HEAD)" >&2

cargo build --release --quiet
# A private copy: a shared CARGO_TARGET_DIR may be rebuilt from another tree meanwhile.
cp "$quorum" "$bench_dir/quorum-history-bench"
quorum="$bench_dir/quorum-history-bench"
"$quorum" build --help | grep -q -- --no-history || { echo "$quorum has no --no-history; rebuild" >&2; exit 2; }
json="$bench_dir/history-results.json"
hyperfine --warmup 1 --runs 5 --export-json "$json" \
  --command-name "build --no-history" "$quorum build --root $repo --out $out --today 2026-11-23 --no-history" \
  --command-name "build (history)" "$quorum build --root $repo --out $out --today 2026-11-23"
python3 - "$json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
a, b = r[0]["median"], r[1]["median"]
print(f"\nmedians: without history {a:.3f} s, with history {b:.3f} s, history adds {b - a:.3f} s")
EOF
