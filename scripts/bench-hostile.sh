#!/usr/bin/env bash
# Peak memory and time of musync refusing paths that are not playlists
# (issue 11): a link to /dev/zero, a FIFO with no writer, a sparse file
# above the 512 MiB limit, and for scale a real file just under it.
# Each run is capped by `timeout 60` (a hang shows as exit 124).
# Usage: scripts/bench-hostile.sh   (release build)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo build --release --locked -p musync >/dev/null 2>&1 || cargo build --release --locked -p musync
bin=${CARGO_TARGET_DIR:-target}/release/musync
printf '#EXTM3U\n#EXTINF:200,Band - Song\n/m/1.mp3\n' >"$dir/good.m3u8"
ln -s /dev/zero "$dir/zero.m3u8"
mkfifo "$dir/pipe.m3u8"
truncate -s 600M "$dir/sparse.m3u8"
# 510 MiB of real entries: read in full (the bound is what is measured).
python3 - "$dir/big.m3u8" <<'PY'
import sys
line = "#EXTINF:200,Some Band - A Rather Long Song Title Number {0}\n/music/some/folder/{0}.flac\n"
with open(sys.argv[1], "w") as f:
    f.write("#EXTM3U\n")
    i, size = 0, 0
    while size < 510 * 1024 * 1024:
        s = line.format(i); f.write(s); size += len(s); i += 1
PY
before=$(sha256sum "$dir/good.m3u8")
printf '| input | command | exit | wall s | peak RSS MB | first line of stderr |\n|---|---|---|---|---|---|\n'
for name in zero.m3u8 pipe.m3u8 sparse.m3u8 big.m3u8; do
  for cmd in tracks sync; do
    case $cmd in
      tracks) args=(tracks "$dir/$name" --json) ;;
      sync) args=(sync "$dir/$name" "$dir/good.m3u8" --direction to-right --yes)
            # The real file is read in full; a dry run keeps good.m3u8 as it is.
            [ "$name" = big.m3u8 ] && args+=(--dry-run) ;;
    esac
    set +e
    /usr/bin/time -v -o "$dir/time.txt" timeout 60 "$bin" --data-dir "$dir/data" "${args[@]}" \
      >/dev/null 2>"$dir/err.txt"
    code=$?
    set -e
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$dir/time.txt")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time.txt")
    err=$(grep -v '^\s*$' "$dir/err.txt" | head -1 | sed "s|$dir/||g" | cut -c1-110)
    printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$cmd" "$code" "$wall" "$rss" "$err"
  done
done
after=$(sha256sum "$dir/good.m3u8")
[ "$before" = "$after" ] && echo "good.m3u8 untouched" || echo "good.m3u8 CHANGED"
