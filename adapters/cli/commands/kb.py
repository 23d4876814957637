"""``fixbot kb check [DIR]``: validate a knowledge directory, report every issue as file:line."""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict

from adapters.cli.matching import knowledge_dir
from bot.knowledge import Knowledge, KnowledgeError, load_knowledge
from bot.settings import Settings
from bot.understanding.text import normalize


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="kb", metavar="WHAT", required=True)
    check = sub.add_parser("check", help="validate a knowledge directory")
    check.add_argument(
        "directory", nargs="?", metavar="DIR", help="default: the configured or shipped knowledge"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    directory = knowledge_dir(settings, args.directory)
    if not directory.is_dir():
        print(f"{directory}:0: not a directory", file=sys.stderr)
        return 1
    try:
        knowledge = load_knowledge(directory)
    except KnowledgeError as error:
        for issue in error.issues:
            print(str(issue), file=sys.stderr)
        print(f"{len(error.issues)} error(s) in {directory}", file=sys.stderr)
        return 1
    for warning in shared_phrases(knowledge):
        print(f"warning: {warning}", file=sys.stderr)
    print(summary(knowledge, str(directory)))
    return 0


def shared_phrases(knowledge: Knowledge) -> list[str]:
    """Phrases two intents both list (after normalisation): the matcher cannot separate them."""
    owners: dict[str, set[str]] = defaultdict(set)
    for intent, _language, phrase in knowledge.intent_phrases():
        owners[normalize(phrase)].add(intent)
    return [
        f"phrase {phrase!r} is listed by {', '.join(sorted(intents))}"
        for phrase, intents in sorted(owners.items())
        if len(intents) > 1
    ]


def summary(knowledge: Knowledge, directory: str) -> str:
    """One line of counts for a clean knowledge base."""
    phrases = sum(1 for _ in knowledge.intent_phrases())
    return (
        f"{directory}: ok: {len(knowledge.topics)} topics, {len(knowledge.problems)} problems, "
        f"{len(knowledge.steps)} steps, {len(knowledge.questions)} questions, "
        f"{len(knowledge.requests)} requests, {phrases} phrases"
    )
