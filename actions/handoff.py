"""The call-me-back request, without Rasa: check what the family wrote, store, answer.

The answer is a `handoff` payload of chat-payload.md with the perheneuvo of the municipality
as its contact and the one-door service (or none) as its services.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from actions.answers import Answer, Context, closed_hint, one_door
from actions.texts import say
from office.inbox import CallbackRequest, create_request, family_contact, mask_contact
from privacy.masking import mask_personal_data
from service_catalog.contacts import perheneuvo_for
from service_catalog.models import Contact
from service_catalog.payload import contact_item, payload, service_item
from service_catalog.places import Place, find_place

log = logging.getLogger(__name__)
TOPIC_MAX = 500


@dataclass
class CallbackForm:
    """The form's slots at submit time."""

    consent: bool | None
    contact: str | None
    topic: str | None
    municipality: str | None


def valid_contact(text: str) -> str | None:
    """The phone number or email to store, or None to ask again."""
    found = family_contact(text)
    if found is None:
        log.info("callback contact refused: %s", mask_contact(text.strip()))
        return None
    return found[1]


def valid_topic(text: str) -> str | None:
    """The family's matter in their words, personal data masked: the number or email they
    give goes in its own field, and staff, exports and logs read the topic."""
    text = mask_personal_data(" ".join((text or "").split()))
    return text[:TOPIC_MAX] if len(text) >= 2 else None


def valid_municipality(session: Session, text: str) -> Place | None:
    """A municipality of the catalogue (at run time: one staff just added counts)."""
    return find_place(session, text or "")


def _handoff_payload(session: Session, ctx: Context) -> tuple[dict, Contact | None]:
    contact = perheneuvo_for(session, ctx.place)
    item = contact_item(contact, ctx.lang, ctx.place, ctx.now) if contact else None
    services = [service_item(r.service, r.location, ctx.lang, ctx.now) for r in one_door(session, ctx)]
    return payload("handoff", ctx.lang, place=ctx.place, services=services, contact=item), contact


def offer_answer(session: Session, ctx: Context) -> Answer:
    """The request itself is routed at once: the one door, while the form asks consent and the rest."""
    message, _contact = _handoff_payload(session, ctx)
    return Answer([], message, shown=ctx.shown)


def no_consent_answer(session: Session, ctx: Context) -> Answer:
    """Nothing stored; the perheneuvo's own phone when the place is known."""
    message, contact = _handoff_payload(session, ctx)
    texts = [say("callback_no_consent", ctx.lang)]
    if contact is not None and contact.phone:
        texts.append(say("callback_call_yourself", ctx.lang, name=contact.name, phone=contact.phone))
    else:
        texts.append(say("callback_ask_contact_question", ctx.lang))
    return Answer(texts, message, shown=ctx.shown)


def submit_callback(
    session: Session, ctx: Context, form: CallbackForm
) -> tuple[Answer, CallbackRequest | None]:
    """Store the request routed to the municipality's perheneuvo and confirm it.

    The caller commits, then notifies the webhook. Without consent nothing is stored."""
    place = valid_municipality(session, form.municipality or "") if form.consent else None
    found = family_contact(form.contact or "") if form.consent else None
    topic = valid_topic(form.topic or "") if form.consent else None
    if not (form.consent and place and found and topic):
        return no_consent_answer(session, ctx), None
    ctx.place = place
    message, contact = _handoff_payload(session, ctx)
    channel, value = found
    request = create_request(
        session,
        municipality_id=place.municipality_id,
        contact_id=contact.id if contact else None,
        channel=channel,
        contact_value=value,
        topic=topic,
        language=ctx.lang,
    )
    how = say(f"channel_{channel}", ctx.lang)
    if contact is not None:
        texts = [say("callback_done", ctx.lang, name=contact.name, place=place.label, channel=how)]
    else:
        texts = [say("callback_done_no_contact", ctx.lang, place=place.label, channel=how)]
    texts.extend(closed_hint(ctx, contact, offer_callback=False))
    texts.append(say("callback_crisis_note", ctx.lang))
    return Answer(texts, message, shown=ctx.shown), request
