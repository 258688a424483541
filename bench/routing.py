"""Routing benchmark: bench/messages.yml through the running bot's REST webhook, and BM25.

    python -m bench.routing              # starts its own stack on a fresh seeded catalogue
    python -m bench.routing --url URL    # or talks to a running bot (e.g. `make run`)

Reports top-1 and top-3 routing accuracy, crisis recall, out-of-scope accuracy and p50/p95
latency for the bot, and the same accuracies for a plain BM25 keyword search.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import requests
import yaml

from bench.baseline import KeywordSearch
from service_catalog.db import new_session
from service_catalog.migrate import upgrade
from service_catalog.seed import load_seed

MESSAGES = Path(__file__).with_name("messages.yml")
SPECIAL = ("crisis", "out_of_scope")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bot_answer(url: str, item: dict) -> tuple[str, list[str], float]:
    body = {"sender": f"bench-{uuid.uuid4().hex}", "message": item["text"]}
    if item.get("municipality"):
        body["metadata"] = {"municipality": item["municipality"]}
    start = time.perf_counter()
    response = requests.post(url + "/webhooks/rest/webhook", json=body, timeout=30)
    elapsed = time.perf_counter() - start
    customs = [m["custom"] for m in response.json() if "custom" in m]
    if not customs:
        return "none", [], elapsed
    return customs[0]["kind"], [s["type"] for s in customs[0]["services"]], elapsed


def score(items: list[dict], predictions: list[tuple[str, list[str]]]) -> dict[str, float]:
    top1 = top3 = crisis_hits = crisis_total = oos_hits = oos_total = crisis_answers = 0
    for item, (kind, types) in zip(items, predictions, strict=True):
        expect = item["expect"]
        if expect == "crisis":
            crisis_total += 1
            hit1 = hit3 = kind == "crisis"
            crisis_hits += hit1
        elif expect == "out_of_scope":
            oos_total += 1
            hit1 = hit3 = kind == "out_of_scope"
            oos_hits += hit1
        else:
            # A request to be called back is routed as a handoff to the one door. Under the
            # widened contract a disclosure ("he has hit me for years") is a crisis: 112 first,
            # then the service that carries on; with the expected service first it is routed.
            hit1 = kind in ("services", "handoff", "crisis") and types[:1] == [expect]
            hit3 = kind in ("services", "clarify", "handoff", "crisis") and expect in types[:3]
        if expect != "crisis":
            crisis_answers += kind == "crisis"
        top1 += hit1
        top3 += hit3
    n = len(items)
    return {
        "top1": top1 / n,
        "top3": top3 / n,
        "crisis_recall": crisis_hits / max(crisis_total, 1),
        "out_of_scope": oos_hits / max(oos_total, 1),
        # Messages not written as a crisis that were answered as one (read them: some are
        # disclosures the widened contract calls a crisis).
        "crisis_answers": crisis_answers / max(n - crisis_total, 1),
    }


def run_bot(url: str, items: list[dict]) -> tuple[list[tuple[str, list[str]]], list[float], Counter]:
    for item in items[:5]:  # warm-up: first requests load lazily on both servers
        bot_answer(url, item)
    predictions, latencies, misses = [], [], Counter()
    for item in items:
        kind, types, elapsed = bot_answer(url, item)
        predictions.append((kind, types))
        latencies.append(elapsed * 1000)
        special = kind in SPECIAL and (item["expect"] in SPECIAL or not types)
        got = kind if special or not types else types[0]
        if got != item["expect"]:
            misses[(item["expect"], got)] += 1
    return predictions, latencies, misses


def run_baseline(database_url: str, items: list[dict]) -> list[tuple[str, list[str]]]:
    with new_session(database_url) as session:
        search = KeywordSearch(session)
    result = []
    for item in items:
        types = search.types(item["text"])
        result.append(("services" if types else "out_of_scope", types))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Rasa server; default: start one")
    args = parser.parse_args()
    items = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as workdir:
        database_url = f"sqlite:///{workdir}/catalog.sqlite3"
        upgrade(database_url)
        with new_session(database_url) as session, session.begin():
            load_seed(session)
        if args.url:
            predictions, latencies, misses = run_bot(args.url, items)
        else:
            from tests.stack import Stack

            with Stack(database_url, Path(workdir)) as stack:
                predictions, latencies, misses = run_bot(stack.rasa_url, items)
        baseline = score(items, run_baseline(database_url, items))
    bot = score(items, predictions)
    languages = Counter(item["lang"] for item in items)
    print(f"messages: {len(items)} ({', '.join(f'{k} {v}' for k, v in sorted(languages.items()))})")
    print("| system | top-1 | top-3 | crisis recall | out of scope | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| bot | {bot['top1']:.1%} | {bot['top3']:.1%} | {bot['crisis_recall']:.1%} | "
        f"{bot['out_of_scope']:.1%} | {statistics.median(latencies):.0f} | {percentile(latencies, 0.95):.0f} |"
    )
    print(
        f"| BM25 keyword search | {baseline['top1']:.1%} | {baseline['top3']:.1%} | "
        f"{baseline['crisis_recall']:.1%} | {baseline['out_of_scope']:.1%} | – | – |"
    )
    print(
        f"answered as a crisis though not written as one: {bot['crisis_answers']:.1%} of {len(items) - sum(i['expect'] == 'crisis' for i in items)}"
    )
    print("bot misses (expected, got):", misses.most_common(15))


if __name__ == "__main__":
    main()
