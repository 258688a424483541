"""The call-me-back inbox: a family's request to be contacted, routed to their perheneuvo.

A request holds as little personal data as the callback needs: how to reach the family (one
phone number or email), a few words on the topic, the municipality and the language. It is
deleted after `callback_retention_days` (`purge_expired`, run by the API at start-up and by
`python -m office.inbox purge`). The phone number or email is never written to a log
in clear (`mask_contact`).

An integrating system may be told of each new request by a signed webhook (`notify_webhook`;
the bot posts it in the background, `notify_webhook_in_background`), sent by
`office.inbox_webhook` and importable from here too.
"""

from __future__ import annotations

import argparse
import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import JSON, Column, DateTime, ForeignKey, String, Text, delete, select
from sqlalchemy.orm import Session

from database import Base, utc_now

# The webhook sender lives in its own module; its names stay importable from here.
from office.inbox_webhook import (  # noqa: F401
    SIGNATURE_HEADER,
    notify_webhook,
    notify_webhook_in_background,
    sign,
    wait_for_webhooks,
    webhook_body,
)
from privacy.grammar import callback_number, find_emails
from service_catalog.admin import Conflict, NotFound
from service_catalog.models import Contact, Municipality
from settings import get_settings
from staff.accounts import StaffUser

log = logging.getLogger(__name__)

STATUSES = ("new", "claimed", "closed")
CHANNELS = ("phone", "email")
TOPIC_MAX = 500
NOTE_MAX = 2000


class CallbackRequest(Base):
    __tablename__ = "callback_request"
    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)
    municipality_id = Column(ForeignKey(Municipality.id), nullable=False, index=True)
    # The perheneuvo the request was routed to; None when the municipality has none yet.
    contact_id = Column(ForeignKey(Contact.id), index=True)
    contact_channel = Column(String(10), nullable=False)  # phone | email
    contact_value = Column(String(200), nullable=False)  # the number or address to answer
    topic = Column(Text, nullable=False)
    language = Column(String(2), nullable=False, default="fi")
    status = Column(String(10), nullable=False, default="new", index=True)
    claimed_by = Column(ForeignKey(StaffUser.id), index=True)
    notes = Column(JSON, nullable=False, default=list)  # [{"by": ..., "at": ..., "text": ...}]
    closed_at = Column(DateTime(timezone=True))


# --- the family's contact ------------------------------------------------------------------


def family_contact(text: str) -> tuple[str, str] | None:
    """("phone" | "email", value) from what the family wrote, or None if it holds neither.

    Phone numbers are ones a person answers (Finnish or foreign, in `privacy.grammar`'s
    canonical form); service numbers like 112 or 116 111 are not a way to call a family back.
    """
    text = (text or "").strip()
    emails = find_emails(text)
    if emails and len(emails[0].value) <= 200:
        return "email", emails[0].value
    number = callback_number(text)
    return ("phone", number) if number else None


def mask_contact(value: str | None) -> str:
    """A phone number or email as a log line may show it: "+35840*****67", "a***@example.fi"."""
    if not value:
        return ""
    if "@" in value:
        name, _, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    return value[:5] + "*" * max(len(value) - 7, 1) + value[-2:]


# --- the inbox -----------------------------------------------------------------------------


def create_request(
    session: Session,
    *,
    municipality_id: str,
    contact_id: str | None,
    channel: str,
    contact_value: str,
    topic: str,
    language: str,
    now: datetime | None = None,
) -> CallbackRequest:
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}")
    request = CallbackRequest(
        id=str(uuid.uuid4()),
        created_at=now or utc_now(),
        municipality_id=municipality_id,
        contact_id=contact_id,
        contact_channel=channel,
        contact_value=contact_value,
        topic=topic.strip()[:TOPIC_MAX],
        language=language,
        status="new",
        notes=[],
    )
    session.add(request)
    session.flush()
    log.info(
        "callback request %s for %s via %s %s",
        request.id,
        municipality_id,
        channel,
        mask_contact(contact_value),
    )
    return request


def list_requests(
    session: Session,
    *,
    municipality_id: str | None = None,
    status: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[CallbackRequest]:
    query = select(CallbackRequest).order_by(CallbackRequest.created_at.desc(), CallbackRequest.id)
    if municipality_id:
        query = query.where(CallbackRequest.municipality_id == municipality_id)
    if status:
        query = query.where(CallbackRequest.status == status)
    return list(session.scalars(query.limit(limit).offset(offset)))


def get_request(session: Session, request_id: str) -> CallbackRequest:
    request = session.get(CallbackRequest, request_id)
    if request is None:
        raise NotFound(f"no callback request {request_id!r} (answered and deleted after the retention?)")
    return request


def claim(session: Session, request_id: str, staff_user_id: int | None) -> CallbackRequest:
    """Take a new request on: colleagues see who calls the family."""
    request = get_request(session, request_id)
    if request.status == "closed":
        raise Conflict("the request is closed already")
    if request.status == "claimed" and request.claimed_by != staff_user_id:
        raise Conflict("a colleague has claimed this request already")
    request.status = "claimed"
    request.claimed_by = staff_user_id
    return request


def close(
    session: Session, request_id: str, staff_user_id: int | None, now: datetime | None = None
) -> CallbackRequest:
    request = get_request(session, request_id)
    if request.status == "closed":
        raise Conflict("the request is closed already")
    request.status = "closed"
    request.claimed_by = request.claimed_by or staff_user_id
    request.closed_at = now or utc_now()
    return request


def add_note(
    session: Session, request_id: str, by: str, text: str, now: datetime | None = None
) -> CallbackRequest:
    request = get_request(session, request_id)
    note = {"by": by, "at": (now or utc_now()).isoformat(), "text": text.strip()[:NOTE_MAX]}
    request.notes = [*(request.notes or []), note]  # a new list, so the JSON column is saved
    return request


def purge_expired(session: Session, *, days: int | None = None, now: datetime | None = None) -> int:
    """Delete the requests older than the retention period; how many went."""
    days = get_settings().callback_retention_days if days is None else days
    cutoff = (now or utc_now()) - timedelta(days=days)
    result = session.execute(delete(CallbackRequest).where(CallbackRequest.created_at < cutoff))
    count = result.rowcount or 0
    if count:
        log.info("deleted %d callback requests older than %d days", count, days)
    return count


# --- CLI -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from service_catalog.db import new_session

    parser = argparse.ArgumentParser(prog="python -m office.inbox", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    purge = sub.add_parser("purge", help="delete call-me-back requests older than the retention period")
    purge.add_argument("--days", type=int, default=None, help="default: PK_CALLBACK_RETENTION_DAYS (30)")
    purge.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    with new_session(args.database_url) as session, session.begin():
        count = purge_expired(session, days=args.days)
    print(f"deleted {count} call-me-back requests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
