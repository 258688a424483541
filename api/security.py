"""Staff sign-in: password hashes (argon2id), access tokens (JWT) and API tokens.

A staff member signs in with email and password (POST /auth/token) and gets a short-lived JWT
signed with `PK_SECRET_KEY`. An integration gets an API token from an admin: a random string
shown once and stored only as its SHA-256. Both travel as `Authorization: Bearer ...`; API
tokens start with `pk_`, which tells them apart.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service_catalog.admin import Actor
from service_catalog.settings import get_settings
from service_catalog.staff import ROLES, ApiToken, StaffUser

API_TOKEN_PREFIX = "pk_"
JWT_ALGORITHM = "HS256"
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A staff account or token cannot be created as asked."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: a signed-in staff member or an integration's API token."""

    kind: Literal["user", "token"]
    id: int
    name: str
    role: str

    @property
    def actor(self) -> Actor:
        return Actor(
            label=f"{self.kind}:{self.name}",
            staff_user_id=self.id if self.kind == "user" else None,
            api_token_id=self.id if self.kind == "token" else None,
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _normal_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session, email: str, password: str, *, role: str = "viewer", name: str | None = None
) -> StaffUser:
    """A new staff account (the caller commits)."""
    email = _normal_email(email)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email:
        raise AccountError(f"not an email address: {email!r}")
    if len(password) < 10:
        raise AccountError("the password must be at least 10 characters")
    if session.scalar(select(StaffUser.id).where(func.lower(StaffUser.email) == email)) is not None:
        raise AccountError(f"an account for {email} exists already")
    user = StaffUser(email=email, name=name, role=role, password_hash=hash_password(password), active=True)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> StaffUser | None:
    user = session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == _normal_email(email)))
    if user is None:
        _hasher.hash(password)  # about the same time as a wrong password: no account probing
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def access_token_for(user: StaffUser) -> tuple[str, int]:
    """A signed JWT for the user and its lifetime in seconds."""
    settings = get_settings()
    lifetime = settings.access_token_minutes * 60
    now = datetime.now(timezone.utc)
    claims = {"sub": str(user.id), "iat": now, "exp": now + timedelta(seconds=lifetime), "typ": "access"}
    return jwt.encode(claims, settings.secret_key, algorithm=JWT_ALGORITHM), lifetime


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(session: Session, name: str, role: str, created_by: int | None) -> tuple[ApiToken, str]:
    """A new API token row and the token itself, which is not kept anywhere."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(name=name, role=role, token_hash=_token_hash(token), created_by=created_by)
    session.add(row)
    session.flush()
    return row, token


def principal_for(session: Session, bearer: str) -> Principal | None:
    """The caller a bearer token stands for, or None when it is not (or no longer) valid."""
    if bearer.startswith(API_TOKEN_PREFIX):
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(bearer)))
        if row is None or row.revoked:
            return None
        row.last_used_at = datetime.now(timezone.utc)
        return Principal("token", row.id, row.name, row.role)
    try:
        claims = jwt.decode(
            bearer, get_settings().secret_key, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "sub"]}
        )
        user_id = int(claims["sub"])
    except (jwt.PyJWTError, ValueError):
        return None
    user = session.get(StaffUser, user_id)
    # The role and the active flag are read now, so a change applies to tokens already issued.
    if user is None or not user.active or claims.get("typ") != "access":
        return None
    return Principal("user", user.id, user.email, user.role)
