"""``fixbot bench match``: matcher latency (p50/p99) and index build time, shipped and generated."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import yaml

from adapters.cli.matching import build_matcher, load
from bot.settings import Settings
from bot.understanding.matcher import Matcher

SEED = 20240601
POOLS_FILE = Path(__file__).resolve().parent / "match_pools.yaml"


def _pools() -> dict[str, dict[str, list[str]]]:
    with POOLS_FILE.open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


def generated_phrases(
    problems: int, per_language: int, seed: int = SEED
) -> list[tuple[str, str, str]]:
    """(intent, language, phrase) for ``problems`` problems, deterministic for ``seed``."""
    rng = random.Random(seed)
    pools = _pools()
    entries = []
    for number in range(problems):
        for language, pool in pools.items():
            things = rng.sample(pool["thing"], 2)
            place = rng.choice(pool["place"])
            symptoms = rng.sample(pool["symptom"], 2)
            marker = f"kode{number}" if language == "nb" else f"code{number}"
            for k in range(per_language):
                phrase = rng.choice(pool["template"]).format(
                    thing=things[k % 2], place=place, symptom=symptoms[(k // 2) % 2]
                )
                if k % 3 == 0:
                    phrase += f" {marker}"
                entries.append((f"gen-{number}", language, phrase))
    return entries


def _messages(phrases: list[str], count: int, seed: int) -> Iterator[str]:
    """Realistic-ish messages: knowledge phrases with words dropped, typos and extra words."""
    rng = random.Random(seed)
    extras = [extra for pool in _pools().values() for extra in pool["extra"]]
    for _ in range(count):
        words = rng.choice(phrases).split()
        if len(words) > 3 and rng.random() < 0.5:
            words.pop(rng.randrange(len(words)))
        if rng.random() < 0.3:
            i = rng.randrange(len(words))
            w = words[i]
            if len(w) > 4:
                j = rng.randrange(len(w) - 1)
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        if rng.random() < 0.3:
            words += rng.choice(extras).split()
        yield " ".join(words)


def _time(classify: Callable[[str], object], messages: list[str]) -> dict[str, float]:
    for text in messages[:50]:  # warm caches the way a running bot has them warm
        classify(text)
    samples = []
    for text in messages:
        start = time.perf_counter()
        classify(text)
        samples.append((time.perf_counter() - start) * 1000.0)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 3),
        "max_ms": round(samples[-1], 3),
    }


def _labelled_texts(paths: list[str]) -> list[str]:
    """The ``text`` of every line of JSON-lines files such as shared/eval/dev.jsonl."""
    texts: list[str] = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    return texts


def run(args: argparse.Namespace, settings: Settings) -> int:
    # the memo would answer every repeated text from memory: time the matching itself
    settings = replace(settings, matcher=replace(settings.matcher, memo_size=0))
    figures: dict[str, dict[str, float]] = {}
    start = time.perf_counter()
    knowledge = load(settings)
    shipped = build_matcher(settings, knowledge)
    build_ms = (time.perf_counter() - start) * 1000.0
    shipped_phrases = [phrase for _, _, phrase in knowledge.intent_phrases()]
    figures["shipped"] = {
        "phrases": len(shipped_phrases),
        "build_ms": round(build_ms, 1),
        **_time(shipped.classify, list(_messages(shipped_phrases, args.messages, SEED))),
    }
    if args.labelled:
        # Real people's wording: most are no near copy of a phrase, so this times
        # the whole pipeline rather than the near-copy shortcut.
        texts = _labelled_texts(args.labelled)
        figures["shipped, labelled messages"] = {
            "phrases": len(shipped_phrases),
            "build_ms": round(build_ms, 1),
            **_time(shipped.classify, (texts * (args.messages // max(len(texts), 1) + 1))),
        }
    entries = generated_phrases(args.problems, 20)
    start = time.perf_counter()
    generated = Matcher.from_phrases(entries, settings.matcher)
    build_ms = (time.perf_counter() - start) * 1000.0
    phrases = [phrase for _, _, phrase in entries]
    figures["generated"] = {
        "phrases": len(phrases),
        "build_ms": round(build_ms, 1),
        **_time(generated.classify, list(_messages(phrases, args.messages, SEED + 1))),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for name, values in figures.items():
            print(
                f"{name}: {values['phrases']} phrases, index built in {values['build_ms']} ms, "
                f"per message p50 {values['p50_ms']} ms, p99 {values['p99_ms']} ms, "
                f"max {values['max_ms']} ms"
            )
    return 0
