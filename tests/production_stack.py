"""Starts the production set-up (`deploy/production.py`) for tests and the load benchmark.

Everything real: nginx, two Rasa servers, the action server and the API under supervisord,
PostgreSQL (the machine's, in databases of its own) for the catalogue and the conversations,
and Redis for locks and rate limits. Redis is a redis-server of its own on a free port (the
same Debian binary as the machine's), because the fault tests stop it and start it again.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

from settings import REPO_ROOT
from tests.stack import free_port, wait_for

BIN = Path(sys.executable).parent
PG = "postgresql+psycopg2://postgres@127.0.0.1:5432"


def free_port_block(count: int) -> int:
    """The first of `count` consecutive free ports."""
    for _ in range(50):
        base = secrets.randbelow(20000) + 20000
        try:
            sockets = []
            for port in range(base, base + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no block of free ports")


def postgres_reachable() -> str | None:
    """None when PostgreSQL answers, or why not."""
    try:
        engine = sa.create_engine(f"{PG}/postgres", connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except sa.exc.DBAPIError as error:
        return str(error.orig).strip()


class RedisServer:
    """A redis-server of our own on a free port that keeps nothing on disk."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Production:
    """`python -m deploy.production` on free ports, with databases that are dropped afterwards."""

    def __init__(self, workdir: Path, **settings: str) -> None:
        self.workdir = workdir
        self.name = f"pk_prod_{secrets.token_hex(4)}"
        self.catalog_url = f"{PG}/{self.name}_catalog"
        self.tracker_url = f"{PG}/{self.name}_rasa"
        self.redis = RedisServer(workdir)
        self.settings = settings
        self.process: subprocess.Popen | None = None
        self.base_port = free_port_block(6)
        self.public_port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.public_port}"

    def rasa_url(self, index: int) -> str:
        """One Rasa server directly, past nginx (index 0 or 1)."""
        return f"http://127.0.0.1:{self.base_port + index}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PK_DATABASE_URL": self.catalog_url,
            "PK_TRACKER_STORE_URL": self.tracker_url,
            "PK_LOCK_STORE_URL": self.redis.url,
            "PK_PUBLIC_PORT": str(self.public_port),
            "PK_SECRET_KEY": secrets.token_urlsafe(32),
            "RASA_TELEMETRY_ENABLED": "false",
            **{f"PK_{key.upper()}": value for key, value in self.settings.items()},
        }

    def __enter__(self) -> Production:
        self.redis.start()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "deploy.production",
                "--base-port",
                str(self.base_port),
                "--directory",
                str(self.workdir),
            ],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=(self.workdir / "launcher.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            for index in range(2):
                wait_for(self.rasa_url(index) + "/", self.process, timeout=400)
            wait_for(self.url + "/health", self.process, timeout=60)
            wait_for(self.url + "/webhooks/rest/", self.process, timeout=60)
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # supervisord stops its programs
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.redis.stop()
        engine = sa.create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            for url in (self.catalog_url, self.tracker_url):
                database = sa.engine.make_url(url).database
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        engine.dispose()

    def ctl(self, *args: str) -> str:
        """supervisorctl against this set-up, e.g. ctl("pid", "rasa1")."""
        result = subprocess.run(
            [BIN / "supervisorctl", "-c", self.workdir / "supervisord.conf", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout.strip()

    def say(self, sender: str, message: str, base: str | None = None, **kwargs: Any) -> requests.Response:
        return requests.post(
            (base or self.url) + "/webhooks/rest/webhook",
            json={"sender": sender, "message": message, **kwargs},
            timeout=60,
        )

    def events(self, sender: str) -> list[tuple[str, str | None, str]]:
        """(type, action or intent name, data) of the stored events of one conversation."""
        engine = sa.create_engine(self.tracker_url)
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT type_name, coalesce(action_name, intent_name), data FROM events "
                    "WHERE sender_id = :sender ORDER BY id"
                ),
                {"sender": sender},
            ).all()
        engine.dispose()
        return [tuple(row) for row in rows]
