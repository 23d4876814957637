"""argon2 hashing for staff passwords, one check at a time per process.

argon2 is deliberately slow and memory-hungry. ``PasswordChecker`` runs at
most one hash or verification at a time (a lock per checker, one checker per
``ReviewStore``), so a flood of logins queues here instead of taking every
core from the chat bot, and never runs inside a database transaction.
"""

from __future__ import annotations

import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

DUMMY_PASSWORD = "fixbot-no-such-account"


class PasswordChecker:
    """Hashes and verifies passwords with argon2id; unknown accounts cost the same."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        self._lock = threading.Lock()
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        """An argon2id hash of ``password``."""
        with self._lock:
            return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored``; with no stored hash, verify against a
        dummy one (made on first use, not at import) so the answer takes as long."""
        if stored is None:
            if self._dummy is None:
                self._dummy = self.hash(DUMMY_PASSWORD)
            with self._lock:
                self._check(self._dummy, password)
            return False
        with self._lock:
            return self._check(stored, password)

    def needs_rehash(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(stored)

    def _check(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
