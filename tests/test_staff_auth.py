"""Staff sign-in, roles and API tokens: nothing under /admin without a token; the password rule,
the sign-in throttle and the security events."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api.create_user import PASSWORD_ENV
from api.create_user import main as create_user_cli
from api.main import app
from api.security import password_problem
from service_catalog.db import new_session
from settings import REPO_ROOT, Settings, get_settings
from staff.accounts import ApiToken, SignInAttempt, StaffUser
from tests.helpers import STAFF_PASSWORD


def _admin_operations() -> list[tuple[str, str]]:
    paths = app.openapi()["paths"]
    return [
        (method, path.replace("{row_id}", "mikkeli").replace("{user_id}", "1").replace("{token_id}", "1"))
        for path, item in paths.items()
        if path.startswith("/admin")
        for method in item
    ]


@pytest.mark.postgres_too
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


@pytest.mark.postgres_too
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


@pytest.mark.postgres_too
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


@pytest.mark.postgres_too
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


@pytest.mark.postgres_too
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


# --- the password rule (issue 12) -----------------------------------------------------------


@pytest.mark.parametrize("password", ["password12", "salasana123", "uusi@example.fi", "qwertyuiop"])
def test_an_easy_password_is_refused_with_a_reason(client, auth, password):
    body = {"email": "uusi@example.fi", "role": "editor", "password": password}
    refused = client.post("/admin/users", json=body, headers=auth["admin"])
    assert refused.status_code in (409, 422)
    assert "too easy to guess" in refused.json()["detail"]
    assert (
        client.post("/auth/token", data={"username": body["email"], "password": password}).status_code == 401
    )


def test_the_rule_counts_the_accounts_own_name_and_email_as_easy_guesses():
    assert password_problem("annavirtanen2024", email="anna.virtanen@mikkeli.fi", name="Anna Virtanen")
    assert password_problem("Mikkeli2024!", email="anna.virtanen@mikkeli.fi")
    assert password_problem("kaksi kissaa ja vanha koira", email="anna.virtanen@mikkeli.fi") is None
    assert "at least 10" in password_problem("lyhyt")


def test_create_user_cli_refuses_an_easy_password(staff_url, monkeypatch, capsys):
    monkeypatch.setenv(PASSWORD_ENV, "password12")
    assert create_user_cli(["pekka@example.fi"]) == 1
    assert "too easy to guess" in capsys.readouterr().err
    monkeypatch.delenv(PASSWORD_ENV)
    answers = iter(["password12"])  # refused before it is asked again
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert create_user_cli(["pekka@example.fi"]) == 1
    with new_session(staff_url) as session:
        assert session.scalar(select(StaffUser).where(StaffUser.email == "pekka@example.fi")) is None


def test_a_staff_member_changes_their_password(client, auth):
    new = "vanha vene uusi airo"
    change = {"current_password": STAFF_PASSWORD, "new_password": new}
    assert client.post("/auth/password", json=change, headers=auth["editor"]).status_code == 204
    assert (
        client.post("/auth/token", data={"username": "editor@example.fi", "password": new}).status_code == 200
    )
    old = client.post("/auth/token", data={"username": "editor@example.fi", "password": STAFF_PASSWORD})
    assert old.status_code == 401

    weak = client.post(
        "/auth/password", json={"current_password": new, "new_password": "password12"}, headers=auth["editor"]
    )
    assert weak.status_code == 422 and "too easy to guess" in weak.json()["detail"]
    wrong = client.post(
        "/auth/password", json={**change, "current_password": "guess"}, headers=auth["editor"]
    )
    assert wrong.status_code == 403 and "current password" in wrong.json()["detail"]
    assert client.post("/auth/password", json=change).status_code == 401
    token = client.post("/admin/tokens", json={"name": "dashboard"}, headers=auth["admin"]).json()["token"]
    machine = client.post("/auth/password", json=change, headers={"Authorization": f"Bearer {token}"})
    assert machine.status_code == 403


# --- the sign-in throttle (issue 12) --------------------------------------------------------


def _from(address: str) -> TestClient:
    return TestClient(app, client=(address, 50000))


def _sign_in(client: TestClient, email: str = "editor@example.fi", password: str = STAFF_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/auth/token", data={"username": email, "password": password})


def test_five_wrong_passwords_lock_the_account_with_a_clear_429(staff_url):
    client = _from("198.51.100.7")
    for _ in range(5):
        assert _sign_in(client, password="guess").status_code == 401
    locked = _sign_in(client)  # the right password too: it is not even checked
    assert locked.status_code == 429
    assert 890 < int(locked.headers["retry-after"]) <= 900
    assert locked.json()["detail"] == "too many failed sign-ins for this account: try again in 15 minutes"
    assert _sign_in(_from("203.0.113.9")).status_code == 429  # from anywhere it has not signed in from
    assert _sign_in(client, "viewer@example.fi").status_code == 200  # other accounts are not locked


def test_an_unknown_email_is_locked_like_a_real_one(staff_url):
    client = _from("198.51.100.7")
    for _ in range(5):
        assert _sign_in(client, "nobody@example.fi").status_code == 401
    assert _sign_in(client, "nobody@example.fi").status_code == 429


def test_twenty_failures_lock_the_address_for_every_account(staff_url):
    spraying = _from("198.51.100.66")
    for n in range(20):
        assert _sign_in(spraying, f"user{n}@example.fi", "Kesä2024!").status_code == 401
    locked = _sign_in(spraying, "viewer@example.fi")
    assert locked.status_code == 429 and "your address" in locked.json()["detail"]
    assert _sign_in(_from("203.0.113.9"), "viewer@example.fi").status_code == 200


def test_a_successful_sign_in_resets_the_accounts_count(staff_url):
    client = _from("198.51.100.7")
    for _ in range(4):
        assert _sign_in(client, password="guess").status_code == 401
    assert _sign_in(client).status_code == 200
    for _ in range(4):
        assert _sign_in(client, password="guess").status_code == 401
    assert _sign_in(client).status_code == 200  # eight failures in all, not locked
    for _ in range(4):
        assert _sign_in(client, password="guess").status_code == 401
    assert _sign_in(client, password="guess").status_code == 401  # the fifth since the success
    assert _sign_in(client).status_code == 429


def test_failures_from_elsewhere_do_not_lock_an_address_the_account_signs_in_from(staff_url):
    desk, attacker = _from("192.0.2.10"), _from("198.51.100.7")
    assert _sign_in(desk).status_code == 200
    for _ in range(6):
        _sign_in(attacker, password="guess")
    assert _sign_in(attacker).status_code == 429
    assert _sign_in(desk).status_code == 200
    for _ in range(5):  # at the desk the account still has its own five
        assert _sign_in(desk, password="guess").status_code == 401
    assert _sign_in(desk).status_code == 429


def test_the_lock_lifts_when_the_window_has_passed(staff_url):
    client = _from("198.51.100.7")
    for _ in range(5):
        _sign_in(client, password="guess")
    assert _sign_in(client).status_code == 429
    with new_session(staff_url) as session, session.begin():
        session.execute(update(SignInAttempt).values(at=datetime.now(timezone.utc) - timedelta(minutes=16)))
    assert _sign_in(client).status_code == 200


def test_the_lock_holds_across_processes(staff_url, monkeypatch):
    # Another API worker: a separate process sharing the database and the secret key.
    monkeypatch.setenv("PK_SECRET_KEY", "a key that every worker of the API shares")
    get_settings.cache_clear()
    worker = (
        "from api.security import sign_in\n"
        "from service_catalog.db import new_session\n"
        "with new_session() as session:\n"
        "    for _ in range(5):\n"
        "        assert sign_in(session, 'editor@example.fi', 'guess', '198.51.100.7') is None\n"
        "    session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", worker], check=True, cwd=REPO_ROOT, env=dict(os.environ))
    assert _sign_in(_from("198.51.100.7")).status_code == 429


def test_a_wrong_current_password_counts_as_a_failed_sign_in(client, auth):
    change = {"current_password": "guess", "new_password": "vanha vene uusi airo"}
    for _ in range(5):
        assert client.post("/auth/password", json=change, headers=auth["editor"]).status_code == 403
    right = {**change, "current_password": STAFF_PASSWORD}
    assert client.post("/auth/password", json=right, headers=auth["editor"]).status_code == 429
    assert _sign_in(client).status_code == 429


def test_security_events_are_logged_without_password_email_or_address(staff_url, caplog):
    caplog.set_level(logging.INFO, logger="api.security")
    client = _from("198.51.100.7")
    with new_session(staff_url) as session:
        editor_id = session.scalar(select(StaffUser.id).where(StaffUser.email == "editor@example.fi"))
    assert _sign_in(client).status_code == 200
    token = _sign_in(client).json()["access_token"]
    change = {"current_password": STAFF_PASSWORD, "new_password": "vanha vene uusi airo"}
    assert (
        client.post("/auth/password", json=change, headers={"Authorization": f"Bearer {token}"}).status_code
        == 204
    )
    for _ in range(5):
        _sign_in(client, password="wrong guess")
    _sign_in(client, "nobody@example.fi", "another guess")
    _sign_in(client)

    lines = [r.getMessage() for r in caplog.records if r.name == "api.security"]
    events = [line.split("event=")[1].split()[0] for line in lines]
    assert events == [
        "sign_in", "sign_in", "password_changed", *["sign_in_failed"] * 5, "lockout", "sign_in_failed",
        "sign_in_refused",
    ]  # fmt: skip
    assert all(f"account=user:{editor_id} " in line for line in lines[:-2] + lines[-1:])
    assert "account=h:" in lines[-2]  # no such account: a keyed hash of the email
    text = "\n".join(lines)
    for secret in (
        STAFF_PASSWORD,
        "vanha vene",
        "wrong guess",
        "another guess",
        "198.51.100.7",
        "@example.fi",
    ):
        assert secret not in text
    address = re.findall(r"address=(\S+)", text)
    assert len(set(address)) == 1 and address[0].startswith("h:")
