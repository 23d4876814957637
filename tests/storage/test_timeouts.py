"""Bounded waits: a silent, locked or unreachable database ends in ServiceUnavailable, never a hang.

The silent cases go through ``SilentProxy`` in front of a real PostgreSQL: the
connection stays up and nothing comes back, which no server-side timeout can
catch. Deadlines are short here (the smallest libpq allows for connecting);
the defaults' figures are measured by ``bench/database_timeouts.py``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.service import Service, ServiceUnavailable
from bot.settings import DatabaseTimeouts, Settings
from bot.store.database import normalise_url, open_database
from bot.store.errors import DatabaseUnavailable
from bot.store.unit_of_work import Store
from tests.fake_dialog import NoClassifier, advance
from tests.storage.conftest import inbound, rows
from tests.storage.silent_proxy import SilentProxy
from tests.unit.dialog.dialog_support import fixture_knowledge

SHORT = DatabaseTimeouts(
    connect_s=2, statement_s=1, lock_s=1, sqlite_busy_s=0.2, pool_s=1, unit_of_work_s=1
)


def _service(url: str, timeouts: DatabaseTimeouts = SHORT) -> Service:
    settings = Settings(database_url=url, database_timeouts=timeouts)
    store = Store(open_database(settings), timeouts)
    return Service(store, fixture_knowledge(), NoClassifier(), settings, advance)


def _through(proxy: SilentProxy, url: str) -> str:
    parsed = make_url(normalise_url(url))
    return parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


def test_start_up_against_a_port_that_never_answers_fails_with_one_line() -> None:
    with SilentProxy() as proxy:
        url = f"postgresql://postgres@127.0.0.1:{proxy.port}/fixbot"
        settings = Settings(database_url=url, database_timeouts=SHORT)
        with pytest.raises(DatabaseUnavailable) as raised:
            open_database(settings)
    message = str(raised.value)
    assert "cannot connect to the database" in message
    assert "timeout" in message
    assert "\n" not in message


@pytest.mark.postgres
def test_a_silent_database_is_an_apology_and_serving_resumes_when_it_answers(
    postgres_url: str,
) -> None:
    target = make_url(normalise_url(postgres_url))
    with SilentProxy((target.host or "127.0.0.1", target.port or 5432)) as proxy:
        service = _service(_through(proxy, postgres_url))
        try:
            assert service.handle(inbound("before", chat="c1")).replies
            proxy.silence()
            with pytest.raises(ServiceUnavailable, match="unavailable"):
                service.handle(inbound("while silent", chat="c1"))
            # A connection opened while the database is silent times out too.
            with pytest.raises(ServiceUnavailable):
                service.handle(inbound("still silent", chat="c2"))
            proxy.resume()
            assert service.handle(inbound("after", chat="c1")).replies
        finally:
            service.close()
    texts = [row[0] for row in rows(_service(postgres_url), "SELECT text FROM messages")]
    assert "while silent" not in texts
    assert "before" in texts and "after" in texts


@pytest.mark.postgres
def test_a_held_row_lock_ends_at_the_lock_timeout(postgres_url: str) -> None:
    service = _service(postgres_url)
    try:
        service.handle(inbound("first", chat="held"))
        with service.store.engine.connect() as holder:
            holder.exec_driver_sql("SELECT 1 FROM chats FOR UPDATE")
            with pytest.raises(ServiceUnavailable):
                service.handle(inbound("blocked", chat="held"))
            holder.rollback()
        assert service.handle(inbound("later", chat="held")).replies
    finally:
        service.close()


def test_a_held_sqlite_write_lock_ends_at_the_busy_timeout(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's busy timeout")
    service = _service(database_url)
    holder = sqlite3.connect(Path(make_url(database_url).database or ""), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(ServiceUnavailable, match="locked"):
            service.handle(inbound("blocked"))
        holder.execute("ROLLBACK")
        assert service.handle(inbound("later")).replies
    finally:
        holder.close()
        service.close()
