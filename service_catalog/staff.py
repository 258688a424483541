"""Staff accounts, API tokens for integrations, and the audit log of catalogue edits.

Roles grow in power: a viewer reads the admin API, an editor also writes the catalogue, an
admin also manages accounts and API tokens. Passwords and tokens are stored only as hashes.
Sign-in attempts are kept a short while, for the throttle (`api.throttle`).
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, String

from service_catalog.models import Base, _now

ROLES = ("viewer", "editor", "admin")
AUDIT_ACTIONS = ("create", "update", "delete", "restore")


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
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class ApiToken(Base):
    """A bearer token for an integration. Only its SHA-256 is kept: it is shown once."""

    __tablename__ = "api_token"
    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    # Tokens are 256 random bits, so a fast hash is enough (no dictionary to guess from).
    token_hash = Column(String(64), nullable=False, unique=True)
    role = Column(String(10), nullable=False, default="viewer")
    created_by = Column(ForeignKey("staff_user.id"), index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    last_used_at = Column(DateTime(timezone=True))
    revoked = Column(Boolean, nullable=False, default=False)


class AuditEntry(Base):
    """Who changed which catalogue row, when and how: the row as it was and as it became."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity_entity_id", "entity", "entity_id"),)
    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=_now, index=True)
    # "user:anna@example.fi" or "token:ptv-sync": readable even after the account is gone.
    actor = Column(String(300), nullable=False)
    staff_user_id = Column(ForeignKey("staff_user.id"), index=True)
    api_token_id = Column(ForeignKey("api_token.id"), index=True)
    entity = Column(String(40), nullable=False)
    entity_id = Column(String(64), nullable=False)
    action = Column(String(10), nullable=False)
    version = Column(Integer)
    before = Column(JSON)
    after = Column(JSON)


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
    at = Column(DateTime(timezone=True), nullable=False, default=_now, index=True)
    account = Column(String(64), nullable=False)
    address = Column(String(64), nullable=False)
    succeeded = Column(Boolean, nullable=False, default=False)
