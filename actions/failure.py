"""When one of our actions fails: the family is asked to try again (and told 112), the log gets one line.

Left to rasa_sdk, a failing action answers Rasa with a 500 whose body is the whole tracker (the
family's messages, slots and metadata), and Rasa logs that body in its traceback; a catalogue
outage would do so for every message. So the failure is caught in the action (`actions.base`)
and described here by its type and the frame of our code that raised it: never the exception's
text (an SQL error carries the statement's parameters, a KeyError the key) nor the tracker.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from language.detect import detect_language
from settings import REPO_ROOT

log = logging.getLogger(__name__)

RETRY_TEXTS = {
    "fi": "Pahoittelen, en saanut juuri nyt tietoja haettua. Yritä hetken päästä uudelleen. "
    "Hätätilanteessa soita 112.",
    "sv": "Förlåt, jag kunde inte hämta uppgifterna just nu. Försök igen om en stund. "
    "I en nödsituation, ring 112.",
    "en": "Sorry, I could not look that up just now. Please try again in a moment. "
    "In an emergency, call 112.",
}


def _name(kind: type) -> str:
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _ours(filename: str) -> bool:
    return filename.startswith(str(REPO_ROOT)) and "site-packages" not in filename


def describe_failure(error: BaseException) -> str:
    """'sqlalchemy.exc.OperationalError (from sqlite3.OperationalError) at service_catalog/places.py:71
    in place_index': what failed and where in our code, with nothing the family wrote."""
    kind = _name(type(error))
    if error.__cause__ is not None:
        kind += f" (from {_name(type(error.__cause__))})"
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if _ours(frame.filename)] or frames
    if not ours:
        return kind
    frame = ours[-1]
    where = frame.filename.removeprefix(str(REPO_ROOT)).lstrip("/")
    return f"{kind} at {where}:{frame.lineno} in {frame.name}"


def family_language(tracker: Tracker) -> str:
    """The language to apologise in; Finnish when even that cannot be told."""
    try:
        message = tracker.latest_message or {}
        hint = tracker.get_slot("language") or (message.get("metadata") or {}).get("language")
        return detect_language(str(message.get("text") or ""), hint=hint if isinstance(hint, str) else None)
    except Exception:  # noqa: BLE001 (the apology must not fail too)
        return "fi"


def answer_failure(
    dispatcher: CollectingDispatcher, tracker: Tracker, action: str, error: BaseException
) -> list[dict[str, Any]]:
    """Log the failure once and ask the family to try again, instead of any half-sent answer."""
    log.error("action %s failed: %s", action, describe_failure(error))
    dispatcher.messages.clear()
    dispatcher.utter_message(text=RETRY_TEXTS.get(family_language(tracker), RETRY_TEXTS["fi"]))
    return []
