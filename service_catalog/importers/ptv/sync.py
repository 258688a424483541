"""The sync of PTV data into the catalogue: the plan of each service and its locations, and
the writes, audited, in one transaction.

A service becomes a `Service` whose type comes from `ptv_types.yml` (a service no rule maps is
skipped, with the reason in the report); its ServiceLocation channels become its locations, with
the channel's `serviceHours` stored exactly as PTV gives them (the catalogue keeps hours in that
shape, see hours.py). Municipalities are found by their Statistics Finland code.

The whole file is checked before anything is written and written in one transaction: a broken
file changes nothing. The sync is mark-and-sweep: PTV services of the covered municipalities that
are no longer in the file are deleted, but never more than `max_delete_share` of them. Seed
services, and PTV services that cover a whole region or the country, are never swept.

Ids: the schema has no column for external ids (and this importer does not change the schema),
so the PTV id is kept in our id: a service is `ptv-<service uuid>`, a location
`ptv-<channel uuid>-<first 8 hex digits of the service uuid>` (one channel may serve several
services, a location belongs to one). Providers are `ptv-<organisation uuid>`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from language.text import LANGUAGES
from service_catalog import admin
from service_catalog.admin import ENTITIES, Actor
from service_catalog.importers.common import (
    DEFAULT_MAX_DELETE_SHARE,
    check_brake,
    in_one_transaction,
)
from service_catalog.importers.ptv.mapping import TypeMapping, default_mapping
from service_catalog.importers.ptv.parsing import (
    Json,
    PtvImportError,
    address_code,
    area_codes,
    check_data,
    email,
    localised,
    location_address,
    phone,
    texts,
    url,
)
from service_catalog.models import Municipality, Provider, Service, ServiceLocation

PREFIX = "ptv-"


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    dry_run: bool = False

    def lines(self) -> list[str]:
        counts = ", ".join(
            f"{len(getattr(self, name))} {name}"
            for name in ("created", "updated", "unchanged", "deleted", "skipped")
        )
        lines = [f"PTV import{' (dry run, nothing saved)' if self.dry_run else ''}: {counts}"]
        for name in ("created", "updated", "deleted"):
            lines += [f"  {name}: {item}" for item in getattr(self, name)]
        lines += [f"  skipped: {item}: {reason}" for item, reason in self.skipped]
        return lines


@dataclass
class _Plan:
    service: Json
    locations: list[Json]
    provider: Json | None


def _coverage(
    service: Json, channel_codes: list[str], codes: dict[str, str], regions: dict[str, str]
) -> Json | str:
    """region/municipality columns from the service's area, or why it cannot be expressed."""
    if service.get("areaType") == "Nationwide":
        return {"region_id": None, "municipality_id": None, "area_id": None}
    municipalities = sorted({codes[c] for c in area_codes(service.get("areas")) or channel_codes})
    if not municipalities:
        return "no area and no located channel: the catalogue cannot tell where it is given"
    covering = {regions[m] for m in municipalities}
    if len(covering) > 1:
        return "its area spans several wellbeing services counties, which the catalogue cannot express"
    single = municipalities[0] if len(municipalities) == 1 else None
    return {"region_id": covering.pop(), "municipality_id": single, "area_id": None}


def _location(
    channel: Json, service_uuid: str, fallback_municipality: str | None, codes: dict[str, str]
) -> Json:
    address = location_address(channel) or {}
    street = address.get("streetAddress") or {}
    street_names = texts(street.get("street"))
    street_name = street_names.get("fi") or next(iter(street_names.values()), None)
    street_address = " ".join(p for p in (street_name, street.get("streetNumber")) if p) or None
    post_office = texts(street.get("postOffice"))
    code = address_code(channel)
    areas = area_codes(channel.get("areas"))
    municipality = codes[code] if code else (codes[areas[0]] if len(areas) == 1 else fallback_municipality)
    return {
        "id": f"{PREFIX}{channel['id']}-{service_uuid[:8]}",
        "municipality_id": municipality,
        "area_id": None,
        **localised("name", texts(channel.get("serviceChannelNames"), "Name")),
        "street_address": street_address,
        "postal_code": street.get("postalCode"),
        "post_office": post_office.get("fi") or next(iter(post_office.values()), None),
        "phone": phone(channel),
        "email": email(channel),
        "url": url(channel),
        # Exactly as PTV gives them: hours.py reads this shape (Exceptional overrides weekly).
        "hours": copy.deepcopy(channel.get("serviceHours") or []),
    }


def _plan(
    service: Json,
    channels: dict[str, Json],
    mapping: TypeMapping,
    codes: dict[str, str],
    regions: dict[str, str],
    report: Report,
) -> _Plan | None:
    our_id = f"{PREFIX}{service['id']}"
    names = texts(service.get("serviceNames"), "Name")
    if "fi" not in names:
        report.skipped.append((our_id, "no Finnish name"))
        return None
    type_code, why = mapping.type_for(service)
    if type_code is None:
        report.skipped.append((our_id, f"{names['fi']!r}: {why}"))
        return None
    linked = [
        ((link or {}).get("serviceChannel") or {})["id"] for link in service.get("serviceChannels") or []
    ]
    places = []
    for channel_id in linked:
        channel = channels.get(channel_id)
        if channel is None:
            report.skipped.append((f"{our_id} channel {channel_id}", "channel not in the file"))
        elif channel.get("serviceChannelType", "ServiceLocation") != "ServiceLocation":
            report.skipped.append(
                (
                    f"{our_id} channel {channel_id}",
                    f"a {channel['serviceChannelType']} channel is not a place",
                )
            )
        else:
            places.append(channel)
    channel_codes = [c for c in (address_code(ch) for ch in places) if c]
    coverage = _coverage(service, channel_codes, codes, regions)
    if isinstance(coverage, str):
        report.skipped.append((our_id, coverage))
        return None
    organisations = [o for o in service.get("organizations") or [] if (o or {}).get("organization")]
    responsible = next(
        (o for o in organisations if o.get("roleType") == "Responsible"), (organisations or [None])[0]
    )
    provider = None
    if responsible and responsible["organization"].get("id"):
        org = responsible["organization"]
        name = str(org.get("name") or org["id"])
        provider = {"id": f"{PREFIX}{org['id']}", "kind": mapping.provider_kind(name), "name_fi": name}
    languages = [str(lang).lower() for lang in service.get("languages") or [] if isinstance(lang, str)]
    keywords: dict[str, list[str]] = {}
    for keyword in service.get("keywords") or []:
        if isinstance(keyword, dict) and keyword.get("language") in LANGUAGES and keyword.get("value"):
            keywords.setdefault(keyword["language"], []).append(str(keyword["value"]))
    summaries = texts(service.get("serviceDescriptions"), "Summary")
    descriptions = {**texts(service.get("serviceDescriptions"), "Description"), **summaries}
    values = {
        "id": our_id,
        "type": type_code,
        "provider_id": provider["id"] if provider else None,
        **coverage,
        "languages": languages or ["fi"],
        "min_age": None,
        "max_age": None,
        **localised("name", names),
        **localised("description", descriptions),
        "keywords": keywords,
        "example_data": False,
    }
    locations = [_location(ch, service["id"], coverage["municipality_id"], codes) for ch in places]
    return _Plan(values, sorted(locations, key=lambda loc: loc["id"]), provider)


def _columns(row: Any, names: Iterable[str]) -> Json:
    return {name: getattr(row, name) for name in names}


LOCATION_FIELDS = (
    "id",
    "municipality_id",
    "area_id",
    "name_fi",
    "name_sv",
    "name_en",
    "street_address",
    "postal_code",
    "post_office",
    "phone",
    "email",
    "url",
    "hours",
)


# (entity, row, action, the row before): audited once the import is flushed and rows have versions.
Changes = list[tuple[str, Any, str, Json | None]]


def _write(session: Session, plan: _Plan, report: Report, changes: Changes) -> None:
    values = plan.service
    existing = session.get(Service, values["id"], options=[selectinload(Service.locations)])
    if existing is None:
        row = Service(**values, locations=[ServiceLocation(**loc) for loc in plan.locations])
        session.add(row)
        report.created.append(values["id"])
        changes.append(("service", row, "create", None))
        return
    same_service = _columns(existing, values) == values
    same_locations = [_columns(loc, LOCATION_FIELDS) for loc in existing.locations] == plan.locations
    if same_service and same_locations:
        report.unchanged.append(values["id"])
        return
    changes.append(("service", existing, "update", admin.record(ENTITIES["service"], existing)))
    for name, value in values.items():
        setattr(existing, name, value)
    by_id = {loc.id: loc for loc in existing.locations}
    kept = []
    for loc_values in plan.locations:
        location = by_id.get(loc_values["id"]) or ServiceLocation(id=loc_values["id"])
        for name, value in loc_values.items():
            setattr(location, name, value)
        kept.append(location)
    existing.locations = kept
    report.updated.append(values["id"])


def _write_provider(session: Session, provider: Json, report: Report, changes: Changes) -> None:
    existing = session.get(Provider, provider["id"])
    if existing is None:
        row = Provider(**provider)
        session.add(row)
        report.created.append(f"provider {provider['id']}")
        changes.append(("provider", row, "create", None))
    elif existing.name_fi != provider["name_fi"]:
        changes.append(("provider", existing, "update", admin.record(ENTITIES["provider"], existing)))
        existing.name_fi = provider["name_fi"]  # the kind may have been corrected by staff: kept
        report.updated.append(f"provider {provider['id']}")


def import_ptv(
    session: Session,
    data: Any,
    *,
    mapping: TypeMapping | None = None,
    max_delete_share: float = DEFAULT_MAX_DELETE_SHARE,
    actor: Actor | None = None,
) -> Report:
    """Sync PTV data into the catalogue in `session` (the caller commits or rolls back).

    With an `actor`, each service and provider created, updated or deleted gets an audit entry
    naming them, as an edit through the admin API does."""
    mapping = mapping or default_mapping()
    municipalities = session.execute(select(Municipality.code, Municipality.id, Municipality.region_id)).all()
    codes = {code: mid for code, mid, _ in municipalities if code}
    regions = {mid: region for _, mid, region in municipalities}
    report = Report()
    try:
        check_data(data, codes)
        channels = {ch["id"]: ch for ch in data.get("serviceChannels") or []}
        plans = [p for s in data["services"] if (p := _plan(s, channels, mapping, codes, regions, report))]
    except (AttributeError, KeyError, TypeError) as error:
        # Uploaded JSON can be any shape: a list where PTV has an object is a broken file, not a crash.
        raise PtvImportError(f"the file does not have the shape of PTV's open API ({error!r})") from error
    location_ids = [loc["id"] for p in plans for loc in p.locations]
    if len(set(location_ids)) != len(location_ids):
        raise PtvImportError("two locations would get the same id (a service listed twice?)")

    # Mark and sweep: PTV services of the covered municipalities that the file no longer has.
    scope = {codes[str(c)] for c in data.get("municipalityCodes") or []}
    scope |= {p.service["municipality_id"] for p in plans if p.service["municipality_id"]}
    seen = {f"{PREFIX}{s['id']}" for s in data["services"]}
    existing = set(
        session.scalars(
            select(Service.id).where(Service.id.like(f"{PREFIX}%"), Service.municipality_id.in_(scope))
        )
    )
    gone = sorted(existing - seen)
    check_brake("PTV services of the covered municipalities", len(existing), len(gone), max_delete_share)

    changes: Changes = []
    for provider in {p.provider["id"]: p.provider for p in plans if p.provider}.values():
        _write_provider(session, provider, report, changes)
    session.flush()
    for plan in plans:
        _write(session, plan, report, changes)
    for service_id in gone:
        row = session.get(Service, service_id, options=[selectinload(Service.locations)])
        changes.append(("service", row, "delete", admin.record(ENTITIES["service"], row)))
        session.delete(row)
        report.deleted.append(service_id)
    session.flush()
    if actor is not None:
        for entity, row, action, before in changes:
            admin.audit(session, actor, ENTITIES[entity], row, action, before, gone=action == "delete")
    return report


def load_file(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PtvImportError(f"{path}: cannot read it as JSON: {error}") from error


def run_import(
    data: Any,
    database_url: str | None = None,
    *,
    dry_run: bool = False,
    max_delete_share: float = DEFAULT_MAX_DELETE_SHARE,
    actor: Actor | None = None,
) -> Report:
    """One unit of work: import and commit, or roll back on a dry run or any error."""
    return in_one_transaction(
        database_url,
        dry_run,
        lambda session: import_ptv(session, data, max_delete_share=max_delete_share, actor=actor),
    )
