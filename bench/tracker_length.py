"""What a long conversation session costs per turn, with and without compaction.

    .venv/bin/python -m bench.tracker_length [--database-url postgresql://...]

Rasa's SQL tracker store loads every event since the session started on each turn; our store
compacts a session longer than PK_TRACKER_MAX_EVENTS into a new one that keeps its state.
This times one turn's load (retrieve) and save at several session lengths, both ways.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores.tracker import MaskingSQLTrackerStore
from settings import REPO_ROOT, get_settings

LENGTHS = (40, 400, 4000)
REPEATS = 15


def _session(sender: str, domain: Domain, turns: int) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, domain.slots)
    for turn in range(turns):
        tracker.update(
            UserUttered(f"missä on neuvola {turn}", {"name": "need_lastenneuvola", "confidence": 0.9})
        )
        tracker.update(ActionExecuted("action_route_need"))
        tracker.update(
            BotUttered("Mikkelin lastenneuvola, puh. 015 194 2000", {"custom": {"kind": "services"}})
        )
        tracker.update(ActionExecuted("action_listen"))
    return tracker


def one_turn_ms(store: MaskingSQLTrackerStore, sender: str) -> float:
    started = time.perf_counter()
    tracker = asyncio.run(store.retrieve(sender))
    tracker.update(UserUttered("entä Juvalla?", {"name": "inform_place", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))
    return (time.perf_counter() - started) * 1000


def measure(url: str, max_events: int, length: int, domain: Domain) -> float:
    get_settings().tracker_max_events = max_events
    store = MaskingSQLTrackerStore(url, domain=domain)
    sender = f"bench-{uuid.uuid4().hex}"
    asyncio.run(store.save(_session(sender, domain, length // 4)))
    one_turn_ms(store, sender)  # the compaction itself, once
    figures = [one_turn_ms(store, sender) for _ in range(REPEATS)]
    store.engine.dispose()
    return statistics.median(figures)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    args = parser.parse_args(argv)
    domain = Domain.load(str(REPO_ROOT / "domain.yml"))
    with tempfile.TemporaryDirectory() as workdir:
        url = args.database_url or f"sqlite:///{Path(workdir) / 'rasa.db'}"
        measure(url, 400, 40, domain)  # warm-up: the tables, the first connections
        print(f"{'events in session':>18} {'uncompacted ms':>15} {'compacted ms':>13}")
        for length in LENGTHS:
            plain = measure(url, 10**9, length, domain)
            compacted = measure(url, 400, length, domain)
            print(f"{length:>18} {plain:>15.1f} {compacted:>13.1f}")


if __name__ == "__main__":
    main()
