#!/usr/bin/env bash
# A bounded local load on `planparse serve`, in one run:
#  1. indexes the corpus (every PDF, DOCX and text form) and the HMN plan's
#     next period (tests/fixtures/diff/hmn-2027-2030/new.pdf) into WORKDIR;
#  2. starts `planparse serve` on a free loopback port (THREADS workers);
#  3. runs examples/serve_load.rs: REQUESTS requests from CLIENTS concurrent
#     clients over a mix of every page and API route, one connection each;
#  4. prints errors, req/s and latency percentiles, and stops the server.
# Traffic goes to 127.0.0.1 only; the request count bounds the run (each
# request times out after 30 s, the whole run after 10 minutes).
#   usage: benches/serve_load.sh [REQUESTS] [CLIENTS] [THREADS] [WORKDIR]
#          (defaults: 2000 requests, 16 clients, 4 server workers, target/bench-serve)
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-2000}
clients=${2:-16}
threads=${3:-4}
dir=${4:-target/bench-serve}

cargo build --release -q --bin planparse --example serve_load
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/planparse
load=$target/release/examples/serve_load
mkdir -p "$dir"
db="$dir/plans.sqlite"
rm -f "$db" "$db-wal" "$db-shm"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
"$bin" index "$db" corpus/*.pdf corpus/*.docx corpus/*.txt tests/fixtures/diff/hmn-2027-2030/new.pdf -q

log="$dir/serve.log"
"$bin" serve "$db" --addr 127.0.0.1:0 --threads "$threads" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 50); do
  url=$(grep -o 'http://[^ ]*' "$log" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "serve did not start:"; cat "$log"; exit 1; }
echo "server: $threads workers at $url"
timeout 600 "$load" "$url" "$requests" "$clients"
