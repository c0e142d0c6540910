#!/usr/bin/env bash
# Benchmark quorum against Hugo on generated corpora.
#
#   benches/run.sh            # 10k meetings (seed 1) and 1k meetings (seed 1)
#   BENCH_SIZES=1000 benches/run.sh
#   WITH_BUILD=1 benches/run.sh   # also time `quorum build` (once it exists)
#   HUGO_ONLY=1 benches/run.sh    # time Hugo alone (checks the corpora and the Hugo side)
#   QUORUM_FLAGS="--today 2026-11-23" benches/run.sh   # extra flags for both quorum commands
#
# Corpora are written by shared/tools/gen-corpus (with --hugo, the same notes as a Hugo site)
# into target/bench/ when missing. Results: target/bench/*.json (hyperfine --export-json) and a
# summary of medians and ratios on stdout.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
quorum="$target_dir/release/quorum"
sizes="${BENCH_SIZES:-10000 1000}"
with_build="${WITH_BUILD:-0}"
hugo_only="${HUGO_ONLY:-0}"
quorum_flags="${QUORUM_FLAGS:-}"


need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "installing $2" >&2
    if [[ $(id -u) -eq 0 ]]; then
      apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
    else
      sudo apt-get install -y "$2" >/dev/null
    fi
  fi
}
need hyperfine hyperfine
need hugo hugo
need python3 python3

# (a) corpora
# shellcheck disable=SC2086
ensure_corpora $sizes

# (b) quorum in release
if [[ "$hugo_only" != 1 ]]; then
  cargo build --release --quiet
  [[ -x "$quorum" ]] || { echo "no binary at $quorum" >&2; exit 2; }
fi


# (c) timings
summary=()
for n in $sizes; do
  label="$((n / 1000))k"
  site="$bench_dir/site-$label"; hugo_site="$bench_dir/hugo-$label"
  json="$bench_dir/results-$label.json"
  if [[ "$hugo_only" == 1 ]]; then
    hyperfine --warmup 1 --runs 5 --export-json "$json" --command-name hugo "hugo --quiet -s $hugo_site -d $hugo_out"
    summary+=("$label: hugo $(median "$json" 0) s")
    continue
  fi
  cmds=("$quorum check --root $site $quorum_flags" "hugo --quiet -s $hugo_site -d $hugo_out")
  names=("quorum check" "hugo")
  if [[ "$with_build" == 1 ]]; then
    cmds+=("$quorum build --root $site $quorum_flags")
    names+=("quorum build")
  fi
  args=()
  for i in "${!cmds[@]}"; do args+=(--command-name "${names[$i]}" "${cmds[$i]}"); done
  # quorum check exits 1 if the corpus has errors; that would be a bug, so do not ignore failures.
  hyperfine --warmup 1 --runs 5 --export-json "$json" "${args[@]}"
  hugo_median="$(median "$json" 1)"
  line="$label: quorum check $(median "$json" 0) s, hugo $hugo_median s"
  ratio="$(python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$(median "$json" 0)" "$hugo_median")"
  line+=", check/hugo $ratio"
  if [[ "$with_build" == 1 ]]; then
    bratio="$(python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$(median "$json" 2)" "$hugo_median")"
    line+=", quorum build $(median "$json" 2) s, build/hugo $bratio"
  fi
  summary+=("$line")
done

echo
echo "medians (hyperfine, warmup 1, 5 runs; $(nproc) CPUs):"
printf '  %s\n' "${summary[@]}"
