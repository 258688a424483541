"""PK_SECRET_KEY: production will not start without it; development shares one key (issue 12).

The key signs staff tokens and keys the conversation hashes of the answer figures, so the API
and the action server must hash a family's conversation alike, or it can be neither joined nor
erased.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from settings import REPO_ROOT, Settings

HASH_OF_A_CONVERSATION = "from office.insights import conversation_key; print(conversation_key('family-1'))"


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without any key or environment setting, plus `settings`."""
    env = {key: value for key, value in os.environ.items() if key not in ("PK_SECRET_KEY", "PK_ENVIRONMENT")}
    return {**env, **settings}


def run(arguments: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *arguments], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_two_development_processes_hash_a_conversation_alike(tmp_path: Path):
    key_file = tmp_path / "var" / "secret_key"
    env = environment(PK_SECRET_KEY_FILE=str(key_file))
    # Started together, as `make run` starts the API and the action server: the first makes the key.
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", HASH_OF_A_CONVERSATION],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    hashes = [process.communicate(timeout=120)[0].strip() for process in processes]
    assert all(process.returncode == 0 for process in processes)
    assert hashes[0] == hashes[1] and len(hashes[0]) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 48
    # A later process (a restart) reads the same key.
    assert run(["-c", HASH_OF_A_CONVERSATION], env).stdout.strip() == hashes[0]


def test_development_keeps_the_key_it_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("PK_SECRET_KEY", raising=False)
    monkeypatch.delenv("PK_ENVIRONMENT", raising=False)
    monkeypatch.setenv("PK_SECRET_KEY_FILE", str(tmp_path / "secret_key"))
    first = Settings().secret_key
    assert first == Settings().secret_key == (tmp_path / "secret_key").read_text().strip()
    monkeypatch.setenv("PK_SECRET_KEY", "set-by-the-operator")
    assert Settings().secret_key == "set-by-the-operator"


def test_the_default_key_file_is_in_var():
    assert Settings.__fields__["secret_key_file"].default == REPO_ROOT / "var" / "secret_key"


def test_make_production_refuses_to_start_without_the_key(tmp_path: Path):
    directory = tmp_path / "production"
    done = run(["-m", "deploy.production", "--directory", str(directory)], environment())
    assert done.returncode != 0
    # argparse's "error:" line, before any other complaint (the tracker and lock stores are unset too).
    assert "error: PK_SECRET_KEY is not set" in done.stderr and "secrets.token_urlsafe" in done.stderr
    assert not directory.exists()  # nothing written, nothing started


def test_a_production_process_refuses_to_start_without_the_key(tmp_path: Path):
    done = run(["-c", "import api.main"], environment(PK_ENVIRONMENT="production"))
    assert done.returncode != 0 and "will not start without it" in done.stderr
    started = run(["-c", "import api.main"], environment(PK_ENVIRONMENT="production", PK_SECRET_KEY="k" * 48))
    assert started.returncode == 0, started.stderr[-2000:]
