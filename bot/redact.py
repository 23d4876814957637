"""Masking secrets people paste into chat, before anything is stored or logged.

Passwords ("passordet mitt er Sommer2024!", "X er passordet mitt", "password
X"), one-time codes ("koden er 483920", "PIN 1234"), tokens and API keys, and
card numbers (checked with Luhn) become ``[redacted]``. Passwords and codes
are found by their context in any word order (``bot.redact_context``); the
patterns below catch what that leaves. It errs on the side of masking: a transcript with
one word too many hidden is better than a password kept in a database.
"""

from __future__ import annotations

import logging
import re

from bot.redact_context import DESCRIBING, intensifier_at, secret_spans

MASK = "[redacted]"

# A value: a quoted phrase or one run of non-space characters.
_VALUE = r"(?P<value>\"[^\"]{1,100}\"|'[^']{1,100}'|«[^»]{1,100}»|\S+)"
# What stands between a label and its value: "er", "is: ", ": ", "=". The words
# need word boundaries, or "er" would match inside "Vinter" or "sommer".
_SEPARATOR = r"\s*(?:\b(?:er|is|was|var|blir)\b\s*[:=]?|[:=])\s*"

# "passordet mitt er X", "mitt passord: X", "my password is X", "password=X".
_PASSWORD = re.compile(
    r"(?P<lead>\b(?:(?:mitt|my|the|new|nytt|gamle|old)\s+)?"
    r"(?:passordet|passord|password|passwd|passcode|passphrase|kodeord|kodeordet)"
    r"(?:\s+(?:mitt|mine|til\s+\S+|for\s+\S+))?" + _SEPARATOR + ")" + _VALUE,
    re.IGNORECASE,
)
# "jeg byttet passordet til X", "I changed my password to X".
_CHANGED_PASSWORD = re.compile(
    r"(?P<lead>\b(?:byttet|bytta|endret|endra|satte|satt|changed|set|reset)\s+"
    r"(?:(?:mitt|my|the|det)\s+)?(?:passordet|passord|password|kodeordet|kodeord)"
    r"(?:\s+(?:mitt|mine))?\s+(?:til|to)\s+)" + _VALUE,
    re.IGNORECASE,
)
# "pw X", "pwd: X", "pass: X": short forms take the next word even without "is".
_SHORT_PASSWORD = re.compile(
    r"(?P<lead>\b(?:(?:pw|pwd)\b(?:" + _SEPARATOR + r"|\s+)|pass\s*[:=]\s*))" + _VALUE,
    re.IGNORECASE,
)
# Words after "password is" that describe it rather than being it, or start a phrase.
_NOT_A_PASSWORD = DESCRIBING | {"ikke", "the", "a", "an", "det", "den", "et", "en"}

# "koden er 483920", "code 123456", "engangskode: 1234 56", "OTP 123456", "PIN 1234".
_CODE = re.compile(
    r"(?P<lead>\b(?:koden|kode|engangskoden|engangskode|bekreftelseskoden|bekreftelseskode|"
    r"sms-koden|sms-kode|verifiseringskoden|code|codes|otp|pin|pin-koden|pinkoden|"
    r"verification\s+code|security\s+code)\b"
    r"(?:\s+(?:min|mitt|my|fra\s+\S+|from\s+\S+))?"
    r"(?:" + _SEPARATOR + r"|\s+))"
    r"(?P<value>\d(?:[ -]?\d){3,9})\b",
    re.IGNORECASE,
)

_TOKENS = (
    re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{6,}"),  # Slack
    re.compile(r"\bxapp-[A-Za-z0-9-]{6,}"),  # Slack app-level
    re.compile(r"\b\d{6,12}:[A-Za-z0-9_-]{30,}"),  # Telegram bot token
    re.compile(r"\b(?:sk|pk|rk)[-_](?:live|test|proj)?[-_]?[A-Za-z0-9]{16,}"),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),  # GitHub
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),  # AWS access key id
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),  # JWT
)
# "Bearer X", "api key: X", "token=X", "secret: X".
_LABELLED_TOKEN = re.compile(
    r"(?P<lead>\b(?:bearer|authorization:\s*bearer|api[-_ ]?key|apikey|access[-_ ]?token|"
    r"token|secret|client[-_ ]?secret|nøkkel|nøkkelen)\b(?:" + _SEPARATOR + r"|\s+))"
    r"(?P<value>[A-Za-z0-9._~+/=-]{12,})",
    re.IGNORECASE,
)
# Long random-looking strings: letters and digits mixed, 24 or more characters.
_RANDOM = re.compile(r"(?<![\w/.@-])[A-Za-z0-9_+/=-]{24,}(?![\w@])")

_CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
# A card named in the message ("kortnummeret mitt er ...", "my Visa card"): its number
# is masked even when mistyped (Luhn fails)
_CARD_WORD = re.compile(r"kort|card|visa|mastercard|amex", re.IGNORECASE)
# A Norwegian national identity number (fødselsnummer, D-nummer): 11 digits whose two
# check digits are right, or any 11 digits the message calls one
_NATIONAL_ID = re.compile(r"(?<!\d)\d{6} ?\d{5}(?!\d)")
_NATIONAL_ID_WORD = re.compile(
    r"fødselsnummer|fodselsnummer|personnummer|personnr|fnr|d-nummer|national id|ssn",
    re.IGNORECASE,
)
_ID_WEIGHTS = ((3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))


def redact(text: str) -> str:
    """``text`` with passwords, one-time codes, tokens, card numbers and national
    identity numbers masked."""
    if not text:
        return text
    named_card = _CARD_WORD.search(text) is not None
    text = _CARD.sub(lambda match: _mask_card(match, named_card), text)
    named_id = _NATIONAL_ID_WORD.search(text) is not None
    text = _NATIONAL_ID.sub(lambda match: _mask_national_id(match, named_id), text)
    for pattern in _TOKENS:
        text = pattern.sub(MASK, text)
    text = _LABELLED_TOKEN.sub(_mask_value, text)
    text = _mask_spans(text, secret_spans(text, MASK))
    text = _PASSWORD.sub(_mask_password, text)
    text = _CHANGED_PASSWORD.sub(_mask_password, text)
    text = _SHORT_PASSWORD.sub(_mask_password, text)
    text = _CODE.sub(_mask_value, text)
    return _RANDOM.sub(_mask_random, text)


def _mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span (overlapping ones merged) replaced by the mask."""
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + MASK + text[end:]
    return text


def _mask_value(match: re.Match[str]) -> str:
    return match.group("lead") + MASK


def _mask_password(match: re.Match[str]) -> str:
    value = match.group("value")
    bare = value.strip(".,!?;:-–\"'«»()")
    if value == MASK or not bare or bare.casefold() in _NOT_A_PASSWORD:
        return match.group(0)
    if intensifier_at(match.string, match.start("value")):  # "is definitely right"
        return match.group(0)
    return match.group("lead") + MASK


def _mask_random(match: re.Match[str]) -> str:
    value = match.group(0)
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    mixed_case = any(c.isupper() for c in value) and any(c.islower() for c in value)
    # Without digits only very long mixed-case runs count: a 32-letter CamelCase
    # class name in a log line ("AsyncConnectionErrorRetryHandler") is no secret.
    return MASK if (has_digit and has_alpha) or (mixed_case and len(value) >= 48) else value


def _mask_card(match: re.Match[str], named: bool) -> str:
    digits = [int(c) for c in match.group(0) if c.isdigit()]
    card = 13 <= len(digits) <= 19 and (named or _luhn_valid(digits))
    return MASK if card else match.group(0)


def _mask_national_id(match: re.Match[str], named: bool) -> str:
    digits = [int(c) for c in match.group(0) if c.isdigit()]
    return MASK if named or _national_id_valid(digits) else match.group(0)


def _national_id_valid(digits: list[int]) -> bool:
    """The two mod-11 check digits of a fødselsnummer (or D-nummer) are right."""
    for position, weights in enumerate(_ID_WEIGHTS):
        remainder = sum(w * d for w, d in zip(weights, digits, strict=False)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check == 10 or digits[9 + position] != check:
            return False
    return True


def _luhn_valid(digits: list[int]) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record's message (adapters install it on handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to logging's own error path
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
