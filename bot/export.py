"""Export formats shared by the command line and the review site."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# A cell starting with one of these is run as a formula by spreadsheet programs
# (CSV injection); user-written text must never start one. Spreadsheets skip
# leading spaces and line breaks and some read full-width signs ("＝") as their
# ASCII twins, so the first character that is not white space is compared
# after NFKC folding.
_FORMULA_STARTS = ("=", "+", "-", "@", "|", "%")
_CONTROL_STARTS = ("\t", "\r", "\n")


def spreadsheet_safe(value: object) -> str:
    """``value`` as CSV cell text that a spreadsheet shows instead of running."""
    text = "" if value is None else str(value)
    if text.startswith(_CONTROL_STARTS):
        return "'" + text
    first = text.lstrip()[:1]
    if first and unicodedata.normalize("NFKC", first).startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_row(values: Iterable[object]) -> list[str]:
    """A CSV row whose every cell is ``spreadsheet_safe``."""
    return [spreadsheet_safe(value) for value in values]
