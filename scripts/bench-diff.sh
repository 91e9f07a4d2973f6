#!/usr/bin/env bash
# Whole-process benchmark of `musync diff` on two N-song CSV playlists
# (release build, CSV parsing included): wall time and peak memory.
# Usage: scripts/bench-diff.sh [N [unicode|western]]   (default 100000 unicode)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 scripts/gen-playlists.py "$n" "$dir/left.csv" "$dir/right.csv" "${2:-unicode}"
cargo build --release --locked -p musync >/dev/null 2>&1 || cargo build --release --locked -p musync
bin=target/release/musync
for run in 1 2 3; do
  /usr/bin/time -f "run $run: %e s wall, %M KB peak RSS" \
    "$bin" --data-dir "$dir/data" diff "$dir/left.csv" "$dir/right.csv" --json >"$dir/diff.json"
done
python3 - "$dir/diff.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"matched {len(d['matched'])}, only left {len(d['only_left'])}, only right {len(d['only_right'])}")
PY
