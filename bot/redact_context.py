"""Finding passwords and codes by their context, in any word order.

A secret is told by the words around it, not by its own shape: a password
keyword ("passord", "password", "pw", "kodeord", compounds such as
"mailpassordet") or a code keyword ("kode", "PIN", "OTP", "engangskoden"),
and the value on either side of it:

- after it, behind a link word ("er", "is", ":", "=", "til"/"to" after a
  change verb), with a few words allowed in between ("passordet til kontoen
  min er X", "passordet mitt på mail er X");
- after it with no link word when the next word looks like a secret
  ("passord X", "password X", "PIN 1234");
- before it, in front of a link word ("X er passordet mitt", "X is my
  password").

A value runs on over spaces ("Sommer 2024!") while the next word looks like
part of a secret (digits, symbols, capitals, no everyday word), up to the
end of a clause or a few words; words that describe the password rather than
being it ("feil", "wrong", "expired") are no value. Code keywords only take
values with a digit. The rules are general; they err on the side of masking.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.understanding.frequency import word_frequencies

# Tokens: runs of non-space characters, with ":" and "=" split off as their own tokens.
_TOKEN = re.compile(r"[^\s:=]+|[:=]")
# digits right after a password keyword, with no "er"/":" between, that can be a password
MIN_BARE_DIGITS = 4
_EDGE = "\"'«»()[]{}<>.,!?;*“”‘’"
_PASSWORD_WORD = re.compile(
    r"^(?:\w+-?)?(?:passord(?:et|a|ene)?|passwords?|passwd|passcode|passphrase|"
    r"kodeord(?:et)?|pw|pwd|pword)$"
)
_CODE_WORD = re.compile(
    r"^(?:\w+-?)?(?:koden?|koder|codes?|otp|pin|pin-?koden?|pinkoden?|passkey|tan)$"
)
_NOT_CODE_WORDS = frozenset({"feilkode", "feilkoden", "feilkoder", "qr-kode", "qr-koden"})
_CHANGE_VERBS = frozenset({
    "byttet", "bytta", "endret", "endra", "satte", "satt", "oppdaterte", "changed", "set",
    "reset", "updated", "change", "bytte", "endre", "skiftet", "skifta", "skifte", "lagde",
    "laget", "laga", "valgte", "made", "chose", "picked", "switched",
})  # fmt: skip
_PRONOUNS = frozenset({"det", "den", "dette", "it", "that", "this", "its", "it's"})
# "e" is "er" in many dialects ("passorde mitt e X").
_LINKS = frozenset({"er", "e", "is", "was", "var", "blir", "ble", "are", ":", "=", "lik", "equals"})
# In front of the keyword, "som"/"as" link too: "jeg bruker X som passord", "X as my password".
_BACK_LINKS = (_LINKS - {":", "="}) | {"som", "as"}
# A relative clause after the keyword: "passordet som er ...", "the password that is ...".
_RELATIVES = frozenset({"som", "that", "which"})
# One token that is a pronoun and a link word: "It's X".
_PRONOUN_LINKS = frozenset({"it's", "it’s", "that's", "that’s", "det's"})
MAX_REFER = 8  # words after the keyword in which "det er X" / "it's X" still refers to it
_TO_LINKS = frozenset({"til", "to"})
# Words that may stand between "X er/is" and the keyword: "X is my password".
_DETERMINERS = frozenset({
    "mitt", "min", "mine", "my", "the", "det", "den", "your", "ditt", "din", "nye", "nytt",
    "new", "old", "gamle", "current", "nåværende", "our", "vårt",
})  # fmt: skip
# Words that end a value or a search: function words, pronouns, question words.
_STOP = frozenset({
    "og", "men", "så", "eller", "for", "fordi", "at", "som", "når", "hvis", "om", "da",
    "and", "but", "so", "or", "because", "that", "which", "when", "if", "then", "while",
    "jeg", "du", "han", "hun", "vi", "dere", "de", "det", "den", "i", "you", "he", "she",
    "we", "they", "it", "this", "hva", "hvordan", "hvorfor", "hvor", "what", "how", "why",
    "where", "ka", "kva", "kvifor", "korleis", "kor", "åssen", "hvem", "who", "kan", "can",
    "må", "must", "skal", "will", "vil", "på", "til", "to", "in",
    "on", "med", "with", "fra", "from", "er", "is", "was", "var", "blir", "the", "a", "an",
    "en", "et", "ei", "nå", "now", "also", "også", "please", "takk", "thanks",
    "hjelp", "help",
    # a lone "&" joins words, as in the old iOS menu "Passwords & Accounts"
    "&",
})  # fmt: skip
# Words after a link word that say something about the password, not what it is
# (redact.py's "password is X" reads them too).
DESCRIBING = frozenset({
    "feil", "riktig", "rett", "not", "wrong", "right", "correct", "incorrect", "expired",
    "utløpt", "utgått", "gammelt", "nytt", "old", "new", "endret", "changed", "byttet",
    "endra", "bytta", "skifta", "skiftet", "oppdatert",  # Nynorsk and dialect (round 14)
    "reset", "tilbakestilt", "ok", "fine", "locked", "låst", "glemt", "forgotten", "forgot",
    "required", "påkrevd", "needed", "nødvendig", "same", "samme", "borte", "gone",
    "ugyldig", "invalid", "lagret", "saved", "stored", "tomt", "empty", "blank", "for",
    "too", "altfor", "veldig", "very", "kort", "short", "langt", "long", "sterkt", "strong",
    "svakt", "weak", "sendt", "sent", "mottatt", "received", "der", "there", "here", "her",
    "gyldig", "valid", "gått", "ute", "out", "lost", "mistet",
    # what happened to it: "kontoen ble hacket", "my password was leaked" (playtest)
    "hacket", "hacka", "hacked", "lekket", "leaked", "stjålet", "stolen", "kompromittert",
    "compromised", "sperret", "blocked", "blokkert", "kapret", "hijacked",
    "used", "brukt", "misbrukt", "misused", "abused", "tried", "prøvd", "delt", "shared",
    "exposed", "guessed", "gjettet", "cracked", "breached", "phished",
    # the infinitive after "to"/"til": "changed my password to be safe", "til å være trygg"
    "be", "å",
})  # fmt: skip
_NEGATIONS = frozenset({"ikke", "not", "never", "aldri", "ikkje", "itj", "inte"})
# Words that may stand between a link word and the value without ending it.
_SKIPPABLE = frozenset({
    "ikke", "not", "fortsatt", "still", "egentlig", "actually", "jo", "visst", "bare",
    "just", "nå", "now", "liksom", "altså", "never", "aldri", "ikkje", "itj",
})  # fmt: skip
_QUOTES = {'"': '"', "'": "'", "«": "»", "“": "”", "‘": "’"}
MAX_QUOTED_WORDS = 10
_PASSWORD_BASES = ("passord", "passordet", "password", "passwords", "kodeord", "kodeordet")
MAX_GAP = 4  # words allowed between the keyword and its link word
MAX_VALUE_WORDS = 4  # words one value may run over
MAX_INTENSIFIERS = 2  # everyday words before a describing one: "helt sikkert riktig"
# the describing words such a word may stand before ("definitely right", "heilt rett",
# "really long"); not "for", "too", "out": "my password is bananas too" is a value
_INTENSIFIED = frozenset({
    "feil", "riktig", "rett", "wrong", "right", "correct", "incorrect", "expired", "utløpt",
    "gammelt", "nytt", "old", "new", "ok", "fine", "locked", "låst", "same", "samme",
    "ugyldig", "invalid", "gyldig", "valid", "kort", "short", "langt", "long", "sterkt",
    "strong", "svakt", "weak",
})  # fmt: skip
# words for how sure or how much that wordfreq's Bokmål does not count as everyday
_INTENSIFIERS = frozenset({"heilt", "hundre", "kjempe", "garantert", "defo", "def"})
COMMON_ZIPF = 3.5  # wordfreq Zipf frequency above which a word is everyday language
CODE_MIN_DIGITS = 4  # a code told anywhere in a message about codes has this many digits
PASSWORD_MIN_CHARS = 6  # ... and a password, this many characters (services ask for more)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        """The token as a lower-case word without surrounding punctuation."""
        return self.text.casefold().strip(_EDGE)

    @property
    def ends_clause(self) -> bool:
        return self.text.endswith((".", ",", ";", "?")) and not self.text.endswith("...")


def secret_spans(text: str, mask: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` holding a password or code found by its context."""
    tokens = [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    spans: list[tuple[int, int]] = []
    kinds: set[str] = set()
    for index in range(len(tokens)):
        kind = _keyword(tokens, index)
        if kind is None:
            continue
        kinds.add(kind)
        for found in (_after(tokens, index, kind, mask), _before(tokens, index, kind, mask)):
            if found is not None:
                spans.append(found)
    if kinds:
        # a message about a password or code that holds a word shaped like one, wherever
        # it stands: "passordet funker ikke, Hund123", "passordet er riktig (Hund123)"
        for token in tokens:
            core = token.text.strip(_EDGE)
            if token.text != mask and _shaped_like(core, kinds):
                start = token.start + token.text.index(core)
                spans.append((start, start + len(core)))
    return spans


def _shaped_like(core: str, kinds: set[str]) -> bool:
    """Letters and digits mixed, six characters or more (a password: not "2FA", "4G" or
    "M365"), or four digits or more (a code); never an address or a link, which IT may
    need."""
    if not core or "@" in core or "://" in core or core.casefold().startswith("www."):
        return False
    if _numbered_term(core):
        return False
    digits = sum(c.isdigit() for c in core)
    password = len(core) >= PASSWORD_MIN_CHARS and any(c.isalpha() for c in core)
    if "password" in kinds and digits and password:
        return True
    return "code" in kinds and digits >= CODE_MIN_DIGITS


def _numbered_term(core: str) -> bool:
    """A number and an everyday word joined by a hyphen is a term, not a secret: "2-step",
    "2-faktor", "4-sifret", "6-digit" (playtest 22: "2-step verification" was masked)."""
    parts = core.casefold().split("-")
    if len(parts) != 2 or not all(parts):
        return False
    number, word = sorted(parts, key=lambda part: not part.isdigit())
    return number.isdigit() and len(number) <= 2 and word.isalpha() and _everyday(word)


def _keyword(tokens: list[Token], index: int) -> str | None:
    """ "password" or "code" when the token is such a keyword, else None."""
    word = _without_s(tokens[index].word)
    if word == "pass":  # only "pass: X" / "pass=X": the verb "pass" is common
        following = tokens[index + 1].text if index + 1 < len(tokens) else ""
        return "password" if following in (":", "=") else None
    if _PASSWORD_WORD.match(word) or _misspelt_password(word):
        return "password"
    if _CODE_WORD.match(word) and word not in _NOT_CODE_WORDS:
        previous = tokens[index - 1].word if index else ""
        return None if previous in ("error", "status", "qr", "feil") else "code"
    return None


def _without_s(word: str) -> str:
    """ "password's" -> "password" (the "'s" is a link word: "my password's X")."""
    for ending in ("'s", "’s"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return word


def _misspelt_password(word: str) -> bool:
    """One typo from a password word ("pasordet", "passwrd", "passowrd", "passorde")."""
    if len(word) < 6 or not word.startswith("pa"):
        return False
    return any(OSA.distance(word, base) <= 1 for base in _PASSWORD_BASES)


def _after(tokens: list[Token], index: int, kind: str, mask: str) -> tuple[int, int] | None:
    """The value after the keyword: behind a link word, right after it if it looks
    secret, or behind a pronoun that refers back to it ("det er X", "It's X")."""
    found = _linked_after(tokens, index, kind, mask)
    return found if found is not None else _referred(tokens, index, kind, mask)


def _referred(tokens: list[Token], index: int, kind: str, mask: str) -> tuple[int, int] | None:
    """ "passordet er ikke feil, det er X", "the password. It's X": a pronoun and a link
    word soon after the keyword; only a secret-looking value counts."""
    end = min(len(tokens), index + 1 + MAX_REFER)
    for position in range(index + 1, end):
        word = tokens[position].word
        if _keyword(tokens, position):
            return None
        start = None
        if word in _PRONOUN_LINKS:
            start = position + 1
        elif word in _PRONOUNS and position + 1 < end and tokens[position + 1].word in _LINKS:
            start = position + 2
        if start is not None and start < len(tokens) and _shaped(tokens[start].text):
            return _value(tokens, start, kind, mask, linked=True)
    return None


def _linked_after(tokens: list[Token], index: int, kind: str, mask: str) -> tuple[int, int] | None:
    """The value behind a link word after the keyword, or right after it if it looks secret."""
    if tokens[index].ends_clause:
        return None
    if _without_s(tokens[index].word) != tokens[index].word:  # "password's X"
        return _value(tokens, index + 1, kind, mask, linked=True)
    changed = any(t.word in _CHANGE_VERBS for t in tokens[max(0, index - 3) : index])
    position = index + 1
    gap = 0
    relative = False
    while position < len(tokens) and gap <= MAX_GAP:
        token = tokens[position]
        word = token.word
        if word in _LINKS or token.text in (":", "=") or (changed and word in _TO_LINKS):
            # right behind "som"/"that", the link word says what the password is like
            # ("det e ikkje passorde som e problemet"): only a secret-shaped value counts;
            # "passordet som jeg bruker er X" links the value after its own clause
            return _value(tokens, position + 1, kind, mask, linked=not relative)
        relative = gap == 0 and word in _RELATIVES
        if word in ("og", "and", "men", "but", "eller", "or") or _keyword(tokens, position):
            return None
        if gap == 0 and word not in _DETERMINERS and not _a_count(token.text):
            # "passord X": no link word; the very next word, if it looks like a secret.
            bare = _value(tokens, position, kind, mask, linked=False)
            if bare is not None:
                return bare
        if token.ends_clause:
            return None
        gap += 1
        position += 1
    return None


def _value(
    tokens: list[Token], position: int, kind: str, mask: str, *, linked: bool
) -> tuple[int, int] | None:
    """The span of the value starting at ``position``; None when there is none there.

    Without a link word ("password X"), or behind a negation ("passordet er ikke
    X", where X usually says what it is not: "godtatt", "riktig"), only a word
    shaped like a secret (digits, symbols, capitals inside) is taken.
    """
    negated = False
    while position < len(tokens) and (
        tokens[position].word in _SKIPPABLE or tokens[position].text in (":", "=")
    ):
        negated = negated or tokens[position].word in _NEGATIONS
        position += 1
    if position >= len(tokens):
        return None
    first = tokens[position]
    if first.text == mask or (not first.word and not first.text.strip(_EDGE)):
        return None
    if first.word in DESCRIBING or first.word in _STOP or _keyword(tokens, position):
        return None
    if kind == "code" and not _has_digit(first.text):
        return None
    if (not linked or negated) and not _shaped_run(tokens, position):
        return None
    if _intensifies(tokens, position):
        return None
    last = position
    quote = first.text[0] if first.text[0] in _QUOTES else ""
    if quote:  # a quoted value runs to its closing quote, spaces and all
        closing = _QUOTES[quote]
        while (
            (not tokens[last].text.rstrip(".,;!?").endswith(closing) or last == position)
            and last + 1 < len(tokens)
            and last - position < MAX_QUOTED_WORDS
        ):
            if (
                last == position
                and len(first.text) > 1
                and first.text.rstrip(".,;!?").endswith(closing)
            ):
                break
            last += 1
        return first.start, tokens[last].end
    while (
        not tokens[last].ends_clause
        and last + 1 < len(tokens)
        and last + 1 - position < MAX_VALUE_WORDS
    ):
        following = tokens[last + 1]
        if following.word in _STOP or following.word in DESCRIBING or _keyword(tokens, last + 1):
            break
        if following.text == mask:
            break
        if not _continues(following.text):
            break
        if kind == "code" and not _has_digit(following.text):
            break
        last += 1
    return first.start, _trim_end(tokens[last])


def intensifier_at(text: str, start: int) -> bool:
    """Whether the word at ``start`` of ``text`` is an everyday word saying how sure or how
    much, before a describing one ("is definitely right"): ``redact``'s "password is X"
    reads it too."""
    # the words it may run over, the describing word, and one more to tell it ends there
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text, start):
        tokens.append(Token(match.group(0), match.start(), match.end()))
        if len(tokens) > MAX_INTENSIFIERS + 1:
            break
    return _intensifies(tokens, 0)


def _intensifies(tokens: list[Token], position: int) -> bool:
    """Everyday words in front of a describing word say how sure or how much, and are no
    value: "the password is definitely right", "passorde e heilt rett", "passordet er
    helt sikkert riktig", "my password is really long" (playtest 22: each was masked, and
    the person told not to share passwords)."""
    for offset in range(MAX_INTENSIFIERS):
        at = position + offset
        if at + 1 >= len(tokens) or tokens[at].ends_clause:
            return False
        core = tokens[at].text.strip(_EDGE)
        if not (core.isalpha() and core.islower()):
            return False
        if not (core in _INTENSIFIERS or _everyday(core)):
            return False
        following = tokens[at + 1]
        if following.word in _INTENSIFIED:
            # ... the describing word ends what is said of it: not a tag question ("my
            # password is sunshine, right?"), nor "sunshine right now"
            last = at + 2 >= len(tokens) or following.ends_clause
            return last and not following.text.endswith("?")
    return False


def _before(tokens: list[Token], index: int, kind: str, mask: str) -> tuple[int, int] | None:
    """ "X er passordet mitt", "X is my password": the value in front of a link word."""
    position = index - 1
    while position >= 0 and tokens[position].word in _DETERMINERS:
        position -= 1
    if position < 1 or tokens[position].word not in _BACK_LINKS:
        return None
    last = position - 1
    first = last
    candidate = tokens[last]
    if candidate.ends_clause or candidate.text == mask or candidate.word in _STOP:
        return None
    if candidate.word in DESCRIBING or (kind == "code" and not _has_digit(candidate.text)):
        return None
    while first - 1 >= 0 and last - first + 1 < MAX_VALUE_WORDS:
        previous = tokens[first - 1]
        if previous.ends_clause or previous.word in _STOP or previous.text == mask:
            break
        if not _continues(previous.text):
            break
        first -= 1
    return tokens[first].start, _trim_end(candidate)


def _trim_end(token: Token) -> int:
    """The end of the value in ``token``, leaving a clause's full stop or comma outside."""
    end = token.end
    text = token.text
    while text and text[-1] in ".,;?" and len(text) > 1:
        text = text[:-1]
        end -= 1
    return end


def _continues(text: str) -> bool:
    """Whether a word next to a value is more of it: secret-looking, or capitalised
    ("Sommer 2024!")."""
    core = text.strip(_EDGE)
    return _looks_secret(text) or (bool(core) and core[0].isupper())


def _a_count(text: str) -> bool:
    """A small number right after the keyword counts something ("skrev inn passordet 5
    ganger"); a password of three digits or fewer is not one anybody is given."""
    core = text.strip(_EDGE)
    return core.isdigit() and len(core) < MIN_BARE_DIGITS


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _shaped_run(tokens: list[Token], position: int) -> bool:
    """The value starting at ``position`` is shaped like a secret: a quoted phrase, a
    shaped word, or a capitalised word followed by a shaped one ("Kjøttkake 9")."""
    first = tokens[position]
    if first.text[0] in _QUOTES or _shaped(first.text):
        return True
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    capitalised = first.text[:1].isupper()
    return capitalised and following is not None and _shaped(following.text)


def _shaped(text: str) -> bool:
    """Shaped like a secret: digits, symbols (not a clause's closing punctuation), or
    capitals after the first letter. An uncommon word alone is not enough where no
    link word says a value follows ("password popups", "passord heile tida")."""
    core = text.strip("\"'«»()[]{}<>“”‘’*")
    if core[-1:] in ".,?;:":
        core = core[:-1]
    if not core:
        return False
    if _has_digit(core) or any(not (c.isalpha() or c in "-'’") for c in core):
        return True
    return any(c.isupper() for c in core[1:])


def _looks_secret(text: str) -> bool:
    """Digits, symbols inside, capitals after the first letter, or no everyday word."""
    core = text.strip(_EDGE)
    if not core:
        return False
    if _has_digit(core) or any(not (c.isalpha() or c in "-'") for c in core):
        return True
    if any(c.isupper() for c in core[1:]):
        return True
    return not _everyday(core.casefold())


@lru_cache(maxsize=4096)
def _everyday(word: str) -> bool:
    """Whether ``word`` is common Norwegian or English (wordfreq), so not a password."""
    frequencies = word_frequencies()  # the tables are read on first use, not at import
    return max(frequencies.zipf(word, "nb"), frequencies.zipf(word, "en")) >= COMMON_ZIPF


def iter_words(text: str) -> Iterator[str]:
    """The words of ``text`` as the scanner sees them (for tests and debugging)."""
    for match in _TOKEN.finditer(text):
        yield Token(match.group(0), match.start(), match.end()).word
