"""Reading one field of a knowledge entry: ids, texts in both languages, phrase lists.

``FieldReader`` is the half of the knowledge builder that knows what a valid
field looks like; every reader records what is wrong as a ``KnowledgeIssue``
with its file and line and returns an empty value, so one run reports every
issue instead of stopping at the first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.knowledge import (
    CALLBACK_DATA_LIMIT,
    ID_PATTERN,
    LANGUAGES,
    Check,
    KnowledgeIssue,
    Phrases,
    Text,
)


def line_of(node: object) -> int:
    """The YAML line a parsed node came from (0 when the loader did not record one)."""
    return int(getattr(node, "line", 0))


class Holder(dict[str, Any]):
    """A mapping that carries the line of the value it wraps, for issue messages."""

    line: int = 0


class FieldReader:
    """Reads and checks single fields; collects issues in ``issues``."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self.issues: list[KnowledgeIssue] = []
        # where each id was defined, for duplicate-id messages
        self._where: dict[str, tuple[str, int]] = {}

    def _name(self, path: Path) -> str:
        try:
            return str(path.relative_to(self._root))
        except ValueError:
            return str(path)

    def issue(self, path: Path | str, line: int, message: str) -> None:
        name = self._name(path) if isinstance(path, Path) else path
        self.issues.append(KnowledgeIssue(name, line, message))

    def _items(self, file: str, value: Any, line: int, section: str) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            self.issue(file, line, f"{section} must be a list")
            return []
        items = []
        for item in value:
            if isinstance(item, dict):
                items.append(item)
            else:
                self.issue(file, line, f"each entry of {section} must be a mapping")
        return items

    def _id(self, file: str, item: dict[str, Any], kind: str) -> str | None:
        line = line_of(item)
        raw = item.get("id")
        if not isinstance(raw, str) or not raw:
            self.issue(file, line, f"{kind} without an id")
            return None
        if not ID_PATTERN.match(raw):
            self.issue(file, line, f"{kind} id {raw!r} must be lowercase letters, digits and '-'")
            return None
        if raw in self._where:
            other_file, other_line = self._where[raw]
            self.issue(
                file, line, f"duplicate id {raw!r} (first defined at {other_file}:{other_line})"
            )
            return None
        self._where[raw] = (file, line)
        return raw

    def _text(self, file: str, item: dict[str, Any], key: str, *, required: bool = True) -> Text:
        line = line_of(item)
        value = item.get(key)
        if value is None:
            if required:
                self.issue(file, line, f"{item.get('id', '?')}: missing {key!r}")
            return Text("", "")
        if not isinstance(value, dict):
            owner = item.get("id", "?")
            self.issue(file, line_of(value) or line, f"{owner}: {key!r} needs nb and en")
            return Text("", "")
        texts = {}
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                self.issue(
                    file,
                    line_of(value) or line,
                    f"{item.get('id', '?')}: {key!r} has no {language} text",
                )
                texts[language] = ""
            else:
                texts[language] = text.strip()
        return Text(**texts)

    def _phrases(self, file: str, item: dict[str, Any], key: str, owner: str) -> Phrases:
        line = line_of(item)
        value = item.get(key)
        if not isinstance(value, dict):
            self.issue(file, line, f"{owner}: {key!r} needs phrase lists for nb and en")
            return Phrases((), ())
        lists: dict[str, tuple[str, ...]] = {}
        for language in LANGUAGES:
            raw = value.get(language)
            if not isinstance(raw, list) or not raw:
                self.issue(file, line_of(value) or line, f"{owner}: empty {language} {key} list")
                lists[language] = ()
                continue
            phrases = []
            for phrase in raw:
                if not isinstance(phrase, str) or not phrase.strip():
                    self.issue(file, line_of(value) or line, f"{owner}: blank {language} phrase")
                else:
                    phrases.append(phrase.strip())
            lists[language] = tuple(phrases)
        return Phrases(nb=lists["nb"], en=lists["en"])

    def _payload_fits(self, file: str, line: int, template: str, item_id: str) -> None:
        payload = template.format(id=item_id)
        if len(payload.encode("utf-8")) > CALLBACK_DATA_LIMIT:
            self.issue(
                file,
                line,
                f"id {item_id!r} makes button payload {payload!r} longer than "
                f"Telegram's {CALLBACK_DATA_LIMIT} bytes",
            )

    def _urgent(self, file: str, item: dict[str, Any], problem_id: str, handoff: bool) -> bool:
        urgent = item.get("urgent", False)
        if not isinstance(urgent, bool):
            self.issue(file, line_of(item), f"{problem_id}: 'urgent' must be true or false")
            return False
        if urgent and not handoff:
            self.issue(file, line_of(item), f"{problem_id}: 'urgent' needs 'handoff: true'")
        return urgent

    def _words(
        self,
        file: str,
        item: dict[str, Any],
        key: str,
        owner: str | None = None,
        kind: str = "words",
    ) -> tuple[str, ...]:
        """The list of words (or phrases) ``key`` of ``item`` (of ``owner``, when named in
        the issue); empty when absent or not a list of non-empty strings."""
        words = item.get(key) or []
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            where = f"{owner}: " if owner else ""
            self.issue(file, line_of(item), f"{where}'{key}' must be a list of {kind}")
            return ()
        return tuple(words)

    def _word_lists(
        self, file: str, item: dict[str, Any], step_id: str | None, key: str
    ) -> tuple[tuple[str, ...], ...]:
        """A step's ``done_if``, ``only_if``, ``skip_if``, ``found_if`` or ``looks_for``, or a
        check's ``told_if``: a list of word lists."""
        raw = item.get(key, [])
        valid = isinstance(raw, list) and all(
            isinstance(words, list) and words and all(isinstance(w, str) and w for w in words)
            for words in raw
        )
        if not valid:
            self.issue(file, line_of(item), f"{step_id}: '{key}' must be a list of word lists")
            return ()
        return tuple(tuple(str(w) for w in words) for words in raw)

    def _check(self, file: str, item: dict[str, Any]) -> Check | None:
        check = item.get("check")
        if not isinstance(check, dict):
            self.issue(file, line_of(item), "'check' must have question, fine and fault")
            return None
        if "outage" in check and not isinstance(check["outage"], bool):
            self.issue(file, line_of(check), "'outage' must be true or false")
        return Check(
            question=self._text(file, check, "question"),
            fine=self._text(file, check, "fine"),
            fault=self._text(file, check, "fault"),
            outage=check.get("outage") is True,
            told_if=self._word_lists(file, check, item.get("id"), "told_if"),
        )
