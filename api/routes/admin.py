"""Catalogue administration: one CRUD router per entity, all alike.

Reading needs any staff token (viewer and up); writing needs an editor. Changing or deleting
a row needs its ETag in If-Match (428 without, 412 when someone changed it meanwhile).
DELETE is a soft delete; POST .../restore undoes it; GET .../history lists the audit entries.
"""

from typing import Any, Optional

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel

from api import schemas
from api.deps import CurrentUser, EditorUser, IfMatch, IfMatchOptional, SessionDep, etag
from service_catalog import admin
from service_catalog.admin import ENTITIES

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "no token, or an invalid one"},
    403: {"description": "the role is not enough"},
}
ROW_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 404: {"description": "no row with this id"}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ROW_ERRORS,
    409: {"description": "conflicts with the catalogue (exists, deleted, still in use)"},
    412: {"description": "If-Match does not match the row's version: someone changed it"},
    428: {"description": "If-Match is missing"},
}


def crud_router(
    entity_name: str,
    path: str,
    create_model: type[BaseModel],
    write_model: type[BaseModel],
    update_model: type[BaseModel],
    public_model: type[BaseModel],
) -> APIRouter:
    entity = ENTITIES[entity_name]
    router = APIRouter(prefix=f"/admin/{path}", tags=[f"admin: {path}"])

    def answer(row: Any, response: Response) -> dict[str, Any]:
        response.headers["ETag"] = etag(row.version)
        return admin.record(entity, row)

    @router.get("", response_model=list[public_model], responses=ERRORS, summary=f"List {path}")
    def list_rows(
        session: SessionDep,
        _user: CurrentUser,
        include_deleted: bool = Query(False, description="also soft-deleted rows"),
        limit: int = Query(500, ge=1, le=1000),
        offset: int = Query(0, ge=0),
    ) -> list[dict[str, Any]]:
        rows = admin.list_rows(session, entity, include_deleted=include_deleted, limit=limit, offset=offset)
        return [admin.record(entity, row) for row in rows]

    @router.get(
        "/{row_id}", response_model=public_model, responses=ROW_ERRORS, summary=f"Get a {entity_name}"
    )
    def get_row(row_id: str, session: SessionDep, _user: CurrentUser, response: Response) -> dict[str, Any]:
        return answer(admin.get_row(session, entity, row_id), response)

    @router.post(
        "",
        response_model=public_model,
        status_code=status.HTTP_201_CREATED,
        responses=WRITE_ERRORS,
        summary=f"Create a {entity_name}",
    )
    def create_row(
        body: create_model, session: SessionDep, user: EditorUser, response: Response
    ) -> dict[str, Any]:  # type: ignore[valid-type]
        row = admin.create(session, entity, body.dict(), user.actor)
        session.commit()
        response.headers["Location"] = f"{router.prefix}/{row.id}"
        return answer(row, response)

    @router.put(
        "/{row_id}", response_model=public_model, responses=WRITE_ERRORS, summary=f"Replace a {entity_name}"
    )
    def replace_row(
        row_id: str,
        body: write_model,
        session: SessionDep,
        user: EditorUser,
        version: IfMatch,
        response: Response,  # type: ignore[valid-type]
    ) -> dict[str, Any]:
        row = admin.update(session, entity, row_id, body.dict(), user.actor, expected_version=version)
        session.commit()
        return answer(row, response)

    @router.patch(
        "/{row_id}",
        response_model=public_model,
        responses=WRITE_ERRORS,
        summary=f"Change some fields of a {entity_name}",
    )
    def patch_row(
        row_id: str,
        body: update_model,
        session: SessionDep,
        user: EditorUser,
        version: IfMatch,
        response: Response,  # type: ignore[valid-type]
    ) -> dict[str, Any]:
        data = body.dict(exclude_unset=True)
        row = admin.update(session, entity, row_id, data, user.actor, expected_version=version, partial=True)
        session.commit()
        return answer(row, response)

    @router.delete(
        "/{row_id}",
        response_model=public_model,
        responses=WRITE_ERRORS,
        summary=f"Soft-delete a {entity_name}",
    )
    def delete_row(
        row_id: str, session: SessionDep, user: EditorUser, version: IfMatch, response: Response
    ) -> dict[str, Any]:
        row = admin.soft_delete(session, entity, row_id, user.actor, expected_version=version)
        session.commit()
        return answer(row, response)

    @router.post(
        "/{row_id}/restore",
        response_model=public_model,
        responses=WRITE_ERRORS,
        summary=f"Restore a soft-deleted {entity_name}",
    )
    def restore_row(
        row_id: str, session: SessionDep, user: EditorUser, version: IfMatchOptional, response: Response
    ) -> dict[str, Any]:
        row = admin.restore(session, entity, row_id, user.actor, expected_version=version)
        session.commit()
        return answer(row, response)

    @router.get(
        "/{row_id}/history",
        response_model=list[schemas.AuditEntryPublic],
        responses=ROW_ERRORS,
        summary=f"Who changed this {entity_name}, when and how",
    )
    def row_history(row_id: str, session: SessionDep, _user: CurrentUser) -> list[Any]:
        return admin.history(session, entity, row_id)

    return router


services = crud_router(
    "service",
    "services",
    schemas.ServiceCreate,
    schemas.ServiceWrite,
    schemas.ServiceUpdate,
    schemas.ServicePublic,
)
contacts = crud_router(
    "contact",
    "contacts",
    schemas.ContactCreate,
    schemas.ContactWrite,
    schemas.ContactUpdate,
    schemas.ContactPublic,
)
municipalities = crud_router(
    "municipality",
    "municipalities",
    schemas.MunicipalityCreate,
    schemas.MunicipalityWrite,
    schemas.MunicipalityUpdate,
    schemas.MunicipalityPublic,
)
areas = crud_router(
    "area", "areas", schemas.AreaCreate, schemas.AreaWrite, schemas.AreaUpdate, schemas.AreaPublic
)
providers = crud_router(
    "provider",
    "providers",
    schemas.ProviderCreate,
    schemas.ProviderWrite,
    schemas.ProviderUpdate,
    schemas.ProviderPublic,
)
helplines = crud_router(
    "helpline",
    "helplines",
    schemas.HelplineCreate,
    schemas.HelplineWrite,
    schemas.HelplineUpdate,
    schemas.HelplinePublic,
)
audit = APIRouter(prefix="/admin/audit", tags=["admin: audit"])


@audit.get(
    "",
    response_model=list[schemas.AuditEntryPublic],
    responses=ERRORS,
    summary="The latest catalogue changes",
)
def audit_log(
    session: SessionDep,
    _user: CurrentUser,
    entity: Optional[str] = Query(None, description="only this kind of row, e.g. service"),  # noqa: UP007
    limit: int = Query(100, ge=1, le=1000),
) -> list[Any]:
    return list(admin.audit_log(session, entity=entity, limit=limit))


routers = [services, contacts, municipalities, areas, providers, helplines, audit]
