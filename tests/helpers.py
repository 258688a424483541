"""Helpers the tests share (fixtures stay in conftest.py): the pk.v1 check, staff accounts,
the local PostgreSQL, actions run on hand-made trackers, and the recorded PTV sample."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from service_catalog.db import new_session
from service_catalog.models import Service
from settings import REPO_ROOT

SCHEMA = json.loads((REPO_ROOT / "actions" / "pk.v1.schema.json").read_text(encoding="utf-8"))


def assert_pk_v1(message: dict) -> None:
    """The payload follows the binding pk.v1 JSON Schema."""
    jsonschema.Draft202012Validator(SCHEMA).validate(message)


# --- staff accounts ------------------------------------------------------------------------

STAFF_PASSWORD = "correct horse battery staple"
STAFF_ROLES = ("viewer", "editor", "admin")


def add_staff(url: str) -> None:
    """A viewer, an editor and an admin: `<role>@example.fi` with STAFF_PASSWORD."""
    from api.security import create_user

    with new_session(url) as session, session.begin():
        for role in STAFF_ROLES:
            create_user(session, f"{role}@example.fi", STAFF_PASSWORD, role=role, name=role.title())


def staff_headers(url: str) -> dict[str, dict[str, str]]:
    """Authorization headers by role, from tokens issued as /auth/token does."""
    from api.security import access_token_for
    from staff.accounts import StaffUser

    with new_session(url) as session:
        users = session.scalars(select(StaffUser)).all()
        return {u.role: {"Authorization": f"Bearer {access_token_for(u)[0]}"} for u in users}


# --- PostgreSQL ----------------------------------------------------------------------------

PG_HOST, PG_PORT, PG_DATABASE = "127.0.0.1", 5432, "test"


def pg_admin_connection():  # type: ignore[no-untyped-def]
    """A connection to the `test` database as postgres or root (trust auth), or a skip."""
    import psycopg2

    errors = []
    for user in ("postgres", "root"):
        try:
            connection = psycopg2.connect(
                host=PG_HOST, port=PG_PORT, user=user, dbname=PG_DATABASE, connect_timeout=3
            )
        except psycopg2.Error as error:
            errors.append(f"{user}: {str(error).strip()}")
            continue
        connection.autocommit = True
        return user, connection
    pytest.skip(
        f"no PostgreSQL reachable at {PG_HOST}:{PG_PORT} (database {PG_DATABASE}, user postgres or root): "
        + "; ".join(errors)
    )


def pg_url_for(user: str, database: str) -> str:
    return f"postgresql+psycopg2://{user}@{PG_HOST}:{PG_PORT}/{database}"


# --- actions on hand-made trackers ---------------------------------------------------------


def tracker(
    text: str, intent: str, confidence: float = 0.9, slots: dict | None = None, metadata: dict | None = None
) -> Tracker:
    ranking = [{"name": intent, "confidence": confidence}]
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": ranking[0],
            "intent_ranking": ranking,
            "entities": [],
            "metadata": metadata or {},
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action: Any, t: Tracker) -> tuple[list[dict], dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return dispatcher.messages, slots


# --- the recorded PTV sample ---------------------------------------------------------------

PTV_SAMPLE = Path(__file__).parent / "data" / "ptv_sample.json"
NEUVOLA = "ptv-3f1c2a64-8e1b-4c57-9d2a-5b7e0c4a9101"
PERHENEUVOLA = "ptv-7b2d9e10-4a6f-4f3c-8b1e-2c9d7a6e5202"
TURVAKOTI = "ptv-c5e8a1f2-9d3b-4e6a-a7c4-1f2e3d4c5303"
RAKENNUSVALVONTA = "ptv-e9a4b7c3-2f1d-4b8e-9c6a-7d5e4f3a2404"
NEUVOLA_CHANNEL = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c01"


def stored_service(url: str, service_id: str) -> Service | None:
    with new_session(url) as session:
        return session.get(Service, service_id, options=[selectinload(Service.locations)])


def ptv_channel(data: dict, channel_id: str) -> dict:
    return next(ch for ch in data["serviceChannels"] if ch["id"] == channel_id)


def catalogue_dump(url: str) -> str:
    """The whole catalogue as its JSON export (every table, every column)."""
    from service_catalog.exchange import export_json

    with new_session(url) as session:
        return export_json(session)
