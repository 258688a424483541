"""Erasing a family's conversation (GDPR) removes every row it names and counts them truly (issue 12).

`DELETE /conversations/{id}` on SQLite and on PostgreSQL, for the catalogue and for Rasa's SQL
tracker store alike: the tracker events, the answer figures, the unanswered questions asked in
the conversation and the ratings go; another family's stay. And an answer recorded by another
process (the action server) is found, since development processes share one key.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores import MaskingSQLTrackerStore
from office import insights
from office.insights import AnswerEvent, Rating, UnansweredQuestion, conversation_key
from service_catalog.db import get_engine, new_session
from settings import REPO_ROOT, get_settings
from staff.audit import AuditEntry
from tests.helpers import staff_headers

DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml"))
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """(catalogue, tracker store) URLs, both SQLite or both PostgreSQL, made the defaults."""
    if request.param == "sqlite":
        catalogue, tracker = request.getfixturevalue("staff_url"), f"sqlite:///{tmp_path / 'rasa.db'}"
    else:
        catalogue, tracker = request.getfixturevalue("pg_url"), request.getfixturevalue("empty_pg_url")
    monkeypatch.setenv("PK_TRACKER_STORE_URL", tracker)
    get_settings.cache_clear()
    yield catalogue, tracker
    get_settings.cache_clear()
    get_engine(tracker).dispose()


def chat(store: MaskingSQLTrackerStore, sender: str) -> None:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(UserUttered("mikä on huomisen sää", {"name": "out_of_scope", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_out_of_scope"))
    tracker.update(BotUttered("En osaa vastata tähän."))
    asyncio.run(store.save(tracker))


def tracker_events(url: str, sender: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(
            sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar_one()
    engine.dispose()
    return count


def record_turns(sender: str, start: datetime, municipality: str = "mikkeli") -> None:
    """Three answers as the actions record them, two of them unanswered questions, and a rating."""
    turns = [
        ("services", "lastenneuvola", "need"),
        ("out_of_scope", "mikä on huomisen sää", "out_of_scope"),
        ("clarify", "apua en tiedä", "nlu_fallback"),
    ]
    with new_session() as session, session.begin():
        for minute, (kind, text, intent) in enumerate(turns):
            insights.record_answer(
                session,
                sender_id=sender,
                kind=kind,
                text=text,
                intent=intent,
                language="fi",
                municipality_id=municipality,
                service_type="lastenneuvola" if kind == "services" else None,
                now=start + timedelta(minutes=minute),
            )
        insights.add_rating(session, sender_id=sender, helpful=False, services=[], language="fi")


def api_client() -> TestClient:
    from api.main import app  # imported once the test's settings are in place

    return TestClient(app)


def rows_of(sender: str) -> dict[str, int]:
    key = conversation_key(sender)
    with new_session() as session:
        return {
            "answer_events": session.scalar(
                sa.select(sa.func.count()).where(AnswerEvent.conversation == key)
            ),
            "ratings": session.scalar(sa.select(sa.func.count()).where(Rating.conversation == key)),
        }


def questions() -> list[tuple[str, str]]:
    with new_session() as session:
        return sorted((q.text, q.municipality_id) for q in session.scalars(sa.select(UnansweredQuestion)))


def test_erasure_removes_every_row_of_the_conversation_and_counts_them(databases):
    catalogue, tracker = databases
    store = MaskingSQLTrackerStore(tracker, domain=DOMAIN)
    family, other = f"family-{uuid.uuid4()}", f"other-{uuid.uuid4()}"
    for sender in (family, other):
        chat(store, sender)
    record_turns(family, T0)
    # Another family asked the same, in another municipality, an hour later: theirs stay.
    record_turns(other, T0 + timedelta(hours=1), municipality="juva")
    events = tracker_events(tracker, family)
    assert events > 0 and len(questions()) == 4

    client = api_client()
    answer = client.delete(f"/conversations/{family}", headers=staff_headers(catalogue)["editor"])

    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "tracker_store": "sql",
        "events": events,
        "answer_events": 3,
        "unanswered_questions": 2,
        "ratings": 1,
    }
    assert tracker_events(tracker, family) == 0 and tracker_events(tracker, other) == events
    assert rows_of(family) == {"answer_events": 0, "ratings": 0}
    assert rows_of(other) == {"answer_events": 3, "ratings": 1}
    assert questions() == [("apua en tiedä", "juva"), ("mikä on huomisen sää", "juva")]
    with new_session() as session:
        audit = session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "conversation")).one()
    assert audit.after == {"events": events, "answer_events": 3, "unanswered_questions": 2, "ratings": 1}
    assert family not in audit.entity_id

    # Erased is erased: a second request finds nothing and says so.
    again = client.delete(f"/conversations/{family}", headers=staff_headers(catalogue)["editor"]).json()
    assert again == {**again, "events": 0, "answer_events": 0, "unanswered_questions": 0, "ratings": 0}


RECORD_AS_THE_ACTION_SERVER_DOES = """
import sys
from office import insights
from service_catalog.db import new_session
with new_session() as session, session.begin():
    insights.record_answer(session, sender_id=sys.argv[1], kind="out_of_scope", text="mikä on sää",
                           intent="out_of_scope", language="fi", municipality_id=None, service_type=None)
"""


def test_an_answer_the_action_server_recorded_is_erased_by_the_api(staff_url, tmp_path, monkeypatch):
    # Development: no PK_SECRET_KEY anywhere, one key file for the action server and the API.
    key_file = tmp_path / "secret_key"
    for name in ("PK_SECRET_KEY", "PK_ENVIRONMENT", "PK_TRACKER_STORE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PK_SECRET_KEY_FILE", str(key_file))
    family = f"family-{uuid.uuid4()}"
    subprocess.run(
        [sys.executable, "-c", RECORD_AS_THE_ACTION_SERVER_DOES, family],
        cwd=REPO_ROOT,
        env=dict(os.environ),
        check=True,
        timeout=120,
    )
    get_settings.cache_clear()
    client = api_client()
    answer = client.delete(f"/conversations/{family}", headers=staff_headers(staff_url)["editor"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["answer_events"] == 1 and answer.json()["unanswered_questions"] == 1
    assert answer.json()["tracker_store"] == "in-memory"
    assert questions() == []
