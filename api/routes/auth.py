"""Staff sign-in: email and password for a bearer token (OAuth2 password flow)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import CurrentUser, SessionDep
from api.schemas import Token
from api.security import access_token_for, authenticate

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=Token, responses={401: {"description": "wrong email or password"}})
def sign_in(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep) -> Token:
    """Send `username` (your email) and `password` as a form; use the answer as a Bearer token."""
    user = authenticate(session, form.username, form.password)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "wrong email or password", headers={"WWW-Authenticate": "Bearer"}
        )
    session.commit()  # a rehashed password
    token, lifetime = access_token_for(user)
    return Token(access_token=token, expires_in=lifetime)


@router.get("/me", responses={401: {"description": "no token, or an invalid one"}})
def who_am_i(principal: CurrentUser) -> dict[str, str]:
    return {"kind": principal.kind, "name": principal.name, "role": principal.role}
