"""A generated catalogue of any size for scale tests: the seed plus made-up places and services.

The seed is loaded first (so its places and perheneuvo contacts stay real), then regions of
municipalities, some of them cities with areas, and services of every taxonomy type, copied
from the seed's services of that type (keywords, descriptions, ages, languages, hours) under
a generated name and place. Rows go in with Core bulk inserts: 100 000 services take seconds,
not the minutes the ORM would.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from language.text import LANGUAGES, fold
from service_catalog.models import (
    Area,
    Contact,
    Municipality,
    Provider,
    Region,
    Service,
    ServiceLocation,
    contact_area,
    contact_municipality,
)
from service_catalog.seed import load_seed
from service_catalog.taxonomy import service_types
from service_catalog.vocabulary import rebuild

# Name parts of made-up municipalities: "Koivujärvi", "Mäntyranta", ...
_HEADS = "Kivi Koivu Mänty Kuusi Lehto Haapa Paju Pihlaja Tammi Vaahtera Kataja Leppä Saarni Raita Honka Kelo Petäjä Visa Orava Kotka".split()
_TAILS = "järvi lahti mäki niemi salo koski vesi ranta kylä linna harju vaara joki lampi saari".split()
_DISTRICTS = "Keskusta Pohjoinen Eteläinen Itäinen Läntinen Rantakylä Asemanseutu Kirkonkylä".split()
# Shares of generated services by coverage; the rest are municipal.
NATIONWIDE, REGION_WIDE, IN_AN_AREA = 0.005, 0.045, 0.6
BATCH = 5000
_NOW = datetime(2026, 11, 26, tzinfo=timezone.utc)


@dataclass
class Places:
    regions: list[str] = field(default_factory=list)
    # (region, municipality id, name, [(area id, area name)])
    municipalities: list[tuple[str, str, str, list[tuple[str, str]]]] = field(default_factory=list)


def _batched(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(session: Session, table: Any, rows: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> None:
    for batch in _batched(iter(rows)):
        session.execute(insert(table), batch)


def _places(session: Session, n_regions: int, per_region: int, rng: random.Random) -> Places:
    # Not a name the seed has ("Mäntyharju"): one name, one place.
    taken = {fold(name) for name in session.scalars(select(Municipality.name_fi))}
    names = [head + tail for head in _HEADS for tail in _TAILS if fold(head + tail) not in taken]
    rng.shuffle(names)
    places = Places()
    municipalities, areas = [], []
    for r in range(n_regions):
        region = f"gen-r{r:02d}"
        places.regions.append(region)
        session.execute(insert(Region), [{"id": region, "name_fi": f"Hyvinvointialue {r}"}])
        for _ in range(per_region):
            n = len(places.municipalities)
            name = names[n % len(names)] + ("" if n < len(names) else str(n // len(names)))
            mun = f"gen-m{n:03d}"
            code = "G" + format(n, "02x")[-2:] if n < 256 else "H" + format(n - 256, "02x")
            districts = _DISTRICTS[: rng.randint(3, len(_DISTRICTS))] if n % 5 == 0 else []
            mun_areas = [(f"{mun}-a{i}", f"{name} {d}") for i, d in enumerate(districts)]
            places.municipalities.append((region, mun, name, mun_areas))
            municipalities.append({"id": mun, "code": code, "region_id": region, "name_fi": name})
            areas += [
                {"id": a, "municipality_id": mun, "name_fi": label, "districts": []} for a, label in mun_areas
            ]
    _insert(session, Municipality, municipalities)
    _insert(session, Area, areas)
    return places


def _templates(session: Session) -> dict[str, list[tuple[Service, list[dict]]]]:
    """The seed's services by type, each with its locations' hours."""
    hours: dict[str, list[dict]] = defaultdict(list)
    for service_id, location_hours in session.execute(
        select(ServiceLocation.service_id, ServiceLocation.hours)
    ):
        hours[service_id].append(location_hours)
    by_type: dict[str, list[tuple[Service, list[dict]]]] = defaultdict(list)
    for service in session.scalars(select(Service)):
        by_type[service.type].append((service, hours[service.id]))
    return by_type


def _providers(session: Session, places: Places) -> None:
    rows = [{"id": f"{r}-sote", "kind": "sote", "name_fi": f"Hyvinvointialue {r}"} for r in places.regions]
    rows += [
        {"id": f"{m}-kunta", "kind": "municipality", "name_fi": f"{name} kunta"}
        for _, m, name, _ in places.municipalities
    ]
    rows.append({"id": "gen-jarjesto", "kind": "ngo", "name_fi": "Valtakunnallinen järjestö"})
    _insert(session, Provider, rows)


def _contacts(session: Session, places: Places) -> None:
    """A perheneuvo per municipality, and one per area in the cities."""
    contacts, by_mun, by_area = [], [], []
    for _region, mun, name, areas in places.municipalities:
        for contact_id, label, area in [(f"{mun}-pn", name, None)] + [
            (f"{a}-pn", lab, a) for a, lab in areas
        ]:
            contacts.append(
                {
                    "id": contact_id,
                    "name": f"Perheneuvo {label}",
                    "phone": "+358 40 000 0000",
                    "languages": ["fi"],
                    "hours": [],
                }
            )
            by_mun.append({"contact_id": contact_id, "municipality_id": mun})
            if area:
                by_area.append({"contact_id": contact_id, "area_id": area})
    _insert(session, Contact, contacts)
    _insert(session, contact_municipality, by_mun)
    _insert(session, contact_area, by_area)


def _coverage(
    places: Places, rng: random.Random
) -> tuple[str | None, str | None, str | None, str, str | None]:
    """(region, municipality, area, label, provider) of one generated service."""
    draw = rng.random()
    if draw < NATIONWIDE:
        return None, None, None, "Suomi", "gen-jarjesto"
    region, mun, name, areas = rng.choice(places.municipalities)
    if draw < NATIONWIDE + REGION_WIDE:
        return region, None, None, "koko hyvinvointialue", f"{region}-sote"
    if areas and rng.random() < IN_AN_AREA:
        area, label = rng.choice(areas)
        return region, mun, area, label, f"{mun}-kunta"
    return region, mun, None, name, f"{mun}-kunta"


def _services(
    places: Places, templates: dict, count: int, rng: random.Random
) -> tuple[list[dict], list[dict]]:
    types = sorted(service_types())
    # Types with more seed services (clubs, meeting points) are more common, as in life.
    weights = [len(templates.get(code, [])) or 1 for code in types]
    services, locations = [], []
    for n in range(count):
        code = rng.choices(types, weights)[0]
        spec = service_types()[code]
        template, template_hours = rng.choice(templates[code])
        region, mun, area, label, provider = _coverage(places, rng)
        service_id = f"gen-s{n:06d}"
        languages = list(template.languages or ["fi"])
        if "sv" not in languages and rng.random() < 0.1:
            languages.append("sv")
        services.append(
            {
                "id": service_id,
                "type": code,
                "provider_id": provider,
                "region_id": region,
                "municipality_id": mun,
                "area_id": area,
                "languages": languages,
                "min_age": template.min_age,
                "max_age": template.max_age,
                **{f"name_{lang}": f"{spec.name(lang)}, {label} {n % 97}" for lang in LANGUAGES},
                **{f"description_{lang}": getattr(template, f"description_{lang}") for lang in LANGUAGES},
                "keywords": template.keywords,
                "example_data": True,
                "updated_at": _NOW,
            }
        )
        for i in range(1 if rng.random() < 0.8 else 2):
            locations.append(
                {
                    "id": f"{service_id}-l{i}",
                    "service_id": service_id,
                    "municipality_id": mun,
                    "area_id": area,
                    "name_fi": f"{spec.name('fi')} {label}",
                    "street_address": f"Palvelutie {rng.randint(1, 99)}",
                    "postal_code": f"{rng.randint(10000, 99999)}",
                    "post_office": label.split()[0],
                    "phone": f"+358 40 {rng.randint(1000000, 9999999)}",
                    "hours": rng.choice(template_hours) if template_hours else [],
                }
            )
    return services, locations


def generate(
    session: Session, services: int, *, seed: int = 1, regions: int = 19, per_region: int = 15
) -> Places:
    """Fill an empty, migrated catalogue: the seed plus `services` generated services in total."""
    rng = random.Random(seed)
    load_seed(session)
    session.flush()
    existing = len(session.scalars(select(Service.id)).all())
    places = _places(session, regions, per_region, rng)
    _providers(session, places)
    _contacts(session, places)
    service_rows, location_rows = _services(places, _templates(session), max(0, services - existing), rng)
    _insert(session, Service, service_rows)
    _insert(session, ServiceLocation, location_rows)
    # Bulk inserts pass the ORM's listeners by: count the type words once, at the end.
    rebuild(session.connection())
    return places
