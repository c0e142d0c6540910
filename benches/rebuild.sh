#!/usr/bin/env bash
# In-place rebuild of a 10k-meeting site with one changed note: this quorum
# against a previous binary, in one hyperfine run (medians).
#   benches/rebuild.sh [BASE_BINARY]   (default /work/bin/quorum-base)
# Each binary builds its own copy of the corpus (their caches differ), into
# an output folder it built once before; before every timed run one note
# changes (a line toggled), so each build renders and writes that change.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-/work/bin/quorum-base}
work=${BENCH_DIR:-$here/target/bench/rebuild}
new=$work/quorum-new
mkdir -p "$work"
cargo build --release --manifest-path "$here/Cargo.toml" >/dev/null
cp "${CARGO_TARGET_DIR:-$here/target}/release/quorum" "$new"
for who in base new; do
  if [ ! -d "$work/$who" ]; then
    ${GEN_CORPUS:-/work/shared/tools/gen-corpus} --meetings 10000 --seed 1 --out "$work/$who" >/dev/null
  fi
done
note() { find "$work/$1/content" -name '*.md' ! -name '_group.md' | sort | head -1; }
toggle() { # appends or removes one line of the first note
  local f; f=$(note "$1")
  if grep -q '^Toggled line$' "$f"; then sed -i '/^Toggled line$/d' "$f"; else echo 'Toggled line' >> "$f"; fi
}
"$base" build --root "$work/base" --out public --today 2026-11-23 >/dev/null 2>&1
"$new" build --root "$work/new" --out public --today 2026-11-23 >/dev/null 2>&1
export -f toggle note; export work
hyperfine -N --warmup 2 --runs ${RUNS:-10} \
  --prepare "bash -c 'toggle base'" -n base "$base build --root $work/base --out public --today 2026-11-23" \
  --prepare "bash -c 'toggle new'" -n new "$new build --root $work/new --out public --today 2026-11-23" \
  --export-json "$work/rebuild.json"
python3 - "$work/rebuild.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
b, n = r["base"]["median"], r["new"]["median"]
print(f"median base {b:.3f} s, new {n:.3f} s, new/base {n/b:.2f}x")
PY
