"""One turn, one answer: whatever a family types, the bot answers once.

A state no rule fitted ran the core fallback again and again, up to Rasa's ten predictions a
turn ("ok" got ten answers, 20 messages). Random texts, one-word answers and every area name of
the catalogue are sent, each as the reply to a routing answer, as a family would."""

from __future__ import annotations

import random
import string
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from service_catalog.db import new_session
from service_catalog.models import Area
from service_catalog.settings import REPO_ROOT
from tests.stack import Stack

pytestmark = pytest.mark.bot

if not any((REPO_ROOT / "models").glob("*.tar.gz")):
    pytest.skip("no trained model: run `make train` (make test does)", allow_module_level=True)

ONE_WORDS = [
    "hmm",
    "en oikein tiedä",
    "ei",
    "kyllä",
    "ok",
    "joo",
    "nej",
    "ja",
    "yes",
    "no",
    "?",
    "...",
    "😊",
    "asdfgh",
    "kiitos",
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory, seeded_db: Path):
    workdir = tmp_path_factory.mktemp("one-answer")
    database = workdir / "catalog.sqlite3"
    database.write_bytes(seeded_db.read_bytes())
    with Stack(f"sqlite:///{database}", workdir) as running:
        yield running


def area_names(database_url: str) -> list[str]:
    with new_session(database_url) as session:
        areas = session.scalars(select(Area).where(Area.deleted_at.is_(None))).all()
        return sorted({name for a in areas for name in (a.name_fi, a.name_sv) if name})


def random_texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    alphabet = string.ascii_letters + "åäöÅÄÖ0123456789 ,.!?-"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def payloads(messages: list[dict]) -> int:
    return sum(1 for m in messages if "custom" in m)


def test_every_short_random_or_place_reply_gets_one_answer(stack):
    replies = ONE_WORDS + random_texts(15) + area_names(stack.database_url)
    repeated = {}
    for reply in replies:
        sender = f"one-{uuid.uuid4().hex}"
        first = stack.say(sender, "Missä on neuvola Turussa?")
        assert payloads(first) == 1
        answer = stack.say(sender, reply)
        texts = [m["text"] for m in answer if m.get("text")]
        if payloads(answer) > 1 or len(texts) != len(set(texts)) or not answer:
            repeated[reply] = (payloads(answer), len(answer))
    assert repeated == {}
