"""fixbot on Telegram when things go wrong: flood control, a failing core, long replies,
a lost wording, and the token kept out of every log (real python-telegram-bot, fake Bot API)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from adapters.telegram import render as telegram_render
from adapters.telegram.app import TelegramApp
from adapters.telegram.channel import FALLBACK_TEXTS
from adapters.telegram.logs import MASK
from bot.events import Button, ConversationView, Inbound, Outcome, Reply
from tests.adapters.telegram.conftest import (
    check_message,
    has_button,
    press_button,
    reply_after,
    running,
)
from tests.adapters.telegram.fake_person import Person
from tests.adapters.telegram.fake_server import FakeBotAPI

# --- faults: flood control, a failing core, long replies, the token ----------------------


async def test_a_429_is_retried_and_the_reply_arrives(fake: FakeBotAPI, bot: TelegramApp) -> None:
    fake.fail_next("sendMessage", times=1, retry_after=1)
    siri = Person(fake, 7010, "Siri", "nb")
    siri.says("/start")
    [greeting] = await fake.wait_sent(siri.chat, 1, "the greeting after a 429")
    assert greeting.text.startswith("Hei!")
    assert len(fake.calls_of("sendMessage", ok_only=False)) == 2


class LongCore:
    """A core whose one reply is 10,000+ characters of fixbot markup, with buttons."""

    def __init__(self, knowledge: Any) -> None:
        self.knowledge = knowledge
        paragraph = "**Steg**: gå til `Innstillinger > Mail` & sjekk <kontoen>. " * 6
        self.text = "\n\n".join(f"{n}. {paragraph}" for n in range(30))
        assert len(self.text) > 10_000

    def handle(self, event: Inbound) -> Outcome:
        buttons = (Button("Det fungerte", "step:ok:x:1"), Button("Hjalp ikke", "step:no:x:1"))
        view = ConversationView(1, "active", None, None, "nb")
        return Outcome((Reply(self.text, buttons),), view)

    def view(self, event: Inbound) -> ConversationView:
        return ConversationView(None, "active", None, None, "nb")


async def test_a_long_reply_arrives_as_several_messages(
    fake: FakeBotAPI, shipped_knowledge: Any
) -> None:
    core = LongCore(shipped_knowledge)
    async with running(fake, core):
        mia = Person(fake, 7011, "Mia", "nb")
        mia.says("lang forklaring takk")
        await reply_after(fake, mia, 0, lambda s: bool(s.data), "the last part, with buttons")
        parts = fake.sent_to(mia.chat)
    assert len(parts) >= 3
    for part in parts:
        check_message(part)
        assert "<script" not in part.text and "&lt;kontoen&gt;" in part.text
    assert [bool(p.data) for p in parts] == [False] * (len(parts) - 1) + [True]
    assert "\n\n".join(p.text for p in parts) == telegram_render.render(core.text)


class FailingFor:
    """The real service, except that it fails for one user (a bug, or a database gone)."""

    def __init__(self, service: Any, user_id: int, error: Exception) -> None:
        self.service = service
        self.knowledge = service.knowledge
        self.user_id = str(user_id)
        self.error = error

    def handle(self, event: Inbound) -> Outcome:
        if event.user_id == self.user_id:
            raise self.error
        return self.service.handle(event)

    def view(self, event: Inbound) -> ConversationView:
        if event.user_id == self.user_id:
            raise self.error
        return self.service.view(event)


async def test_a_core_failure_apologises_and_others_are_served(
    fake: FakeBotAPI, service: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.service import ServiceUnavailable

    caplog.set_level(logging.INFO)
    core = FailingFor(service, 7012, ServiceUnavailable("database is gone"))
    async with running(fake, core):
        tor = Person(fake, 7012, "Tor", "nb")
        sam = Person(fake, 7013, "Sam", "en")
        tor.says("mailen oppdateres ikke")
        sam.says("/start")
        [apology] = await fake.wait_sent(tor.chat, 1, "the apology")
        [greeting] = await fake.wait_sent(sam.chat, 1, "the other user's greeting")
    assert apology.text == telegram_render.render(service.knowledge.text("error_apology", "nb"))
    assert greeting.text.startswith("Hi! I'm fixbot")
    # an outage is logged as one line naming the chat, without a traceback
    failures = [r for r in caplog.records if "7012" in r.getMessage()]
    assert failures and "database is gone" in failures[0].getMessage()
    assert all(r.exc_info is None and r.levelno == logging.WARNING for r in failures)


class FailingPresses:
    """The real service, except that button presses fail while ``failing`` is set."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self.knowledge = service.knowledge
        self.failing = False

    def handle(self, event: Inbound) -> Outcome:
        if self.failing and event.payload:
            raise RuntimeError("the core broke on a press")
        return self.service.handle(event)

    def view(self, event: Inbound) -> ConversationView:
        return self.service.view(event)


async def test_a_press_the_core_failed_on_keeps_its_buttons(fake: FakeBotAPI, service: Any) -> None:
    core = FailingPresses(service)
    async with running(fake, core):
        ola = Person(fake, 7019, "Ola", "nb")
        ola.says("mailen oppdateres ikke på iphonen")
        step1 = await reply_after(fake, ola, 0, has_button("step:no:"), "step 1")
        core.failing = True
        seen = len(fake.sent_to(ola.chat))
        fake.push(ola.press_update(step1.message_id, step1.payload("step:no:")))
        [apology] = (await fake.wait_sent(ola.chat, seen + 1, "the apology"))[seen:]
        assert apology.text == telegram_render.render(service.knowledge.text("error_apology", "nb"))
        assert len(fake.calls_of("answerCallbackQuery")) == 1  # the spinner stopped at once
        # Nothing edited: the buttons are still there to be pressed again.
        assert not fake.calls_of("editMessageText")
        assert not fake.calls_of("editMessageReplyMarkup")
        assert "reply_markup" in fake.message(ola.chat, step1.message_id)

        core.failing = False
        await press_button(fake, ola, step1, step1.payload("step:no:"))
        await reply_after(fake, ola, seen + 1, lambda s: "Steg 2 av 8" in s.text, "step 2")


async def test_the_fallback_apology_when_even_the_wording_is_gone(fake: FakeBotAPI) -> None:
    class Broken:
        knowledge = None  # no knowledge either: ``knowledge.text`` raises

        def handle(self, event: Inbound) -> Outcome:
            raise RuntimeError("boom")

        def view(self, event: Inbound) -> ConversationView:
            raise RuntimeError("boom")

    async with running(fake, Broken()):
        eva = Person(fake, 7014, "Eva", None)
        eva.says("hei")
        [apology] = await fake.wait_sent(eva.chat, 1, "the fallback apology")
    assert apology.text == telegram_render.render(FALLBACK_TEXTS["error_apology"])


async def test_the_token_never_reaches_a_log(
    fake: FakeBotAPI, bot: TelegramApp, caplog: pytest.LogCaptureFixture
) -> None:
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # even a loud httpx is masked
    caplog.set_level(logging.DEBUG, logger="httpcore")
    fake.fail_next("sendMessage", times=1, retry_after=1)
    pia = Person(fake, 7015, "Pia", "nb")
    pia.says("/start")
    await fake.wait_sent(pia.chat, 1, "the greeting")
    logging.getLogger("test").error("request to %s failed", f"{fake.base_url}{fake.token}/getMe")
    assert fake.token not in caplog.text
    assert all(fake.token not in r.getMessage() for r in caplog.records)
    assert MASK in caplog.text  # httpx logged URLs, masked: the check is not vacuous
    assert fake.token.split(":")[1] not in caplog.text
