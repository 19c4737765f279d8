#!/usr/bin/env bash
# OCR speed: `planparse extract` on the scanned fixtures (render, straighten,
# find rulings, Tesseract, layout) against `pdftoppm -r 300 -gray` + `tesseract
# -l nor tsv` run directly on the same pages, in the same run. Both on one
# core (RAYON_NUM_THREADS=1, OMP_THREAD_LIMIT=1), so the ratio is planparse's
# overhead per page, not parallelism; prints pages/s and the ratio.
#   usage: benches/ocr.sh [ROUNDS]   (default 1 round over tests/fixtures/scans/*.scan.pdf)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-1}
cargo build --release -q
bin=target/release/planparse
for t in pdftoppm tesseract; do command -v $t >/dev/null || { echo "$t is required (poppler-utils, tesseract-ocr tesseract-ocr-nor)" >&2; exit 2; }; done
files=(tests/fixtures/scans/*.scan.pdf)
pages=0
for f in "${files[@]}"; do pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/ {print $2}'))); done
total_pages=$((pages * rounds))
export RAYON_NUM_THREADS=1 OMP_THREAD_LIMIT=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
direct() { # pdf -> renders and reads each page as planparse does, without the rest
  local n; n=$(pdfinfo "$1" | awk '/^Pages:/ {print $2}')
  for p in $(seq "$n"); do
    pdftoppm -r 300 -gray -f "$p" -l "$p" "$1" > "$tmp/p.pgm"
    tesseract "$tmp/p.pgm" stdout -l nor --dpi 300 --psm 3 tsv > /dev/null 2>&1
  done
}
time_of() { # command... -> seconds
  local start end
  start=$(date +%s.%N)
  for _ in $(seq "$rounds"); do for f in "${files[@]}"; do "$@" "$f" >/dev/null 2>&1 || true; done; done
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
t_direct=$(time_of direct)
t_extract=$(time_of "$bin" extract --layout)
t_convert=$(time_of "$bin" convert)
printf '%-32s %8s %10s %8s\n' tool seconds pages/s ratio
for row in "pdftoppm + tesseract:$t_direct" "planparse extract --layout:$t_extract" "planparse convert:$t_convert"; do
  name=${row%%:*}; t=${row#*:}
  printf '%-32s %8.2f %10.3f %8.2f\n' "$name" "$t" "$(echo "$total_pages / $t" | bc -l)" "$(echo "$t / $t_direct" | bc -l)"
done
