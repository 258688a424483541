"""Schema-driven fuzzing: every operation of the API's own OpenAPI schema, called with
parameters, headers and bodies generated from that schema (and with junk beside them), answers
without a server error.

schemathesis would be the usual tool, but its releases that run on pytest 8 need jsonschema
>= 4.18 and Rasa 3.6 pins jsonschema < 4.18; hypothesis-jsonschema generates from the same
schema. Deterministic (derandomize) and bounded, so it cannot be flaky or slow.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from api.main import app
from api.security import access_token_for, create_user
from service_catalog.db import new_session

SPEC = app.openapi()
METHODS = ("get", "post", "put", "patch", "delete")
EXAMPLES_PER_OPERATION = 12


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in sorted(SPEC["paths"].items())
        for method, operation in item.items()
        if method in METHODS
    ]


def _with_components(schema: dict[str, Any]) -> dict[str, Any]:
    # $refs point at #/components/...: generate with the components beside the schema.
    return {**schema, "components": SPEC.get("components", {})}


_HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


@st.composite
def requests_for(draw: st.DrawFn, path: str, operation: dict[str, Any]) -> dict[str, Any]:
    url = path
    query: dict[str, Any] = {}
    headers: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        schema = _with_components(parameter.get("schema", {}))
        value = draw(
            st.one_of(from_schema(schema), _ANY_JSON)
            if not parameter.get("required")
            else from_schema(schema)
        )
        if parameter["in"] == "path":
            url = url.replace("{" + parameter["name"] + "}", quote(str(value), safe="") or "x")
        elif parameter["in"] == "query" and value is not None:
            query[parameter["name"]] = value if isinstance(value, str | int | float) else str(value)
        elif parameter["in"] == "header":
            headers[parameter["name"]] = draw(_HEADER_TEXT)
    content = operation.get("requestBody", {}).get("content", {})
    body: dict[str, Any] = {}
    if "application/json" in content:
        schema = _with_components(content["application/json"].get("schema", {}))
        body["json"] = draw(st.one_of(from_schema(schema), _ANY_JSON))
    elif "application/x-www-form-urlencoded" in content:
        body["data"] = draw(st.dictionaries(st.sampled_from(["username", "password", "scope"]), _HEADER_TEXT))
    return {"url": url, "params": query, "headers": headers, **body}


@pytest.fixture
def admin_client(catalog_url: str) -> TestClient:
    with new_session(catalog_url) as session, session.begin():
        user = create_user(session, "fuzz@example.fi", "a long enough password", role="admin")
        token, _lifetime = access_token_for(user)
    return TestClient(app, headers={"Authorization": f"Bearer {token}"}, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("path", "method", "operation"), operations(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_no_operation_answers_with_a_server_error(
    admin_client: TestClient, path: str, method: str, operation
):
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(request=requests_for(path, operation))
    def call(request: dict[str, Any]) -> None:
        headers = {**admin_client.headers, **request.pop("headers")}
        response = admin_client.request(method.upper(), headers=headers, **request)
        assert response.status_code < 500, (method, request, response.status_code, response.text[:300])

    call()


def test_every_operation_is_fuzzed():
    assert len(operations()) > 60


def test_an_id_too_large_for_the_database_is_refused_not_a_crash(admin_client: TestClient):
    # Found by the fuzzing above: SQLite's driver overflowed on 2**63.
    assert admin_client.delete("/admin/tokens/9223372036854775808").status_code == 422
    assert admin_client.post("/admin/users/9223372036854775808/deactivate").status_code == 422


HOSTILE_BODIES = [
    b"\xff\xfe\x00{\x00}",  # not UTF-8
    b'{"name": ',  # cut short
    b"[" * 5000,  # nesting
    ('{"x": "' + "\U0001f476" * 200_000 + '"}').encode(),  # an emoji flood of 800 kB
    b"null",
]
INJECTIONS = [
    "'; DROP TABLE service; --",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "\u0000\u202e",
    "../../etc/passwd",
]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/feedback"),
        ("POST", "/admin/services"),
        ("PATCH", "/admin/services/mikkeli-neuvola"),
        ("POST", "/admin/imports/ptv"),
    ],
)
def test_hostile_bodies_get_a_clear_4xx_and_change_nothing(admin_client: TestClient, method: str, path: str):
    from sqlalchemy import func, select

    from office.insights import Rating
    from service_catalog.models import Service

    def counts() -> tuple[int, int]:
        with new_session() as session:
            return (
                session.scalar(select(func.count()).select_from(Service)),
                session.scalar(select(func.count()).select_from(Rating)),
            )

    before = counts()
    for raw in HOSTILE_BODIES:
        response = admin_client.request(
            method,
            path,
            content=raw,
            headers={**admin_client.headers, "Content-Type": "application/json", "If-Match": '"1"'},
        )
        assert 400 <= response.status_code < 500, (path, raw[:20], response.status_code, response.text[:200])
        assert response.json().get("detail"), "says what is wrong"
    assert counts() == before


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_are_only_text(admin_client: TestClient, text: str):
    assert admin_client.get("/services/search", params={"q": text}).status_code == 200
    assert admin_client.get("/admin/services", params={"q": text}).status_code < 500
    created = admin_client.post(
        "/admin/services",
        json={
            "id": "fuzz-injection",
            "type": "kohtaamispaikka",
            "municipality": "mikkeli",
            "name": {"fi": "Kahvila " + text},
        },
    )
    assert created.status_code in (201, 422), created.text[:200]
    if created.status_code == 201:
        assert admin_client.get("/admin/services/fuzz-injection").json()["name"]["fi"] == "Kahvila " + text
