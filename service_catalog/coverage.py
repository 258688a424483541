"""The best service of one type for a family, found by index in SQL.

Within a type the search orders services by (age does not fit, place rank, language missing,
id), as `search.place_rank` and its neighbours define them. Here the same order is asked of
the database tier by tier, each tier a query an index serves (`ix_service_coverage` for a
place's four tiers, `ix_service_type_id` when no place is known), so a turn reads a handful of
rows however large the catalogue is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal_column, not_, or_, select, true, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from service_catalog.models import Service
from service_catalog.places import Place


@dataclass(frozen=True)
class Best:
    id: str
    age_miss: bool
    rank: int
    language_miss: bool


def place_tiers(place: Place | None) -> list[tuple[int, ColumnElement]]:
    """(rank, condition): 0 the place's own area, 1 its municipality, 2 its region, 3 nationwide."""
    if place is None:
        return [(0, true())]
    region = Service.region_id == place.region_id
    municipality = and_(region, Service.municipality_id == place.municipality_id)
    tiers = []
    if place.area_id:
        tiers.append((0, and_(municipality, Service.area_id == place.area_id)))
        # Another area of the municipality does not serve a family whose area is known.
        tiers.append((1, and_(municipality, Service.area_id.is_(None))))
    else:
        tiers.append((1, municipality))
    tiers.append((2, and_(region, Service.municipality_id.is_(None))))
    tiers.append((3, Service.region_id.is_(None)))
    return tiers


def age_fits(age: int | None) -> ColumnElement | None:
    if age is None:
        return None
    return and_(
        or_(Service.min_age.is_(None), Service.min_age <= age),
        or_(Service.max_age.is_(None), Service.max_age >= age),
    )


def language_fits(lang: str) -> ColumnElement | None:
    """The service is given in `lang` (English counts as understood everywhere)."""
    if lang == "en":
        return None
    # `languages` is a JSON list of codes; its text has `"sv"` exactly when "sv" is in it. A
    # list with no code at all means Finnish, as in Python (`languages or ["fi"]`).
    text = func.coalesce(cast(Service.languages, String), "[]")
    listed = text.like(f'%"{lang}"%')
    return or_(listed, not_(text.like('%"%'))) if lang == "fi" else listed


def _split(fits: ColumnElement | None) -> list[tuple[bool, ColumnElement]]:
    """(misses, condition) tiers, the fitting first; one tier when nothing is asked."""
    return [(False, true())] if fits is None else [(False, fits), (True, not_(fits))]


def by_id(session: Session, column: Any) -> Any:
    # Python sorts ids by code point; PostgreSQL must too, whatever the database's collation.
    return column.collate("C") if session.get_bind().dialect.name == "postgresql" else column


def best_of_type(session: Session, code: str, place: Place | None, age: int | None, lang: str) -> Best | None:
    """The type's first service in the search's order, or None when none covers the place."""
    live = and_(Service.type == code, Service.deleted_at.is_(None))
    fits = language_fits(lang)
    for age_miss, age_condition in _split(age_fits(age)):
        if place is None:
            # Every service of the type ranks 0: walk them by id, stopping at the first fit.
            for language_miss, language_condition in _split(fits):
                found = session.scalar(
                    select(Service.id)
                    .where(live, age_condition, language_condition)
                    .order_by(by_id(session, Service.id))
                    .limit(1)
                )
                if found is not None:
                    return Best(found, age_miss, 0, language_miss)
            continue
        # A place's tiers hold few services each: one query sorts them all.
        missing = case((fits, 0), else_=1) if fits is not None else literal_column("0")
        tiers = union_all(
            *(
                select(
                    Service.id, literal_column(str(rank)).label("rank"), missing.label("language_miss")
                ).where(live, age_condition, condition)
                for rank, condition in place_tiers(place)
            )
        ).subquery()
        row = session.execute(
            select(tiers).order_by(tiers.c.rank, tiers.c.language_miss, by_id(session, tiers.c.id)).limit(1)
        ).first()
        if row is not None:
            return Best(row.id, age_miss, row.rank, bool(row.language_miss))
    return None
