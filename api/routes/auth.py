"""Staff sign-in: email and password for a bearer token (OAuth2 password flow), behind a throttle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, constr

from api import security
from api.deps import CurrentUser, SessionDep
from api.schemas import Token
from api.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT, WINDOW, client_address
from staff.accounts import StaffUser

router = APIRouter(prefix="/auth", tags=["auth"])

_LOCKED = {
    429: {
        "description": f"too many failed sign-ins: {ACCOUNT_LIMIT} for the account or {ADDRESS_LIMIT} from "
        f"the address in {WINDOW.seconds // 60} minutes; the Retry-After header says how many seconds to wait",
    }
}


class PasswordChange(BaseModel):
    current_password: constr(min_length=1, max_length=security.MAX_PASSWORD_CHARS)  # type: ignore[valid-type]
    new_password: constr(min_length=1, max_length=security.MAX_PASSWORD_CHARS)  # type: ignore[valid-type]


def _too_many(locked: security.SignInLocked) -> HTTPException:
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS, str(locked), headers={"Retry-After": str(locked.retry_after)}
    )


@router.post(
    "/token", response_model=Token, responses={401: {"description": "wrong email or password"}, **_LOCKED}
)
def sign_in(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep
) -> Token:
    """Send `username` (your email) and `password` as a form; use the answer as a Bearer token."""
    try:
        user = security.sign_in(session, form.username, form.password, client_address(request))
    except security.SignInLocked as locked:
        raise _too_many(locked) from None
    session.commit()  # the attempt counted, or a rehashed password
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "wrong email or password", headers={"WWW-Authenticate": "Bearer"}
        )
    token, lifetime = security.access_token_for(user)
    return Token(access_token=token, expires_in=lifetime)


@router.get("/me", responses={401: {"description": "no token, or an invalid one"}})
def who_am_i(principal: CurrentUser) -> dict[str, str]:
    return {"kind": principal.kind, "name": principal.name, "role": principal.role}


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={
        401: {"description": "no token, or an invalid one"},
        403: {"description": "the current password is wrong, or the caller is an API token"},
        422: {"description": "the new password may not be used: the answer says why"},
        **_LOCKED,
    },
)
def change_password(
    body: PasswordChange, request: Request, principal: CurrentUser, session: SessionDep
) -> Response:
    """Change your own password: send the current one and the new one (at least 10 characters,
    hard to guess). Tokens already issued stay valid until they expire."""
    user = session.get(StaffUser, principal.id) if principal.kind == "user" else None
    if user is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only a staff account has a password")
    try:
        security.change_password(
            session, user, body.current_password, body.new_password, client_address(request)
        )
    except security.SignInLocked as locked:
        raise _too_many(locked) from None
    except security.WrongPassword as wrong:
        session.commit()  # the failure counted
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(wrong)) from None
    except security.AccountError as refused:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(refused)) from None
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
