"""The review site's own wording in Norwegian and English (``strings.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

LANGUAGES: tuple[str, ...] = ("nb", "en")
STRINGS_FILE = Path(__file__).with_name("strings.yaml")


class Strings:
    """Every interface string in both languages; ``get`` fills ``{placeholders}``."""

    def __init__(self, table: Mapping[str, Mapping[str, str]]) -> None:
        missing = [
            f"{key}.{language}"
            for key, texts in table.items()
            for language in LANGUAGES
            if not isinstance(texts, Mapping) or not texts.get(language)
        ]
        if missing:
            raise ValueError(f"{STRINGS_FILE.name}: missing text for {', '.join(missing)}")
        self._table = table

    @classmethod
    def load(cls, path: Path = STRINGS_FILE) -> Strings:
        with path.open(encoding="utf-8") as handle:
            return cls(yaml.safe_load(handle))

    def get(self, key: str, language: str, **values: object) -> str:
        """The text for ``key``; an unknown key shows as itself so a typo is visible, not fatal."""
        texts = self._table.get(key)
        if texts is None:
            return key
        template = texts["en" if language == "en" else "nb"]
        return template.format(**values) if values else template
