"""Ranking services for a family's need.

Type fit first, then place, then the lowest sufficient service level (early support before
specialist services, as the family-centre model asks). Type fit comes from the bot's intent
classifier when there is one, and from the catalogue's own words (names and keywords) by
lemma, so a keyword that staff add is used at once.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, with_loader_criteria

from language.text import fold, lemmas
from service_catalog.coverage import NO_PLACE_EXAMPLE, best_of_types
from service_catalog.models import Service, ServiceLocation
from service_catalog.places import Place
from service_catalog.taxonomy import LEVEL_ORDER, level_of, service_types
from service_catalog.vocabulary import type_words as type_words_of

# Classifier and catalogue words are weighed together; the classifier has seen examples.
CLASSIFIER_WEIGHT = 0.8
# Types this close to each other count as an equal fit, so the lower level can win.
TYPE_FIT_STEP = 0.1
# A further type is offered beside the best only when it fits at least this well.
ALTERNATIVE_MIN_SCORE = 0.08

# Function words by lemma, folded like the query: they fit no service type.
_STOPWORDS = frozenset(
    fold(word)
    for word in (
        "ja tai on ei se ne mä sä minä sinä me te he mun sun meidän olla voida saada mikä kuka "
        "milloin miten miksi kun jos että kuin myös vai nyt vielä jo joku jokin tämä tuo "
        "och eller är jag du vi de en ett att som i på för med vad var när hur vem kan få ha finns "
        "the a an and or is are i you we to of in for my our with what where who when how can get "
        "have do does there"
    ).split()
)


# What an answer shows of a service, loaded up front (relationships are lazy="raise"); and
# only live rows: soft-deleted services and locations drop out of every query that uses these
# options, the follow-ups' "the service shown last" included.
SERVICE_LOADS = (
    selectinload(Service.locations).selectinload(ServiceLocation.municipality),
    selectinload(Service.provider),
    selectinload(Service.municipality),
    with_loader_criteria(Service, lambda cls: cls.deleted_at.is_(None), include_aliases=True),
    with_loader_criteria(ServiceLocation, lambda cls: cls.deleted_at.is_(None), include_aliases=True),
)


@dataclass
class RankedService:
    service: Service
    location: ServiceLocation | None
    type_score: float
    place_rank: int


@lru_cache(maxsize=1)
def _taxonomy_words() -> dict[str, set[str]]:
    """Each type's own names count as its words too (taxonomy.yml, fixed at start)."""
    return {
        code: {fold(w) for name_lang, name in spec.names.items() for w in lemmas(name, name_lang)}
        for code, spec in service_types().items()
    }


def keyword_scores(session: Session, text: str, lang: str) -> dict[str, float]:
    """How well the text's lemmas fit each service type's words (0..1, idf-weighted)."""
    query = {fold(w) for w in lemmas(text, lang)} - _STOPWORDS
    query = {w for w in query if len(w) > 2}
    if not query:
        return {}
    # Only the query's words matter below: the catalogue's are read for those alone. Every
    # service's type is a taxonomy type (the API and the importers refuse others), so the
    # taxonomy is the set of types the idf counts.
    type_words = {code: words & query for code, words in _taxonomy_words().items()}
    for word, code in type_words_of(session, query):
        type_words.setdefault(code, set()).add(word)
    document_frequency = defaultdict(int)
    for vocabulary in type_words.values():
        for word in query & vocabulary:
            document_frequency[word] += 1
    total = len(type_words)
    raw = {
        code: sum(math.log(1 + total / document_frequency[w]) for w in query & vocabulary)
        for code, vocabulary in type_words.items()
    }
    best = max(raw.values(), default=0.0)
    return {code: value / best for code, value in raw.items() if value > 0} if best else {}


# The order within a type, in Python: the definition `coverage.best_of_types` asks of SQL by
# index (tests/test_search_scale.py holds the two to each other).


def place_rank(service: Service, place: Place | None) -> int | None:
    """0 the place's own area, 1 its municipality, 2 its region, 3 nationwide; None elsewhere.
    No place known: 0 nationwide, 1 a whole region, 2 one municipality's (an example)."""
    if place is None:
        return 0 if service.region_id is None else 1 if service.municipality_id is None else NO_PLACE_EXAMPLE
    if service.region_id is None:
        return 3
    if service.region_id != place.region_id:
        return None
    if service.municipality_id is None:
        return 2
    if service.municipality_id != place.municipality_id:
        return None
    if service.area_id is None or service.area_id == place.area_id:
        return 0 if service.area_id else 1
    # Another area of the same municipality: still close when the family's area is not known.
    return 1 if place.area_id is None else None


def language_miss(service: Service, lang: str) -> bool:
    return lang not in (service.languages or ["fi"]) and lang != "en"


def _location_for(service: Service, place: Place | None) -> ServiceLocation | None:
    def closeness(location: ServiceLocation) -> int:
        if place is None:
            return 0
        if place.area_id and location.area_id == place.area_id:
            return 0
        return 1 if location.municipality_id == place.municipality_id else 2

    live = (location for location in service.locations if location.deleted_at is None)
    return min(live, key=closeness, default=None)


def age_fits(service: Service, age: int | None) -> bool:
    if age is None:
        return True
    return (service.min_age is None or service.min_age <= age) and (
        service.max_age is None or age <= service.max_age
    )


def combine_type_scores(classifier: dict[str, float] | None, keywords: dict[str, float]) -> dict[str, float]:
    if not classifier:
        return keywords
    codes = set(classifier) | set(keywords)
    return {
        code: CLASSIFIER_WEIGHT * classifier.get(code, 0.0)
        + (1 - CLASSIFIER_WEIGHT) * keywords.get(code, 0.0)
        for code in codes
    }


def route_need(
    session: Session,
    text: str,
    *,
    lang: str = "fi",
    place: Place | None = None,
    age: int | None = None,
    classifier_scores: dict[str, float] | None = None,
    limit: int = 3,
) -> list[RankedService]:
    """The services that best meet the need in `text`, best first, at most one per type."""
    scores = combine_type_scores(classifier_scores, keyword_scores(session, text, lang))
    if not scores:
        return []
    top = max(scores.values())
    wanted = {code for code, score in scores.items() if score >= max(ALTERNATIVE_MIN_SCORE, top * 0.25)}
    candidates = []
    # One best service per type, found by index; a type no service covers here drops out.
    for code, best in best_of_types(session, wanted, place, age, lang).items():
        fit = round(scores[code] / TYPE_FIT_STEP)
        key = (
            -fit,
            best.age_miss,
            best.rank,
            best.language_miss,
            LEVEL_ORDER[level_of(code)],
            -scores[code],
            best.id,
        )
        candidates.append((key, best))
    candidates.sort(key=lambda item: item[0])
    chosen = [best for _key, best in candidates[:limit]]
    # Only what the answer shows is loaded: the chosen few, with their locations.
    services = {
        service.id: service
        for service in session.scalars(
            select(Service).where(Service.id.in_([b.id for b in chosen])).options(*SERVICE_LOADS)
        )
    }
    return [
        RankedService(
            services[b.id], _location_for(services[b.id], place), scores[services[b.id].type], b.rank
        )
        for b in chosen
    ]
