"""Loading the knowledge and the matcher for the command line, and the matcher's JSON shape."""

from __future__ import annotations

from pathlib import Path

from adapters.cli.commands import CommandError
from bot.knowledge import Knowledge, KnowledgeError, default_knowledge_dir, load_knowledge
from bot.settings import Settings
from bot.understanding.intents import MatchResult
from bot.understanding.matcher import Matcher


def knowledge_dir(settings: Settings, override: str | None = None) -> Path:
    """The directory to read: ``override``, else FIXBOT_KNOWLEDGE_DIR, else the shipped one."""
    if override:
        return Path(override).expanduser()
    return settings.knowledge_dir or default_knowledge_dir()


def load(settings: Settings, override: str | None = None) -> Knowledge:
    """The knowledge base, or a one-line CommandError that points at ``fixbot kb check``."""
    directory = knowledge_dir(settings, override)
    if not directory.is_dir():
        raise CommandError(f"knowledge directory {directory} does not exist")
    try:
        return load_knowledge(directory)
    except KnowledgeError as error:
        raise CommandError(f"{error}; run 'fixbot kb check {directory}' for every issue") from None


def build_matcher(settings: Settings, knowledge: Knowledge) -> Matcher:
    """The matcher with the configured thresholds, language default and input limit."""
    return Matcher.build(
        knowledge,
        settings.matcher,
        default_language=settings.default_language,
        max_chars=settings.limits.max_inbound_chars,
        cache_dir=settings.model_cache(),
    )


def result_json(result: MatchResult) -> dict[str, object]:
    """The answer shape of ``fixbot match --json`` and ``--jsonl`` ("outside" with "none":
    plain language about something else, not gibberish)."""
    answer: dict[str, object] = {
        "decision": result.decision,
        "intent": result.intent,
        "confidence": result.confidence,
        "language": result.language,
        "candidates": [{"intent": c.intent, "score": c.score} for c in result.candidates],
    }
    if result.decision == "none":
        answer["outside"] = result.outside
        if result.lookalike:
            answer["lookalike"] = result.lookalike
    return answer
