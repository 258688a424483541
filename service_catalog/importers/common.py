"""What every importer shares: one unit of work, the check of PTV-shaped hours, the brake on deletions."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from service_catalog.db import new_session
from service_catalog.hours import DAYS

R = TypeVar("R")

# Refuse an import that would delete more than this share of the rows it syncs: an empty or
# truncated answer from a source must not empty the catalogue (django-munigeo's sync does the same).
DEFAULT_MAX_DELETE_SHARE = 0.25

HOUR_TYPES = ("DaysOfTheWeek", "Exceptional", "OverMidnight")
_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2}))?")


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


def _time_ok(value: Any) -> bool:
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if not match:
        return False
    hours, minutes = int(match[1]), int(match[2])
    return (hours < 24 and minutes < 60) or (hours == 24 and minutes == 0)


def _date_ok(value: Any) -> bool:
    if value is None:
        return True
    try:
        date.fromisoformat(str(value)[:10])
    except ValueError:
        return False
    return True


def hours_problems(entries: Any, where: str) -> list[str]:
    """What is wrong with a list of PTV `serviceHours` entries (empty when they are usable)."""
    if not isinstance(entries, list):
        return [f"{where}: serviceHours is not a list"]
    problems = []
    for n, entry in enumerate(entries, 1):
        at = f"{where}, serviceHours[{n}]"
        if not isinstance(entry, dict):
            problems.append(f"{at}: not an object")
            continue
        if entry.get("serviceHourType") not in HOUR_TYPES:
            problems.append(
                f"{at}: serviceHourType {entry.get('serviceHourType')!r} is not one of {HOUR_TYPES}"
            )
        for key in ("validFrom", "validTo"):
            if not _date_ok(entry.get(key)):
                problems.append(f"{at}: {key} {entry.get(key)!r} is not a date")
        openings = entry.get("openingHour") or []
        if not isinstance(openings, list):
            problems.append(f"{at}: openingHour is not a list")
            continue
        for opening in openings:
            if not isinstance(opening, dict):
                problems.append(f"{at}: an openingHour is not an object")
                continue
            for key in ("from", "to"):
                if not _time_ok(opening.get(key)):
                    problems.append(f"{at}: time {opening.get(key)!r} is not a time of day (HH:MM)")
            for key in ("dayFrom", "dayTo"):
                if opening.get(key) not in (None, *DAYS):
                    problems.append(f"{at}: {key} {opening.get(key)!r} is not a weekday")
    return problems
