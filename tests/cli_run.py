"""Run the real ``fixbot`` command in a subprocess, as a person at a shell would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT


def fixbot(
    *args: str,
    stdin: bytes | str = b"",
    env: dict[str, str] | None = None,
    data_dir: Path | None = None,
    timeout: float = 120.0,
) -> subprocess.CompletedProcess[str]:
    """``fixbot ARGS`` with ``stdin``; text output (undecodable bytes replaced)."""
    environment = {**os.environ, **(env or {})}
    if data_dir is not None:
        environment["XDG_DATA_HOME"] = str(data_dir)
    raw = stdin.encode() if isinstance(stdin, str) else stdin
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        input=raw,
        capture_output=True,
        cwd=ROOT,
        env=environment,
        timeout=timeout,
        check=False,
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
    )
