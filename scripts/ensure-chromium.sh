#!/usr/bin/env bash
# The proof-verifier page test drives Debian's Chromium (/usr/bin/chromium) with playwright-core, which never
# downloads a browser of its own. This installs Debian's chromium package when the binary is missing, running
# apt-get update only when the install fails on a stale package index, and says what it did.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "ensure-chromium: $CHROMIUM is missing and we are not root and have no sudo: install Debian's chromium package." >&2
  exit 1
fi
install_chromium() {
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
}
echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium package..."
if ! install_chromium; then
  echo "ensure-chromium: install failed; running apt-get update and retrying..."
  "${SUDO[@]}" apt-get update -qq
  install_chromium
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
