"""What an inbound text or payload may carry: no escape sequences, controls or lone surrogates.

A terminal's colour codes, a pasted OSC title sequence, a NUL (PostgreSQL
refuses it in text) or a lone surrogate (from undecodable terminal input;
no database can encode it) would otherwise break storage or leave
``[31m`` leftovers on the review site. Escape sequences go whole, not
just their ESC byte; any other control character becomes a space, so the words
on either side stay two words (redaction reads "passord\x07Sommer2024" as a
keyword and a secret).
"""

from __future__ import annotations

import re

# CSI (ESC [ ... final byte, or the 8-bit CSI), OSC (ESC ] ... BEL or ST, or the 8-bit
# OSC), and the other two-byte escapes (ESC followed by one character).
_ESCAPE_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\^_]"
    r"|\x1b."
)
# C0 and C1 control characters except tab and newline.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean_inbound(text: str) -> str:
    """``text`` without escape sequences, control characters as spaces, lone surrogates as
    U+FFFD."""
    text = _SURROGATES.sub("\ufffd", text)
    return _CONTROL_CHARACTERS.sub(" ", _ESCAPE_SEQUENCES.sub("", text))
