"""One settings object for the actions, the API and the scripts.

Read from the environment (and `.env`) with embedded defaults, so a new user needs no server.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseSettings

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'catalog.sqlite3'}"
    timezone: str = "Europe/Helsinki"
    # How many services one routing answer lists (best first).
    max_services: int = 3
    rasa_url: str = "http://localhost:5005"

    class Config:
        env_file = REPO_ROOT / ".env"
        env_prefix = "PK_"
        fields = {"database_url": {"env": ["PK_DATABASE_URL", "DATABASE_URL"]}}


@lru_cache
def get_settings() -> Settings:
    return Settings()
