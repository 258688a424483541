"""The best service of one type for a family, found by index in SQL.

Within a type the search orders services by (age does not fit, place rank, language missing,
id), as `search.place_rank` and its neighbours define them. Here the same order is asked of
the database by index: a place's four tiers are seeks on `ix_service_coverage`, ranked in one
query for every wanted type; with no place, `ix_service_type_id` is walked by id. A turn reads
a handful of rows however large the catalogue is.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal_column, not_, or_, select, true, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from service_catalog.models import Service
from service_catalog.places import Place

# With no place known and no service of the type serving everyone: one municipality's, shown
# as an example of the kind of service.
NO_PLACE_EXAMPLE = 2


@dataclass(frozen=True)
class Best:
    id: str
    age_miss: bool
    rank: int
    language_miss: bool


def place_tiers(place: Place | None) -> list[tuple[int, ColumnElement]]:
    """(rank, condition): 0 the place's own area, 1 its municipality, 2 its region, 3 nationwide.
    No place known: what serves everyone, 0 nationwide, 1 a whole region (chat-payload.md)."""
    if place is None:
        return [(0, Service.region_id.is_(None)), (1, Service.municipality_id.is_(None))]
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


def _flag(condition: ColumnElement | None) -> Any:
    """1 where the condition does not hold, else 0 (always 0 when nothing is asked)."""
    return literal_column("0") if condition is None else case((condition, 0), else_=1)


def best_of_types(
    session: Session, codes: Collection[str], place: Place | None, age: int | None, lang: str
) -> dict[str, Best]:
    """Each type's first service in the search's order; a type no service covers is left out."""
    if not codes:
        return {}
    found = _best_in_tiers(session, codes, place_tiers(place), age, lang)
    if place is None:
        for code in sorted(set(codes) - set(found)):
            if (example := _first_by_id(session, code, age, lang)) is not None:
                found[code] = example
    return found


def _first_by_id(session: Session, code: str, age: int | None, lang: str) -> Best | None:
    """No place known and nothing of the type serves everyone: the first service by id (the
    index's order), tier by tier, stopping at the first fit, instead of sorting them all."""
    live = and_(Service.type == code, Service.deleted_at.is_(None))
    for age_miss, age_condition in _split(age_fits(age)):
        for language_miss, language_condition in _split(language_fits(lang)):
            found = session.scalar(
                select(Service.id)
                .where(live, age_condition, language_condition)
                .order_by(by_id(session, Service.id))
                .limit(1)
            )
            if found is not None:
                return Best(found, age_miss, NO_PLACE_EXAMPLE, language_miss)
    return None


def _best_in_tiers(
    session: Session,
    codes: Collection[str],
    tiers_of_place: list[tuple[int, ColumnElement]],
    age: int | None,
    lang: str,
) -> dict[str, Best]:
    """A place's tiers hold few services of each type: one query ranks them all, every type."""
    live = and_(Service.type.in_(sorted(codes)), Service.deleted_at.is_(None))
    age_miss, language_miss = _flag(age_fits(age)), _flag(language_fits(lang))
    tiers = union_all(
        *(
            select(
                Service.id,
                Service.type,
                age_miss.label("age_miss"),
                literal_column(str(rank)).label("rank"),
                language_miss.label("language_miss"),
            ).where(live, condition)
            for rank, condition in tiers_of_place
        )
    ).subquery()
    order = (tiers.c.age_miss, tiers.c.rank, tiers.c.language_miss, by_id(session, tiers.c.id))
    ranked = select(
        tiers, func.row_number().over(partition_by=tiers.c.type, order_by=order).label("n")
    ).subquery()
    return {
        row.type: Best(row.id, bool(row.age_miss), row.rank, bool(row.language_miss))
        for row in session.execute(select(ranked).where(ranked.c.n == 1))
    }
