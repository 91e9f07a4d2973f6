#!/usr/bin/env bash
# Re-measures the probe table of issue 11 on release builds against the
# fakes on 127.0.0.1 (the `probes` tests, ignored in a normal test run),
# then the memory rows with the two benchmark scripts. Prints a table.
# Usage: scripts/probe-table.sh [--no-bench]   (takes several minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cargo test --release --locked -p musync --test main probes -- --ignored --nocapture --test-threads=1 \
  >"$out" 2>&1 || { tail -40 "$out"; exit 1; }
printf '| probe | result now |\n|---|---|\n'
grep -o 'PROBE|.*' "$out" | sed 's/^PROBE|\(.*\)|\(.*\)$/| \1 | \2 |/'
if [ "${1:-}" != --no-bench ]; then
  echo
  scripts/bench-hostile.sh
  echo
  scripts/bench-million.sh 1000000
fi
