"""The interactive ``fixbot chat`` in a real pseudo-terminal: editing, bytes, leaving."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.knowledge import default_knowledge_dir, load_knowledge
from tests.pty_chat import PtyChat

UI = load_knowledge(default_knowledge_dir())
PROMPT = "> "
LEFT, RIGHT, BACKSPACE = b"\x1b[D", b"\x1b[C", b"\x7f"


def step_one() -> str:
    return UI.text("step_header", "nb", n=1, total="\x00", title="").split("\x00")[0]


@pytest.fixture
def terminal(database_url: str, tmp_path: Path) -> Iterator[PtyChat]:
    chat = PtyChat(database_url, tmp_path / "data", "--user", "kari")
    try:
        chat.wait_for("\n" + PROMPT)
        yield chat
    finally:
        chat.close()


def goodbye() -> str:
    return UI.text("console_goodbye", "nb").replace("`", "")


def test_arrow_keys_edit_the_line_instead_of_typing_escape_codes(terminal: PtyChat) -> None:
    # "2X", left, right, backspace: with line editing that is "2", the second problem.
    mark = len(terminal.output)
    terminal.type(b"2X" + LEFT + RIGHT + BACKSPACE + b"\r")
    out = terminal.wait_for(step_one().replace("**", ""), after=mark)
    assert "^[[D" not in out


def test_latin1_bytes_are_answered_not_a_traceback(terminal: PtyChat) -> None:
    mark = len(terminal.output)
    terminal.type(b"f\xe5r ikke sendt e-post\r")
    terminal.wait_for(step_one().replace("**", ""), after=mark)
    terminal.wait_for("\n" + PROMPT, after=mark)  # a new prompt: the step is all shown
    terminal.type(b"\x04")
    assert terminal.wait_for_exit() == 0
    assert "Traceback" not in terminal.text
    assert goodbye() in terminal.text


def test_ctrl_c_says_goodbye_on_its_own_line_and_exits_cleanly(terminal: PtyChat) -> None:
    terminal.interrupt()
    assert terminal.wait_for_exit() == 0
    out = terminal.text
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
    # The goodbye and then a line end: the shell's prompt starts on a new line.
    assert out.rstrip(" ").endswith(goodbye() + "\r\n")
    assert f"{PROMPT}\r\n" in out or f"{PROMPT}^C\r\n" in out


def test_ctrl_d_says_goodbye(terminal: PtyChat) -> None:
    terminal.type(b"\x04")
    assert terminal.wait_for_exit() == 0
    assert terminal.text.rstrip(" ").endswith(goodbye() + "\r\n")
