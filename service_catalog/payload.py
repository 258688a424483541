"""The `pk.v1` payload of chat-payload.md, built from catalogue rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from service_catalog.hours import is_open_at
from service_catalog.hours_format import weekly_text
from service_catalog.models import Contact, Helpline, Service, ServiceLocation
from service_catalog.places import Place
from service_catalog.taxonomy import level_of

PAYLOAD = "pk.v1"


def service_item(
    service: Service, location: ServiceLocation | None, lang: str, now: datetime
) -> dict[str, Any]:
    municipality = None
    if location is not None and location.municipality is not None:
        municipality = location.municipality.name_fi
    elif service.municipality is not None:
        municipality = service.municipality.name_fi
    hours = location.hours if location is not None else []
    return {
        "id": service.id,
        "type": service.type,
        "level": level_of(service.type),
        "name": service.text("name", lang),
        "provider": service.provider.text("name", lang) if service.provider else None,
        "municipality": municipality,
        "phone": location.phone if location else None,
        "email": location.email if location else None,
        "url": location.url if location else None,
        "address": location.address if location else None,
        "hours": weekly_text(hours, lang, now.date()),
        "open_now": is_open_at(hours, now),
    }


def contact_item(contact: Contact, lang: str, place: Place | None, now: datetime) -> dict[str, Any]:
    return {
        "id": contact.id,
        "type": "perheneuvo",
        "name": contact.name,
        "phone": contact.phone,
        "email": contact.email,
        "hours": weekly_text(contact.hours, lang, now.date()),
        "area": place.label if place else None,
    }


def helpline_item(line: Helpline, lang: str) -> dict[str, Any]:
    return {"name": line.text("name", lang), "phone": line.phone, "hours": line.hours}


def payload(
    kind: str,
    lang: str,
    *,
    place: Place | None = None,
    services: list[dict[str, Any]] | None = None,
    contact: dict[str, Any] | None = None,
    helplines: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "payload": PAYLOAD,
        "kind": kind,
        "language": lang,
        "municipality": place.municipality_name if place else None,
        "services": services or [],
        "contact": contact,
    }
    if helplines is not None:
        message["helplines"] = helplines
    return message
