"""De-duplication keys scoped to the bot and the person, not only the platform.

An event id was unique per platform only: a second person's message reusing
an id was dropped, and two Telegram bots (or two Slack apps or workspaces)
sharing one database would drop each other's updates. ``processed_events``
gets a ``scope`` column ("<bot>/<user>": the Slack team and app, or the
Telegram bot id, then the person's id) in its primary key. Rows stored
before keep the empty scope; they only ever matter for a redelivery within
the retention window.

Revision ID: 0005_i11_dedup_scope
Revises: 0004_i11_logins
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_i11_dedup_scope"
down_revision: str | None = "0004_i11_logins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("processed_events") as batch:
        batch.add_column(sa.Column("scope", sa.String(200), nullable=False, server_default=""))
        batch.drop_constraint("pk_processed_events", type_="primary")
        batch.create_primary_key("pk_processed_events", ["platform", "scope", "event_id"])


def downgrade() -> None:
    # Keeps one row per (platform, event_id) so the old key can be made again.
    op.execute(
        "DELETE FROM processed_events WHERE scope <> '' AND EXISTS (SELECT 1 FROM "
        "processed_events AS other WHERE other.platform = processed_events.platform "
        "AND other.event_id = processed_events.event_id AND other.scope < processed_events.scope)"
    )
    with op.batch_alter_table("processed_events") as batch:
        batch.drop_constraint("pk_processed_events", type_="primary")
        batch.create_primary_key("pk_processed_events", ["platform", "event_id"])
        batch.drop_column("scope")
