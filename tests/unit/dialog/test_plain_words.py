"""Everyday iPhone words asked about mid-fix by people who do not know them."""

from __future__ import annotations

import pytest

from tests.unit.dialog.test_real_knowledge import real_chat


@pytest.mark.parametrize(
    ("asked", "explained"),
    [
        ("hva er flymodus?", "**Flymodus**"),
        ("hva er sideknappen", "**Sideknappen**"),
        ("hva er innstillinger?", "grå tannhjulet"),
    ],
)
def test_a_word_of_the_phone_asked_about_is_explained(asked: str, explained: str) -> None:
    # playtest 26: "Hvorfor dette steget: ..." to "hva er flymodus", the step again to
    # "hvor er innstillinger?"
    chat = real_chat("nb")
    chat.say("jeg får ikke mail på iphonen")
    chat.say(asked)
    assert explained in chat.text
    assert chat.state.step_index == 0


def test_a_setting_found_in_settings_is_no_question_about_settings() -> None:
    chat = real_chat("nb")
    chat.say("jeg får ikke mail på iphonen")
    chat.say("jeg finner ikke Hent nye data i innstillinger")
    assert "**Hent nye data**" in chat.text
    assert "grå tannhjulet" not in chat.text


def test_where_settings_are_asked_at_a_step_gets_the_way_there() -> None:
    # the way there starts in Settings: the step's path, not what the Settings app is
    chat = real_chat("nb")
    chat.say("jeg får ikke mail på iphonen")
    chat.say("hvor er innstillinger?")
    assert "`Innstillinger >" in chat.text
    assert "grå tannhjulet" not in chat.text


def test_a_question_the_knowledge_answers_asked_outright_in_dialect_is_answered() -> None:
    # playtest 27: the step's why, as the reading was short of a switch's certainty
    chat = real_chat("nb")
    chat.say("jeg får ikke mail på iphonen")
    chat.say("kor mykje plass treng egentlig mail-appen? må æ slette bilda?")
    assert "1 GB" in chat.text
    assert chat.state.step_index == 0


def test_a_question_about_what_was_found_is_no_cannot_find() -> None:
    # playtest 27: "Finner du det ikke? Her er veien dit en gang til" to a found setting
    chat = real_chat("nb")
    chat.say("sendte mailer vises ikke i sendt-mappen på macen, bare på iphonen")
    chat.say(
        "Under Avansert står det Sendt under 'På min iPhone', skal jeg bytte til den på serveren?"
    )
    assert "Finner du det ikke" not in chat.text
    assert "Hvorfor dette steget" in chat.text


def test_where_is_it_is_still_cannot_find() -> None:
    chat = real_chat("nb")
    chat.say("sendte mailer vises ikke i sendt-mappen på macen, bare på iphonen")
    chat.say("finner ikke avansert, hvor er det?")
    assert "Hvorfor dette steget" not in chat.text
