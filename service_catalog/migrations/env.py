"""Alembic environment: the database URL comes from the shared settings."""

from alembic import context

from database import Base

# Every module that defines tables, so that autogenerate sees them all.
from office import inbox, insights  # noqa: F401
from service_catalog import models  # noqa: F401
from service_catalog.db import get_engine
from staff import accounts, audit  # noqa: F401

config = context.config
target_metadata = Base.metadata


def database_url() -> str | None:
    # `alembic -x url=...` or a caller's config attribute wins over the settings.
    return context.get_x_argument(as_dictionary=True).get("url") or config.attributes.get("url")


def run_migrations_offline() -> None:
    context.configure(
        url=database_url() or str(get_engine().url),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with get_engine(database_url()).connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode copies a table and drops the old one; with foreign keys on, that drop
            # would fail (or cascade into the rows that refer to it). Off outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        # render_as_batch: SQLite can alter tables only by copying them.
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            connection.commit()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
