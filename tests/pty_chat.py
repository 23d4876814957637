"""``fixbot chat`` driven through a pseudo-terminal, as a person at a terminal drives it."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.paths import ROOT

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
DEADLINE_S = 60.0  # generous: two cores shared by several test runs


def _own_terminal() -> None:
    """In the child: a session of its own with the pty as its controlling terminal, so
    Ctrl-C typed there is a SIGINT, as in a real terminal. Its SIGINT starts on the
    default, as a shell starts a foreground job: a test run started in the background
    of a script without job control ignores SIGINT, and every child would inherit it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyChat:
    """A running ``fixbot chat`` on a pty: type keys, wait for text, read what it wrote."""

    def __init__(self, database_url: str, data_dir: Path, *args: str) -> None:
        controller, terminal = os.openpty()
        env = {
            **os.environ,
            "FIXBOT_DATABASE_URL": database_url,
            "XDG_DATA_HOME": str(data_dir),
            "TERM": "xterm",
            "PYTHONUNBUFFERED": "1",
        }
        self._controller = controller
        self.process = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "chat", *args],
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            cwd=ROOT,
            env=env,
            preexec_fn=_own_terminal,
        )
        os.close(terminal)
        self.output = b""

    def type(self, keys: bytes) -> None:
        os.write(self._controller, keys)

    def wait_for(self, text: str, *, after: int = 0) -> str:
        """Read until ``text`` shows up past byte ``after``; everything read so far."""
        deadline = time.monotonic() + DEADLINE_S
        while text not in _ANSI.sub("", self.output[after:].decode("utf-8", errors="replace")):
            if not self._read(deadline):
                raise AssertionError(f"{text!r} never came; the terminal shows:\n{self.text}")
        return self.text

    def interrupt(self, retry_after_s: float = 3.0) -> None:
        """Ctrl-C, pressed again while the chat has not ended (as a person would).

        CPython's readline misses a SIGINT that lands between drawing the prompt and
        waiting for a key; with the warm-up thread busy on a loaded machine that window
        is wide enough for a key typed the instant the prompt shows.
        """
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            self.type(b"\x03")
            wait_until = time.monotonic() + retry_after_s
            while self.process.poll() is None and self._read(wait_until):
                pass
            try:
                self.process.wait(timeout=0.5)
                return
            except subprocess.TimeoutExpired:
                continue

    def wait_for_exit(self) -> int:
        deadline = time.monotonic() + DEADLINE_S
        while self._read(deadline):
            pass
        try:
            return self.process.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise AssertionError(f"fixbot chat did not end; it shows:\n{self.text!r}") from None

    @property
    def text(self) -> str:
        """What the terminal shows so far, without colour codes."""
        return _ANSI.sub("", self.output.decode("utf-8", errors="replace"))

    def _read(self, deadline: float) -> bool:
        """One chunk of output; False at end of output or past the deadline."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([self._controller], [], [], remaining)
        if not ready:
            return False
        try:
            chunk = os.read(self._controller, 65536)
        except OSError:  # the other end closed (Linux: EIO)
            return False
        self.output += chunk
        return bool(chunk)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self._controller)
