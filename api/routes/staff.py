"""Staff accounts and API tokens: admins only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from api.deps import AdminUser, RowId, SessionDep
from api.schemas import ApiTokenCreate, ApiTokenIssued, ApiTokenPublic, StaffUserCreate, StaffUserPublic
from api.security import AccountError, create_user, issue_api_token
from staff.accounts import ApiToken, StaffUser

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "no token, or an invalid one"},
    403: {"description": "admins only"},
}
users = APIRouter(prefix="/admin/users", tags=["admin: staff"], responses=ERRORS)
tokens = APIRouter(prefix="/admin/tokens", tags=["admin: staff"], responses=ERRORS)


@users.get("", response_model=list[StaffUserPublic])
def list_users(session: SessionDep, _admin: AdminUser) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.id)))


@users.post("", response_model=StaffUserPublic, status_code=status.HTTP_201_CREATED)
def add_user(body: StaffUserCreate, session: SessionDep, _admin: AdminUser) -> StaffUser:
    try:
        user = create_user(session, body.email, body.password, role=body.role, name=body.name)
    except AccountError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    session.commit()
    return user


@users.post(
    "/{user_id}/deactivate", response_model=StaffUserPublic, responses={404: {"description": "no such user"}}
)
def deactivate_user(user_id: RowId, session: SessionDep, admin: AdminUser) -> StaffUser:
    """The account's tokens stop working at once."""
    user = session.get(StaffUser, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no staff user {user_id}")
    if admin.kind == "user" and admin.id == user_id:
        raise HTTPException(status.HTTP_409_CONFLICT, "you cannot deactivate yourself")
    user.active = False
    session.commit()
    return user


@tokens.get("", response_model=list[ApiTokenPublic])
def list_tokens(session: SessionDep, _admin: AdminUser) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


@tokens.post("", response_model=ApiTokenIssued, status_code=status.HTTP_201_CREATED)
def add_token(body: ApiTokenCreate, session: SessionDep, admin: AdminUser) -> dict[str, Any]:
    """A token for an integration. The answer is the only time the token is shown."""
    row, token = issue_api_token(session, body.name, body.role, admin.id if admin.kind == "user" else None)
    session.commit()
    return {**ApiTokenPublic.from_orm(row).dict(), "token": token}


@tokens.delete(
    "/{token_id}", response_model=ApiTokenPublic, responses={404: {"description": "no such token"}}
)
def revoke_token(token_id: RowId, session: SessionDep, _admin: AdminUser) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no API token {token_id}")
    row.revoked = True
    session.commit()
    return row
