"""What an action knows of the conversation: read from a Rasa tracker into a plain Context."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlalchemy.orm import Session

from actions.age import child_age
from actions.answers import Answer, Context
from bot.crisis import crisis_kinds
from language.detect import detect_language
from language.text import LANGUAGES
from service_catalog.hours import HELSINKI
from service_catalog.models import Area, Municipality
from service_catalog.places import Place, find_place, only_place, place_by_name

NEED_PREFIX = "need_"


def need_scores(parse_data: dict[str, Any]) -> dict[str, float]:
    """The classifier's confidence per service type, from its intent ranking."""
    return {
        entry["name"].removeprefix(NEED_PREFIX): float(entry.get("confidence") or 0.0)
        for entry in parse_data.get("intent_ranking") or []
        if str(entry.get("name", "")).startswith(NEED_PREFIX)
    }


def _place_from_slots(session: Session, tracker: Tracker) -> Place | None:
    # A place staff deleted since the last turn is forgotten, like one that never existed.
    municipality = session.get(Municipality, tracker.get_slot("municipality") or "")
    if municipality is None or municipality.is_deleted:
        return None
    area = session.get(Area, tracker.get_slot("area") or "")
    if area is not None and not area.is_deleted and area.municipality_id == municipality.id:
        return Place(municipality.id, municipality.name_fi, municipality.region_id, area.id, area.name_fi)
    return Place(municipality.id, municipality.name_fi, municipality.region_id)


def build_context(session: Session, tracker: Tracker, text: str | None = None) -> Context:
    message = tracker.latest_message or {}
    metadata = message.get("metadata") or {}
    text = message.get("text") or "" if text is None else text
    hint = tracker.get_slot("language") or metadata.get("language")
    place = (
        find_place(session, text)
        or _place_from_slots(session, tracker)
        or place_by_name(session, metadata.get("municipality"))
    )
    age = child_age(text)
    if age is None and tracker.get_slot("child_age") is not None:
        age = int(tracker.get_slot("child_age"))
    raw = message.get("text") or ""
    # A bare place name ("Mikkeli", "Kupittaa") says nothing of the language: keep the conversation's.
    place_only = only_place(session, raw) is not None
    lang = hint if hint in LANGUAGES and place_only else detect_language(raw, hint=hint)
    kinds = message.get("crisis_kinds")
    if kinds is None:
        # A tracker that did not come through our NLU (a test, another channel): the floor.
        kinds = crisis_kinds(text)
    return Context(
        text=text,
        crisis_kinds=list(kinds),
        lang=lang,
        place_only=place_only,
        now=datetime.now(HELSINKI),
        place=place,
        age=age,
        shown=list(tracker.get_slot("shown") or []),
    )


def context_slots(ctx: Context, answer: Answer) -> list[dict[str, Any]]:
    """Remember the language, place, age and what was shown for the follow-ups."""
    return [
        SlotSet("language", ctx.lang),
        SlotSet("municipality", ctx.place.municipality_id if ctx.place else None),
        SlotSet("area", ctx.place.area_id if ctx.place else None),
        SlotSet("child_age", ctx.age),
        SlotSet("shown", answer.shown or ctx.shown),
    ]
