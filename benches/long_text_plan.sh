#!/usr/bin/env bash
# Segmentation stays linear: times `planparse convert` on generated text plans
# of 5,000, 10,000 and 20,000 lines (aligned `Tiltak | Ansvar | Frist` tables
# under numbered headings, labelled list items with field lines, prose), and
# against `wc -l` on the same file as the floor of reading it once.
#   usage: benches/long_text_plan.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/planparse
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make_plan() { # lines -> file
  python3 - "$1" "$2" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
lines = ["Handlingsplan for forskning 2025–2028", "Helse Eksempel HF", ""]
s = 0
while len(lines) < n:
    s += 1
    lines += [f"{s} Innsatsområde nummer {s}", "Målet er at flere pasienter skal delta i studier i hele perioden.", ""]
    lines.append("Tiltak" + " " * 58 + "Ansvar" + " " * 22 + "Frist")
    for r in range(8):
        lines.append(f"Etablere tiltak {s}.{r} for kliniske studier med støtte til   " + "Forskningsavdelingen".ljust(28) + "2026")
        lines.append("alle klinikker og forskningsgrupper i foretaket.".ljust(64) + "og klinikkene")
    lines.append("")
    lines += [f"Tiltak {s}.9", "Styrke samarbeidet med universitetet om felles stillinger.", "Ansvarlig: Fagdirektør", "Frist: 2027", "Indikator: Antall stillinger", ""]
open(out, "w").write("\n".join(lines[:n]) + "\n")
PY
}
printf '%-8s %10s %10s %10s\n' lines seconds measures ms/line
for n in 5000 10000 20000; do
  f="$tmp/plan-$n.txt"
  make_plan "$n" "$f"
  start=$(date +%s.%N)
  measures=$("$bin" convert "$f" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["measures"]))')
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc -l)
  printf '%-8s %10.3f %10s %10.4f\n' "$n" "$t" "$measures" "$(echo "$t * 1000 / $n" | bc -l)"
done
echo "(linear when ms/line stays flat from 5,000 to 20,000 lines)"
