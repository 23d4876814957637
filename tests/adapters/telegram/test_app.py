"""fixbot on Telegram: the real python-telegram-bot against a fake Bot API, over HTTP.

The scenarios run the real ``Service`` (shipped knowledge, a real database);
only the rendering and fault tests use a small fake core where they need a
reply or a failure the knowledge base would not give. Every wait is a deadline
on a condition in the fake server's call record, never a fixed sleep.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text as sql

from adapters.telegram import render as telegram_render
from adapters.telegram.app import TelegramApp
from bot.events import Inbound
from tests.adapters.telegram.conftest import (
    check_message,
    has_button,
    press_button,
    reply_after,
    running,
)
from tests.adapters.telegram.fake_person import Person
from tests.adapters.telegram.fake_server import FakeBotAPI

# --- Norwegian: /start through a problem to "that worked" ---------------------------


async def test_norwegian_user_fixes_mail_by_buttons(fake: FakeBotAPI, bot: TelegramApp) -> None:
    ola = Person(fake, 7001, "Ola", "nb")
    ola.says("/start")
    [menu] = await fake.wait_sent(ola.chat, 1, "the greeting")
    check_message(menu)
    assert menu.text.startswith("Hei! Jeg er fixbot")
    assert "<b>Mail på iPhone</b>" in menu.text
    assert "pick:mail-not-updating" in menu.data
    assert "Innboksen oppdateres ikke" in menu.labels

    await press_button(fake, ola, menu, "pick:mail-not-updating")
    step1 = await reply_after(fake, ola, 1, has_button("step:no:"), "step 1")
    assert "<b>Steg 1 av 8" in step1.text
    await press_button(fake, ola, step1, step1.payload("step:no:"))
    seen = len(fake.sent_to(ola.chat))
    step2 = await reply_after(
        fake, ola, seen - 1, lambda s: "Steg 2 av 8" in s.text and bool(s.data), "step 2"
    )
    # step 2 checks the mail service: its own answers, no "that worked"
    assert not any(payload.startswith("step:ok:") for payload in step2.data)
    await press_button(fake, ola, step2, step2.payload("step:fine:"))
    seen = len(fake.sent_to(ola.chat))
    step3 = await reply_after(
        fake, ola, seen - 1, lambda s: "Steg 3 av 8" in s.text and bool(s.data), "step 3"
    )
    await press_button(fake, ola, step3, step3.payload("step:ok:"))
    done = await reply_after(fake, ola, seen, has_button("rate:"), "the rating question")
    everything = fake.sent_to(ola.chat)
    assert any("Så bra" in s.text for s in everything)
    assert done.data == [f"rate:{n}" for n in range(1, 6)]
    for sent in everything:
        check_message(sent)
    # Every press answered once, every pressed message edited.
    assert len(fake.calls_of("answerCallbackQuery")) == 4
    assert {int(p["message_id"]) for p in fake.calls_of("editMessageText")} == {
        menu.message_id,
        step1.message_id,
        step2.message_id,
        step3.message_id,
    }


async def test_norwegian_user_fixes_mail_by_typing(fake: FakeBotAPI, bot: TelegramApp) -> None:
    kari = Person(fake, 7002, "Kari", "nn")  # Nynorsk client: spoken to in Bokmål
    kari.says("/start")
    await fake.wait_sent(kari.chat, 1, "the greeting")
    assert fake.sent_to(kari.chat)[0].text.startswith("Hei!")
    kari.says("mailen oppdateres ikke på iphonen")
    step1 = await reply_after(fake, kari, 1, has_button("step:no:"), "step 1")
    assert "Steg 1 av 8" in step1.text
    seen = len(fake.sent_to(kari.chat))
    kari.says("det hjalp ikke")
    await reply_after(fake, kari, seen, lambda s: "Steg 2 av 8" in s.text, "step 2")
    seen = len(fake.sent_to(kari.chat))
    kari.says("det funka")
    await reply_after(fake, kari, seen, has_button("rate:"), "the rating question")
    assert any("Så bra" in s.text for s in fake.sent_to(kari.chat)[seen:])
    for sent in fake.sent_to(kari.chat):
        check_message(sent)
    assert not fake.calls_of("answerCallbackQuery")


# --- English: handed off to a person ----------------------------------------------------


@pytest.mark.parametrize("ask", ["/human", "I want to talk to a person"])
async def test_english_user_is_handed_off(
    fake: FakeBotAPI, bot: TelegramApp, service: Any, ask: str
) -> None:
    emma = Person(fake, 7003, "Emma", "en-GB")
    emma.says("/start")
    [menu] = await fake.wait_sent(emma.chat, 1, "the greeting")
    assert menu.text.startswith("Hi! I'm fixbot")
    assert "Talk to IT" in menu.labels
    emma.says(ask)
    if not ask.startswith("/"):
        # nothing described yet: "what is it about?" first, then "go straight to IT"
        question = (await fake.wait_sent(emma.chat, 2, "the question"))[-1]
        assert question.labels[-1] == service.knowledge.text("button_human_direct", "en")
        await press_button(fake, emma, question, question.payload("human"))
    await fake.wait_sent(emma.chat, 2 if ask.startswith("/") else 3, "the handoff reply")
    handoff = telegram_render.render(
        service.knowledge.text("handoff_nothing_said", "en").split("\n")[0]
    )
    assert any(handoff[:40] in s.text for s in fake.sent_to(emma.chat)[1:])
    view = service.view(probe(emma))
    assert view.status == "handed_off"
    assert view.language == "en"


def probe(person: Person) -> Inbound:
    """An event that only locates the person's chat, for ``service.view``."""
    return Inbound(
        "telegram", str(person.user_id), str(person.chat), "probe", datetime.now(UTC), payload="x"
    )


# --- handoffs to the support chat --------------------------------------------------------

SUPPORT_CHAT = -1009000


def handoff_rows(service: Any) -> list[Any]:
    with service.store.reading() as connection:
        query = sql("SELECT summary, delivered_at, conversation_id FROM handoffs")
        return list(connection.execute(query))


async def hand_off(fake: FakeBotAPI, person: Person) -> None:
    """``person`` asks for a person, then writes again: the chat's updates go one at a time,
    so once the second is answered, everything after the handoff's replies is done too."""
    person.says("/human")
    await fake.wait_sent(person.chat, 1, "the handoff reply")
    seen = len(fake.sent_to(person.chat))
    person.says("/help")
    # /help while IT has the case: where the case stands, not a new conversation's menu
    case = lambda s: s.text.startswith("IT has your case")  # noqa: E731
    await reply_after(fake, person, seen, case, "the next answer")


async def test_a_handoff_is_announced_in_the_support_chat(fake: FakeBotAPI, service: Any) -> None:
    emma = Person(fake, 7010, "Emma <IT>", "en-GB", username="emma_it")
    async with running(fake, service, telegram_support_chat=str(SUPPORT_CHAT)):
        await hand_off(fake, emma)
        [notice] = await fake.wait_sent(SUPPORT_CHAT, 1, "the support notice")
        await fake.wait_for(lambda: all(row[1] for row in handoff_rows(service)), "delivered")
    [(summary, delivered, conversation_id)] = handoff_rows(service)
    assert delivered is not None
    check_message(notice)
    assert telegram_render.render(summary) in notice.text
    assert "Telegram" in notice.text
    assert "Emma &lt;IT&gt; (@emma_it, id 7010)" in notice.text  # escaped, never a tag
    assert f"/conversations/{conversation_id}" in notice.text


async def test_without_a_support_chat_nothing_is_announced(
    fake: FakeBotAPI, bot: TelegramApp, service: Any
) -> None:
    emma = Person(fake, 7011, "Emma", "en-GB")
    await hand_off(fake, emma)
    chats = {int(p["chat_id"]) for p in fake.calls_of("sendMessage")}
    assert chats == {emma.chat}
    assert [row[1] for row in handoff_rows(service)] == [None]


async def test_a_refused_notice_is_logged_and_leaves_the_handoff_undelivered(
    fake: FakeBotAPI, service: Any, caplog: pytest.LogCaptureFixture
) -> None:
    fake.refused_chats.add(SUPPORT_CHAT)
    emma = Person(fake, 7012, "Emma", "en-GB")
    with caplog.at_level(logging.ERROR):
        async with running(fake, service, telegram_support_chat=str(SUPPORT_CHAT)):
            await hand_off(fake, emma)
    assert fake.calls_of("sendMessage", ok_only=False)
    assert "could not send handoff" in caplog.text and fake.token not in caplog.text
    assert [row[1] for row in handoff_rows(service)] == [None]


# --- de-duplication, edits, non-text, groups ---------------------------------------------


async def test_the_same_update_twice_is_answered_once(fake: FakeBotAPI, bot: TelegramApp) -> None:
    per = Person(fake, 7004, "Per", "nb")
    update = per.text_update("/start")
    fake.push(update)
    fake.push(update)
    per.says("/help")  # answered after both deliveries of the first (one update per chat)
    await fake.wait_for(lambda: len(fake.sent_to(per.chat)) >= 2, "two greetings")
    greetings = [s for s in fake.sent_to(per.chat) if s.text.startswith("Hei!")]
    assert len(greetings) == 2  # /start once, /help once; the redelivery got nothing
    delivered = [
        u["update_id"]
        for call in fake.calls
        if call.method == "getUpdates"
        for u in call.result or []
    ]
    assert delivered.count(update["update_id"]) == 2


async def test_edited_messages_are_ignored(fake: FakeBotAPI, bot: TelegramApp) -> None:
    liv = Person(fake, 7005, "Liv", "nb")
    liv.edits(1, "mailen virker ikke")
    liv.says("/start")
    [greeting] = await fake.wait_sent(liv.chat, 1, "the greeting")
    assert greeting.text.startswith("Hei!")
    liv.says("/help")
    await fake.wait_sent(liv.chat, 2, "the menu")
    assert all(s.text.startswith("Hei!") for s in fake.sent_to(liv.chat))


async def test_a_photo_gets_the_text_only_answer(
    fake: FakeBotAPI, bot: TelegramApp, service: Any
) -> None:
    nils = Person(fake, 7006, "Nils", "nb")
    nils.sends_photo()
    [answer] = await fake.wait_sent(nils.chat, 1, "the text-only answer")
    assert answer.text == telegram_render.render(service.knowledge.text("text_only", "nb"))
    jane = Person(fake, 7007, "Jane", "en")
    jane.sends_photo()
    [answer] = await fake.wait_sent(jane.chat, 1, "the text-only answer")
    assert answer.text == telegram_render.render(service.knowledge.text("text_only", "en"))


async def test_group_messages_need_a_mention_a_reply_or_fix(
    fake: FakeBotAPI, bot: TelegramApp, service: Any
) -> None:
    group = -100500
    ida = Person(fake, 7008, "Ida", "nb", chat_id=group, chat_type="supergroup")
    ida.says("mailen oppdateres ikke på iphonen")  # not for fixbot
    ida.sends_photo()  # neither is this
    mention = ida.text_update("@fixbot_test_bot mailen oppdateres ikke på iphonen")
    fake.push(mention)
    sent = await reply_after(fake, ida, 0, has_button("step:"), "step 1 in the group")
    replies = fake.sent_to(group)
    # The first reply answers the mention; nothing answered the messages before it.
    assert replies[0].params["reply_parameters"]["message_id"] == mention["message"]["message_id"]
    assert not any("fixbot leser bare tekst" in s.text for s in replies)
    # Ida's conversation is keyed by group and person.
    assert (
        service.view(
            Inbound("telegram", "7008", f"{group}:7008", "p", datetime.now(UTC), payload="x")
        ).intent
        == "mail-not-updating"
    )
    assert all(
        s.params["reply_parameters"]["message_id"] == mention["message"]["message_id"]
        for s in replies
    )
    # Someone else's press on Ida's buttons is answered, and changes nothing.
    bob = Person(fake, 7018, "Bob", "en", chat_id=group, chat_type="supergroup")
    intruder = bob.press_update(sent.message_id, sent.payload("step:ok:"))
    fake.push(intruder)
    await fake.wait_for(
        lambda: any(
            p["callback_query_id"] == intruder["callback_query"]["id"]
            for p in fake.calls_of("answerCallbackQuery")
        ),
        "the intruder's press answered",
    )
    # Replying to the bot's message needs no mention; /fix@bot works too.
    seen = len(fake.sent_to(group))
    ida.says("det funka", reply_to=fake.message(group, sent.message_id))
    await reply_after(fake, ida, seen, has_button("rate:"), "the rating question")
    seen = len(fake.sent_to(group))
    ida.says("/fix@fixbot_test_bot")
    await reply_after(fake, ida, seen, has_button("pick:"), "the menu after /fix")
    assert not fake.calls_of("editMessageText")  # Bob's press edited nothing
    assert (
        service.view(
            Inbound("telegram", "7018", f"{group}:7018", "p", datetime.now(UTC), payload="x")
        ).conversation_id
        is None
    )  # and reached no conversation


async def test_language_command_switches_and_takes_an_argument(
    fake: FakeBotAPI, bot: TelegramApp, service: Any
) -> None:
    ola = Person(fake, 7017, "Ola", "nb")
    ola.says("/start")
    await fake.wait_sent(ola.chat, 1, "the greeting")
    ola.says("/language")  # no argument: the other language
    to_english = telegram_render.render(service.knowledge.text("language_switched", "en"))
    await reply_after(fake, ola, 1, lambda s: s.text.startswith(to_english), "switch to English")
    seen = len(fake.sent_to(ola.chat))
    ola.says("/language norsk")
    to_norwegian = telegram_render.render(service.knowledge.text("language_switched", "nb"))
    await reply_after(fake, ola, seen, lambda s: s.text.startswith(to_norwegian), "the switch back")
    assert service.view(probe(ola)).language == "nb"
