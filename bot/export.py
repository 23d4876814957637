"""Export formats shared by the command line and the review site."""

from __future__ import annotations

from collections.abc import Iterable

# A cell starting with one of these is run as a formula by spreadsheet programs
# (CSV injection); user-written text must never start one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """``value`` as CSV cell text that a spreadsheet shows instead of running."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_row(values: Iterable[object]) -> list[str]:
    """A CSV row whose every cell is ``spreadsheet_safe``."""
    return [spreadsheet_safe(value) for value in values]
