"""A throw-away PostgreSQL schema for a benchmark, so a run never touches real data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url

from bot.service import Service
from bot.settings import Settings
from bot.store import schema
from bot.store.database import create_engine_for, normalise_url, open_database
from bot.store.unit_of_work import Store
from tests.fake_dialog import NoClassifier, advance

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/fixbot_test"


def base_postgres_url() -> str:
    """The PostgreSQL the benchmarks use: ``FIXBOT_TEST_POSTGRES_URL``, as the tests do."""
    return os.environ.get("FIXBOT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A URL whose tables land in a new, empty schema of ``base_url`` (its search_path),
    dropped afterwards."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine_for(base_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {name}")
    url = make_url(normalise_url(base_url))
    try:
        yield url.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        admin.dispose()


def upgrade(url: str) -> None:
    """Bring the schema at ``url`` up to date (a scratch schema starts empty)."""
    engine = create_engine_for(url)
    schema.upgrade(engine)
    engine.dispose()


def scripted_service(settings: Settings) -> Service:
    """A service on ``settings``' database with the tests' scripted dialog and no
    knowledge or matcher: what the delivery and timeout benches measure is the store."""
    return Service(
        Store(open_database(settings), settings.database_timeouts),
        None,  # type: ignore[arg-type]
        NoClassifier(),
        settings,
        advance,
    )
