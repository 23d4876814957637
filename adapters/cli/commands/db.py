"""``fixbot db upgrade|current|downgrade``: manage the database schema with Alembic."""

from __future__ import annotations

import argparse

from adapters.cli.commands import CommandError
from bot.settings import Settings


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="db", metavar="ACTION", required=True)
    upgrade = sub.add_parser("upgrade", help="upgrade the schema (to the newest by default)")
    upgrade.add_argument("revision", nargs="?", default="head", help="target (default: head)")
    sub.add_parser("current", help="show the schema's revision and the newest one")
    downgrade = sub.add_parser("downgrade", help="downgrade the schema to REV ('base': empty)")
    downgrade.add_argument("revision", metavar="REV", help="target revision, or 'base'")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import schema
    from bot.store.database import (
        check_reachable,
        create_engine_for,
        default_database_url,
        mask_url,
    )
    from bot.store.errors import DatabaseError

    url = settings.database_url or default_database_url()
    try:
        engine = create_engine_for(url)
    except DatabaseError as error:
        raise CommandError(str(error)) from None
    try:
        check_reachable(engine)
        where = mask_url(url)
        if args.db == "upgrade":
            schema.upgrade(engine, args.revision)
            print(f"{where}: at {schema.current_revision(engine) or 'base'}")
        elif args.db == "downgrade":
            schema.downgrade(engine, args.revision)
            print(f"{where}: at {schema.current_revision(engine) or 'base'}")
        else:
            current = schema.current_revision(engine) or "base (empty)"
            head = schema.head_revision()
            state = "up to date" if current == head else "behind: run `fixbot db upgrade`"
            print(f"{where}: at {current}, newest {head} ({state})")
    except DatabaseError as error:
        raise CommandError(str(error)) from None
    except Exception as error:  # Alembic's own errors (an unknown revision, say)
        raise CommandError(f"db {args.db} failed: {str(error).splitlines()[0]}") from None
    finally:
        engine.dispose()
    return 0
