"""The review site's writes: handoff claim/note/close, staff accounts and their logins.

Every change is one conditional UPDATE or INSERT, so two staff clicking at the
same moment cannot both claim a case, and failed logins are counted in the
database (per account) where every review process sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, insert, select, update

from bot.store.models import Handoff, HandoffNote, StaffAccount
from bot.store.records import as_utc

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MAX_NAME_CHARS = 100
MAX_NOTE_CHARS = 4000

_hasher = PasswordHasher()  # configuration only; hashing happens per call


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so a wrong name costs as long as a
    wrong password. Made on first use, not at import."""
    return _hasher.hash("fixbot-no-such-account")


class StaffError(Exception):
    """A staff account change that cannot be made; the message is one line."""


def claim_handoff(connection: Connection, handoff_id: int, staff: str, now: datetime) -> bool:
    """Claim an open handoff for ``staff``; False when it is not open (any more)."""
    result = connection.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status == "open")
        .values(status="claimed", claimed_by=staff, claimed_at=now)
    )
    return result.rowcount == 1


def close_handoff(connection: Connection, handoff_id: int, staff: str, now: datetime) -> bool:
    """Close an open or claimed handoff; an unclaimed one is claimed by the closer too."""
    result = connection.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status.in_(("open", "claimed")))
        .values(status="closed", closed_by=staff, closed_at=now)
    )
    if result.rowcount == 1:
        connection.execute(
            update(Handoff)
            .where(Handoff.id == handoff_id, Handoff.claimed_by.is_(None))
            .values(claimed_by=staff, claimed_at=now)
        )
    return result.rowcount == 1


def add_note(connection: Connection, handoff_id: int, staff: str, text: str, now: datetime) -> bool:
    """Add a note to a handoff; False when the handoff does not exist or the note is empty."""
    text = text.strip()[:MAX_NOTE_CHARS]
    if not text:
        return False
    found = connection.execute(select(Handoff.id).where(Handoff.id == handoff_id)).first()
    if found is None:
        return False
    connection.execute(
        insert(HandoffNote).values(handoff_id=handoff_id, author=staff, text=text, created_at=now)
    )
    return True


@dataclass(frozen=True, slots=True)
class StaffRow:
    name: str
    created_at: datetime
    failed_logins: int
    locked_until: datetime | None


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def check_staff_name(name: str) -> str:
    """``name`` as stored, or ``StaffError`` if it cannot be a login name."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_CHARS or not all(c.isprintable() for c in name):
        raise StaffError(f"staff names are 1-{MAX_NAME_CHARS} characters without spaces")
    if any(c.isspace() for c in name):
        raise StaffError(f"staff names are 1-{MAX_NAME_CHARS} characters without spaces")
    return name


def create_staff(connection: Connection, name: str, password: str, now: datetime) -> None:
    """Add a staff account; ``StaffError`` if the name is taken or unusable."""
    name = check_staff_name(name)
    if not password:
        raise StaffError("the password is empty")
    taken = connection.execute(select(StaffAccount.id).where(StaffAccount.name == name)).first()
    if taken is not None:
        raise StaffError(f"staff account {name!r} already exists")
    connection.execute(
        insert(StaffAccount).values(
            name=name,
            password_hash=hash_password(password),
            failed_logins=0,
            locked_until=None,
            created_at=now,
        )
    )


def remove_staff(connection: Connection, name: str) -> bool:
    """Remove a staff account; False when there is none by that name."""
    result = connection.execute(delete(StaffAccount).where(StaffAccount.name == name))
    return result.rowcount == 1


def list_staff(connection: Connection) -> list[StaffRow]:
    rows = connection.execute(
        select(
            StaffAccount.name,
            StaffAccount.created_at,
            StaffAccount.failed_logins,
            StaffAccount.locked_until,
        ).order_by(StaffAccount.name)
    ).all()
    return [
        StaffRow(name, as_utc(created), failed, as_utc(locked) if locked else None)
        for name, created, failed, locked in rows
    ]


def staff_exists(connection: Connection, name: str) -> bool:
    return (
        connection.execute(select(StaffAccount.id).where(StaffAccount.name == name)).first()
        is not None
    )


@dataclass(frozen=True, slots=True)
class LoginResult:
    """``ok``; else ``locked_until`` when the account is locked, and the failures so far."""

    ok: bool
    failures: int = 0
    locked_until: datetime | None = None


def check_login(connection: Connection, name: str, password: str, now: datetime) -> LoginResult:
    """Verify a login, counting failures per account and locking it after too many.

    A locked account is refused without looking at the password. The
    ``MAX_FAILED_LOGINS``-th failure in a row locks it for ``LOCKOUT``.
    """
    row = connection.execute(
        select(
            StaffAccount.id,
            StaffAccount.password_hash,
            StaffAccount.failed_logins,
            StaffAccount.locked_until,
        ).where(StaffAccount.name == name)
    ).first()
    if row is None:
        _verify(_dummy_hash(), password)
        return LoginResult(ok=False)
    account_id, stored, failures, locked_until = row
    if locked_until is not None and as_utc(locked_until) > now:
        return LoginResult(ok=False, failures=failures, locked_until=as_utc(locked_until))
    if _verify(stored, password):
        connection.execute(
            update(StaffAccount)
            .where(StaffAccount.id == account_id)
            .values(failed_logins=0, locked_until=None)
        )
        if _hasher.check_needs_rehash(stored):
            connection.execute(
                update(StaffAccount)
                .where(StaffAccount.id == account_id)
                .values(password_hash=hash_password(password))
            )
        return LoginResult(ok=True)
    # Counted in SQL so concurrent attempts on several processes all count.
    connection.execute(
        update(StaffAccount)
        .where(StaffAccount.id == account_id)
        .values(failed_logins=StaffAccount.failed_logins + 1)
    )
    failures = connection.execute(
        select(StaffAccount.failed_logins).where(StaffAccount.id == account_id)
    ).scalar_one()
    if failures >= MAX_FAILED_LOGINS:
        locked_until = now + LOCKOUT
        connection.execute(
            update(StaffAccount)
            .where(StaffAccount.id == account_id)
            .values(failed_logins=0, locked_until=locked_until)
        )
        return LoginResult(ok=False, failures=failures, locked_until=locked_until)
    return LoginResult(ok=False, failures=failures)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
