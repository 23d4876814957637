"""``fixbot kb check`` on a knowledge directory with one YAML syntax error."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli_run import fixbot
from tests.paths import ROOT


def test_a_yaml_syntax_error_is_reported_once_with_file_and_line(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", kb, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    steps = kb / "iphone-mail" / "steps.yaml"
    lines = steps.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  - id:"))
    lines.insert(first + 1, "    title: [unclosed")
    steps.write_text("\n".join(lines) + "\n", encoding="utf-8")

    done = fixbot("kb", "check", str(kb))
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() + done.stdout.splitlines() if ": " in line]
    assert len(errors) == 1, done.stdout + done.stderr
    assert errors[0].startswith(f"iphone-mail/steps.yaml:{first + 3}: invalid YAML")
