#!/usr/bin/env bash
# Speed and weight against Hugo, in one run per corpus size:
#   time   hyperfine, builds taking turns, output folders removed before each run:
#            quorum build --no-search               (parsed-note cache warm)
#            quorum build --no-search --no-cache
#            hugo --quiet -s HUGO_TWIN -d OUT
#            quorum check                            (cache warm; no Hugo counterpart)
#          and, with QUORUM_BASE=/path/to/other/quorum, that binary's cached build too
#   memory peak resident set of each build (/usr/bin/time -v), one run each
#   stages QUORUM_TIMINGS=1 of one cached build
#   weight bytes and files per kind of page (benches/weight.py), quorum against Hugo
# and prints the ratios to Hugo.
#
#   benches/speed-weight.sh                               # 10k meetings, seed 1
#   SIZES="1000 10000 100000" RUNS=3 benches/speed-weight.sh   # the scale series
#   OUT_DIR=/dev/shm/sw benches/speed-weight.sh           # outputs on tmpfs
#   QUORUM=/path/to/quorum benches/speed-weight.sh        # time that binary, build none
#
# Corpora: gen-corpus (seed $BENCH_SEED, default 1; it is found as benches/lib.sh says: set
# GEN_CORPUS=/path/to/gen-corpus on a fresh clone) writes each size and its Hugo twin into
# $CORPUS_DIR (default target/bench/) when missing. Outputs go to $OUT_DIR (default
# target/bench/out). Results: $CORPUS_DIR/speed-weight-<size>.json (hyperfine) and a summary.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sizes="${SIZES:-10000}"
runs="${RUNS:-5}"
warmup="${WARMUP:-1}"
out_dir="${OUT_DIR:-$bench_dir/out}"
flags="${QUORUM_FLAGS:---today 2026-11-23}"

for tool in hyperfine hugo python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "needs $tool (apt-get install -y $tool)" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }

# shellcheck disable=SC2086
ensure_corpora $sizes

quorum="$(quorum_binary)"
base="${QUORUM_BASE:-}"
mkdir -p "$out_dir"

# Peak resident set in MiB of one run of "$@" (its output is dropped).
peak() { /usr/bin/time -f '%M' -o "$out_dir/.peak" "$@" >/dev/null 2>&1 || true; echo $(( $(tail -1 "$out_dir/.peak") / 1024 )); }

summary=()
for n in $sizes; do
  label="$((n / 1000))k"
  site="$bench_dir/site-$label"; hugo_site="$bench_dir/hugo-$label"
  q_out="$out_dir/quorum-$label"; qn_out="$out_dir/quorum-nocache-$label"
  h_out="$out_dir/hugo-$label"; b_out="$out_dir/base-$label"
  json="$bench_dir/speed-weight-$label.json"
  build="$quorum build --root $site --no-search $flags --out"
  # Warm the parsed-note cache (and check the build succeeds).
  $build "$q_out" >/dev/null 2>&1 || { echo "quorum build failed on $site" >&2; $build "$q_out"; exit 1; }
  cmds=(--command-name "quorum build" "$build $q_out"
        --command-name "quorum build --no-cache" "$build $qn_out --no-cache"
        --command-name "hugo" "hugo --quiet -s $hugo_site -d $h_out"
        --command-name "quorum check" "$quorum check --root $site $flags")
  if [[ -n "$base" ]]; then
    # A copy of the site of its own: each binary keys the parsed-note cache by its build.
    base_site="$bench_dir/site-$label-base"
    [[ -d "$base_site" ]] || { cp -r "$site" "$base_site"; rm -rf "$base_site/.quorum-cache"; }
    "$base" build --root "$base_site" --no-search $flags --out "$b_out" >/dev/null 2>&1 || true
    cmds+=(--command-name "base build" "$base build --root $base_site --no-search $flags --out $b_out")
  fi
  echo "== $label: $n meetings" >&2
  # quorum check exits 1 on a corpus with errors (gen-corpus writes warnings only): -i keeps going.
  hyperfine -i --warmup "$warmup" --runs "$runs" --prepare "rm -rf $q_out $qn_out $h_out $b_out" \
    --export-json "$json" "${cmds[@]}" >&2
  tq="$(median "$json" 0)"; tn="$(median "$json" 1)"; th="$(median "$json" 2)"; tc="$(median "$json" 3)"

  rm -rf "$q_out" "$qn_out" "$h_out"
  mq="$(peak $build "$q_out")"
  rm -rf "$qn_out"; mn="$(peak $build "$qn_out" --no-cache)"
  rm -rf "$h_out"; mh="$(peak hugo --quiet -s "$hugo_site" -d "$h_out")"
  echo "-- stages (QUORUM_TIMINGS=1, cached build into a fresh folder)"
  rm -rf "$q_out"; QUORUM_TIMINGS=1 $build "$q_out" 2>&1 | grep '^timing:' | sed 's/^timing: /   /'
  echo "-- weight ($label)"
  python3 "$root/benches/weight.py" "$q_out" "$h_out" --json "$bench_dir/weight-$label.json"
  qb="$(du -sb --exclude=.quorum-cache "$q_out" | cut -f1)"; hb="$(du -sb "$h_out" | cut -f1)"

  line="$label: build $tq s ($(ratio "$tq" "$th")x hugo), --no-cache $tn s ($(ratio "$tn" "$th")x), hugo $th s; check $tc s"
  line+=$'\n'"      peak memory: build $mq MiB ($(ratio "$mq" "$mh")x hugo), --no-cache $mn MiB ($(ratio "$mn" "$mh")x), hugo $mh MiB"
  line+=$'\n'"      output: $((qb / 1000000)) MB ($(ratio "$qb" "$hb")x hugo's $((hb / 1000000)) MB)"
  if [[ -n "$base" ]]; then
    line+=$'\n'"      base build $(median "$json" 4) s (this build / base $(ratio "$tq" "$(median "$json" 4)"))"
  fi
  summary+=("$line")
done

echo
echo "medians (hyperfine, warmup $warmup, $runs runs, $(nproc) CPUs; quorum $flags, --no-search):"
printf '  %s\n' "${summary[@]}"
