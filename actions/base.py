"""The shared shape of our actions: a catalogue session, a Context, an Answer, the slots."""

from __future__ import annotations

import abc
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.answers import Answer, Context
from actions.context import build_context, context_slots
from service_catalog import insights
from service_catalog.db import new_session

log = logging.getLogger(__name__)


def send(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    if answer.payload is not None and answer.payload_first:
        dispatcher.utter_message(json_message=answer.payload)
    for text in answer.texts:
        dispatcher.utter_message(text=text)
    if answer.payload is not None and not answer.payload_first:
        dispatcher.utter_message(json_message=answer.payload)


def record(tracker: Tracker, ctx: Context, answer: Answer) -> None:
    """Keep the answer's figures (and the question, if it went unanswered) in a short
    transaction of its own; a failure here is logged and the family gets the answer anyway."""
    message = answer.payload or {}
    services = message.get("services") or []
    try:
        with new_session() as session, session.begin():
            insights.record_answer(
                session,
                sender_id=tracker.sender_id,
                kind=message.get("kind") or "small_talk",
                text=tracker.latest_message.get("text") or "",
                intent=(tracker.latest_message.get("intent") or {}).get("name"),
                language=ctx.lang,
                municipality_id=ctx.place.municipality_id if ctx.place else None,
                service_type=services[0].get("type") if services else None,
            )
    except Exception:  # noqa: BLE001 (the figures must never cost the family its answer)
        log.exception("could not record the answer's insights")


class CatalogueAction(Action, abc.ABC):
    """An action that answers from the catalogue; one session per run (one unit of work)."""

    @abc.abstractmethod
    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        """The answer and any extra events."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with new_session() as session:
            ctx = build_context(session, tracker)
            answer, events = self.answer(session, ctx, tracker)
        record(tracker, ctx, answer)
        send(dispatcher, answer)
        return context_slots(ctx, answer) + events
