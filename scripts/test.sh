#!/usr/bin/env bash
# Runs musync's whole test suite. Installs what the tests use for real when it
# is missing and this machine can (Debian/Ubuntu as root): Chromium for the
# browser sign-in and web wizard tests, gnome-keyring for the keyring test,
# supysonic (a Subsonic server, run under waitress) and mpd for the
# self-hosted server tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
  || command -v google-chrome >/dev/null 2>&1 || need+=(chromium)
command -v gnome-keyring-daemon >/dev/null 2>&1 || need+=(gnome-keyring)
command -v dbus-run-session >/dev/null 2>&1 || need+=(dbus-daemon)
command -v dbus-launch >/dev/null 2>&1 || need+=(dbus-x11)
command -v supysonic-server >/dev/null 2>&1 || need+=(supysonic)
/usr/bin/python3 -c 'import waitress' >/dev/null 2>&1 || need+=(python3-waitress)
command -v mpd >/dev/null 2>&1 || need+=(mpd)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing: ${need[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "warning: missing ${need[*]}; install them (e.g. sudo apt-get install ${need[*]})" >&2
  fi
fi

cargo test --workspace --locked "$@"

# The OS keyring for real: a private D-Bus session with an unlocked
# gnome-keyring, then the keyring tests that are ignored elsewhere.
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "== keyring tests (gnome-keyring in a private D-Bus session)"
  # A fresh keyring dir: an existing login keyring would not unlock with
  # this password, and the user's own keyring stays untouched.
  keyring_home=$(mktemp -d)
  XDG_DATA_HOME="$keyring_home" XDG_RUNTIME_DIR="$keyring_home" \
    dbus-run-session -- sh -c 'echo musync-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; cargo test --locked -p musync-store keyring -- --include-ignored'
  rm -rf "$keyring_home"
else
  echo "warning: skipping the keyring tests (no dbus-run-session or gnome-keyring-daemon)" >&2
fi
