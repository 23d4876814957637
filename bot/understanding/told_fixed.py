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

from collections.abc import Collection, Sequence
from itertools import pairwise

from bot.understanding.text import fold_word, rules, says_fault

# "feilmeldinga er vekke nå", "the error is gone now": the word for gone this near after
# the fault's noun
GONE_REACH = 4
# "den har ikkje spurt", "it hasn't asked again": the negation this near before the verb
FAULT_VERB_REACH = 3
# "nå spør den ikke om passord lenger": the word of change this near after the verb
CHANGE_REACH = 6
# "nå gikk mailen ut", "nå er den sendt": Norwegian puts the subject between the verb and
# its particle; this many words may stand between the words of a ``went_out`` phrase
WENT_OUT_GAP = 2
# "sjefen min har endelig fått mailen": the verb this near the person, the mail this near
# the verb
DELIVERED_REACH = 3
# "jeg kom fram til utboksen", "gikk ut av mail": a ``went_out`` phrase that goes on
# with one of these is a move, not the mail gone out
MOVING_ON = frozenset({"til", "av", "of", "to", "i", "in", "into", "pa", "on", "gjennom"})
# "went through", "kom gjennom": sent only at a clause's end or before one of these
_THROUGH = frozenset({"gjennom", "igjennom", "through"})
_THROUGH_ENDS = frozenset(
    {
        "na",
        "now",
        "this",
        "fine",
        "ok",
        "okay",
        "endelig",
        "finally",
        "too",
        "ogsa",
        "og",
        "and",
        "til",
        "to",
        "no",
    }
)
# "feilmeldingen sier ...", "the error says ...": what follows is the error's text
_SAYING = frozenset({"sier", "says", "said", "reads", "star", "viser", "shows"})
# words that tell a change: "no error" with one of them is news that it went away
_CHANGE = frozenset(
    {"na", "now", "lenger", "lengre", "anymore", "more", "flere", "fleire", "meir", "mer"}
)
# ... and after a verb's negation, "again": "den spurte ikke igjen" (review)
_AGAIN = frozenset({"igjen", "again", "att"})
# "slutter ikke å spørre", "won't go away": a stop negated is the fault going on
_STOPPING = frozenset(
    {
        "slutter",
        "slutte",
        "slutta",
        "stopper",
        "stoppe",
        "stop",
        "stops",
        "quit",
        "quits",
        "away",
        "bort",
        "vekk",
    }
)
# "my colleague got it working on her phone": the mail got, not something made to work
GOT_WORKING = frozenset({"working", "to", "til", "a", "running", "fixed"})


def says_fault_gone(folded_tokens: Sequence[str]) -> bool:
    """An error or other fault's sign said gone, and no fault told beside it: a word
    beginning with one of ``fault_nouns`` with one of ``none_of`` right before it
    ("uten feilmelding", "no more errors") or one of ``gone`` at most ``GONE_REACH``
    words after it ("the error is gone"). Not when the fault is told outside those words
    ("ingen feilmelding, men den sender ikke"), said to last ("no, the error is still
    there", "samme feilmelding"), or the noun quotes the error ("feilmelding: ingen
    tilkobling", "the error says no connection")."""
    found = rules()
    words = now_read(after_the_last_but(folded_tokens))
    # "still" before a denial lasts the denial, not the fault: "fortsatt ingen
    # feilmelding", "still no errors since" (review) tell it gone, and news of a change
    still_none = {
        at
        for at, word in enumerate(words[:-1])
        if word in found.lasting and words[at + 1] in found.negations
    }
    if any(word in found.lasting and at not in still_none for at, word in enumerate(words)):
        return False
    # "no error" alone is no news of a change ("no error message, it just sits in the
    # outbox"): only with a word of now or of more ("uten feilmelding nå", "no more
    # errors", "ingen duplikater lenger")
    changed = bool(_CHANGE.intersection(words)) or bool(still_none)
    for noun_at, word in enumerate(words):
        if not word.startswith(found.fault_nouns):
            continue
        before = [
            (noun_at - len(p), noun_at + 1)
            for p in found.none_of
            if changed and noun_at >= len(p) and tuple(words[noun_at - len(p) : noun_at]) == p
        ]
        after = [
            (noun_at, at + len(p))
            for p in found.gone
            for at in range(noun_at + 1, min(len(words), noun_at + 1 + GONE_REACH))
            if tuple(words[at : at + len(p)]) == p
        ]
        for first, end in before + after:
            rest = words[:first] + words[end:]
            if not says_fault(rest) and not _quotes_the_error(words, noun_at):
                return True
    return False


def _quotes_the_error(words: Sequence[str], noun_at: int) -> bool:
    """The fault's noun goes on to say what the error says ("feilmeldingen sier: ingen
    tilkobling", "the error says there is no internet"): a word of saying right after
    it."""
    return bool(_SAYING.intersection(words[noun_at + 1 : noun_at + 2]))


def says_fault_stopped(folded_tokens: Sequence[str], fault_verbs: Sequence[str]) -> bool:
    """A verb of the fault itself negated, and no fault told beside it: a word beginning
    with one of ``fault_verbs`` (the problem's own: a step that makes the phone ask is
    answered "den spør ikke" when it failed) with a negation at most ``FAULT_VERB_REACH``
    words before it ("den har ikkje spurt på en halvtime", "it hasn't asked again"), or
    just after it with a word of change ("den spør ikke lenger"). Not the writer's own
    asking ("jeg spurte ikke"), a stop negated ("den slutter ikke å spørre"), nor the
    fault told again beside it ("den spør ikke om passordet, den spør om en kode")."""
    found = rules()
    verbs = tuple(fold_word(verb.casefold()) for verb in fault_verbs)
    if not verbs:
        return False
    words = now_read(after_the_last_but(folded_tokens))
    if _STOPPING.intersection(words):
        return False  # "den slutter ikke å spørre", "the prompt won't go away"
    at_verbs = [at for at, word in enumerate(words) if word.startswith(verbs)]
    for verb_at in at_verbs:
        if verb_at and words[verb_at - 1] in found.first_person:
            continue
        before = range(max(0, verb_at - FAULT_VERB_REACH), verb_at)
        negation_at = next((at for at in before if words[at] in found.negations), None)
        if negation_at is None:
            # "den spør ikke lenger", "nå spør den ikke om passord lenger": the negation
            # just after the verb (its subject may stand between), a word of change soon
            after = words[verb_at + 1 : verb_at + 3]
            negated = [at for at, w in enumerate(after, verb_at + 1) if w in found.negations]
            # ("nå krasjer den ikke": the word of change may stand just before the verb)
            later = words[max(0, verb_at - 2) : verb_at + 1 + CHANGE_REACH]
            if not negated or not (_CHANGE | _AGAIN).intersection(later):
                continue
            negation_at = negated[0]
        first, last = min(negation_at, verb_at), max(negation_at, verb_at)
        rest = words[:first] + words[last + 1 :]
        if not _told_again(words, at_verbs, verb_at) and not says_fault(rest):
            return True
    return False


def _told_again(words: Sequence[str], at_verbs: Sequence[int], verb_at: int) -> bool:
    """Another of the fault's verbs stands in ``words`` with no negation of its own in the
    ``FAULT_VERB_REACH`` words before it: "den spør ikke om passordet, den spør om en
    kode", "ikke krasj, den fryser"."""
    negations = rules().negations
    return any(
        # (not reaching back over the negated verb: its negation is its own)
        not negations.intersection(words[max(0, at - FAULT_VERB_REACH, verb_at + 1) : at])
        for at in at_verbs
        if at != verb_at
    )


def says_mail_went_out(folded_tokens: Sequence[str], elsewhere: Collection[str] = ()) -> bool:
    """The mail said gone out or arrived where it was sent, and no fault told: one of
    ``went_out`` ("den kom fram", "sent fine this time"), or someone else got it ("sjefen
    fikk mailen", "my colleague got the email"). What follows a "but" is what counts
    ("fant ikke SMTP først, men nå er mailen sendt"). Not a move ("jeg kom fram til
    utboksen", "gikk ut av mail"), the fault said to last ("samme greia"), nor another
    device's sending (``elsewhere``, folded: "I sent it from my laptop instead")."""
    words = now_read(after_the_last_but(folded_tokens))
    if says_fault(words) or rules().lasting.intersection(words):
        return False
    if elsewhere and set(elsewhere).intersection(words):
        return False
    return any(_went_out(words, phrase) for phrase in rules().went_out) or _someone_got_it(words)


def _went_out(words: Sequence[str], phrase: Sequence[str]) -> bool:
    """``phrase`` in ``words`` in order (``_in_order``), not going on to a place ("kom fram
    til utboksen", "gikk ut av mail"; "kom fram til kollegaen" is the mail arriving), and
    a "through" not going through something ("kom meg gjennom stegene", "gone through the
    SMTP settings"; "it went through this time" is sent)."""
    end = _in_order(words, phrase, WENT_OUT_GAP)
    if end is None:
        return False
    found = rules()
    following, then = [*words[end : end + 2], "", ""][:2]
    arrived = then in found.other_people | found.their_side or then == "slutt"
    if following in MOVING_ON and not arrived:
        return False
    return not (phrase[-1] in _THROUGH and following and following not in _THROUGH_ENDS)


def _in_order(words: Sequence[str], phrase: Sequence[str], gap: int) -> int | None:
    """Where the words of ``phrase`` in ``words`` end, in order and at most ``gap`` other
    words between each two ("gikk mailen ut" for "gikk ut"); None when they are not."""
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
            return at + 1
    return None


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
            after = words[verb_at + 1 : verb_at + 1 + DELIVERED_REACH]
            got = words[verb_at] in found.receiving and found.delivered_objects.intersection(after)
            # "my colleague got it working on her phone": made to work, not the mail got
            if got and not GOT_WORKING.intersection(after):
                return True
    return False


def now_read(words: Sequence[str]) -> list[str]:
    """``words`` without a Nynorsk "no" that means "nå" (before one of ``now_before``)."""
    now_before = rules().now_before
    return [
        word
        for at, word in enumerate(words)
        if not (word == "no" and at + 1 < len(words) and words[at + 1] in now_before)
    ]


def after_the_last_but(folded_tokens: Sequence[str]) -> Sequence[str]:
    """What follows the last word of ``but`` ("men", "but"): the news of the reply."""
    but = rules().but
    for at in range(len(folded_tokens) - 1, -1, -1):
        if folded_tokens[at] in but:
            return folded_tokens[at + 1 :]
    return folded_tokens
