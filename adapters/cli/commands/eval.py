"""``fixbot eval FILE.jsonl [--min-accuracy X]``: measure understanding against labelled lines.

Intent files (``{"text", "lang", "intent"}``) score the matcher, beside the plain
baseline; act files (``{"text", "lang", "act"}``) score typed replies given to the
dialog mid-flow (``adapters.cli.act_evaluation``); conversation files (``{"id", "lang",
"turns": [{"text", "expect"}, ...]}``) play whole conversations through the dialog
(``adapters.cli.conversation_evaluation``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from adapters.cli.act_evaluation import ACTS, ActEvaluation, LabelledReply, evaluate_acts, label
from adapters.cli.baseline import baseline_accuracy
from adapters.cli.commands import CommandError
from adapters.cli.conversation_evaluation import (
    REPLY_ACTS,
    ConversationEvaluation,
    LabelledConversation,
    LabelledTurn,
    evaluate_conversations,
)
from adapters.cli.evaluation import LabelledMessage, evaluate
from adapters.cli.matching import build_matcher, load
from bot.dialog.machine import Dialog
from bot.knowledge import Knowledge
from bot.settings import Settings
from bot.understanding.matcher import Matcher


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        metavar="FILE.jsonl",
        help='labelled lines {"text","lang","intent"}, or mid-flow replies {"text","lang","act"}',
    )
    parser.add_argument(
        "--min-accuracy", type=float, metavar="X", help="exit 1 when overall accuracy is below X"
    )
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge directory to use")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--errors", action="store_true", help="also list every message that was not right"
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the plain baseline's figure"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    knowledge = load(settings, args.knowledge)
    matcher = build_matcher(settings, knowledge)
    lines = _lines(path)
    if _first_row_has(lines, "turns"):
        conversations = read_conversations(path, lines, knowledge)
        return _run_conversations(args, settings, knowledge, matcher, conversations)
    if _first_row_has(lines, "act"):
        return _run_acts(args, settings, knowledge, matcher, read_replies(path, lines))
    messages = read_labelled(path, lines)
    result = evaluate(matcher, messages)
    baseline = None
    if not args.no_baseline:
        baseline = baseline_accuracy(
            knowledge, [m.text for m in messages], [m.intent for m in messages]
        )
    if args.json:
        figures = result.as_json()
        if baseline is not None:
            figures["baseline_accuracy"] = round(baseline, 4)
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(result.report(show_errors=args.errors))
        if baseline is not None:
            print(
                f"baseline (TF-IDF + linear SVM on the same phrases): {baseline:.1%}; "
                f"fixbot - baseline: {100 * (result.accuracy - baseline):+.1f} points"
            )
    if args.min_accuracy is not None and result.accuracy < args.min_accuracy:
        print(f"accuracy {result.accuracy:.3f} is below --min-accuracy {args.min_accuracy}")
        return 1
    return 0


def _run_acts(
    args: argparse.Namespace,
    settings: Settings,
    knowledge: Knowledge,
    matcher: Matcher,
    replies: list[LabelledReply],
) -> int:
    try:
        result = evaluate_acts(Dialog(knowledge, matcher, settings), replies)
    except ValueError as error:  # no fix flow to put the replies in
        raise CommandError(str(error)) from None
    return _report(args, result, result.accuracy)


def _lines(path: Path) -> list[tuple[int, str]]:
    """The file's non-empty lines with their numbers, read once; unreadable: a one-line error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
    return [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]


def _first_row_has(lines: list[tuple[int, str]], key: str) -> bool:
    """Whether the file's first row has ``key`` and no intent: replies labelled with acts
    ({"text","lang","act"}) or conversations ({"id","lang","turns"}) rather than intents."""
    try:
        row = json.loads(lines[0][1]) if lines else None
    except ValueError:
        return False
    return isinstance(row, dict) and key in row and "intent" not in row


def _run_conversations(
    args: argparse.Namespace,
    settings: Settings,
    knowledge: Knowledge,
    matcher: Matcher,
    conversations: list[LabelledConversation],
) -> int:
    result = evaluate_conversations(Dialog(knowledge, matcher, settings), conversations)
    return _report(args, result, result.reply_accuracy)


def _report(
    args: argparse.Namespace, result: ActEvaluation | ConversationEvaluation, accuracy: float
) -> int:
    """The figures as JSON or for people; exit 1 below ``--min-accuracy``."""
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print(result.report(show_errors=args.errors))
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        print(f"accuracy {accuracy:.3f} is below --min-accuracy {args.min_accuracy}")
        return 1
    return 0


def read_conversations(
    path: Path, lines: list[tuple[int, str]], knowledge: Knowledge
) -> list[LabelledConversation]:
    """The labelled conversations of ``path``'s ``lines``: a malformed line, an unknown
    problem or an unknown act is a one-line error."""
    conversations = []
    for number, line in lines:
        try:
            row = json.loads(line)
            turns = tuple(
                LabelledTurn(str(t["text"]), label(str(t["expect"]))) for t in row["turns"]
            )
            conversation = LabelledConversation(str(row["id"]), str(row["lang"]), turns)
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise CommandError(
                f'{path}:{number}: expected {{"id": ..., "lang": ..., "turns": '
                '[{"text": ..., "expect": ...}, ...]}'
            ) from None
        if not turns or turns[0].expect not in knowledge.problems:
            raise CommandError(f"{path}:{number}: the first turn must be labelled with a problem")
        unknown = [t.expect for t in turns[1:] if t.expect not in REPLY_ACTS]
        if unknown:
            raise CommandError(
                f"{path}:{number}: unknown act {unknown[0]!r}; one of {', '.join(REPLY_ACTS)}"
            )
        conversations.append(conversation)
    if not conversations:
        raise CommandError(f"{path} has no labelled lines")
    return conversations


def read_replies(path: Path, lines: list[tuple[int, str]]) -> list[LabelledReply]:
    """The labelled replies of ``path``'s ``lines``; a malformed line is a one-line error."""
    replies = []
    for number, line in lines:
        try:
            row = json.loads(line)
            act = label(str(row["act"]))
            replies.append(
                LabelledReply(
                    str(row["text"]), str(row["lang"]), act, row.get("context") == "rating"
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise CommandError(
                f'{path}:{number}: expected {{"text": ..., "lang": ..., "act": ...}}'
            ) from None
        if act not in ACTS:
            raise CommandError(f"{path}:{number}: unknown act {act!r}; one of {', '.join(ACTS)}")
    if not replies:
        raise CommandError(f"{path} has no labelled lines")
    return replies


def read_labelled(path: Path, lines: list[tuple[int, str]]) -> list[LabelledMessage]:
    """The labelled messages of ``path``'s ``lines``; a malformed line is a one-line error."""
    messages = []
    for number, line in lines:
        try:
            row = json.loads(line)
            messages.append(LabelledMessage(str(row["text"]), str(row["lang"]), str(row["intent"])))
        except (json.JSONDecodeError, KeyError, TypeError):
            raise CommandError(
                f'{path}:{number}: expected {{"text": ..., "lang": ..., "intent": ...}}'
            ) from None
    if not messages:
        raise CommandError(f"{path} has no labelled lines")
    return messages


__all__ = ["read_labelled", "read_replies", "register", "run"]
