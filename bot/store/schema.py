"""Alembic, driven from code: upgrade, downgrade and read the schema version.

The Alembic configuration is built here, pointing at the ``migrations``
package wherever it is installed, so no ``alembic.ini`` is needed and an
installed wheel finds its migrations from any working directory. Alembic is
imported lazily, after its loggers are quietened (it logs at import time).

Every serving process checks at start-up that the database is at the newest
migration. Importing Alembic for that (with Mako and Pygments) costs each
process about 14 MiB that it never gives back, so the check reads the two
revisions itself: the database's from Alembic's own ``alembic_version``
table, the newest from the migration files' ``revision`` and
``down_revision`` lines. ``tests/storage/test_migrations.py`` checks both
answers are Alembic's.
"""

from __future__ import annotations

import ast
import importlib.util
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

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


# Alembic's table of the revision a database is at (its default name; env.py keeps it).
VERSION_TABLE = "alembic_version"


def head_revision(versions: Path | None = None) -> str:
    """The newest migration in ``versions`` (default: the installed ones): the one
    revision no other migration names as its ``down_revision`` (what Alembic's
    ``get_current_head`` answers)."""
    revisions: set[str] = set()
    replaced: set[str] = set()
    directory = versions or migrations_directory() / "versions"
    for path in sorted(directory.glob("*.py")):
        found = _revision_lines(path)
        if "revision" in found:
            revisions.update(found["revision"])
            replaced.update(found.get("down_revision", ()))
    heads = revisions - replaced
    if len(heads) != 1:
        raise RuntimeError(f"expected one newest migration, found {sorted(heads) or 'none'}")
    return heads.pop()


def _revision_lines(path: Path) -> dict[str, tuple[str, ...]]:
    """A migration file's ``revision`` and ``down_revision`` values (a merge names
    several down revisions)."""
    found: dict[str, tuple[str, ...]] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target = (
            node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
        )
        if isinstance(node, ast.AnnAssign):
            target = node.target
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            constant = ast.literal_eval(value) if value is not None else None
            names = constant if isinstance(constant, (tuple, list)) else (constant,)
            found[target.id] = tuple(str(name) for name in names if name is not None)
    return found


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    if len(rows) > 1:
        raise RuntimeError(f"the database is at several revisions: {[r[0] for r in rows]}")
    return str(rows[0][0]) if rows else None


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
