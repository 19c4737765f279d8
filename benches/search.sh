#!/usr/bin/env bash
# Benchmarks the SQLite dataset against grep on the same data, in one run:
#  1. generates MEASURES synthetic measures (examples/gen_dataset.rs: words
#     drawn from the corpus text by a bigram chain, written through the
#     dataset's own Writer, then `optimize`), and the same measures as JSONL;
#  2. times `planparse search DB QUERY -n 10` (the whole process: start, open,
#     plan, rank, print) for 20 queries, ROUNDS rounds after one warm-up round;
#  3. times `grep -ci QUERY` over the JSONL for the same queries (after the
#     JSONL is in the page cache, like the database);
#  4. prints the index build rate, p50/p99 search latency, grep's median, the
#     ratios and the database size per million measures.
#   usage: benches/search.sh [MEASURES] [ROUNDS] [WORKDIR]
#          (defaults: 1000000 measures, 5 rounds, target/bench-search;
#          REUSE=1 keeps a dataset generated before in WORKDIR)
#   extra arguments for `planparse search` (e.g. --rank-window 300) in SEARCH_ARGS
set -euo pipefail
cd "$(dirname "$0")/.."
measures=${1:-1000000}
rounds=${2:-5}
dir=${3:-target/bench-search}
export LC_ALL=C.UTF-8 # grep -i folds ø/Ø, æ/Æ, å/Å like the search does

queries=(
  "forskningsstøtte" "støtte" "kliniske studier" "biobank" "kvalitetsregistre"
  "brukermedvirkning" "doktorgrad" "innovasjon" "persontilpasset medisin" "e-helse"
  "Helseforetakene" "rekruttering" "publisering" "internasjonalt samarbeid" "forskningsinfrastruktur"
  "KLINBEFORSK" "helsedata" "Avd. ledere" "nivå 2" "tverrfaglig"
)

cargo build --release -q --bin planparse --example gen_dataset
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/planparse
gen=$target/release/examples/gen_dataset
mkdir -p "$dir"
db="$dir/bench.sqlite"
jsonl="$dir/bench.jsonl"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
if [ -n "${REUSE:-}" ] && [ -s "$dir/gen.txt" ] && [ -f "$db" ] && [ -f "$jsonl" ]; then
  echo "reusing the dataset in $dir (REUSE is set):"
  cat "$dir/gen.txt"
else
  rm -f "$db" "$db-wal" "$db-shm" "$jsonl"
  echo "generating $measures measures ..."
  "$gen" "$db" "$jsonl" "$measures" 2>/dev/null | tee "$dir/gen.txt"
fi
value() { grep "^$1=" "$dir/gen.txt" | cut -d= -f2; }

ms_since() { echo "($EPOCHREALTIME - $1) * 1000" | bc -l; }

# Warm-up: one search and one grep per query (page cache, SQLite's first reads).
for q in "${queries[@]}"; do
  "$bin" search "$db" "$q" -n 10 >/dev/null 2>&1
  grep -ci -- "$q" "$jsonl" >/dev/null || true
done

: >"$dir/search.ms"
: >"$dir/grep.ms"
printf '%-26s %9s %12s %9s %11s\n' query "hits" "grep count" "search ms" "grep ms" >"$dir/queries.txt"
for q in "${queries[@]}"; do
  total=0
  for _ in $(seq "$rounds"); do
    start=$EPOCHREALTIME
    "$bin" search "$db" "$q" -n 10 ${SEARCH_ARGS:-} >/dev/null 2>&1
    t=$(ms_since "$start")
    echo "$t" >>"$dir/search.ms"
    total=$(echo "$total + $t" | bc -l)
  done
  start=$EPOCHREALTIME
  count=$(grep -ci -- "$q" "$jsonl" || true)
  g=$(ms_since "$start")
  echo "$g" >>"$dir/grep.ms"
  hits=$("$bin" search "$db" "$q" -n 10 --json 2>/dev/null | grep -c '"unit"' || true)
  printf '%-26s %9s %12s %9.1f %11.1f\n' "$q" "$hits" "$count" "$(echo "$total / $rounds" | bc -l)" "$g" >>"$dir/queries.txt"
done
cat "$dir/queries.txt"

# Nearest-rank percentile of a file of numbers.
percentile() { sort -n "$1" | awk -v p="$2" '{v[NR]=$1} END {i=int(p/100*NR+0.999999); if (i<1) i=1; print v[i]}'; }
p50=$(percentile "$dir/search.ms" 50)
p99=$(percentile "$dir/search.ms" 99)
grep_median=$(percentile "$dir/grep.ms" 50)
rm -f "$dir/grep.ms"
db_bytes=$(stat -c %s "$db")
jsonl_bytes=$(stat -c %s "$jsonl")
n=$(value measures)

echo
printf 'measures:                   %s (%s documents)\n' "$n" "$(value documents)"
printf 'index build:                %.0f measures/s (%.1f s, of which optimize %.1f s)\n' "$(value index_rate)" "$(value index_seconds)" "$(value optimize_seconds)"
printf 'search latency (%d samples): p50 %.1f ms, p99 %.1f ms\n' "$(wc -l <"$dir/search.ms")" "$p50" "$p99"
printf 'grep -ci median:            %.1f ms\n' "$grep_median"
printf 'grep median / search p50:   %.1fx (target >= 50x)\n' "$(echo "$grep_median / $p50" | bc -l)"
printf 'grep median / search p99:   %.1fx (target > 1x)\n' "$(echo "$grep_median / $p99" | bc -l)"
printf 'database:                   %.0f MB per million measures (%.0f MB)\n' "$(echo "$db_bytes / $n * 1000000 / 1048576" | bc -l)" "$(echo "$db_bytes / 1048576" | bc -l)"
printf 'JSONL:                      %.0f MB per million measures\n' "$(echo "$jsonl_bytes / $n * 1000000 / 1048576" | bc -l)"
