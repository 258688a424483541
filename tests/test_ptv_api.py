"""POST /admin/imports/ptv: the PTV import for editors over the API, same report as the CLI."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import select

from service_catalog.db import new_session
from service_catalog.importers.ptv.sync import load_file
from settings import get_settings
from staff.audit import AuditEntry
from tests.helpers import NEUVOLA, NEUVOLA_CHANNEL, PERHENEUVOLA, PTV_SAMPLE, RAKENNUSVALVONTA, TURVAKOTI
from tests.helpers import catalogue_dump as dump
from tests.helpers import ptv_channel as channel_of
from tests.helpers import stored_service as service_in

URL = "/admin/imports/ptv"


def _post(client, headers, data, **params):  # type: ignore[no-untyped-def]
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(
        URL, content=body, params=params, headers={**headers, "Content-Type": "application/json"}
    )


def _audit(url: str) -> list[tuple[str, str, str]]:
    with new_session(url) as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.entity_id, e.actor) for e in entries]


@pytest.mark.postgres_too
def test_an_editor_imports_a_ptv_file_and_the_audit_log_names_them(client, auth, staff_url):
    sample = load_file(PTV_SAMPLE)
    before = dump(staff_url)
    dry = _post(client, auth["editor"], sample, dry_run=True)
    assert dry.status_code == 200, dry.text
    assert dry.json()["dry_run"] is True and NEUVOLA in dry.json()["created"]
    assert dump(staff_url) == before and _audit(staff_url) == []

    done = _post(client, auth["editor"], sample)
    assert done.status_code == 200, done.text
    report = done.json()
    assert report["summary"] == "PTV import: 6 created, 0 updated, 0 unchanged, 0 deleted, 1 skipped"
    assert {NEUVOLA, PERHENEUVOLA, TURVAKOTI} <= set(report["created"])
    (skipped,) = report["skipped"]
    assert skipped["id"] == RAKENNUSVALVONTA and "ptv_types.yml" in skipped["reason"]
    assert service_in(staff_url, NEUVOLA).name_fi == "Lastenneuvola, Mikkeli"
    audit = _audit(staff_url)
    assert ("create", NEUVOLA, "user:editor@example.fi") in audit
    assert {actor for _, _, actor in audit} == {"user:editor@example.fi"} and len(audit) == 6
    history = client.get(f"/admin/services/{NEUVOLA}/history", headers=auth["viewer"]).json()
    assert history[0]["after"]["locations"][0]["phone"] == "+358 442345678"

    again = _post(client, auth["editor"], sample).json()
    assert sorted(again["unchanged"]) == sorted([NEUVOLA, PERHENEUVOLA, TURVAKOTI])
    assert len(_audit(staff_url)) == 6  # nothing changed, nothing logged

    edited = copy.deepcopy(sample)
    channel_of(edited, NEUVOLA_CHANNEL)["phoneNumbers"][0]["number"] = "449999999"
    assert _post(client, auth["admin"], edited).json()["updated"] == [NEUVOLA]
    action, _, actor = _audit(staff_url)[-1]
    assert (action, actor) == ("update", "user:admin@example.fi")


def test_only_editors_import(client, auth, staff_url):
    sample = load_file(PTV_SAMPLE)
    assert client.post(URL, json=sample).status_code == 401
    assert _post(client, auth["viewer"], sample).status_code == 403
    assert service_in(staff_url, NEUVOLA) is None


@pytest.mark.postgres_too
@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (PTV_SAMPLE.read_bytes()[:-200], 400, "not JSON"),
        (b"\xff\xfe\x00garbage", 400, "not JSON"),
        ([1, 2], 422, '"services" list'),
        (
            {"services": [{"id": "3f1c2a64-8e1b-4c57-9d2a-5b7e0c4a9101", "serviceChannels": ["x"]}]},
            422,
            "shape",
        ),
        ({"services": [], "municipalityCodes": 491}, 422, "municipalityCodes"),
        ("hours", 422, "25:99"),
    ],
    ids=["truncated", "not text", "a list", "wrong shape", "codes not a list", "invalid hours"],
)
def test_a_broken_file_is_a_clear_4xx_and_changes_nothing(client, auth, staff_url, body, code, message):
    if body == "hours":
        body = load_file(PTV_SAMPLE)
        hours = channel_of(body, NEUVOLA_CHANNEL)["serviceHours"][0]["openingHour"]
        hours[0] = {"dayFrom": "Monday", "dayTo": None, "from": "08:00:00", "to": "25:99"}
    before = dump(staff_url)
    refused = _post(client, auth["editor"], body)
    assert refused.status_code == code and message in refused.json()["detail"], refused.text
    assert "nothing changed" in refused.json()["detail"]
    assert dump(staff_url) == before and _audit(staff_url) == []


@pytest.mark.postgres_too
def test_a_huge_upload_is_refused_with_413(client, auth, staff_url, monkeypatch):
    monkeypatch.setenv("PK_PTV_IMPORT_MAX_BYTES", "1000")
    get_settings.cache_clear()
    big = PTV_SAMPLE.read_bytes()
    assert len(big) > 1000
    declared = _post(client, auth["editor"], big)
    assert declared.status_code == 413 and "larger than 1000 bytes" in declared.json()["detail"]
    chunked = client.post(  # no Content-Length: counted while read
        URL,
        content=(big[i : i + 256] for i in range(0, len(big), 256)),
        headers={**auth["editor"], "Content-Type": "application/json"},
    )
    assert chunked.status_code == 413
    assert service_in(staff_url, NEUVOLA) is None


@pytest.mark.postgres_too
def test_the_brake_refuses_a_file_that_would_delete_most_services(client, auth, staff_url):
    sample = load_file(PTV_SAMPLE)
    _post(client, auth["editor"], sample)
    shrunk = copy.deepcopy(sample)
    shrunk["services"] = [s for s in shrunk["services"] if f"ptv-{s['id']}" == NEUVOLA]
    before = dump(staff_url)
    braked = _post(client, auth["editor"], shrunk)
    assert braked.status_code == 409 and "refusing to delete 2 of 3" in braked.json()["detail"]
    assert dump(staff_url) == before

    done = _post(client, auth["editor"], shrunk, max_delete_share=1)
    assert sorted(done.json()["deleted"]) == sorted([PERHENEUVOLA, TURVAKOTI])
    assert ("delete", TURVAKOTI, "user:editor@example.fi") in _audit(staff_url)
    assert _post(client, auth["editor"], shrunk, max_delete_share=2).status_code == 422
