"""One settings object for the actions, the API and the scripts.

Read from the environment (and `.env`) with embedded defaults, so a new user needs no server.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseSettings, validator

REPO_ROOT = Path(__file__).resolve().parent
log = logging.getLogger(__name__)

NEW_KEY_HINT = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
MISSING_SECRET_KEY = (
    "PK_SECRET_KEY is not set, and production (PK_ENVIRONMENT=production) will not start without it: "
    "it signs staff tokens and keys the conversation hashes that erasure finds a family's data by, so "
    f"the API and the action servers must all have the same one. Make one with `{NEW_KEY_HINT}` and "
    "give it to every process (deploy/compose.env.example)."
)


@lru_cache
def _process_secret() -> str:
    log.warning(
        "PK_SECRET_KEY is not set and no development key could be kept: staff sign-in tokens and "
        "conversation hashes use a random key that lasts until this process ends. Set PK_SECRET_KEY "
        f"(e.g. `{NEW_KEY_HINT}`)."
    )
    return secrets.token_urlsafe(48)


def _read_secret(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise ValueError(f"{path} is empty: delete it (a new key is made) or set PK_SECRET_KEY")
    return key


def development_secret(path: Path) -> str:
    """The key all development processes of this checkout share, made by the first (mode 0600).

    Without one shared key the action server and the API would hash a conversation differently,
    and its answers could be neither joined nor erased. The file appears whole or not at all
    (written aside, then hard-linked into place), so two processes starting at once agree."""
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(aside, path)
            log.info("made the development secret key %s (PK_SECRET_KEY is not set)", path)
        except FileExistsError:  # another process made it first: its key it is
            pass
        finally:
            aside.unlink()
    except OSError as error:  # a read-only checkout or container
        log.warning("could not keep a development key at %s: %s", path, error)
        return _process_secret()
    return _read_secret(path)


class Settings(BaseSettings):
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'catalog.sqlite3'}"
    rasa_url: str = "http://localhost:5005"
    # "production" in every process of a production set-up (`make production` sets it for the
    # processes it starts): a setting production cannot do without then stops the process.
    environment: Literal["development", "production"] = "development"
    # Where development keeps the key it makes when PK_SECRET_KEY is unset (once, mode 0600).
    secret_key_file: Path = REPO_ROOT / "var" / "secret_key"
    # Signs staff access tokens (JWT, HS256) and keys the conversation hashes of the answer
    # figures, so the API and the action server must share it. Production refuses to start
    # without it; development shares the key of `secret_key_file`.
    secret_key: str = ""
    access_token_minutes: int = 60
    # Call-me-back requests are deleted this many days after they were made.
    callback_retention_days: int = 30
    # Optional signed notification of each new request to an integrating system (both needed).
    callback_webhook_url: str = ""
    callback_webhook_secret: str = ""
    callback_webhook_timeout: float = 3.0
    # The largest PTV file POST /admin/imports/ptv accepts (bytes); larger ones are refused, 413.
    ptv_import_max_bytes: int = 20_000_000
    # Answer events, unanswered questions and ratings are deleted this many days after.
    insights_retention_days: int = 365

    # --- production (issue 6): every default needs no server ---------------------------------
    # Rasa's conversations: empty = in memory (lost at restart); a SQLAlchemy URL = SQL tracker
    # store, e.g. postgresql://rasa@db/rasa. Lock store: empty = in memory (one Rasa server
    # only); redis://host:6379/1 when several Rasa servers share the conversations.
    tracker_store_url: str = ""
    lock_store_url: str = ""
    # Conversations (tracker events) are deleted this many days after their last message.
    tracker_retention_days: int = 30
    # A conversation session longer than this many events is compacted (a new session that
    # carries its slots and open form over), so no turn loads an unbounded history.
    tracker_max_events: int = 400
    # Token for Rasa's HTTP API; empty keeps the API off (only the chat webhook is served).
    rasa_token: str = ""
    # Where the Rasa servers reach the action server (deploy/endpoints.yml reads it).
    action_server_url: str = "http://localhost:5055/webhook"
    # Shared by the Rasa servers and the action server (`python -m actions.server`), which then
    # answers only calls that carry it (deploy/endpoints.yml sends it); empty = any caller.
    action_token: str = ""
    # Origins whose pages may call the chat webhook and the API (comma-separated).
    cors_origins: str = "http://localhost:8000,http://127.0.0.1:8000"
    # A family's message longer than this is refused with 413 (characters).
    max_message_chars: int = 2000
    # Webhook rate limits (the `limits` library's notation); shared through the lock store's
    # Redis when there is one, so they hold across Rasa servers.
    rate_limit_per_conversation: str = "30/minute"
    rate_limit_per_client: str = "300/minute"
    # Proxies whose X-Real-IP names the family's address (addresses or networks, comma-separated):
    # nginx on this machine by default; the compose network or the pod network behind an ingress.
    trusted_proxies: str = "127.0.0.1,::1"
    # How long one message may hold its conversation's lock (Rasa's TICKET_LOCK_LIFETIME): a
    # server killed mid-message holds the conversation at most this long.
    ticket_lock_lifetime: int = 15
    # The production set-up on one machine (`make production`): nginx in front of this many
    # Rasa servers, and the ports they take.
    rasa_instances: int = 2
    action_instances: int = 1
    public_port: int = 8080

    @validator("secret_key", always=True)
    def _secret_or_shared_development_key(cls, value: str, values: dict[str, Any]) -> str:  # noqa: N805
        if value:
            return value
        if values.get("environment") == "production":
            raise ValueError(MISSING_SECRET_KEY)
        return development_secret(values.get("secret_key_file") or REPO_ROOT / "var" / "secret_key")

    class Config:
        env_file = REPO_ROOT / ".env"
        env_prefix = "PK_"
        fields = {"database_url": {"env": ["PK_DATABASE_URL", "DATABASE_URL"]}}


def comma_list(value: str) -> list[str]:
    """The items of a comma-separated setting (PK_CORS_ORIGINS, PK_TRUSTED_PROXIES), blanks dropped."""
    return [item.strip() for item in value.split(",") if item.strip()]


Networks = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


def trusted_networks(setting: str) -> Networks:
    """PK_TRUSTED_PROXIES as networks."""
    return tuple(ipaddress.ip_network(item, strict=False) for item in comma_list(setting))


def caller_address(peer: str, forwarded: str | None, trusted: Networks) -> str:
    """The caller's address: X-Real-IP when a trusted proxy (our nginx) sent the request; the
    chat webhook and the staff sign-in both count by it."""
    forwarded = (forwarded or "").strip()
    try:
        peer_ip = ipaddress.ip_address(peer)
    except ValueError:
        return peer or "unknown"
    return forwarded if forwarded and any(peer_ip in network for network in trusted) else peer


@lru_cache
def get_settings() -> Settings:
    return Settings()
