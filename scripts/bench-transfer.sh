#!/usr/bin/env bash
# Whole-library transfer benchmark (release build): the fake Amazon Music
# (20 playlists of 50 songs and a My Music of SONGS songs carrying ISRCs)
# moved into a fake Spotify that answers after 50 ms and allows RATE
# requests per rolling WINDOW_S seconds (429 with Retry-After beyond, as
# Spotify does). Prints wall time against the floor the rate limit sets,
# Spotify requests and searches per song, 429s received and peak RSS; then
# runs the same transfer again (it must add nothing).
# Usage: scripts/bench-transfer.sh [--no-isrc] [SONGS [RATE [WINDOW_S]]]
#   (default 5000 songs, 1500 requests per 30 s)
set -euo pipefail
cd "$(dirname "$0")/.."
isrc=()
if [[ ${1:-} == --no-isrc ]]; then
  isrc=(--no-isrc)
  shift
fi
songs=${1:-5000}
rate=${2:-1500}
window=${3:-30}
target=${CARGO_TARGET_DIR:-target}
cargo build --release --locked -p musync -p bench-fakes >/dev/null 2>&1 \
  || cargo build --release --locked -p musync -p bench-fakes
bin=$target/release/musync
dir=$(mktemp -d)

coproc FAKES {
  "$target/release/bench-fakes" --dir "$dir" --songs "$songs" --playlists 20 \
    --playlist-size 50 --latency-ms 50 --rate "$rate" --window-s "$window" "${isrc[@]}"
}
fakes_pid=$FAKES_PID
trap 'kill "$fakes_pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
while read -r line <&"${FAKES[0]}"; do
  [[ $line == ready ]] && break
  eval "$line" # export MUSYNC_…=http://127.0.0.1:PORT…
done
ask() { # a command to the fakes, and their one-line answer
  echo "$1" >&"${FAKES[1]}"
  read -r answer <&"${FAKES[0]}"
  echo "$answer"
}
export MUSYNC_SECRET_BACKEND=file
data=$dir/data
id() { python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }

amazon=$("$bin" --data-dir "$data" accounts add amazon --cookies "$BENCH_AMAZON_COOKIES" --json | id)
# Spotify's sign-in: the fake approves at once; fetching the printed URL
# lands on musync's loopback listener.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" --data-dir "$data" accounts add spotify --client-id "$BENCH_SPOTIFY_CLIENT_ID" \
  --no-browser --port "$port" --json >"$dir/spotify.json" 2>"$dir/signin.log" &
signin=$!
url=
for _ in $(seq 200); do
  url=$(grep -o 'http[^ ]*/authorize?[^ ]*' "$dir/signin.log" | head -n 1 || true)
  [[ -n $url ]] && break
  sleep 0.05
done
curl -sfL "$url" >/dev/null
wait "$signin"
spotify=$(id <"$dir/spotify.json")

run() { # $1: label
  ask mark >/dev/null
  /usr/bin/time -f "%e %M" -o "$dir/time" \
    "$bin" --data-dir "$data" transfer "$amazon" "$spotify" --yes --json >"$dir/out.json" \
    || { echo "transfer failed:"; cat "$dir/out.json"; exit 1; }
  python3 - "$1" "$dir/out.json" "$dir/time" "$(ask stats)" "$songs" "$rate" "$window" "${isrc[*]:-}" <<'PY'
import json, sys
label, out, timing, stats, songs, rate, window, no_isrc = sys.argv[1:]
out, stats = json.load(open(out)), json.loads(stats)
wall, rss_kb = open(timing).read().split()
moved = int(songs) + 20 * 50  # My Music and the 20 playlists' entries
per = lambda n: n / moved
served = stats["spotify_requests"] - stats["spotify_429"]
floor = served / (int(rate) / int(window))
print(f"{label} ({'no ISRCs' if no_isrc else 'with ISRCs'}): {moved} songs in "
      f"{len(out['playlists'])} playlists; added {out['added']}, not found {out['not_found']}, "
      f"skipped {out['skipped']}, failed {out['failed']}")
print(f"  wall {float(wall):.1f} s (rate-limit floor {floor:.1f} s for {served} requests at "
      f"{rate}/{window} s), peak RSS {int(rss_kb) / 1024:.1f} MB")
print(f"  Spotify: {stats['spotify_requests']} requests = {per(stats['spotify_requests']):.3f}/song, "
      f"{stats['spotify_searches']} searches = {per(stats['spotify_searches']):.3f}/song, "
      f"{stats['spotify_writes']} writes, {stats['spotify_429']} answered 429")
print(f"  Spotify now holds {stats['spotify_playlists']} playlists with "
      f"{stats['spotify_playlist_songs']} songs and {stats['spotify_liked']} Liked Songs; "
      f"Amazon got {stats['amazon_requests']} requests")
PY
}
run "first run"
run "second run"
