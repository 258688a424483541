"""Engine and sessions. One engine per process and database URL, one session per unit of work."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from service_catalog import vocabulary
from settings import get_settings

# How long a SQLite write waits for another one to finish before it fails (seconds): staff
# edits, the API and the action server take turns on one file.
SQLITE_BUSY_TIMEOUT = 30.0


def get_engine(url: str | None = None) -> Engine:
    # Resolved before the cache, so a changed setting never gets another database's engine.
    return _engine(url or get_settings().database_url)


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True, **_sqlite_file_options(url))
    vocabulary.keep_in_step()
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_file_options(url: str) -> dict[str, Any]:
    """A SQLite file shared by the threads of a server (pysqlite's "Threading/Pooling Behavior").

    FastAPI runs a request's sync dependencies and its route in different threads of its pool,
    so one session's connection is used by several threads, one after another: pysqlite's
    check_same_thread refused that, and every staff request that signs in answered 500. The
    check goes; what it guarded stays true: NullPool gives each session a connection of its own
    that no other session ever sees, so no connection is used by two threads at once."""
    parts = make_url(url)
    if parts.get_backend_name() != "sqlite" or parts.database in (None, "", ":memory:"):
        return {}
    return {
        "poolclass": NullPool,
        "connect_args": {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT},
    }


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the API write while the action server reads; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def session_factory(url: str | None = None) -> sessionmaker:
    return sessionmaker(get_engine(url), future=True, expire_on_commit=False)


def new_session(url: str | None = None) -> Session:
    return session_factory(url)()
