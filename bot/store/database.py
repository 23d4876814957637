"""Engines: which database fixbot uses, how it is tuned, and the checks made at start-up.

The default is a SQLite file in the user's data directory, created and
upgraded on first run. ``FIXBOT_DATABASE_URL`` selects any other SQLAlchemy
URL; a plain ``postgresql://`` or ``postgres://`` URL is pointed at the psycopg
driver fixbot ships. Nothing here runs at import time: engines are built by
whoever needs one (the CLI, ``build_service``, tests) and disposed by them.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from bot.settings import DatabaseTimeouts, Settings, data_dir
from bot.store import schema
from bot.store.errors import DatabaseError, DatabaseUnavailable, SchemaOutOfDate

# Connection execution option: a read-only unit of work on SQLite starts a
# deferred transaction instead of taking the write lock up front.
READ_ONLY = "fixbot_read_only"
SQLITE_BUSY_TIMEOUT_MS = round(DatabaseTimeouts().sqlite_busy_s * 1000)
MIN_CONNECT_TIMEOUT_S = 2  # libpq treats less than 2 s as 2 s
logger = logging.getLogger(__name__)


def default_database_path() -> Path:
    """The SQLite file used when ``FIXBOT_DATABASE_URL`` is not set."""
    return data_dir() / "fixbot.sqlite3"


def default_database_url() -> str:
    return f"sqlite:///{default_database_path()}"


def normalise_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` (no driver) -> ``postgresql+psycopg://``."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***``, safe to print."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        # Not parseable: show only the scheme, the rest may hold a secret.
        return url.split(":", 1)[0] + ":..."


def create_engine_for(
    url: str, *, timeouts: DatabaseTimeouts | None = None, **options: Any
) -> Engine:
    """An engine for ``url`` (normalised), with fixbot's SQLite tuning when it is SQLite.

    Connecting and SQLite's lock wait are always bounded. With ``timeouts`` (a
    serving process) PostgreSQL statements, lock waits and the pool's wait are
    bounded too; without them (migrations, tests, tools) a statement may run long.
    """
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"FIXBOT_DATABASE_URL is not a database URL: {mask_url(url)}") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, **options)
            busy_s = (timeouts or DatabaseTimeouts()).sqlite_busy_s
            _tune_sqlite(engine, round(busy_s * 1000))
        else:
            if "poolclass" not in options:
                options = {"pool_size": 10, "max_overflow": 10, **options}
                if timeouts is not None:
                    options["pool_timeout"] = timeouts.pool_s
            if parsed.get_backend_name() == "postgresql":
                connect_args = _postgres_connect_args(timeouts)
                url_options = parsed.query.get("options")
                if "options" in connect_args and isinstance(url_options, str):
                    # connect_args would replace the URL's own options (a search_path...).
                    connect_args["options"] = f"{url_options} {connect_args['options']}"
                options["connect_args"] = {**connect_args, **options.get("connect_args", {})}
            engine = create_engine(parsed, **options)
    except (NoSuchModuleError, ImportError) as error:
        raise DatabaseError(f"no driver for {mask_url(url)}: {error}") from None
    return engine


def _postgres_connect_args(timeouts: DatabaseTimeouts | None) -> dict[str, Any]:
    """libpq's connect timeout, and with ``timeouts`` the server's statement and lock timeouts."""
    chosen = timeouts or DatabaseTimeouts()
    args: dict[str, Any] = {
        "connect_timeout": max(MIN_CONNECT_TIMEOUT_S, math.ceil(chosen.connect_s))
    }
    if timeouts is not None:
        statement_ms = round(timeouts.statement_s * 1000)
        lock_ms = round(timeouts.lock_s * 1000)
        args["options"] = f"-c statement_timeout={statement_ms} -c lock_timeout={lock_ms}"
    return args


def _tune_sqlite(engine: Engine, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
    """WAL, synchronous=NORMAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE.

    pysqlite's own transaction handling is switched off (as SQLAlchemy's docs
    describe) so that a unit of work is a write transaction from its first
    statement: two events of one chat then run one after the other instead of
    failing to upgrade a read lock.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def check_reachable(engine: Engine) -> None:
    """Connect once; an unreachable database is a one-line ``DatabaseUnavailable``."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (DBAPIError, SQLAlchemyError) as error:
        reason = first_line(error)
        if engine.url.password:
            reason = reason.replace(str(engine.url.password), "***")
        raise DatabaseUnavailable(
            f"cannot connect to the database {engine.url.render_as_string(hide_password=True)}: "
            f"{reason}"
        ) from None


def first_line(error: BaseException) -> str:
    """The driver's own message, first line only, without SQLAlchemy's background link."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def open_database(settings: Settings) -> Engine:
    """The engine fixbot runs on, checked: reachable and with its schema at head.

    The default SQLite file is created and upgraded here, and so is any empty
    database ``FIXBOT_DATABASE_URL`` names (there is nothing in it to lose). A
    database with fixbot's tables behind its migrations must be upgraded on
    purpose (``fixbot db upgrade``, after a backup), so it stops start-up with a
    one-line ``SchemaOutOfDate``.
    """
    url = settings.database_url or default_database_url()
    engine = create_engine_for(url, timeouts=settings.database_timeouts)
    try:
        check_reachable(engine)
        if settings.database_url is None:
            schema.upgrade(engine)
        else:
            with _migration_lock(engine):
                migrate_if_empty(engine)
            require_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


# pg_advisory_lock's key for "migrating an empty database": any 64-bit number no
# other program on the server uses; the ASCII of "fixbotdb".
MIGRATION_LOCK_KEY = 0x6669786269746462


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """On PostgreSQL, one process at a time past this point (a session advisory lock):
    several workers starting at once on an empty database migrate it once. SQLite's
    own write lock (BEGIN IMMEDIATE) already serialises the migration."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()


def migrate_if_empty(engine: Engine) -> bool:
    """Create fixbot's tables in a database with no tables at all; True if it did.

    Run under ``_migration_lock``: the second process to get here finds the
    tables the first made and leaves them alone.
    """
    if schema.current_revision(engine) is not None:
        return False
    with engine.connect() as connection:
        if inspect(connection).get_table_names():
            return False  # someone else's tables, or ours without a version: do not guess
    schema.upgrade(engine)
    logger.info("the database %s was empty: fixbot's tables created", mask_url(str(engine.url)))
    return True


def require_head(engine: Engine) -> None:
    """Raise ``SchemaOutOfDate`` unless the database is at the newest migration."""
    try:
        current = schema.current_revision(engine)
    except (DBAPIError, SQLAlchemyError) as error:
        raise DatabaseUnavailable(f"cannot read the schema version: {first_line(error)}") from None
    head = schema.head_revision()
    if current != head:
        found = current or "empty"
        raise SchemaOutOfDate(
            f"the database schema is at {found}, fixbot needs {head}: run `fixbot db upgrade`"
        )
