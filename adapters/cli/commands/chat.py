"""``fixbot chat``: talk to fixbot in the terminal, or drive it with JSON lines."""

from __future__ import annotations

import argparse
import getpass
import sys
import threading
from collections.abc import Iterator

from bot.settings import Settings


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        help="who you are; the same name resumes where you left off (default: your login name)",
    )
    parser.add_argument(
        "--language", choices=("nb", "en"), help="first guess at your language (default: nb)"
    )
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"user": ..., "text"|"button": ...} lines on stdin, write one JSON line each',
    )


def _typed_lines() -> Iterator[str]:
    """Lines typed at a prompt, until Ctrl-D."""
    while True:
        try:
            yield input("> ")
        except EOFError:
            print()
            return


def run(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.console.chat import ConsoleChat, JsonlChat
    from bot.service import ServiceUnavailable, build_service

    service = build_service(settings)
    if args.jsonl:
        JsonlChat(core=service, output=sys.stdout, unavailable=(ServiceUnavailable,)).run(sys.stdin)
        return 0
    interactive = sys.stdin.isatty()
    if interactive:
        # the lemma dictionaries, word frequencies and language model load while the
        # person reads the greeting and types, not after their first message
        threading.Thread(target=service.warm, name="fixbot-warm-up", daemon=True).start()
    chat = ConsoleChat(
        core=service,
        user=args.user or getpass.getuser(),
        output=sys.stdout,
        ansi=interactive and sys.stdout.isatty(),
        language_hint=args.language or settings.default_language,
    )
    try:
        chat.run(_typed_lines() if interactive else sys.stdin)
    except ServiceUnavailable as error:
        print(f"fixbot: {error}", file=sys.stderr)
        return 1
    return 0
