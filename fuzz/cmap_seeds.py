#!/usr/bin/env python3
"""Writes the CMap seeds of the `cmap` fuzz target into fuzz/corpus/cmap/.

Every stream of the corpus and fixture PDFs is inflated (Flate or
uncompressed) and kept when it is a CMap (`begincmap`, `beginbfchar`,
`beginbfrange`, `begincidrange`); each seed is named by its SHA-1, so a rerun
adds nothing twice. Streams inside object streams are not CMaps, so a plain
scan for `stream ... endstream` finds them all. Run from anywhere:
`python3 fuzz/cmap_seeds.py`. The seeds are not committed; this script is.
"""
import hashlib
import pathlib
import re
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus" / "cmap"
SOURCES = ["corpus/*.pdf", "tests/fixtures/bad/*.pdf", "tests/fixtures/fuzz/*.pdf"]
MARKERS = (b"begincmap", b"beginbfchar", b"beginbfrange", b"begincidrange")
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def streams(data):
    for m in STREAM.finditer(data):
        raw = m.group(1)
        try:
            yield zlib.decompressobj().decompress(raw, 16 << 20)
        except zlib.error:
            yield raw


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    added = 0
    for pattern in SOURCES:
        for pdf in sorted(ROOT.glob(pattern)):
            for data in streams(pdf.read_bytes()):
                if any(m in data for m in MARKERS):
                    path = OUT / hashlib.sha1(data).hexdigest()
                    if not path.exists():
                        path.write_bytes(data)
                        added += 1
    # Hand-written seeds for what the corpus lacks: code-space ranges of
    # several lengths, cid ranges, array destinations, usecmap, Differences.
    extra = {
        "mixed.cmap": b"/Adobe-Japan1-UCS2 usecmap\n2 begincodespacerange <00> <80> <8140> <FFFF> "
        b"endcodespacerange\n1 begincidrange <8140> <817e> 633 endcidrange\n1 begincidchar <41> 34 "
        b"endcidchar\n2 beginbfrange <20> <7e> <0020> <8140> <8142> [<3000> /uni3001 <D835DC00>] "
        b"endbfrange\n1 beginbfchar <0a> /f_i endbfchar\n[1 /oslash /aring 200 /uni00E6 /g17]",
    }
    for name, data in extra.items():
        path = OUT / name
        if not path.exists():
            path.write_bytes(data)
            added += 1
    print(f"cmap seeds: {added} added, {len(list(OUT.iterdir()))} in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
