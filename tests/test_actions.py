"""Every action against a real seeded catalogue, with real rasa-sdk trackers and dispatchers."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from actions.conversation import ActionOutOfScope, ActionSmallTalk
from actions.routing import (
    ActionContact,
    ActionCrisis,
    ActionInformPlace,
    ActionOpeningHours,
    ActionRouteNeed,
)
from service_catalog.models import Municipality, Region, Service, ServiceLocation
from service_catalog.seed import ptv_hours
from tests.helpers import assert_pk_v1, run, tracker


def payload_of(messages: list[dict]) -> dict:
    payloads = [m["custom"] for m in messages if m.get("custom")]
    assert len(payloads) == 1, "exactly one pk.v1 message per routing answer"
    assert_pk_v1(payloads[0])
    return payloads[0]


def texts_of(messages: list[dict]) -> str:
    return " ".join(m["text"] for m in messages if m.get("text"))


def test_routes_a_need_to_the_municipalitys_service_and_perheneuvo(catalog_url):
    messages, slots = run(
        ActionRouteNeed(), tracker("Missä on lastenneuvola Mikkelissä?", "need_lastenneuvola")
    )
    payload = payload_of(messages)
    assert payload["kind"] == "services" and payload["language"] == "fi"
    assert payload["municipality"] == "Mikkeli"
    best = payload["services"][0]
    assert best["type"] == "lastenneuvola" and best["municipality"] == "Mikkeli"
    assert best["phone"] and best["address"]
    assert payload["contact"]["type"] == "perheneuvo"
    assert best["name"] in texts_of(messages)
    assert slots["municipality"] == "mikkeli" and slots["language"] == "fi"


def test_answers_at_once_without_a_municipality_and_asks_for_it(catalog_url):
    messages, _ = run(ActionRouteNeed(), tracker("tarvitsen neuvolaa vauvalle", "need_lastenneuvola"))
    payload = payload_of(messages)
    assert payload["kind"] == "services" and payload["services"][0]["type"] == "lastenneuvola"
    assert payload["municipality"] is None and payload["contact"] is None
    assert len({s["type"] for s in payload["services"]}) == len(payload["services"])
    assert "kunnassa" in texts_of(messages)


def test_page_metadata_gives_the_municipality_and_the_users_language_wins(catalog_url):
    t = tracker(
        "where is the child health clinic",
        "need_lastenneuvola",
        metadata={"municipality": "Savonlinna", "language": "fi"},
    )
    payload = payload_of(run(ActionRouteNeed(), t)[0])
    assert payload["language"] == "en" and payload["municipality"] == "Savonlinna"
    assert payload["services"][0]["municipality"] == "Savonlinna"


def test_swedish_in_turku_prefers_the_swedish_language_service(catalog_url, session: Session):
    messages, _ = run(ActionRouteNeed(), tracker("var finns barnrådgivningen i Åbo?", "need_lastenneuvola"))
    payload = payload_of(messages)
    assert payload["language"] == "sv" and payload["municipality"] == "Turku"
    best = session.get(Service, payload["services"][0]["id"])
    assert best.type == "lastenneuvola" and "sv" in best.languages
    assert "Bäst passar" in texts_of(messages)


def test_follow_up_place_reroutes_the_same_need(catalog_url):
    _, slots = run(ActionRouteNeed(), tracker("perhekahvila Mikkelissä?", "need_kohtaamispaikka"))
    messages, slots2 = run(ActionInformPlace(), tracker("entä Savonlinnassa?", "inform_place", slots=slots))
    payload = payload_of(messages)
    assert payload["services"][0]["type"] == "kohtaamispaikka"
    assert payload["services"][0]["municipality"] == "Savonlinna"
    assert slots2["municipality"] == "savonlinna"


def test_follow_up_opening_hours_of_what_was_shown(catalog_url):
    _, slots = run(ActionRouteNeed(), tracker("lastenneuvola Mikkelissä", "need_lastenneuvola"))
    messages, _ = run(ActionOpeningHours(), tracker("onko se auki lauantaina?", "ask_hours", slots=slots))
    payload = payload_of(messages)
    assert payload["services"][0]["id"] == slots["shown"][0]["service"]
    assert "lauantaina" in texts_of(messages)


def test_follow_up_whom_to_call(catalog_url):
    _, slots = run(ActionRouteNeed(), tracker("lastenneuvola Mikkelissä", "need_lastenneuvola"))
    messages, _ = run(ActionContact(), tracker("kenelle soitan?", "ask_contact", slots=slots))
    payload = payload_of(messages)
    assert payload["contact"]["type"] == "perheneuvo"
    assert payload["contact"]["name"] in texts_of(messages)


def test_whom_to_call_without_history_is_the_one_door(catalog_url):
    messages, _ = run(ActionContact(), tracker("kenelle soitan, asun Juvalla", "ask_contact"))
    assert payload_of(messages)["services"][0]["type"] == "perheneuvo"


def test_crisis_comes_first_with_112_and_the_fitting_line(catalog_url):
    messages, _ = run(ActionCrisis(), tracker("lapsi söi pillereitä", "crisis"))
    assert messages[0].get("custom"), "the crisis payload is the first message"
    payload = payload_of(messages)
    assert payload["kind"] == "crisis"
    phones = [line["phone"] for line in payload["helplines"]]
    assert phones[0] == "112" and "0800 147 111" in phones
    assert "112" in texts_of(messages)


def test_crisis_is_answered_even_when_the_classifier_says_otherwise(catalog_url):
    messages, _ = run(ActionRouteNeed(), tracker("mies lyö minua nyt", "need_vakivaltatyo"))
    payload = payload_of(messages)
    assert payload["kind"] == "crisis" and payload["helplines"][0]["phone"] == "112"
    assert "080 005 005" in [line["phone"] for line in payload["helplines"]]


def test_out_of_scope_routes_nothing(catalog_url):
    messages, _ = run(ActionOutOfScope(), tracker("what's the weather tomorrow", "out_of_scope"))
    payload = payload_of(messages)
    assert payload["kind"] == "out_of_scope" and payload["services"] == [] and payload["language"] == "en"


def test_small_talk_in_the_users_language(catalog_url):
    messages, _ = run(ActionSmallTalk(), tracker("hej", "greet"))
    assert texts_of(messages).startswith("Hej!")
    assert not any(m.get("custom") for m in messages)


def test_a_municipality_added_to_the_catalogue_is_understood_in_the_next_message(catalog_url, session):
    with session.begin():
        session.add(Region(id="keski-suomi", name_fi="Keski-Suomen hyvinvointialue"))
        session.add(Municipality(id="jyvaskyla", code="179", region_id="keski-suomi", name_fi="Jyväskylä"))
        session.add(
            Service(
                id="jkl-lastenneuvola",
                type="lastenneuvola",
                region_id="keski-suomi",
                municipality_id="jyvaskyla",
                name_fi="Jyväskylän lastenneuvola",
                languages=["fi"],
                keywords={},
                locations=[
                    ServiceLocation(
                        id="jkl-ln-1",
                        municipality_id="jyvaskyla",
                        phone="+358 40 000 9999",
                        hours=ptv_hours({"weekly": {"mo-fr": "08:00-16:00"}}),
                    )
                ],
            )
        )
    for text in ("lastenneuvola Jyväskylässä", "lastenneuvola jyvaskylassa"):
        payload = payload_of(run(ActionRouteNeed(), tracker(text, "need_lastenneuvola"))[0])
        assert payload["municipality"] == "Jyväskylä"
        assert payload["services"][0]["id"] == "jkl-lastenneuvola"


def test_opening_hours_without_history_answer_the_need_the_question_names(catalog_url):
    messages, _ = run(ActionOpeningHours(), tracker("milloin perhekahvila on auki Juvalla?", "ask_hours"))
    payload = payload_of(messages)
    assert payload["services"][0]["type"] == "kohtaamispaikka"
    assert payload["services"][0]["municipality"] == "Juva"
    nothing_named, _ = run(ActionOpeningHours(), tracker("onko se auki lauantaina?", "ask_hours"))
    assert not any(m.get("custom") for m in nothing_named)
    assert "Kerro ensin" in texts_of(nothing_named)


def test_a_municipality_deleted_by_staff_is_forgotten_by_the_next_turn(catalog_url, session):
    _, slots = run(ActionRouteNeed(), tracker("perhekahvila Puumalassa", "need_kohtaamispaikka"))
    assert slots["municipality"] == "puumala"
    with session.begin():
        session.get(Municipality, "puumala").deleted_at = datetime.now(timezone.utc)
    messages, slots = run(ActionInformPlace(), tracker("entä nyt?", "inform_place", slots=slots))
    assert payload_of(messages)["municipality"] is None
    assert slots["municipality"] is None
