"""What every importer shares: one unit of work and the brake on deletions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from service_catalog.db import new_session

R = TypeVar("R")

# Refuse an import that would delete more than this share of the rows it syncs: an empty or
# truncated answer from a source must not empty the catalogue (django-munigeo's sync does the same).
DEFAULT_MAX_DELETE_SHARE = 0.25


def in_one_transaction(database_url: str | None, dry_run: bool, apply: Callable[[Session], R]) -> R:
    """One unit of work: apply, then commit, or roll back on a dry run or any error.

    The report `apply` returns is marked with `dry_run`, so what it says can be read right.
    """
    with new_session(database_url) as session:
        report = apply(session)
        report.dry_run = dry_run  # type: ignore[attr-defined]
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return report


class SyncBrakeError(RuntimeError):
    """The import would delete more rows than the brake allows; nothing was changed."""


def check_brake(what: str, existing: int, deleting: int, max_share: float) -> None:
    if existing and deleting / existing > max_share:
        raise SyncBrakeError(
            f"refusing to delete {deleting} of {existing} {what} ({deleting / existing:.0%} > "
            f"{max_share:.0%}); check the source, or raise the limit (--max-delete-share) if it is right"
        )
