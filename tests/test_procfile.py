"""`make run` starts the Procfile's processes: each must come up, not only import."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from settings import REPO_ROOT
from tests.stack import free_port, wait_for


def procfile() -> dict[str, list[str]]:
    lines = (REPO_ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    return {name: shlex.split(command) for name, _, command in (line.partition(":") for line in lines)}


def test_the_api_process_serves_health(catalog_url: str, tmp_path: Path):
    port = free_port()
    # The Procfile's own command line; a later --port wins over the one it names.
    command = procfile()["api"] + ["--port", str(port)]
    log = (tmp_path / "api.log").open("wb")
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process, timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
