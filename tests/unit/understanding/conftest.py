"""The matcher on the shipped knowledge, built once for every understanding test."""

from __future__ import annotations

import pytest

from bot.knowledge import default_knowledge_dir, load_knowledge
from bot.settings import MatcherSettings
from bot.understanding.matcher import Matcher


@pytest.fixture(scope="session")
def shipped() -> Matcher:
    return Matcher.build(load_knowledge(default_knowledge_dir()), MatcherSettings())
