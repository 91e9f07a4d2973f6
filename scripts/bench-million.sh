#!/usr/bin/env bash
# Whole-process benchmark of `musync sync` on two N-row CSV playlists
# (release build; reading, diff, plan, journal and the atomic write of both
# files included): wall time and peak memory. Issue 11's target is at most
# 1 GB peak RSS at 1,000,000 rows; it measured 2.98 GB at a million a side.
# On the 2-core machine of 2026-12-03 (mimalloc, purge delay 0, buffered
# stdout): a million a side 40-43 s, 0.98 GB (77 s and 1.62-1.73 GB the day
# before, 103 s and 3.52 GB before that). Later that day, at a busier hour
# (alternating runs): plan and report sized up front 0.97 GB, 62-66 s; files
# not searched 0.92-0.93 GB, 51-54 s; 500,000 a side 21-22 s, 0.48 GB.
# Usage: scripts/bench-million.sh [N [unicode|western]]   (default 1000000 unicode)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 scripts/gen-playlists.py "$n" "$dir/left.csv" "$dir/right.csv" "${2:-unicode}"
cargo build --release --locked -p musync >/dev/null 2>&1 || cargo build --release --locked -p musync
bin=${CARGO_TARGET_DIR:-target}/release/musync
echo "rows per side: $n ($(du -h "$dir/left.csv" | cut -f1) + $(du -h "$dir/right.csv" | cut -f1))"
for run in 1 2; do
  cp "$dir/left.csv" "$dir/l.csv"
  cp "$dir/right.csv" "$dir/r.csv"
  rm -rf "$dir/data"
  /usr/bin/time -f "sync run $run: %e s wall, %M KB peak RSS, exit %x" \
    "$bin" --data-dir "$dir/data" sync "$dir/l.csv" "$dir/r.csv" --yes --json >"$dir/report.json"
done
python3 - "$dir/report.json" "$dir/l.csv" "$dir/r.csv" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"added {r['added']}, skipped {r['skipped']}, not found {r['not_found']}, failed {r['failed']}")
for p in sys.argv[2:]:
    print(f"{p.rsplit('/', 1)[1]}: {sum(1 for _ in open(p, encoding='utf-8')) - 1} rows after")
PY
# A second sync of the now equal pair: read and compare only.
/usr/bin/time -f "sync again (nothing to do): %e s wall, %M KB peak RSS, exit %x" \
  "$bin" --data-dir "$dir/data" sync "$dir/l.csv" "$dir/r.csv" --yes --json >/dev/null
