"""Search at scale, on SQLite and PostgreSQL: a generated catalogue of a few thousand services.

The query plans of a turn's catalogue work use indexes and never read the whole service
table; the SQL search picks the very service the Python definition of the order would; the
type words stay equal to a recount after every kind of write. PostgreSQL is skipped, saying
why, when no server answers (see conftest).
"""

from __future__ import annotations

import functools
import json
import math
import random
import re
import secrets
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, selectinload

from actions.answers import Context, route_answer
from bench.catalogue_gen import Places, generate
from language.text import fold, lemmas
from service_catalog.contacts import perheneuvo_for
from service_catalog.coverage import best_of_types
from service_catalog.db import get_engine, new_session
from service_catalog.exchange import export_json, import_catalogue
from service_catalog.hours import HELSINKI
from service_catalog.migrate import upgrade
from service_catalog.models import Municipality, Service, TypeWord
from service_catalog.places import Place, find_place, place_index
from service_catalog.search import _STOPWORDS, age_fits, keyword_scores, language_miss, place_rank, route_need
from service_catalog.taxonomy import service_types
from service_catalog.vocabulary import rebuild, words_of
from tests.helpers import pg_admin_connection, pg_url_for

SERVICES = 2500
WORD_COLUMNS = ("name_fi", "name_sv", "name_en", "keywords")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=HELSINKI)
# Tables that grow with the catalogue: never read whole in a turn.
BIG_TABLES = "service|service_location|type_word"
FULL_SCAN = {
    "sqlite": re.compile(rf"^SCAN (TABLE )?({BIG_TABLES})\b"),
    "postgresql": re.compile(rf"Seq Scan on ({BIG_TABLES})\b"),
}


def _fill(url: str) -> Places:
    upgrade(url)
    with new_session(url) as session, session.begin():
        return generate(session, SERVICES)


@pytest.fixture(scope="module")
def sqlite_scale(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Places]:
    # No ANALYZE: a SQLite catalogue in production has no statistics either.
    url = f"sqlite:///{tmp_path_factory.mktemp('scale') / 'scale.sqlite3'}"
    return url, _fill(url)


@pytest.fixture(scope="module")
def postgresql_scale() -> Iterator[tuple[str, Places]]:
    user, connection = pg_admin_connection()
    name = f"pk_scale_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = pg_url_for(user, name)
    try:
        places = _fill(url)
        with get_engine(url).connect() as analyze:
            # Autovacuum keeps statistics in production; the planner needs them to pick indexes.
            analyze.execute(text("ANALYZE"))
            analyze.commit()
        yield url, places
    finally:
        get_engine(url).dispose()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def scale(request: pytest.FixtureRequest) -> tuple[str, Places]:
    return request.getfixturevalue(f"{request.param}_scale")


def _places(places: Places) -> list[Place | None]:
    """No place, a municipality, a city, one of its areas, a seed municipality."""
    region, mun, name, _ = next(m for m in places.municipalities if not m[3])
    city_region, city, city_name, areas = next(m for m in places.municipalities if m[3])
    return [
        None,
        Place(mun, name, region),
        Place(city, city_name, city_region),
        Place(city, city_name, city_region, areas[0][0], areas[0][1]),
        Place("mikkeli", "Mikkeli", "etela-savo"),
    ]


def _statements(url: str, work) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    seen: dict[str, object] = {}

    def record(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.setdefault(statement, parameters)

    engine = get_engine(url)
    event.listen(engine, "before_cursor_execute", record)
    try:
        with new_session(url) as session:
            work(session)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return list(seen.items())


def _plan(url: str, statement: str, parameters: object) -> list[str]:
    engine = get_engine(url)
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as connection:
        return [str(row[-1]).strip() for row in connection.exec_driver_sql(prefix + statement, parameters)]


def _a_days_turns(places: Places):  # type: ignore[no-untyped-def]
    def work(session: Session) -> None:
        for place in _places(places):
            for age, lang in ((None, "fi"), (15, "sv"), (3, "en")):
                route_need(
                    session,
                    "vauva ei nuku",
                    lang=lang,
                    place=place,
                    age=age,
                    classifier_scores={"lastenneuvola": 0.9},
                )
            route_need(session, "perhekahvila ja kerho", place=place)
            perheneuvo_for(session, place)
            ctx = Context(
                "tarvitsen apua kasvatukseen", "fi", NOW, place=place, classifier_scores={"perheneuvola": 1}
            )
            route_answer(session, ctx)
        find_place(session, f"asun {places.municipalities[3][2]}")

    return work


def test_a_turns_queries_use_indexes_and_never_scan_the_services(scale: tuple[str, Places]) -> None:
    url, places = scale
    dialect = get_engine(url).dialect.name
    plans = {
        statement: _plan(url, statement, parameters)
        for statement, parameters in _statements(url, _a_days_turns(places))
    }
    for statement, plan in plans.items():
        scans = [line for line in plan if FULL_SCAN[dialect].search(line)]
        assert not scans, f"{scans} in the plan of {statement}:\n" + "\n".join(plan)
    used = "\n".join(line for plan in plans.values() for line in plan)
    # ix_service_type_id serves a turn with no place only when nothing of a type serves everyone
    # (the example by id); the scale catalogue has region-wide services of every type.
    for index in ("ix_service_coverage", "ix_service_location_live"):
        assert index in used
    assert re.search(r"type_word|pk_type_word", used)


def test_the_sql_search_picks_the_service_the_python_order_would(scale: tuple[str, Places]) -> None:
    url, places = scale
    rng = random.Random(5)
    with new_session(url) as session:
        by_type: dict[str, list[Service]] = {}
        for service in session.scalars(select(Service).where(Service.deleted_at.is_(None))):
            by_type.setdefault(service.type, []).append(service)
        for code in rng.sample(sorted(service_types()), 8):
            for place in _places(places):
                for age, lang in ((None, "fi"), (rng.randint(0, 17), "sv"), (None, "en")):
                    keys = [
                        ((not age_fits(s, age)), place_rank(s, place), language_miss(s, lang), s.id)
                        for s in by_type.get(code, [])
                        if place_rank(s, place) is not None
                    ]
                    expected = min(keys, default=None)
                    best = best_of_types(session, [code], place, age, lang).get(code)
                    got = best and (best.age_miss, best.rank, best.language_miss, best.id)
                    assert got == expected, (code, place, age, lang)


@functools.lru_cache
def _every_services_words(url: str) -> dict[str, frozenset[str]]:
    """Each type's words from every live service and the taxonomy names, read in Python."""
    type_words: dict[str, set[str]] = defaultdict(set)
    with new_session(url) as session:
        for service in session.scalars(select(Service).where(Service.deleted_at.is_(None))):
            type_words[service.type].update(words_of({c: getattr(service, c) for c in WORD_COLUMNS}))
    for code, spec in service_types().items():
        for name_lang, name in spec.names.items():
            type_words[code].update(fold(w) for w in lemmas(name, name_lang))
    return {code: frozenset(words) for code, words in type_words.items()}


def _keyword_scores_by_loading_everything(url: str, text_: str, lang: str) -> dict[str, float]:
    """The former keyword scoring over every service's words: the reference."""
    type_words = _every_services_words(url)
    query = {w for w in {fold(w) for w in lemmas(text_, lang)} - _STOPWORDS if len(w) > 2}
    frequency = {w: sum(w in v for v in type_words.values()) for w in query}
    raw = {
        c: sum(math.log(1 + len(type_words) / frequency[w]) for w in query & v) for c, v in type_words.items()
    }
    best = max(raw.values(), default=0.0)
    return {c: v / best for c, v in raw.items() if v > 0} if best else {}


@pytest.mark.parametrize(
    ("text_", "lang"),
    [
        ("perhekahvila Kivijärvellä", "fi"),
        ("vauva ei nuku öisin", "fi"),
        ("speech therapy", "en"),
        ("familjerådgivning", "sv"),
        ("qwzx", "fi"),
    ],
)
def test_keyword_scores_equal_those_from_every_services_words(
    scale: tuple[str, Places], text_: str, lang: str
) -> None:
    url, _places_ = scale
    with new_session(url) as session:
        assert keyword_scores(session, text_, lang) == pytest.approx(
            _keyword_scores_by_loading_everything(url, text_, lang)
        )


def test_a_generated_catalogue_routes_to_the_right_service(scale: tuple[str, Places]) -> None:
    url, places = scale
    region, city, city_name, areas = next(m for m in places.municipalities if m[3])
    with new_session(url) as session:
        place = find_place(session, f"asutaan {areas[0][1]}")
        assert place == Place(city, city_name, region, areas[0][0], areas[0][1])
        ranked = route_need(session, "", place=place, classifier_scores={"lastenneuvola": 1.0})
        service = ranked[0].service
        assert service.type == "lastenneuvola" and ranked[0].place_rank <= 3
        assert service.region_id in (None, region) and service.area_id in (None, areas[0][0])
        assert (
            route_need(session, "perhekahvila", lang="fi", place=place)[0].service.type == "kohtaamispaikka"
        )
        assert route_need(session, "Kelan lapsilisä", lang="fi")[0].service.type == "kela_etuudet"
        mikkeli = find_place(session, "Mikkelissä")
        assert (
            route_need(session, "", place=mikkeli, classifier_scores={"lastenneuvola": 1.0})[0].service.id
            == "mikkeli-lastenneuvola"
        )


# --- the type words stay in step with every write -------------------------------------------


def _type_words(session: Session) -> dict[tuple[str, str], int]:
    return {(w, t): n for w, t, n in session.execute(select(TypeWord.word, TypeWord.type, TypeWord.services))}


def _assert_equal_to_a_recount(session: Session) -> None:
    kept = _type_words(session)
    with session.begin_nested():
        rebuild(session.connection())
        recount = _type_words(session)
        session.rollback()
    assert kept == recount


def test_type_words_follow_staff_edits_deletes_and_imports(session: Session) -> None:
    _assert_equal_to_a_recount(session)
    with session.begin():
        service = session.get(Service, "mikkeli-lastenneuvola")
        service.keywords = {**service.keywords, "fi": [*service.keywords["fi"], "kasvukäyrä"]}
    assert ("kasvukayra", "lastenneuvola") in _type_words(session)
    _assert_equal_to_a_recount(session)
    with session.begin():
        service.type, service.name_fi = "perhetyo", "Mikkelin kotikäynnit"
    _assert_equal_to_a_recount(session)
    with session.begin():
        service.deleted_at = NOW
    assert ("kasvukayra", "perhetyo") not in _type_words(session)
    _assert_equal_to_a_recount(session)
    with session.begin():
        session.delete(session.get(Service, "juva-lastenneuvola", options=[selectinload(Service.locations)]))
    _assert_equal_to_a_recount(session)
    with session.begin():
        records = json.loads(export_json(session))["tables"]
    for record in records["service"]:
        if record["id"] == "mikkeli-lastenneuvola":
            record.update(deleted_at=None, type="lastenneuvola")
    records["service"] = [r for r in records["service"] if r["id"] != "savonlinna-lastenneuvola"]
    records["service_location"] = [
        r for r in records["service_location"] if r["service_id"] != "savonlinna-lastenneuvola"
    ]
    with session.begin():
        import_catalogue(session, records)
    assert ("kasvukayra", "lastenneuvola") in _type_words(session)
    _assert_equal_to_a_recount(session)


def test_the_place_index_is_built_once_and_again_after_an_edit(session: Session) -> None:
    first = place_index(session)
    assert place_index(session) is first
    session.commit()
    with session.begin():
        session.get(Service, "mikkeli-lastenneuvola").name_fi = "Mikkelin neuvola"  # not a place
    assert place_index(session) is first
    session.commit()
    with session.begin():
        session.get(Municipality, "mikkeli").name_sv = "Sankt Michel"
    assert place_index(session) is not first
    assert find_place(session, "Sankt Michel").municipality_id == "mikkeli"


def test_migration_0005_counts_the_words_of_the_services_already_there(catalog_url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from settings import REPO_ROOT

    with new_session(catalog_url) as session:
        before = _type_words(session)
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.attributes["url"] = catalog_url
    command.downgrade(config, "0004")
    assert "type_word" not in inspect(get_engine(catalog_url)).get_table_names()
    command.upgrade(config, "head")
    with new_session(catalog_url) as session:
        assert _type_words(session) == before and before
