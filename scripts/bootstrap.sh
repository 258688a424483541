#!/usr/bin/env bash
# Creates .venv with Python 3.10 (Rasa 3.6 does not install on 3.11) and installs the project.
# Re-runs the install only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.10; do
    if [ -n "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      command -v "$candidate"
      return
    fi
  done
  local root
  root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
  for candidate in "$root"/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
    if [ -x "$candidate" ]; then
      echo "$candidate"
      return
    fi
  done
  echo "Python 3.10 not found: install it (e.g. 'pyenv install 3.10') or set PYTHON=/path/to/python3.10" >&2
  return 1
}

stamp=.venv/.installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
if [ ! -x .venv/bin/python ]; then
  "$(find_python)" -m venv .venv
fi
.venv/bin/pip install --quiet --upgrade pip wheel "setuptools<70"
.venv/bin/pip install --quiet -e ".[dev]"
echo "$want" > "$stamp"
