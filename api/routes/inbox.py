"""The call-me-back inbox for staff: viewers may list and read; editors claim, close, note."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query

from api.deps import CurrentUser, EditorUser, SessionDep
from api.schemas import CallbackNoteCreate, CallbackRequestPublic
from office import inbox
from office.inbox import CallbackRequest

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "no token, or an invalid one"},
    403: {"description": "the role is not enough (claim, close and notes need an editor)"},
}
ROW_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 404: {"description": "no request with this id"}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ROW_ERRORS,
    409: {"description": "closed already, or claimed by a colleague"},
}

router = APIRouter(prefix="/inbox", tags=["inbox"])


@router.get(
    "", response_model=list[CallbackRequestPublic], responses=ERRORS, summary="List call-me-back requests"
)
def list_requests(
    session: SessionDep,
    _user: CurrentUser,
    municipality: str | None = Query(None, description="a municipality id, e.g. mikkeli"),
    status: Literal["new", "claimed", "closed"] | None = Query(None),
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[CallbackRequest]:
    return inbox.list_requests(
        session, municipality_id=municipality, status=status, limit=limit, offset=offset
    )


@router.get(
    "/{request_id}", response_model=CallbackRequestPublic, responses=ROW_ERRORS, summary="Get a request"
)
def get_request(request_id: str, session: SessionDep, _user: CurrentUser) -> CallbackRequest:
    return inbox.get_request(session, request_id)


@router.post(
    "/{request_id}/claim",
    response_model=CallbackRequestPublic,
    responses=WRITE_ERRORS,
    summary="Claim a request",
)
def claim(request_id: str, session: SessionDep, user: EditorUser) -> CallbackRequest:
    request = inbox.claim(session, request_id, user.actor.staff_user_id)
    session.commit()
    return request


@router.post(
    "/{request_id}/close",
    response_model=CallbackRequestPublic,
    responses=WRITE_ERRORS,
    summary="Close a request",
)
def close(request_id: str, session: SessionDep, user: EditorUser) -> CallbackRequest:
    request = inbox.close(session, request_id, user.actor.staff_user_id)
    session.commit()
    return request


@router.post(
    "/{request_id}/notes", response_model=CallbackRequestPublic, responses=ROW_ERRORS, summary="Add a note"
)
def add_note(
    request_id: str, body: CallbackNoteCreate, session: SessionDep, user: EditorUser
) -> CallbackRequest:
    request = inbox.add_note(session, request_id, user.actor.label, body.text)
    session.commit()
    return request
