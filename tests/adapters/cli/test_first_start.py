"""A newcomer's first start of each command, through the real command line: no set-up step."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

from tests.cli_run import fixbot
from tests.paths import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_chat_on_a_new_sqlite_file_works_with_no_other_step(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'fixbot.db'}"
    done = fixbot("chat", stdin="hei\n", env={"FIXBOT_DATABASE_URL": url}, data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "fixbot db upgrade" not in done.stderr and "[1]" in done.stdout


def test_chat_on_an_empty_database_works_with_no_other_step(
    empty_database_url: str, tmp_path: Path
) -> None:
    done = fixbot(
        "chat", stdin="hei\n", env={"FIXBOT_DATABASE_URL": empty_database_url}, data_dir=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "[1]" in done.stdout


def test_review_makes_and_keeps_its_key_and_says_how_to_add_staff(
    database_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "FIXBOT_DATABASE_URL": database_url,
        "XDG_DATA_HOME": str(tmp_path),
        "FIXBOT_REVIEW_SECRET_KEY": "",
    }
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "review", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        second = process.stdout.readline()
        assert "fixbot staff add" in first, first + (
            process.stderr.read() if process.stderr else ""
        )
        assert "serving on" in second
        key_file = tmp_path / "fixbot" / "review_secret_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert len(key_file.read_text().strip()) == 64
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    key = key_file.read_text()
    assert key_file.read_text() == key
