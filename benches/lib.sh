# Shared by the benchmark scripts: the repository root, the target folder and gen-corpus.
# gen-corpus is looked for at $GEN_CORPUS, then ../shared/tools/gen-corpus beside the checkout,
# shared/tools/gen-corpus inside it and /work/shared/tools/gen-corpus. Corpora go to
# $CORPUS_DIR (default target/bench/).
# shellcheck shell=bash
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
bench_dir="${CORPUS_DIR:-$root/target/bench}"
hugo_out="${HUGO_OUT:-/tmp/hugo-out}"
seed="${BENCH_SEED:-1}"

gen_corpus=""
for candidate in "${GEN_CORPUS:-}" "$root/../shared/tools/gen-corpus" "$root/shared/tools/gen-corpus" /work/shared/tools/gen-corpus; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then gen_corpus="$candidate"; break; fi
done
[[ -n "$gen_corpus" ]] || { echo "gen-corpus not found; set GEN_CORPUS=/path/to/gen-corpus" >&2; exit 2; }

# Writes the gen-corpus sites (and their Hugo twins) for each size in "$@" into $bench_dir when missing.
ensure_corpora() {
  mkdir -p "$bench_dir"
  local n label site hugo_site
  for n in "$@"; do
    label="$((n / 1000))k"
    site="$bench_dir/site-$label"; hugo_site="$bench_dir/hugo-$label"
    if [[ ! -f "$site/corpus.json" || ! -f "$hugo_site/config.yaml" ]]; then
      echo "generating $n meetings (seed $seed) into $site and $hugo_site" >&2
      "$gen_corpus" --meetings "$n" --seed "$seed" --out "$site" --hugo "$hugo_site" >/dev/null
    fi
  done
}

# The quorum binary to time: $QUORUM when set, else a release build of this checkout.
quorum_binary() {
  local q="${QUORUM:-}"
  if [[ -z "$q" ]]; then
    cargo build --release --quiet
    q="$target_dir/release/quorum"
  fi
  [[ -x "$q" ]] || { echo "no binary at $q" >&2; exit 2; }
  printf '%s\n' "$q"
}

# median FILE N: the Nth command's median (s) in a hyperfine --export-json file.
median() { python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"])' "$1" "$2"; }
# ratio A B: A / B to two places.
ratio() { python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }
