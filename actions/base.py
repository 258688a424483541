"""The shared shape of our actions: a catalogue session, a Context, an Answer, the slots, and
what the family gets when any of it fails (`guarded`)."""

from __future__ import annotations

import abc
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection
from sqlalchemy.orm import Session

from actions.answers import Answer, Context
from actions.context import build_context, context_slots
from actions.failure import answer_failure, describe_failure
from office import insights
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
    except Exception as error:  # noqa: BLE001 (the figures must never cost the family its answer)
        # Not log.exception: the SQL error would print the statement's parameters, the question.
        log.error("could not record the answer's insights: %s", describe_failure(error))


Run = Callable[[Any, CollectingDispatcher, Tracker, dict[str, Any]], Awaitable[list[dict[str, Any]]]]


def guarded(run: Run) -> Run:
    """An action's `run` that never fails towards Rasa: on any exception of ours the family is
    asked to try again (with 112) and one short masked line is logged (`actions.failure`).
    A rejection is Rasa's protocol (a form's "not this slot"), not a failure: it passes."""

    @functools.wraps(run)
    async def run_guarded(
        self: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            return await run(self, dispatcher, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception as error:  # noqa: BLE001 (anything else would send Rasa the tracker back)
            return answer_failure(dispatcher, tracker, self.name(), error)

    return run_guarded


class CatalogueAction(Action, abc.ABC):
    """An action that answers from the catalogue; one session per run (one unit of work)."""

    @abc.abstractmethod
    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        """The answer and any extra events."""

    @guarded
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with new_session() as session:
            ctx = build_context(session, tracker)
            answer, events = self.answer(session, ctx, tracker)
        record(tracker, ctx, answer)
        send(dispatcher, answer)
        return context_slots(ctx, answer) + events
