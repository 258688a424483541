"""Load test of the production set-up: parallel multi-turn conversations through nginx.

    .venv/bin/python -m bench.load                     # starts the set-up itself, 1/10/50/100 users
    .venv/bin/python -m bench.load --users 10 --url http://127.0.0.1:8080 --tracker-url postgresql://...

Each user holds `--rounds` conversations one after another, each four turns whose answers
depend on the turns before (a place follow-up, the opening hours of "it", whom to call), so a
conversation whose state got lost between the two Rasa servers fails its checks. Afterwards
every conversation's stored user messages are compared with what was sent: none lost, none
twice. Loopback only; bounded in count (users x rounds x 4 messages) and time (--max-seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import sqlalchemy as sa

from bench.routing import percentile
from settings import REPO_ROOT

SCRIPT = (
    "missä on perhekahvila Mikkelissä?",
    "entä Savonlinnassa?",
    "onko se auki lauantaina?",
    "kenelle soitan?",
)


@dataclass
class Level:
    users: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    state_failures: list[str] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def figures(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        return {
            "users": self.users,
            "messages": len(self.latencies),
            "seconds": round(self.seconds, 1),
            "throughput_msg_s": round(len(self.latencies) / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(statistics.median(ordered) * 1000) if ordered else None,
            "p95_ms": round(percentile(ordered, 0.95) * 1000) if ordered else None,
            "p99_ms": round(percentile(ordered, 0.99) * 1000) if ordered else None,
            "errors": len(self.errors),
            "state_failures": len(self.state_failures),
        }


def _custom(messages: list[dict]) -> dict:
    customs = [m["custom"] for m in messages if "custom" in m]
    return customs[0] if customs else {}


def check_state(answers: list[dict]) -> str | None:
    """Why the four answers do not make one coherent conversation, or None."""
    first, moved, hours, contact = answers
    try:
        if first["services"][0]["type"] != "kohtaamispaikka":
            return "turn 1: no meeting point"
        if (moved["services"][0]["type"], moved["services"][0]["municipality"]) != (
            "kohtaamispaikka",
            "Savonlinna",
        ):
            return "turn 2: the need or the place was lost"
        if hours["services"][0]["id"] != moved["services"][0]["id"]:
            return "turn 3: 'it' was not the service shown last"
        if contact["municipality"] != "Savonlinna":
            return "turn 4: the place was lost"
    except (KeyError, IndexError):
        return "an answer without services"
    return None


async def converse(http: aiohttp.ClientSession, url: str, level: Level, deadline: float) -> None:
    sender = f"load-{uuid.uuid4().hex}"
    level.senders.append(sender)
    answers = []
    for message in SCRIPT:
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        try:
            async with http.post(url, json={"sender": sender, "message": message}) as response:
                body = await response.json(content_type=None)
                if response.status != 200:
                    level.errors.append(f"{response.status}: {str(body)[:100]}")
                    return
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            level.errors.append(type(error).__name__)
            return
        level.latencies.append(time.perf_counter() - started)
        answers.append(_custom(body))
    if why := check_state(answers):
        level.state_failures.append(why)


async def run_level(url: str, users: int, rounds: int, max_seconds: float) -> Level:
    level = Level(users)
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=users)
    deadline = time.monotonic() + max_seconds

    async def user() -> None:
        for _ in range(rounds):
            await converse(http, url, level, deadline)

    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(users)))
        level.seconds = time.perf_counter() - started
    return level


def lost_or_twice(tracker_url: str, senders: list[str]) -> dict[str, int]:
    """Compares each conversation's stored user messages with the script."""
    engine = sa.create_engine(tracker_url)
    counts = {"conversations": len(senders), "lost": 0, "twice": 0, "out_of_order": 0}
    with engine.connect() as connection:
        for sender in senders:
            texts = [
                json.loads(data)["text"]
                for (data,) in connection.execute(
                    sa.text(
                        "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"
                    ),
                    {"s": sender},
                )
            ]
            counts["lost"] += sum(1 for m in SCRIPT[: len(texts) or 4] if m not in texts)
            counts["twice"] += len(texts) - len(set(texts))
            counts["out_of_order"] += int(texts != list(SCRIPT[: len(texts)]))
    engine.dispose()
    return counts


def run(url: str, tracker_url: str, levels: list[int], rounds: int, max_seconds: float) -> list[dict]:
    webhook = url.rstrip("/") + "/webhooks/rest/webhook"
    results = []
    for users in levels:
        level = asyncio.run(run_level(webhook, users, rounds, max_seconds))
        figures = {**level.figures(), **lost_or_twice(tracker_url, level.senders)}
        results.append(figures)
        print(json.dumps(figures), flush=True)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 10, 50, 100])
    parser.add_argument("--rounds", type=int, default=2, help="conversations per user, one after another")
    parser.add_argument("--max-seconds", type=float, default=300, help="per level")
    parser.add_argument("--url", help="a running set-up's nginx; without it one is started")
    parser.add_argument("--tracker-url", help="its tracker store (with --url)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "var" / "bench" / "load.json")
    args = parser.parse_args(argv)
    if args.url:
        results = run(args.url, args.tracker_url, args.users, args.rounds, args.max_seconds)
    else:
        import tempfile

        from tests.production_stack import Production

        with (
            tempfile.TemporaryDirectory() as workdir,
            Production(
                Path(workdir),
                rate_limit_per_client="1000000/minute",
                rate_limit_per_conversation="1000/minute",
            ) as prod,
        ):
            results = run(prod.url, prod.tracker_url, args.users, args.rounds, args.max_seconds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(
        f"{'users':>5} {'msgs':>5} {'msg/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'err':>4} {'state':>5} {'lost':>4} {'twice':>5}"
    )
    for r in results:
        print(
            f"{r['users']:>5} {r['messages']:>5} {r['throughput_msg_s']:>6} {r['p50_ms']:>6} {r['p95_ms']:>6} "
            f"{r['p99_ms']:>6} {r['errors']:>4} {r['state_failures']:>5} {r['lost']:>4} {r['twice']:>5}"
        )


if __name__ == "__main__":
    main()
