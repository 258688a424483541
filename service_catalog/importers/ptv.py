"""Import services from the national Service Information Repository PTV (Palvelutietovaranto).

    python -m service_catalog.importers.ptv FILE [--database-url URL] [--dry-run] [--max-delete-share 0.25]
    python -m service_catalog.importers.ptv --fetch 491 [--save FILE] [--dry-run] ...

FILE is recorded PTV open-API v11 JSON, as `fetch_services` returns it:

    {"municipalityCodes": ["491"],            # optional: the municipalities this file covers
     "services": [<v11 service>, ...],
     "serviceChannels": [<v11 service channel>, ...]}

A service becomes a `Service` whose type comes from `ptv_types.yml` (a service no rule maps is
skipped, with the reason in the report); its ServiceLocation channels become its locations, with
the channel's `serviceHours` stored exactly as PTV gives them (the catalogue keeps hours in that
shape, see hours.py). Municipalities are found by their Statistics Finland code.

The whole file is checked before anything is written and written in one transaction: a broken
file changes nothing. The sync is mark-and-sweep: PTV services of the covered municipalities that
are no longer in the file are deleted, but never more than `--max-delete-share` of them. Seed
services, and PTV services that cover a whole region or the country, are never swept.

Ids: the schema has no column for external ids (and this importer does not change the schema),
so the PTV id is kept in our id: a service is `ptv-<service uuid>`, a location
`ptv-<channel uuid>-<first 8 hex digits of the service uuid>` (one channel may serve several
services, a location belongs to one). Providers are `ptv-<organisation uuid>`.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service_catalog import admin
from service_catalog.admin import ENTITIES, Actor
from service_catalog.hours import service_hours_problems
from service_catalog.importers.common import (
    DEFAULT_MAX_DELETE_SHARE,
    check_brake,
    in_one_transaction,
)
from service_catalog.models import LANGUAGES, PROVIDER_KINDS, Municipality, Provider, Service, ServiceLocation
from service_catalog.taxonomy import service_types

PTV_API = "https://api.palvelutietovaranto.suomi.fi/api"
MAPPING_FILE = Path(__file__).with_name("ptv_types.yml")
PREFIX = "ptv-"
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

Json = dict[str, Any]
GetJson = Callable[[str, float], Any]


class PtvImportError(ValueError):
    """The PTV data cannot be imported as it is; nothing was changed."""


class PtvFetchError(RuntimeError):
    """The PTV API did not answer usefully, even after retries."""


# ---------------------------------------------------------------- mapping to our types


@dataclass(frozen=True)
class TypeMapping:
    """The rules of `ptv_types.yml`: PTV terms, classes and name keywords to our type codes."""

    ontology_terms: dict[str, str]
    service_classes: dict[str, str]
    name_keywords: tuple[tuple[str, str], ...]
    provider_kinds: tuple[tuple[str, str], ...]
    default_provider_kind: str

    @classmethod
    def load(cls, path: Path = MAPPING_FILE) -> TypeMapping:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        mapping = cls(
            ontology_terms={k.lower(): v for k, v in (data.get("ontology_terms") or {}).items()},
            service_classes={k.lower(): v for k, v in (data.get("service_classes") or {}).items()},
            name_keywords=tuple(
                (word.lower(), code)
                for code, words in (data.get("name_keywords") or {}).items()
                for word in words
            ),
            provider_kinds=tuple(
                (word.lower(), kind)
                for kind, words in (data.get("provider_kinds") or {}).items()
                for word in words
            ),
            default_provider_kind=data.get("default_provider_kind", "sote"),
        )
        codes = {*mapping.ontology_terms.values(), *mapping.service_classes.values()}
        codes |= {code for _, code in mapping.name_keywords}
        unknown = codes - set(service_types())
        kinds = {kind for _, kind in mapping.provider_kinds} | {mapping.default_provider_kind}
        if unknown or kinds - set(PROVIDER_KINDS):
            raise ValueError(
                f"{path.name}: unknown type codes {sorted(unknown)} or kinds {sorted(kinds - set(PROVIDER_KINDS))}"
            )
        return mapping

    def type_for(self, service: Json) -> tuple[str | None, str]:
        """Our type code for a PTV service and the rule that gave it (or why none did)."""
        for field_name, table in (
            ("ontologyTerms", self.ontology_terms),
            ("serviceClasses", self.service_classes),
        ):
            for term in service.get(field_name) or []:
                for key in _term_keys(term):
                    if key in table:
                        return table[key], f"{field_name} {key!r}"
        names = " | ".join(n.lower() for n in _texts(service.get("serviceNames"), "Name").values())
        for word, code in self.name_keywords:
            if word in names:
                return code, f"name keyword {word!r}"
        return None, "no ontology term, service class or name keyword of ptv_types.yml matches"

    def provider_kind(self, name: str) -> str:
        lowered = name.lower()
        words = set(re.findall(r"\w+", lowered))
        for word, kind in self.provider_kinds:
            if (word in words) if len(word) <= 4 else (word in lowered):
                return kind
        return self.default_provider_kind


@lru_cache
def default_mapping() -> TypeMapping:
    return TypeMapping.load()


def _term_keys(term: Any) -> Iterable[str]:
    if not isinstance(term, dict):
        return []
    keys = [str(term["uri"]).lower()] if term.get("uri") else []
    return keys + [
        n["value"].lower() for n in term.get("name") or [] if n.get("language") == "fi" and n.get("value")
    ]


# ---------------------------------------------------------------- reading PTV's shapes


def _texts(items: Any, kind: str | None = None) -> dict[str, str]:
    """PTV's [{language, value, type}] as {lang: value} for our languages, first one wins."""
    result: dict[str, str] = {}
    for item in items or []:
        if not isinstance(item, dict) or (kind and item.get("type", kind) != kind):
            continue
        lang, value = item.get("language"), item.get("value")
        if lang in LANGUAGES and value and lang not in result:
            result[lang] = str(value).strip()
    return result


def _localised(field_name: str, texts: dict[str, str]) -> Json:
    return {f"{field_name}_{lang}": texts.get(lang) for lang in LANGUAGES}


def _finnish_first(items: Any) -> Json | None:
    items = [i for i in items or [] if isinstance(i, dict)]
    return next((i for i in items if i.get("language") == "fi"), items[0] if items else None)


def _area_codes(areas: Any) -> list[str]:
    codes = []
    for area in areas or []:
        if isinstance(area, dict) and area.get("type", "Municipality") == "Municipality":
            codes += [str(m.get("code")) for m in area.get("municipalities") or [] if isinstance(m, dict)]
    return codes


def _location_address(channel: Json) -> Json | None:
    addresses = [a for a in channel.get("addresses") or [] if isinstance(a, dict)]
    visiting = [
        a for a in addresses if a.get("type") == "Location" and a.get("subType") in ("Single", "Street")
    ]
    return (visiting or [None])[0]


def _address_code(channel: Json) -> str | None:
    address = _location_address(channel)
    municipality = ((address or {}).get("streetAddress") or {}).get("municipality") or {}
    return str(municipality["code"]) if municipality.get("code") else None


def _phone(channel: Json) -> str | None:
    number = _finnish_first(channel.get("phoneNumbers"))
    if not number or not number.get("number"):
        return None
    digits = str(number["number"]).strip()
    prefix = number.get("prefixNumber")
    if number.get("isFinnishServiceNumber") or not prefix:
        return digits
    return f"{prefix} {digits.lstrip('0')}"


def _url(channel: Json) -> str | None:
    page = _finnish_first(channel.get("webPages"))
    return (page.get("url") or page.get("value")) if page else None


def _email(channel: Json) -> str | None:
    email = _finnish_first(channel.get("emails"))
    return email.get("value") if email else None


# ---------------------------------------------------------------- the report


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


# ---------------------------------------------------------------- checking and planning


@dataclass
class _Plan:
    service: Json
    locations: list[Json]
    provider: Json | None


def _check(data: Any, codes: dict[str, str]) -> None:
    """Every reason the file cannot be imported, at once; raises PtvImportError."""
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        raise PtvImportError('expected an object with a "services" list (and "serviceChannels")')
    if not isinstance(data.get("serviceChannels", []), list):
        raise PtvImportError('"serviceChannels" is not a list')
    problems: list[str] = []
    if not isinstance(data.get("municipalityCodes", []), list):
        raise PtvImportError('"municipalityCodes" is not a list')
    used_codes = [str(c) for c in data.get("municipalityCodes") or []]
    for n, service in enumerate(data["services"], 1):
        if not isinstance(service, dict) or not _UUID.fullmatch(str(service.get("id", ""))):
            problems.append(f"services[{n}]: not a service with a PTV id")
            continue
        used_codes += _area_codes(service.get("areas"))
        for link in service.get("serviceChannels") or []:
            if not _UUID.fullmatch(str(((link or {}).get("serviceChannel") or {}).get("id", ""))):
                problems.append(f"service {service['id']}: a serviceChannels entry without a channel id")
    for n, channel in enumerate(data.get("serviceChannels") or [], 1):
        if not isinstance(channel, dict) or not _UUID.fullmatch(str(channel.get("id", ""))):
            problems.append(f"serviceChannels[{n}]: not a channel with a PTV id")
            continue
        problems += service_hours_problems(
            channel.get("serviceHours") or [], f"channel {channel['id']}", seconds=True
        )
        used_codes += _area_codes(channel.get("areas")) + [c for c in [_address_code(channel)] if c]
    unknown = sorted(set(used_codes) - set(codes))
    if unknown:
        problems.append(
            f"unknown municipality codes {unknown}: add the municipalities to the catalogue first"
        )
    if problems:
        raise PtvImportError("; ".join(problems))


def _coverage(
    service: Json, channel_codes: list[str], codes: dict[str, str], regions: dict[str, str]
) -> Json | str:
    """region/municipality columns from the service's area, or why it cannot be expressed."""
    if service.get("areaType") == "Nationwide":
        return {"region_id": None, "municipality_id": None, "area_id": None}
    municipalities = sorted({codes[c] for c in _area_codes(service.get("areas")) or channel_codes})
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
    address = _location_address(channel) or {}
    street = address.get("streetAddress") or {}
    street_names = _texts(street.get("street"))
    street_name = street_names.get("fi") or next(iter(street_names.values()), None)
    street_address = " ".join(p for p in (street_name, street.get("streetNumber")) if p) or None
    post_office = _texts(street.get("postOffice"))
    code = _address_code(channel)
    area_codes = _area_codes(channel.get("areas"))
    municipality = (
        codes[code] if code else (codes[area_codes[0]] if len(area_codes) == 1 else fallback_municipality)
    )
    return {
        "id": f"{PREFIX}{channel['id']}-{service_uuid[:8]}",
        "municipality_id": municipality,
        "area_id": None,
        **_localised("name", _texts(channel.get("serviceChannelNames"), "Name")),
        "street_address": street_address,
        "postal_code": street.get("postalCode"),
        "post_office": post_office.get("fi") or next(iter(post_office.values()), None),
        "phone": _phone(channel),
        "email": _email(channel),
        "url": _url(channel),
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
    names = _texts(service.get("serviceNames"), "Name")
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
    channel_codes = [c for c in (_address_code(ch) for ch in places) if c]
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
    summaries = _texts(service.get("serviceDescriptions"), "Summary")
    descriptions = {**_texts(service.get("serviceDescriptions"), "Description"), **summaries}
    values = {
        "id": our_id,
        "type": type_code,
        "provider_id": provider["id"] if provider else None,
        **coverage,
        "languages": languages or ["fi"],
        "min_age": None,
        "max_age": None,
        **_localised("name", names),
        **_localised("description", descriptions),
        "keywords": keywords,
        "example_data": False,
    }
    locations = [_location(ch, service["id"], coverage["municipality_id"], codes) for ch in places]
    return _Plan(values, sorted(locations, key=lambda loc: loc["id"]), provider)


# ---------------------------------------------------------------- writing


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
        _check(data, codes)
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


# ---------------------------------------------------------------- fetching from the live API


def http_get_json(url: str, timeout: float) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https URL of PTV)
        return json.load(response)


def _get_with_retries(
    get: GetJson, url: str, *, timeout: float, retries: int, backoff: float, sleep: Callable
) -> Any:
    for attempt in range(retries + 1):
        try:
            return get(url, timeout)
        except urllib.error.HTTPError as error:
            if error.code < 500 and error.code != 429:
                raise PtvFetchError(f"{url}: HTTP {error.code}") from error
            last: Exception = error
        except (OSError, TimeoutError) as error:  # URLError, refused connections, timeouts
            last = error
        except ValueError as error:
            raise PtvFetchError(f"{url}: the answer is not JSON: {error}") from error
        if attempt < retries:
            sleep(backoff * 2**attempt)
    raise PtvFetchError(f"{url}: no answer after {retries + 1} tries: {last}") from last


def fetch_services(
    municipality_code: str,
    *,
    get: GetJson = http_get_json,
    base_url: str = PTV_API,
    timeout: float = 20.0,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Json:
    """A municipality's published services and their channels, in the shape `import_ptv` reads."""

    def fetch(url: str) -> Any:
        return _get_with_retries(get, url, timeout=timeout, retries=retries, backoff=backoff, sleep=sleep)

    services: list[Json] = []
    page, pages = 1, 1
    while page <= pages:
        body = fetch(f"{base_url}/v11/Service/list/area/Municipality/code/{municipality_code}?page={page}")
        services += body.get("itemList") or []
        pages, page = int(body.get("pageCount") or 1), page + 1
    channel_ids = sorted(
        {link["serviceChannel"]["id"] for s in services for link in s.get("serviceChannels") or []}
    )
    channels: list[Json] = []
    for start in range(0, len(channel_ids), 100):  # PTV answers at most 100 guids at a time
        guids = ",".join(channel_ids[start : start + 100])
        channels += fetch(f"{base_url}/v11/ServiceChannel/list?guids={guids}")
    return {"municipalityCodes": [municipality_code], "services": services, "serviceChannels": channels}


# ---------------------------------------------------------------- command line

CLI = Actor(label="cli:ptv-import")  # the audit log's name for imports run on the server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help="recorded PTV JSON")
    source.add_argument(
        "--fetch", metavar="CODE", help="fetch a municipality's services from the live PTV API"
    )
    parser.add_argument("--save", type=Path, help="with --fetch: also write what was fetched to this file")
    parser.add_argument("--database-url", help="defaults to the PK_DATABASE_URL setting")
    parser.add_argument("--dry-run", action="store_true", help="report what would change, save nothing")
    parser.add_argument("--max-delete-share", type=float, default=DEFAULT_MAX_DELETE_SHARE)
    args = parser.parse_args(argv)
    try:
        if args.fetch:
            data = fetch_services(args.fetch)
            if args.save:
                args.save.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        else:
            data = load_file(args.file)
        report = run_import(
            data, args.database_url, dry_run=args.dry_run, max_delete_share=args.max_delete_share, actor=CLI
        )
    except (PtvImportError, PtvFetchError, RuntimeError) as error:
        print(f"PTV import failed, nothing changed: {error}", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
