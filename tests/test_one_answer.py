"""One turn, one answer: whatever a family types, the bot answers once; and the call-me-back
form is one a person can leave.

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

from office.inbox import CallbackRequest
from service_catalog.db import new_session
from service_catalog.models import Area
from settings import REPO_ROOT
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


def said(messages: list[dict]) -> str:
    return " ".join(m.get("text") or "" for m in messages)


def requests_stored(database_url: str) -> int:
    with new_session(database_url) as session:
        return len(session.scalars(select(CallbackRequest)).all())


def test_the_request_starts_with_its_question_and_yes_no_buttons(stack):
    first = stack.say(f"cb-{uuid.uuid4().hex}", "haluan että minulle soitetaan")
    assert "ei näytä" not in said(first) and "En tunnistanut" not in said(first)
    buttons = [b["title"] for m in first for b in m.get("buttons") or []]
    assert buttons == ["Kyllä", "Ei"]


@pytest.mark.parametrize("leave", ["peruuta", "en halua antaa numeroa", "avbryt", "cancel"])
def test_a_cancel_word_leaves_the_form_and_stores_nothing(stack, leave):
    sender, before = f"cb-{uuid.uuid4().hex}", requests_stored(stack.database_url)
    stack.say(sender, "haluan että minulle soitetaan", {"municipality": "Mikkeli"})
    stack.say(sender, "kyllä")
    answer = said(stack.say(sender, leave))
    assert "en tallentanut mitään" in answer or "did not store" in answer or "sparade ingenting" in answer
    # The form is over: a number sent now is not taken as the contact.
    stack.say(sender, "040 765 4321")
    assert requests_stored(stack.database_url) == before


def test_a_new_question_inside_the_form_is_answered(stack):
    sender = f"cb-{uuid.uuid4().hex}"
    stack.say(sender, "pyydä apua", {"municipality": "Mikkeli"})
    stack.say(sender, "kyllä")
    answer = stack.say(sender, "miten pääsen perheneuvolaan")
    services = [s["type"] for m in answer if "custom" in m for s in m["custom"].get("services") or []]
    assert "perheneuvola" in services
    assert "ei näytä" not in said(answer)


def test_a_foreign_number_is_taken(stack):
    sender = f"cb-{uuid.uuid4().hex}"
    stack.say(sender, "I'd like someone to call me")
    stack.say(sender, "yes")
    assert "what you would like to talk about" in said(stack.say(sender, "+46 70 123 45 67"))
