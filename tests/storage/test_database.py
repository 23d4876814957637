"""Engines and start-up checks: URL handling, SQLite tuning, schema and reachability errors."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.settings import Settings
from bot.store import database, schema
from bot.store.database import (
    create_engine_for,
    mask_url,
    normalise_url,
    open_database,
)
from bot.store.errors import DatabaseUnavailable, SchemaOutOfDate


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u:pw@h:5433/db", "postgresql+psycopg://u:pw@h:5433/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg2://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_urls_are_normalised_to_the_shipped_driver(given, expected):
    assert normalise_url(given) == expected


def test_mask_url_hides_the_password():
    masked = mask_url("postgresql+psycopg://fixbot:s3cret@db.example/fixbot")
    assert "s3cret" not in masked
    assert masked == "postgresql+psycopg://fixbot:***@db.example/fixbot"


def test_sqlite_is_tuned(tmp_path):
    engine = create_engine_for(f"sqlite:///{tmp_path / 'nested' / 'f.sqlite3'}")
    try:
        with engine.connect() as connection:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
    finally:
        engine.dispose()
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 1,  # NORMAL
        "foreign_keys": 1,
        "busy_timeout": database.SQLITE_BUSY_TIMEOUT_MS,
    }


def test_default_database_is_created_and_upgraded_on_first_run(tmp_path, monkeypatch):
    path = tmp_path / "data" / "fixbot.sqlite3"
    monkeypatch.setattr(database, "default_database_path", lambda: path)
    engine = open_database(Settings(database_url=None))
    try:
        assert path.exists()
        assert schema.current_revision(engine) == schema.head_revision()
    finally:
        engine.dispose()


def test_non_default_database_behind_its_migrations_stops_start_up(empty_database_url):
    engine = create_engine_for(empty_database_url)
    try:
        schema.upgrade(engine, "0001")
    finally:
        engine.dispose()
    with pytest.raises(SchemaOutOfDate) as caught:
        open_database(Settings(database_url=empty_database_url))
    message = str(caught.value)
    assert "fixbot db upgrade" in message and "\n" not in message


def test_an_empty_database_named_by_url_is_migrated_on_first_use(empty_database_url):
    engine = open_database(Settings(database_url=empty_database_url))
    try:
        assert schema.current_revision(engine) == schema.head_revision()
    finally:
        engine.dispose()


def test_a_database_with_other_tables_and_no_version_is_not_touched(empty_database_url):
    engine = create_engine_for(empty_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE someone_elses (id INTEGER)"))
    finally:
        engine.dispose()
    with pytest.raises(SchemaOutOfDate):
        open_database(Settings(database_url=empty_database_url))


@pytest.mark.postgres
def test_processes_starting_at_once_on_an_empty_postgres_migrate_it_once(empty_postgres_url):
    """Six starts at once (threads, each its own connections, as processes would have):
    the advisory lock lets one migrate; the others find it done and open it."""
    from concurrent.futures import ThreadPoolExecutor

    def start(_: int) -> str | None:
        engine = open_database(Settings(database_url=empty_postgres_url))
        try:
            return schema.current_revision(engine)
        finally:
            engine.dispose()

    with ThreadPoolExecutor(max_workers=6) as pool:
        revisions = list(pool.map(start, range(6)))
    assert revisions == [schema.head_revision()] * 6


def test_database_at_head_opens(database_url):
    engine = open_database(Settings(database_url=database_url))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 0
    finally:
        engine.dispose()


def test_unreachable_database_is_one_line_without_password():
    # Port 1 on localhost: nothing listens, the connection is refused at once.
    url = "postgresql://fixbot:Sup3rS3cret@127.0.0.1:1/fixbot?connect_timeout=2"
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database(Settings(database_url=url))
    message = str(caught.value)
    assert "Sup3rS3cret" not in message
    assert "\n" not in message
    assert message.startswith("cannot connect to the database postgresql+psycopg://fixbot:***@")


def test_not_a_url_is_a_database_error():
    from bot.store.errors import DatabaseError

    with pytest.raises(DatabaseError, match="not a database URL"):
        create_engine_for("this is not a url")
