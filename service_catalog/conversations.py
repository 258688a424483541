"""Conversations in Rasa's SQL tracker store: erasure on request (GDPR) and retention.

The tracker store (`PK_TRACKER_STORE_URL`) is Rasa's table `events`, one row per event with the
conversation's sender id. Erasing a conversation deletes its events there and everything of it in
the catalogue database that can be joined to it (answer figures and ratings, which carry the
conversation only as a keyed hash). The erasure itself is audited, by that hash only.
With the default in-memory tracker store conversations live in the Rasa process and end with
it; there is nothing on disk to erase or purge.

`python -m service_catalog.conversations purge` applies the retention (PK_TRACKER_RETENTION_DAYS);
the API also runs it at start-up.
"""

from __future__ import annotations

import argparse
import logging
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service_catalog.admin import Actor
from service_catalog.db import get_engine
from service_catalog.insights import AnswerEvent, Rating, conversation_key
from service_catalog.settings import get_settings
from service_catalog.staff import AuditEntry

log = logging.getLogger(__name__)

# Rasa's own table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent); only these columns matter.
EVENTS = sa.table("events", sa.column("sender_id", sa.String), sa.column("timestamp", sa.Float))


def tracker_engine() -> sa.engine.Engine | None:
    url = get_settings().tracker_store_url
    return get_engine(url) if url else None


def _has_events_table(engine: sa.engine.Engine) -> bool:
    return sa.inspect(engine).has_table("events")


@dataclass
class Erasure:
    tracker_store: str  # "sql" or "in-memory"
    events: int
    answer_events: int
    ratings: int


def erase(session: Session, sender_id: str, actor: Actor) -> Erasure:
    """Deletes one conversation everywhere it is kept; the caller commits `session`."""
    engine = tracker_engine()
    events = 0
    if engine is not None and _has_events_table(engine):
        with engine.begin() as connection:
            events = connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id == sender_id)).rowcount or 0
    key = conversation_key(sender_id)
    answers = session.execute(sa.delete(AnswerEvent).where(AnswerEvent.conversation == key)).rowcount or 0
    ratings = session.execute(sa.delete(Rating).where(Rating.conversation == key)).rowcount or 0
    session.add(
        AuditEntry(
            actor=actor.label,
            staff_user_id=actor.staff_user_id,
            api_token_id=actor.api_token_id,
            entity="conversation",
            entity_id=key[:64],
            action="erase",
            after={"events": events, "answer_events": answers, "ratings": ratings},
        )
    )
    return Erasure("sql" if engine is not None else "in-memory", events, answers, ratings)


def purge_expired(*, days: int | None = None, now: float | None = None) -> int:
    """Deletes the conversations whose last event is older than the retention; how many events went."""
    engine = tracker_engine()
    if engine is None or not _has_events_table(engine):
        return 0
    days = get_settings().tracker_retention_days if days is None else days
    cutoff = (now or time.time()) - days * 86400
    stale = (
        sa.select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
        .scalar_subquery()
    )
    with engine.begin() as connection:
        count = connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(stale))).rowcount or 0
    if count:
        log.info("deleted %d tracker events of conversations idle for over %d days", count, days)
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Conversation retention of the SQL tracker store.")
    parser.add_argument("command", choices=["purge"])
    parser.add_argument("--days", type=int, help="defaults to PK_TRACKER_RETENTION_DAYS")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(f"deleted {purge_expired(days=args.days)} events")


if __name__ == "__main__":
    main()
