"""Reading a reply that tells the fix in the problem's own words, not "it worked" (and the
fault's sign told as the same as before: not fixed).

People at a step often say what they see now instead of judging the step: the error
is gone ("feilmeldinga er vekke", "no more errors"), the mail went out ("den kom
fram", "sent fine this time"), or the person it was for got it ("sjefen fikk mailen").
The act model learns "it worked" from judging words, and hears the fault's words in
these (the error, the mail, a colleague): so they are read here, by their form, from
the text rules ``fault_nouns``, ``gone``, ``went_out`` and ``delivered_objects``, and
the problem's own ``fault_verbs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from bot.understanding.text import fold_word, places, rules, says_fault

# "feilmeldinga er vekke nå", "no more cannot send mail error": the word for gone this
# near the fault's noun, before or after it
GONE_REACH = 4
# "den har ikkje spurt", "it hasn't asked again": the negation this near before the verb
FAULT_VERB_REACH = 3
# "nå gikk mailen ut", "nå er den sendt": Norwegian puts the subject between the verb and
# its particle; this many words may stand between the words of a ``went_out`` phrase
WENT_OUT_GAP = 2
# "sjefen min har endelig fått mailen": the verb this near the person, the mail this near
# the verb
DELIVERED_REACH = 3


def says_fault_gone(folded_tokens: Sequence[str]) -> bool:
    """An error or other fault's sign said gone, and no fault told beside it: a word
    beginning with one of ``fault_nouns`` with one of ``gone`` at most ``GONE_REACH``
    words from it ("uten feilmelding", "the error is gone"); what lies outside those
    words tells no fault ("ingen feilmelding, men den sender ikke")."""
    found = rules()
    words = _now_read(_after_the_last_but(folded_tokens))
    for noun_at, word in enumerate(words):
        if not word.startswith(found.fault_nouns):
            continue
        for gone_at in places(words, found.gone):
            if abs(gone_at - noun_at) > GONE_REACH:
                continue
            first, last = min(gone_at, noun_at), max(gone_at, noun_at)
            gone_length = next(
                len(p) for p in found.gone if tuple(words[gone_at : gone_at + len(p)]) == p
            )
            rest = words[:first] + words[max(last + 1, gone_at + gone_length) :]
            if not says_fault(rest):
                return True
    return False


def says_fault_stopped(folded_tokens: Sequence[str], fault_verbs: Sequence[str]) -> bool:
    """A verb of the fault itself negated, and no fault told beside it: a word beginning
    with one of ``fault_verbs`` (the problem's own: a step that makes the phone ask is
    answered "den spør ikke" when it failed) with a negation at most ``FAULT_VERB_REACH``
    words before it or just after it ("den har ikkje spurt på en halvtime", "it hasn't asked again",
    "den spør ikke lenger"); not the writer's own asking ("jeg spurte ikke")."""
    found = rules()
    verbs = tuple(fold_word(verb.casefold()) for verb in fault_verbs)
    if not verbs:
        return False
    words = _now_read(_after_the_last_but(folded_tokens))
    for verb_at, word in enumerate(words):
        if not word.startswith(verbs):
            continue
        if verb_at and words[verb_at - 1] in found.first_person:
            continue
        around = range(max(0, verb_at - FAULT_VERB_REACH), min(len(words), verb_at + 2))
        for negation_at in around:
            if negation_at != verb_at and words[negation_at] in found.negations:
                first, last = min(negation_at, verb_at), max(negation_at, verb_at)
                if not says_fault(words[:first] + words[last + 1 :]):
                    return True
    return False


def says_mail_went_out(folded_tokens: Sequence[str]) -> bool:
    """The mail said gone out or arrived where it was sent, and no fault told: one of
    ``went_out`` ("den kom fram", "sent fine this time"), or someone else got it ("sjefen
    fikk mailen", "my colleague got the email"). What follows a "but" is what counts
    ("fant ikke SMTP først, men nå er mailen sendt")."""
    words = _now_read(_after_the_last_but(folded_tokens))
    if says_fault(words):
        return False
    return any(
        _in_order(words, phrase, WENT_OUT_GAP) for phrase in rules().went_out
    ) or _someone_got_it(words)


def _in_order(words: Sequence[str], phrase: Sequence[str], gap: int) -> bool:
    """The words of ``phrase`` in ``words`` in order, at most ``gap`` other words between
    each two ("gikk mailen ut" for "gikk ut")."""
    for start, word in enumerate(words):
        if word != phrase[0]:
            continue
        at = start
        for part in phrase[1:]:
            window = words[at + 1 : at + 2 + gap]
            if part not in window:
                break
            at += 1 + list(window).index(part)
        else:
            return True
    return False


def says_same_fault(folded_tokens: Sequence[str]) -> bool:
    """The fault's sign told as the same as before ("samme feilmelding", "same error
    again"): one of ``same`` just before a word beginning with one of ``fault_nouns``."""
    found = rules()
    return any(
        word in found.same and next_word.startswith(found.fault_nouns)
        for word, next_word in pairwise(folded_tokens)
    )


def _someone_got_it(words: Sequence[str]) -> bool:
    """One of ``other_people`` or ``their_side``, a word of ``receiving`` at most
    ``DELIVERED_REACH`` words after it, and one of ``delivered_objects`` at most that far
    after the verb ("mottakeren har fått den")."""
    found = rules()
    people = found.other_people | found.their_side
    for at, word in enumerate(words):
        if word not in people:
            continue
        for verb_at in range(at + 1, min(len(words), at + 1 + DELIVERED_REACH)):
            if words[verb_at] in found.receiving and found.delivered_objects.intersection(
                words[verb_at + 1 : verb_at + 1 + DELIVERED_REACH]
            ):
                return True
    return False


def _now_read(words: Sequence[str]) -> list[str]:
    """``words`` without a Nynorsk "no" that means "nå" (before one of ``now_before``)."""
    now_before = rules().now_before
    return [
        word
        for at, word in enumerate(words)
        if not (word == "no" and at + 1 < len(words) and words[at + 1] in now_before)
    ]


def _after_the_last_but(folded_tokens: Sequence[str]) -> Sequence[str]:
    """What follows the last word of ``but`` ("men", "but"): the news of the reply."""
    but = rules().but
    for at in range(len(folded_tokens) - 1, -1, -1):
        if folded_tokens[at] in but:
            return folded_tokens[at + 1 :]
    return folded_tokens
