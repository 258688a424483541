"""Bring a catalogue database to the newest schema (Alembic owns the schema)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from settings import REPO_ROOT


def upgrade(database_url: str | None = None) -> None:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    if database_url:
        config.attributes["url"] = database_url
    command.upgrade(config, "head")
