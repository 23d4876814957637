"""The fix told in the problem's words: the fault's sign gone, the mail gone out."""

from __future__ import annotations

import pytest

from bot.understanding.text import tokens
from bot.understanding.told_fixed import says_fault_gone, says_fault_stopped, says_mail_went_out


@pytest.mark.parametrize(
    "text",
    [
        "feilmeldingen er borte nå",
        "nå sender den uten feilmelding",
        "the error message disappeared",
        "no more duplicates in the inbox",
        "ikke flere duplikater, takk",
        "ingen duplikater lenger 👍",
    ],
)
def test_a_fault_said_gone(text: str) -> None:
    assert says_fault_gone(tokens(text))


@pytest.mark.parametrize(
    "text",
    [
        "ingen feilmelding, men mailen går ikke",  # a fault told outside the words
        "no error, it just doesn't send",
        "får ikke mail lenger",  # the fault itself, told with "ikke lenger"
        "feilmeldingen kommer fortsatt",
        "no more mail since yesterday",
        "det kom en ny feilmelding",
    ],
)
def test_no_fault_gone(text: str) -> None:
    assert not says_fault_gone(tokens(text))


@pytest.mark.parametrize(
    "text",
    [
        "nå gikk mailen ut",
        "testmailen kom fram til kollegaen",
        "it went through this time",
        "the email was sent",
        "kunden har fått mailen nå",
        "my manager got it",
        "mottakeren fikk den",
        "fant ikke knappen først, men nå er mailen sendt",  # after the "but"
    ],
)
def test_the_mail_said_gone_out(text: str) -> None:
    assert says_mail_went_out(tokens(text))


@pytest.mark.parametrize(
    "text",
    [
        "mailen ble sendt men kom ikke fram",
        "sjefen fikk ikke mailen",
        "my colleague got the same error",  # the same fault, not the mail
        "my colleague can't send either",
        "det står at den er sendt, men den ligger fortsatt i utboksen",
        "jeg har sendt den på nytt",  # sent again, nothing of it arriving
    ],
)
def test_the_mail_not_said_gone_out(text: str) -> None:
    assert not says_mail_went_out(tokens(text))


ASKING = ("spør", "spurt", "ask", "prompt")


@pytest.mark.parametrize(
    "text",
    [
        "no har den ikkje spurt på ein halvtime",  # Nynorsk "no" is "nå"
        "den spør ikke lenger",
        "it hasn't asked again",
        "no prompts since I re-entered it",
    ],
)
def test_the_problems_fault_verb_negated_is_the_fault_stopped(text: str) -> None:
    assert says_fault_stopped(tokens(text), ASKING)


@pytest.mark.parametrize(
    "text",
    [
        "den spør ikke om passordet, den bare henger",  # another fault beside it
        "jeg spurte ikke om det",  # the writer's own asking
        "den spør fortsatt",
        "får ikke mail lenger",
    ],
)
def test_no_fault_stopped(text: str) -> None:
    assert not says_fault_stopped(tokens(text), ASKING)


def test_a_problem_without_fault_verbs_has_none_stopped() -> None:
    assert not says_fault_stopped(tokens("den spør ikke lenger"), ())
