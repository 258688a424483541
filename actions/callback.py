"""The call-me-back request ("pyydä apua"): start, ask, validate and submit `callback_form`."""

from __future__ import annotations

import abc
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.answers import Answer, Context
from actions.base import CatalogueAction, guarded, send
from actions.context import build_context
from actions.handoff import (
    CallbackForm,
    offer_answer,
    submit_callback,
    valid_contact,
    valid_municipality,
    valid_topic,
)
from actions.routing import ActionRouteNeed
from actions.texts import say
from language.detect import detect_language
from language.text import fold
from office.inbox import notify_webhook_in_background
from service_catalog.db import new_session
from settings import get_settings

CALLBACK_SLOTS = ("callback_consent", "callback_contact", "callback_topic", "callback_municipality")


def _lang(tracker: Tracker) -> str:
    message = tracker.latest_message or {}
    hint = tracker.get_slot("language") or (message.get("metadata") or {}).get("language")
    # A phone number or a place name says nothing of the language: keep the conversation's.
    return tracker.get_slot("language") or detect_language(message.get("text") or "", hint=hint)


class ActionStartCallback(CatalogueAction):
    """Forget an earlier request's answers; prefill the municipality when the conversation knows it."""

    def name(self) -> str:
        return "action_start_callback"

    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        events = [SlotSet(slot, None) for slot in CALLBACK_SLOTS]
        if ctx.place is not None:
            events[-1] = SlotSet("callback_municipality", ctx.place.municipality_name)
        return offer_answer(session, ctx), events


class _AskAction(Action, abc.ABC):
    """Asks one slot of the form in the family's language; abstract, so rasa-sdk skips it."""

    text_key = ""
    # Quick replies under the question, as (text key, what the button sends).
    buttons: tuple[tuple[str, str], ...] = ()

    @abc.abstractmethod
    def name(self) -> str:
        """action_ask_<slot>"""

    @guarded
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = _lang(tracker)
        buttons = [{"title": say(key, lang), "payload": say(key, lang)} for key, _ in self.buttons]
        dispatcher.utter_message(
            text=say(self.text_key, lang, days=get_settings().callback_retention_days), buttons=buttons
        )
        return []


class ActionAskCallbackConsent(_AskAction):
    text_key = "callback_ask_consent"
    buttons = (("button_yes", "yes"), ("button_no", "no"))

    def name(self) -> str:
        return "action_ask_callback_consent"


class ActionAskCallbackContact(_AskAction):
    text_key = "callback_ask_contact"

    def name(self) -> str:
        return "action_ask_callback_contact"


class ActionAskCallbackTopic(_AskAction):
    text_key = "callback_ask_topic"

    def name(self) -> str:
        return "action_ask_callback_topic"


class ActionAskCallbackMunicipality(_AskAction):
    text_key = "callback_ask_municipality"

    def name(self) -> str:
        return "action_ask_callback_municipality"


# "peruuta", "en halua", "avbryt", "cancel": the family leaves the form (folded text).
_CANCEL = re.compile(
    r"\b(peru\w*|lopeta|keskeyt\w*|unohda|en halua|ei kiitos|avbryt|sluta|glom det|vill inte|"
    r"cancel|stop|never ?mind|forget it|dont want|do not want)\b"
)
# How sure the classifier must be that a message is a new question, not an answer to the form.
NEW_QUESTION_CONFIDENCE = 0.6


def _new_question(tracker: Tracker) -> bool:
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = str(intent.get("name") or "")
    asks = name.startswith("need_") or name in ("ask_hours", "ask_contact", "out_of_scope")
    return asks and float(intent.get("confidence") or 0.0) >= NEW_QUESTION_CONFIDENCE


class ValidateCallbackForm(FormValidationAction):
    # A failure while checking an answer gets the retry text too, never a tracker in a 500.
    run = guarded(FormValidationAction.run)

    def _left(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any] | None:
        """The family leaves the form: a cancel word, or a new question (answered here). Consent
        withdrawn ends the form, and the submit action stores nothing and says so."""
        text = fold(str(value or ""))
        if _CANCEL.search(text):
            return {"callback_consent": False}
        if _new_question(tracker):
            with new_session() as session:
                ctx = build_context(session, tracker)
                answer, _events = ActionRouteNeed().answer(session, ctx, tracker)
            send(dispatcher, answer)
            return {"callback_consent": False}
        return None

    def name(self) -> str:
        return "validate_callback_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # "Ei": the form ends at once; action_submit_callback stores nothing.
        if tracker.get_slot("callback_consent") is False:
            return ["callback_consent"]
        return domain_slots

    def validate_callback_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"callback_consent": value if isinstance(value, bool) else None}

    def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # A slot cleared at the start (action_start_callback) is no answer: nothing to refuse.
        if value is None:
            return {"callback_contact": None}
        contact = valid_contact(str(value or ""))
        if contact is None and (left := self._left(value, dispatcher, tracker)) is not None:
            return left
        if contact is None:
            dispatcher.utter_message(text=say("callback_bad_contact", _lang(tracker)))
        return {"callback_contact": contact}

    def validate_callback_topic(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # Any words are a topic, a question too; only a short cancel ("peruuta", "en halua")
        # leaves ("en halua riidellä lapsen kanssa" is a topic).
        if value is not None and len(str(value).split()) <= 3 and _CANCEL.search(fold(str(value))):
            return {"callback_consent": False}
        return {"callback_topic": valid_topic(str(value or ""))}

    def validate_callback_municipality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"callback_municipality": None}
        with new_session() as session:
            place = valid_municipality(session, str(value or ""))
        if place is None and (left := self._left(value, dispatcher, tracker)) is not None:
            return left
        if place is None:
            dispatcher.utter_message(text=say("callback_bad_municipality", _lang(tracker)))
            return {"callback_municipality": None}
        return {"callback_municipality": place.municipality_name, "municipality": place.municipality_id}


class ActionSubmitCallback(CatalogueAction):
    """Store the request (with consent) and answer `handoff`; forget the contact and topic."""

    def name(self) -> str:
        return "action_submit_callback"

    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        ctx.lang = _lang(tracker)
        form = CallbackForm(
            consent=tracker.get_slot("callback_consent"),
            contact=tracker.get_slot("callback_contact"),
            topic=tracker.get_slot("callback_topic"),
            municipality=tracker.get_slot("callback_municipality"),
        )
        answer, request = submit_callback(session, ctx, form)
        if request is not None:
            session.commit()
            # Posted by a background thread: a slow or down hook never delays the answer.
            notify_webhook_in_background(request)
        # The request is in the inbox now; the conversation keeps no phone number or email.
        return answer, [SlotSet(slot, None) for slot in CALLBACK_SLOTS]
