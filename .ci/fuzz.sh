#!/usr/bin/env bash
# Runs each cargo-fuzz target for a bounded time (FUZZ_SECONDS, default 60 s
# each). Skips with a message, exit 0, when cargo-fuzz or a nightly toolchain
# is missing: the main test suite never needs nightly.
#
# Exits non-zero when a target finds a crash, a hang (a unit over 20 s) or an
# OOM (over 2 GiB); the reproducer is in fuzz/artifacts/<target>/. Targets
# are built without AddressSanitizer (`-s none`): the crate forbids unsafe
# code, and the instrumented build takes several times longer on 2 cores.
# FUZZ_SANITIZER=address brings it back.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
sanitizer="${FUZZ_SANITIZER:-none}"
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
targets=(cmap pdf_text convert_pdf text_segment docx)

if ! cargo "+$toolchain" --version >/dev/null 2>&1; then
    echo "fuzz: no $toolchain toolchain (rustup toolchain install nightly); skipping"
    exit 0
fi
if ! cargo "+$toolchain" fuzz --version >/dev/null 2>&1; then
    echo "fuzz: cargo-fuzz not installed (cargo install cargo-fuzz); skipping"
    exit 0
fi

fuzz/seed.sh
echo "fuzz: building ${targets[*]} (sanitizer: $sanitizer)"
nice -n 10 cargo "+$toolchain" fuzz build -s "$sanitizer"

status=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for target in "${targets[@]}"; do
    echo "fuzz: $target for ${seconds}s"
    rc=0
    nice -n 19 cargo "+$toolchain" fuzz run -s "$sanitizer" "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1 || rc=$?
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)|^SUMMARY|Test unit written|^==[0-9]+== ERROR' "$log" || true
    if [ "$rc" -ne 0 ]; then
        tail -n 40 "$log"
        echo "fuzz: $target FAILED (exit $rc); reproducer in fuzz/artifacts/$target/"
        status=1
    fi
done
exit "$status"
