"""The OpenAPI document describes every endpoint, and every admin one as secured."""

from __future__ import annotations

import jsonschema
import pytest

from api.main import app

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def spec() -> dict:
    return app.openapi()


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_every_route_is_documented(spec):
    documented = {(path, method.upper()) for path, method, _ in _operations(spec)}
    for route in app.routes:
        # The docs themselves, and the staff web UI (HTML pages mounted at /staff).
        if route.path.startswith(("/docs", "/redoc", "/openapi", "/staff")) or not hasattr(route, "methods"):
            continue
        for method in route.methods - {"HEAD", "OPTIONS"}:
            assert (route.path, method) in documented


def test_every_admin_operation_requires_the_bearer_token(spec):
    scheme = spec["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert scheme["type"] == "oauth2" and scheme["flows"]["password"]["tokenUrl"] == "/auth/token"
    admin = [(p, m, o) for p, m, o in _operations(spec) if p.startswith("/admin") or p == "/auth/me"]
    assert len(admin) > 50
    for path, method, operation in admin:
        assert operation.get("security") == [{"OAuth2PasswordBearer": []}], (method, path)
        assert "401" in operation["responses"], (method, path)
        assert operation.get("summary") and operation.get("tags"), (method, path)


def test_changes_document_if_match_and_its_errors(spec):
    for path, method, operation in _operations(spec):
        if (
            not path.startswith("/admin/")
            or method not in ("put", "patch", "delete")
            or "{row_id}" not in path
        ):
            continue
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        # Optional in the schema only so a missing one is answered 428, not 422.
        assert "required" in headers["if-match"]["description"], (method, path)
        assert {"412", "428", "404"} <= set(operation["responses"]), (method, path)


def test_the_schema_is_consistent(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]
    ids = [operation["operationId"] for _, _, operation in _operations(spec)]
    assert len(ids) == len(set(ids))
    components = spec["components"]["schemas"]
    for name, schema in components.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert "title" in schema, name

    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(spec):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in components, ref


def test_the_documented_examples_of_bodies_validate(spec):
    """A service as the docs describe it passes the documented request schema."""
    components = spec["components"]["schemas"]
    create = spec["paths"]["/admin/services"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    resolver = jsonschema.RefResolver.from_schema(spec)
    body = {
        "id": "x",
        "type": "lastenneuvola",
        "name": {"fi": "X"},
        "locations": [{"hours": {"weekly": {"mo-fr": "8:00-16:00"}}}],
    }
    jsonschema.Draft202012Validator(create, resolver=resolver).validate(body)
    assert "ServiceCreate" in components and "ServiceUpdate" in components and "ServicePublic" in components
