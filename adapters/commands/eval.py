"""``fixbot eval FILE.jsonl [--min-accuracy X]``: measure the matcher against labelled messages."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from adapters.baseline import baseline_accuracy
from adapters.commands import CommandError
from adapters.evaluation import Evaluation, LabelledMessage, evaluate
from adapters.matching import build_matcher, load
from bot.settings import Settings


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE.jsonl", help='labelled lines {"text","lang","intent"}'
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
    messages = read_labelled(Path(args.file))
    knowledge = load(settings, args.knowledge)
    matcher = build_matcher(settings, knowledge)
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


def read_labelled(path: Path) -> list[LabelledMessage]:
    """The labelled messages of a JSONL file; a malformed line is a one-line error naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
    messages = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
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


__all__ = ["Evaluation", "read_labelled", "register", "run"]
