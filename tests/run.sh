#!/usr/bin/env bash
# Runs the test suite (`cargo test --release`, extra arguments passed on) and
# then lists the tests that skipped for lack of an external tool (pdftotext,
# tesseract, chromium): `cargo test` hides what passing tests print, so each
# skip appends a line to target/tmp/skipped-tests.txt (tests/common/mod.rs),
# and this script prints them at the end. With PLANPARSE_REQUIRE_TOOLS=1 (as
# `.ci/run` sets) such a test fails instead of skipping.
#
# Exit status: cargo test's.
set -uo pipefail
cd "$(dirname "$0")/.."

log="${CARGO_TARGET_DIR:-target}/tmp/skipped-tests.txt"
rm -f "$log"
cargo test --release "$@"
status=$?
if [ -s "$log" ]; then
    count=$(wc -l < "$log" | tr -d ' ')
    echo
    echo "SKIPPED: $count test(s) did not run for lack of a tool (install it, or set PLANPARSE_REQUIRE_TOOLS=1 to fail instead):"
    sort "$log" | sed 's/^/  /'
else
    echo
    echo "No test skipped for lack of a tool."
fi
exit "$status"
