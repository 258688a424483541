"""Fixtures: a real SQLite catalogue migrated by Alembic and loaded from the seed files."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy.orm import Session

from service_catalog.db import new_session
from service_catalog.migrate import upgrade
from service_catalog.seed import load_seed
from service_catalog.settings import REPO_ROOT, get_settings

SCHEMA = json.loads((REPO_ROOT / "actions" / "pk.v1.schema.json").read_text(encoding="utf-8"))


def assert_pk_v1(message: dict) -> None:
    """The payload follows the binding pk.v1 JSON Schema."""
    jsonschema.Draft202012Validator(SCHEMA).validate(message)


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalog") / "seeded.sqlite3"
    url = f"sqlite:///{path}"
    upgrade(url)
    with new_session(url) as session, session.begin():
        load_seed(session)
    return path


@pytest.fixture
def catalog_url(seeded_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh copy of the seeded catalogue for one test, made the default for the code under test."""
    path = tmp_path / "catalog.sqlite3"
    shutil.copy(seeded_db, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("PK_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def session(catalog_url: str) -> Iterator[Session]:
    with new_session(catalog_url) as session:
        yield session
