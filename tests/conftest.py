"""Shared fixtures: the database every test runs on, and a real ``Service`` on it.

``database_url`` is a fresh SQLite file at the newest schema by default. With
``FIXBOT_TEST_DATABASE_URL`` set (CI sets it to its PostgreSQL) each test gets
its own PostgreSQL schema instead (via ``search_path``), upgraded to head and
dropped afterwards. Tests marked ``postgres`` use ``postgres_url`` and run
against ``FIXBOT_TEST_POSTGRES_URL`` whatever the default database is.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from bot.store import schema
from bot.store.database import create_engine_for, normalise_url
from bot.store.unit_of_work import Store

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/fixbot_test"


def _postgres_base_url() -> str:
    return os.environ.get("FIXBOT_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def _postgres_reachable(url: str) -> str | None:
    """None when ``url`` answers (creating its database if missing), else why not."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    engine = create_engine_for(url, poolclass=_null_pool())
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except Exception as error:
        if "does not exist" not in str(error):
            return str(error).splitlines()[0]
    finally:
        engine.dispose()
    # The server answers but the database is missing: make it.
    parsed = make_url(normalise_url(url))
    admin = create_engine_for(
        parsed.set(database="postgres").render_as_string(hide_password=False),
        poolclass=_null_pool(),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
        return None
    except Exception as error:
        return str(error).splitlines()[0]
    finally:
        admin.dispose()


def _null_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool


@pytest.fixture(scope="session")
def postgres_base_url() -> str:
    """The PostgreSQL test database; skips when it is down, except in CI where it must run."""
    url = _postgres_base_url()
    problem = _postgres_reachable(url)
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {url} is unreachable in CI: {problem}")
        pytest.skip(f"PostgreSQL unreachable: {problem}")
    return url


def _schema_url(base_url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(normalise_url(base_url))
    return parsed.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture
def empty_postgres_url(postgres_base_url: str) -> Iterator[str]:
    """A URL whose tables all land in a new, empty schema, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine_for(postgres_base_url, poolclass=_null_pool())
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {name}")
    try:
        yield _schema_url(postgres_base_url, name)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        admin.dispose()


@pytest.fixture
def postgres_url(empty_postgres_url: str) -> str:
    """A PostgreSQL schema of its own at the newest migration (tests marked ``postgres``)."""
    _upgrade(empty_postgres_url)
    return empty_postgres_url


def _upgrade(url: str) -> None:
    engine = create_engine_for(url, poolclass=_null_pool())
    try:
        schema.upgrade(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file upgraded to head; each test copies it (faster than migrating)."""
    path = tmp_path_factory.mktemp("template") / "fixbot.sqlite3"
    _upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database (no tables) of the kind this run tests."""
    if os.environ.get("FIXBOT_TEST_DATABASE_URL"):
        return str(request.getfixturevalue("empty_postgres_url"))
    return f"sqlite:///{tmp_path / 'empty.sqlite3'}"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The bot's database for one test, at the newest schema: SQLite, or PostgreSQL in CI."""
    if os.environ.get("FIXBOT_TEST_DATABASE_URL"):
        return str(request.getfixturevalue("postgres_url"))
    path = tmp_path / "fixbot.sqlite3"
    shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


def _model_cache_dir() -> Path | None:
    value = os.environ.get("FIXBOT_MODEL_CACHE_DIR")
    return Path(value) if value else None


@pytest.fixture(scope="session", autouse=True)
def _model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Fitted models go to a cache of this test session, never the user's cache directory."""
    directory = tmp_path_factory.mktemp("model-cache")
    before = os.environ.get("FIXBOT_MODEL_CACHE_DIR")
    os.environ["FIXBOT_MODEL_CACHE_DIR"] = str(directory)
    yield directory
    if before is None:
        os.environ.pop("FIXBOT_MODEL_CACHE_DIR", None)
    else:
        os.environ["FIXBOT_MODEL_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def shipped_knowledge() -> Any:
    from bot.knowledge import default_knowledge_dir, load_knowledge

    return load_knowledge(default_knowledge_dir())


@pytest.fixture(scope="session")
def shipped_classifier(shipped_knowledge: Any) -> Any:
    from bot.understanding.matcher import Matcher

    return Matcher.build(shipped_knowledge, Settings().matcher, cache_dir=_model_cache_dir())


@pytest.fixture
def service(settings: Settings, shipped_knowledge: Any, shipped_classifier: Any) -> Iterator[Any]:
    """A real ``Service`` and dialog on ``database_url``, shipped knowledge and matcher."""
    from bot.service import Service
    from bot.store.database import open_database

    built = Service(Store(open_database(settings)), shipped_knowledge, shipped_classifier, settings)
    try:
        yield built
    finally:
        built.close()
