#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with the seed inputs (idempotent): corpus/
# documents, tests/fixtures/bad/ and the minimized regressions under
# tests/fixtures/fuzz/. fuzz/corpus/ is scratch space and not committed.
set -euo pipefail
cd "$(dirname "$0")/.."
seed() {
    local target="$1"; shift
    mkdir -p "fuzz/corpus/$target"
    for f in "$@"; do
        [ -f "$f" ] && cp -n "$f" "fuzz/corpus/$target/" || true
    done
}
shopt -s nullglob
pdfs=(corpus/*.pdf tests/fixtures/bad/*.pdf tests/fixtures/fuzz/*.pdf)
seed pdf_text "${pdfs[@]}"
seed convert_pdf "${pdfs[@]}"
seed text_segment corpus/*.txt corpus/*.md tests/fixtures/bad/*.txt tests/fixtures/fuzz/*.txt
seed docx corpus/*.docx tests/fixtures/fuzz/*.docx
# The CMap target's seeds: the CMap streams inside those PDFs.
if command -v python3 >/dev/null 2>&1; then
    python3 fuzz/cmap_seeds.py
else
    echo "seed: python3 not found; fuzz/corpus/cmap starts empty"
fi
