"""Rasa's conversations in SQL, with the family's personal data masked; in memory without
PK_TRACKER_STORE_URL.

The store notices a restarted database (pool pre-ping), turns an unreachable one into
`TrackerStoreUnavailable` (the webhook answers 503 and the widget retries), and compacts a
session longer than PK_TRACKER_MAX_EVENTS into a new one that carries its state over.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from privacy.masking import mask_personal_data
from settings import get_settings

log = logging.getLogger(__name__)

# The call-me-back contact must reach the form's submit, so it is kept in clear only while it
# is the slot's current value; once the form resets it, every stored copy is masked.
PERSONAL_SLOTS = frozenset({"callback_contact"})


def _mask_strings(value: Any) -> Any:
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, list):
        return [_mask_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: _mask_strings(item) for key, item in value.items()}
    return value


def masked_event_data(data: dict[str, Any], current_slots: dict[str, Any]) -> dict[str, Any]:
    """One event as it may be stored: the family's words and the bot's echo of them masked.

    The bot's payloads (`data` of a bot event) carry public service numbers and stay."""
    kind = data.get("event")
    data = dict(data)
    if kind == "user":
        for key in ("text", "parse_data", "metadata"):
            if key in data:
                data[key] = _mask_strings(data[key])
    elif kind == "bot" and data.get("text"):
        data["text"] = mask_personal_data(data["text"])
    elif kind == "slot":
        # Slots may hold the family's words too (`need` keeps the message it was asked in).
        name = data.get("name")
        keep = name in PERSONAL_SLOTS and current_slots.get(name) == data.get("value")
        if not keep:
            data["value"] = _mask_strings(data.get("value"))
    return data


# Rasa indexes events by sender only, so each turn's "events since the session started" reads
# the whole conversation. These serve its two queries (the session start, the events after it).
# Made once, on Rasa's own table: they then belong to its metadata and its create_all.
_EVENTS = SQLTrackerStore.SQLEvent.__table__
TURN_INDEXES = (
    sa.Index(
        "ix_events_sender_type_timestamp", _EVENTS.c.sender_id, _EVENTS.c.type_name, _EVENTS.c.timestamp
    ),
    sa.Index("ix_events_sender_timestamp", _EVENTS.c.sender_id, _EVENTS.c.timestamp),
)


class TrackerStoreUnavailable(BaseException):
    """The conversation database cannot be reached.

    A BaseException on purpose: Rasa wraps every tracker store in a FailSafeTrackerStore that
    catches Exception and carries on with an empty, in-memory conversation, which answers the
    family out of context and stores the turn nowhere. This passes through it to the webhook
    (`bot.channels`), which answers 503 so the widget retries the same message."""


class MaskingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store from one URL, with personal data masked and a pool that
    notices a restarted database (pre-ping) instead of failing the next family's message."""

    def __init__(self, url: str, domain: Any = None, event_broker: Any = None, **kwargs: Any) -> None:
        parts = sa.engine.make_url(url)
        super().__init__(
            domain=domain,
            dialect=parts.drivername,
            host=parts.host,
            port=parts.port,
            db=parts.database or "",
            username=parts.username,
            password=parts.password,
            event_broker=event_broker,
            query=dict(parts.query) or None,
            **kwargs,
        )
        self.engine.dispose()
        self.engine = sa.create_engine(parts, pool_pre_ping=True, future=True)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        for index in TURN_INDEXES:  # Rasa's create_all above makes them only with a new table
            try:
                index.create(self.engine, checkfirst=True)
            except sa.exc.DBAPIError as error:  # another Rasa server created it at the same moment
                log.info("index %s not created here: %s", index.name, error.orig)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        slots = tracker.current_slot_values()
        for event in super()._additional_events(session, tracker):
            yield Event.from_parameters(masked_event_data(event.as_dict(), slots))

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        try:
            tracker = await super().retrieve(sender_id)
            if tracker is not None and len(tracker.events) > get_settings().tracker_max_events:
                tracker = self.compact(tracker)
            return tracker
        except sa.exc.DBAPIError as error:
            raise TrackerStoreUnavailable(str(error.orig)) from error

    def compact(self, tracker: DialogueStateTracker) -> DialogueStateTracker:
        """Starts a new session that carries the state over, as Rasa's own session start
        does after an idle hour, and stores it: later turns load only from here.

        Rasa loads every event since the last SessionStarted on each turn; a family (or a
        script) that keeps one session going would make every turn slower."""
        now = time.time()
        carried: list[Event] = [SessionStarted(timestamp=now)]
        carried += [
            SlotSet(name, value, timestamp=now)
            for name, value in tracker.current_slot_values().items()
            if value is not None
        ]
        if tracker.active_loop_name:
            carried.append(ActiveLoop(tracker.active_loop_name, timestamp=now))
        carried.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=now))
        compacted = DialogueStateTracker.from_events(tracker.sender_id, carried, self.domain.slots)
        with self.session_scope() as session:
            for event in carried:
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=now,
                        action_name=getattr(event, "action_name", None),
                        data=json.dumps(masked_event_data(event.as_dict(), tracker.current_slot_values())),
                    )
                )
            session.commit()
        log.info("compacted a conversation of %d events into a new session", len(tracker.events))
        return compacted

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await super().save(tracker)
            if self._holds_stale_personal_slots(tracker):
                self.mask_personal_slots(tracker.sender_id)
        except sa.exc.DBAPIError as error:
            raise TrackerStoreUnavailable(str(error.orig)) from error

    @staticmethod
    def _holds_stale_personal_slots(tracker: DialogueStateTracker) -> bool:
        slots = tracker.current_slot_values()
        return any(
            getattr(event, "key", None) in PERSONAL_SLOTS
            and isinstance(event.value, str)
            and event.value != slots.get(event.key)
            and mask_personal_data(event.value) != event.value
            for event in tracker.events
        )

    def mask_personal_slots(self, sender_id: str) -> None:
        """Masks the personal slot values stored before the form reset them."""
        with self.session_scope() as session:
            rows = session.query(self.SQLEvent).filter(
                self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == "slot"
            )
            for row in rows:
                data = json.loads(row.data)
                if data.get("name") in PERSONAL_SLOTS and isinstance(data.get("value"), str):
                    data["value"] = mask_personal_data(data["value"])
                    row.data = json.dumps(data)
            session.commit()


class ConfiguredTrackerStore(InMemoryTrackerStore):
    """In memory by default; `MaskingSQLTrackerStore` when PK_TRACKER_STORE_URL is set.

    Rasa loads a custom store by class path only, so the class chooses in `__new__`."""

    def __new__(cls, domain: Any = None, host: Any = None, event_broker: Any = None, **kwargs: Any):  # type: ignore[misc]
        url = get_settings().tracker_store_url
        if url:
            return MaskingSQLTrackerStore(url, domain=domain, event_broker=event_broker)
        return InMemoryTrackerStore(domain, event_broker)
