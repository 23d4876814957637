"""``fixbot bench match|chat``: measure the speed goals on this machine."""

from __future__ import annotations

import argparse
import importlib

from bot.settings import Settings


def _positive(text: str) -> int:
    """A whole number of at least 1, or argparse's one-line usage error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="bench", metavar="WHAT", required=True)
    match = sub.add_parser("match", help="matcher latency and index build time")
    match.add_argument("--messages", type=_positive, default=2000, help="messages to time")
    match.add_argument(
        "--problems", type=_positive, default=1000, help="problems in the generated knowledge base"
    )
    match.add_argument(
        "--labelled",
        nargs="+",
        metavar="FILE.jsonl",
        help="also time real messages from labelled files (e.g. shared/eval/dev.jsonl)",
    )
    match.add_argument("--json", action="store_true", help="print the figures as JSON")
    chat = sub.add_parser("chat", help="messages per second through handle() with persistence")
    chat.add_argument("--users", type=_positive, default=50, help="simulated users")
    chat.add_argument("--messages", type=_positive, default=3000, help="messages in all")
    chat.add_argument("--json", action="store_true", help="print the figures as JSON")


def run(args: argparse.Namespace, settings: Settings) -> int:
    module = importlib.import_module(f"adapters.cli.benchmarks.{args.bench}")
    return int(module.run(args, settings))
