#!/usr/bin/env bash
# Batch throughput of `planparse convert -o` against poppler's `pdftotext` on the
# same files, in one run:
#   1. a batch of >= MIN_PAGES pages: corpus/*.pdf replicated (symlinks) into a temp dir;
#   2. planparse convert --jobs 1 and --jobs 2, pdftotext sequential and with xargs -P2:
#      wall and CPU seconds, pages/s, peak RSS (/usr/bin/time -f %M), best of ROUNDS;
#   3. one generated plan of >= 1,000 pages (a long HTML plan with headings and
#      Tiltak | Ansvar tables printed to PDF by LibreOffice; without soffice, corpus
#      PDFs concatenated with qpdf): time per page against the corpus average.
# pdftotext runs once per file (it has no batch mode) and writes to /dev/null;
# planparse runs once per batch and writes one JSON file per input.
#   usage: benches/batch.sh [MIN_PAGES]          (default 2000; ROUNDS=3 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
min_pages=${1:-2000}
rounds=${ROUNDS:-3}
for tool in pdftotext pdfinfo /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "benches/batch.sh: $tool is required" >&2; exit 2; }
done
cargo build --release -q
bin=$PWD/target/release/planparse
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pages_of() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }

# 1. The replicated corpus.
files=(corpus/*.pdf)
set_pages=0
for f in "${files[@]}"; do set_pages=$((set_pages + $(pages_of "$f"))); done
copies=$(((min_pages + set_pages - 1) / set_pages))
for c in $(seq -w 1 "$copies"); do
  mkdir -p "$work/in/$c"
  for f in "${files[@]}"; do ln -s "$PWD/$f" "$work/in/$c/"; done
done
pages=$((set_pages * copies))
nfiles=$((${#files[@]} * copies))
find "$work/in" -name '*.pdf' | sort >"$work/list"

# measure LABEL PAGES COMMAND...: best wall time of $rounds runs (with its CPU
# time) and the highest peak RSS; sets wall, cpu, rss_mib.
measure() {
  local label=$1 n=$2 best="" r w u s m rss_kib=0
  shift 2
  for r in $(seq "$rounds"); do
    rm -rf "$work/out"
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || {
      echo "$label failed:" >&2
      tail -n 5 "$work/stderr" >&2
    }
    read -r w u s m <"$work/time"
    if [ -z "$best" ] || (($(echo "$w < $best" | bc -l))); then
      best=$w
      cpu=$(echo "$u + $s" | bc -l)
    fi
    rss_kib=$((m > rss_kib ? m : rss_kib))
  done
  rss_mib=$(((rss_kib + 1023) / 1024))
  wall=$best
  printf '%-32s %8.2f %8.2f %10.0f %10.0f %9s\n' "$label" "$wall" "$cpu" "$(echo "$n / $wall" | bc -l)" "$(echo "$n / $cpu" | bc -l)" "$rss_mib"
}

echo "batch: $nfiles PDFs, $pages pages (${#files[@]} corpus PDFs x $copies); best of $rounds runs; $(nproc) cores"
printf '%-32s %8s %8s %10s %10s %9s\n' run wall_s cpu_s pages/s pages/cpu_s rss_MiB
measure "pdftotext (sequential)" "$pages" xargs -a "$work/list" -P1 -I{} pdftotext -q {} /dev/null
t_pdf1=$wall
measure "pdftotext (xargs -P2)" "$pages" xargs -a "$work/list" -P2 -I{} pdftotext -q {} /dev/null
t_pdf2=$wall
measure "planparse convert --jobs 1" "$pages" "$bin" convert "$work/in" -o "$work/out" --jobs 1 --quiet
t_pp1=$wall cpu_pp1=$cpu rss_pp1=$rss_mib
measure "planparse convert --jobs 2" "$pages" "$bin" convert "$work/in" -o "$work/out" --jobs 2 --quiet
t_pp2=$wall rss_pp2=$rss_mib

# long_plan AREAS SOURCE_TEXT: an HTML action plan (title, organization, period; per area a
# numbered heading, prose and three numbered sub-areas, each with a Tiltak | Ansvar table)
# from sentences of SOURCE_TEXT, the same every run. 510 areas print to about 1,020 pages.
long_plan() {
  python3 - "$@" <<'PY'
import html, re, sys
areas, src = int(sys.argv[1]), sys.argv[2]
text = re.sub(r"\s+", " ", open(src, encoding="utf-8").read())
sentences = [x.strip() + "." for x in re.split(r"(?<=[a-zæøå])\. ", text) if 40 < len(x.strip()) < 300 and "Tiltak" not in x]
state = 12345
def rnd(n):  # a fixed LCG: the same plan on every machine
    global state
    state = (state * 1103515245 + 12345) % (1 << 31)
    return state % n
def prose(min_words):
    out = sentences[rnd(len(sentences))]
    while len(out.split()) < min_words:
        out += " " + sentences[rnd(len(sentences))]
    return html.escape(out)
def heading():
    return " ".join(prose(0).rstrip(".").split()[:10])
units = ["Helse Midt-Norge RHF", "Helseforetakene", "St. Olavs hospital HF", "Helse Møre og Romsdal HF", "Helse Nord-Trøndelag HF", "NTNU", "Regionalt forskningsutvalg"]
out = ['<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Regional handlingsplan for forskning 2030-2033</title>',
       '<style>body{font-family:"Liberation Sans";font-size:11pt} td,th{vertical-align:top}</style></head><body>',
       "<h1>Regional handlingsplan for forskning 2030-2033</h1><p>Helse Midt-Norge RHF</p>"]
for a in range(1, areas + 1):
    out.append(f"<h1>{a} {heading()}</h1><p>{prose(40)}</p>")
    for b in range(1, 4):
        out.append(f"<h2>{a}.{b} {heading()}</h2><p>{prose(25)}</p>")
        out.append('<table border="1" cellpadding="4" cellspacing="0" width="100%"><tr><th width="70%">Tiltak</th><th>Ansvar</th></tr>')
        for _ in range(4 + rnd(4)):
            responsible = "<br>".join(units[rnd(len(units))] for _ in range(1 + rnd(2)))
            out.append(f"<tr><td>{prose(12)}</td><td>{responsible}</td></tr>")
        out.append("</table>")
out.append("</body></html>")
sys.stdout.write("\n".join(out))
PY
}

# 3. The long plan, cached between runs (LibreOffice takes about a minute for it).
cache=target/bench
mkdir -p "$cache"
long=$cache/plan-1000.pdf
if [ ! -s "$long" ]; then
  if command -v soffice >/dev/null; then
    long_plan 510 corpus/hmn-2023-2026.txt >"$work/plan-1000.html"
    soffice --headless --convert-to pdf:writer_web_pdf_Export --outdir "$work" "$work/plan-1000.html" >/dev/null 2>&1
    mv "$work/plan-1000.pdf" "$long"
  else
    hmn=corpus/hmn-2023-2026.pdf
    n=$(((1000 + $(pages_of "$hmn") - 1) / $(pages_of "$hmn")))
    qpdf --empty --pages $(for _ in $(seq "$n"); do printf '%s ' "$hmn"; done) -- "$long"
  fi
fi
long_pages=$(pages_of "$long")
measure "planparse, one $long_pages-page plan" "$long_pages" "$bin" convert "$long" -o "$work/out" --quiet
t_long=$wall cpu_long=$cpu

ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
echo
echo "convert --jobs 1 wall / pdftotext sequential wall: $(ratio "$t_pp1" "$t_pdf1")   (target <= 0.8)"
echo "convert --jobs 2 wall / pdftotext xargs -P2 wall:  $(ratio "$t_pp2" "$t_pdf2")"
echo "scaling, convert --jobs 1 -> 2:                   $(ratio "$t_pp1" "$t_pp2")x  (target >= 1.7; pdftotext -P1 -> -P2 on this machine now: $(ratio "$t_pdf1" "$t_pdf2")x)"
echo "peak RSS of the whole batch:                      ${rss_pp1} MiB (--jobs 1), ${rss_pp2} MiB (--jobs 2)  (target <= 200)"
ms() { printf '%.2f' "$(echo "1000 * $1 / $2" | bc -l)"; }
echo "time per page, $long_pages-page plan vs corpus:     $(ms "$t_long" "$long_pages") ms vs $(ms "$t_pp1" "$pages") ms wall = $(ratio "$(ms "$t_long" "$long_pages")" "$(ms "$t_pp1" "$pages")")x; $(ms "$cpu_long" "$long_pages") ms vs $(ms "$cpu_pp1" "$pages") ms CPU = $(ratio "$(ms "$cpu_long" "$long_pages")" "$(ms "$cpu_pp1" "$pages")")x  (target <= 1.5)"
