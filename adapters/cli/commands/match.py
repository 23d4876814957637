"""``fixbot match TEXT [--json]`` and ``fixbot match --jsonl``: what fixbot understands of text."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from adapters.cli.commands import CommandError
from adapters.cli.matching import build_matcher, load, result_json
from bot.settings import Settings
from bot.understanding.intents import MatchResult
from bot.understanding.matcher import Matcher


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", help="the message to classify")
    parser.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help='read JSON lines {"text": ...} on stdin, write one JSON answer per line',
    )
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge directory to use")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.jsonl and args.text is not None:
        raise CommandError("give either TEXT or --jsonl, not both")
    if not args.jsonl and args.text is None:
        raise CommandError("nothing to match: give TEXT or --jsonl")
    matcher = build_matcher(settings, load(settings, args.knowledge))
    if args.jsonl:
        return answer_lines(matcher, sys.stdin, sys.stdout)
    result = matcher.classify(args.text)
    if args.json:
        print(json.dumps(result_json(result), ensure_ascii=False))
    else:
        print(describe(result))
    return 0


def answer_lines(matcher: Matcher, source: TextIO, sink: TextIO) -> int:
    """One JSON answer per input line; a bad line gets {"error": ...} and the rest go on."""
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        answer = _answer_line(matcher, line, number)
        sink.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sink.flush()
    return 0


def _answer_line(matcher: Matcher, line: str, number: int) -> dict[str, object]:
    try:
        message = json.loads(line)
    except json.JSONDecodeError as error:
        return {"error": f"line {number}: invalid JSON: {error.msg}"}
    if not isinstance(message, dict) or not isinstance(message.get("text"), str):
        return {"error": f'line {number}: expected an object with a "text" string'}
    return result_json(matcher.classify(message["text"]))


def describe(result: MatchResult) -> str:
    """A short human-readable account of a match result."""
    if result.decision == "match":
        head = f"match: {result.intent} (confidence {result.confidence:.2f})"
    elif result.decision == "ambiguous":
        head = "ambiguous: which of these?"
    else:
        head = (
            "none: about something else, not what fixbot knows"
            if result.outside
            else "none: not understood"
        )
    lines = [head, f"language: {result.language}"]
    lines += [f"  {c.intent:<24} {c.score:.2f}" for c in result.candidates]
    return "\n".join(lines)
