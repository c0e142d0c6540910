#!/usr/bin/env bash
# What the search index costs `quorum build`: hyperfine medians of 5 runs, in one run, of
#   quorum build               (search included)
#   quorum build --no-search
# on the 1k and 10k corpora, and Hugo on the 10k one (no search), for the ratio.
#
#   benches/search.sh
#   BENCH_SIZES=1000 benches/search.sh
#   QUORUM=/path/to/quorum benches/search.sh   # time that binary instead of building one
#
# Corpora: shared/tools/gen-corpus (seed 1) into target/bench/ when missing, as benches/run.sh.
# Results: target/bench/search-*.json and a summary on stdout.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sizes="${BENCH_SIZES:-1000 10000}"
out="${BENCH_OUT:-/tmp/quorum-search-bench}"
flags="--today 2026-11-23"

for tool in hyperfine hugo python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "needs $tool (apt-get install -y $tool)" >&2; exit 2; }
done

# shellcheck disable=SC2086
ensure_corpora $sizes

quorum="$(quorum_binary)"

diff_s() { python3 -c 'import sys; print("%+.3f" % (float(sys.argv[1]) - float(sys.argv[2])))' "$1" "$2"; }

summary=()
for n in $sizes; do
  label="$((n / 1000))k"
  site="$bench_dir/site-$label"; hugo_site="$bench_dir/hugo-$label"
  json="$bench_dir/search-$label.json"
  args=(--command-name "build" "$quorum build --root $site --out $out-$label $flags"
        --command-name "build --no-search" "$quorum build --root $site --out $out-$label-ns --no-search $flags")
  if [[ "$n" -ge 10000 ]]; then
    args+=(--command-name "hugo" "hugo --quiet -s $hugo_site -d $hugo_out")
  fi
  hyperfine --warmup 1 --runs 5 --export-json "$json" "${args[@]}"
  with="$(median "$json" 0)"; without="$(median "$json" 1)"
  line="$label: build $with s, --no-search $without s, search adds $(diff_s "$with" "$without") s"
  if [[ "$n" -ge 10000 ]]; then
    hugo="$(median "$json" 2)"
    line+=", hugo $hugo s, build/hugo $(ratio "$with" "$hugo")"
  fi
  summary+=("$line")
done

echo
echo "medians (hyperfine, warmup 1, 5 runs; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '  %s\n' "${summary[@]}"
