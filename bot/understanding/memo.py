"""A small, thread-safe memory of recent answers, keyed by a digest of the question.

Reading a message (language, lemmas, the model's scores, the scope evidence)
is a pure function of its text and a few flags, and people type the same short
messages again and again ("hei", "mailen funker ikke", "ja", "1"). Under load
(bench/slack_http.py, issue 14) matching was a fifth of the process's CPU per
event; a repeated text is now answered from here. The key is a BLAKE2b digest
of the inputs, so no message text is kept in memory; the answers kept are
frozen results (``MatchResult``, ``ReadAct``, ``LexiconHit``). Worker threads
call it at once: a lock guards the order, and the answer itself is computed
outside it (two threads may compute the same new answer; both get an equal one).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


def digest(*parts: Hashable) -> bytes:
    """A 16-byte digest of ``parts`` (strings, flags, None) for ``Memo`` keys."""
    text = "\x1f".join(repr(part) for part in parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Memo(Generic[T]):
    """Up to ``size`` answers, least recently used first out; ``size`` 0 keeps none."""

    def __init__(self, size: int) -> None:
        self._size = max(size, 0)
        self._answers: OrderedDict[bytes, T] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: bytes, compute: Callable[[], T]) -> T:
        """The answer kept for ``key``, or ``compute()``'s, then kept."""
        if not self._size:
            return compute()
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = compute()
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)
        return answer
