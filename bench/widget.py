"""The chat widget's weight and its time to first answer in a real browser.

    .venv/bin/python -m bench.widget

Size: widget.js and widget.css as served, raw and gzip-compressed (level 6, what web servers
use by default). Time: the browser test `test_time_to_first_answer` (headless Chromium on the
demo page, the real Rasa and action servers on a fresh seeded catalogue) from pressing Enter
to the answer on screen, five questions; it writes var/artifacts/widget-timing.json.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

from settings import REPO_ROOT

STATIC = REPO_ROOT / "api" / "static"


def sizes() -> dict[str, tuple[int, int]]:
    out = {}
    for name in ("widget.js", "widget.css"):
        raw = (STATIC / name).read_bytes()
        out[name] = (len(raw), len(gzip.compress(raw, compresslevel=6)))
    return out


def main() -> None:
    measured = sizes()
    for name, (raw, packed) in measured.items():
        print(f"{name}: {raw} B, gzip {packed} B")
    print(f"total gzip: {sum(p for _, p in measured.values())} B")
    test = "tests/test_widget_browser.py::test_time_to_first_answer"
    subprocess.run([sys.executable, "-m", "pytest", "-q", test], cwd=REPO_ROOT, check=True)
    timing = json.loads((REPO_ROOT / "var" / "artifacts" / "widget-timing.json").read_text())
    print("time to first answer (ms):", timing["time_to_first_answer_ms"], "median", timing["median_ms"])


if __name__ == "__main__":
    main()
