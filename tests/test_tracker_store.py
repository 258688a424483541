"""The SQL tracker store keeps conversations without the family's phone numbers and emails,
on SQLite and on the real PostgreSQL, and conversations can be erased (GDPR) and expire."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores.tracker import ConfiguredTrackerStore, MaskingSQLTrackerStore, TrackerStoreUnavailable
from office import conversations
from office.insights import AnswerEvent, conversation_key
from service_catalog.admin import Actor
from service_catalog.db import new_session
from settings import REPO_ROOT, get_settings
from staff.audit import AuditEntry

DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml"))
PHONE = "040 123 4567"


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_url(request, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    url = (
        f"sqlite:///{tmp_path / 'rasa.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("empty_pg_url")
    )
    monkeypatch.setenv("PK_TRACKER_STORE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def stored(url: str, sender: str) -> list[dict]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
        ).scalars()
        data = [json.loads(row) for row in rows]
    engine.dispose()
    return data


def save(store: MaskingSQLTrackerStore, tracker: DialogueStateTracker) -> None:
    asyncio.run(store.save(tracker))


def test_the_environment_chooses_the_tracker_store(tracker_url, monkeypatch):
    assert isinstance(ConfiguredTrackerStore(domain=DOMAIN), MaskingSQLTrackerStore)
    monkeypatch.delenv("PK_TRACKER_STORE_URL")
    get_settings.cache_clear()
    assert type(ConfiguredTrackerStore(domain=DOMAIN)).__name__ == "InMemoryTrackerStore"


def test_a_conversation_is_stored_without_personal_data_and_read_back(tracker_url):
    store = MaskingSQLTrackerStore(tracker_url, domain=DOMAIN)
    sender = f"family-{uuid.uuid4()}"
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(
        UserUttered(
            f"soittakaa numeroon {PHONE} tai anna@example.fi", {"name": "callback", "confidence": 1.0}
        )
    )
    tracker.update(
        BotUttered(f"Kiitos, soitamme numeroon {PHONE}.", {"custom": {"phone": "+358 15 194 2000"}})
    )
    tracker.update(SlotSet("municipality", "Mikkeli"))
    tracker.update(SlotSet("need", {"text": f"soittakaa {PHONE}", "scores": {"perhetyo": 0.9}}))
    save(store, tracker)

    text = json.dumps(stored(tracker_url, sender), ensure_ascii=False)
    assert PHONE not in text and "anna@example.fi" not in text
    assert "[puhelin]" in text and "[sähköposti]" in text
    assert "+358 15 194 2000" in text  # a service's public number in the bot's payload stays

    again = asyncio.run(store.retrieve(sender))
    assert again is not None and again.get_slot("municipality") == "Mikkeli"
    assert again.latest_message.text == "soittakaa numeroon [puhelin] tai [sähköposti]"


def test_the_call_me_back_contact_is_kept_only_until_the_form_resets_it(tracker_url):
    store = MaskingSQLTrackerStore(tracker_url, domain=DOMAIN)
    sender = f"family-{uuid.uuid4()}"
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(UserUttered(PHONE, {"name": "inform", "confidence": 1.0}))
    tracker.update(SlotSet("callback_contact", PHONE))
    tracker.update(ActionExecuted("action_listen"))
    save(store, tracker)
    # The next turn's submit needs the number: it comes back from the store as it was.
    tracker = asyncio.run(store.retrieve(sender))
    assert tracker.get_slot("callback_contact") == PHONE

    tracker.update(UserUttered("lapsen uni", {"name": "inform", "confidence": 1.0}))
    tracker.update(SlotSet("callback_contact", None))  # action_submit_callback resets the form
    save(store, tracker)
    assert PHONE not in json.dumps(stored(tracker_url, sender))


def test_an_unreachable_database_is_not_an_empty_conversation():
    # Rasa would otherwise answer from a fresh in-memory tracker (FailSafeTrackerStore).
    store = MaskingSQLTrackerStore.__new__(MaskingSQLTrackerStore)
    store.engine = sa.create_engine("postgresql+psycopg2://postgres@127.0.0.1:1/none", pool_pre_ping=True)
    store.sessionmaker = sa.orm.sessionmaker(bind=store.engine)
    store.domain = DOMAIN
    with pytest.raises(TrackerStoreUnavailable):
        asyncio.run(store.retrieve("anyone"))


def test_staff_erase_a_conversation_everywhere(tracker_url, catalog_url):
    store = MaskingSQLTrackerStore(tracker_url, domain=DOMAIN)
    sender, other = f"family-{uuid.uuid4()}", f"family-{uuid.uuid4()}"
    for name in (sender, other):
        tracker = DialogueStateTracker(name, DOMAIN.slots)
        tracker.update(UserUttered("neuvola", {"name": "need", "confidence": 1.0}))
        save(store, tracker)
    with new_session() as session, session.begin():
        session.add(
            AnswerEvent(
                conversation=conversation_key(sender), kind="services", language="fi", understood=True
            )
        )

    with new_session() as session, session.begin():
        erasure = conversations.erase(session, sender, Actor("user:anna@example.fi"))
    assert (erasure.tracker_store, erasure.events, erasure.answer_events) == ("sql", 1, 1)
    assert stored(tracker_url, sender) == [] and len(stored(tracker_url, other)) == 1
    with new_session() as session:
        audit = session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "conversation")).one()
        assert audit.actor == "user:anna@example.fi" and sender not in audit.entity_id


def test_conversations_idle_past_the_retention_go(tracker_url):
    store = MaskingSQLTrackerStore(tracker_url, domain=DOMAIN)
    old, recent = f"old-{uuid.uuid4()}", f"recent-{uuid.uuid4()}"
    for name, age_days in ((old, 40), (recent, 1)):
        tracker = DialogueStateTracker(name, DOMAIN.slots)
        tracker.update(UserUttered("neuvola", timestamp=time.time() - age_days * 86400))
        save(store, tracker)
    assert conversations.purge_expired(days=30) == 1
    assert stored(tracker_url, old) == [] and len(stored(tracker_url, recent)) == 1


def test_a_very_long_session_is_compacted_and_keeps_its_state(tracker_url, monkeypatch):
    monkeypatch.setenv("PK_TRACKER_MAX_EVENTS", "50")
    get_settings.cache_clear()
    store = MaskingSQLTrackerStore(tracker_url, domain=DOMAIN)
    sender = f"long-{uuid.uuid4()}"
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(SlotSet("municipality", "Juva"))
    tracker.update(SlotSet("callback_contact", PHONE))  # an open call-me-back form keeps its number
    for turn in range(40):
        tracker.update(UserUttered(f"viesti {turn}", {"name": "need", "confidence": 1.0}))
        tracker.update(ActionExecuted("action_listen"))
    save(store, tracker)

    loaded = asyncio.run(store.retrieve(sender))
    assert len(loaded.events) < 10
    assert loaded.get_slot("municipality") == "Juva" and loaded.get_slot("callback_contact") == PHONE
    loaded.update(UserUttered("entä Mikkelissä?", {"name": "need", "confidence": 1.0}))
    save(store, loaded)
    again = asyncio.run(store.retrieve(sender))  # bounded from the new session on
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["entä Mikkelissä?"]
    assert again.get_slot("municipality") == "Juva"


def test_a_turn_reads_the_session_by_index(tracker_url):
    MaskingSQLTrackerStore(tracker_url, domain=DOMAIN)
    engine = sa.create_engine(tracker_url)
    names = {index["name"] for index in sa.inspect(engine).get_indexes("events")}
    engine.dispose()
    assert {"ix_events_sender_type_timestamp", "ix_events_sender_timestamp"} <= names
    MaskingSQLTrackerStore(tracker_url, domain=DOMAIN)  # a second server on the same database
