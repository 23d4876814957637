"""Logins cannot hurt the bot: the lockout holds under parallel attempts, the password
check holds no database lock, unknown names cost what known ones do, and sessions end."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import text

from bot.store.database import create_engine_for
from bot.store.review.logins import LoginPolicy
from bot.store.review.passwords import PasswordChecker
from bot.store.review.store import ReviewStore
from tests.web.conftest import PASSWORD, STAFF, log_in

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class CountingChecker(PasswordChecker):
    """Counts password checks; ``during`` runs inside each one (to probe the database)."""

    def __init__(self, during: Any = None) -> None:
        super().__init__(FAST)
        self.checked = 0
        self.at_once = 0
        self.most_at_once = 0
        self._count = threading.Lock()
        self._during = during

    def _check(self, stored: str, password: str) -> bool:
        with self._count:
            self.checked += 1
            self.at_once += 1
            self.most_at_once = max(self.most_at_once, self.at_once)
        try:
            if self._during is not None:
                self._during()
            return super()._check(stored, password)
        finally:
            with self._count:
                self.at_once -= 1


def _store(database_url: str, checker: PasswordChecker, **policy: Any) -> ReviewStore:
    return ReviewStore(
        create_engine_for(database_url), policy=LoginPolicy(**policy), passwords=checker
    )


def test_parallel_wrong_logins_check_at_most_the_limit(database_url):
    checker = CountingChecker()
    store = _store(database_url, checker)
    store.create_staff("kari", "hemmelig-passord")
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: store.check_login("kari", "feil"), range(100)))
    assert checker.checked <= 5
    assert not any(result.ok for result in results)
    assert all(result.locked_until is not None for result in results[-50:])
    assert not store.check_login("kari", "hemmelig-passord").ok  # locked, not even checked
    assert checker.checked <= 5


def test_the_address_limit_holds_across_names(database_url):
    checker = CountingChecker()
    store = _store(database_url, checker, address_limit=7)
    store.check_login("varm", "opp")  # makes the dummy hash (not a counted check)
    checker.checked = 0
    results = [store.check_login(f"navn{i}", "feil", "203.0.113.9") for i in range(12)]
    assert checker.checked == 7
    assert results[-1].locked_until is not None
    assert store.check_login("navn99", "feil", "198.51.100.1").locked_until is None


def test_unknown_names_take_the_same_path_as_known_ones(database_url):
    checker = CountingChecker()
    store = _store(database_url, checker)
    store.create_staff("kari", "hemmelig-passord")
    known = [store.check_login("kari", "feil") for _ in range(6)]
    checked_known = checker.checked
    unknown = [store.check_login("ukjent", "feil") for _ in range(6)]
    assert checker.checked - checked_known == checked_known == 5
    assert [r.failures for r in known] == [r.failures for r in unknown]
    assert [r.locked_until is None for r in known] == [r.locked_until is None for r in unknown]


def test_the_password_check_holds_no_database_lock(database_url):
    """While argon2 runs, another connection can write at once (SQLite: no busy wait)."""
    probe = create_engine_for(database_url)
    writes: list[int] = []

    def write_elsewhere() -> None:
        with probe.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA busy_timeout = 0")
            connection.execute(text("UPDATE staff_accounts SET created_at = created_at"))
        writes.append(1)

    checker = CountingChecker(during=write_elsewhere)
    store = _store(database_url, checker)
    store.create_staff("kari", "hemmelig-passord")
    assert store.check_login("kari", "hemmelig-passord").ok
    assert not store.check_login("kari", "feil").ok
    assert not store.check_login("ukjent", "feil").ok
    assert len(writes) == 3
    probe.dispose()


def test_one_password_check_at_a_time(database_url):
    checker = CountingChecker()
    store = _store(database_url, checker, account_limit=100)
    store.create_staff("kari", "hemmelig-passord")
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: store.check_login(f"n{i % 4}", "feil"), range(16)))
    assert checker.checked == 16
    assert checker.most_at_once == 1


def test_logout_ends_every_session_of_the_account(site, client):
    from starlette.testclient import TestClient

    assert log_in(client).status_code == 303
    with TestClient(site.app, follow_redirects=False) as other:
        other.cookies.update(client.cookies)  # a copied cookie
        assert other.get("/conversations").status_code == 200
        token = client.get("/conversations").text.split('name="csrf_token" value="')[1]
        client.post("/logout", data={"csrf_token": token.split('"')[0]})
        assert other.get("/conversations").status_code == 303


def test_password_change_and_removal_end_sessions(site, client):
    assert log_in(client).status_code == 303
    assert client.get("/conversations").status_code == 200
    site.store.set_password(STAFF, "et-helt-nytt-passord")
    assert client.get("/conversations").status_code == 303
    assert log_in(client, STAFF, "et-helt-nytt-passord").status_code == 303
    assert client.get("/conversations").status_code == 200
    copied = dict(client.cookies)
    site.store.remove_staff(STAFF)
    site.store.create_staff(STAFF, PASSWORD)  # the same name again: old cookies stay dead
    client.cookies.clear()
    client.cookies.update(copied)
    assert client.get("/conversations").status_code == 303
