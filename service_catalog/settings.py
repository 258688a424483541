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

    @validator("secret_key", always=True)
    def _secret_or_random(cls, value: str) -> str:  # noqa: N805
        return value or _process_secret()

    class Config:
        env_file = REPO_ROOT / ".env"
        env_prefix = "PK_"
        fields = {"database_url": {"env": ["PK_DATABASE_URL", "DATABASE_URL"]}}


@lru_cache
def get_settings() -> Settings:
    return Settings()
