"""The call-me-back request end to end at action level: real rasa-sdk trackers, a real catalogue,
the inbox read back through the staff API. And the perheneuvo's hours in the contact answer."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.answers import Context, contact_answer
from actions.callback import (
    ActionAskCallbackConsent,
    ActionAskCallbackContact,
    ActionStartCallback,
    ActionSubmitCallback,
    ValidateCallbackForm,
)
from office.inbox import CallbackRequest, wait_for_webhooks
from service_catalog.db import new_session
from service_catalog.hours import HELSINKI
from service_catalog.places import find_place
from settings import get_settings
from tests.helpers import assert_pk_v1
from tests.webhook import webhook_receiver

DOMAIN = {
    "forms": {
        "callback_form": {
            "required_slots": [
                "callback_consent",
                "callback_contact",
                "callback_topic",
                "callback_municipality",
            ]
        }
    }
}


class Conversation:
    """A conversation's slots, carried from one action to the next as Rasa would."""

    def __init__(self, metadata: dict | None = None) -> None:
        self.slots: dict[str, Any] = {}
        self.metadata = metadata or {}
        self.said: list[dict] = []

    def tracker(self, text: str, intent: str, new_slots: dict | None = None) -> Tracker:
        new_slots = new_slots or {}
        ranking = [{"name": intent, "confidence": 0.9}]
        return Tracker(
            sender_id="callback-test",
            slots={**self.slots, **new_slots},
            latest_message={
                "text": text,
                "intent": ranking[0],
                "intent_ranking": ranking,
                "entities": [],
                "metadata": self.metadata,
            },
            # What the form extracted from this message: the validator checks these.
            events=[SlotSet(k, v) for k, v in new_slots.items()],
            paused=False,
            followup_action=None,
            active_loop={"name": "callback_form"} if "requested_slot" in self.slots else {},
            latest_action_name="action_listen",
        )

    def run(self, action: Any, tracker: Tracker) -> list[dict]:
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
        self._last_events = {e["name"] for e in events if e["event"] == "slot"}
        for event in events:
            if event["event"] == "slot":
                self.slots[event["name"]] = event["value"]
        self.said = dispatcher.messages
        return dispatcher.messages

    def answer(self, text: str, intent: str, slot: str, value: Any) -> list[dict]:
        """The family answers the question the form asked: validate, then ask the next one."""
        before = dict(self.slots, requested_slot=None)
        self.slots = before
        messages = self.run(ValidateCallbackForm(), self.tracker(text, intent, {slot: value}))
        if self.slots.get("requested_slot") is None and "requested_slot" not in self._last_events:
            # What Rasa's FormAction does when the validator leaves it: ask the first empty slot.
            required = DOMAIN["forms"]["callback_form"]["required_slots"]
            self.slots["requested_slot"] = next((s for s in required if self.slots.get(s) is None), None)
        next_slot = self.slots.get("requested_slot")
        if next_slot == "callback_contact":
            messages += self.run(ActionAskCallbackContact(), self.tracker(text, intent))
        return messages


def texts(messages: list[dict]) -> str:
    return " ".join(m["text"] for m in messages if m.get("text"))


def handoff(messages: list[dict]) -> dict:
    payloads = [m["custom"] for m in messages if m.get("custom")]
    assert len(payloads) == 1
    assert_pk_v1(payloads[0])
    assert payloads[0]["kind"] == "handoff"
    return payloads[0]


def _start(conversation: Conversation, text: str = "voisiko joku soittaa minulle") -> None:
    started = conversation.run(ActionStartCallback(), conversation.tracker(text, "request_callback"))
    # The request is routed at once to the one door; the form asks the rest.
    offered = handoff(started)
    assert offered["kind"] == "handoff" and offered["services"][0]["type"] == "perheneuvo"
    conversation.slots["requested_slot"] = "callback_consent"
    asked = conversation.run(ActionAskCallbackConsent(), conversation.tracker(text, "request_callback"))
    assert f"{get_settings().callback_retention_days} päivän" in texts(asked)


def test_the_whole_call_me_back_request_ends_in_the_staff_inbox(client, staff_url, auth):
    talk = Conversation()
    _start(talk)
    talk.answer("kyllä", "affirm", "callback_consent", True)
    assert talk.slots["requested_slot"] == "callback_contact"
    assert "puhelinnumeroon" in texts(talk.said)

    bad = talk.answer("en kerro", "deny", "callback_contact", "en kerro")
    assert "esimerkiksi 040 123 4567" in texts(bad) and talk.slots["requested_slot"] == "callback_contact"
    talk.answer("040 123 4567", "nlu_fallback", "callback_contact", "040 123 4567")
    assert talk.slots["callback_contact"] == "0401234567"
    assert talk.slots["requested_slot"] == "callback_topic"
    talk.answer("lapsen uniongelmat", "need_lastenneuvola", "callback_topic", "lapsen uniongelmat")
    assert talk.slots["requested_slot"] == "callback_municipality"
    unknown = talk.answer("Atlantis", "inform_place", "callback_municipality", "Atlantis")
    assert "En tunnistanut kuntaa" in texts(unknown)
    talk.answer("Mikkeli", "inform_place", "callback_municipality", "Mikkeli")
    assert talk.slots["callback_municipality"] == "Mikkeli" and talk.slots["requested_slot"] is None

    answer = talk.run(ActionSubmitCallback(), talk.tracker("Mikkeli", "inform_place"))
    payload = handoff(answer)
    assert payload["contact"]["id"] == "perheneuvo-mikkeli" and payload["municipality"] == "Mikkeli"
    assert payload["services"] == [] or payload["services"][0]["type"] == "perheneuvo"
    assert "Perheneuvo Maija Esimerkki" in texts(answer) and "puhelimitse" in texts(answer)
    # The conversation forgets the number; the inbox has it.
    assert talk.slots["callback_contact"] is None and talk.slots["callback_topic"] is None

    listed = client.get("/inbox", params={"municipality": "mikkeli"}, headers=auth["viewer"])
    assert listed.status_code == 200
    (item,) = listed.json()
    assert item["contact_channel"] == "phone" and item["contact_value"] == "0401234567"
    assert item["topic"] == "lapsen uniongelmat" and item["contact_id"] == "perheneuvo-mikkeli"
    assert item["status"] == "new" and item["language"] == "fi"


def test_the_municipality_is_prefilled_from_the_page(staff_url):
    talk = Conversation(metadata={"municipality": "Savonlinna"})
    _start(talk)
    assert talk.slots["callback_municipality"] == "Savonlinna"


def test_no_consent_stores_nothing_and_gives_the_phone(staff_url):
    talk = Conversation(metadata={"municipality": "Mikkeli"})
    _start(talk, "pyydä apua")
    talk.answer("ei kiitos", "deny", "callback_consent", False)
    assert talk.slots["requested_slot"] is None  # the form ends at once
    answer = talk.run(ActionSubmitCallback(), talk.tracker("ei kiitos", "deny"))
    payload = handoff(answer)
    assert "en tallentanut mitään" in texts(answer) and "+358 40 000 0101" in texts(answer)
    assert payload["contact"]["id"] == "perheneuvo-mikkeli"
    with new_session(staff_url) as session:
        assert session.scalar(select(func.count()).select_from(CallbackRequest)) == 0


def test_swedish_and_email_and_a_hook_that_is_down(staff_url, monkeypatch, caplog):
    monkeypatch.setenv("PK_CALLBACK_WEBHOOK_URL", "http://127.0.0.1:9/down")
    monkeypatch.setenv("PK_CALLBACK_WEBHOOK_SECRET", "x")
    get_settings.cache_clear()
    talk = Conversation()
    talk.run(ActionStartCallback(), talk.tracker("jag vill bli uppringd", "request_callback"))
    talk.slots["requested_slot"] = "callback_consent"
    asked = talk.run(ActionAskCallbackConsent(), talk.tracker("jag vill bli uppringd", "request_callback"))
    assert "Går det bra" in texts(asked)
    talk.answer("ja", "affirm", "callback_consent", True)
    talk.answer("anna@example.fi", "nlu_fallback", "callback_contact", "anna@example.fi")
    talk.answer("om vår son", "nlu_fallback", "callback_topic", "om vår son")
    talk.answer("Åbo", "inform_place", "callback_municipality", "Åbo")
    answer = talk.run(ActionSubmitCallback(), talk.tracker("Åbo", "inform_place"))
    payload = handoff(answer)
    assert payload["language"] == "sv" and "per e-post" in texts(answer)
    wait_for_webhooks(timeout=10)  # it is posted in the background
    assert "callback webhook failed" in caplog.text and "anna@example.fi" not in caplog.text
    with new_session(staff_url) as session:
        (row,) = session.scalars(select(CallbackRequest)).all()
        assert row.municipality_id == "turku" and row.contact_channel == "email"


def test_a_hanging_hook_does_not_hold_up_the_familys_answer(staff_url, monkeypatch):
    with webhook_receiver(delay=5) as hook:  # longer than the hook's 3 s timeout
        monkeypatch.setenv("PK_CALLBACK_WEBHOOK_URL", hook.url)
        monkeypatch.setenv("PK_CALLBACK_WEBHOOK_SECRET", "s3cret")
        get_settings.cache_clear()
        talk = Conversation(metadata={"municipality": "Mikkeli"})
        _start(talk)
        talk.answer("kyllä", "affirm", "callback_consent", True)
        talk.answer("040 123 4567", "nlu_fallback", "callback_contact", "040 123 4567")
        talk.answer("lapsen uni", "nlu_fallback", "callback_topic", "lapsen uni")
        talk.answer("Mikkeli", "inform_place", "callback_municipality", "Mikkeli")

        started = time.monotonic()
        answer = talk.run(ActionSubmitCallback(), talk.tracker("Mikkeli", "inform_place"))
        assert time.monotonic() - started < 2
        assert handoff(answer)["contact"]["id"] == "perheneuvo-mikkeli"

        assert hook.arrived.wait(timeout=10)  # the integrator is told all the same
        assert hook.signed_with(b"s3cret")
        sent = json.loads(hook.received[0][1])
        with new_session(staff_url) as session:
            assert sent["id"] == session.scalar(select(CallbackRequest.id))
        assert "0401234567" not in hook.received[0][1].decode() and "lapsen uni" not in sent.values()
        wait_for_webhooks(timeout=10)  # the sender gives up after its timeout; nothing is left running


def test_closed_perheneuvo_says_when_they_answer_and_offers_the_request(session):
    place = find_place(session, "Mikkeli")
    saturday_evening = datetime(2026, 11, 28, 20, 0, tzinfo=HELSINKI)
    answer = contact_answer(
        session, Context(text="kenelle soitan?", lang="fi", now=saturday_evening, place=place)
    )
    said = " ".join(answer.texts)
    assert "seuraavan kerran maanantaina 30.11. klo 9.00" in said
    assert "pyydä apua" in said
    english = contact_answer(
        session, Context(text="who do I call?", lang="en", now=saturday_evening, place=place)
    )
    assert "on Monday 30.11. at 9:00" in " ".join(english.texts) and "ask for help" in " ".join(english.texts)
    # Today and tomorrow are said so: "on Monday 30.11." on a Monday morning read as next week.
    for now, when in (
        (datetime(2026, 11, 30, 7, 0, tzinfo=HELSINKI), "seuraavan kerran tänään klo 9.00"),
        (datetime(2026, 11, 29, 20, 0, tzinfo=HELSINKI), "seuraavan kerran huomenna klo 9.00"),
    ):
        early = contact_answer(session, Context(text="kenelle soitan?", lang="fi", now=now, place=place))
        assert when in " ".join(early.texts)
    monday_morning = datetime(2026, 11, 30, 10, 0, tzinfo=HELSINKI)
    open_now = contact_answer(
        session, Context(text="kenelle soitan?", lang="fi", now=monday_morning, place=place)
    )
    assert "pyydä apua" not in " ".join(open_now.texts)


def test_the_topic_is_kept_with_personal_data_masked(staff_url):
    conversation = Conversation({"municipality": "Mikkeli"})
    _start(conversation)
    conversation.answer("kyllä", "affirm", "callback_consent", True)
    conversation.answer("040 123 4567", "inform", "callback_contact", "040 123 4567")
    topic = "soittakaa myös miehelle 040 765 4321 tai maija@example.com, hetu 131052-308T"
    conversation.answer(topic, "inform", "callback_topic", topic)
    conversation.run(ActionSubmitCallback(), conversation.tracker("", "inform"))
    with new_session(staff_url) as session:
        (request,) = session.scalars(select(CallbackRequest)).all()
    assert "765 4321" not in request.topic and "maija@" not in request.topic and "308T" not in request.topic
    assert "[puhelin]" in request.topic and request.topic.startswith("soittakaa myös miehelle")
