"""The ``fixbot`` command line: reads settings, wires the core to an adapter, runs it.

Each command lives in ``adapters/cli/commands/<name>.py`` with ``register(parser)``
and ``run(args, settings) -> int``; heavy adapters (Slack, Telegram, the
review site) are imported only inside the command that runs them.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from adapters.errors import StartupError
from bot.knowledge import KnowledgeError
from bot.redact import RedactingFilter
from bot.settings import Settings, SettingsError
from bot.store.errors import DatabaseError

COMMANDS: tuple[tuple[str, str], ...] = (
    ("chat", "talk to fixbot in the terminal"),
    ("serve", "run fixbot on Telegram or Slack"),
    ("review", "serve the support staff's review site"),
    ("staff", "manage review site staff accounts"),
    ("match", "show what fixbot understands of a message"),
    ("eval", "measure matching against a labelled JSONL file"),
    ("kb", "check the knowledge base"),
    ("db", "manage the database schema"),
    ("transcripts", "list, show, export or purge conversations"),
    ("bench", "measure matching and chat throughput"),
)


class OneLineParser(argparse.ArgumentParser):
    """argparse with its usage errors on one line: what is wrong and where ``--help`` is.

    Subcommand parsers are made of the same class, so every command behaves so.
    """

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="fixbot", description="fixbot: the IT-support bot for Mail on iPhone."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, summary in COMMANDS:
        module = importlib.import_module(f"adapters.cli.commands.{name}")
        sub = subparsers.add_parser(name, help=summary, description=summary)
        module.register(sub)
        sub.set_defaults(_module=module)
    return parser


def _load_dotenv() -> None:
    from dotenv import load_dotenv

    # Existing environment variables win over the file.
    load_dotenv(dotenv_path=os.path.join(os.getcwd(), ".env"), override=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fixbot`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    _load_dotenv()
    try:
        settings = Settings.from_env(os.environ)
        logging.basicConfig(
            level=settings.log_level,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        # Whatever a person pasted (a password, a code) never reaches a log line.
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactingFilter())
        return int(args._module.run(args, settings) or 0)
    except (SettingsError, StartupError, DatabaseError, KnowledgeError) as error:
        # One line that says what is wrong and how to fix it; never a traceback.
        print(f"fixbot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`fixbot match ... | head -1`): stop quietly. Point
        # stdout at devnull so the interpreter's final flush doesn't complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
