"""An action that fails (here: the catalogue cannot be opened) answers the family with a retry
message and 112 in their language, and neither server logs the tracker or personal data.

The real Rasa and action servers (tests/stack.py); the catalogue's URL names a directory, which
SQLite cannot open, so every catalogue action fails as in a database outage.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests

from actions.failure import RETRY_TEXTS
from settings import REPO_ROOT
from tests.stack import Stack

pytestmark = pytest.mark.bot

if not any((REPO_ROOT / "models").glob("*.tar.gz")):
    pytest.skip("no trained model: run `make train` (make test does)", allow_module_level=True)

PERSONAL = ("040 765 4321", "0407654321", "maija@example.com", "131052-308T")
# What a tracker dump (rasa_sdk's 500 body, Rasa's traceback of it) is made of.
TRACKER_KEYS = ("latest_message", "sender_id", "request_body", "active_loop", "intent_ranking")
MESSAGES = {
    "fi": "Voisitteko soittaa minulle numeroon 040 765 4321 tai kirjoittaa osoitteeseen "
    "maija@example.com, henkilötunnukseni on 131052-308T. Tarvitsen neuvolan.",
    "sv": "Kan ni ringa mig på 040 765 4321 eller skriva till maija@example.com, min "
    "personbeteckning är 131052-308T. Jag behöver rådgivningen.",
    "en": "Could you call me on 040 765 4321 or write to maija@example.com, my identity code "
    "is 131052-308T. I need the child health clinic.",
}


@pytest.fixture(scope="module")
def broken_stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("broken")
    # A directory is no database: every session's first query fails.
    with Stack(f"sqlite:///{workdir}", workdir) as running:
        yield running


def post(stack: Stack, body: dict) -> requests.Response:
    return requests.post(stack.rasa_url + "/webhooks/rest/webhook", json=body, timeout=60)


def log_text(stack: Stack) -> str:
    return (stack.workdir / "stack.log").read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("lang", sorted(MESSAGES))
def test_the_family_is_asked_to_retry_and_told_112_in_its_language(broken_stack, lang):
    body = {
        "sender": f"fail-{uuid.uuid4().hex}",
        "message": MESSAGES[lang],
        "metadata": {"municipality": "Mikkeli", "language": lang},
    }
    response = post(broken_stack, body)
    assert response.status_code == 200, response.text
    texts = [message.get("text") or "" for message in response.json()]
    assert RETRY_TEXTS[lang] in texts
    assert "112" in RETRY_TEXTS[lang]


def test_the_issues_message_with_a_numeric_municipality_is_refused_with_a_reason(broken_stack):
    body = {"sender": f"fail-{uuid.uuid4().hex}", "message": MESSAGES["fi"], "metadata": {"municipality": 7}}
    response = post(broken_stack, body)
    assert response.status_code == 400
    assert "'metadata.municipality' must be a string" in response.json()["error"]


def test_the_logs_hold_one_short_line_per_failure_and_nothing_personal(broken_stack):
    # After the tests above (module order); one more failure, so this test also stands alone.
    post(broken_stack, {"sender": f"fail-{uuid.uuid4().hex}", "message": MESSAGES["fi"]})
    text = log_text(broken_stack)
    for value in PERSONAL:
        assert value not in text, f"{value} in clear in {Path(broken_stack.workdir) / 'stack.log'}"
    for key in TRACKER_KEYS:
        assert key not in text, f"a tracker dump ({key}) in the log"
    failures = [line for line in text.splitlines() if "failed: " in line and "action action_" in line]
    assert failures, "no failure was logged"
    assert all(len(line) < 300 and "OperationalError" in line for line in failures), failures
    assert "Traceback" not in text
