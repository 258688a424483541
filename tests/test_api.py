"""The API's public search uses the bot's ranking."""

from fastapi.testclient import TestClient

from api.main import app


def test_health():
    assert TestClient(app).get("/health").json() == {"status": "ok"}


def test_search_ranks_services_for_a_place(catalog_url):
    response = TestClient(app).get(
        "/services/search", params={"q": "perhekahvila", "municipality": "Puumala"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["municipality"] == "Puumala" and body["language"] == "fi"
    assert body["services"][0]["type"] == "kohtaamispaikka"


def test_search_refuses_an_unknown_place_and_bad_parameters(catalog_url):
    client = TestClient(app)
    assert (
        client.get("/services/search", params={"q": "neuvola", "municipality": "Atlantis"}).status_code == 404
    )
    assert client.get("/services/search", params={"q": ""}).status_code == 422
    assert client.get("/services/search", params={"q": "x", "age": -1}).status_code == 422
