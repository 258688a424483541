"""Catalogue search at scale: a generated catalogue, the bot's per-turn catalogue work timed.

    python -m bench.catalogue_scale                      # 100 000 services, SQLite and PostgreSQL
    python -m bench.catalogue_scale --services 10000 --sample 50 --databases sqlite
    PK_SCALE_POSTGRES=postgresql+psycopg2://postgres@127.0.0.1:5432/test python -m bench.catalogue_scale

SQLite goes to var/scale-<n>.sqlite3; for PostgreSQL a database pk_scale_<n> is created
beside the one the URL names and dropped afterwards. Each query is one turn as the actions
run it, in a session of its own: the place in the message (`find_place`), the search
(`route_need`), the perheneuvo (`perheneuvo_for`) and the whole routing answer
(`route_answer`: the search, again without the place when nothing covers it, the contact,
and what the answer shows of each service). Queries: every routable message of
bench/messages.yml, each without a place, in a generated municipality and in a generated
area, two in three with an intent ranking as the classifier would give it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import yaml
from sqlalchemy import text
from sqlalchemy.engine import make_url

from actions.answers import Context, route_answer
from bench.catalogue_gen import Places, generate
from bench.routing import MESSAGES, SPECIAL, percentile
from service_catalog.contacts import perheneuvo_for
from service_catalog.db import get_engine, new_session
from service_catalog.hours import HELSINKI
from service_catalog.migrate import upgrade
from service_catalog.places import find_place
from service_catalog.search import route_need
from service_catalog.taxonomy import service_types
from settings import REPO_ROOT

DEFAULT_POSTGRES = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=HELSINKI)  # a Thursday morning: most places open


@dataclass
class Query:
    text: str
    lang: str
    classifier: dict[str, float] | None


def queries(places: Places, seed: int = 7) -> list[Query]:
    rng = random.Random(seed)
    items = [i for i in yaml.safe_load(MESSAGES.read_text(encoding="utf-8")) if i["expect"] not in SPECIAL]
    codes = sorted(service_types())
    result = []
    for item in items:
        _region, _mun, name, areas = rng.choice([m for m in places.municipalities if m[3]])
        for where in ("", f" {name}", f" {rng.choice(areas)[1]}"):
            classifier = None
            if rng.random() < 2 / 3:
                others = rng.sample([c for c in codes if c != item["expect"]], 2)
                top = rng.uniform(0.5, 0.95)
                classifier = {item["expect"]: top, others[0]: (1 - top) * 0.7, others[1]: (1 - top) * 0.3}
            result.append(Query(item["text"] + where, item["lang"], classifier))
    return result


def _turn(url: str, query: Query, timings: dict[str, list[float]]) -> None:
    def timed(name: str, call: Callable):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = call()
        timings[name].append((time.perf_counter() - start) * 1000)
        return result

    with new_session(url) as session:
        place = timed("place lookup", lambda: find_place(session, query.text))
        timed(
            "search",
            lambda: route_need(
                session, query.text, lang=query.lang, place=place, classifier_scores=query.classifier
            ),
        )
        timed("perheneuvo", lambda: perheneuvo_for(session, place))
    with new_session(url) as session:
        ctx = Context(query.text, query.lang, NOW, place=place, classifier_scores=query.classifier)
        timed("routing answer", lambda: route_answer(session, ctx))


def run(url: str, items: list[Query]) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = defaultdict(list)
    for query in items[:5]:  # warm-up: caches, statement compilation, the first connection
        _turn(url, query, defaultdict(list))
    for query in items:
        _turn(url, query, timings)
    return timings


def build(url: str, services: int) -> Places:
    start = time.perf_counter()
    upgrade(url)
    with new_session(url) as session, session.begin():
        places = generate(session, services)
    with get_engine(url).connect() as connection:
        # Fresh statistics, as a nightly maintenance job keeps them: the planner needs them.
        connection.execute(text("ANALYZE"))
        connection.commit()
    print(f"  generated {services} services in {time.perf_counter() - start:.1f} s")
    return places


@contextmanager
def sqlite_database(services: int) -> Iterator[str]:
    path = REPO_ROOT / "var" / f"scale-{services}.sqlite3"
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    yield f"sqlite:///{path}"


@contextmanager
def postgres_database(admin_url: str, services: int, keep: bool) -> Iterator[str]:
    name = f"pk_scale_{services}"
    admin = get_engine(admin_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        if not keep:
            with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def report(database: str, services: int, timings: dict[str, list[float]]) -> None:
    for name, values in timings.items():
        print(
            f"| {database} | {services} | {name} | {len(values)} | {statistics.median(values):.1f} | "
            f"{percentile(values, 0.95):.1f} | {percentile(values, 0.99):.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres", default=os.environ.get("PK_SCALE_POSTGRES", DEFAULT_POSTGRES))
    parser.add_argument("--sample", type=int, help="time only this many queries (a random sample)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    databases = {
        "sqlite": lambda: sqlite_database(args.services),
        "postgresql": lambda: postgres_database(args.postgres, args.services, args.keep),
    }
    results = []
    for name in args.databases.split(","):
        print(f"{name}:", flush=True)
        with databases[name]() as url:
            items = queries(build(url, args.services))
            if args.sample:
                items = random.Random(3).sample(items, args.sample)
            start = time.perf_counter()
            results.append((name, run(url, items)))
            print(f"  timed {len(items)} queries in {time.perf_counter() - start:.1f} s", flush=True)
    print("| database | services | what | n | median ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for name, timings in results:
        report(name, args.services, timings)


if __name__ == "__main__":
    main()
