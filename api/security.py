"""Staff sign-in: password hashes (argon2id), access tokens (JWT) and API tokens.

A staff member signs in with email and password (POST /auth/token) and gets a short-lived JWT
signed with `PK_SECRET_KEY`. An integration gets an API token from an admin: a random string
shown once and stored only as its SHA-256. Both travel as `Authorization: Bearer ...`; API
tokens start with `pk_`, which tells them apart.

A password must be at least 10 characters and hard to guess: zxcvbn (Dropbox's strength
estimator, which knows the common passwords, names, words, dates and keyboard patterns) must
rate it at least 3 of 4, "safely unguessable", with the account's email and name and our own
words counted as easy guesses. Sign-in goes through the throttle of `api.throttle`. The security
events (failed, refused and successful sign-ins, lockouts, password changes, new accounts) are
logged one line each on the `api.security` logger, naming the account by its id (or a keyed hash
of the email when there is no such account) and the address by a keyed hash, never a password.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from api import throttle
from service_catalog.admin import Actor
from settings import get_settings
from staff.accounts import ROLES, ApiToken, StaffUser

API_TOKEN_PREFIX = "pk_"
JWT_ALGORITHM = "HS256"
_hasher = PasswordHasher()

MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS = 10, 200
MIN_PASSWORD_SCORE = 3  # of zxcvbn's 0-4
# zxcvbn's time grows with the length, so it refuses more than 72 characters: a password that
# long is judged by its first 72.
_ESTIMATED_CHARS = 72
# Words a guesser tries first here that zxcvbn's English and common-password lists lack.
_OUR_WORDS = (
    "perhekeskus", "perheneuvo", "neuvola", "hyvinvointialue", "salasana", "lösenord", "kirjaudu",
    "tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu", "elokuu",
    "syyskuu", "lokakuu", "marraskuu", "joulukuu", "kevät", "kesä", "syksy", "talvi", "suomi",
)  # fmt: skip

security_log = logging.getLogger("api.security")
# Security events are INFO and WARNING; the root logger stops INFO unless an operator set a level.
if security_log.level == logging.NOTSET:
    security_log.setLevel(logging.INFO)


class AccountError(ValueError):
    """A staff account or token cannot be created as asked."""


class WrongPassword(AccountError):
    """The current password given to change it is not the account's."""


class SignInLocked(Exception):
    """Too many failed sign-ins: refused without checking the password until `retry_after`."""

    def __init__(self, lock: throttle.Lockout) -> None:
        self.scope = lock.scope
        self.retry_after = lock.retry_after()
        whose = "this account" if lock.scope == "account" else "your address"
        minutes = math.ceil(self.retry_after / 60)
        super().__init__(
            f"too many failed sign-ins for {whose}: try again in {minutes} minute{'s' if minutes > 1 else ''}"
        )


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


def password_problem(password: str, *, email: str = "", name: str | None = None) -> str | None:
    """Why the password may not be used, in words to show, or None when it may."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"the password must be at least {MIN_PASSWORD_CHARS} characters"
    if len(password) > MAX_PASSWORD_CHARS:
        return f"the password must be at most {MAX_PASSWORD_CHARS} characters"
    personal = f"{email} {email.partition('@')[0]} {name or ''} {''.join((name or '').split())}".lower()
    personal_words = [part for part in re.split(r"[^\w]+", personal) if len(part) > 2] + personal.split()
    estimate = zxcvbn(password[:_ESTIMATED_CHARS], user_inputs=[*_OUR_WORDS, *personal_words])
    if estimate["score"] >= MIN_PASSWORD_SCORE:
        return None
    warning = estimate["feedback"].get("warning", "").rstrip(".")
    why = f" ({warning[0].lower()}{warning[1:]})" if warning else ""
    return (
        f"the password is too easy to guess{why}: use a few unrelated words, "
        "a long password that is easy to remember"
    )


def _check_password(password: str, *, email: str, name: str | None) -> None:
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise AccountError(problem)


def _address_label(address: str) -> str:
    return "h:" + throttle.address_key(address)[:12]


def _account_label(session: Session, email: str) -> str:
    user_id = session.scalar(select(StaffUser.id).where(func.lower(StaffUser.email) == email))
    return f"user:{user_id}" if user_id is not None else "h:" + throttle.account_key(email)[:12]


def create_user(
    session: Session, email: str, password: str, *, role: str = "viewer", name: str | None = None
) -> StaffUser:
    """A new staff account (the caller commits)."""
    email = _normal_email(email)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email:
        raise AccountError(f"not an email address: {email!r}")
    _check_password(password, email=email, name=name)
    if session.scalar(select(StaffUser.id).where(func.lower(StaffUser.email) == email)) is not None:
        raise AccountError(f"an account for {email} exists already")
    user = StaffUser(email=email, name=name, role=role, password_hash=hash_password(password), active=True)
    session.add(user)
    session.flush()
    security_log.info("security event=account_created account=user:%s role=%s", user.id, role)
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


class _Attempt:
    """One check of a password behind the throttle, with its security events logged."""

    def __init__(self, session: Session, email: str, address: str, label: str) -> None:
        self.session, self.label, self.where = session, label, _address_label(address)
        self.keys = (throttle.account_key(email), throttle.address_key(address))

    def refuse_if_locked(self, event: str) -> None:
        lock = throttle.lockout(self.session, *self.keys)
        if lock is None:
            return
        refused = SignInLocked(lock)
        security_log.warning(
            "security event=%s account=%s address=%s locked=%s retry_after=%d",
            event, self.label, self.where, lock.scope, refused.retry_after,
        )  # fmt: skip
        raise refused

    def failed(self, event: str) -> None:
        started = throttle.record_failure(self.session, *self.keys)
        security_log.warning("security event=%s account=%s address=%s", event, self.label, self.where)
        if started is not None:
            security_log.warning(
                "security event=lockout account=%s address=%s locked=%s until=%s",
                self.label, self.where, started.scope, started.until.isoformat(timespec="seconds"),
            )  # fmt: skip

    def succeeded(self, event: str) -> None:
        throttle.record_success(self.session, *self.keys)
        security_log.info("security event=%s account=%s address=%s", event, self.label, self.where)


def sign_in(session: Session, email: str, password: str, address: str) -> StaffUser | None:
    """`authenticate` behind the throttle: the account, None for a failure, or SignInLocked.

    Every outcome is counted and logged; the caller commits (a failure too)."""
    email = _normal_email(email)
    attempt = _Attempt(session, email, address, _account_label(session, email))
    attempt.refuse_if_locked("sign_in_refused")
    user = authenticate(session, email, password)
    if user is None:
        attempt.failed("sign_in_failed")
        return None
    attempt.succeeded("sign_in")
    return user


def change_password(session: Session, user: StaffUser, current: str, new: str, address: str) -> None:
    """Sets a new password once the current one is proven (the caller commits).

    The current password is checked behind the sign-in throttle and counts like a sign-in, so a
    stolen session cannot be used to guess it. Raises SignInLocked, WrongPassword or AccountError."""
    attempt = _Attempt(session, _normal_email(user.email), address, f"user:{user.id}")
    attempt.refuse_if_locked("password_change_refused")
    if not verify_password(user.password_hash, current):
        attempt.failed("password_change_failed")
        raise WrongPassword("the current password is wrong")
    if new == current:
        raise AccountError("the new password is the same as the current one")
    _check_password(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new)
    attempt.succeeded("password_changed")


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
