"""The compact language table answers as py3langid itself does, to the last bit."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from py3langid.langid import MODEL_FILE
from py3langid.langid import LanguageIdentifier as Py3LangId

from bot.understanding.identifier import CompactIdentifier, compact_identifier
from bot.understanding.language import IDENTIFIER_LANGUAGES
from tests.paths import labelled_texts


def _texts() -> list[str]:
    texts = labelled_texts()
    chance = random.Random(7)  # any text at all: scripts, emoji, control characters
    for _ in range(300):
        length = chance.randrange(0, 80)
        texts.append(
            "".join(
                chr(chance.choice([chance.randrange(1, 0x250), chance.randrange(0x250, 0x3000)]))
                if chance.random() < 0.9
                else chance.choice("😀👍🔥\u200b\x00\t")
                for _ in range(length)
            )
        )
    return [*texts, "", "   ", "MAILEN FUNKER IKKE", "å" * 3_000]


@pytest.fixture(scope="module")
def cached(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("langid-cache")


def test_every_labelled_message_and_random_text_gets_py3langids_answer(cached: Path) -> None:
    reference = Py3LangId.from_model_file(MODEL_FILE, norm_probs=True)
    reference.set_languages(list(IDENTIFIER_LANGUAGES))
    texts = _texts()
    assert len(texts) > 2_000
    built = compact_identifier(IDENTIFIER_LANGUAGES, cached)
    expected = [reference.classify(text) for text in texts]
    assert [built.classify(text) for text in texts] == expected
    # a second table reads the saved file, and answers the same
    [saved] = cached.glob("langid-*.npz")
    read = CompactIdentifier.from_bytes(saved.read_bytes())
    assert read is not built
    assert [read.classify(text) for text in texts] == expected


def test_a_damaged_table_is_built_again(cached: Path, tmp_path: Path) -> None:
    compact_identifier(IDENTIFIER_LANGUAGES, cached)
    [saved] = cached.glob("langid-*.npz")
    (tmp_path / saved.name).write_bytes(saved.read_bytes()[:100])  # cut short
    table = compact_identifier(IDENTIFIER_LANGUAGES, tmp_path)
    assert table.classify("the inbox does not update")[0] == "en"
    assert (tmp_path / saved.name).read_bytes() == saved.read_bytes()


def test_a_read_only_cache_still_identifies(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    label, probability = compact_identifier(IDENTIFIER_LANGUAGES, blocked).classify(
        "mailen min oppdateres ikke lenger på telefonen"
    )
    assert label in ("no", "nn", "da") and 0.2 < probability <= 1.0


def test_parts_that_do_not_fit_together_are_refused(cached: Path) -> None:
    [saved] = cached.glob("langid-*.npz")
    table = CompactIdentifier.from_bytes(saved.read_bytes())
    broken = CompactIdentifier(
        table._keys, table._features[:-1], table._scores, table._priors, table.languages
    )
    with pytest.raises(ValueError):
        CompactIdentifier.from_bytes(broken.to_bytes())
