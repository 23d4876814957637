"""The store's typed errors: each message is one line a person can act on."""

from __future__ import annotations


class DatabaseError(Exception):
    """Something is wrong with the database; the message is one line and shows no password."""


class DatabaseUnavailable(DatabaseError):
    """The database cannot be reached, or went away in the middle of a request."""


class SchemaOutOfDate(DatabaseError):
    """The database schema is behind (or ahead of) the migrations shipped with fixbot."""
