"""The API application: `uvicorn api.main:app`."""

from __future__ import annotations

from fastapi import FastAPI

from api.routes import services, widget

app = FastAPI(title="Sähköinen perhekeskus API", version="0.1.0")
app.include_router(services.router)
app.include_router(widget.router)


@app.get("/health", tags=["health"])
def health() -> dict[str, str]:
    return {"status": "ok"}
