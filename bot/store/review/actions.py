"""The review site's writes: handoff claim/note/close, staff accounts and their logins.

Every change is one conditional UPDATE or INSERT, so two staff clicking at the
same moment cannot both claim a case, and failed logins are counted in the
database (per account) where every review process sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from bot.store.models import Handoff, HandoffNote, StaffAccount
from bot.store.records import as_utc
from bot.store.review import logins
from bot.store.review.logins import LoginPolicy

MAX_FAILED_LOGINS = LoginPolicy().account_limit
LOCKOUT = LoginPolicy().lockout
MAX_NAME_CHARS = 100
MAX_NOTE_CHARS = 4000


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


def check_staff_name(name: str) -> str:
    """``name`` as stored, or ``StaffError`` if it cannot be a login name (asked before
    any password prompt)."""
    name = name.strip()
    printable = all(c.isprintable() and not c.isspace() for c in name)
    if not name or len(name) > MAX_NAME_CHARS or not printable:
        raise StaffError(f"staff names are 1-{MAX_NAME_CHARS} characters without spaces")
    return name


def check_new_account(name: str, password: str) -> str:
    """The name as it will be stored; ``StaffError`` if the name or the password is unusable."""
    name = check_staff_name(name)
    if not password:
        raise StaffError("the password is empty")
    return name


def create_staff(connection: Connection, name: str, password_hash: str, now: datetime) -> None:
    """Add a staff account with a hash made beforehand (never hash inside a transaction);
    ``StaffError`` if the name is taken. It gets a fresh session key, so cookies of an
    earlier account by that name stay dead."""
    taken = connection.execute(select(StaffAccount.id).where(StaffAccount.name == name)).first()
    if taken is not None:
        raise StaffError(f"staff account {name!r} already exists")
    connection.execute(
        insert(StaffAccount).values(
            name=name,
            password_hash=password_hash,
            failed_logins=0,
            locked_until=None,
            created_at=now,
            session_key=logins.new_session_key(),
        )
    )


def set_password_hash(connection: Connection, name: str, password_hash: str) -> None:
    """Store a stronger hash of the same password (argon2 parameters raised); sessions stay."""
    connection.execute(
        update(StaffAccount).where(StaffAccount.name == name).values(password_hash=password_hash)
    )


def set_password(connection: Connection, name: str, password_hash: str) -> bool:
    """Replace an account's password hash and end all its sessions; False: no such account."""
    result = connection.execute(
        update(StaffAccount)
        .where(StaffAccount.name == name)
        .values(password_hash=password_hash, session_key=logins.new_session_key())
    )
    return result.rowcount == 1


def remove_staff(connection: Connection, name: str) -> bool:
    """Remove a staff account; False when there is none by that name."""
    result = connection.execute(delete(StaffAccount).where(StaffAccount.name == name))
    return result.rowcount == 1


def list_staff(connection: Connection) -> list[StaffRow]:
    """Every account with its failed logins and lock (from ``login_throttle``)."""
    rows = connection.execute(
        select(StaffAccount.name, StaffAccount.created_at).order_by(StaffAccount.name)
    ).all()
    listed = []
    for name, created in rows:
        failed, locked = logins.account_lock(connection, name)
        listed.append(StaffRow(name, as_utc(created), failed, locked))
    return listed


def staff_exists(connection: Connection, name: str) -> bool:
    return (
        connection.execute(select(StaffAccount.id).where(StaffAccount.name == name)).first()
        is not None
    )


@dataclass(frozen=True, slots=True)
class LoginResult:
    """``ok`` (with the session key to put in the cookie); else ``locked_until`` when the
    account is locked, and the failures so far."""

    ok: bool
    failures: int = 0
    locked_until: datetime | None = None
    session_key: str = ""
