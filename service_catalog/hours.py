"""Opening hours in the shape of the national service register PTV.

A location's hours are a list of PTV `serviceHours` entries, kept with PTV's own keys so an
import loses nothing:

    {"serviceHourType": "DaysOfTheWeek" | "Exceptional" | "OverMidnight",
     "validFrom": "2026-12-24" | null, "validTo": "2026-12-26" | null,
     "isClosed": false, "isAlwaysOpen": false,
     "openingHour": [{"dayFrom": "Monday", "dayTo": null, "from": "08:00", "to": "16:00"}],
     "additionalInformation": [{"language": "fi", "value": "Joulu"}]}

Exceptional entries replace the weekly hours on their dates (holidays, summer closures), so
"open now" is never wrong on a closed day. An interval whose end is not after its start, or an
OverMidnight entry, runs into the next day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HELSINKI = ZoneInfo("Europe/Helsinki")

Entry = dict[str, Any]
Interval = tuple[datetime, datetime]


def _parse_time(value: str) -> time:
    hours, minutes = value.split(":")[:2]
    if hours == "24":
        return time(23, 59, 59)
    return time(int(hours), int(minutes))


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _valid_on(entry: Entry, day: date) -> bool:
    start, end = _parse_date(entry.get("validFrom")), _parse_date(entry.get("validTo"))
    if entry.get("serviceHourType") == "Exceptional" and end is None:
        end = start  # PTV: an exceptional entry without an end is for one day
    return (start is None or start <= day) and (end is None or day <= end)


def _day_range(opening: dict[str, Any]) -> Sequence[str]:
    first = opening.get("dayFrom")
    if first is None:
        return DAYS
    return (first,)


def _intervals(entry: Entry, day: date, *, any_weekday: bool = False) -> list[Interval]:
    """The intervals that `entry` opens starting on `day`."""
    weekday = DAYS[day.weekday()]
    result = []
    for opening in entry.get("openingHour") or []:
        if not any_weekday and weekday not in _day_range(opening):
            continue
        start = datetime.combine(day, _parse_time(opening["from"]), HELSINKI)
        end_day = day
        if opening.get("dayTo") and opening["dayTo"] != opening.get("dayFrom"):
            end_day = day + timedelta(days=(DAYS.index(opening["dayTo"]) - day.weekday()) % 7)
        end = datetime.combine(end_day, _parse_time(opening["to"]), HELSINKI)
        if end <= start:
            end += timedelta(days=1)
        result.append((start, end))
    return result


def intervals_on(hours: Iterable[Entry], day: date) -> list[Interval] | None:
    """Opening intervals that start on `day`; [] when closed, None when nothing is known."""
    hours = list(hours)
    exceptional = [e for e in hours if e.get("serviceHourType") == "Exceptional" and _valid_on(e, day)]
    if exceptional:
        if any(e.get("isClosed") for e in exceptional):
            return []
        return sorted(i for e in exceptional for i in _intervals(e, day, any_weekday=True))
    regular = [e for e in hours if e.get("serviceHourType") != "Exceptional" and _valid_on(e, day)]
    if not regular:
        return None
    if any(e.get("isAlwaysOpen") for e in regular):
        start = datetime.combine(day, time(0), HELSINKI)
        return [(start, start + timedelta(days=1))]
    return sorted(i for e in regular if not e.get("isClosed") for i in _intervals(e, day))


def is_open_at(hours: Iterable[Entry], moment: datetime) -> bool | None:
    """Whether the location is open at `moment`; None when its hours are not known."""
    hours = list(hours)
    if not hours:
        return None
    local = moment.astimezone(HELSINKI)
    known = False
    # An interval that started yesterday may run past midnight into today.
    for day in (local.date() - timedelta(days=1), local.date()):
        intervals = intervals_on(hours, day)
        if intervals is None:
            continue
        known = True
        if any(start <= local < end for start, end in intervals):
            return True
    return False if known else None


def next_opening(hours: Iterable[Entry], after: datetime, horizon_days: int = 14) -> datetime | None:
    """The next moment the location opens after `after` (within the horizon)."""
    hours = list(hours)
    local = after.astimezone(HELSINKI)
    for offset in range(horizon_days + 1):
        for start, _end in intervals_on(hours, local.date() + timedelta(days=offset)) or []:
            if start > local:
                return start
    return None


HOUR_TYPES = ("DaysOfTheWeek", "Exceptional", "OverMidnight")
_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")
# PTV's own API writes its times with seconds ("08:00:00"); staff write HH:MM.
_CLOCK_WITH_SECONDS = re.compile(r"(([01]\d|2[0-3]):[0-5]\d|24:00)(:\d{2})?")


def _is_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value)[:10])
    except ValueError:
        return False
    return True


def service_hours_problems(entries: Any, where: str = "hours", *, seconds: bool = False) -> list[str]:
    """Everything that keeps `entries` from being PTV serviceHours this module can read ([] if none)."""
    if not isinstance(entries, list):
        return [f"{where} must be a list of PTV serviceHours entries or the compact weekly form"]
    clock = _CLOCK_WITH_SECONDS if seconds else _CLOCK
    problems = []
    for n, entry in enumerate(entries, 1):
        at = f"{where} entry {n}"
        if not isinstance(entry, dict):
            problems.append(f"{at}: not an object")
            continue
        if entry.get("serviceHourType") not in HOUR_TYPES:
            problems.append(
                f"{at}: serviceHourType {entry.get('serviceHourType')!r} must be one of {', '.join(HOUR_TYPES)}"
            )
        for key in ("validFrom", "validTo"):
            if entry.get(key) is not None and not _is_date(entry[key]):
                problems.append(f"{at}: {key} {entry[key]!r} is not a date (YYYY-MM-DD)")
        for key in ("isClosed", "isAlwaysOpen"):
            if not isinstance(entry.get(key, False), bool):
                problems.append(f"{at}: {key} must be true or false")
        openings = entry.get("openingHour") or []
        if not isinstance(openings, list):
            problems.append(f"{at}: openingHour must be a list")
            continue
        for opening in openings:
            if not isinstance(opening, dict):
                problems.append(f"{at}: an openingHour is not an object")
                continue
            for key in ("dayFrom", "dayTo"):
                if opening.get(key) is not None and opening[key] not in DAYS:
                    problems.append(f"{at}: {key} must be a weekday name ({', '.join(DAYS)}) or null")
            for key in ("from", "to"):
                if not isinstance(opening.get(key), str) or not clock.fullmatch(opening[key]):
                    problems.append(f"{at}: {key} {opening.get(key)!r} is not a time HH:MM")
    return problems


def check_service_hours(entries: Any) -> list[Entry]:
    """`entries` if they are PTV serviceHours this module can read, else ValueError saying why."""
    problems = service_hours_problems(entries)
    if problems:
        raise ValueError(problems[0])
    return entries
