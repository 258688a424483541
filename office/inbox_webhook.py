"""The signed webhook that tells an integrating system of each new call-me-back request.

The body names the request, never the family's contact or topic (`webhook_body`), and is
signed with HMAC-SHA256 of the shared secret (`X-PK-Signature: sha256=...`). A failed or hanging
hook is only logged: `notify_webhook` posts once and never raises, and the bot posts through
`notify_webhook_in_background`, a small thread pool, so the family's answer never waits for it.
`office.inbox` re-exports these names.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import urllib.request
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import timezone
from typing import TYPE_CHECKING, Any

from settings import Settings, get_settings

if TYPE_CHECKING:  # the inbox imports this module; the row is only read here
    from office.inbox import CallbackRequest

log = logging.getLogger(__name__)

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
