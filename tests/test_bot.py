"""The real bot: trained model, Rasa server and action server, over the REST webhook."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests
import yaml
from sqlalchemy import select, update

from office.inbox import CallbackRequest
from service_catalog.db import new_session
from service_catalog.models import Service
from settings import REPO_ROOT
from tests.helpers import assert_pk_v1
from tests.stack import Stack

pytestmark = pytest.mark.bot

if not any((REPO_ROOT / "models").glob("*.tar.gz")):
    pytest.skip("no trained model: run `make train` (make test does)", allow_module_level=True)

HELD_OUT = REPO_ROOT / "tests" / "nlu" / "heldout.yml"
# The held-out set is never trained on; below this the model has got worse.
MIN_HELD_OUT_ACCURACY = 0.80


@pytest.fixture(scope="module")
def stack(tmp_path_factory, seeded_db: Path):
    workdir = tmp_path_factory.mktemp("stack")
    database = workdir / "catalog.sqlite3"
    database.write_bytes(seeded_db.read_bytes())
    with Stack(f"sqlite:///{database}", workdir, enable_api=True) as running:
        yield running


def conversation() -> str:
    return f"test-{uuid.uuid4().hex}"


def payload(messages: list[dict]) -> dict:
    customs = [m["custom"] for m in messages if "custom" in m]
    assert len(customs) == 1, messages
    assert_pk_v1(customs[0])
    return customs[0]


def text(messages: list[dict]) -> str:
    return " ".join(m.get("text", "") for m in messages)


def test_the_readme_question_finds_mikkelis_child_health_clinic(stack):
    messages = stack.say(conversation(), "Missä on lastenneuvola Mikkelissä?")
    answer = payload(messages)
    assert answer["kind"] == "services" and answer["language"] == "fi"
    assert answer["services"][0]["type"] == "lastenneuvola"
    assert answer["services"][0]["municipality"] == "Mikkeli"
    assert answer["contact"]["type"] == "perheneuvo"


def test_a_need_in_the_familys_own_words(stack):
    answer = payload(
        stack.say(conversation(), "vauva ei nuku öisin, olen ihan loppu", {"municipality": "Juva"})
    )
    assert answer["municipality"] == "Juva"
    assert answer["services"][0]["type"] in {"lastenneuvola", "lapsiperheiden_kotipalvelu", "perhetyo"}


def test_follow_ups_keep_the_conversation(stack):
    sender = conversation()
    first = payload(stack.say(sender, "missä on perhekahvila Mikkelissä?"))
    assert first["services"][0]["type"] == "kohtaamispaikka"
    moved = payload(stack.say(sender, "entä Savonlinnassa?"))
    assert moved["services"][0]["type"] == "kohtaamispaikka"
    assert moved["services"][0]["municipality"] == "Savonlinna"
    hours = stack.say(sender, "onko se auki lauantaina?")
    assert payload(hours)["services"][0]["id"] == moved["services"][0]["id"]
    assert "lauantaina" in text(hours)
    contact = payload(stack.say(sender, "kenelle soitan?"))
    assert contact["contact"]["type"] == "perheneuvo" and contact["municipality"] == "Savonlinna"


def test_crisis_is_answered_first_with_112(stack):
    messages = stack.say(conversation(), "apua lapsi joi pesuainetta")
    assert "custom" in messages[0], "the crisis payload comes before any text"
    answer = payload(messages)
    assert answer["kind"] == "crisis" and answer["helplines"][0]["phone"] == "112"


@pytest.mark.parametrize(
    ("message", "kind", "line"),
    [
        ("mulla ei oo enää mitään syytä jatkaa, kaikki ois parempi ilman mua", "suicide", "09 2525 0111"),
        ("mieheni lyö minua aina kun hän juo", "violence", "080 005 005"),
        ("my stepdad hits me and i dont want to go home", "child_abuse", "116 111"),
        ("pelkään että satutan vauvaa, en jaksa sen itkua", "harm_to_child", "09 2525 0111"),
        ("vår tvååring har svalt diskmaskintabletter", "poisoning", "0800 147 111"),
        ("the baby has blue lips and is not breathing properly", "medical", "116 117"),
        ("16-vuotias ei oo tullut kotiin eikä vastaa puhelimeen", "missing_child", "116 111"),
        ("mamma har svimmat och barnen är ensamma hemma", "no_carer", "112"),
    ],
)
def test_every_kind_of_danger_gets_112_first_and_its_line_next(stack, message, kind, line):
    messages = stack.say(conversation(), message)
    assert "custom" in messages[0], "the crisis payload comes before any text"
    answer = payload(messages)
    assert answer["kind"] == "crisis" and kind in answer["crisis_kinds"], answer
    phones = [helpline["phone"] for helpline in answer["helplines"]]
    assert phones[0] == "112"
    if line != "112":
        assert phones[1] == line, phones
    assert "112" in messages[1]["text"], "the first words say 112"


def test_a_child_telling_of_home_gets_the_child_line_and_is_told_it_is_not_their_fault(stack):
    messages = stack.say(conversation(), "mun isä hakkaa mua ja mä pelkään mennä kotiin")
    answer = payload(messages)
    assert [line["phone"] for line in answer["helplines"]][:2] == ["112", "116 111"]
    assert "Et ole tehnyt mitään väärää" in text(messages)
    assert "Jos sinä tai joku muu on vaarassa nyt" in text(messages), "ongoing harm: 112 if in danger now"


@pytest.mark.parametrize(
    ("message", "language"),
    [("var finns barnrådgivningen i Åbo?", "sv"), ("where can I find a family cafe in Turku", "en")],
)
def test_answers_in_the_language_the_user_writes(stack, message, language):
    answer = payload(stack.say(conversation(), message, {"language": "fi"}))
    assert answer["language"] == language and answer["municipality"] == "Turku"


def test_out_of_scope(stack):
    answer = payload(stack.say(conversation(), "mikä sää on huomenna?"))
    assert answer["kind"] == "out_of_scope" and answer["services"] == []


def test_a_catalogue_edit_shows_in_the_next_answer(stack):
    sender = conversation()
    best = payload(stack.say(sender, "lastenneuvola Pieksämäellä"))["services"][0]
    with new_session(stack.database_url) as session, session.begin():
        session.execute(
            update(Service).where(Service.id == best["id"]).values(name_fi="Pieksämäen uusi neuvola")
        )
    again = payload(stack.say(sender, "lastenneuvola Pieksämäellä"))["services"][0]
    assert again["name"] == "Pieksämäen uusi neuvola"


def test_a_call_me_back_request_over_the_webhook_lands_in_the_inbox(stack):
    sender = conversation()
    assert "(kyllä / ei)" in text(stack.say(sender, "voisiko joku soittaa minulle"))
    assert "puhelinnumeroon" in text(stack.say(sender, "kyllä"))
    assert "muutamalla sanalla" in text(stack.say(sender, "040 123 4567"))
    assert "kunnassa" in text(stack.say(sender, "lapsen uniongelmat"))
    done = stack.say(sender, "Mikkeli")
    answer = payload(done)
    assert answer["kind"] == "handoff" and answer["contact"]["id"] == "perheneuvo-mikkeli"
    with new_session(stack.database_url) as session:
        (row,) = session.scalars(select(CallbackRequest)).all()
        assert row.municipality_id == "mikkeli" and row.contact_value == "0401234567"


def test_no_consent_ends_the_request_politely(stack):
    sender = conversation()
    stack.say(sender, "pyydä apua", {"municipality": "Mikkeli"})
    refused = stack.say(sender, "ei kiitos")
    assert payload(refused)["kind"] == "handoff" and "en tallentanut" in text(refused)


def test_a_crisis_during_the_request_is_answered_first_and_the_request_is_kept(stack):
    sender = conversation()
    stack.say(sender, "haluan että minulle soitetaan", {"municipality": "Mikkeli"})
    assert "puhelinnumeroon" in text(stack.say(sender, "kyllä"))
    crisis = stack.say(sender, "mies lyö minua kun se juo")
    assert "custom" in crisis[0], "the crisis payload comes before any text"
    answer = payload(crisis)
    assert answer["kind"] == "crisis" and "violence" in answer["crisis_kinds"]
    assert [line["phone"] for line in answer["helplines"]][:2] == ["112", "080 005 005"]
    words = text(crisis)
    assert "yhä tallessa" in words and "puhelinnumeroon" in words, "the request is kept and asked on"
    # The number sent next goes to the request, not to a service.
    assert "muutamalla sanalla" in text(stack.say(sender, "040 123 4567"))


def test_malformed_json_is_refused_clearly(stack):
    response = requests.post(stack.rasa_url + "/webhooks/rest/webhook", data=b"{not json", timeout=10)
    assert response.status_code == 400
    assert payload(stack.say(conversation(), "lastenneuvola Mikkelissä"))["kind"] == "services"


def test_held_out_messages_are_understood(stack):
    data = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))
    total, correct, misses = 0, 0, Counter()
    for block in data["nlu"]:
        for example in block["examples"].splitlines():
            example = example.removeprefix("- ").strip()
            if not example:
                continue
            parsed = stack.api("POST", "/model/parse", json={"text": example}).json()
            total += 1
            predicted = parsed["intent"]["name"]
            if predicted == block["intent"] or (
                predicted == "nlu_fallback"
                and block["intent"] != "crisis"
                and block["intent"] in _second(parsed)
            ):
                correct += 1
            else:
                misses[(block["intent"], predicted)] += 1
    accuracy = correct / total
    print(f"held-out accuracy {accuracy:.3f} on {total}; most common misses: {misses.most_common(8)}")
    assert accuracy >= MIN_HELD_OUT_ACCURACY


def _second(parsed: dict) -> set[str]:
    # nlu_fallback still routes by the best real intent: count it when that one is right.
    ranking = [r["name"] for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
    return set(ranking[:1])
