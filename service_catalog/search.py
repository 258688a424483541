"""Ranking services for a family's need.

Type fit first, then place, then the lowest sufficient service level (early support before
specialist services, as the family-centre model asks). Type fit comes from the bot's intent
classifier when there is one, and from the catalogue's own words (names and keywords) by
lemma, so a keyword that staff add is used at once.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, with_loader_criteria

from bot.text import fold, lemmas
from service_catalog.models import Service, ServiceLocation
from service_catalog.places import Place
from service_catalog.taxonomy import LEVEL_ORDER, service_types

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


def _service_words(service: Service) -> Iterable[str]:
    # Names and keywords only: descriptions' everyday words ("auki", "apua") fit every type
    # and cost accuracy (bench/RESULTS.md, keyword-only routing).
    for lang in ("fi", "sv", "en"):
        yield from lemmas(getattr(service, f"name_{lang}") or "", lang)
        for keyword in (service.keywords or {}).get(lang, []):
            yield from lemmas(keyword, lang)


# Folded lemmas of a service's words, kept while the row is unchanged (a hot path: every turn).
_VOCABULARY: dict[tuple[str, object], frozenset[str]] = {}


def service_vocabulary(service: Service) -> frozenset[str]:
    key = (service.id, (service.version, service.updated_at))
    if key not in _VOCABULARY:
        if len(_VOCABULARY) > 100_000:
            _VOCABULARY.clear()
        _VOCABULARY[key] = frozenset(fold(w) for w in _service_words(service))
    return _VOCABULARY[key]


def keyword_scores(services: Iterable[Service], text: str, lang: str) -> dict[str, float]:
    """How well the text's lemmas fit each service type's words (0..1, idf-weighted)."""
    type_words: dict[str, set[str]] = defaultdict(set)
    for service in services:
        type_words[service.type].update(service_vocabulary(service))
    for code, spec in service_types().items():
        for name_lang, name in spec.names.items():
            type_words[code].update(fold(w) for w in lemmas(name, name_lang))
    query = {fold(w) for w in lemmas(text, lang)} - _STOPWORDS
    query = {w for w in query if len(w) > 2}
    if not query:
        return {}
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


def place_rank(service: Service, place: Place | None) -> int | None:
    """0 the place's own area, 1 its municipality, 2 its region, 3 nationwide; None elsewhere."""
    if place is None:
        return 0
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


def _location_for(service: Service, place: Place | None) -> ServiceLocation | None:
    def closeness(location: ServiceLocation) -> int:
        if place is None:
            return 0
        if place.area_id and location.area_id == place.area_id:
            return 0
        return 1 if location.municipality_id == place.municipality_id else 2

    live = (location for location in service.locations if location.deleted_at is None)
    return min(live, key=closeness, default=None)


def _age_fits(service: Service, age: int | None) -> bool:
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
    # Soft-deleted services leave routing at once (staff edits need no restart).
    services = list(
        session.scalars(select(Service).where(Service.deleted_at.is_(None)).options(*SERVICE_LOADS))
    )
    scores = combine_type_scores(classifier_scores, keyword_scores(services, text, lang))
    if not scores:
        return []
    top = max(scores.values())
    wanted = {code for code, score in scores.items() if score >= max(ALTERNATIVE_MIN_SCORE, top * 0.25)}
    candidates = []
    for service in services:
        rank = place_rank(service, place)
        if service.type not in wanted or rank is None:
            continue
        fit = round(scores[service.type] / TYPE_FIT_STEP)
        language_miss = lang not in (service.languages or ["fi"]) and lang != "en"
        key = (
            -fit,
            not _age_fits(service, age),
            rank,
            language_miss,
            LEVEL_ORDER[service_types()[service.type].level],
            -scores[service.type],
            service.id,
        )
        candidates.append((key, service, rank))
    candidates.sort(key=lambda item: item[0])
    result: list[RankedService] = []
    seen_types: set[str] = set()
    for _key, service, rank in candidates:
        if service.type in seen_types:
            continue
        seen_types.add(service.type)
        result.append(RankedService(service, _location_for(service, place), scores[service.type], rank))
        if len(result) == limit:
            break
    return result
