"""Checks for what staff type in: ids, Finnish phone numbers, email, web addresses, hours.

Phone numbers and emails follow `privacy.grammar`, the grammar masking uses too.

Each returns the value (normalised where that is harmless) or raises ValueError with a
message a staff member can act on; the API turns that into a 422.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from privacy.grammar import finnish_phone_number, is_email_address
from service_catalog.hours import check_service_hours
from service_catalog.seed import SeedError, ptv_hours

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def check_id(value: str) -> str:
    if not ID_PATTERN.fullmatch(value):
        raise ValueError(
            "an id is 1-64 characters: lower-case letters a-z, digits, '-' or '_', starting with a letter or digit"
        )
    return value


def check_phone(value: str) -> str:
    """A Finnish number as the staff member wrote it (spaces tidied): "+358 40 123 4567",
    "+358 (0)9 310 1234", "09 2525 0111", "0800 147 111", "112", "116 111"."""
    value = " ".join(value.split())
    if finnish_phone_number(value) is None:
        raise ValueError(
            f"{value!r} is not a Finnish phone number; write e.g. '+358 40 123 4567', '09 2525 0111', '0800 147 111' or '112'"
        )
    return value


def check_email(value: str) -> str:
    value = value.strip()
    if not is_email_address(value) or len(value) > 200:
        raise ValueError(f"{value!r} is not an email address")
    return value


def check_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value or "." not in parts.netloc:
        raise ValueError(f"{value!r} is not a web address starting with http:// or https://")
    return value


def normalise_hours(value: Any) -> list[dict[str, Any]]:
    """Hours in PTV's serviceHours shape, from that shape or the seed's compact one.

    Compact: {"weekly": {"mo-fr": "8:00-16:00", "sa": "10:00-14:00"}, "always_open": false,
    "exceptional": [{"from": "2026-12-24", "to": "2026-12-26", "closed": true, "name": {"fi": "Joulu"}}]}
    """
    if value is None:
        return []
    if isinstance(value, dict):
        try:
            value = ptv_hours(value)
        except SeedError as error:
            raise ValueError(f"hours: {error}") from None
        except (AttributeError, KeyError, TypeError) as error:
            raise ValueError(f"hours do not follow the compact form ({error})") from None
    return check_service_hours(value)
