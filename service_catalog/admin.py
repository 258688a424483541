"""Catalogue administration: create, update, soft delete and restore, each with an audit entry.

Data come in the seed's shape (`seed/README.md`): `name: {fi, sv, en}`, references by id
(`provider`, `municipality`, ...), hours already in PTV's shape (`validation.normalise_hours`).
Every write checks the version the editor saw (optimistic concurrency): SQLAlchemy's
`version_id_col` also refuses a concurrent commit between our check and the UPDATE. The
caller owns the transaction: these functions flush, the caller commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from language.text import LANGUAGES
from service_catalog.models import (
    Area,
    Contact,
    Helpline,
    Municipality,
    Provider,
    Region,
    Service,
    ServiceLocation,
)
from staff.audit import AuditEntry

Data = dict[str, Any]


@dataclass(frozen=True)
class Actor:
    """Who makes a change, as the audit log names them."""

    label: str
    staff_user_id: int | None = None
    api_token_id: int | None = None


class AdminError(Exception):
    """A catalogue write that cannot be done; the message says why."""


class NotFound(AdminError):
    pass


class Conflict(AdminError):
    """The row exists already, is (not) deleted, or live rows still refer to it."""


class InvalidData(AdminError):
    """The data break a rule of the catalogue (the API answers 422)."""


class InvalidReference(InvalidData):
    """The data name a row that does not exist or is deleted."""


class VersionMismatch(AdminError):
    def __init__(self, current: int | None) -> None:
        self.current = current
        super().__init__(
            f"the row has changed since you read it (now version {current}); reload it and apply your change again"
            if current is not None
            else "the row was changed by someone else at the same time; reload it and apply your change again"
        )


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _names(row: Any, field_name: str = "name") -> dict[str, str | None]:
    return {lang: getattr(row, f"{field_name}_{lang}") for lang in LANGUAGES}


def _set_names(
    row: Any, names: dict[str, str | None] | None, field_name: str = "name", required: bool = False
) -> None:
    names = names or {}
    if required and not names.get("fi"):
        raise InvalidData(f"{field_name}.fi (the Finnish {field_name}) is required")
    for lang in LANGUAGES:
        setattr(row, f"{field_name}_{lang}", names.get(lang))


def _live(session: Session, model: type, row_id: str | None, label: str) -> Any:
    """The live row `row_id` refers to (None for None), or InvalidReference."""
    if row_id is None:
        return None
    row = session.get(model, row_id)
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise InvalidReference(f"unknown {label} {row_id!r}")
    return row


# --- snapshots: the row in the API's shape, also what the audit log keeps -----------------


def _location_data(loc: ServiceLocation) -> Data:
    return {
        "id": loc.id,
        "name": _names(loc),
        "municipality": loc.municipality_id,
        "area": loc.area_id,
        "street_address": loc.street_address,
        "postal_code": loc.postal_code,
        "post_office": loc.post_office,
        "phone": loc.phone,
        "email": loc.email,
        "url": loc.url,
        "hours": loc.hours or [],
    }


def _service_data(s: Service) -> Data:
    return {
        "id": s.id,
        "type": s.type,
        "provider": s.provider_id,
        "region": s.region_id,
        "municipality": s.municipality_id,
        "area": s.area_id,
        "languages": s.languages or [],
        "age": {"min": s.min_age, "max": s.max_age},
        "name": _names(s),
        "description": _names(s, "description"),
        "keywords": s.keywords or {},
        "example_data": s.example_data,
        "locations": [_location_data(loc) for loc in s.locations if loc.deleted_at is None],
    }


def _contact_data(c: Contact) -> Data:
    return {
        "id": c.id,
        "name": c.name,
        "phone": c.phone,
        "email": c.email,
        "languages": c.languages or [],
        "hours": c.hours or [],
        "example_data": c.example_data,
        "municipalities": sorted(m.id for m in c.municipalities),
        "areas": sorted(a.id for a in c.areas),
    }


def _municipality_data(m: Municipality) -> Data:
    return {"id": m.id, "code": m.code, "region": m.region_id, "name": _names(m)}


def _area_data(a: Area) -> Data:
    return {"id": a.id, "municipality": a.municipality_id, "name": _names(a), "districts": a.districts or []}


def _provider_data(p: Provider) -> Data:
    return {"id": p.id, "kind": p.kind, "name": _names(p)}


def _helpline_data(h: Helpline) -> Data:
    return {
        "id": h.id,
        "name": _names(h),
        "phone": h.phone,
        "hours": h.hours,
        "crisis": h.crisis or [],
        "order": h.order,
        "example_data": h.example_data,
    }


# --- applying data to a row ---------------------------------------------------------------


def _coverage(session: Session, region: str | None, municipality: str | None, area: str | None) -> tuple:
    """Region, municipality and area that agree with each other (the wider ones derived)."""
    area_row = _live(session, Area, area, "area")
    if area_row is not None:
        if municipality not in (None, area_row.municipality_id):
            raise InvalidReference(f"area {area!r} is not in municipality {municipality!r}")
        municipality = area_row.municipality_id
    mun_row = _live(session, Municipality, municipality, "municipality")
    if mun_row is not None:
        if region not in (None, mun_row.region_id):
            raise InvalidReference(f"municipality {municipality!r} is not in region {region!r}")
        region = mun_row.region_id
    _live(session, Region, region, "region")
    return region, municipality, area


def _apply_location(session: Session, loc: ServiceLocation, data: Data, service: Service) -> None:
    mun = data.get("municipality") or service.municipality_id
    area = data.get("area") or (service.area_id if mun == service.municipality_id else None)
    _, loc.municipality_id, loc.area_id = _coverage(session, None, mun, area)
    _set_names(loc, data.get("name"))
    for key in ("street_address", "postal_code", "post_office", "phone", "email", "url"):
        setattr(loc, key, data.get(key))
    loc.hours = data.get("hours") or []


def _apply_service(session: Session, s: Service, data: Data) -> None:
    _live(session, Provider, data.get("provider"), "provider")
    s.provider_id = data.get("provider")
    s.region_id, s.municipality_id, s.area_id = _coverage(
        session, data.get("region"), data.get("municipality"), data.get("area")
    )
    s.type = data["type"]
    s.languages = list(data.get("languages") or ["fi"])
    age = data.get("age") or {}
    s.min_age, s.max_age = age.get("min"), age.get("max")
    _set_names(s, data["name"], required=True)
    _set_names(s, data.get("description"), "description")
    s.keywords = data.get("keywords") or {}
    s.example_data = bool(data.get("example_data"))
    current = {loc.id: loc for loc in s.locations}
    locations = []
    for item in data.get("locations") or []:
        loc_id = item.get("id") or f"{s.id}-{secrets.token_hex(3)}"
        loc = current.get(loc_id)
        if loc is None:
            if session.get(ServiceLocation, loc_id) is not None:
                raise Conflict(f"location id {loc_id!r} belongs to another service")
            loc = ServiceLocation(id=loc_id)
        _apply_location(session, loc, item, s)
        locations.append(loc)
    # A location left out is removed; the service's audit entry keeps it in `before`.
    s.locations = locations


def _apply_contact(session: Session, c: Contact, data: Data) -> None:
    c.name = data["name"]
    c.phone, c.email = data.get("phone"), data.get("email")
    c.languages = list(data.get("languages") or ["fi"])
    c.hours = data.get("hours") or []
    c.example_data = bool(data.get("example_data"))
    # dict.fromkeys: each place once, in the order given.
    municipalities = dict.fromkeys(data.get("municipalities") or [])
    c.municipalities = [_live(session, Municipality, m, "municipality") for m in municipalities]
    c.areas = [_live(session, Area, a, "area") for a in dict.fromkeys(data.get("areas") or [])]
    municipality_ids = {m.id for m in c.municipalities}
    for area in c.areas:
        if area.municipality_id not in municipality_ids:
            raise InvalidReference(f"area {area.id!r} is not in the contact's municipalities")


def _apply_municipality(session: Session, m: Municipality, data: Data) -> None:
    _live(session, Region, data["region"], "region")
    code = data.get("code")
    if code is not None:
        other = session.scalar(
            select(Municipality.id).where(Municipality.code == code, Municipality.id != m.id)
        )
        if other is not None:
            raise Conflict(f"municipality code {code!r} is used by {other!r}")
    m.code, m.region_id = code, data["region"]
    _set_names(m, data["name"], required=True)


def _apply_area(session: Session, a: Area, data: Data) -> None:
    _live(session, Municipality, data["municipality"], "municipality")
    a.municipality_id = data["municipality"]
    a.districts = list(data.get("districts") or [])
    _set_names(a, data["name"], required=True)


def _apply_provider(session: Session, p: Provider, data: Data) -> None:
    p.kind = data["kind"]
    _set_names(p, data["name"], required=True)


def _apply_helpline(session: Session, h: Helpline, data: Data) -> None:
    _set_names(h, data["name"], required=True)
    h.phone, h.hours = data["phone"], data.get("hours")
    h.crisis = list(data.get("crisis") or [])
    h.order = data.get("order", 100) if data.get("order") is not None else 100
    h.example_data = bool(data.get("example_data"))


# --- what a soft delete must not leave dangling --------------------------------------------


def _live_ids(session: Session, column: Any, *where: Any) -> list[str]:
    model = column.class_
    return list(session.scalars(select(column).where(model.deleted_at.is_(None), *where).limit(5)))


def _municipality_users(session: Session, m: Municipality) -> list[str]:
    contacts = session.scalars(
        select(Contact.id)
        .join(Contact.municipalities)
        .where(Municipality.id == m.id, Contact.deleted_at.is_(None))
    )
    return (
        _live_ids(session, Service.id, Service.municipality_id == m.id)
        + _live_ids(session, Area.id, Area.municipality_id == m.id)
        + list(contacts)[:5]
    )


def _area_users(session: Session, a: Area) -> list[str]:
    return _live_ids(session, Service.id, Service.area_id == a.id)


def _provider_users(session: Session, p: Provider) -> list[str]:
    return _live_ids(session, Service.id, Service.provider_id == p.id)


@dataclass(frozen=True)
class Entity:
    name: str
    model: type
    snapshot: Callable[[Any], Data]
    apply: Callable[[Session, Any, Data], None]
    loads: tuple = ()
    users: Callable[[Session, Any], list[str]] = field(default=lambda session, row: [])


ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity(
            "service",
            Service,
            _service_data,
            _apply_service,
            (selectinload(Service.locations),),
        ),
        Entity(
            "contact",
            Contact,
            _contact_data,
            _apply_contact,
            (selectinload(Contact.municipalities), selectinload(Contact.areas)),
        ),
        Entity(
            "municipality", Municipality, _municipality_data, _apply_municipality, users=_municipality_users
        ),
        Entity("area", Area, _area_data, _apply_area, users=_area_users),
        Entity("provider", Provider, _provider_data, _apply_provider, users=_provider_users),
        Entity("helpline", Helpline, _helpline_data, _apply_helpline),
    )
}


# --- the operations ------------------------------------------------------------------------


def record(entity: Entity, row: Any) -> Data:
    """The row's data with its version and deletion time: what the API shows and the log keeps."""
    data = entity.snapshot(row)
    data["version"] = row.version
    data["deleted_at"] = row.deleted_at.isoformat() if row.deleted_at else None
    return data


def list_rows(
    session: Session, entity: Entity, *, include_deleted: bool = False, limit: int = 500, offset: int = 0
) -> list[Any]:
    query = select(entity.model).options(*entity.loads).order_by(entity.model.id).limit(limit).offset(offset)
    if not include_deleted:
        query = query.where(entity.model.deleted_at.is_(None))
    return list(session.scalars(query))


def get_row(session: Session, entity: Entity, row_id: str) -> Any:
    row = session.scalar(select(entity.model).where(entity.model.id == row_id).options(*entity.loads))
    if row is None:
        raise NotFound(f"no {entity.name} with id {row_id!r}")
    return row


def _check_version(row: Any, expected: int | None) -> None:
    if expected is not None and row.version != expected:
        raise VersionMismatch(row.version)


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise VersionMismatch(None) from None
    except IntegrityError as error:
        # A safety net: the checks above should have named the problem already.
        raise Conflict(f"the change does not fit the catalogue: {error.orig}") from None


def audit(
    session: Session,
    actor: Actor,
    entity: Entity,
    row: Any,
    action: str,
    before: Data | None,
    *,
    gone: bool = False,
) -> None:
    """The audit entry of a flushed change: the row as it was and as it is (nothing, if `gone`).

    Also for writers outside this module that change rows in bulk (the PTV import)."""
    session.add(
        AuditEntry(
            actor=actor.label,
            staff_user_id=actor.staff_user_id,
            api_token_id=actor.api_token_id,
            entity=entity.name,
            entity_id=row.id,
            action=action,
            version=row.version,
            before=before,
            after=None if gone else record(entity, row),
        )
    )
    session.flush()


def _touch(row: Any) -> None:
    # Forces an UPDATE (and so a new version) even when only related rows changed.
    flag_modified(row, "deleted_at")
    if hasattr(row, "updated_at"):
        row.updated_at = _now()


def create(session: Session, entity: Entity, data: Data, actor: Actor) -> Any:
    existing = session.get(entity.model, data["id"])
    if existing is not None:
        hint = " (it is deleted: restore it instead)" if existing.deleted_at else ""
        raise Conflict(f"a {entity.name} with id {data['id']!r} exists already{hint}")
    row = entity.model(id=data["id"])
    if entity.name == "service":
        row.locations = []
    elif entity.name == "contact":
        row.municipalities, row.areas = [], []
    with session.no_autoflush:
        entity.apply(session, row, data)
    session.add(row)
    _flush(session)
    audit(session, actor, entity, row, "create", None)
    return row


def update(
    session: Session,
    entity: Entity,
    row_id: str,
    data: Data,
    actor: Actor,
    *,
    expected_version: int | None,
    partial: bool = False,
) -> Any:
    """Replace the row's data (or, `partial`, only the fields given) if it is at `expected_version`."""
    row = get_row(session, entity, row_id)
    _check_version(row, expected_version)
    if row.deleted_at is not None:
        raise Conflict(f"{entity.name} {row_id!r} is deleted: restore it first")
    before = record(entity, row)
    merged = _merge(entity.snapshot(row), data) if partial else dict(data)
    merged["id"] = row.id
    # One flush at the end, so the row gets one new version, not one per autoflush.
    with session.no_autoflush:
        entity.apply(session, row, merged)
        changed = _changed(entity, row, before)
        if changed:
            _touch(row)
    _flush(session)
    if changed:  # saving the row unchanged is no event: no new version, no entry
        audit(session, actor, entity, row, "update", before)
    return row


def _merge(current: Data, patch: Data) -> Data:
    """A partial update: the fields given replace the row's; objects (names, age, keywords) are
    merged a level deep, so `{"name": {"sv": ...}}` keeps the Finnish name (JSON Merge Patch)."""
    merged = dict(current)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(current.get(key), dict):
            merged[key] = {**current[key], **value}
        else:
            merged[key] = value
    return merged


def _changed(entity: Entity, row: Any, before: Data) -> bool:
    after = entity.snapshot(row)
    return any(after.get(key) != before.get(key) for key in after)


def soft_delete(
    session: Session, entity: Entity, row_id: str, actor: Actor, *, expected_version: int | None
) -> Any:
    row = get_row(session, entity, row_id)
    _check_version(row, expected_version)
    if row.deleted_at is not None:
        raise Conflict(f"{entity.name} {row_id!r} is deleted already")
    users = entity.users(session, row)
    if users:
        raise Conflict(
            f"{entity.name} {row_id!r} is still used by {', '.join(users)}: change or delete those first"
        )
    before = record(entity, row)
    row.deleted_at = _now()
    _flush(session)
    audit(session, actor, entity, row, "delete", before)
    return row


def restore(
    session: Session, entity: Entity, row_id: str, actor: Actor, *, expected_version: int | None
) -> Any:
    row = get_row(session, entity, row_id)
    _check_version(row, expected_version)
    if row.deleted_at is None:
        raise Conflict(f"{entity.name} {row_id!r} is not deleted")
    before = record(entity, row)
    try:
        # What it refers to must still be there.
        with session.no_autoflush:
            entity.apply(session, row, entity.snapshot(row))
    except InvalidReference as error:
        raise Conflict(f"cannot restore {entity.name} {row_id!r}: {error}") from None
    row.deleted_at = None
    if hasattr(row, "updated_at"):
        row.updated_at = _now()
    _flush(session)
    audit(session, actor, entity, row, "restore", before)
    return row


def history(session: Session, entity: Entity, row_id: str) -> list[AuditEntry]:
    get_row(session, entity, row_id)
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity.name, AuditEntry.entity_id == row_id)
            .order_by(AuditEntry.id)
        )
    )


def audit_log(session: Session, *, entity: str | None = None, limit: int = 100) -> Iterable[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    return session.scalars(query)
