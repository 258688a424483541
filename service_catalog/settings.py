"""One settings object for the actions, the API and the scripts.

Read from the environment (and `.env`) with embedded defaults, so a new user needs no server.
"""

from __future__ import annotations

import logging
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import BaseSettings, validator

REPO_ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


@lru_cache
def _process_secret() -> str:
    log.warning(
        "PK_SECRET_KEY is not set: staff sign-in tokens use a random key that lasts until this "
        "process ends. Set PK_SECRET_KEY (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) in production."
    )
    return secrets.token_urlsafe(48)


class Settings(BaseSettings):
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'catalog.sqlite3'}"
    timezone: str = "Europe/Helsinki"
    # How many services one routing answer lists (best first).
    max_services: int = 3
    rasa_url: str = "http://localhost:5005"
    # Signs staff access tokens (JWT, HS256). No default that works in production: when unset,
    # a random key per process (tokens die with the process) and a warning.
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
    def _secret_or_random(cls, value: str) -> str:  # noqa: N805
        return value or _process_secret()

    class Config:
        env_file = REPO_ROOT / ".env"
        env_prefix = "PK_"
        fields = {"database_url": {"env": ["PK_DATABASE_URL", "DATABASE_URL"]}}


def comma_list(value: str) -> list[str]:
    """The items of a comma-separated setting (PK_CORS_ORIGINS, PK_TRUSTED_PROXIES), blanks dropped."""
    return [item.strip() for item in value.split(",") if item.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
