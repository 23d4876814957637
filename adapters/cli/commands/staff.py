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


MIN_PASSWORD_CHARS = 8


def _password(args: argparse.Namespace) -> str:
    """The new password; the policy is checked on the first answer, before asking again."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
    if len(password) < MIN_PASSWORD_CHARS:
        raise CommandError(f"the password must be at least {MIN_PASSWORD_CHARS} characters")
    if not args.password_stdin and getpass.getpass("Password again: ") != password:
        raise CommandError("the passwords do not match")
    return password


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store.database import open_database
    from bot.store.errors import DatabaseError
    from bot.store.review.actions import StaffError, check_staff_name
    from bot.store.review.store import ReviewStore

    name = ""  # the add action's name as it will be stored
    if args.action == "add":
        try:
            name = check_staff_name(args.name)  # before any password is asked for
        except StaffError as error:
            raise CommandError(str(error)) from None
    try:
        engine = open_database(settings)
    except DatabaseError as error:
        raise CommandError(str(error)) from None
    store = ReviewStore(engine)
    try:
        if args.action == "add":
            if store.staff_exists(name):
                raise CommandError(f"staff account {name!r} already exists")
            store.create_staff(args.name, _password(args))
            print(f"added staff account {args.name}")
        elif args.action == "password":
            if not store.set_password(args.name, _password(args)):
                raise CommandError(f"no staff account named {args.name!r}")
            print(f"new password for {args.name}; its sessions have ended")
        elif args.action == "remove":
            if not store.remove_staff(args.name):
                raise CommandError(f"no staff account named {args.name!r}")
            print(f"removed staff account {args.name}")
        else:
            rows = store.list_staff()
            if not rows:
                print("no staff accounts yet; add one with `fixbot staff add NAME`")
            for row in rows:
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
