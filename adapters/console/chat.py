"""The terminal chat: fixbot's replies as text, buttons as numbered choices.

Two front ends over the same core: an interactive chat for people
(``ConsoleChat``) and a JSON-lines protocol for scripts (``JsonlChat``).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import IO, Any, Protocol

from bot.events import Button, Inbound, InvalidIdentifier, Outcome, Reply

PLATFORM = "console"
logger = logging.getLogger(__name__)
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_PATH = re.compile(r"`([^`]+)`")


class Core(Protocol):
    """What the console needs of the core: ``bot.service.Service`` satisfies it."""

    def handle(self, event: Inbound) -> Outcome: ...


def render_text(text: str, *, ansi: bool) -> str:
    """Render fixbot markup for a terminal: bold and paths highlighted when ``ansi``."""
    if ansi:
        text = _BOLD.sub("\033[1m\\1\033[0m", text)
        return _PATH.sub("\033[36m\\1\033[0m", text)
    return _PATH.sub("\\1", _BOLD.sub("\\1", text))


def number_buttons(
    text: str, buttons: tuple[Button, ...], verbs: tuple[str, str] | None = None
) -> str:
    """ "Trykk **Snakk med IT**" -> "Velg 13 (**Snakk med IT**)": nothing is tapped in a
    terminal, so a button the text names gets the number that chooses it, and the word
    for tapping (``verbs``: tap word, choose word, as ``console_tap``/``console_choose``)
    becomes the word for choosing."""
    numbers: dict[str, int] = {}
    for number, button in enumerate(buttons, start=1):
        numbers[button.label] = number  # a label shown twice: its latest number
    for label, number in numbers.items():
        text = text.replace(f"**{label}**", f"{number} (**{label}**)")
    if verbs is None or not all(verbs):
        return text
    tap, choose = verbs
    # only where a numbered button follows: "trykk 13 (**Snakk med IT**)"
    pattern = re.compile(rf"\b({re.escape(tap)})(?=\s+\d+ \(\*\*)", re.IGNORECASE)
    return pattern.sub(lambda m: choose.capitalize() if m.group(1)[0].isupper() else choose, text)


def turn_buttons(replies: Sequence[Reply]) -> tuple[Button, ...]:
    """Every button of one answer, in the order shown, numbered from 1 across replies."""
    return tuple(button for reply in replies for button in reply.buttons)


def choose_button(buttons: tuple[Button, ...], typed: str) -> Button | None:
    """The button a typed line presses: its number or its label (any case), else None."""
    typed = typed.strip()
    if typed.isdigit() and 1 <= int(typed) <= len(buttons):
        return buttons[int(typed) - 1]
    folded = typed.casefold()
    for button in buttons:
        if button.label.casefold() == folded:
            return button
    return None


@dataclass
class ConsoleChat:
    """An interactive chat with one user on a terminal.

    The buttons of the latest reply are remembered so "2" or "Hjalp ikke"
    presses one; anything else is sent as typed text. Ctrl-D or Ctrl-C leaves
    with a goodbye (``texts`` words it; None: no goodbye, as for a pipe), and
    a failure inside fixbot is an apology, never a traceback.
    """

    core: Core
    user: str
    output: IO[str]
    ansi: bool = False
    language_hint: str | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    texts: Callable[[str, str], str] | None = None
    unavailable: tuple[type[Exception], ...] = ()
    # the knowledge's wording for button references ("Velg 13 (Snakk med IT)"), piped or not
    wording: Callable[[str, str], str] | None = None

    def __post_init__(self) -> None:
        self._buttons: tuple[Button, ...] = ()
        self._language = self.language_hint or "nb"

    def run(self, lines: Iterable[str], *, prompt: Callable[[], None] | None = None) -> None:
        """Greet, then answer each line until the input ends or the person presses Ctrl-C."""
        try:
            self._send(payload="menu")
            for line in lines:
                line = line.rstrip("\r\n")
                if line.strip():
                    button = choose_button(self._buttons, line)
                    if button is not None:
                        self._send(payload=button.payload)
                    else:
                        self._send(text=line)
                if prompt is not None:
                    prompt()
        except KeyboardInterrupt:
            pass  # Ctrl-C: leave as politely as Ctrl-D
        self._say_goodbye()

    def _say_goodbye(self) -> None:
        # The newline first: the shell's prompt must not land on the chat's prompt line.
        if self.texts is not None:
            self._write_ui("console_goodbye")

    def _send(self, *, text: str | None = None, payload: str | None = None) -> None:
        try:
            self._handle(text=text, payload=payload)
        except self.unavailable:
            raise
        except Exception:
            # The person gets an apology and may go on; the details go to the log.
            logger.debug("chat: failed to handle a line", exc_info=True)
            logger.error("chat: failed to handle a line (FIXBOT_LOG_LEVEL=DEBUG shows why)")
            if self.texts is not None:
                self._write_ui("error_apology")

    def _verbs(self) -> tuple[str, str] | None:
        """The conversation language's words for tapping and for choosing, if known."""
        words = self.wording or self.texts
        if words is None:
            return None
        try:
            return words("console_tap", self._language), words("console_choose", self._language)
        except KeyError:  # a knowledge base without them: numbers only
            return None

    def _write_ui(self, key: str) -> None:
        assert self.texts is not None
        text = render_text(self.texts(key, self._language), ansi=self.ansi)
        self.output.write("\n" + text + "\n")
        self.output.flush()

    def _handle(self, *, text: str | None, payload: str | None) -> None:
        event = Inbound(
            platform=PLATFORM,
            user_id=self.user,
            chat_key=self.user,
            event_id=uuid.uuid4().hex,
            received_at=self.clock(),
            text=text,
            payload=payload,
            language_hint=self.language_hint,
            display_name=self.user,
        )
        outcome = self.core.handle(event)
        # first: the replies that switch to English already say "choose", not "velg"
        self._language = outcome.conversation.language or self._language
        # one numbering for the whole answer: a suggested question's [1] and the step's
        # buttons after it must not both be "1"
        shown = turn_buttons(outcome.replies)
        first = 1
        for reply in outcome.replies:
            self._show(reply, shown, first)
            first += len(reply.buttons)
        # only the latest answer's numbers count: after an answer without buttons (an
        # urgent handoff) a typed "1" is text, not the opening menu's first problem
        self._buttons = shown

    def _show(self, reply: Reply, buttons: tuple[Button, ...], first: int) -> None:
        text = number_buttons(reply.text, buttons, self._verbs())
        self.output.write("\n" + render_text(text, ansi=self.ansi) + "\n")
        for number, button in enumerate(reply.buttons, start=first):
            self.output.write(f"  [{number}] {button.label}\n")
        self.output.flush()


class JsonlError(ValueError):
    """A JSON line that cannot be handled; the message is what the caller sees."""


def parse_jsonl_request(line: str, received_at: datetime) -> Inbound:
    """Turn one input line of ``fixbot chat --jsonl`` into an inbound event."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise JsonlError(f"invalid JSON: {error.msg} at column {error.colno}") from None
    except ValueError:  # a number of more than 4,300 digits
        raise JsonlError("invalid JSON: a number too long to read") from None
    except RecursionError:
        raise JsonlError("invalid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise JsonlError("each line must be a JSON object")
    user = data.get("user")
    if not isinstance(user, str) or not user.strip():
        raise JsonlError("'user' must be a non-empty string")
    text, button = data.get("text"), data.get("button")
    if (text is None) == (button is None):
        raise JsonlError("give exactly one of 'text' or 'button'")
    if text is not None and not isinstance(text, str):
        raise JsonlError("'text' must be a string")
    if button is not None and (not isinstance(button, str) or not button):
        raise JsonlError("'button' must be a non-empty string")
    event_id = data.get("event", uuid.uuid4().hex)
    if not isinstance(event_id, str | int) or isinstance(event_id, bool):
        raise JsonlError("'event' must be a string or a number")
    language = data.get("language")
    try:
        return Inbound(
            platform=PLATFORM,
            user_id=user,
            chat_key=user,
            event_id=str(event_id),
            received_at=received_at,
            text=text,
            payload=button,
            language_hint=language if isinstance(language, str) else None,
            display_name=user,
        )
    except InvalidIdentifier as error:  # an over-long or unprintable user or event id
        field = "'event'" if error.field == "event_id" else "'user'"
        raise JsonlError(f"{field} is too long or has control characters") from None


def outcome_to_json(user: str, outcome: Outcome) -> dict[str, Any]:
    """The output line for one handled input."""
    view = outcome.conversation
    return {
        "user": user,
        "replies": [
            {
                "text": reply.text,
                "buttons": [{"label": b.label, "payload": b.payload} for b in reply.buttons],
            }
            for reply in outcome.replies
        ],
        "state": {"status": view.status, "intent": view.intent, "step": view.step},
        "duplicate": outcome.duplicate,
    }


@dataclass
class JsonlChat:
    """``fixbot chat --jsonl``: one JSON line in, one JSON line out, errors per line."""

    core: Core
    output: IO[str]
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    unavailable: tuple[type[Exception], ...] = ()

    def __post_init__(self) -> None:
        # Each user's latest buttons, so "button" may be a number or a label as well
        # as a payload (a new process knows none yet: then it must be the payload).
        self._buttons: dict[str, tuple[Button, ...]] = {}

    def run(self, lines: Iterable[str]) -> int:
        """Answer every line; returns how many lines were errors."""
        errors = 0
        for line in lines:
            if not line.strip():
                continue
            try:
                event = self._pressed(parse_jsonl_request(line, self.clock()))
                outcome = self.core.handle(event)
                # only the latest answer's buttons count: after an answer without any (an
                # urgent handoff) "1" must not press an older reply's first button
                self._buttons[event.user_id] = turn_buttons(outcome.replies)
                answer = outcome_to_json(event.user_id, outcome)
            except JsonlError as error:
                answer, errors = {"error": str(error)}, errors + 1
            except self.unavailable as error:
                answer, errors = {"error": f"service unavailable: {error}"}, errors + 1
            except Exception:
                # One bad line must not end the stream; the details go to the log at
                # DEBUG, the line's error is one line.
                logger.debug("chat --jsonl: failed to handle a line", exc_info=True)
                logger.error("chat --jsonl: failed to handle a line (DEBUG logging shows why)")
                answer, errors = {"error": "internal error; see the log"}, errors + 1
            self.output.write(json.dumps(answer, ensure_ascii=False) + "\n")
            self.output.flush()
        return errors

    def _pressed(self, event: Inbound) -> Inbound:
        """A "button" given as a number or label of the user's latest buttons -> its payload."""
        if event.payload is None:
            return event
        latest = self._buttons.get(event.user_id)
        button = choose_button(latest or (), event.payload)
        if button is None and event.payload.strip().isdigit():
            # a number presses a button of the latest reply this process showed: in a new
            # process, or after a reply without buttons, there is none to press
            if latest is None:
                known = "none is known yet"
            elif latest:
                known = f"its latest reply had {len(latest)}"
            else:
                known = "its latest reply had none"
            raise JsonlError(
                f"button {event.payload.strip()}: no button of that number ({known} in this "
                'process); give its payload as printed in "buttons"'
            )
        return event if button is None else replace(event, payload=button.payload)
