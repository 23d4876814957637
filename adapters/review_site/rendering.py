"""Turning a page's data into HTML: the Jinja environment (autoescaped) and shared helpers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from adapters.review_site.csrf import csrf_token
from bot.knowledge import Knowledge

TEMPLATES = Path(__file__).with_name("templates")


def build_environment() -> Environment:
    """Jinja with autoescaping on for every template: all output is escaped unless marked."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = when
    environment.filters["markup"] = bot_markup
    environment.filters["percent"] = lambda value: f"{value:.0f} %"
    return environment


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def bot_markup(text: str) -> Markup:
    """The bot's small markup (**bold**, `settings paths`) as HTML; escaped first, so safe."""
    html = str(escape(text))
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return Markup(_CODE.sub(r"<code>\1</code>", html))


def when(moment: datetime | None) -> str:
    """A timestamp as staff read it (UTC, minutes)."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def language_of(request: Request) -> str:
    language = request.session.get("lang")
    return language if language in ("nb", "en") else request.app.state.default_language


class Labels:
    """Problem, question and step titles from the knowledge base, in one language."""

    def __init__(self, knowledge: Knowledge, language: str) -> None:
        self._knowledge = knowledge
        self._language = language

    def problem(self, intent: str | None) -> str:
        if not intent:
            return "—"
        for group in (self._knowledge.problems, self._knowledge.questions):
            item = group.get(intent)
            if item is not None:
                return item.title.get(self._language)
        return intent

    def step(self, step_id: str) -> str:
        step = self._knowledge.steps.get(step_id)
        return step.title.get(self._language) if step is not None else step_id


def query_with(request: Request, **changes: object) -> str:
    """This page's query string with ``changes`` applied (None removes a key)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render ``template`` with the page context plus what every page needs."""
    state = request.app.state
    language = language_of(request)
    strings = state.strings

    def t(key: str, **values: object) -> str:
        return strings.get(key, language, **values)

    page = {
        "request": request,
        "t": t,
        "lang": language,
        "staff": request.session.get("staff"),
        "csrf_token": csrf_token(request),
        "labels": Labels(state.knowledge, language),
        "query_with": lambda **changes: query_with(request, **changes),
        "path": request.url.path,
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        **context,
    }
    html = state.environment.get_template(template).render(page)
    return HTMLResponse(html, status_code=status_code)
