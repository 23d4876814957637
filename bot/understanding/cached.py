"""Files in the model cache: written whole or not at all, and tables kept there.

The fitted models, the scope table and the compact lemma and language tables
are built once (seconds) and read back at later start-ups (milliseconds). A file that is
missing, cut short or of another layout is built again; a cache that cannot be
written logs once and the table is used from memory.
"""

from __future__ import annotations

import logging
import os
import tempfile
import zipfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
_T = TypeVar("_T")
# what a damaged or foreign cache file raises when read
UNREADABLE = (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile)


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` to ``path`` through a temporary file, so no reader sees half of it (the
    model, scope, lemma and language caches)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def package_version(distribution: str) -> str:
    """The installed version of ``distribution`` (part of a cached table's name)."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def read_or_build(
    path: Path | None,
    read: Callable[[bytes], _T],
    build: Callable[[], _T],
    dump: Callable[[_T], bytes],
) -> _T:
    """The table saved at ``path``, or ``build()`` saved there (``path`` None: built
    every time, nothing saved)."""
    if path is not None:
        try:
            return read(path.read_bytes())
        except UNREADABLE:
            pass  # not saved yet, or cut short: build anew
    table = build()
    if path is not None:
        try:
            write_atomically(path, dump(table))
        except OSError as error:  # a read-only cache must not stop the bot
            log.warning("could not save %s: %s", path, error)
    return table
