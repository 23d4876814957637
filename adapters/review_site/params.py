"""Reading the review site's query parameters: anything out of range is a ``BadParameter``.

Every page that takes filters, paging or a sort reads them here, and answers
a bad value with a 400 page that names the parameter, never a 500: dates
must be real days within ``DATE_RANGE`` (``9999-12-31`` would overflow the
day after), the start not after the end, pages whole numbers within
``MAX_PAGE``, sorts and directions one of the offered ones, and the choice
lists (status, platform, language) one of their values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.knowledge import LANGUAGES
from bot.store.review.filters import SORTS, STATUSES, ConversationFilter

PLATFORMS: tuple[str, ...] = ("telegram", "slack", "console")
DIRECTIONS: tuple[str, ...] = ("asc", "desc")
DATE_RANGE = (date(2000, 1, 1), date(2100, 12, 31))
MAX_PAGE = 100_000
MAX_TEXT_CHARS = 200


class BadParameter(ValueError):
    """A query parameter the site cannot use; ``name`` is the parameter."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"bad value for {name}")


@dataclass(frozen=True, slots=True)
class ListQuery:
    """The conversation list's filters, sort and page."""

    filters: ConversationFilter
    sort: str
    descending: bool
    page: int


def _text(params: Mapping[str, str], key: str) -> str | None:
    return (params.get(key) or "").strip()[:MAX_TEXT_CHARS] or None


def _choice(params: Mapping[str, str], key: str, allowed: tuple[str, ...]) -> str | None:
    value = _text(params, key)
    if value is not None and value not in allowed:
        raise BadParameter(key)
    return value


def _day(params: Mapping[str, str], key: str) -> date | None:
    value = (params.get(key) or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadParameter(key) from None
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        raise BadParameter(key)
    return day


def parse_filters(params: Mapping[str, str]) -> ConversationFilter:
    """Filters from query parameters; ``BadParameter`` for a value out of range.
    Values are only ever bound parameters, never SQL."""
    date_from, date_to = _day(params, "from"), _day(params, "to")
    if date_from and date_to and date_from > date_to:
        raise BadParameter("from")
    return ConversationFilter(
        platform=_choice(params, "platform", PLATFORMS),
        status=_choice(params, "status", STATUSES),
        problem=_text(params, "problem"),
        language=_choice(params, "language", LANGUAGES),
        date_from=date_from,
        date_to=date_to,
        text=_text(params, "q"),
    )


def parse_list(params: Mapping[str, str]) -> ListQuery:
    """The list page's query: filters, ``sort``, ``dir`` and ``page``."""
    sort = params.get("sort") or "started"
    if sort not in SORTS:
        raise BadParameter("sort")
    direction = params.get("dir") or "desc"
    if direction not in DIRECTIONS:
        raise BadParameter("dir")
    raw_page = (params.get("page") or "1").strip()
    if not raw_page.isascii() or not raw_page.isdigit() or not 1 <= int(raw_page) <= MAX_PAGE:
        raise BadParameter("page")
    return ListQuery(parse_filters(params), sort, direction == "desc", int(raw_page))
