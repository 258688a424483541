"""Opening hours in PTV's shape: weekly, exceptional days, over midnight, Helsinki time."""

from datetime import date, datetime, timezone

from service_catalog.hours import HELSINKI, is_open_at, next_opening
from service_catalog.hours_format import day_hours_text, weekly_text
from service_catalog.seed import ptv_hours

NEUVOLA = ptv_hours(
    {
        "weekly": {"mo-fr": "08:00-16:00"},
        "exceptional": [
            {"from": "2026-12-24", "to": "2026-12-26", "closed": True, "name": {"fi": "Joulu"}},
            {"from": "2026-12-31", "hours": "08:00-12:00"},
        ],
    }
)
YOUTH_SPACE = ptv_hours({"weekly": {"we-th": "14:00-20:00", "fr": "18:00-01:00"}})


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


def test_open_on_a_weekday_and_closed_at_weekend():
    assert is_open_at(NEUVOLA, at(2026, 11, 24, 9, 0)) is True  # Tuesday
    assert is_open_at(NEUVOLA, at(2026, 11, 24, 16, 0)) is False
    assert is_open_at(NEUVOLA, at(2026, 11, 28, 10, 0)) is False  # Saturday


def test_exceptional_closed_days_override_weekly_hours():
    assert is_open_at(NEUVOLA, at(2026, 12, 24, 10, 0)) is False  # Thursday, Christmas Eve
    assert is_open_at(NEUVOLA, at(2026, 12, 31, 11, 0)) is True
    assert is_open_at(NEUVOLA, at(2026, 12, 31, 13, 0)) is False  # shortened day


def test_hours_over_midnight_continue_into_the_next_day():
    assert is_open_at(YOUTH_SPACE, at(2026, 11, 27, 23, 30)) is True  # Friday night
    assert is_open_at(YOUTH_SPACE, at(2026, 11, 28, 0, 30)) is True  # Saturday, still Friday's evening
    assert is_open_at(YOUTH_SPACE, at(2026, 11, 28, 1, 30)) is False


def test_open_now_is_computed_in_helsinki_time():
    # 06:30 UTC is 08:30 in Helsinki in November (UTC+2): open; 06:30 UTC in July is 09:30.
    assert is_open_at(NEUVOLA, datetime(2026, 11, 24, 6, 30, tzinfo=timezone.utc)) is True
    assert is_open_at(NEUVOLA, datetime(2026, 11, 24, 5, 30, tzinfo=timezone.utc)) is False


def test_unknown_and_always_open_hours():
    assert is_open_at([], at(2026, 11, 24, 9, 0)) is None
    always = ptv_hours({"always_open": True})
    assert is_open_at(always, at(2026, 12, 25, 3, 0)) is True
    assert weekly_text(always, "en") == "always open (24/7)"


def test_next_opening_skips_closed_holidays():
    assert next_opening(NEUVOLA, at(2026, 12, 23, 17, 0)) == at(2026, 12, 28, 8, 0)


def test_weekly_text_groups_equal_days_in_each_language():
    assert weekly_text(NEUVOLA, "fi", date(2026, 11, 24)) == "ma–pe 8–16"
    assert weekly_text(NEUVOLA, "sv", date(2026, 11, 24)) == "mån–fre 8–16"
    assert weekly_text(YOUTH_SPACE, "en", date(2026, 11, 24)) == "Wed–Thu 14–20, Fri 18–1"
    cafe = ptv_hours({"weekly": {"tu": "9:30-12:00", "th": "09:30-12:00"}})
    assert weekly_text(cafe, "fi", date(2026, 11, 24)) == "ti 9.30–12, to 9.30–12"


def test_day_text_shows_exceptions():
    assert day_hours_text(NEUVOLA, date(2026, 12, 24), "fi") == "suljettu"
    assert day_hours_text(NEUVOLA, date(2026, 12, 31), "en") == "8–12"
