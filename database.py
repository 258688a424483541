"""The declarative base every table of ours shares: the catalogue's, the staff's and the
office's, in one database and one Alembic history (`service_catalog/migrations`).

On the ground floor so that each of those packages can define its tables without importing
another's. A foreign key names its table's class, not the table's name as a string: importing
the model then registers the table it refers to, which a string would leave to whatever else
the process happened to import (and a flush without it fails with NoReferencedTableError).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import declarative_base

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base: Any = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
