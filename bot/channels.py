"""The chat webhook families use: Rasa's REST channel with the door guarded.

Same address and answer as Rasa's `rest` channel (POST /webhooks/rest/webhook, a list of bot
messages), but a request that is not a well-formed message gets a 4xx that says why, an
oversized one 413, a flood 429, and a failure of the stores behind the bot (lock store,
tracker store, action server) a 503 the widget can retry (its note says to call 112 in an
emergency), instead of Rasa's 200 with an empty answer. Rasa's own channel also logs the family's message in clear on every failure; this one
logs no message text, and `install_log_masking` masks what other loggers print.

The page's metadata is a flat object whose hints (`municipality`, `language`) are strings. A text
that starts with '/' is taken as plain text, the slashes dropped: Rasa would read '/restart' or
'/intent{"slot": "value"}' as an intent and entities of the sender's choosing, and a family who
types a slash first (a child in danger too) must still be answered, not refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.limits import Limiter, Rate
from bot.stores import TrackerStoreUnavailable
from privacy.masking import install_log_masking
from settings import (
    Networks,
    Settings,
    caller_address,
    get_settings,
    trusted_networks,
)

log = logging.getLogger(__name__)
# Rasa's own warnings (rasa.shared.utils.io.raise_warning, e.g. for a '/intent{...}' it cannot
# parse, with the text) are Python warnings written straight to stderr, past every log handler:
# through logging ('py.warnings') they are masked like the rest. This module is what Rasa's
# process imports of ours once its logging is set up (and the listener below masks what it adds later).
logging.captureWarnings(True)
install_log_masking()

SENDER_MAX = 128
METADATA_MAX_BYTES = 4096
# The page's hints (chat-payload.md): a string each, or absent.
METADATA_HINTS = {"municipality": '"Mikkeli"', "language": '"fi"'}
# Rasa reads a text that starts with '/' (after spaces, as it strips them) as an intent.
_COMMAND_PREFIX = re.compile(r"^[\s/]+")


class BadMessage(ValueError):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def max_body_bytes(settings: Settings) -> int:
    """The largest well-formed body: every character as a JSON surrogate pair escape
    (12 bytes, as an emoji is sent), the metadata and the rest of the object."""
    return settings.max_message_chars * 12 + METADATA_MAX_BYTES + 1024


def as_plain_text(text: str) -> str:
    """The text as the family's words, never a command: leading slashes (and spaces) dropped."""
    return _COMMAND_PREFIX.sub("", text) if text.strip().startswith("/") else text


def check_metadata(metadata: Any) -> None:
    """BadMessage unless the metadata is a small flat object whose hints are strings."""
    too_big = f"'metadata' must be a JSON object of at most {METADATA_MAX_BYTES} bytes"
    if not isinstance(metadata, dict):
        raise BadMessage(400, too_big)
    # Flat before measured: json.dumps of a deeply nested value would itself recurse too deep.
    for key, value in metadata.items():
        if isinstance(value, dict | list):
            raise BadMessage(400, f"'metadata' must be flat: {key[:40]!r} holds an object or a list")
    if len(json.dumps(metadata).encode()) > METADATA_MAX_BYTES:
        raise BadMessage(400, too_big)
    for key, example in METADATA_HINTS.items():
        if metadata.get(key) is not None and not isinstance(metadata[key], str):
            raise BadMessage(400, f"'metadata.{key}' must be a string, e.g. {example}")


def parse_message(body: bytes, settings: Settings) -> tuple[str, str, dict[str, Any] | None]:
    """(sender, text, metadata) of a webhook body, or BadMessage with the status to answer.
    The text is the family's words as plain text (`as_plain_text`)."""
    if len(body) > max_body_bytes(settings):
        raise BadMessage(413, f"the message is too long (at most {settings.max_message_chars} characters)")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadMessage(400, "the body is not UTF-8") from None
    except ValueError:
        raise BadMessage(400, "the body is not JSON") from None
    except RecursionError:
        raise BadMessage(400, "the body is nested too deeply to be a message") from None
    if not isinstance(data, dict):
        raise BadMessage(400, 'the body must be a JSON object: {"sender": "...", "message": "..."}')
    sender, text, metadata = data.get("sender"), data.get("message"), data.get("metadata")
    if not isinstance(sender, str) or not 0 < len(sender) <= SENDER_MAX or not sender.isprintable():
        raise BadMessage(400, f"'sender' must be a printable string of 1 to {SENDER_MAX} characters")
    if isinstance(text, str):
        text = as_plain_text(text)
    if not isinstance(text, str) or not text.strip():
        raise BadMessage(400, "'message' must be a non-empty string of words")
    if len(text) > settings.max_message_chars:
        raise BadMessage(413, f"the message is too long (at most {settings.max_message_chars} characters)")
    if metadata is not None:
        check_metadata(metadata)
    return sender, text, metadata


def client_address(request: Request, trusted: Networks) -> str:
    """The family's address (see `caller_address`)."""
    return caller_address(request.ip, request.headers.get("x-real-ip"), trusted)


def _key(kind: str, value: str) -> str:
    # The keys live in Redis for a minute; they need not carry the address or the sender.
    return kind + ":" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _error(status: int, reason: str, **headers: str) -> HTTPResponse:
    return response.json({"error": reason}, status=status, headers=headers or None)


def _unavailable() -> HTTPResponse:
    """A store or the action server is down: the widget retries (and its note names 112)."""
    return _error(503, "the chat is temporarily unavailable; try again in a moment", **{"Retry-After": "5"})


class FamilyChat(RestInput):
    """`bot.channels.FamilyChat` in credentials.yml; served at /webhooks/rest/webhook."""

    def __init__(self) -> None:
        settings = get_settings()
        self.settings = settings
        self.limiter = Limiter.for_url(settings.lock_store_url)
        self.per_conversation = Rate.parse(settings.rate_limit_per_conversation)
        self.per_client = Rate.parse(settings.rate_limit_per_client)
        self.trusted_proxies = trusted_networks(settings.trusted_proxies)

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> FamilyChat:
        return cls()

    def _limited(self, request: Request, sender: str) -> HTTPResponse | None:
        if not self.limiter.allows(
            _key("client", client_address(request, self.trusted_proxies)), self.per_client
        ):
            return _error(429, "too many messages from this address; wait a minute", **{"Retry-After": "60"})
        if not self.limiter.allows(_key("conversation", sender), self.per_conversation):
            return _error(
                429, "too many messages in this conversation; wait a minute", **{"Retry-After": "60"}
            )
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        chat = Blueprint("family_chat", __name__)

        @chat.listener("before_server_start")
        async def mask_late_handlers(_app: Any, _loop: Any) -> None:
            # Rasa adds its --log-file and syslog handlers after it made the channels.
            install_log_masking()

        @chat.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @chat.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata = parse_message(request.body or b"", self.settings)
            except BadMessage as bad:
                return _error(bad.status, str(bad))
            try:
                refused = self._limited(request, sender)
            except Exception as error:  # noqa: BLE001 (the counter's Redis is down)
                log.error("webhook refused: rate limit store unreachable (%s)", type(error).__name__)
                return _unavailable()
            if refused is not None:
                return refused
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
                )
            except (Exception, TrackerStoreUnavailable) as error:  # noqa: BLE001 (a store or the action server down)
                # No message text here: it may hold a phone number or worse.
                log.error("webhook message not processed: %s: %s", type(error).__name__, error)
                return _unavailable()
            if not collector.messages:
                # Every turn of this bot answers; none means the action server failed (Rasa logs
                # it and carries on silently). Say so, so the widget offers a retry and 112.
                log.error("webhook message got no answer: is the action server up?")
                return _unavailable()
            return response.json(collector.messages)

        return chat
