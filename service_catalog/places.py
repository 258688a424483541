"""Finding the municipality or area a message talks about, from the catalogue at run time.

Names come from the database, so a municipality or area added by staff is understood in the
next message, with no retraining: the index of names is built once and kept while a cheap
check of the place tables (row counts and the sum of row versions) finds them unchanged. Inflected forms ("Pieksämäellä",
"Turussa") are reduced by simplemma's Finnish and Swedish dictionaries; a name the
dictionaries do not know ("Varissuolla") is matched by a fuzzy comparison of the word's
beginning with the catalogue name, for words the dictionaries do not know either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import simplemma
from rapidfuzz import fuzz
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from language.text import fold, lemma, words
from service_catalog.models import Area, Municipality

# A fuzzy match must be this similar (0-100) and leave at most this long an ending.
FUZZY_MIN_SCORE = 88
FUZZY_MAX_ENDING = 6
FUZZY_MIN_NAME = 4


@dataclass(frozen=True)
class Place:
    municipality_id: str
    municipality_name: str
    region_id: str
    area_id: str | None = None
    area_name: str | None = None

    @property
    def label(self) -> str:
        return f"{self.municipality_name}, {self.area_name}" if self.area_name else self.municipality_name


def _names(row: Municipality | Area) -> set[str]:
    return {fold(n) for n in (row.name_fi, row.name_sv, row.name_en) if n}


def _places_version(session: Session) -> tuple:
    """Changes with every edit of a municipality or an area: an insert or a delete changes a
    count, an update (soft deletes and restores too) raises a row's version."""

    def summary(table: type[Municipality] | type[Area]) -> list:
        return [
            select(func.count()).select_from(table).scalar_subquery(),
            select(func.coalesce(func.sum(table.version), 0)).scalar_subquery(),
        ]

    return tuple(session.execute(select(*summary(Municipality), *summary(Area))).one())


# Database URL -> (version, index): building the index costs more than the rest of a turn.
_INDEXES: dict[str, tuple[tuple, Mapping[str, Place]]] = {}


def place_index(session: Session) -> Mapping[str, Place]:
    """Folded name (or one word of it) -> place; areas after municipalities. Shared: read only."""
    url = str(session.get_bind().url)
    version = _places_version(session)
    cached = _INDEXES.get(url)
    if cached is None or cached[0] != version:
        cached = _INDEXES[url] = (version, MappingProxyType(_build_index(session)))
    return cached[1]


def _build_index(session: Session) -> dict[str, Place]:
    index: dict[str, Place] = {}
    # Soft-deleted places are not understood; an area of a deleted municipality neither.
    municipalities = {
        m.id: m for m in session.scalars(select(Municipality).where(Municipality.deleted_at.is_(None)))
    }
    for mun in municipalities.values():
        for name in _names(mun):
            index[name] = Place(mun.id, mun.name_fi, mun.region_id)
    for area in session.scalars(select(Area).where(Area.deleted_at.is_(None))):
        mun = municipalities.get(area.municipality_id)
        if mun is None:
            continue
        place = Place(mun.id, mun.name_fi, mun.region_id, area.id, area.name_fi)
        names = _names(area) | {fold(d) for d in area.districts or []}
        # "Varissuo-Lauste" is also "Varissuo" and "Lauste".
        for name in list(names):
            names.update(part for part in name.split("-") if len(part) >= FUZZY_MIN_NAME)
        for name in names:
            index.setdefault(name, place)
    return index


def _forms(word: str) -> list[str]:
    forms = [fold(word)]
    for lang in ("fi", "sv"):
        forms.append(fold(lemma(word, lang)))
    return forms


def _fuzzy(word: str, index: Mapping[str, Place]) -> Place | None:
    folded = fold(word)
    if simplemma.is_known(word.lower(), lang="fi") or simplemma.is_known(word.lower(), lang="sv"):
        return None
    best: tuple[float, Place] | None = None
    for name, place in index.items():
        if len(name) < FUZZY_MIN_NAME or " " in name or not 0 <= len(folded) - len(name) <= FUZZY_MAX_ENDING:
            continue
        score = fuzz.ratio(name, folded[: len(name)])
        if score >= FUZZY_MIN_SCORE and (best is None or score > best[0]):
            best = (score, place)
    return best[1] if best else None


def _merge(found: list[Place]) -> Place | None:
    """An area wins over its own municipality ("Turku, Varissuo"); else the first named."""
    if not found:
        return None
    for place in found:
        if place.area_id and any(p.municipality_id == place.municipality_id for p in found):
            return place
    return found[0]


# Words that may stand beside a bare place name in an answer to "where do you live?".
PLACE_FILLER = frozenset(
    {
        "asun",
        "asumme",
        "asutaan",
        "ollaan",
        "olen",
        "me",
        "mina",
        "ma",
        "entä",
        "enta",
        "entas",
        "ja",
        "alue",
        "alueella",
        "bor",
        "vi",
        "jag",
        "i",
        "och",
        "omradet",
        "live",
        "we",
        "in",
        "and",
        "area",
        "the",
        "at",
        "from",
    }
)


def _token_place(token: str, index: Mapping[str, Place]) -> Place | None:
    place = next((index[f] for f in _forms(token) if f in index), None)
    if place is None and token[:1].isalpha():
        place = _fuzzy(token, index)
    return place


def _phrases(tokens: list[str], index: Mapping[str, Place]) -> list[tuple[int, int, Place]]:
    """Multi-word names ("S:t Michel", "Turun keskusta") as (start, end, place)."""
    found = []
    for size in (3, 2):
        for i in range(len(tokens) - size + 1):
            phrase = " ".join(fold(t) for t in tokens[i : i + size])
            if phrase in index:
                found.append((i, i + size, index[phrase]))
    return found


def find_place(session: Session, text: str, index: Mapping[str, Place] | None = None) -> Place | None:
    """The place the text names, or None."""
    index = index if index is not None else place_index(session)
    tokens = words(text)
    found = [place for _start, _end, place in _phrases(tokens, index)]
    found.extend(place for token in tokens if (place := _token_place(token, index)) is not None)
    return _merge(found)


def only_place(session: Session, text: str) -> Place | None:
    """The place, when the text names a place and nothing else ("Kupittaa", "asun Lausteella"):
    an answer to "which area?", whatever the intent classifier made of it."""
    index = place_index(session)
    tokens = words(text)
    if not tokens or len(tokens) > 6:
        return None
    covered = {i for start, end, _place in _phrases(tokens, index) for i in range(start, end)}
    for i, token in enumerate(tokens):
        if i not in covered and fold(token) not in PLACE_FILLER and _token_place(token, index) is None:
            return None
    return find_place(session, text, index)


# "asun Helsingissä", "vi bor i Helsingfors", "I live in Helsinki": the word after is a place.
_LIVES_IN = re.compile(
    r"\b(?:asun|asumme|asutaan|asuu|asuvat|kotoisin|bor|bo|live|living|lives|i'?m|we'?re|from)\s+"
    r"(?:i\s+|in\s+)?([^\W\d_][\w-]*)",
    re.IGNORECASE,
)


def uncovered_place(session: Session, text: str) -> str | None:
    """A place the family says they live in that the catalogue does not cover ("I live in
    Helsinki"), by its dictionary form; the contract wants it named, never replaced."""
    if find_place(session, text) is not None:
        return None
    for match in _LIVES_IN.finditer(text):
        word = match.group(1).lower()
        for lang in ("fi", "sv", "en"):
            name = simplemma.lemmatize(word, lang=lang)
            # The dictionaries give a proper noun's lemma capitalised: "helsingissä" -> "Helsinki".
            if name[:1].isupper():
                return name
    return None


def place_by_name(session: Session, name: str | None) -> Place | None:
    """A place from a page's metadata hint ("Mikkeli", "Åbo")."""
    return find_place(session, name) if name else None
