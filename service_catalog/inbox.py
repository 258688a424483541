"""The call-me-back inbox: a family's request to be contacted, routed to their perheneuvo.

A request holds as little personal data as the callback needs: how to reach the family (one
phone number or email), a few words on the topic, the municipality and the language. It is
deleted after `callback_retention_days` (`purge_expired`, run by the API at start-up and by
`python -m service_catalog.inbox purge`). The phone number or email is never written to a log
in clear (`mask_contact`).

An integrating system may be told of each new request by a signed webhook (`notify_webhook`;
the bot posts it in the background, `notify_webhook_in_background`).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import threading
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import JSON, Column, DateTime, ForeignKey, String, Text, delete, select
from sqlalchemy.orm import Session

from privacy.grammar import callback_number, find_emails
from service_catalog.admin import Conflict, NotFound
from service_catalog.models import Base, _now
from service_catalog.settings import Settings, get_settings

log = logging.getLogger(__name__)

STATUSES = ("new", "claimed", "closed")
CHANNELS = ("phone", "email")
TOPIC_MAX = 500
NOTE_MAX = 2000


class CallbackRequest(Base):
    __tablename__ = "callback_request"
    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now, index=True)
    municipality_id = Column(ForeignKey("municipality.id"), nullable=False, index=True)
    # The perheneuvo the request was routed to; None when the municipality has none yet.
    contact_id = Column(ForeignKey("contact.id"), index=True)
    contact_channel = Column(String(10), nullable=False)  # phone | email
    contact_value = Column(String(200), nullable=False)  # the number or address to answer
    topic = Column(Text, nullable=False)
    language = Column(String(2), nullable=False, default="fi")
    status = Column(String(10), nullable=False, default="new", index=True)
    claimed_by = Column(ForeignKey("staff_user.id"), index=True)
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
        created_at=now or _now(),
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
    request.closed_at = now or _now()
    return request


def add_note(
    session: Session, request_id: str, by: str, text: str, now: datetime | None = None
) -> CallbackRequest:
    request = get_request(session, request_id)
    note = {"by": by, "at": (now or _now()).isoformat(), "text": text.strip()[:NOTE_MAX]}
    request.notes = [*(request.notes or []), note]  # a new list, so the JSON column is saved
    return request


def purge_expired(session: Session, *, days: int | None = None, now: datetime | None = None) -> int:
    """Delete the requests older than the retention period; how many went."""
    days = get_settings().callback_retention_days if days is None else days
    cutoff = (now or _now()) - timedelta(days=days)
    result = session.execute(delete(CallbackRequest).where(CallbackRequest.created_at < cutoff))
    count = result.rowcount or 0
    if count:
        log.info("deleted %d callback requests older than %d days", count, days)
    return count


# --- the webhook ---------------------------------------------------------------------------

SIGNATURE_HEADER = "X-PK-Signature"


def webhook_body(request: CallbackRequest) -> dict[str, Any]:
    """What an integrator is told: enough to route and fetch the request, no personal data.

    - `id`: to fetch the request through the staff API (with its own token) when it acts on it;
    - `municipality` and `contact_id`: which team and which perheneuvo should answer;
    - `language`: so a colleague who speaks it calls back;
    - `created_at`: for the integrator's own queue and response-time figures.
    The phone number, email and topic stay in the inbox: they travel only to a signed-in caller.
    """
    created = request.created_at
    if created.tzinfo is None:  # SQLite returns naive UTC
        created = created.replace(tzinfo=timezone.utc)
    return {
        "event": "callback_request.created",
        "id": request.id,
        "municipality": request.municipality_id,
        "contact_id": request.contact_id,
        "language": request.language,
        "created_at": created.isoformat(),
    }


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


Poster = Callable[[urllib.request.Request, float], Any]


def _post(request: urllib.request.Request, timeout: float) -> Any:
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the configured URL)
        return response.status


def _signed_post(request: CallbackRequest, settings: Settings) -> urllib.request.Request | None:
    """The notification for `request`, or None when no webhook is configured."""
    if not (settings.callback_webhook_url and settings.callback_webhook_secret):
        return None
    body = json.dumps(webhook_body(request), separators=(",", ":")).encode("utf-8")
    return urllib.request.Request(
        settings.callback_webhook_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, settings.callback_webhook_secret),
        },
    )


def _deliver(outgoing: urllib.request.Request, request_id: str, timeout: float, post: Poster) -> bool:
    try:
        post(outgoing, timeout)
    except Exception as error:  # noqa: BLE001 (any failure of the hook is only logged)
        log.warning("callback webhook failed for request %s: %s", request_id, error)
        return False
    return True


def notify_webhook(request: CallbackRequest, settings: Settings | None = None, post: Poster = _post) -> bool:
    """POST the signed notification if a webhook is configured; never raises (the family's
    answer must not fail because the integrator is down). True when it was delivered."""
    settings = settings or get_settings()
    outgoing = _signed_post(request, settings)
    return outgoing is not None and _deliver(outgoing, request.id, settings.callback_webhook_timeout, post)


# A hook that hangs must not hold up the family's answer (nor, in the action server's event
# loop, everyone else's): notifications are posted by these threads, one at a time per thread.
_senders = ThreadPoolExecutor(max_workers=2, thread_name_prefix="callback-webhook")
_under_way: set[Future[bool]] = set()
_under_way_lock = threading.Lock()


def notify_webhook_in_background(
    request: CallbackRequest, settings: Settings | None = None, post: Poster = _post
) -> Future[bool] | None:
    """`notify_webhook` off the caller's path: returns at once, never raises. The body is made
    and signed now, from the committed row; None when no webhook is configured."""
    settings = settings or get_settings()
    try:
        outgoing = _signed_post(request, settings)
        if outgoing is None:
            return None
        sending = _senders.submit(_deliver, outgoing, request.id, settings.callback_webhook_timeout, post)
    except Exception as error:  # noqa: BLE001 (e.g. submitted while the process shuts down)
        log.warning("callback webhook not sent for request %s: %s", request.id, error)
        return None
    with _under_way_lock:
        _under_way.add(sending)
    sending.add_done_callback(_done)
    return sending


def _done(sending: Future[bool]) -> None:
    with _under_way_lock:
        _under_way.discard(sending)


def wait_for_webhooks(timeout: float | None = None) -> None:
    """Wait until the notifications under way are delivered or have failed (tests; shutdown)."""
    with _under_way_lock:
        sending = list(_under_way)
    wait(sending, timeout)


# --- CLI -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from service_catalog.db import new_session

    parser = argparse.ArgumentParser(prog="python -m service_catalog.inbox", description=__doc__)
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
