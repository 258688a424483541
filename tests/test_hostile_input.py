"""Hostile callers (issue 12): a forged tracker posted to the action server, and malformed or
command-like messages through the public webhook of the real stack."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from actions.server import bearer_allowed
from office.inbox import CallbackRequest
from service_catalog.db import new_session
from settings import REPO_ROOT
from tests.stack import BIN, Stack, free_port, wait_for

TOKEN = "test-action-token-" + uuid.uuid4().hex
HAS_MODEL = any((REPO_ROOT / "models").glob("*.tar.gz"))


def forged_call(sender: str = "forged") -> dict:
    """What Rasa would send to store a call-back request nobody consented to."""
    slots = {
        "callback_consent": True,
        "callback_contact": "040 765 4321",
        "callback_topic": "soittakaa minulle",
        "callback_municipality": "Mikkeli",
    }
    return {
        "next_action": "action_submit_callback",
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": slots,
            "latest_message": {"text": "kyllä", "intent": {"name": "affirm"}, "entities": []},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def requests_in_inbox(url: str) -> int:
    with new_session(url) as session:
        return session.scalar(select(func.count()).select_from(CallbackRequest))


# --- the action server's door -------------------------------------------------------------------


@pytest.fixture(scope="module")
def action_server(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`python -m actions.server` with PK_ACTION_TOKEN, on a copy of the seeded catalogue."""
    workdir = tmp_path_factory.mktemp("actions")
    database = workdir / "catalog.sqlite3"
    database.write_bytes(seeded_db.read_bytes())
    url, port = f"sqlite:///{database}", free_port()
    env = {**os.environ, "PK_DATABASE_URL": url, "PK_ACTION_TOKEN": TOKEN, "SANIC_HOST": "127.0.0.1"}
    env.pop("PK_CALLBACK_WEBHOOK_URL", None)
    with (workdir / "actions.log").open("ab") as log:
        process = subprocess.Popen(
            [BIN / "python", "-m", "actions.server", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process)
        yield f"http://127.0.0.1:{port}", url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.parametrize(
    "headers, query",
    [
        ({}, {}),
        ({"Authorization": "Bearer wrong"}, {}),
        ({"Authorization": TOKEN}, {}),
        # Rasa's `token:` sends a query parameter, which logs and proxies may keep: not accepted.
        ({}, {"token": TOKEN}),
    ],
    ids=["none", "wrong", "not-bearer", "query"],
)
def test_a_forged_tracker_without_the_token_is_refused_and_creates_nothing(action_server, headers, query):
    base, database = action_server
    response = requests.post(base + "/webhook", json=forged_call(), headers=headers, params=query, timeout=30)
    assert response.status_code == 401
    assert "040" not in response.text
    assert requests_in_inbox(database) == 0
    assert requests.get(base + "/actions", headers=headers, timeout=30).status_code == 401
    assert requests.get(base + "/health", timeout=30).status_code == 200


def test_rasa_sends_the_token_of_the_production_endpoints(action_server, monkeypatch):
    from rasa.utils.endpoints import read_endpoint_config

    base, database = action_server
    monkeypatch.setenv("PK_ACTION_SERVER_URL", base + "/webhook")
    monkeypatch.setenv("PK_ACTION_TOKEN", TOKEN)
    # The client RemoteAction uses, configured from the file the production Rasa servers read.
    endpoint = read_endpoint_config(str(REPO_ROOT / "deploy" / "endpoints.yml"), "action_endpoint")
    before = requests_in_inbox(database)
    answer = asyncio.run(endpoint.request(json=forged_call("rasa"), method="post"))
    assert answer["responses"], answer
    assert requests_in_inbox(database) == before + 1


def test_a_failing_call_gets_no_tracker_back(action_server):
    base, _database = action_server
    broken = forged_call()
    del broken["tracker"]["sender_id"]  # rasa_sdk itself fails on it, before any action of ours
    response = requests.post(
        base + "/webhook", json=broken, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )
    assert response.status_code == 500
    assert response.json() == {"error": "the action failed"}


def test_without_a_token_every_caller_is_served():
    # Development (`make run`, tests/stack.py) sets no token.
    assert bearer_allowed(None, "") and bearer_allowed("Bearer x", "")
    assert not bearer_allowed(None, "t") and not bearer_allowed("Bearer", "t")
    assert bearer_allowed("Bearer t", "t")


# --- the public webhook, end to end -------------------------------------------------------------


@pytest.fixture(scope="module")
def stack(tmp_path_factory, seeded_db: Path):
    if not HAS_MODEL:
        pytest.skip("no trained model: run `make train` (make test does)")
    workdir = tmp_path_factory.mktemp("hostile")
    database = workdir / "catalog.sqlite3"
    database.write_bytes(seeded_db.read_bytes())
    with Stack(f"sqlite:///{database}", workdir, enable_api=True) as running:
        yield running


def webhook(stack: Stack, raw: bytes) -> requests.Response:
    return requests.post(
        stack.rasa_url + "/webhooks/rest/webhook",
        data=raw,
        headers={"Content-Type": "application/json"},
        timeout=60,
    )


def deeply_nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.bot
@pytest.mark.parametrize(
    "metadata, reason",
    [
        ({"municipality": 7}, "'metadata.municipality' must be a string"),
        ({"municipality": ["Mikkeli"]}, "must be flat"),
        ({"municipality": {"name": "Mikkeli"}}, "must be flat"),
        ({"language": 1}, "'metadata.language' must be a string"),
        ({"page": deeply_nested(500)}, "must be flat"),
    ],
    ids=["number", "list", "object", "language", "nested"],
)
def test_odd_metadata_gets_a_400_that_says_why(stack, metadata, reason):
    body = {"sender": f"odd-{uuid.uuid4().hex}", "message": "neuvola", "metadata": metadata}
    response = webhook(stack, json.dumps(body).encode())
    assert response.status_code == 400 and reason in response.json()["error"]


@pytest.mark.bot
def test_a_body_nested_too_deeply_gets_a_400(stack):
    response = webhook(stack, b"[" * 20000 + b"]" * 1000)
    assert response.status_code == 400 and "nested too deeply" in response.json()["error"]


@pytest.mark.bot
@pytest.mark.parametrize(
    "text", ["/restart", ' /intent{"a":1}', '/need_lastenneuvola{"municipality": "x"}', "//"]
)
def test_command_like_texts_never_reach_rasa_as_commands(stack, text):
    sender = f"cmd-{uuid.uuid4().hex}"
    assert stack.say(sender, "Missä on lastenneuvola Mikkelissä?")
    response = webhook(stack, json.dumps({"sender": sender, "message": text}).encode())
    if not text.strip("/ "):
        assert response.status_code == 400  # nothing but slashes: no words to answer
        return
    assert response.status_code == 200 and response.json()
    tracker = stack.api("GET", f"/conversations/{sender}/tracker").json()
    latest = tracker["latest_message"]
    assert not latest["text"].startswith("/")
    assert all(entity.get("extractor") != "RegexMessageHandler" for entity in latest["entities"])
    assert not any(event["event"] == "restart" for event in tracker["events"])
    # The conversation still knows its municipality: nothing was reset.
    assert tracker["slots"]["municipality"] == "mikkeli"
