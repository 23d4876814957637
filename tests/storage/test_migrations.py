"""Migrations build the whole schema from nothing, match the models, and reverse cleanly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.store import schema
from bot.store.database import create_engine_for
from bot.store.models import Base

TABLES = {
    "users",
    "chats",
    "conversations",
    "messages",
    "step_outcomes",
    "handoffs",
    "handoff_notes",
    "ratings",
    "processed_events",
    "staff_accounts",
}


def _round_trip(url: str) -> None:
    engine = create_engine_for(url)
    try:
        assert schema.current_revision(engine) is None
        schema.upgrade(engine)
        assert schema.current_revision(engine) == schema.head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        schema.downgrade(engine, "base")
        assert schema.current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_empty_database_to_head_and_back(empty_database_url):
    _round_trip(empty_database_url)


def test_upgrade_and_downgrade_on_sqlite(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'm.sqlite3'}")


@pytest.mark.postgres
def test_upgrade_and_downgrade_on_postgres(empty_postgres_url):
    _round_trip(empty_postgres_url)


def test_migrations_are_found_without_alembic_ini(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert (schema.migrations_directory() / "env.py").exists()
    assert schema.head_revision() is not None
