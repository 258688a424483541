"""The audit log: who changed which catalogue row, when and how.

Written by the catalogue's service layer (`admin.py`) on every edit, and by the erasure of a
conversation's records (`office.conversations`). The actor is kept as text, so the log stays
readable after an account is gone; the foreign keys name the account or token while it exists.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String

from database import Base, utc_now
from staff.accounts import ApiToken, StaffUser

AUDIT_ACTIONS = ("create", "update", "delete", "restore")


class AuditEntry(Base):
    """Who changed which catalogue row, when and how: the row as it was and as it became."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity_entity_id", "entity", "entity_id"),)
    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)
    # "user:anna@example.fi" or "token:ptv-sync": readable even after the account is gone.
    actor = Column(String(300), nullable=False)
    staff_user_id = Column(ForeignKey(StaffUser.id), index=True)
    api_token_id = Column(ForeignKey(ApiToken.id), index=True)
    entity = Column(String(40), nullable=False)
    entity_id = Column(String(64), nullable=False)
    action = Column(String(10), nullable=False)
    version = Column(Integer)
    before = Column(JSON)
    after = Column(JSON)
