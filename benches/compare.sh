#!/usr/bin/env bash
# Times `planparse extract` and `planparse convert` against poppler's
# `pdftotext` on the same PDFs in the same run (single-threaded, sequential),
# and prints pages/s and the wall-time ratios.
#   usage: benches/compare.sh [ROUNDS]   (default 20 rounds over corpus/*.pdf)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
cargo build --release -q
bin=target/release/planparse
command -v pdftotext >/dev/null || { echo "pdftotext (poppler-utils) is required" >&2; exit 2; }
files=(corpus/*.pdf)
pages=0
for f in "${files[@]}"; do pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/ {print $2}'))); done
total_pages=$((pages * rounds))
time_of() { # command... -> seconds
  local start end
  start=$(date +%s.%N)
  for _ in $(seq "$rounds"); do for f in "${files[@]}"; do "$@" "$f" >/dev/null 2>&1 || true; done; done
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
t_pdftotext=$(time_of sh -c 'pdftotext -raw -q "$0" -')
t_extract=$(time_of "$bin" extract)
t_convert=$(time_of "$bin" convert)
printf '%-22s %8s %10s %8s\n' tool seconds pages/s ratio
for row in "pdftotext -raw:$t_pdftotext" "planparse extract:$t_extract" "planparse convert:$t_convert"; do
  name=${row%%:*}; t=${row#*:}
  printf '%-22s %8.2f %10.0f %8.2f\n' "$name" "$t" "$(echo "$total_pages / $t" | bc -l)" "$(echo "$t / $t_pdftotext" | bc -l)"
done
echo "($total_pages pages: ${#files[@]} PDFs x $rounds rounds; ratio = wall time / pdftotext's, lower is faster)"
