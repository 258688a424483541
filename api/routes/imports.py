"""Imports for editors: PTV (Palvelutietovaranto) open-API JSON, as the CLI imports it.

The body is the JSON file itself, read in chunks so a file over `ptv_import_max_bytes` is refused
(413) before it is all in memory. The import is one transaction: a broken file, or one that
would delete more than `max_delete_share` of a municipality's PTV services, changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.deps import EditorUser, SessionDep
from service_catalog.importers.common import DEFAULT_MAX_DELETE_SHARE, SyncBrakeError
from service_catalog.importers.ptv import PtvImportError, Report, import_ptv
from settings import get_settings

router = APIRouter(prefix="/admin/imports", tags=["admin: imports"])

PTV_FILE = {
    "type": "object",
    "description": "PTV open-API v11 data as `python -m service_catalog.importers.ptv --fetch CODE --save FILE` saves it",
    "properties": {
        "municipalityCodes": {
            "type": "array",
            "items": {"type": "string"},
            "description": "the municipalities the file covers (Statistics Finland codes)",
        },
        "services": {"type": "array", "items": {"type": "object"}},
        "serviceChannels": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["services"],
}


class SkippedItem(BaseModel):
    id: str
    reason: str


class ImportReport(BaseModel):
    dry_run: bool
    summary: str
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    deleted: list[str]
    skipped: list[SkippedItem]


async def _json_body(request: Request, limit: int) -> Any:
    too_large = HTTPException(
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        f"the file is larger than {limit} bytes (PK_PTV_IMPORT_MAX_BYTES); import one municipality at a time",
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():  # a chunked upload has no length to check first
        body += chunk
        if len(body) > limit:
            raise too_large
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST, f"nothing changed: the file is not JSON: {error}"
        ) from None
    except RecursionError:  # e.g. "[[[[..." thousands deep: no PTV file nests like that
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST, "nothing changed: the file nests too deeply to be a PTV export"
        ) from None


@router.post(
    "/ptv",
    response_model=ImportReport,
    summary="Import services from a PTV open-API JSON file",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": PTV_FILE}}}},
    responses={
        400: {"description": "the file is not JSON; nothing changed"},
        401: {"description": "no token, or an invalid one"},
        403: {"description": "the role is not enough (editors import)"},
        409: {"description": "the import would delete too many services; nothing changed"},
        413: {"description": "the file is too large"},
        422: {
            "description": "the file cannot be imported (shape, hours, unknown municipalities); nothing changed"
        },
    },
)
async def import_from_ptv(
    request: Request,
    session: SessionDep,
    user: EditorUser,
    dry_run: bool = Query(False, description="report what would change, save nothing"),
    max_delete_share: float = Query(
        DEFAULT_MAX_DELETE_SHARE,
        ge=0,
        le=1,
        description="refuse to delete more than this share of a covered municipality's PTV services",
    ),
) -> dict[str, Any]:
    """Creates, updates and deletes the PTV services of the municipalities the file covers, as
    `python -m service_catalog.importers.ptv` does; the audit log names you for each change."""
    data = await _json_body(request, get_settings().ptv_import_max_bytes)

    def run() -> Report:
        report = import_ptv(session, data, max_delete_share=max_delete_share, actor=user.actor)
        report.dry_run = dry_run
        if dry_run:
            session.rollback()
        else:
            session.commit()
        return report

    try:
        report = await run_in_threadpool(run)
    except PtvImportError as error:
        raise HTTPException(422, f"nothing changed: {error}") from None
    except SyncBrakeError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, f"nothing changed: {error}") from None
    return {
        "dry_run": report.dry_run,
        "summary": report.lines()[0],
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "deleted": report.deleted,
        "skipped": [{"id": item, "reason": reason} for item, reason in report.skipped],
    }
