"""Staff accounts and API tokens for integrations.

Roles grow in power: a viewer reads the admin API, an editor also writes the catalogue, an
admin also manages accounts and API tokens. Passwords and tokens are stored only as hashes.
Sign-in attempts are kept a short while, for the throttle (`api.throttle`).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String

from database import Base, utc_now

ROLES = ("viewer", "editor", "admin")


def role_allows(role: str, needed: str) -> bool:
    """Whether `role` has at least the power of `needed`."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


class StaffUser(Base):
    __tablename__ = "staff_user"
    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)
    name = Column(String(200))
    role = Column(String(10), nullable=False, default="viewer")
    # argon2id hash with its own salt and parameters (api.security).
    password_hash = Column(String(255), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class ApiToken(Base):
    """A bearer token for an integration. Only its SHA-256 is kept: it is shown once."""

    __tablename__ = "api_token"
    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    # Tokens are 256 random bits, so a fast hash is enough (no dictionary to guess from).
    token_hash = Column(String(64), nullable=False, unique=True)
    role = Column(String(10), nullable=False, default="viewer")
    created_by = Column(ForeignKey(StaffUser.id), index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    last_used_at = Column(DateTime(timezone=True))
    revoked = Column(Boolean, nullable=False, default=False)


class SignInAttempt(Base):
    """A failed sign-in (kept for the throttle's window), or an account's latest success from an
    address (kept a month: the addresses it signs in from are not locked by failures elsewhere).

    Neither the email nor the address is kept, only keyed hashes of them (`api.throttle`).
    """

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_account_at", "account", "at"),
        Index("ix_sign_in_attempt_address_at", "address", "at"),
    )
    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)
    account = Column(String(64), nullable=False)
    address = Column(String(64), nullable=False)
    succeeded = Column(Boolean, nullable=False, default=False)
