"""The embeddable chat widget (/widget.js, /widget.css) and the demo page at / that carries it."""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from settings import get_settings

STATIC = Path(__file__).resolve().parent.parent / "static"
# No versioned file names yet: let caches keep the widget briefly and revalidate by ETag.
ASSET_CACHE = "public, max-age=300, must-revalidate"

router = APIRouter(tags=["widget"])


def _asset(name: str, media_type: str) -> FileResponse:
    headers = {
        "Cache-Control": ASSET_CACHE,
        # A municipality's page on another origin loads these.
        "Cross-Origin-Resource-Policy": "cross-origin",
        "X-Content-Type-Options": "nosniff",
    }
    return FileResponse(STATIC / name, media_type=media_type, headers=headers)


@router.get("/widget.js", response_class=FileResponse, summary="The chat widget (embed with one script tag)")
def widget_js() -> FileResponse:
    return _asset("widget.js", "text/javascript; charset=utf-8")


@router.get("/widget.css", response_class=FileResponse, summary="The chat widget's styles")
def widget_css() -> FileResponse:
    return _asset("widget.css", "text/css; charset=utf-8")


@router.get("/", response_class=HTMLResponse, summary="Demo: a municipal page with the chat widget")
def demo_page(request: Request) -> HTMLResponse:
    """A municipal page with the widget on it; the webhook is the Rasa server of the settings."""
    page = (STATIC / "demo.html").read_text(encoding="utf-8")
    api = str(request.base_url).rstrip("/")
    page = page.replace("{{webhook}}", escape(get_settings().rasa_url)).replace("{{api}}", escape(api))
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})
