#!/usr/bin/env python3
"""Runs planparse over hostile inputs and reports what issue 18 forbids.

    python3 tests/hostile/gen_pdf.py            # 4,000 PDF mutants -> target/mutants/pdf
    python3 tests/hostile/gen_docx_text.py      # DOCX and text cases -> target/mutants/{docx,text}
    python3 scripts/hostile_run.py [--bin target/release/planparse] [--jobs 2] [DIR ...]

Each file is converted by its own `planparse convert FILE` with default settings
(so with the per-document budget: 1 GiB, 60 s; `--args` adds flags, `--every N`
samples). Counted per file:
  abort      the process died by a signal or exited 134 (SIGABRT) / 101 (Rust panic exit)
  panic      "panicked" on stderr
  internal   "internal error" on stderr (a panic or a worker crash caught and reported)
  slow       over 20 s of wall time
  memory     peak RSS over 512 MiB (of planparse and its worker: wait4's ru_maxrss)
  budget     failed with "memory limit exceeded" or "time limit exceeded" (the budget
             held; listed, not a failure in itself)
plus the exit codes. The run exits 1 when any abort, panic, internal, slow or memory
case is found. Offenders are listed in target/mutants/report.txt (or --report).
"""
import argparse
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

SLOW_S = 20.0
MEMORY_KIB = 512 * 1024
KILL_S = 180.0


def run_one(binary, path, extra):
    started = time.monotonic()
    with open(os.devnull, 'wb') as devnull:
        proc = subprocess.Popen([binary, 'convert', path] + extra, stdout=devnull, stderr=subprocess.PIPE)
    killed = False
    # stderr is read on a thread while the process is waited for.
    chunks = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stderr.read()))
    reader.start()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > KILL_S:
            proc.kill()
            killed = True
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    stderr = b''.join(chunks).decode('utf-8', 'replace')
    return {
        'path': path,
        'code': proc.returncode,
        'seconds': time.monotonic() - started,
        'rss_kib': usage.ru_maxrss,
        'stderr': stderr,
        'killed': killed,
    }


def classify(r):
    kinds = []
    if r['killed'] or r['code'] < 0 or r['code'] in (101, 134):
        kinds.append('abort')
    if 'panicked' in r['stderr']:
        kinds.append('panic')
    if 'internal error' in r['stderr']:
        kinds.append('internal')
    if r['seconds'] > SLOW_S:
        kinds.append('slow')
    if r['rss_kib'] > MEMORY_KIB:
        kinds.append('memory')
    if 'memory limit exceeded' in r['stderr'] or 'time limit exceeded' in r['stderr']:
        kinds.append('budget')
    return kinds


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('dirs', nargs='*', default=['target/mutants/pdf', 'target/mutants/docx', 'target/mutants/text'])
    ap.add_argument('--bin', default='target/release/planparse')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--report', default='target/mutants/report.txt')
    ap.add_argument('--every', type=int, default=1, help='take every Nth file of each folder (a sample)')
    ap.add_argument('--args', default='', help='more flags for convert, e.g. "--ocr never" (OCR makes a run of all mutants take hours)')
    args = ap.parse_args()
    files = []
    for d in args.dirs:
        if not os.path.isdir(d):
            print(f'hostile_run: {d}: no such folder (generate it first, see --help)', file=sys.stderr)
            return 2
        files += sorted(os.path.join(d, f) for f in os.listdir(d) if not f.startswith('.'))[::args.every]
    started = time.monotonic()
    results = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for i, r in enumerate(pool.map(lambda p: run_one(args.bin, p, args.args.split()), files), 1):
            results.append(r)
            if i % 500 == 0:
                print(f'hostile_run: {i}/{len(files)} files, {time.monotonic() - started:.0f} s', file=sys.stderr)
    counts = {k: 0 for k in ['abort', 'panic', 'internal', 'slow', 'memory', 'budget']}
    codes = {}
    offenders = []
    for r in results:
        kinds = classify(r)
        for k in kinds:
            counts[k] += 1
        codes[r['code']] = codes.get(r['code'], 0) + 1
        if kinds:
            last = r['stderr'].strip().splitlines()[-1:] or ['']
            offenders.append(f"{','.join(kinds)}\t{r['path']}\tcode {r['code']}\t{r['seconds']:.1f} s\t{r['rss_kib'] // 1024} MiB\t{last[0][:300]}")
    peak = max(results, key=lambda r: r['rss_kib']) if results else None
    slowest = max(results, key=lambda r: r['seconds']) if results else None
    os.makedirs(os.path.dirname(args.report) or '.', exist_ok=True)
    with open(args.report, 'w') as f:
        f.write('\n'.join(offenders) + '\n')
    print(f'hostile_run: {len(results)} files in {time.monotonic() - started:.0f} s')
    print('  ' + ', '.join(f'{v} {k}' for k, v in counts.items()))
    print('  exit codes: ' + ', '.join(f'{c}: {n}' for c, n in sorted(codes.items())))
    if peak:
        print(f"  peak RSS {peak['rss_kib'] // 1024} MiB ({peak['path']}); slowest {slowest['seconds']:.1f} s ({slowest['path']})")
    print(f'  offenders listed in {args.report}')
    bad = sum(counts[k] for k in ['abort', 'panic', 'internal', 'slow', 'memory'])
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
