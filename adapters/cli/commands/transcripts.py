"""``fixbot transcripts list|show|export|purge``: read, export and expire conversations."""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from adapters.cli.commands import CommandError
from bot.dialog.conversation import Status
from bot.export import csv_row
from bot.settings import Settings

_AGE = re.compile(r"^(\d+)\s*([dhw])$")
CSV_FIELDS = (
    "conversation_id",
    "platform",
    "user",
    "status",
    "intent",
    "language",
    "message_id",
    "direction",
    "text",
    "payload",
    "buttons",
    "decision",
    "confidence",
    "created_at",
)


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="list conversations, newest first")
    _filters(listing)
    listing.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    show = sub.add_parser("show", help="show one conversation's messages in order")
    show.add_argument("id", type=int, help="conversation id (from `transcripts list`)")
    export = sub.add_parser("export", help="export conversations with their messages")
    _filters(export)
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    purge = sub.add_parser("purge", help="delete conversations older than an age")
    purge.add_argument("--older-than", required=True, help="age such as 90d, 12w or 48h")
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    sub.add_parser(
        "close-idle",
        help="mark conversations idle past FIXBOT_IDLE_TIMEOUT_HOURS as abandoned (for cron)",
    )


STATUSES = tuple(status.value for status in Status)
# What --platform takes -> what the store keeps ("cli" is the terminal chat's name here).
PLATFORMS = {"cli": "console", "console": "console", "telegram": "telegram", "slack": "slack"}


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", choices=STATUSES, help="the conversation's status")
    parser.add_argument("--intent", help="problem id, such as cannot-send (`fixbot kb check`)")
    parser.add_argument(
        "--platform", choices=sorted(PLATFORMS), help="cli (the terminal chat), telegram or slack"
    )
    parser.add_argument("--since", help="started on or after: 2026-01-31, or an age such as 7d")


def parse_age(text: str) -> timedelta:
    """``90d``, ``12w`` or ``48h`` as a timedelta."""
    match = _AGE.match(text.strip().lower())
    if not match:
        raise CommandError(f"not an age: {text!r} (use e.g. 90d, 12w or 48h)")
    number, unit = int(match.group(1)), match.group(2)
    return {"d": timedelta(days=number), "h": timedelta(hours=number)}.get(
        unit, timedelta(weeks=number)
    )


def parse_since(text: str, now: datetime) -> datetime:
    if _AGE.match(text.strip().lower()):
        return now - parse_age(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since: not a date or age: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store.errors import DatabaseError
    from bot.store.unit_of_work import open_store

    try:
        store = open_store(settings)
    except DatabaseError as error:
        raise CommandError(str(error)) from None
    args.idle_timeout_hours = settings.dialog.idle_timeout_hours
    args.knowledge_dir = settings.knowledge_dir
    try:
        return _ACTIONS[args.action](args, store)
    except DatabaseError as error:
        raise CommandError(str(error)) from None
    finally:
        store.dispose()


def _filter_of(args: argparse.Namespace) -> Any:
    from bot.store.views import TranscriptFilter

    since = parse_since(args.since, datetime.now(UTC)) if args.since else None
    platform = PLATFORMS[args.platform] if args.platform else None
    return TranscriptFilter(args.status, args.intent, platform, since)


def _check_intent(intent: str, knowledge_dir: Any) -> None:
    """An ``--intent`` that matched nothing and that the knowledge does not know either is
    a typo to report, not "no conversations" (intents of retired knowledge still match)."""
    from bot.knowledge import default_knowledge_dir, load_knowledge

    knowledge = load_knowledge(knowledge_dir or default_knowledge_dir())
    known = {*knowledge.problems, *knowledge.questions, *knowledge.requests}
    if intent not in known:
        sample = ", ".join(sorted(knowledge.problems)[:4])
        raise CommandError(f"--intent: no intent {intent!r} in the knowledge base (e.g. {sample})")


def _list(args: argparse.Namespace, store: Any) -> int:
    from bot.store.views import list_conversations

    with store.reading() as connection:
        found = list_conversations(connection, _filter_of(args), limit=args.limit)
    if not found:
        if args.intent:
            _check_intent(args.intent, args.knowledge_dir)
        print("no conversations")
        return 0
    print(f"{'id':>6}  {'started (UTC)':16}  {'platform':9} {'status':11} {'msgs':>4}  intent")
    for c in found:
        started = c.started_at.strftime("%Y-%m-%d %H:%M")
        print(
            f"{c.id:>6}  {started:16}  {c.platform:9} {c.status:11} {c.messages:>4}  "
            f"{c.intent or '-'}  ({c.user})"
        )
    return 0


def _show(args: argparse.Namespace, store: Any) -> int:
    from bot.store.views import get_transcript, undelivered_replies

    with store.reading() as connection:
        transcript = get_transcript(connection, args.id)
        undelivered = undelivered_replies(connection, args.id)
    if transcript is None:
        raise CommandError(f"no conversation {args.id}")
    c = transcript.conversation
    print(f"conversation {c.id} · {c.platform} · {c.user} · {c.status} · {c.intent or '-'}")
    if transcript.rating is not None:
        print(f"rating: {transcript.rating}/5")
    if transcript.handoff_summary:
        print("handoff summary:")
        for summary_line in transcript.handoff_summary.splitlines():
            print(f"  {summary_line}")
    labels: dict[str, str] = {}
    for line in transcript.lines:
        who = "user" if line.direction == "in" else "bot "
        said = line.text or (
            f"[pressed {labels.get(line.payload, line.payload)}]" if line.payload else ""
        )
        if line.buttons:  # what the next press looked like to the person
            labels = {payload: label for label, payload in line.buttons}
        understood = (
            f"  ({line.decision} {line.intent} {line.confidence:.2f})"
            if (line.decision and line.confidence is not None)
            else ""
        )
        print(f"{line.created_at:%H:%M:%S} {who}: {said}{understood}")
        for label, payload in line.buttons:
            print(f"           [{label}] -> {payload}")
    if undelivered:
        print("not delivered:")
    for reply in undelivered:
        first = (reply.text.splitlines() or [""])[0][:60]
        print(
            f"{reply.created_at:%H:%M:%S} {reply.state.upper()} after {reply.attempts} "
            f"attempts ({reply.last_error or '-'}): {first}"
        )
    return 0


def _export(args: argparse.Namespace, store: Any) -> int:
    from bot.store.views import iter_transcripts

    write = _write_jsonl if args.format == "jsonl" else _write_csv
    with ExitStack() as stack:
        out: IO[str] = sys.stdout
        if args.output:
            out = stack.enter_context(open(args.output, "w", encoding="utf-8", newline=""))
        connection = stack.enter_context(store.reading())
        count = write(out, iter_transcripts(connection, _filter_of(args)))
    if count == 0 and args.intent:
        _check_intent(args.intent, args.knowledge_dir)
    print(f"exported {count} conversations", file=sys.stderr)
    return 0


def _write_jsonl(out: IO[str], transcripts: Iterable[Any]) -> int:
    count = 0
    for t in transcripts:
        c = t.conversation
        record = {
            "id": c.id,
            "platform": c.platform,
            "user": c.user,
            "status": c.status,
            "intent": c.intent,
            "language": c.language,
            "started_at": c.started_at.isoformat(),
            "ended_at": c.ended_at.isoformat() if c.ended_at else None,
            "rating": t.rating,
            "handoff_summary": t.handoff_summary,
            "messages": [
                {
                    "id": m.id,
                    "direction": m.direction,
                    "text": m.text,
                    "payload": m.payload,
                    "buttons": [{"label": b[0], "payload": b[1]} for b in m.buttons],
                    "intent": m.intent,
                    "decision": m.decision,
                    "confidence": m.confidence,
                    "at": m.created_at.isoformat(),
                }
                for m in t.lines
            ],
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(out: IO[str], transcripts: Iterable[Any]) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    count = 0
    for t in transcripts:
        c = t.conversation
        for m in t.lines:
            buttons = " | ".join(f"{label}={payload}" for label, payload in m.buttons)
            writer.writerow(csv_row(
                (c.id, c.platform, c.user, c.status, c.intent or "", c.language, m.id,
                 m.direction, m.text, m.payload or "", buttons, m.decision or "",
                 "" if m.confidence is None else f"{m.confidence:.3f}",
                 m.created_at.isoformat())
            ))  # fmt: skip
        count += 1
    return count


def _purge(args: argparse.Namespace, store: Any) -> int:
    from bot.store.retention import count_older_than, purge_older_than

    cutoff = datetime.now(UTC) - parse_age(args.older_than)
    with store.reading() as connection:
        due = count_older_than(connection, cutoff)
    if due == 0:
        print("nothing to purge")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise CommandError("purge needs --yes when not run interactively")
        answer = input(f"delete {due} conversations last active before {cutoff:%Y-%m-%d}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "j", "ja"):
            print("nothing deleted")
            return 1
    with store.writing() as connection:
        done = purge_older_than(connection, cutoff)
    print(f"deleted {done.conversations} conversations, {done.users} users without any left")
    return 0


def _close_idle(args: argparse.Namespace, store: Any) -> int:
    from bot.store.retention import close_idle

    now = datetime.now(UTC)
    cutoff = now - timedelta(hours=args.idle_timeout_hours)
    with store.writing() as connection:
        closed = close_idle(connection, cutoff, now)
    print(f"marked {closed} idle conversations abandoned")
    return 0


_ACTIONS = {
    "list": _list,
    "show": _show,
    "export": _export,
    "purge": _purge,
    "close-idle": _close_idle,
}
