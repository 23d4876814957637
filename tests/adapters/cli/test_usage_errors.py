"""Bad options to any command: one line on stderr that says what and where help is, exit 2."""

from __future__ import annotations

import pytest

from tests.cli_run import fixbot


@pytest.mark.parametrize(
    "argv",
    [
        ("chat", "--user", "a\tb"),
        ("chat", "--user", "x" * 500),
        ("chat", "--language", "de"),
        ("staff",),
        ("transcripts", "list", "--limit", "many"),
        ("serve", "irc"),
        ("db", "downgrade"),
        ("match",),
        ("kb", "check", "--nope"),
    ],
)
def test_a_bad_option_is_one_line_without_a_traceback(argv: tuple[str, ...]) -> None:
    done = fixbot(*argv)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("fixbot") and "Traceback" not in done.stderr
    assert done.stdout == ""
