"""The admin API's CRUD paths against a fresh seeded SQLite catalogue per test."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service_catalog import admin
from service_catalog.admin import ENTITIES, Actor, VersionMismatch
from service_catalog.contacts import helplines_for, perheneuvo_for
from service_catalog.db import new_session
from service_catalog.places import find_place
from service_catalog.search import route_need
from staff.audit import AuditEntry

# path -> (a new row, a PATCH, the field the PATCH changes and its new value)
SAMPLES = {
    "services": (
        {
            "id": "mikkeli-vauvaperhekahvila",
            "type": "kohtaamispaikka",
            "municipality": "mikkeli",
            "name": {"fi": "Vauvaperheiden kahvila", "en": "Baby family café"},
            "keywords": {"fi": ["vauvakahvila"]},
            "age": {"min": 0, "max": 2},
            "locations": [
                {
                    "id": "mikkeli-vauvaperhekahvila-1",
                    "street_address": "Maaherrankatu 1",
                    "postal_code": "50100",
                    "post_office": "Mikkeli",
                    "phone": "+358 40 123 4567",
                    "email": "kahvila@example.fi",
                    "url": "https://example.fi/kahvila",
                    "hours": {"weekly": {"mo-fr": "9:00-12:00"}},
                }
            ],
        },
        {"name": {"fi": "Vauvakahvila Kaneli"}},
        ("name", {"fi": "Vauvakahvila Kaneli", "sv": None, "en": "Baby family café"}),
    ),
    "contacts": (
        {
            "id": "perheneuvo-testi",
            "name": "Testi Perheneuvo",
            "phone": "09 2525 0111",
            "municipalities": ["mikkeli"],
        },
        {"email": "testi@example.fi"},
        ("email", "testi@example.fi"),
    ),
    "municipalities": (
        {"id": "kaarina", "code": "202", "region": "varsinais-suomi", "name": {"fi": "Kaarina"}},
        {"name": {"sv": "S:t Karins"}},
        ("name", {"fi": "Kaarina", "sv": "S:t Karins", "en": None}),
    ),
    "areas": (
        {"id": "mikkeli-rantakylä".replace("ä", "a"), "municipality": "mikkeli", "name": {"fi": "Rantakylä"}},
        {"districts": ["Rantakylä", "Tuppurala"]},
        ("districts", ["Rantakylä", "Tuppurala"]),
    ),
    "providers": (
        {"id": "mll-mikkeli", "kind": "ngo", "name": {"fi": "MLL Mikkeli"}},
        {"kind": "parish"},
        ("kind", "parish"),
    ),
    "helplines": (
        {"id": "testilinja", "name": {"fi": "Testilinja"}, "phone": "0800 147 111", "crisis": ["violence"]},
        {"hours": "24/7"},
        ("hours", "24/7"),
    ),
}


def _body(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("id", "version", "deleted_at")}


@pytest.mark.postgres_too
@pytest.mark.parametrize("path", SAMPLES)
def test_every_crud_path(client, auth, path):
    new, patch, (field, value) = SAMPLES[path]
    editor = auth["editor"]
    base = f"/admin/{path}"
    count = len(client.get(base, headers=editor).json())

    created = client.post(base, json=new, headers=editor)
    assert created.status_code == 201, created.text
    assert created.headers["etag"] == '"1"' and created.headers["location"] == f"{base}/{new['id']}"
    assert len(client.get(base, headers=editor).json()) == count + 1

    got = client.get(f"{base}/{new['id']}", headers=auth["viewer"])
    assert got.status_code == 200 and got.headers["etag"] == '"1"'

    patched = client.patch(f"{base}/{new['id']}", json=patch, headers={**editor, "If-Match": '"1"'})
    assert patched.status_code == 200, patched.text
    assert patched.json()[field] == value and patched.headers["etag"] == '"2"'

    replaced = client.put(
        f"{base}/{new['id']}", json=_body(patched.json()), headers={**editor, "If-Match": '"2"'}
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()[field] == value

    etag = replaced.headers["etag"]
    deleted = client.delete(f"{base}/{new['id']}", headers={**editor, "If-Match": etag})
    assert deleted.status_code == 200 and deleted.json()["deleted_at"]
    assert len(client.get(base, headers=editor).json()) == count
    assert len(client.get(base, params={"include_deleted": True}, headers=editor).json()) == count + 1
    assert client.get(f"{base}/{new['id']}", headers=editor).json()["deleted_at"]

    restored = client.post(f"{base}/{new['id']}/restore", headers=editor)
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None

    history = client.get(f"{base}/{new['id']}/history", headers=auth["viewer"]).json()
    # The PUT saved the row unchanged: no new version, no entry.
    assert replaced.headers["etag"] == '"2"'
    assert [entry["action"] for entry in history] == ["create", "update", "delete", "restore"]
    assert all(entry["actor"] == "user:editor@example.fi" for entry in history)
    assert history[0]["before"] is None and history[0]["after"]["id"] == new["id"]
    assert history[1]["after"][field] == value and history[1]["before"][field] != value
    assert history[2]["after"]["deleted_at"] and not history[2]["before"]["deleted_at"]


@pytest.mark.postgres_too
def test_put_replaces_and_keeps_nested_locations_valid(client, auth):
    row = client.get("/admin/services/mikkeli-lastenneuvola", headers=auth["editor"])
    body = _body(row.json())
    body["locations"] = [
        {
            "id": "mikkeli-lastenneuvola-uusi",
            "phone": "044 123 4567",
            # PTV's own shape is stored as it is.
            "hours": [
                {
                    "serviceHourType": "DaysOfTheWeek",
                    "validFrom": None,
                    "validTo": None,
                    "isClosed": False,
                    "isAlwaysOpen": False,
                    "openingHour": [{"dayFrom": "Monday", "dayTo": None, "from": "08:00", "to": "15:30"}],
                }
            ],
        }
    ]
    response = client.put(
        "/admin/services/mikkeli-lastenneuvola",
        json=body,
        headers={**auth["editor"], "If-Match": row.headers["etag"]},
    )
    assert response.status_code == 200, response.text
    locations = response.json()["locations"]
    assert [loc["id"] for loc in locations] == ["mikkeli-lastenneuvola-uusi"]
    assert locations[0]["municipality"] == "mikkeli"  # from the service
    assert locations[0]["hours"][0]["openingHour"][0]["to"] == "15:30"


@pytest.mark.postgres_too
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "neuvola"}, "unknown service type"),
        ({"locations": [{"phone": "12345"}]}, "not a Finnish phone number"),
        ({"locations": [{"email": "neuvola(at)example.fi"}]}, "not an email address"),
        ({"locations": [{"url": "ftp://example.fi"}]}, "http:// or https://"),
        ({"locations": [{"hours": {"weekly": {"mo-fr": "8-16"}}}]}, "bad interval"),
        ({"locations": [{"hours": {"weekly": {"mo-fr": "8:00-26:00"}}}]}, "is not a time HH:MM"),
        ({"locations": [{"hours": {"weekly": {"mon-fri": "8:00-16:00"}}}]}, "unknown day range"),
        ({"locations": [{"hours": [{"serviceHourType": "Weekly"}]}]}, "serviceHourType"),
        (
            {
                "locations": [
                    {
                        "hours": [
                            {
                                "serviceHourType": "DaysOfTheWeek",
                                "openingHour": [{"dayFrom": "Mon", "from": "08:00", "to": "16:00"}],
                            }
                        ]
                    }
                ]
            },
            "weekday",
        ),
        ({"locations": [{"hours": "ma-pe 8-16"}]}, "hours"),
        ({"locations": [{"postal_code": "5010"}]}, "postal_code"),
        ({"age": {"min": 7, "max": 3}}, "min must not be above max"),
        ({"languages": ["de"]}, "languages"),
        ({"nimi": "x"}, "extra fields not permitted"),
        ({"id": "Mikkeli Neuvola"}, "an id is"),
        ({"name": {"fi": ""}}, "name"),
        ({"municipality": "atlantis"}, "unknown municipality 'atlantis'"),
        ({"provider": "nobody"}, "unknown provider 'nobody'"),
        ({"municipality": "mikkeli", "area": "turku-varissuo-lauste"}, "is not in municipality"),
    ],
)
def test_bad_input_is_a_clear_422(client, auth, change, message):
    body = {**SAMPLES["services"][0], "locations": [], **change}
    response = client.post("/admin/services", json=body, headers=auth["editor"])
    assert response.status_code == 422, response.text
    assert message in response.text


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("contacts", {"id": "c1", "name": "X", "phone": "abc", "municipalities": ["mikkeli"]}, "phone"),
        ("contacts", {"id": "c1", "name": "X", "municipalities": []}, "municipalities"),
        (
            "contacts",
            {"id": "c1", "name": "X", "municipalities": ["mikkeli"], "areas": ["turku-varissuo-lauste"]},
            "not in the contact's",
        ),
        ("municipalities", {"id": "m1", "code": "1234", "region": "etela-savo", "name": {"fi": "X"}}, "code"),
        ("municipalities", {"id": "m1", "region": "lappi", "name": {"fi": "X"}}, "unknown region"),
        ("areas", {"id": "a1", "municipality": "atlantis", "name": {"fi": "X"}}, "unknown municipality"),
        ("providers", {"id": "p1", "kind": "church", "name": {"fi": "X"}}, "kind"),
        ("helplines", {"id": "h1", "name": {"fi": "X"}, "phone": "+46 8 123 456"}, "phone"),
        ("helplines", {"id": "h1", "name": {"fi": "X"}, "phone": "112", "crisis": ["fire"]}, "crisis"),
    ],
)
def test_bad_input_for_other_entities(client, auth, path, body, message):
    response = client.post(f"/admin/{path}", json=body, headers=auth["editor"])
    assert response.status_code == 422, response.text
    assert message in response.text


def test_malformed_json_is_422_not_500(client, auth):
    response = client.post(
        "/admin/services",
        content=b"{not json",
        headers={**auth["editor"], "Content-Type": "application/json"},
    )
    assert response.status_code == 422


@pytest.mark.postgres_too
def test_unknown_ids_are_404(client, auth):
    editor = {**auth["editor"], "If-Match": '"1"'}
    for path in SAMPLES:
        assert client.get(f"/admin/{path}/nope", headers=editor).status_code == 404
        assert client.patch(f"/admin/{path}/nope", json={}, headers=editor).status_code == 404
        assert client.delete(f"/admin/{path}/nope", headers=editor).status_code == 404
        assert client.post(f"/admin/{path}/nope/restore", headers=editor).status_code == 404
        assert client.get(f"/admin/{path}/nope/history", headers=editor).status_code == 404


def test_changes_need_if_match_and_a_current_version(client, auth):
    url = "/admin/services/mikkeli-lastenneuvola"
    editor = auth["editor"]
    assert client.patch(url, json={"min_age": 1}, headers=editor).status_code in (422, 428)
    assert client.patch(url, json={"age": {"min": 1}}, headers=editor).status_code == 428
    assert client.delete(url, headers=editor).status_code == 428
    assert (
        client.put(url, json={"type": "lastenneuvola", "name": {"fi": "X"}}, headers=editor).status_code
        == 428
    )
    assert (
        client.patch(url, json={"age": {"min": 1}}, headers={**editor, "If-Match": "banana"}).status_code
        == 412
    )
    # Weak and unquoted forms of the same version are understood.
    assert (
        client.patch(url, json={"age": {"min": 1}}, headers={**editor, "If-Match": 'W/"1"'}).status_code
        == 200
    )
    assert client.patch(url, json={"age": {"min": 0}}, headers={**editor, "If-Match": "2"}).status_code == 200


@pytest.mark.postgres_too
def test_two_editors_cannot_overwrite_each_other(client, auth):
    url = "/admin/services/mikkeli-lastenneuvola"
    first = client.get(url, headers=auth["editor"]).headers["etag"]
    second = client.get(url, headers=auth["admin"]).headers["etag"]
    assert first == second == '"1"'
    ok = client.patch(url, json={"name": {"fi": "Neuvola A"}}, headers={**auth["editor"], "If-Match": first})
    assert ok.status_code == 200
    late = client.patch(
        url, json={"name": {"fi": "Neuvola B"}}, headers={**auth["admin"], "If-Match": second}
    )
    assert late.status_code == 412
    assert late.headers["etag"] == '"2"' and "changed since you read it" in late.json()["detail"]
    assert client.get(url, headers=auth["viewer"]).json()["name"]["fi"] == "Neuvola A"
    assert len(client.get(f"{url}/history", headers=auth["viewer"]).json()) == 1


@pytest.mark.postgres_too
def test_a_write_racing_another_commit_is_refused(staff_url):
    """Both read version 1; the second UPDATE finds the row changed and fails (version_id_col)."""
    entity = ENTITIES["service"]
    with new_session(staff_url) as first, new_session(staff_url) as second:
        admin.get_row(first, entity, "mikkeli-lastenneuvola")
        admin.get_row(second, entity, "mikkeli-lastenneuvola")
        second.commit()  # SQLite: let the first writer take the lock; the row stays in `second`
        admin.update(
            first,
            entity,
            "mikkeli-lastenneuvola",
            {"age": {"min": 1}},
            Actor("a"),
            expected_version=1,
            partial=True,
        )
        first.commit()
        with pytest.raises(VersionMismatch):
            admin.update(
                second,
                entity,
                "mikkeli-lastenneuvola",
                {"age": {"min": 2}},
                Actor("b"),
                expected_version=1,
                partial=True,
            )


@pytest.mark.postgres_too
def test_soft_delete_rules(client, auth):
    editor = auth["editor"]
    in_use = client.delete("/admin/municipalities/mikkeli", headers={**editor, "If-Match": '"1"'})
    assert in_use.status_code == 409 and "still used by" in in_use.json()["detail"]
    url = "/admin/helplines/hatanumero"
    assert client.delete(url, headers={**editor, "If-Match": '"1"'}).status_code == 200
    assert client.delete(url, headers={**editor, "If-Match": '"2"'}).status_code == 409
    assert client.patch(url, json={"hours": "x"}, headers={**editor, "If-Match": '"2"'}).status_code == 409
    assert client.post(url + "/restore", headers={**editor, "If-Match": '"1"'}).status_code == 412
    assert client.post(url + "/restore", headers=editor).status_code == 200
    assert client.post(url + "/restore", headers=editor).status_code == 409
    again = client.post(
        "/admin/helplines", json={**SAMPLES["helplines"][0], "id": "hatanumero"}, headers=editor
    )
    assert again.status_code == 409


@pytest.mark.postgres_too
def test_audit_entries_record_who_what_and_when(client, auth, staff_url):
    token = client.post(
        "/admin/tokens", json={"name": "ptv-sync", "role": "editor"}, headers=auth["admin"]
    ).json()
    bearer = {"Authorization": f"Bearer {token['token']}", "If-Match": '"1"'}
    assert (
        client.patch("/admin/providers/eloisa", json={"kind": "municipality"}, headers=bearer).status_code
        == 200
    )
    log = client.get("/admin/audit", params={"entity": "provider"}, headers=auth["viewer"]).json()
    assert (
        log[0]["actor"] == "token:ptv-sync"
        and log[0]["entity_id"] == "eloisa"
        and log[0]["action"] == "update"
    )
    with new_session(staff_url) as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.api_token_id == token["id"] and entry.staff_user_id is None and entry.at is not None


@pytest.mark.postgres_too
def test_an_edit_is_in_the_bots_next_answer_and_a_deleted_service_never(client, auth, staff_url):
    def routed(text: str) -> list[str]:
        with new_session(staff_url) as session:
            place = find_place(session, "Mikkeli")
            return [r.service.id for r in route_need(session, text, place=place, limit=5)]

    assert "mikkeli-lastenneuvola" not in routed("kaneliklubi")
    url = "/admin/services/mikkeli-lastenneuvola"
    client.patch(
        url,
        json={"name": {"fi": "Kaneliklubi ja lastenneuvola"}},
        headers={**auth["editor"], "If-Match": "1"},
    )
    assert routed("kaneliklubi")[0] == "mikkeli-lastenneuvola"
    assert "mikkeli-lastenneuvola" in routed("lastenneuvola")
    client.delete(url, headers={**auth["editor"], "If-Match": "2"})
    assert "mikkeli-lastenneuvola" not in routed("kaneliklubi")
    assert "mikkeli-lastenneuvola" not in routed("lastenneuvola rokotukset")
    client.post(url + "/restore", headers=auth["editor"])
    assert routed("kaneliklubi")[0] == "mikkeli-lastenneuvola"


@pytest.mark.postgres_too
def test_places_contacts_and_helplines_follow_staff_edits(client, auth, staff_url):
    editor = auth["editor"]
    new = client.post("/admin/municipalities", json=SAMPLES["municipalities"][0], headers=editor)
    assert new.status_code == 201
    with new_session(staff_url) as session:
        assert find_place(session, "Asun Kaarinassa").municipality_id == "kaarina"
    client.delete("/admin/municipalities/kaarina", headers={**editor, "If-Match": "1"})
    with new_session(staff_url) as session:
        assert find_place(session, "Kaarina") is None
        mikkeli = find_place(session, "Mikkeli")
        contact = perheneuvo_for(session, mikkeli)
        lines = {line.id for line in helplines_for(session, [])}
    assert "hatanumero" in lines
    etag = client.get(f"/admin/contacts/{contact.id}", headers=editor).headers["etag"]
    client.delete(f"/admin/contacts/{contact.id}", headers={**editor, "If-Match": etag})
    client.delete("/admin/helplines/hatanumero", headers={**editor, "If-Match": "1"})
    with new_session(staff_url) as session:
        other = perheneuvo_for(session, mikkeli)
        assert other is None or other.id != contact.id
        assert "hatanumero" not in {line.id for line in helplines_for(session, [])}


@pytest.mark.postgres_too
def test_patch_cannot_remove_what_is_required(client, auth):
    url = "/admin/providers/eloisa"
    headers = {**auth["editor"], "If-Match": "1"}
    for patch in ({"name": {"fi": None}}, {"name": None}, {"kind": None}, {"name": {"fi": ""}}):
        response = client.patch(url, json=patch, headers=headers)
        assert response.status_code == 422, (patch, response.text)
    assert client.get(url, headers=headers).json()["version"] == 1


def test_a_place_named_twice_is_kept_once(client, auth):
    body = {"id": "c2", "name": "X", "municipalities": ["mikkeli", "mikkeli"], "areas": []}
    response = client.post("/admin/contacts", json=body, headers=auth["editor"])
    assert response.status_code == 201 and response.json()["municipalities"] == ["mikkeli"]


@pytest.mark.postgres_too
def test_a_follow_up_never_shows_a_deleted_service(client, auth, staff_url):
    """The bot's follow-ups load "the service shown last" with SERVICE_LOADS: deleted ones drop out."""
    from service_catalog.models import Service
    from service_catalog.search import SERVICE_LOADS

    def shown(ids: list[str]) -> list[str]:
        with new_session(staff_url) as session:
            query = select(Service).where(Service.id.in_(ids)).options(*SERVICE_LOADS)
            return sorted(s.id for s in session.scalars(query))

    ids = ["mikkeli-lastenneuvola", "mikkeli-aitiysneuvola"]
    assert shown(ids) == sorted(ids)
    client.delete("/admin/services/mikkeli-lastenneuvola", headers={**auth["editor"], "If-Match": "1"})
    assert shown(ids) == ["mikkeli-aitiysneuvola"]
