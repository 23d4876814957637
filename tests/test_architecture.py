"""The architecture's import rules (pyproject's ``[tool.importlinter]``) hold, and they bite.

``lint-imports`` runs on the real tree, then on copies with one rule broken on
purpose, so a contract that silently stopped matching anything would show.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_tree(target: Path) -> Path:
    for package in ("bot", "adapters"):
        shutil.copytree(
            ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_tree_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("bot/events.py", "import adapters.slack.blocks", "the core imports no adapter"),
        ("bot/dialog/flow.py", "import slack_sdk", "The core imports no platform or web library"),
        ("bot/dialog/replies.py", "import sqlalchemy", "Only the store imports SQLAlchemy"),
        ("bot/understanding/matcher.py", "import bot.store.records", "are pure"),
        ("bot/understanding/text.py", "import bot.dialog.payloads", "The core's layers"),
        ("adapters/slack/blocks.py", "import adapters.telegram.render", "do not import each other"),
        ("adapters/telegram/app.py", "import adapters.cli.commands", "no adapter imports it"),
    ],
)
def test_breaking_a_rule_fails_the_lint(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    root = _copy_tree(tmp_path)
    path = root / module
    path.write_text(path.read_text() + f"\n{line}  # noqa: E402\n")
    result = _lint(root)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert len(broken) >= 1 and any(contract in row for row in broken), result.stdout
