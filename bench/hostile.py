"""What a hostile message costs: adversarial texts at the size limit, end to end through the webhook.

    .venv/bin/python -m bench.hostile              # its own stack: seeded catalogue, SQL tracker store
    .venv/bin/python -m bench.hostile --url URL    # or a running bot (e.g. `make run`)

Each message is as long as the webhook takes (PK_MAX_MESSAGE_CHARS) and is built to make one
stage work hard: masking (digit groups, phone prefixes, emails, identity codes), tokenising and
the classifiers (long words, many words), the language detectors (emoji, combining marks) and
the command check. Each is sent three times from a new conversation and timed from the POST
to the answer; the median is compared with a normal question's (target: at most 10x).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import requests

from service_catalog.db import new_session
from service_catalog.migrate import upgrade
from service_catalog.seed import load_seed
from settings import get_settings

NORMAL = "Missä on lastenneuvola Mikkelissä?"
REPEATS = 3
TARGET_RATIO = 10.0


def filled(unit: str, limit: int) -> str:
    """`unit` repeated up to exactly `limit` characters."""
    return (unit * (limit // len(unit) + 1))[:limit]


def hostile_messages(limit: int) -> dict[str, str]:
    return {
        "digit groups '1 1 1 …'": filled("1 ", limit),
        "dashed '1-1-1…'": filled("1-", limit),
        "'+358 ' repeated": filled("+358 ", limit),
        "phone numbers '040 765 4321 …'": filled("040 765 4321 ", limit),
        "one digit run": filled("0", limit),
        "identity codes": filled("131052-308T ", limit),
        "many emails": filled("maija.virtanen@example.com ", limit),
        "mixed personal data": filled("soita 040 765 4321, maija@example.com, 131052-308T ", limit),
        "one long word": filled("a", limit),
        "a long Finnish word": filled("lastenneuvola", limit),
        "many words": filled("neuvola ", limit),
        "crisis words": filled("apua isä lyö ", limit),
        "emoji flood": filled("\U0001f476", limit),
        "combining marks on one letter": "a" + "\u0301" * (limit - 1),
        "zalgo letters": filled("e\u0301\u0316\u0344", limit),
        "command-like '/intent{…}'": "/need_lastenneuvola" + filled('{"a":1}', limit - 19),
    }


def send_ms(url: str, text: str) -> tuple[float, int]:
    body = {"sender": f"bench-{uuid.uuid4().hex}", "message": text, "metadata": {"language": "fi"}}
    started = time.perf_counter()
    response = requests.post(url + "/webhooks/rest/webhook", json=body, timeout=300)
    return (time.perf_counter() - started) * 1000, response.status_code


def median_ms(url: str, text: str) -> tuple[float, int]:
    runs = [send_ms(url, text) for _ in range(REPEATS)]
    return statistics.median(ms for ms, _ in runs), runs[-1][1]


def run(url: str, limit: int) -> None:
    send_ms(url, NORMAL)  # warm-up: the first message loads what the models load lazily
    normal, _ = median_ms(url, NORMAL)
    print(f"normal message ({len(NORMAL)} characters): {normal:.0f} ms (median of {REPEATS})")
    print("| message (at the limit) | characters | status | median ms | × normal |")
    print("|---|---|---|---|---|")
    results = []
    for name, text in hostile_messages(limit).items():
        ms, status = median_ms(url, text)
        results.append((ms, name))
        print(f"| {name} | {len(text)} | {status} | {ms:.0f} | {ms / normal:.1f} |", flush=True)
    slowest, name = max(results)
    verdict = "within" if slowest / normal <= TARGET_RATIO else "ABOVE"
    print(
        f"slowest: {name}, {slowest:.0f} ms = {slowest / normal:.1f}× normal ({verdict} the {TARGET_RATIO:.0f}× target)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Rasa server; default: start one")
    args = parser.parse_args(argv)
    limit = get_settings().max_message_chars
    if args.url:
        run(args.url, limit)
        return
    from tests.stack import Stack

    with tempfile.TemporaryDirectory() as workdir:
        database_url = f"sqlite:///{workdir}/catalog.sqlite3"
        upgrade(database_url)
        with new_session(database_url) as session, session.begin():
            load_seed(session)
        # The probe: a Rasa server with the SQL tracker store, which masks every event.
        os.environ["PK_TRACKER_STORE_URL"] = f"sqlite:///{workdir}/rasa.sqlite3"
        with Stack(database_url, Path(workdir)) as stack:
            run(stack.rasa_url, limit)


if __name__ == "__main__":
    main()
