"""The call-me-back inbox: model, retention, the signed webhook and the staff API."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from office import inbox, inbox_webhook
from office.inbox import CallbackRequest, family_contact, mask_contact
from service_catalog.db import new_session
from settings import Settings
from tests.webhook import Receiver, webhook_receiver


def _add(url: str, **overrides) -> str:  # type: ignore[no-untyped-def]
    values = dict(
        municipality_id="mikkeli",
        contact_id=None,
        channel="phone",
        contact_value="+358401234567",
        topic="lapsen uni",
        language="fi",
    )
    values.update(overrides)
    with new_session(url) as session, session.begin():
        return inbox.create_request(session, **values).id


# --- the family's contact ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("040 123 4567", ("phone", "0401234567")),
        ("+358 40 123 4567", ("phone", "+358401234567")),
        ("numero on 050-765 4321 kiitos", ("phone", "0507654321")),
        ("00358 44 555 1234", ("phone", "+358445551234")),
        ("anna.virtanen@example.fi", ("email", "anna.virtanen@example.fi")),
        ("mun sposti on anna@example.fi.", ("email", "anna@example.fi")),
    ],
)
def test_family_contact_accepts_finnish_numbers_and_email(text, expected):
    assert family_contact(text) == expected


@pytest.mark.parametrize("text", ["112", "116 111", "en kerro", "123", "anna@", "040 12"])
def test_family_contact_refuses_what_reaches_no_one(text):
    assert family_contact(text) is None


def test_contacts_are_masked_for_logs():
    assert "1234567" not in mask_contact("+358401234567")
    assert mask_contact("anna.virtanen@example.fi") == "a***@example.fi"


def test_the_log_never_shows_the_contact_in_clear(catalog_url, caplog):
    caplog.set_level("INFO", logger="office.inbox")
    _add(catalog_url, contact_value="+358401234567")
    _add(catalog_url, channel="email", contact_value="anna.virtanen@example.fi")
    assert "callback request" in caplog.text
    assert "+358401234567" not in caplog.text and "anna.virtanen@example.fi" not in caplog.text


# --- retention -----------------------------------------------------------------------------


def test_requests_older_than_the_retention_are_deleted(catalog_url, monkeypatch):
    now = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
    old = _add(catalog_url, now=now - timedelta(days=31))
    fresh = _add(catalog_url, now=now - timedelta(days=29))
    with new_session(catalog_url) as session, session.begin():
        assert inbox.purge_expired(session, now=now) == 1  # default 30 days
    with new_session(catalog_url) as session:
        assert session.get(CallbackRequest, old) is None
        assert session.get(CallbackRequest, fresh) is not None
    # Configurable, and the CLI does the same.
    monkeypatch.setenv("PK_CALLBACK_RETENTION_DAYS", "0")
    from settings import get_settings

    get_settings.cache_clear()
    assert inbox.main(["purge", "--database-url", catalog_url]) == 0
    with new_session(catalog_url) as session:
        assert session.get(CallbackRequest, fresh) is None


def test_the_api_purges_at_start_up(staff_url):
    from fastapi.testclient import TestClient

    from api.main import app

    old = _add(staff_url, now=datetime.now(timezone.utc) - timedelta(days=40))
    with TestClient(app):  # runs the start-up handlers
        pass
    with new_session(staff_url) as session:
        assert session.get(CallbackRequest, old) is None


# --- the webhook ---------------------------------------------------------------------------


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with webhook_receiver() as receiver:
        yield receiver


def test_the_webhook_is_signed_and_carries_no_personal_data(catalog_url, hook):
    request_id = _add(catalog_url)
    settings = Settings(callback_webhook_url=hook.url, callback_webhook_secret="s3cret")
    with new_session(catalog_url) as session:
        assert inbox_webhook.notify_webhook(session.get(CallbackRequest, request_id), settings) is True
    ((_headers, body),) = hook.received
    assert hook.signed_with(b"s3cret")
    data = json.loads(body)
    assert data["id"] == request_id and data["municipality"] == "mikkeli"
    assert set(data) == {"event", "id", "municipality", "contact_id", "language", "created_at"}
    assert "0401234567" not in body.decode() and "lapsen uni" not in body.decode()


def test_a_webhook_that_is_down_only_logs(catalog_url, caplog):
    request_id = _add(catalog_url)
    settings = Settings(
        callback_webhook_url="http://127.0.0.1:9/down",
        callback_webhook_secret="x",
        callback_webhook_timeout=1,
    )
    with new_session(catalog_url) as session:
        assert inbox_webhook.notify_webhook(session.get(CallbackRequest, request_id), settings) is False
    assert "callback webhook failed" in caplog.text


def test_in_the_background_the_caller_does_not_wait_for_a_slow_hook(catalog_url):
    request_id = _add(catalog_url)
    with webhook_receiver(delay=1.5) as slow, new_session(catalog_url) as session:
        settings = Settings(callback_webhook_url=slow.url, callback_webhook_secret="s3cret")
        started = time.monotonic()
        sending = inbox_webhook.notify_webhook_in_background(
            session.get(CallbackRequest, request_id), settings
        )
        assert time.monotonic() - started < 0.5
        assert sending is not None and sending.result(timeout=10) is True  # delivered all the same
    assert slow.signed_with(b"s3cret") and json.loads(slow.received[0][1])["id"] == request_id
    row = CallbackRequest(id="x", created_at=datetime.now(timezone.utc), municipality_id="mikkeli")
    assert inbox_webhook.notify_webhook_in_background(row, Settings()) is None  # no hook configured


def test_no_webhook_without_both_url_and_secret(catalog_url):
    request_id = _add(catalog_url)
    with new_session(catalog_url) as session:
        row = session.get(CallbackRequest, request_id)
        unsigned = Settings(callback_webhook_url="http://127.0.0.1:9/x")
        assert inbox_webhook.notify_webhook(row, unsigned) is False


# --- the staff API -------------------------------------------------------------------------


def test_the_inbox_needs_a_token(client, staff_url):
    request_id = _add(staff_url)
    assert client.get("/inbox").status_code == 401
    assert client.get(f"/inbox/{request_id}").status_code == 401
    assert client.post(f"/inbox/{request_id}/claim").status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.get("/inbox", headers=bad).status_code == 401


def test_viewers_read_editors_claim_close_and_note(client, staff_url, auth):
    request_id = _add(staff_url)
    other = _add(staff_url, municipality_id="savonlinna")
    listed = client.get("/inbox", headers=auth["viewer"])
    assert listed.status_code == 200
    assert {r["id"] for r in listed.json()} == {request_id, other}
    one = client.get(f"/inbox/{request_id}", headers=auth["viewer"]).json()
    assert one["status"] == "new" and one["contact_value"] == "+358401234567" and one["notes"] == []
    mikkeli = client.get("/inbox", params={"municipality": "mikkeli"}, headers=auth["viewer"]).json()
    assert [r["id"] for r in mikkeli] == [request_id]

    for path in ("claim", "close"):
        assert client.post(f"/inbox/{request_id}/{path}", headers=auth["viewer"]).status_code == 403
    note = {"text": "soitin, ei vastannut"}
    assert client.post(f"/inbox/{request_id}/notes", json=note, headers=auth["viewer"]).status_code == 403

    claimed = client.post(f"/inbox/{request_id}/claim", headers=auth["editor"])
    assert claimed.status_code == 200 and claimed.json()["status"] == "claimed"
    assert claimed.json()["claimed_by"] is not None
    assert client.post(f"/inbox/{request_id}/claim", headers=auth["admin"]).status_code == 409
    noted = client.post(f"/inbox/{request_id}/notes", json=note, headers=auth["editor"]).json()
    assert (
        noted["notes"][0]["text"] == "soitin, ei vastannut"
        and noted["notes"][0]["by"] == "user:editor@example.fi"
    )
    assert (
        client.post(f"/inbox/{request_id}/notes", json={"text": ""}, headers=auth["editor"]).status_code
        == 422
    )

    closed = client.post(f"/inbox/{request_id}/close", headers=auth["editor"]).json()
    assert closed["status"] == "closed" and closed["closed_at"]
    assert client.post(f"/inbox/{request_id}/close", headers=auth["editor"]).status_code == 409
    assert [
        r["id"] for r in client.get("/inbox", params={"status": "new"}, headers=auth["viewer"]).json()
    ] == [other]
    assert [
        r["id"] for r in client.get("/inbox", params={"status": "closed"}, headers=auth["viewer"]).json()
    ] == [request_id]


def test_an_unknown_request_is_404(client, auth):
    assert client.get("/inbox/nope", headers=auth["viewer"]).status_code == 404
    assert client.post("/inbox/nope/claim", headers=auth["editor"]).status_code == 404
