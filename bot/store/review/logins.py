"""Login throttling and session keys for the review site, raced-safe on every backend.

A login runs in three steps so the slow password check never holds the
database: (1) ``reserve`` counts the attempt as a failure up front, with one
conditional UPDATE per key ("account:<name>", "address:<ip>") that only
succeeds while the key is below its limit and not locked, and reads the
account's hash in the same short transaction; (2) the caller verifies the
password outside any transaction; (3) ``succeeded`` takes the attempt back,
or ``failed`` locks the key once its count reached the limit. Because the
count is raised before the check, at most ``limit`` attempts per key are
ever checked, however many run at once. Unknown names are counted and
checked (against a dummy hash) exactly like known ones.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Connection, Table, and_, case, or_, select, update

from bot.settings import SecuritySettings
from bot.store.models import LoginThrottle, StaffAccount
from bot.store.records import as_utc
from bot.store.statements import insert_ignoring_conflicts

KEY_CHARS = 200  # login_throttle.key
SESSION_KEY_BYTES = 24  # 32 characters of URL-safe base64, within String(64)


_DEFAULTS = SecuritySettings()


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """How many failures each key may have before it is locked, and for how long.

    The address limit is higher than the account one: several staff may share
    one address behind a proxy, while one account is one person.
    """

    # The defaults are the settings' defaults (one place to change them).
    account_limit: int = _DEFAULTS.login_account_limit
    address_limit: int = _DEFAULTS.login_address_limit
    lockout: timedelta = timedelta(minutes=_DEFAULTS.login_lockout_minutes)

    @classmethod
    def from_settings(cls, security: SecuritySettings) -> LoginPolicy:
        return cls(
            account_limit=security.login_account_limit,
            address_limit=security.login_address_limit,
            lockout=timedelta(minutes=security.login_lockout_minutes),
        )


@dataclass(frozen=True, slots=True)
class Reservation:
    """The outcome of ``reserve``: whether the password may be checked, and against what."""

    allowed: bool
    keys: tuple[str, ...]
    failures: int  # the account key's count, this attempt included
    locked_until: datetime | None
    password_hash: str | None  # None: no such account (check against a dummy hash)


def throttle_keys(name: str, address: str) -> tuple[str, ...]:
    """The keys one attempt counts against: the account name and, when known, the address."""
    keys = [("account:" + name)[:KEY_CHARS]]
    if address:
        keys.append(("address:" + address)[:KEY_CHARS])
    return tuple(keys)


def reserve(
    connection: Connection, name: str, address: str, now: datetime, policy: LoginPolicy
) -> Reservation:
    """Count one attempt against each key, or refuse it; roll the transaction back on refusal.

    The caller runs this in its own transaction and must roll back when
    ``allowed`` is False (no key is then counted).
    """
    keys = throttle_keys(name, address)
    limits = (policy.account_limit, policy.address_limit)
    failures = 0
    for key, limit in zip(keys, limits, strict=False):
        _ensure_row(connection, key, now)
        # An expired lock, or failures older than one lockout period, start afresh.
        connection.execute(
            update(LoginThrottle)
            .where(
                LoginThrottle.key == key,
                or_(
                    LoginThrottle.locked_until <= now,
                    and_(
                        LoginThrottle.locked_until.is_(None),
                        LoginThrottle.updated_at < now - policy.lockout,
                    ),
                ),
            )
            .values(failures=0, locked_until=None)
        )
        counted = connection.execute(
            update(LoginThrottle)
            .where(
                LoginThrottle.key == key,
                LoginThrottle.failures < limit,
                LoginThrottle.locked_until.is_(None),
            )
            .values(failures=LoginThrottle.failures + 1, updated_at=now)
            .returning(LoginThrottle.failures)
        ).scalar_one_or_none()
        if counted is None:
            locked = connection.execute(
                select(LoginThrottle.locked_until).where(LoginThrottle.key == key)
            ).scalar_one_or_none()
            until = as_utc(locked) if locked is not None else now + policy.lockout
            return Reservation(False, keys, limit, until, None)
        if key == keys[0]:
            failures = counted
    stored = connection.execute(
        select(StaffAccount.password_hash).where(StaffAccount.name == name)
    ).scalar_one_or_none()
    return Reservation(True, keys, failures, None, stored)


def _ensure_row(connection: Connection, key: str, now: datetime) -> None:
    """Insert the key's row unless it exists; a concurrent insert of the same key is fine."""
    values = {"key": key, "failures": 0, "locked_until": None, "updated_at": now}
    table = cast(Table, LoginThrottle.__table__)
    connection.execute(insert_ignoring_conflicts(connection.dialect.name, table).values(values))


def failed(
    connection: Connection, reservation: Reservation, now: datetime, policy: LoginPolicy
) -> datetime | None:
    """After a wrong password: lock every key whose count reached its limit; the account's lock."""
    until = now + policy.lockout
    account_locked: datetime | None = None
    for key, limit in zip(
        reservation.keys, (policy.account_limit, policy.address_limit), strict=False
    ):
        result = connection.execute(
            update(LoginThrottle)
            .where(
                LoginThrottle.key == key,
                LoginThrottle.failures >= limit,
                LoginThrottle.locked_until.is_(None),
            )
            .values(locked_until=until, updated_at=now)
        )
        if key == reservation.keys[0] and result.rowcount:
            account_locked = until
    return account_locked


def succeeded(connection: Connection, reservation: Reservation, now: datetime) -> None:
    """After a right password: the account starts afresh, the address takes this attempt back."""
    account, *others = reservation.keys
    connection.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == account)
        .values(failures=0, locked_until=None, updated_at=now)
    )
    for key in others:
        connection.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key)
            .values(
                failures=case((LoginThrottle.failures > 0, LoginThrottle.failures - 1), else_=0)
            )
        )


def new_session_key() -> str:
    """A fresh random session version."""
    return secrets.token_urlsafe(SESSION_KEY_BYTES)


def session_key(connection: Connection, name: str) -> str:
    """The account's session key, made now if it has none (accounts from before 0004)."""
    stored = connection.execute(
        select(StaffAccount.session_key).where(StaffAccount.name == name)
    ).scalar_one_or_none()
    if stored:
        return stored
    fresh = new_session_key()
    connection.execute(
        update(StaffAccount).where(StaffAccount.name == name).values(session_key=fresh)
    )
    return fresh


def end_sessions(connection: Connection, name: str) -> bool:
    """Replace the account's session key: every session it had ends. False: no such account."""
    result = connection.execute(
        update(StaffAccount).where(StaffAccount.name == name).values(session_key=new_session_key())
    )
    return result.rowcount == 1


def session_valid(connection: Connection, name: str, key: str) -> bool:
    """True when ``name`` exists and ``key`` is its current session key (constant time)."""
    stored = connection.execute(
        select(StaffAccount.session_key).where(StaffAccount.name == name)
    ).scalar_one_or_none()
    return bool(stored) and hmac.compare_digest(str(stored), key)


def account_lock(connection: Connection, name: str) -> tuple[int, datetime | None]:
    """The account key's failures and lock (for ``fixbot staff list``)."""
    row = connection.execute(
        select(LoginThrottle.failures, LoginThrottle.locked_until).where(
            LoginThrottle.key == throttle_keys(name, "")[0]
        )
    ).first()
    if row is None:
        return 0, None
    return int(row[0]), as_utc(row[1]) if row[1] is not None else None
