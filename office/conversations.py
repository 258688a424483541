"""Conversations in Rasa's SQL tracker store: erasure on request (GDPR) and retention.

The tracker store (`PK_TRACKER_STORE_URL`) is Rasa's table `events`, one row per event with the
conversation's sender id. Erasing a conversation deletes its events there and everything of it in
the catalogue database that can be joined to it: its answer figures and ratings, which carry the
conversation as a keyed hash (`conversation_key`, the same in every process only with one
PK_SECRET_KEY), and the unanswered questions written with those answers. The erasure itself is
audited, by that hash only. A call-me-back request carries no conversation: staff find it in the
inbox by the family's phone number or email.
With the default in-memory tracker store conversations live in the Rasa process and end with
it; there is nothing on disk to erase or purge.

`python -m office.conversations purge` applies the retention (PK_TRACKER_RETENTION_DAYS);
the API also runs it at start-up.
"""

from __future__ import annotations

import argparse
import logging
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from office.insights import AnswerEvent, Rating, UnansweredQuestion, conversation_key
from service_catalog.admin import Actor
from service_catalog.db import get_engine
from settings import get_settings
from staff.audit import AuditEntry

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
    """What one erasure deleted, row by row: the counts are the databases' own."""

    tracker_store: str  # "sql" or "in-memory"
    events: int
    answer_events: int
    unanswered_questions: int
    ratings: int


def _asked_in(key: str) -> sa.sql.ColumnElement:
    """The unanswered questions of the conversation whose keyed hash is `key`.

    A question carries no conversation of its own: `insights.record_answer` writes it beside the
    answer event of the same turn, at the same instant, with the same language, municipality and
    intent (and the event's kind, or `nlu_fallback`). That event carries the conversation."""
    event = aliased(AnswerEvent)
    question = UnansweredQuestion
    return sa.exists().where(
        event.conversation == key,
        event.at == question.at,
        event.language == question.language,
        event.municipality_id.is_not_distinct_from(question.municipality_id),
        event.intent.is_not_distinct_from(question.intent),
        sa.or_(
            event.kind == question.kind,
            sa.and_(event.intent == "nlu_fallback", question.kind == "nlu_fallback"),
        ),
    )


def _delete(session: Session, statement: sa.sql.Delete) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def erase(session: Session, sender_id: str, actor: Actor) -> Erasure:
    """Deletes one conversation everywhere it is kept; the caller commits `session`."""
    engine = tracker_engine()
    events = 0
    if engine is not None and _has_events_table(engine):
        with engine.begin() as connection:
            events = (
                connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id == sender_id)).rowcount or 0
            )
    key = conversation_key(sender_id)
    # The questions first: their answer events are what ties them to the conversation.
    questions = _delete(session, sa.delete(UnansweredQuestion).where(_asked_in(key)))
    answers = _delete(session, sa.delete(AnswerEvent).where(AnswerEvent.conversation == key))
    ratings = _delete(session, sa.delete(Rating).where(Rating.conversation == key))
    erasure = Erasure("sql" if engine is not None else "in-memory", events, answers, questions, ratings)
    session.add(
        AuditEntry(
            actor=actor.label,
            staff_user_id=actor.staff_user_id,
            api_token_id=actor.api_token_id,
            entity="conversation",
            entity_id=key[:64],
            action="erase",
            after={
                "events": events,
                "answer_events": answers,
                "unanswered_questions": questions,
                "ratings": ratings,
            },
        )
    )
    return erasure


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
