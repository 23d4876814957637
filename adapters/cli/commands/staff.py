"""``fixbot staff add|password|remove|list``: the review site's staff accounts."""

from __future__ import annotations

import argparse
import getpass
import sys

from adapters.cli.commands import CommandError
from bot.settings import Settings


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser(
        "add",
        help="add a staff account (asks for the password twice)",
        description="Add a review site login. The password is asked for twice, or read "
        "from standard input with --password-stdin; it is stored as an argon2 hash.",
    )
    add.add_argument("name", help="login name (no spaces)")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    change = sub.add_parser(
        "password",
        help="set a new password (ends the account's sessions)",
        description="Replace a staff account's password; every session it had ends at once.",
    )
    change.add_argument("name")
    change.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    remove = sub.add_parser("remove", help="remove a staff account (ends its sessions)")
    remove.add_argument("name")
    sub.add_parser("list", help="list staff accounts")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise CommandError("the passwords do not match")
    if len(password) < 8:
        raise CommandError("the password must be at least 8 characters")
    return password


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store.database import open_database
    from bot.store.errors import DatabaseError
    from bot.store.review.actions import StaffError
    from bot.store.review.store import ReviewStore

    password = _password(args) if args.action in ("add", "password") else ""
    try:
        engine = open_database(settings)
    except DatabaseError as error:
        raise CommandError(str(error)) from None
    store = ReviewStore(engine)
    try:
        if args.action == "add":
            store.create_staff(args.name, password)
            print(f"added staff account {args.name}")
        elif args.action == "password":
            if not store.set_password(args.name, password):
                raise CommandError(f"no staff account named {args.name!r}")
            print(f"new password for {args.name}; its sessions have ended")
        elif args.action == "remove":
            if not store.remove_staff(args.name):
                raise CommandError(f"no staff account named {args.name!r}")
            print(f"removed staff account {args.name}")
        else:
            for row in store.list_staff():
                locked = (
                    f"  locked until {row.locked_until:%Y-%m-%d %H:%M} UTC"
                    if (row.locked_until and row.locked_until > store.now())
                    else ""
                )
                print(f"{row.name}  added {row.created_at:%Y-%m-%d}{locked}")
    except StaffError as error:
        raise CommandError(str(error)) from None
    finally:
        engine.dispose()
    return 0
