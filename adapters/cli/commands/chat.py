"""``fixbot chat``: talk to fixbot in the terminal, or drive it with JSON lines."""

from __future__ import annotations

import argparse
import getpass
import signal
import sys
import threading
from collections.abc import Callable

from bot.events import IDENTIFIER_LIMITS, valid_identifier
from bot.settings import Settings

JSONL_FORMAT = """\
--jsonl reads one JSON object per line on standard input and writes one per line:

  in:  {"user": "kari", "text": "mailen sender ikke"}
       {"user": "kari", "button": "2"}             a button of kari's latest reply:
                                                   its number, its label ("Hjalp ikke")
                                                   or its payload as printed in "buttons"
                                                   (numbers and labels: of a reply this
                                                   process printed; else the payload)
       optional: "event" (an id; the same id twice is answered once),
                 "language" ("nb" or "en": the first guess)
  out: {"user": ..., "replies": [{"text": ..., "buttons": [{"label", "payload"}]}],
        "state": {"status", "intent", "step"}, "duplicate": false}
       or {"error": "what is wrong with that line"}; the next line is read as usual.
"""


def user_name(value: str) -> str:
    """``--user``: a name the store can keep (printable, 1-128 characters), else a usage error."""
    limit = IDENTIFIER_LIMITS["user_id"]
    if not value.strip() or not valid_identifier(value, limit):
        raise argparse.ArgumentTypeError(
            f"must be 1 to {limit} printable characters (no tabs or control characters)"
        )
    return value


def register(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = JSONL_FORMAT
    parser.add_argument(
        "--user",
        type=user_name,
        help="who you are; the same name resumes where you left off (default: your login name)",
    )
    parser.add_argument(
        "--language", choices=("nb", "en"), help="first guess at your language (default: nb)"
    )
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="read JSON lines on stdin, write one JSON line each (format below)",
    )


def _warm(warm: Callable[[], None]) -> None:
    """Warm up with Ctrl-C blocked in this thread: the kernel then delivers SIGINT to the
    main thread, whose readline wait it interrupts (delivered here, the chat would not
    notice the Ctrl-C until the next key)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    warm()


def run(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.console.chat import ConsoleChat, JsonlChat
    from adapters.console.terminal import TypedLines, default_history_file, piped_lines
    from bot.service import ServiceUnavailable, build_service

    service = build_service(settings)
    if args.jsonl:
        JsonlChat(core=service, output=sys.stdout, unavailable=(ServiceUnavailable,)).run(
            piped_lines(sys.stdin)
        )
        return 0
    interactive = sys.stdin.isatty()
    if interactive:
        # the lemma dictionaries, word frequencies and language model load while the
        # person reads the greeting and types, not after their first message
        threading.Thread(
            target=_warm, args=(service.warm,), name="fixbot-warm-up", daemon=True
        ).start()
    chat = ConsoleChat(
        core=service,
        user=args.user or user_name(getpass.getuser()),
        output=sys.stdout,
        ansi=interactive and sys.stdout.isatty(),
        language_hint=args.language or settings.default_language,
        texts=service.knowledge.text if interactive else None,
        unavailable=(ServiceUnavailable,),
        wording=service.knowledge.text,
    )
    typed = TypedLines(sys.stdin, history_file=default_history_file()) if interactive else None
    try:
        chat.run(typed if typed is not None else piped_lines(sys.stdin))
    except ServiceUnavailable as error:
        print(f"fixbot: {error}", file=sys.stderr)
        return 1
    finally:
        if typed is not None:
            typed.close()
    return 0
