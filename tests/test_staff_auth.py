"""Staff sign-in, roles and API tokens: nothing under /admin without a token."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jwt
import pytest
from sqlalchemy import select

from api.create_user import PASSWORD_ENV
from api.create_user import main as create_user_cli
from api.main import app
from service_catalog.db import new_session
from service_catalog.settings import Settings, get_settings
from service_catalog.staff import ApiToken, StaffUser
from tests.conftest import STAFF_PASSWORD


def _admin_operations() -> list[tuple[str, str]]:
    paths = app.openapi()["paths"]
    return [
        (method, path.replace("{row_id}", "mikkeli").replace("{user_id}", "1").replace("{token_id}", "1"))
        for path, item in paths.items()
        if path.startswith("/admin")
        for method in item
    ]


def test_no_admin_path_answers_without_a_token(client):
    operations = _admin_operations()
    assert len(operations) > 50
    for method, path in operations:
        response = client.request(method.upper(), path, headers={"If-Match": "1"}, json={})
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "bearer",
    [
        "nonsense",
        "pk_not-a-real-token",
        jwt.encode({"sub": "1", "exp": 9999999999}, "wrong key", algorithm="HS256"),
    ],
)
def test_a_bad_token_is_401(client, bearer):
    response = client.get("/admin/services", headers={"Authorization": f"Bearer {bearer}"})
    assert response.status_code == 401


def test_an_expired_token_is_401(client, staff_url):
    expired = jwt.encode(
        {"sub": "1", "typ": "access", "exp": datetime.now(timezone.utc) - timedelta(minutes=1)},
        get_settings().secret_key,
        algorithm="HS256",
    )
    assert client.get("/admin/services", headers={"Authorization": f"Bearer {expired}"}).status_code == 401


def test_sign_in_with_the_password_form(client):
    wrong = client.post("/auth/token", data={"username": "editor@example.fi", "password": "guess"})
    assert wrong.status_code == 401
    nobody = client.post("/auth/token", data={"username": "nobody@example.fi", "password": STAFF_PASSWORD})
    assert nobody.status_code == 401
    assert client.post("/auth/token", json={"username": "editor@example.fi"}).status_code == 422
    ok = client.post("/auth/token", data={"username": "Editor@Example.fi", "password": STAFF_PASSWORD})
    assert ok.status_code == 200 and ok.json()["token_type"] == "bearer"
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {ok.json()['access_token']}"})
    assert me.json() == {"kind": "user", "name": "editor@example.fi", "role": "editor"}


def test_passwords_are_stored_as_argon2_hashes(staff_url):
    with new_session(staff_url) as session:
        user = session.scalars(select(StaffUser)).first()
    assert user.password_hash.startswith("$argon2id$") and STAFF_PASSWORD not in user.password_hash


def test_roles(client, auth):
    service = "/admin/services/mikkeli-lastenneuvola"
    patch = {"age": {"min": 1}}
    assert client.get(service, headers=auth["viewer"]).status_code == 200
    assert client.patch(service, json=patch, headers={**auth["viewer"], "If-Match": "1"}).status_code == 403
    assert client.delete(service, headers={**auth["viewer"], "If-Match": "1"}).status_code == 403
    assert client.post("/admin/helplines", json={}, headers=auth["viewer"]).status_code == 403
    assert client.patch(service, json=patch, headers={**auth["editor"], "If-Match": "1"}).status_code == 200
    for path in ("/admin/tokens", "/admin/users"):
        assert client.get(path, headers=auth["editor"]).status_code == 403
        assert client.get(path, headers=auth["admin"]).status_code == 200
    assert (
        client.patch(
            service, json={"age": {"min": 0}}, headers={**auth["admin"], "If-Match": "2"}
        ).status_code
        == 200
    )


def test_a_deactivated_account_loses_access_at_once(client, auth):
    users = client.get("/admin/users", headers=auth["admin"]).json()
    editor = next(u for u in users if u["role"] == "editor")
    assert client.post(f"/admin/users/{editor['id']}/deactivate", headers=auth["admin"]).status_code == 200
    assert client.get("/admin/services", headers=auth["editor"]).status_code == 401
    signed_in = client.post("/auth/token", data={"username": "editor@example.fi", "password": STAFF_PASSWORD})
    assert signed_in.status_code == 401


def test_admin_adds_a_staff_account(client, auth):
    body = {"email": "uusi@example.fi", "role": "editor", "password": "pitkä salasana 123"}
    assert client.post("/admin/users", json=body, headers=auth["editor"]).status_code == 403
    assert client.post("/admin/users", json=body, headers=auth["admin"]).status_code == 201
    assert client.post("/admin/users", json=body, headers=auth["admin"]).status_code == 409
    assert (
        client.post("/admin/users", json={**body, "password": "short"}, headers=auth["admin"]).status_code
        == 422
    )
    token = client.post("/auth/token", data={"username": body["email"], "password": body["password"]})
    assert token.status_code == 200


def test_api_tokens_are_shown_once_and_stored_hashed(client, auth, staff_url):
    issued = client.post("/admin/tokens", json={"name": "ptv-sync", "role": "editor"}, headers=auth["admin"])
    assert issued.status_code == 201
    token = issued.json()["token"]
    assert token.startswith("pk_") and len(token) > 40
    listed = client.get("/admin/tokens", headers=auth["admin"]).json()
    assert listed[0]["name"] == "ptv-sync" and "token" not in listed[0] and listed[0]["last_used_at"] is None
    with new_session(staff_url) as session:
        row = session.scalars(select(ApiToken)).one()
        assert token not in row.token_hash and len(row.token_hash) == 64

    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/auth/me", headers=bearer).json() == {
        "kind": "token",
        "name": "ptv-sync",
        "role": "editor",
    }
    changed = client.patch(
        "/admin/providers/eloisa", json={"kind": "sote"}, headers={**bearer, "If-Match": "1"}
    )
    assert changed.status_code == 200
    assert client.get("/admin/tokens", headers=bearer).status_code == 403  # an editor token is no admin
    assert client.get("/admin/tokens", headers=auth["admin"]).json()[0]["last_used_at"] is not None

    assert client.delete(f"/admin/tokens/{issued.json()['id']}", headers=auth["admin"]).status_code == 200
    assert client.get("/admin/services", headers=bearer).status_code == 401
    assert client.delete("/admin/tokens/999", headers=auth["admin"]).status_code == 404


def test_a_viewer_token_only_reads(client, auth):
    token = client.post("/admin/tokens", json={"name": "dashboard"}, headers=auth["admin"]).json()["token"]
    bearer = {"Authorization": f"Bearer {token}", "If-Match": "1"}
    assert client.get("/admin/helplines", headers=bearer).status_code == 200
    assert client.delete("/admin/helplines/hatanumero", headers=bearer).status_code == 403


def test_create_user_cli(staff_url, monkeypatch, capsys):
    monkeypatch.setenv(PASSWORD_ENV, "another long password")
    assert create_user_cli(["Liisa@Example.fi", "--role", "admin", "--name", "Liisa"]) == 0
    assert "created admin liisa@example.fi" in capsys.readouterr().out
    assert create_user_cli(["liisa@example.fi"]) == 1
    assert "exists already" in capsys.readouterr().err
    monkeypatch.setenv(PASSWORD_ENV, "short")
    assert create_user_cli(["pekka@example.fi"]) == 1


def test_create_user_cli_prompts_for_the_password(staff_url, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    answers = iter(["typed long password", "typed long password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert create_user_cli(["pekka@example.fi", "--role", "editor"]) == 0


def test_the_secret_key_comes_from_the_environment_or_is_random_per_process(monkeypatch):
    monkeypatch.setenv("PK_SECRET_KEY", "from-the-environment")
    assert Settings().secret_key == "from-the-environment"
    monkeypatch.delenv("PK_SECRET_KEY")
    first, second = Settings().secret_key, Settings().secret_key
    assert first == second and len(first) >= 48
