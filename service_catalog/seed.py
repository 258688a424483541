"""Load the seed catalogue (data files in `seed/`) into the database.

    python -m service_catalog.seed [--database-url URL]

Brings the schema up to date first (Alembic). Rows are matched by id and replaced, so loading twice changes nothing.
"""

from __future__ import annotations

import argparse
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from language.text import LANGUAGES
from service_catalog.db import new_session
from service_catalog.hours import DAYS, Entry
from service_catalog.migrate import upgrade
from service_catalog.models import (
    PROVIDER_KINDS,
    Area,
    Contact,
    Helpline,
    Municipality,
    Provider,
    Region,
    Service,
    ServiceLocation,
)
from service_catalog.taxonomy import service_types

SEED_DIR = Path(__file__).with_name("seed")
DAY_CODES = ("mo", "tu", "we", "th", "fr", "sa", "su")
log = logging.getLogger(__name__)


class SeedError(ValueError):
    """A seed file does not follow the documented shape."""


def _names(data: dict[str, Any] | None, field: str = "name") -> dict[str, Any]:
    data = data or {}
    return {f"{field}_{lang}": data.get(lang) for lang in LANGUAGES}


def _days(spec: str) -> list[str]:
    first, _, last = spec.lower().partition("-")
    try:
        a, b = DAY_CODES.index(first), DAY_CODES.index(last or first)
    except ValueError:
        raise SeedError(f"unknown day range {spec!r}") from None
    return [DAYS[i] for i in range(a, b + 1)]


def _intervals(text: str) -> list[tuple[str, str]]:
    pairs = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*", part)
        if not match:
            raise SeedError(f"bad interval {part!r} in {text!r}")
        pairs.append((match[1].zfill(5), match[2].zfill(5)))
    return pairs


def _openings(days: Iterable[str | None], text: str) -> tuple[list[dict], list[dict]]:
    """Split the intervals into same-day and over-midnight openings."""
    same_day, over_midnight = [], []
    for day in days:
        for start, end in _intervals(text):
            if end > start:
                same_day.append({"dayFrom": day, "dayTo": None, "from": start, "to": end})
            else:
                next_day = DAYS[(DAYS.index(day) + 1) % 7] if day else None
                over_midnight.append({"dayFrom": day, "dayTo": next_day, "from": start, "to": end})
    return same_day, over_midnight


def ptv_hours(spec: dict[str, Any] | None) -> list[Entry]:
    """The seed's compact hours as PTV `serviceHours` entries (see hours.py)."""
    if not spec:
        return []
    base: Entry = {"validFrom": None, "validTo": None, "isClosed": False, "isAlwaysOpen": False}
    entries: list[Entry] = []
    if spec.get("always_open"):
        entries.append({**base, "serviceHourType": "DaysOfTheWeek", "isAlwaysOpen": True, "openingHour": []})
    weekly_same, weekly_over = [], []
    for days, text in (spec.get("weekly") or {}).items():
        same, over = _openings(_days(days), text)
        weekly_same += same
        weekly_over += over
    if weekly_same:
        entries.append({**base, "serviceHourType": "DaysOfTheWeek", "openingHour": weekly_same})
    if weekly_over:
        entries.append({**base, "serviceHourType": "OverMidnight", "openingHour": weekly_over})
    for exception in spec.get("exceptional") or []:
        start = str(exception["from"])
        openings = _openings([None], exception["hours"])[0] if exception.get("hours") else []
        entries.append(
            {
                **base,
                "serviceHourType": "Exceptional",
                "validFrom": start,
                "validTo": str(exception.get("to") or start),
                "isClosed": bool(exception.get("closed")),
                "openingHour": openings,
                "additionalInformation": [
                    {"language": lang, "value": value}
                    for lang, value in (exception.get("name") or {}).items()
                ],
            }
        )
    return entries


def _read(path: Path) -> dict[str, Any]:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise SeedError(f"{path.name}: {error}") from error


def _load_places(session: Session, data: dict[str, Any]) -> None:
    for region in data.get("regions", []):
        session.merge(Region(id=region["id"], **_names(region["name"])))
        for mun in region.get("municipalities", []):
            session.merge(
                Municipality(
                    id=mun["id"], code=mun.get("code"), region_id=region["id"], **_names(mun["name"])
                )
            )
            for area in mun.get("areas") or []:
                session.merge(
                    Area(
                        id=area["id"],
                        municipality_id=mun["id"],
                        districts=area.get("districts") or [],
                        **_names(area["name"]),
                    )
                )


def _load_providers(session: Session, data: dict[str, Any]) -> None:
    """National providers live in providers.yml; a region's own beside its services."""
    for provider in data.get("providers") or []:
        if provider["kind"] not in PROVIDER_KINDS:
            raise SeedError(f"provider {provider['id']}: unknown kind {provider['kind']!r}")
        session.merge(Provider(id=provider["id"], kind=provider["kind"], **_names(provider["name"])))


def _load_service(session: Session, item: dict[str, Any]) -> None:
    if item["type"] not in service_types():
        raise SeedError(f"service {item['id']}: unknown type {item['type']!r}")
    age = item.get("age") or {}
    service = Service(
        id=item["id"],
        type=item["type"],
        provider_id=item.get("provider"),
        region_id=item.get("region"),
        municipality_id=item.get("municipality"),
        area_id=item.get("area"),
        languages=item.get("languages") or ["fi"],
        min_age=age.get("min"),
        max_age=age.get("max"),
        keywords=item.get("keywords") or {},
        example_data=item.get("example_data", True),
        **_names(item["name"]),
        **_names(item.get("description"), "description"),
    )
    service.locations = [
        ServiceLocation(
            id=loc["id"],
            municipality_id=loc.get("municipality") or item.get("municipality"),
            area_id=loc.get("area") or item.get("area"),
            street_address=loc.get("street_address"),
            postal_code=str(loc["postal_code"]) if loc.get("postal_code") else None,
            post_office=loc.get("post_office"),
            phone=loc.get("phone"),
            email=loc.get("email"),
            url=loc.get("url"),
            hours=ptv_hours(loc.get("hours")),
            **_names(loc.get("name")),
        )
        for loc in item.get("locations") or []
    ]
    session.merge(service)


def _load_contact(session: Session, item: dict[str, Any]) -> None:
    contact = Contact(
        id=item["id"],
        name=item["name"],
        phone=item.get("phone"),
        email=item.get("email"),
        languages=item.get("languages") or ["fi"],
        hours=ptv_hours(item.get("hours")),
        example_data=item.get("example_data", True),
    )
    contact.municipalities = [session.get(Municipality, m) for m in item.get("municipalities") or []]
    contact.areas = [session.get(Area, a) for a in item.get("areas") or []]
    if None in contact.municipalities or None in contact.areas:
        raise SeedError(f"contact {item['id']}: unknown municipality or area")
    session.merge(contact)


def load_seed(session: Session, seed_dir: Path = SEED_DIR) -> dict[str, int]:
    """Load every seed file into `session` (the caller commits). Returns row counts."""
    _load_places(session, _read(seed_dir / "places.yml"))
    session.flush()
    _load_providers(session, _read(seed_dir / "providers.yml"))
    for line in _read(seed_dir / "helplines.yml").get("helplines", []):
        session.merge(
            Helpline(
                id=line["id"],
                phone=str(line["phone"]),
                hours=line.get("hours"),
                crisis=line.get("crisis") or [],
                order=line.get("order", 100),
                example_data=line.get("example_data", False),
                **_names(line["name"]),
            )
        )
    session.flush()
    counts = {"services": 0, "contacts": 0}
    for path in sorted((seed_dir / "services").glob("*.yml")):
        data = _read(path)
        _load_providers(session, data)
        session.flush()
        for item in data.get("services") or []:
            _load_service(session, item)
            counts["services"] += 1
        session.flush()
        for item in data.get("contacts") or []:
            _load_contact(session, item)
            counts["contacts"] += 1
    session.flush()
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="defaults to the PK_DATABASE_URL setting")
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="load only into a catalogue without services (keeps staff edits)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    upgrade(args.database_url)
    with new_session(args.database_url) as session, session.begin():
        if args.if_empty and session.scalar(select(func.count()).select_from(Service)):
            log.info("the catalogue has services: seed not loaded")
            return
        counts = load_seed(session)
    log.info("seed catalogue loaded: %(services)d services, %(contacts)d perheneuvo contacts", counts)


if __name__ == "__main__":
    main()
