"""Migrations build the whole schema from nothing, match the models, and reverse cleanly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

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


def _alembics_current(engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _round_trip(url: str) -> None:
    engine = create_engine_for(url)
    try:
        assert schema.current_revision(engine) is None
        assert _alembics_current(engine) is None
        schema.upgrade(engine, "0002")
        assert schema.current_revision(engine) == _alembics_current(engine) == "0002"
        schema.upgrade(engine)
        assert schema.current_revision(engine) == schema.head_revision()
        assert schema.current_revision(engine) == _alembics_current(engine)
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


def test_the_newest_migration_is_alembics_head():
    from alembic.script import ScriptDirectory

    alembics = ScriptDirectory.from_config(schema.alembic_config()).get_current_head()
    assert schema.head_revision() == alembics


def _migration(directory, name: str, revision: str, down: str) -> None:
    (directory / f"{name}.py").write_text(
        f'"""{name}"""\nrevision: str = "{revision}"\ndown_revision = {down}\n',
        encoding="utf-8",
    )


def test_the_newest_migration_follows_merges_and_refuses_two_heads(tmp_path):
    _migration(tmp_path, "a", "a1", "None")
    _migration(tmp_path, "b", "b1", '"a1"')
    _migration(tmp_path, "c", "c1", '"a1"')
    with pytest.raises(RuntimeError, match="one newest migration"):
        schema.head_revision(tmp_path)
    _migration(tmp_path, "d", "d1", '("b1", "c1")')
    assert schema.head_revision(tmp_path) == "d1"


def _search_text_round_trip(url: str) -> None:
    """0003 adds ``conversations.search_text`` filled from the stored messages, and its
    downgrade takes the column away again without touching anything else."""
    from datetime import UTC, datetime

    from bot.store.search import searchable

    engine = create_engine_for(url)
    at = datetime(2026, 11, 1, tzinfo=UTC)
    texts = {
        1: ["Mailen  OPPDATERES ikke", "", "på iPhonen 100%"],
        2: [],
        3: ["x" * 700, "ord " * 200, "for sent"],
    }
    try:
        schema.upgrade(engine, "0002")
        with engine.begin() as connection:
            for cid, said in texts.items():
                connection.exec_driver_sql(
                    "INSERT INTO users (id, platform, external_id, language_chosen, created_at) "
                    f"VALUES ({cid}, 't', 'u{cid}', false, '{at.isoformat()}')"
                )
                connection.exec_driver_sql(
                    f"INSERT INTO chats (id, platform, chat_key) VALUES ({cid}, 't', 'c{cid}')"
                )
                connection.exec_driver_sql(
                    "INSERT INTO conversations (id, chat_id, user_id, platform, status, language, "
                    f"state, started_at, updated_at) VALUES ({cid}, {cid}, {cid}, 't', 'active', "
                    f"'nb', '{{}}', '{at.isoformat()}', '{at.isoformat()}')"
                )
                for said_text in said:
                    for direction in ("in", "out"):
                        connection.execute(
                            text(
                                "INSERT INTO messages (conversation_id, direction, text, "
                                "created_at) VALUES (:cid, :direction, :text, :at)"
                            ),
                            {"cid": cid, "direction": direction, "text": said_text, "at": at},
                        )
        schema.upgrade(engine, "0003")
        with engine.connect() as connection:
            found = dict(
                connection.exec_driver_sql("SELECT id, search_text FROM conversations").all()
            )
        assert found == {cid: searchable(said) for cid, said in texts.items()}
        assert found[1] == "mailen oppdateres ikke\npå iphonen 100%"
        schema.downgrade(engine, "0002")
        columns = {column["name"] for column in inspect(engine).get_columns("conversations")}
        assert "search_text" not in columns
        with engine.connect() as connection:  # nothing cascaded away with the column
            counts = connection.exec_driver_sql(
                "SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM messages)"
            ).one()
        assert tuple(counts) == (3, 2 * sum(len(said) for said in texts.values()))
        schema.upgrade(engine)
        assert schema.current_revision(engine) == schema.head_revision()
    finally:
        engine.dispose()


def test_search_text_migration_on_sqlite(tmp_path):
    _search_text_round_trip(f"sqlite:///{tmp_path / 's.sqlite3'}")


@pytest.mark.postgres
def test_search_text_migration_on_postgres(empty_postgres_url):
    _search_text_round_trip(empty_postgres_url)
