"""The widget's files and the demo page, as the API serves them."""

from fastapi.testclient import TestClient

from api.main import app
from settings import get_settings


def test_the_widget_is_served_with_its_content_types_and_cache_headers():
    client = TestClient(app)
    script = client.get("/widget.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "max-age=" in script.headers["cache-control"] and script.headers.get("etag")
    assert "attachShadow" in script.text
    style = client.get("/widget.css")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    again = client.get("/widget.js", headers={"If-None-Match": script.headers["etag"]})
    assert again.status_code in (200, 304)


def test_the_demo_page_embeds_the_widget_with_the_configured_webhook(monkeypatch):
    monkeypatch.setenv("PK_RASA_URL", "http://rasa.example:5005")
    get_settings.cache_clear()
    try:
        page = TestClient(app).get("/")
    finally:
        get_settings.cache_clear()
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/widget.js" data-webhook="http://rasa.example:5005"' in page.text
    assert "{{" not in page.text


def test_the_widget_posts_ratings_to_the_api_it_was_loaded_from():
    script = TestClient(app).get("/widget.js").text
    assert 'new URL("/feedback", script.src)' in script
    assert "postRating(" in script and "sessionStorage" in script  # sent, and kept locally too
