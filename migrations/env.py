"""Alembic environment: runs migrations on the connection ``bot.store.schema`` hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        # Plain `alembic` usage with a URL in the config: make our own engine.
        from bot.store.database import normalise_url

        engine = create_engine(normalise_url(config.get_main_option("sqlalchemy.url") or ""))
        with engine.begin() as own:
            _migrate(own)
        engine.dispose()
    else:
        _migrate(connection)


def _migrate(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
