#!/usr/bin/env bash
# Aligning two converted 300-measure plans vs converting them.
#
# Generates two versions of a 300-measure plan (30 goals x 10 coded rows,
# rows replicated from corpus/krn-2020-2022.docx with their labels and
# strategy texts varied; a second version with ~30 rewordings, 10 removals,
# 7 additions, 6 moves and 15 re-assignments; a third with every measure
# reworded, the worst case, where no measure can be paired before scoring),
# as DOCX and, when LibreOffice is installed, as PDF; then runs
# examples/diff_bench.rs, which prints the median time of converting both
# files and of `diff::compare` on the results.
#
# Usage: benches/diff.sh [WORKDIR]     (RUNS=5 by default; needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
mkdir -p "$work"

python3 - "$work" <<'PY'
import os, sys, zipfile
sys.path.insert(0, "tests/fixtures/diff")
from make_fixtures import spans, plain, set_paragraph_texts, Numbering, element_with

out = sys.argv[1]
src = "corpus/krn-2020-2022.docx"
with zipfile.ZipFile(src) as z:
    parts = {n: z.read(n) for n in z.namelist()}
xml = parts["word/document.xml"].decode("utf-8")
ha, hb = element_with(xml, "p", "Hovedmål 1: Skape flere")
heading = xml[ha:hb]
tables = [xml[a:b] for a, b in spans(xml, "tbl")]
first = tables[0]
tr = spans(first, "tr")
table_head, header_row, table_tail = first[: tr[0][0]], first[tr[0][0]: tr[0][1]], first[tr[-1][1]:]
rows = [t[a:b] for t in tables for (a, b) in spans(t, "tr")[1:]]
goals = ["Skape flere fremragende forskningsmiljøer", "Styrke den kliniske forskningen", "Forbedre forskningsorganiseringen",
         "Styrke vårt internasjonale samarbeid", "Styrke forskning basert på forskningsbiobanker"]
letters = "abcdefghijkl"


def cells_of(row):
    return [row[a:b] for a, b in spans(row, "tc")]


def make_row(numbering, template, label, ref_suffix, responsible=None):
    row = numbering.renumber(template)
    cs = spans(row, "tc")
    out, pos = [], 0
    for n, (a, b) in enumerate(cs):
        cell = row[a:b]
        texts = [t for t in [plain(cell[x:y]).strip() for x, y in spans(cell, "p")] if t]
        if n == 0:
            ref = texts[0].split(" ", 1)[1] if " " in texts[0] else texts[0]
            cell = set_paragraph_texts(cell, [(label, f"{ref} {ref_suffix}")] + [None] * (len(texts) - 1))
        elif n == 2 and responsible:
            cell = set_paragraph_texts(cell, [responsible] + [None] * (len(texts) - 1))
        out += [row[pos:a], cell]
        pos = b
    return "".join(out) + row[pos:]


def plan(edited):
    numbering = Numbering(parts["word/numbering.xml"].decode("utf-8"))
    body = []
    moved_in = {}
    for g in range(1, 31):
        table_rows = []
        for k in range(10):
            template = rows[(g * 10 + k) % len(rows)]
            suffix = f"innen område {g}{letters[k]}"
            responsible = None
            if edited == "all":
                suffix = f"og i samarbeid med område {g}{letters[k]}"  # every measure reworded: nothing to pair up front
            elif edited:
                if k == 9 and g % 3 == 0:
                    continue  # removed
                if (g + k) % 10 == 0:
                    suffix += " og styrke samarbeidet nasjonalt og internasjonalt"  # reworded
                if k == 5 and g % 2 == 0:
                    responsible = "Klinikkledelsen"  # re-assigned
                if k == 0 and g % 5 == 1:
                    moved_in.setdefault(g + 1, []).append((template, suffix))  # moved to the next goal
                    continue
            table_rows.append(make_row(numbering, template, f"{g}{letters[k]}", suffix, responsible))
        if edited is True:
            for template, suffix in moved_in.get(g, []):
                table_rows.append(make_row(numbering, template, f"{g}k", suffix))
            if g % 4 == 0:
                table_rows.append(make_row(numbering, rows[(g * 7) % len(rows)], f"{g}l", f"gjennom et nytt tiltak for digital samhandling {g}"))
        title = f"Hovedmål {g}: {goals[(g - 1) % 5]} (del {g})"
        body.append(set_paragraph_texts(heading, [title]))
        body.append(table_head + header_row + "".join(table_rows) + table_tail)
    start = xml.index("<w:body>") + len("<w:body>")
    end = xml.rindex("<w:sectPr")
    doc = xml[:start] + "".join(body) + xml[end:]
    return doc, numbering.xml


for name, edited in [("plan300-old", False), ("plan300-new", True), ("plan300-rewritten", "all")]:
    doc, numbering = plan(edited)
    p = dict(parts)
    p["word/document.xml"] = doc.encode("utf-8")
    p["word/numbering.xml"] = numbering.encode("utf-8")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(os.path.join(out, f"{name}.docx"), "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, p[info.filename])
print(f"generated {out}/plan300-old.docx, plan300-new.docx, plan300-rewritten.docx")
PY

pairs=("$work/plan300-old.docx" "$work/plan300-new.docx" "$work/plan300-old.docx" "$work/plan300-rewritten.docx")
if command -v soffice >/dev/null 2>&1; then
  soffice "-env:UserInstallation=file://$work/lo-profile" --headless --convert-to pdf --outdir "$work" \
    "$work/plan300-old.docx" "$work/plan300-new.docx" "$work/plan300-rewritten.docx" >/dev/null 2>&1
  pairs=("$work/plan300-old.pdf" "$work/plan300-new.pdf" "$work/plan300-old.pdf" "$work/plan300-rewritten.pdf" "${pairs[@]}")
else
  echo "soffice not found: PDF pair skipped (apt-get install -y libreoffice-writer fonts-crosextra-carlito)"
fi
cargo run --quiet --release --example diff_bench -- "${pairs[@]}"
