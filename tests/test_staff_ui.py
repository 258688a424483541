"""The read-only staff web UI (sqladmin) at /staff: staff sign-in, browsing, no writing."""

from __future__ import annotations

import pytest

from tests.conftest import STAFF_PASSWORD


def _signed_in(client, role: str):  # type: ignore[no-untyped-def]
    response = client.post(
        "/staff/login",
        data={"username": f"{role}@example.fi", "password": STAFF_PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text
    return client


def test_the_ui_needs_a_staff_sign_in(client):
    response = client.get("/staff/service/list", follow_redirects=False)
    assert response.status_code in (302, 303) and "/staff/login" in response.headers["location"]
    wrong = client.post(
        "/staff/login", data={"username": "viewer@example.fi", "password": "guess"}, follow_redirects=False
    )
    assert wrong.status_code == 400


@pytest.mark.parametrize(
    ("identity", "pk"),
    [
        ("service", "mikkeli-lastenneuvola"),
        ("contact", None),
        ("municipality", "mikkeli"),
        ("area", None),
        ("provider", None),
        ("helpline", "hatanumero"),
        ("service-location", None),
        ("audit-entry", None),
    ],
)
def test_staff_browse_every_table(client, identity, pk):
    _signed_in(client, "viewer")
    listing = client.get(f"/staff/{identity}/list")
    assert listing.status_code == 200, listing.text[-500:]
    if pk:
        details = client.get(f"/staff/{identity}/details/{pk}")
        assert details.status_code == 200 and pk in details.text


def test_the_ui_does_not_write(client):
    _signed_in(client, "admin")
    assert client.get("/staff/service/edit/mikkeli-lastenneuvola").status_code in (403, 404)
    assert client.get("/staff/service/create").status_code in (403, 404)
    assert client.delete("/staff/service/delete", params={"pks": "mikkeli-lastenneuvola"}).status_code in (
        403,
        404,
        405,
    )


def test_accounts_and_tokens_are_for_admins(client):
    _signed_in(client, "editor")
    assert client.get("/staff/staff-user/list").status_code == 403
    _signed_in(client, "admin")
    page = client.get("/staff/staff-user/list")
    assert page.status_code == 200 and "editor@example.fi" in page.text and "$argon2" not in page.text
