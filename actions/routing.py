"""Actions that route a family's need to services: the one door."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from sqlalchemy.orm import Session

from actions.answers import (
    Answer,
    Context,
    clarify_answer,
    contact_answer,
    crisis_answer,
    hours_answer,
    route_answer,
)
from actions.base import CatalogueAction
from actions.context import need_scores

# Below this the classifier's guess is not used; the catalogue's words decide alone.
MIN_CLASSIFIER_CONFIDENCE = 0.25


def confident_needs(tracker: Tracker) -> dict[str, float]:
    """The classifier's scores per service type, or none when it is not sure of any."""
    scores = need_scores(tracker.latest_message)
    return scores if max(scores.values(), default=0.0) >= MIN_CLASSIFIER_CONFIDENCE else {}


class ActionRouteNeed(CatalogueAction):
    """A need, in the family's words: answer at once with the best services."""

    def name(self) -> str:
        return "action_route_need"

    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        if reply := place_reply(session, ctx, tracker):
            return reply
        scores = confident_needs(tracker)
        ctx.classifier_scores = scores or None
        if ctx.crisis_kinds:
            return crisis_answer(session, ctx), []
        need = {"text": ctx.text, "scores": scores}
        return route_answer(session, ctx), [SlotSet("need", need)]


class ActionFallback(ActionRouteNeed):
    """The core fallback, for a state no rule fits: answered as a need, then the turn ends.

    Rasa predicts the fallback again after it ran (no rule fits then either), up to its limit of
    ten predictions a turn: "ok" got ten answers. Its own default fallback ends the turn by
    reverting the message, which would forget it; this one asks for the user's next message."""

    def name(self) -> str:
        return "action_fallback"

    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        answer, events = super().answer(session, ctx, tracker)
        return answer, [*events, FollowupAction("action_listen")]


def place_answer(session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
    """A place alone ("entä Savonlinnassa?", "Kupittaa"): the last need again, for the place."""
    need = tracker.get_slot("need") or {}
    if not need:
        if ctx.place is None:
            return clarify_answer(session, ctx), []
        return clarify_answer(session, ctx, "ask_need", place=ctx.place.label), []
    ctx.text = need.get("text") or ""
    ctx.classifier_scores = need.get("scores") or None
    return route_answer(session, ctx), []


def place_reply(session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]] | None:
    """A text that is only a place of the catalogue is an answer to "where?", whatever intent
    the classifier gave it (a district it never saw in training, "Pansio", read as goodbye);
    the catalogue is read at run time, so a place staff add is understood at once."""
    if ctx.crisis_kinds or not ctx.place_only:
        return None
    return place_answer(session, ctx, tracker)


class ActionInformPlace(CatalogueAction):
    def name(self) -> str:
        return "action_inform_place"

    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        return place_answer(session, ctx, tracker)


class ActionOpeningHours(CatalogueAction):
    def name(self) -> str:
        return "action_opening_hours"

    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        return hours_answer(session, ctx), []


class ActionContact(CatalogueAction):
    def name(self) -> str:
        return "action_contact"

    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        return contact_answer(session, ctx), []


class ActionCrisis(CatalogueAction):
    """Danger, now or ongoing: 112 and the fitting helplines first, then the way on."""

    def name(self) -> str:
        return "action_crisis"

    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        # Inside the call-me-back form the request is kept; the rule runs the form on after this.
        in_form = tracker.active_loop_name == "callback_form"
        ctx.classifier_scores = confident_needs(tracker) or None
        return crisis_answer(session, ctx, errand_kept=in_form), []
