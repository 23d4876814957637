"""Step numbers named in a reply: which steps, and whether they were done."""

from __future__ import annotations

import pytest

from bot.dialog.step_numbers import StepsNamed, steps_named


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("I already did steps 1 to 3", StepsNamed(1, 3, done=True)),
        ("jeg har allerede gjort steg 1-3", StepsNamed(1, 3, done=True)),
        ("har prøvd steg 2 og 3", StepsNamed(2, 3, done=True)),
        ("step 5 please", StepsNamed(5, 5, done=False)),
        ("kan vi gå til steg 4?", StepsNamed(4, 4, done=False, going=True)),
        ("prøvd det steget 3 ganger", None),
        ("mailen kom etter 5 min", None),
        ("steg 3 til 1", None),  # backwards: no range
        ("ingen steg 0", None),
    ],
)
def test_steps_named(text: str, named: StepsNamed | None) -> None:
    assert steps_named(text) == named
