"""Migration 0002 goes down and up again with the seed catalogue in it, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from service_catalog.db import get_engine
from settings import REPO_ROOT

EDITED = ("service", "service_location", "contact", "municipality", "area", "provider", "helpline")


def _round_trip(url: str) -> None:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.attributes["url"] = url
    engine = get_engine(url)
    counts = _counts(engine)
    command.downgrade(config, "0001")
    tables = inspect(engine).get_table_names()
    assert "staff_user" not in tables and "audit_entry" not in tables
    assert "version" not in {c["name"] for c in inspect(engine).get_columns("service")}
    command.upgrade(config, "head")
    inspector = inspect(engine)
    assert {"staff_user", "api_token", "audit_entry"} <= set(inspector.get_table_names())
    for table in EDITED:
        columns = {c["name"] for c in inspector.get_columns(table)}
        assert {"version", "deleted_at"} <= columns, table
    with engine.connect() as connection:
        # Rows that were there before the migration start at version 1.
        assert connection.execute(text("SELECT min(version), max(version) FROM service")).one() == (1, 1)
    assert _counts(engine) == counts  # nothing lost (SQLite copies each table)
    engine.dispose()


def _counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in EDITED}


def test_round_trip_on_sqlite(catalog_url):
    _round_trip(catalog_url)


def test_round_trip_on_postgresql(request: pytest.FixtureRequest):
    _round_trip(request.getfixturevalue("pg_url"))


@pytest.mark.postgres_too
def test_the_staff_fixture_is_at_the_newest_revision_with_three_accounts(staff_url):
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(Config(str(REPO_ROOT / "alembic.ini"))).get_current_head()
    with get_engine(staff_url).connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        assert connection.execute(text("SELECT count(*) FROM staff_user")).scalar() == 3
