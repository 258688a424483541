#!/usr/bin/env bash
# Installs Debian's Chromium for the widget's browser tests, once. Playwright drives this
# system browser; it never downloads its own (`playwright install` is not used).
# Without a Chromium and without the rights to install one, the browser tests skip and say why.
set -euo pipefail

if [ -n "${PK_CHROMIUM:-}" ] && [ -x "$PK_CHROMIUM" ]; then exit 0; fi
if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then exit 0; fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "browser.sh: no chromium and no apt-get: the browser tests will skip (set PK_CHROMIUM=/path/to/chromium)" >&2
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "browser.sh: no chromium and no root: the browser tests will skip (apt-get install chromium as root)" >&2
    exit 0
  fi
fi
echo "browser.sh: installing chromium for the browser tests"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
