"""The staff web UI (sqladmin) at /staff: sign-in, browsing, editing the catalogue through the
same checks as the admin API, and working the call-me-back inbox. Forms are read from the pages
as a browser would and posted back."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from office import inbox
from office.inbox import CallbackRequest
from service_catalog.db import new_session
from service_catalog.models import Service
from service_catalog.places import find_place
from service_catalog.search import route_need
from staff.accounts import StaffUser
from staff.audit import AuditEntry
from tests.helpers import STAFF_PASSWORD

SERVICE = "mikkeli-lastenneuvola"


def _signed_in(client, role: str):  # type: ignore[no-untyped-def]
    response = client.post(
        "/staff/login",
        data={"username": f"{role}@example.fi", "password": STAFF_PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text
    return client


class _Form(HTMLParser):
    """The fields of the page's form as a browser would post them (text, hidden, checked, selected)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "checkbox"):
            self.fields.append((name, a.get("value") or ""))
        elif tag == "input" and name and "checked" in a:
            self.fields.append((name, a.get("value") or "y"))
        elif tag == "textarea":
            self._textarea = name
            self.fields.append((name, ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            name, text = self.fields.pop()
            self.fields.append((name, text + data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _form(client, url: str) -> dict[str, str | list[str]]:  # type: ignore[no-untyped-def]
    page = client.get(url)
    assert page.status_code == 200, page.text[-500:]
    parser = _Form()
    parser.feed(page.text)
    form: dict[str, str | list[str]] = {}
    for name, value in parser.fields:
        if name in form:  # a multiple select
            previous = form[name]
            form[name] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            form[name] = value
    return form


def _save(client, url: str, form: dict, **changes):  # type: ignore[no-untyped-def]
    return client.post(url, data={**form, **changes, "save": "Save"}, follow_redirects=False)


def _service(url: str) -> Service:
    with new_session(url) as session:
        return session.get(Service, SERVICE)


def _audit(url: str, entity_id: str = SERVICE) -> list[tuple[str, str]]:
    with new_session(url) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == entity_id))
        return [(e.action, e.actor) for e in entries]


def _routed(url: str, text: str) -> list[str]:
    with new_session(url) as session:
        place = find_place(session, "Mikkeli")
        return [r.service.id for r in route_need(session, text, place=place, limit=5)]


# --- signing in and browsing ---------------------------------------------------------------


def test_the_ui_needs_a_staff_sign_in(client):
    response = client.get("/staff/service/list", follow_redirects=False)
    assert response.status_code in (302, 303) and "/staff/login" in response.headers["location"]
    assert (
        "/staff/login"
        in client.get("/staff/callback-request/list", follow_redirects=False).headers["location"]
    )
    wrong = client.post(
        "/staff/login", data={"username": "viewer@example.fi", "password": "guess"}, follow_redirects=False
    )
    assert wrong.status_code == 400


def test_the_sign_in_page_says_in_finnish_when_sign_in_is_locked(client):
    wrong = {"username": "editor@example.fi", "password": "guess"}
    for _ in range(5):
        assert client.post("/staff/login", data=wrong, follow_redirects=False).status_code == 400
    right = {**wrong, "password": STAFF_PASSWORD}
    locked = client.post("/staff/login", data=right, follow_redirects=False)
    assert locked.status_code == 429
    assert 890 < int(locked.headers["retry-after"]) <= 900
    assert "Tälle tunnukselle on annettu liian monta kertaa väärä salasana" in locked.text
    assert "yritä uudelleen 15 minuutin kuluttua" in locked.text
    assert 'name="password"' in locked.text  # the form is still there, to try again later
    assert client.post("/auth/token", data=right).status_code == 429  # one lock for the UI and the API
    assert client.get("/staff/service/list", follow_redirects=False).status_code in (302, 303)


@pytest.mark.parametrize(
    ("identity", "pk"),
    [
        ("service", SERVICE),
        ("contact", None),
        ("municipality", "mikkeli"),
        ("area", None),
        ("provider", None),
        ("helpline", "hatanumero"),
        ("service-location", None),
        ("audit-entry", None),
        ("callback-request", None),
    ],
)
def test_staff_browse_every_table(client, identity, pk):
    _signed_in(client, "viewer")
    listing = client.get(f"/staff/{identity}/list")
    assert listing.status_code == 200, listing.text[-500:]
    if pk:
        details = client.get(f"/staff/{identity}/details/{pk}")
        assert details.status_code == 200 and pk in details.text


def test_accounts_and_tokens_are_for_admins(client):
    _signed_in(client, "editor")
    assert client.get("/staff/staff-user/list").status_code == 403
    _signed_in(client, "admin")
    page = client.get("/staff/staff-user/list")
    assert page.status_code == 200 and "editor@example.fi" in page.text and "$argon2" not in page.text


# --- editing the catalogue -----------------------------------------------------------------


@pytest.mark.postgres_too
def test_an_editor_edits_a_service_and_the_bot_answers_with_it(client, staff_url):
    assert SERVICE not in _routed(staff_url, "kaneliklubi")
    _signed_in(client, "editor")
    url = f"/staff/service/edit/{SERVICE}"
    form = _form(client, url)
    assert form["version"] == "1" and form["name_fi"] == _service(staff_url).name_fi
    assert form["type"] == "lastenneuvola" and '"street_address"' in form["locations"]

    saved = _save(client, url, form, name_fi="Kaneliklubi ja lastenneuvola", name_en="Cinnamon club")
    assert saved.status_code == 302, saved.text[-1500:]

    row = _service(staff_url)
    assert (row.name_fi, row.name_en, row.version) == ("Kaneliklubi ja lastenneuvola", "Cinnamon club", 2)
    assert _routed(staff_url, "kaneliklubi")[0] == SERVICE
    searched = client.get("/services/search", params={"q": "kaneliklubi", "municipality": "Mikkeli"}).json()
    assert searched["services"][0]["name"] == "Kaneliklubi ja lastenneuvola"
    assert _audit(staff_url) == [("update", "user:editor@example.fi")]
    # What the form did not change is as it was: the locations, their hours, the keywords.
    api = client.get(f"/admin/services/{SERVICE}", headers=_token(staff_url, "viewer")).json()
    assert api["locations"] and api["locations"][0]["hours"] and api["keywords"]


def _token(url: str, role: str) -> dict[str, str]:
    from tests.helpers import staff_headers

    return staff_headers(url)[role]


@pytest.mark.postgres_too
def test_an_edit_on_a_stale_form_is_refused(client, staff_url):
    _signed_in(client, "editor")
    url = f"/staff/service/edit/{SERVICE}"
    stale = _form(client, url)
    colleague = client.patch(
        f"/admin/services/{SERVICE}",
        json={"name": {"fi": "Kollegan nimi"}},
        headers={**_token(staff_url, "admin"), "If-Match": '"1"'},
    )
    assert colleague.status_code == 200

    refused = _save(client, url, stale, name_fi="Minun nimeni")
    assert refused.status_code == 400 and "has changed since you read it" in refused.text
    # The page shows the colleague's version now, to apply the change to.
    assert "Kollegan nimi" in refused.text and 'name="version" type="hidden" value="2"' in refused.text
    assert (_service(staff_url).name_fi, _service(staff_url).version) == ("Kollegan nimi", 2)
    assert _audit(staff_url) == [("update", "user:admin@example.fi")]
    assert _save(client, url, _form(client, url), name_fi="Minun nimeni").status_code == 302


@pytest.mark.postgres_too
def test_a_viewer_reads_but_cannot_write(client, staff_url):
    _signed_in(client, "viewer")
    assert f"/staff/service/edit/{SERVICE}" not in client.get("/staff/service/list").text
    assert client.get(f"/staff/service/edit/{SERVICE}").status_code == 403
    form = {"id": SERVICE, "version": "1", "type": "lastenneuvola", "name_fi": "X", "languages": "fi"}
    assert _save(client, f"/staff/service/edit/{SERVICE}", form).status_code == 403
    assert client.get("/staff/service/create").status_code == 403
    assert client.delete("/staff/service/delete", params={"pks": SERVICE}).status_code == 403
    assert client.get("/staff/service/action/restore", params={"pks": SERVICE}).status_code == 403
    assert _service(staff_url).version == 1 and _audit(staff_url) == []


@pytest.mark.postgres_too
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda form: {"locations": form["locations"].replace("+358", "+999", 1)},
            "is not a Finnish phone number",
        ),
        (lambda form: {"type": "ufo-palvelu"}, "Not a valid choice"),
        (lambda form: {"name_fi": ""}, "This field is required"),
        (lambda form: {"age_min": "12", "age_max": "3"}, "age min must not be above max"),
        (lambda form: {"keywords": "{not json"}, "Invalid JSON"),
        (lambda form: {"municipality": "atlantis"}, "unknown municipality"),
    ],
    ids=["phone", "type", "name", "age", "json", "reference"],
)
def test_invalid_data_is_shown_in_the_form_and_changes_nothing(client, staff_url, change, message):
    _signed_in(client, "editor")
    url = f"/staff/service/edit/{SERVICE}"
    form = _form(client, url)
    assert "+358" in form["locations"]
    refused = _save(client, url, form, **change(form))
    assert refused.status_code == 400 and message in refused.text
    assert _service(staff_url).version == 1 and _audit(staff_url) == []


def test_a_contact_with_a_wrong_phone_is_refused_at_its_field(client, staff_url):
    _signed_in(client, "editor")
    url = "/staff/contact/edit/perheneuvo-mikkeli"
    form = _form(client, url)
    assert form["municipalities"] == "mikkeli"
    refused = _save(client, url, form, phone="123")
    assert refused.status_code == 400 and "is not a Finnish phone number" in refused.text
    assert 'value="123"' in refused.text  # what was typed stays, to be corrected
    assert _audit(staff_url, "perheneuvo-mikkeli") == []


def test_create_through_the_ui(client, staff_url):
    _signed_in(client, "editor")
    form = _form(client, "/staff/provider/create")
    created = _save(
        client, "/staff/provider/create", form, id="mll-mikkeli", kind="ngo", name_fi="MLL Mikkeli"
    )
    assert created.status_code == 302, created.text[-1500:]
    assert _audit(staff_url, "mll-mikkeli") == [("create", "user:editor@example.fi")]
    again = _save(client, "/staff/provider/create", form, id="mll-mikkeli", kind="ngo", name_fi="MLL")
    assert again.status_code == 400 and "exists already" in again.text
    bad_id = _save(client, "/staff/provider/create", form, id="MLL Mikkeli", kind="ngo", name_fi="MLL")
    assert bad_id.status_code == 400 and "an id is 1-64 characters" in bad_id.text


@pytest.mark.postgres_too
def test_delete_is_a_soft_delete_and_restore_brings_it_back(client, staff_url):
    _signed_in(client, "editor")
    assert SERVICE in _routed(staff_url, "lastenneuvola")
    deleted = client.delete("/staff/service/delete", params={"pks": SERVICE})
    assert deleted.status_code == 200, deleted.text
    row = _service(staff_url)
    assert row is not None and row.deleted_at is not None  # kept, with its history
    assert SERVICE not in _routed(staff_url, "lastenneuvola")
    assert (
        "restore it first"
        in _save(
            client, f"/staff/service/edit/{SERVICE}", _form(client, f"/staff/service/edit/{SERVICE}")
        ).text
    )

    restored = client.get("/staff/service/action/restore", params={"pks": SERVICE}, follow_redirects=False)
    assert restored.status_code == 303
    assert SERVICE in _routed(staff_url, "lastenneuvola")
    assert _audit(staff_url) == [("delete", "user:editor@example.fi"), ("restore", "user:editor@example.fi")]


def test_a_delete_the_catalogue_refuses_says_why(client, staff_url):
    _signed_in(client, "editor")
    refused = client.delete("/staff/municipality/delete", params={"pks": "mikkeli"})
    assert refused.status_code == 409 and "still used by" in refused.text
    assert _audit(staff_url, "mikkeli") == []


# --- the call-me-back inbox ----------------------------------------------------------------


def _request(url: str, municipality: str = "mikkeli", value: str = "+358401234567") -> str:
    with new_session(url) as session, session.begin():
        return inbox.create_request(
            session,
            municipality_id=municipality,
            contact_id=None,
            channel="phone",
            contact_value=value,
            topic="lapsen uni",
            language="fi",
        ).id


def _row(url: str, request_id: str) -> CallbackRequest:
    with new_session(url) as session:
        return session.get(CallbackRequest, request_id)


@pytest.mark.postgres_too
def test_the_inbox_lists_requests_newest_first_and_filters(client, staff_url):
    first = _request(staff_url, value="+358401111111")
    second = _request(staff_url, "savonlinna", value="+358402222222")
    _signed_in(client, "viewer")
    page = client.get("/staff/callback-request/list").text
    assert first in page and second in page and "+358401111111" in page  # staff see how to call back
    assert page.index(second) < page.index(first)
    mikkeli = client.get("/staff/callback-request/list", params={"municipality_id": "mikkeli"}).text
    assert first in mikkeli and second not in mikkeli
    assert second not in client.get("/staff/callback-request/list", params={"status": "closed"}).text
    assert client.get("/staff/callback-request/export/csv").status_code == 403


@pytest.mark.postgres_too
def test_editors_claim_note_and_close_in_the_ui(client, staff_url):
    request_id = _request(staff_url)
    _signed_in(client, "viewer")
    assert client.get("/staff/callback-request/action/claim", params={"pks": request_id}).status_code == 403
    assert client.get(f"/staff/callback-request/edit/{request_id}").status_code == 403

    _signed_in(client, "editor")
    details = f"http://testserver/staff/callback-request/details/{request_id}"
    claimed = client.get(
        "/staff/callback-request/action/claim",
        params={"pks": request_id},
        headers={"referer": details},
        follow_redirects=False,
    )
    assert claimed.status_code == 303 and claimed.headers["location"] == details
    with new_session(staff_url) as session:
        editor_id = session.scalar(select(StaffUser.id).where(StaffUser.email == "editor@example.fi"))
    assert (_row(staff_url, request_id).status, _row(staff_url, request_id).claimed_by) == (
        "claimed",
        editor_id,
    )

    url = f"/staff/callback-request/edit/{request_id}"
    noted = _save(client, url, _form(client, url), note="Soitin, sovittiin käynti torstaille")
    assert noted.status_code == 302
    assert _row(staff_url, request_id).notes[0]["by"] == "user:editor@example.fi"
    assert "sovittiin käynti torstaille" in client.get(details).text
    assert _save(client, url, {}, note="").status_code == 400

    _signed_in(client, "admin")
    taken = client.get("/staff/callback-request/action/claim", params={"pks": request_id})
    assert taken.status_code == 409 and "a colleague has claimed" in taken.text
    closed = client.get(
        "/staff/callback-request/action/close", params={"pks": request_id}, follow_redirects=False
    )
    assert closed.status_code == 303 and _row(staff_url, request_id).status == "closed"
    again = client.get("/staff/callback-request/action/close", params={"pks": request_id})
    assert again.status_code == 409 and "closed already" in again.text


def test_an_action_started_from_another_site_is_refused(client, staff_url):
    request_id = _request(staff_url)
    _signed_in(client, "editor")
    forged = client.get(
        "/staff/callback-request/action/claim",
        params={"pks": request_id},
        headers={"sec-fetch-site": "cross-site"},
    )
    assert forged.status_code == 403 and _row(staff_url, request_id).status == "new"


@pytest.mark.postgres_too
@pytest.mark.parametrize(
    ("identity", "pk"),
    [
        ("service", SERVICE),
        ("contact", "perheneuvo-mikkeli"),
        ("municipality", "mikkeli"),
        ("area", None),
        ("provider", "eloisa"),
        ("helpline", "hatanumero"),
    ],
)
def test_every_edit_form_saves_its_row_unchanged(client, staff_url, identity, pk):
    """The form shows the whole row: saving it as it is changes nothing (no new version, no entry)."""
    _signed_in(client, "editor")
    if pk is None:
        pk = client.get(f"/staff/{identity}/list").text.split(f"/staff/{identity}/details/")[1].split('"')[0]
    url = f"/staff/{identity}/edit/{pk}"
    saved = _save(client, url, _form(client, url))
    assert saved.status_code == 302, saved.text[-1500:]
    assert _audit(staff_url, pk) == []
