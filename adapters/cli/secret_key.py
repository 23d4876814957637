"""The review site's signing key when ``FIXBOT_REVIEW_SECRET_KEY`` is unset: made once, kept.

The key lives in the user's data directory, readable by its owner only
(0600), so sessions survive a restart and nobody has to invent a secret to
try the site. It is never printed or logged.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.settings import data_dir

KEY_BYTES = 32  # 256 bits, as hex: 64 characters


def default_key_file() -> Path:
    """Where the generated key is kept: ``review_secret_key`` in the user's data directory."""
    return data_dir() / "review_secret_key"


def load_or_create_key(path: Path) -> str:
    """The key in ``path``; made with mode 0600 first if the file does not exist.

    ``O_EXCL`` makes two first starts agree: the loser reads the winner's key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_hex(KEY_BYTES)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key
