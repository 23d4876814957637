"""Where the tests find the checkout, their fixtures and the shared labelled sets."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


def labelled_texts() -> list[str]:
    """Every text of the labelled sets in ``FIXTURES``: messages, replies, and each turn of
    the labelled conversations."""
    texts = []
    for path in sorted(FIXTURES.glob("eval_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                turns = row.get("turns", [row])
                texts += [turn["text"] for turn in turns]
    return texts
