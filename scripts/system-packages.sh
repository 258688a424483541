#!/usr/bin/env bash
# Installs the Debian packages the tests drive, once: Chromium for the widget's browser tests
# (Playwright drives this system browser; `playwright install` is never used) and nginx for the
# production set-up (`make production` and tests/test_production.py).
# Without them and without the rights to install them, those tests skip and say why.
set -euo pipefail

wanted=()
if [ -z "${PK_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ] && ! command -v chromium >/dev/null 2>&1; then
  wanted+=(chromium)
fi
if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null 2>&1; then
  wanted+=(nginx-light)
fi
if [ ${#wanted[@]} -eq 0 ]; then exit 0; fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-packages.sh: no apt-get to install ${wanted[*]}: those tests will skip (PK_CHROMIUM=/path/to/chromium for the browser)" >&2
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "system-packages.sh: no root to install ${wanted[*]}: those tests will skip (apt-get install ${wanted[*]} as root)" >&2
    exit 0
  fi
fi
echo "system-packages.sh: installing ${wanted[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${wanted[@]}"
# Debian starts nginx on port 80 when it installs it; the production set-up runs its own.
if command -v service >/dev/null 2>&1; then "${as_root[@]}" service nginx stop >/dev/null 2>&1 || true; fi
