"""Dependencies shared by the routes: the session, the caller and their role, If-Match."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Path, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from api.security import Principal, principal_for
from service_catalog.admin import AdminError, Conflict, InvalidData, NotFound, VersionMismatch
from service_catalog.db import new_session
from staff.accounts import role_allows


def get_session() -> Iterator[Session]:
    # One session per request; a route that writes commits its unit of work itself.
    with new_session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

# API tokens of integrations travel the same way as staff access tokens.
oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/auth/token",
    auto_error=False,
    description="Staff: sign in with email and password. Integrations: send the API token as a Bearer token.",
)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"})


def current_principal(session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Principal:
    if not token:
        raise _unauthorized("sign in first: send 'Authorization: Bearer <token>'")
    principal = principal_for(session, token)
    if principal is None:
        raise _unauthorized("the token is not valid, has expired or was revoked")
    if principal.kind == "token":
        session.commit()  # its last_used_at
    return principal


def require_role(role: str) -> Callable[[Principal], Principal]:
    def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not role_allows(principal.role, role):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"this needs the {role} role; you are {principal.role}"
            )
        return principal

    return check


CurrentUser = Annotated[Principal, Depends(current_principal)]
EditorUser = Annotated[Principal, Depends(require_role("editor"))]
AdminUser = Annotated[Principal, Depends(require_role("admin"))]

_ETAG = re.compile(r'\s*(?:W/)?"?(\d+)"?\s*')


def etag(version: int) -> str:
    return f'"{version}"'


def required_version(
    if_match: Annotated[
        str | None,
        Header(description="the row's ETag (its version) as you read it; required to change the row"),
    ] = None,
) -> int:
    if if_match is None:
        raise HTTPException(
            status.HTTP_428_PRECONDITION_REQUIRED,
            "send If-Match with the ETag you read (GET the row first), so no one's edit is overwritten unseen",
        )
    match = _ETAG.fullmatch(if_match)
    if not match:
        raise HTTPException(
            status.HTTP_412_PRECONDITION_FAILED, f"If-Match {if_match!r} is not a version of this row"
        )
    return int(match[1])


def optional_version(
    if_match: Annotated[str | None, Header(description="the row's ETag; optional here")] = None,
) -> int | None:
    return None if if_match is None else required_version(if_match)


ADMIN_ERROR_STATUS = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    InvalidData: 422,
    VersionMismatch: status.HTTP_412_PRECONDITION_FAILED,
}


def admin_error_status(error: AdminError) -> int:
    """The HTTP status of a catalogue write that cannot be done, for the API and the staff UI alike."""
    return next((code for kind, code in ADMIN_ERROR_STATUS.items() if isinstance(error, kind)), 400)


# A database integer id: larger numbers are refused with 422 before they overflow the driver.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]

IfMatch = Annotated[int, Depends(required_version)]
IfMatchOptional = Annotated[int | None, Depends(optional_version)]
