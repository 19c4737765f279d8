#!/usr/bin/env bash
# Runs each cargo-fuzz target for a bounded time (FUZZ_SECONDS, default 60).
# Skips with a message when cargo-fuzz is not installed; exits non-zero only
# when a target finds a crash, a hang (timeout) or an OOM.
#
# The toolchain is stable; RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
targets=(pdf_text convert_pdf text_segment docx)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: cargo-fuzz not installed (cargo install cargo-fuzz); skipping"
    exit 0
fi

export RUSTC_BOOTSTRAP=1
# Seeds live in git; libFuzzer's own finds go to a scratch corpus folder.
fuzz/seed.sh

status=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for target in "${targets[@]}"; do
    echo "fuzz: $target for ${seconds}s"
    rc=0
    cargo fuzz run "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1 || rc=$?
    grep -E '^stat::number_of_executed_units|^SUMMARY|Test unit written|^==[0-9]+== ERROR' "$log" || true
    if [ "$rc" -ne 0 ]; then
        tail -n 40 "$log"
        echo "fuzz: $target FAILED (exit $rc); reproducer in fuzz/artifacts/$target/"
        status=1
    fi
done
exit "$status"
