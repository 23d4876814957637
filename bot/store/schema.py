"""Alembic, driven from code: upgrade, downgrade and read the schema version.

The Alembic configuration is built here, pointing at the ``migrations``
package wherever it is installed, so no ``alembic.ini`` is needed and an
installed wheel finds its migrations from any working directory. Alembic is
imported lazily, after its loggers are quietened (it logs at import time).
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from alembic.config import Config


def _quiet_alembic() -> None:
    """Alembic's INFO chatter (plugins, "Context impl") would fill every start-up; the
    commands print what matters. An explicitly configured level is kept."""
    alembic_logger = logging.getLogger("alembic")
    if alembic_logger.level == logging.NOTSET:
        alembic_logger.setLevel(logging.WARNING)


def migrations_directory() -> Path:
    """Where the ``migrations`` package (env.py, versions/) is installed."""
    spec = importlib.util.find_spec("migrations")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the migrations package is not installed with fixbot")
    return Path(next(iter(spec.submodule_search_locations)))


def alembic_config() -> Config:
    _quiet_alembic()
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_directory()))
    return config


def head_revision() -> str:
    config = alembic_config()
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    _quiet_alembic()
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade to ``revision`` in one transaction on ``engine``'s own tuned connection."""
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, "downgrade", revision)


def _run(engine: Engine, action: str, revision: str) -> None:
    config = alembic_config()
    from alembic import command

    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)
