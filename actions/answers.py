"""What the bot answers, built from the catalogue: plain functions, no Rasa in here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.dates import asked_day
from actions.texts import DAY_WORDS, TEXTS, say, when_text
from bot.crisis import child_voice, is_urgent
from service_catalog.contacts import helplines_for, perheneuvo_for
from service_catalog.coverage import NO_PLACE_EXAMPLE
from service_catalog.hours import is_open_at, next_opening
from service_catalog.hours_format import day_hours_text
from service_catalog.models import Area, Contact, Service
from service_catalog.payload import contact_item, helpline_item, payload, service_item
from service_catalog.places import Place, uncovered_place
from service_catalog.search import SERVICE_LOADS, RankedService, route_need

# Crisis kinds -> the service types that carry on once the immediate danger is over.
CRISIS_FOLLOW_UP = {
    "suicide": "mielenterveys_paihde",
    "violence": "vakivaltatyo",
    "child_abuse": "lastensuojelu",
    "harm_to_child": "lapsiperheiden_sosiaalityo",
    "no_carer": "lastensuojelu",
}


@dataclass
class Answer:
    texts: list[str]
    payload: dict[str, Any] | None = None
    # A crisis payload goes before any text, so the banner with 112 is the first thing shown.
    payload_first: bool = False
    shown: list[dict[str, str | None]] = field(default_factory=list)


@dataclass
class Context:
    text: str
    lang: str
    now: datetime
    place: Place | None = None
    age: int | None = None
    classifier_scores: dict[str, float] | None = None
    # The kinds of danger the NLU found in this message (computed once, in bot.components).
    crisis_kinds: list[str] = field(default_factory=list)
    shown: list[dict[str, str | None]] = field(default_factory=list)
    # The message is a place of the catalogue and nothing else ("Kupittaa"): an answer to "where?".
    place_only: bool = False


def _details(item: dict[str, Any], lang: str) -> str:
    parts = []
    if item.get("phone"):
        parts.append(say("phone", lang, value=item["phone"]))
    if item.get("address"):
        parts.append(item["address"])
    if item.get("hours"):
        state = ""
        if item.get("open_now") is not None:
            state = f" ({say('open_now' if item['open_now'] else 'closed_now', lang)})"
        parts.append(say("hours", lang, value=item["hours"]) + state)
    text = ". ".join(parts) + ("." if parts else "")
    return text[:1].upper() + text[1:]


def _contact_text(ctx: Context, contact: Contact | None) -> tuple[str | None, dict[str, Any] | None]:
    if contact is None:
        return None, None
    item = contact_item(contact, ctx.lang, ctx.place, ctx.now)
    text = say(
        "contact",
        ctx.lang,
        place=ctx.place.label if ctx.place else "",
        name=contact.name,
        phone=f", {say('phone', ctx.lang, value=contact.phone)}" if contact.phone else "",
        hours=f" ({item['hours']})" if item["hours"] else "",
    )
    return text, item


def _place_question(session: Session, ctx: Context) -> str | None:
    if ctx.place is None:
        return say("ask_municipality", ctx.lang)
    if ctx.place.area_id is None and session.scalar(
        select(Area.id)
        .where(Area.municipality_id == ctx.place.municipality_id, Area.deleted_at.is_(None))
        .limit(1)
    ):
        return say("ask_area", ctx.lang, municipality=ctx.place.municipality_name)
    return None


def _add_way_on(
    session: Session, ctx: Context, texts: list[str], contact: Contact | None
) -> dict[str, Any] | None:
    """Append the family's perheneuvo and, when the place is not known well enough, ask it."""
    contact_text, item = _contact_text(ctx, contact)
    if contact_text:
        texts.append(contact_text)
    question = _place_question(session, ctx)
    if question:
        texts.append(question)
    return item


def _shown(ranked: list[RankedService]) -> list[dict[str, str | None]]:
    return [{"service": r.service.id, "location": r.location.id if r.location else None} for r in ranked]


def route_answer(session: Session, ctx: Context) -> Answer:
    """A routing answer: the best services at once, the perheneuvo, and what to tell next."""

    def ranked_for(place: Place | None) -> list[RankedService]:
        return route_need(
            session,
            ctx.text,
            lang=ctx.lang,
            place=place,
            age=ctx.age,
            classifier_scores=ctx.classifier_scores,
        )

    uncovered = uncovered_place(session, ctx.text) if ctx.place is None else None
    if uncovered:
        return uncovered_answer(session, ctx, uncovered, ranked_for(None))
    ranked = ranked_for(ctx.place)
    if not ranked and ctx.place is not None and ranked_for(None):
        return clarify_answer(session, ctx, "no_service_here", place=ctx.place.label)
    if not ranked:
        return clarify_answer(session, ctx)
    items = [service_item(r.service, r.location, ctx.lang, ctx.now) for r in ranked]
    best = items[0]
    provider = f" ({best['provider']})" if best.get("provider") else ""
    # No place known and nothing of the kind serves everyone: the service shown is an example.
    lead = (
        "example_service"
        if ranked[0].place_rank >= NO_PLACE_EXAMPLE and ctx.place is None
        else "best_service"
    )
    texts = [
        say(lead, ctx.lang, name=best["name"], provider=provider, municipality=best.get("municipality") or "")
        + " "
        + _details(best, ctx.lang)
    ]
    if len(items) > 1:
        texts.append(say("also", ctx.lang, names=", ".join(i["name"] for i in items[1:])))
    contact = _add_way_on(session, ctx, texts, perheneuvo_for(session, ctx.place))
    message = payload("services", ctx.lang, place=ctx.place, services=items, contact=contact)
    return Answer(texts, message, shown=_shown(ranked))


def uncovered_answer(session: Session, ctx: Context, place: str, ranked: list[RankedService]) -> Answer:
    """A place the catalogue does not cover is named as such (chat-payload.md), never replaced by
    another municipality: only what serves the whole country is shown, with the helplines."""
    everyone = [r for r in ranked if r.service.region_id is None]
    items = [service_item(r.service, r.location, ctx.lang, ctx.now) for r in everyone]
    texts = [say("not_covered", ctx.lang, place=place)]
    if items:
        texts.append(say("not_covered_everyone", ctx.lang, names=", ".join(i["name"] for i in items)))
    lines = [helpline_item(line, ctx.lang) for line in helplines_for(session, ["child"])]
    kind = "services" if items else "clarify"
    message = payload(kind, ctx.lang, place=None, services=items, contact=None, helplines=lines)
    return Answer(texts, message, shown=_shown(everyone))


def one_door(session: Session, ctx: Context) -> list[RankedService]:
    """The perheneuvo service that fits the family's place and language."""
    return route_need(session, "", lang=ctx.lang, place=ctx.place, classifier_scores={"perheneuvo": 1.0})[:1]


def clarify_answer(session: Session, ctx: Context, text_key: str = "clarify", **values: Any) -> Answer:
    """Not sure what the family needs: ask, and offer the one door meanwhile."""
    ranked = one_door(session, ctx)
    items = [service_item(r.service, r.location, ctx.lang, ctx.now) for r in ranked]
    texts = [say(text_key, ctx.lang, **values)]
    contact_text, contact = _contact_text(ctx, perheneuvo_for(session, ctx.place))
    if contact_text:
        texts.append(contact_text)
    message = payload("clarify", ctx.lang, place=ctx.place, services=items, contact=contact)
    return Answer(texts, message, shown=_shown(ranked))


def _line_text(line: dict[str, Any]) -> str:
    hours = f" ({line['hours']})" if line.get("hours") else ""
    return f"{line['name']} {line['phone']}{hours}"


def _crisis_services(session: Session, ctx: Context) -> list[RankedService]:
    """The errand goes on after 112: the family's own need when the classifier is sure of one
    ("he has hit me for years, is there a shelter"), else the service that carries on after
    that kind of danger."""
    if ctx.classifier_scores:
        ranked = route_need(
            session,
            ctx.text,
            lang=ctx.lang,
            place=ctx.place,
            age=ctx.age,
            classifier_scores=ctx.classifier_scores,
        )
        if ranked:
            return ranked
    follow_up = {CRISIS_FOLLOW_UP[k]: 1.0 for k in ctx.crisis_kinds if k in CRISIS_FOLLOW_UP}
    if not follow_up:
        return []
    return route_need(session, "", lang=ctx.lang, place=ctx.place, classifier_scores=follow_up)


def crisis_answer(session: Session, ctx: Context, *, errand_kept: bool = False) -> Answer:
    """112 first, then the lines that fit the danger, in words fit for the writer and the moment."""
    kinds = ctx.crisis_kinds
    child = child_voice(ctx.text)
    urgent = is_urgent(ctx.text, kinds)
    tags = (["child"] if child else []) + kinds
    lines = [helpline_item(line, ctx.lang) for line in helplines_for(session, tags)]
    ranked = _crisis_services(session, ctx)
    items = [service_item(r.service, r.location, ctx.lang, ctx.now) for r in ranked]
    moment = "" if urgent else "_ongoing"
    texts = [say(f"crisis_112{moment}", ctx.lang)]
    others = ", ".join(_line_text(line) for line in lines if line["phone"] != "112")
    if others:
        texts.append(say(f"crisis_lines{moment}", ctx.lang, lines=others))
    if child:
        texts.append(say("crisis_child_voice", ctx.lang))
    texts.extend(say(f"crisis_{kind}", ctx.lang) for kind in kinds[:2] if f"crisis_{kind}" in TEXTS)
    if not child:
        texts.append(say("crisis_care", ctx.lang))
    if errand_kept:
        texts.append(say("crisis_form_kept", ctx.lang))
    _text, contact = _contact_text(ctx, perheneuvo_for(session, ctx.place))
    message = payload("crisis", ctx.lang, place=ctx.place, services=items, contact=contact, helplines=lines)
    message["crisis_kinds"] = kinds
    return Answer(texts, message, payload_first=True, shown=_shown(ranked))


def out_of_scope_answer(ctx: Context) -> Answer:
    return Answer([say("out_of_scope", ctx.lang)], payload("out_of_scope", ctx.lang, place=ctx.place))


def _shown_services(session: Session, shown: list[dict[str, str | None]]) -> list[tuple[Service, Any]]:
    ids = [s["service"] for s in shown if s.get("service")]
    if not ids:
        return []
    services = {
        s.id: s for s in session.scalars(select(Service).where(Service.id.in_(ids)).options(*SERVICE_LOADS))
    }
    result = []
    for entry in shown:
        service = services.get(entry["service"] or "")
        if service is None:
            continue  # removed from the catalogue since it was shown
        location = next((loc for loc in service.locations if loc.id == entry.get("location")), None)
        result.append((service, location or (service.locations[0] if service.locations else None)))
    return result


def hours_answer(session: Session, ctx: Context) -> Answer:
    """ "Onko se auki lauantaina?": the hours of the service shown last, on the day asked."""
    shown = _shown_services(session, ctx.shown)
    if not shown:
        # "Milloin perhekerho kokoontuu?" names its own need: answer that, with its hours.
        routed = route_answer(session, ctx)
        if routed.payload and routed.payload["kind"] == "services":
            return routed
        return Answer([say("no_previous_service", ctx.lang)])
    service, location = shown[0]
    item = service_item(service, location, ctx.lang, ctx.now)
    day = asked_day(ctx.text, ctx.now.date())
    hours = location.hours if location else []
    if not hours:
        phone = f" ({item['phone']})" if item.get("phone") else ""
        texts = [say("hours_unknown", ctx.lang, name=item["name"], phone=phone)]
    elif day is None:
        texts = [f"{item['name']}: " + _details(item, ctx.lang)]
    else:
        day_name = f"{DAY_WORDS[ctx.lang][day.weekday()]} {day.day}.{day.month}."
        texts = [
            say(
                "hours_on_day",
                ctx.lang,
                name=item["name"],
                day=day_name,
                hours=day_hours_text(hours, day, ctx.lang),
            )
        ]
    message = payload(
        "services",
        ctx.lang,
        place=ctx.place,
        services=[item],
        contact=_contact_text(ctx, perheneuvo_for(session, ctx.place))[1],
    )
    return Answer(texts, message, shown=ctx.shown)


def contact_answer(session: Session, ctx: Context) -> Answer:
    """ "Kenelle soitan?": the service shown last, and the family's perheneuvo."""
    shown = _shown_services(session, ctx.shown)
    if not shown:
        shown = [(r.service, r.location) for r in one_door(session, ctx)]
    items = [service_item(service, location, ctx.lang, ctx.now) for service, location in shown[:1]]
    texts = []
    if items and items[0].get("phone"):
        texts.append(say("call_service", ctx.lang, name=items[0]["name"], phone=items[0]["phone"]))
    perheneuvo = perheneuvo_for(session, ctx.place)
    contact = _add_way_on(session, ctx, texts, perheneuvo)
    texts.extend(closed_hint(ctx, perheneuvo))
    message = payload(
        "services" if items else "clarify", ctx.lang, place=ctx.place, services=items, contact=contact
    )
    return Answer(texts, message, shown=ctx.shown)


def closed_hint(ctx: Context, contact: Contact | None, *, offer_callback: bool = True) -> list[str]:
    """Outside the perheneuvo's hours: when they answer next, and (unless the family has just
    made one) the call-me-back request instead of a number nobody picks up now. Nothing while
    open or when the hours are unknown."""
    if contact is None or is_open_at(contact.hours, ctx.now) is not False:
        return []
    texts = []
    opening = next_opening(contact.hours, ctx.now)
    if opening is not None:
        texts.append(say("closed_next", ctx.lang, when=when_text(opening, ctx.lang, ctx.now)))
    if offer_callback:
        texts.append(say("callback_offer", ctx.lang))
    return texts
