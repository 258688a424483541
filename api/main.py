"""The API application: `uvicorn api.main:app`."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from api.deps import admin_error_status, etag
from api.routes import admin, auth, conversations, imports, inbox, services, staff, widget
from api.routes import insights as insights_routes
from api.staff_ui import mount_staff_ui
from office import conversations as tracker_conversations
from office import inbox as callback_inbox
from office import insights
from privacy.masking import install_log_masking
from service_catalog.admin import AdminError, VersionMismatch
from service_catalog.db import new_session
from settings import comma_list, get_settings

install_log_masking()
app = FastAPI(
    title="Sähköinen perhekeskus API",
    version="0.2.0",
    description="Public catalogue search, and the catalogue administration for staff (`/admin`, Bearer token).",
)
# The widget runs on the municipalities' pages (PK_CORS_ORIGINS) and posts ratings here; no
# credentials travel cross-origin (staff use bearer tokens, the staff UI is same-origin).
app.add_middleware(
    CORSMiddleware,
    allow_origins=comma_list(get_settings().cors_origins),
    allow_methods=["GET", "POST"],
    allow_headers=["Content-Type"],
    max_age=86400,
)
app.include_router(services.router)
app.include_router(widget.router)
app.include_router(auth.router)
for router in admin.routers:
    app.include_router(router)
app.include_router(staff.users)
app.include_router(staff.tokens)
app.include_router(imports.router)
app.include_router(inbox.router)
app.include_router(insights_routes.feedback)
app.include_router(insights_routes.router)
app.include_router(conversations.router)
mount_staff_ui(app)  # the staff web UI at /staff


@app.exception_handler(AdminError)
def admin_error(_request: Request, error: AdminError) -> JSONResponse:
    code = admin_error_status(error)
    headers = {"ETag": etag(error.current)} if isinstance(error, VersionMismatch) and error.current else None
    return JSONResponse({"detail": str(error)}, status_code=code, headers=headers)


@app.on_event("startup")
def purge_expired_callbacks() -> None:
    # Retention: call-me-back requests older than PK_CALLBACK_RETENTION_DAYS, and the answer
    # figures, unanswered questions and ratings older than PK_INSIGHTS_RETENTION_DAYS, go at
    # each start.
    try:
        with new_session() as session, session.begin():
            callback_inbox.purge_expired(session)
            insights.purge_expired(session)
    except Exception as error:  # noqa: BLE001 (an unmigrated database must not stop the API)
        logging.getLogger(__name__).warning("could not purge old callback requests and insights: %s", error)
    try:
        tracker_conversations.purge_expired()
    except Exception as error:  # noqa: BLE001 (a tracker database that is down must not stop the API)
        logging.getLogger(__name__).warning("could not purge old conversations: %s", error)


@app.get("/health", tags=["health"])
def health() -> dict[str, str]:
    return {"status": "ok"}
