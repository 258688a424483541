"""Fixtures: a real SQLite catalogue migrated by Alembic and loaded from the seed files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from service_catalog.db import new_session
from service_catalog.migrate import upgrade
from service_catalog.seed import load_seed
from settings import get_settings
from tests.helpers import add_staff, pg_admin_connection, pg_url_for, staff_headers

# Personal data the tests send as a family would (tests/test_action_failures.py and others), in
# the forms they send it: none of it may reach a log of the servers in clear.
SENT_PERSONAL_DATA = ("040 765 4321", "0407654321", "maija@example.com", "131052-308T", "131052308T")


@pytest.fixture(scope="session", autouse=True)
def no_personal_data_in_any_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """After every test: the logs the servers wrote (Rasa, actions, API, nginx, supervisord, all
    under the run's temporary folder) hold none of the personal data the tests sent."""
    yield
    found = []
    for log in tmp_path_factory.getbasetemp().rglob("*.log"):
        text = log.read_text(encoding="utf-8", errors="replace")
        found.extend(f"{log.name}: {item}" for item in SENT_PERSONAL_DATA if item in text)
    assert found == [], found


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalog") / "seeded.sqlite3"
    url = f"sqlite:///{path}"
    upgrade(url)
    with new_session(url) as session, session.begin():
        load_seed(session)
    return path


def _default_copy_of(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh copy of `source` for one test, made the default database of the code under test."""
    path = tmp_path / "catalog.sqlite3"
    shutil.copy(source, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("PK_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def catalog_url(seeded_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh copy of the seeded catalogue for one test, made the default for the code under test."""
    yield from _default_copy_of(seeded_db, tmp_path, monkeypatch)


@pytest.fixture
def session(catalog_url: str) -> Iterator[Session]:
    with new_session(catalog_url) as session:
        yield session


# --- staff API -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def staffed_db(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("staffed") / "staffed.sqlite3"
    shutil.copy(seeded_db, path)
    add_staff(f"sqlite:///{path}")
    return path


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # A test marked postgres_too runs twice: on SQLite (the default) and on the local PostgreSQL.
    if metafunc.definition.get_closest_marker("postgres_too") and "staff_url" in metafunc.fixturenames:
        metafunc.parametrize("staff_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def staff_url(
    request: pytest.FixtureRequest, staffed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh copy of the seeded catalogue with three staff accounts, made the default: SQLite,
    or PostgreSQL for the second run of a test marked postgres_too."""
    if getattr(request, "param", "sqlite") == "postgresql":
        yield request.getfixturevalue("pg_url")
        return
    yield from _default_copy_of(staffed_db, tmp_path, monkeypatch)


@pytest.fixture
def auth(staff_url: str) -> dict[str, dict[str, str]]:
    return staff_headers(staff_url)


@pytest.fixture
def client(staff_url: str):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from api.main import app

    return TestClient(app)


# --- PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_template() -> Iterator[tuple]:
    """A database migrated by Alembic, seeded, with the staff accounts: the template of each test's."""
    import secrets

    from service_catalog.db import get_engine

    user, connection = pg_admin_connection()
    name = f"pk_template_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = pg_url_for(user, name)
    try:
        upgrade(url)
        with new_session(url) as session, session.begin():
            load_seed(session)
        add_staff(url)
        get_engine(url).dispose()  # a template must have no connections
        yield user, name, connection
    finally:
        get_engine(url).dispose()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()


@pytest.fixture
def pg_url(pg_template: tuple, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh PostgreSQL copy of the seeded catalogue for one test, made the default."""
    import secrets

    from service_catalog.db import get_engine

    user, template, connection = pg_template
    name = f"pk_test_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = pg_url_for(user, name)
    monkeypatch.setenv("PK_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        yield url
    finally:
        get_settings.cache_clear()
        get_engine(url).dispose()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_pg_url() -> Iterator[str]:
    """An empty PostgreSQL database of its own (dropped afterwards), e.g. for a tracker store."""
    import secrets

    user, connection = pg_admin_connection()
    name = f"pk_empty_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_url_for(user, name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()


# --- Redis ---------------------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_url() -> str:
    """The local Redis, or a skip that says why; tests use keys of their own (random ids)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis reachable at {REDIS_URL}: {error}")
    return REDIS_URL
