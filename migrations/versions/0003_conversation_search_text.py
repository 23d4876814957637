"""Searchable text on conversations: what the person wrote, normalised, in one column.

The review site's text search scanned every inbound message (0.5-1 s at
100,000 conversations). ``conversations.search_text`` holds a conversation's
inbound texts (already redacted), NFC-normalised, casefolded, whitespace
collapsed, newline-joined, capped at 1,000 characters; the service extends it
per message. The upgrade fills it from the messages already stored, a batch
of conversations at a time.

The normalisation is copied here on purpose, so this migration keeps doing
what it did when ``bot.store.search`` changes (a test checks they agree).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_CHARS = 1000
BATCH = 1000

conversations = sa.table("conversations", sa.column("id"), sa.column("search_text"))
messages = sa.table(
    "messages",
    sa.column("id"),
    sa.column("conversation_id"),
    sa.column("direction"),
    sa.column("text"),
)


def _searchable(texts: Sequence[str]) -> str:
    found = ""
    for text in texts:
        if len(found) >= SEARCH_CHARS:
            break
        piece = " ".join(unicodedata.normalize("NFC", text.casefold()).split())
        if piece:
            found = (f"{found}\n{piece}" if found else piece)[:SEARCH_CHARS]
    return found


def upgrade() -> None:
    # A plain ADD COLUMN on both backends (no table copy): SQLite allows it with a default.
    op.add_column(
        "conversations", sa.Column("search_text", sa.Text(), nullable=False, server_default="")
    )
    _backfill(op.get_bind())


def _backfill(connection: sa.Connection) -> None:
    last_id = 0
    while True:
        ids = list(
            connection.execute(
                sa.select(conversations.c.id)
                .where(conversations.c.id > last_id)
                .order_by(conversations.c.id)
                .limit(BATCH)
            ).scalars()
        )
        if not ids:
            return
        texts: dict[int, list[str]] = {}
        for conversation_id, text in connection.execute(
            sa.select(messages.c.conversation_id, messages.c.text)
            .where(
                messages.c.conversation_id.in_(ids),
                messages.c.direction == "in",
                messages.c.text != "",
            )
            .order_by(messages.c.conversation_id, messages.c.id)
        ):
            texts.setdefault(conversation_id, []).append(text)
        rows = [
            {"cid": cid, "value": value}
            for cid, found in texts.items()
            if (value := _searchable(found))
        ]
        if rows:
            connection.execute(
                conversations.update()
                .where(conversations.c.id == sa.bindparam("cid"))
                .values(search_text=sa.bindparam("value")),
                rows,
            )
        last_id = ids[-1]


def downgrade() -> None:
    # Not in batch mode: on SQLite that copies the table, and dropping the old
    # copy with foreign keys on would cascade into the messages. SQLite (3.35+)
    # and PostgreSQL both drop a plain column in place.
    op.drop_column("conversations", "search_text")
