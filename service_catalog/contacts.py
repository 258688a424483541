"""The perheneuvo of a place, and the helplines for a crisis."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service_catalog.models import Contact, Helpline, Municipality
from service_catalog.places import Place


def perheneuvo_for(session: Session, place: Place | None) -> Contact | None:
    """The contact for the family's area if known, else the one for its municipality."""
    if place is None:
        return None
    contacts = session.scalars(
        select(Contact)
        .join(Contact.municipalities)
        .where(Municipality.id == place.municipality_id, Contact.deleted_at.is_(None))
        .options(selectinload(Contact.areas), selectinload(Contact.municipalities))
        .order_by(Contact.id)
    ).all()

    def fit(contact: Contact) -> int:
        area_ids = {a.id for a in contact.areas}
        if place.area_id and place.area_id in area_ids:
            return 0
        return 1 if not area_ids else 2

    return min(contacts, key=fit, default=None)


def helplines_for(session: Session, tags: list[str]) -> list[Helpline]:
    """112 first, then the lines for the first tag (the likeliest kind, or a child writing),
    then those for the next; every line when nothing is known of the danger."""
    lines = session.scalars(
        select(Helpline).where(Helpline.deleted_at.is_(None)).order_by(Helpline.order, Helpline.id)
    ).all()
    if not tags:
        return list(lines)

    def fit(line: Helpline) -> int | None:
        covers = set(line.crisis or [])
        if "any" in covers:
            return -1
        return next((i for i, tag in enumerate(tags) if tag in covers), None)

    fitting = [(rank, line.order, line.id, line) for line in lines if (rank := fit(line)) is not None]
    return [line for *_key, line in sorted(fitting, key=lambda row: row[:3])]
