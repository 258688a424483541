"""Public catalogue search: the same ranking the bot uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query

from api.deps import SessionDep
from language.detect import detect_language
from service_catalog.hours import HELSINKI
from service_catalog.payload import service_item
from service_catalog.places import place_by_name
from service_catalog.search import route_need

router = APIRouter(prefix="/services", tags=["services"])


@router.get("/search")
def search_services(
    session: SessionDep,
    q: str = Query(..., min_length=1, max_length=1000, description="the need in free text"),
    municipality: str | None = Query(None, max_length=100),
    age: int | None = Query(None, ge=0, le=29),
    lang: Literal["fi", "sv", "en"] | None = None,
    limit: int = Query(3, ge=1, le=20),
) -> dict[str, Any]:
    place = place_by_name(session, municipality)
    if municipality and place is None:
        raise HTTPException(404, f"unknown municipality or area: {municipality}")
    language = lang or detect_language(q)
    now = datetime.now(HELSINKI)
    ranked = route_need(session, q, lang=language, place=place, age=age, limit=limit)
    return {
        "language": language,
        "municipality": place.municipality_name if place else None,
        "services": [service_item(r.service, r.location, language, now) for r in ranked],
    }
