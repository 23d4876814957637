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
        "filled in my email address and now it sends!",  # playtest 27
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
        "nå spør den ikke om passord lenger",  # playtest 27: the subject before the "ikke"
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


@pytest.mark.parametrize(
    "text",
    [
        # review: the fault said to last, quoted, or no news of a change
        "no, the error is still there",
        "no, same error",
        "ingen endring, feilmeldingen er der fortsatt",
        "feilmelding: ingen nettverkstilkobling",
        "the error says there is no internet connection",
        "no error message, it just sits in the outbox",
        "eg får same feilmelding no",
        "it gives an error without any explanation",
    ],
)
def test_the_error_not_gone(text: str) -> None:
    assert not says_fault_gone(tokens(text))


@pytest.mark.parametrize(
    "text",
    [
        "den slutter ikke å spørre om passordet",
        "den slutter aldri å mase",
        "the prompt won't go away",
        "den spør ikke om passordet, den spør om en kode",
    ],
)
def test_the_fault_going_on_is_not_stopped(text: str) -> None:
    assert not says_fault_stopped(tokens(text), ASKING)


def test_another_sign_of_the_fault_beside_a_negated_one_is_no_stop() -> None:
    assert not says_fault_stopped(tokens("det er ikke krasj, den fryser"), ("krasj", "frys"))


@pytest.mark.parametrize(
    "text",
    [
        "jeg kom fram til utboksen",
        "kom meg gjennom stegene",
        "gikk ut av mail og inn igjen, samme greia",
        "I've gone through the SMTP settings and they look correct",
        "my colleague got it working on her phone",
        "jeg sender nå en testmail",
    ],
)
def test_moving_and_making_work_are_no_mail_gone_out(text: str) -> None:
    assert not says_mail_went_out(tokens(text))


def test_mail_sent_from_another_device_is_no_fix_of_the_phone() -> None:
    said = tokens("I sent it from my laptop instead, it sent fine there")
    assert not says_mail_went_out(said, {"laptop", "pc", "mac"})
