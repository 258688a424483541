"""Starts the real stack (action server and Rasa server) on free ports, for tests and benchmarks."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from bot.serve import rasa_command
from settings import REPO_ROOT, Settings

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


class Stack:
    """The Rasa server and the action server, talking to the catalogue at `database_url`."""

    def __init__(
        self, database_url: str, workdir: Path, *, enable_api: bool = False, cors: str | None = None
    ) -> None:
        self.database_url = database_url
        self.workdir = workdir
        # Rasa's HTTP API (tracker, parse) is opened, as in production, only with a token.
        self.rasa_token = secrets.token_urlsafe(16) if enable_api else ""
        # Origins a browser page may call the webhook from (the widget on another port needs it).
        self.cors = cors or ""
        self.processes: list[subprocess.Popen] = []
        self.rasa_url = ""

    def __enter__(self) -> Stack:
        env = {**os.environ, "PK_DATABASE_URL": self.database_url, "RASA_TELEMETRY_ENABLED": "false"}
        action_port, rasa_port = free_port(), free_port()
        endpoints = self.workdir / "endpoints.yml"
        # The repository's own endpoints (the stores `make run` uses), with this action server.
        default = (REPO_ROOT / "endpoints.yml").read_text(encoding="utf-8")
        assert "http://localhost:5055/webhook" in default
        endpoints.write_text(
            default.replace("http://localhost:5055/webhook", f"http://127.0.0.1:{action_port}/webhook")
        )
        log = open(self.workdir / "stack.log", "ab")  # noqa: SIM115 - closed with the processes
        actions = subprocess.Popen(
            [sys.executable, "-m", "actions.server", "--port", str(action_port), "--actions", "actions"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(actions)
        # The command line `make run` and production use, from the same settings.
        settings = Settings(
            database_url=self.database_url, rasa_token=self.rasa_token, cors_origins=self.cors
        )
        command = rasa_command(rasa_port, settings, endpoints)
        rasa = subprocess.Popen(command, cwd=self.workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(rasa)
        self.rasa_url = f"http://127.0.0.1:{rasa_port}"
        try:
            wait_for(f"http://127.0.0.1:{action_port}/health", actions)
            wait_for(self.rasa_url + "/", rasa)
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def say(self, sender: str, message: str, metadata: dict | None = None) -> list[dict]:
        body: dict = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        response = requests.post(self.rasa_url + "/webhooks/rest/webhook", json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def api(self, method: str, path: str, **kwargs: object) -> requests.Response:
        """A call to Rasa's HTTP API with the stack's token (`enable_api=True`)."""
        assert self.rasa_token, "start the Stack with enable_api=True"
        return requests.request(
            method, self.rasa_url + path, params={"token": self.rasa_token}, timeout=30, **kwargs
        )


@contextmanager
def api_server(env: dict[str, str], log_path: Path, keep_alive: int = 5) -> Iterator[str]:
    """The API (`api.main`) under uvicorn on a free port, with `env` added to this environment;
    `keep_alive`: seconds an idle connection is kept (uvicorn's default 5)."""
    port = free_port()
    with log_path.open("wb") as log:
        command = [sys.executable, "-m", "uvicorn", "api.main:app", "--port", str(port), "--ws", "none"]
        command += ["--timeout-keep-alive", str(keep_alive)]
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/health", process, timeout=60)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=20)
