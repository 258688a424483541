"""Opening hours as short text for a chat answer: "ma–pe 8–16, la 10–14"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from service_catalog.hours import DAYS, HELSINKI, Entry, intervals_on

DAY_NAMES = {
    "fi": ("ma", "ti", "ke", "to", "pe", "la", "su"),
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
ALWAYS_OPEN = {"fi": "auki aina (24/7)", "sv": "alltid öppet (24/7)", "en": "always open (24/7)"}
CLOSED = {"fi": "suljettu", "sv": "stängt", "en": "closed"}


def _clock(moment: datetime, lang: str) -> str:
    if moment.minute == 0:
        return str(moment.hour)
    separator = ":" if lang == "en" else "."
    return f"{moment.hour}{separator}{moment.minute:02d}"


def _day_text(intervals: list[tuple[datetime, datetime]], lang: str) -> str:
    return ", ".join(f"{_clock(a, lang)}–{_clock(b, lang)}" for a, b in intervals)


def day_hours_text(hours: Iterable[Entry], day: date, lang: str) -> str | None:
    """The hours of one date, exceptions included: "8–16", "suljettu", or None if unknown."""
    intervals = intervals_on(list(hours), day)
    if intervals is None:
        return None
    return _day_text(intervals, lang) if intervals else CLOSED[lang]


def weekly_text(hours: Iterable[Entry], lang: str, today: date | None = None) -> str | None:
    """The regular week (exceptions left out) grouped by equal days, or None if unknown."""
    regular = [e for e in hours if e.get("serviceHourType") != "Exceptional"]
    if not regular:
        return None
    if any(e.get("isAlwaysOpen") for e in regular):
        return ALWAYS_OPEN[lang]
    today = today or datetime.now(HELSINKI).date()
    monday = date.fromordinal(today.toordinal() - today.weekday())
    week = [
        _day_text(intervals_on(regular, date.fromordinal(monday.toordinal() + i)) or [], lang)
        for i in range(len(DAYS))
    ]
    groups: list[tuple[int, int, str]] = []
    for index, text in enumerate(week):
        if groups and groups[-1][2] == text and groups[-1][1] == index - 1:
            groups[-1] = (groups[-1][0], index, text)
        else:
            groups.append((index, index, text))
    names = DAY_NAMES[lang]
    parts = [f"{names[a]}{'–' + names[b] if b > a else ''} {text}" for a, b, text in groups if text]
    return ", ".join(parts) or CLOSED[lang]
