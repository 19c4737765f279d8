#!/usr/bin/env bash
# Convert time against page count: a table plan (corpus/hlk-2021-2025.pdf,
# 6 pages of measure tables) repeated with qpdf to about 12, 120, 1,200 and
# 3,000 pages, each converted once by `planparse convert` and, as the peer in
# the same run, read by `pdftotext`. Prints seconds, ms per page and the ratio;
# linear work shows as a flat ms-per-page column.
#   usage: benches/pages_linear.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v qpdf >/dev/null || { echo "qpdf is required (Debian: qpdf)" >&2; exit 2; }
command -v pdftotext >/dev/null || { echo "pdftotext is required (Debian: poppler-utils)" >&2; exit 2; }
cargo build --release -q
bin=target/release/planparse
src=corpus/hlk-2021-2025.pdf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
printf '%7s %10s %9s %12s %9s\n' pages convert_s ms/page pdftotext_s ratio
for copies in 2 20 200 500; do
  pdf=$work/plan-$copies.pdf
  args=(); for _ in $(seq "$copies"); do args+=("$src"); done
  qpdf --empty --pages "${args[@]}" -- "$pdf"
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  t=$(seconds "$bin" convert "$pdf" --timeout 600)
  p=$(seconds pdftotext -raw -q "$pdf" -)
  printf '%7d %10.2f %9.2f %12.2f %9.2f\n' "$pages" "$t" "$(echo "$t * 1000 / $pages" | bc -l)" "$p" "$(echo "$t / $p" | bc -l)"
done
