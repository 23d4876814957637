"""fixbot on Telegram: the real python-telegram-bot against a fake Bot API, over HTTP.

The scenarios run the real ``Service`` (shipped knowledge, a real database);
only the rendering and fault tests use a small fake core where they need a
reply or a failure the knowledge base would not give. Every wait is a deadline
on a condition in the fake server's call record, never a fixed sleep.
"""

from __future__ import annotations

import html
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text as sql

from adapters.telegram import render as telegram_render
from adapters.telegram.app import ALLOWED_UPDATES, TelegramApp, build_application, webhook_options
from adapters.telegram.channel import FALLBACK_TEXTS
from adapters.telegram.logs import MASK
from adapters.telegram.webhook import start_webhook
from bot.events import Button, ConversationView, Inbound, Outcome, Reply
from bot.settings import Settings
from bot.store.database import create_engine_for
from tests.adapters.telegram.fake_server import DEADLINE, FakeBotAPI, Person, Sent
from tests.paths import ROOT

SECRET = "s3cret-Webhook_token"


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    server = FakeBotAPI().start()
    try:
        yield server
    finally:
        server.stop()


def adapter_settings(fake: FakeBotAPI, **changes: Any) -> Settings:
    return Settings(
        telegram_bot_token=fake.token,
        telegram_base_url=fake.base_url,
        telegram_webhook_secret=SECRET,
        **changes,
    )


@asynccontextmanager
async def running(
    fake: FakeBotAPI, core: Any, *, polling: bool = True, **changes: Any
) -> AsyncIterator[TelegramApp]:
    """The adapter's Application, started (and polling the fake unless ``polling`` is off);
    ``changes`` to the test settings."""
    app = build_application(adapter_settings(fake, **changes), core)
    await app.initialize()
    await app.start()
    if polling:
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=list(ALLOWED_UPDATES)
        )
    try:
        yield app
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        await app.stop()
        await app.shutdown()


@pytest.fixture
async def bot(fake: FakeBotAPI, service: Any) -> AsyncIterator[TelegramApp]:
    async with running(fake, service) as app:
        yield app


async def reply_after(
    fake: FakeBotAPI, person: Person, seen: int, match: Callable[[Sent], bool], what: str
) -> Sent:
    """The first message to ``person`` after the first ``seen`` that ``match`` accepts."""

    def found() -> Sent | None:
        return next((s for s in fake.sent_to(person.chat)[seen:] if match(s)), None)

    return await fake.wait_for(found, what)


def has_button(prefix: str) -> Callable[[Sent], bool]:
    return lambda sent: any(data.startswith(prefix) for data in sent.data)


def check_message(sent: Sent) -> None:
    """What every message must be: within Telegram's limits, HTML parse mode, sane buttons."""
    assert 0 < telegram_render.size(sent.text) <= 4096
    assert sent.params["parse_mode"] == "HTML"
    for data in sent.data:
        assert 1 <= len(data.encode()) <= 64


async def press_button(fake: FakeBotAPI, person: Person, sent: Sent, payload: str) -> None:
    update = person.press_update(sent.message_id, payload)
    query_id = update["callback_query"]["id"]
    fake.push(update)
    await fake.wait_for(
        lambda: any(
            p["callback_query_id"] == query_id for p in fake.calls_of("answerCallbackQuery")
        ),
        f"answerCallbackQuery for {payload}",
    )
    edited = await fake.wait_edit(sent.message_id)
    assert "reply_markup" not in edited or not edited["reply_markup"]
    label = dict(zip(sent.data, sent.labels, strict=True))[payload]
    assert edited["text"].endswith(f"<b>▸ {html.escape(label, quote=False)}</b>")
    assert "reply_markup" not in fake.message(person.chat, sent.message_id)


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
    await press_button(fake, ola, step2, step2.payload("step:ok:"))
    done = await reply_after(fake, ola, seen, has_button("rate:"), "the rating question")
    everything = fake.sent_to(ola.chat)
    assert any("Så bra" in s.text for s in everything)
    assert done.data == [f"rate:{n}" for n in range(1, 6)]
    for sent in everything:
        check_message(sent)
    # Every press answered once, every pressed message edited.
    assert len(fake.calls_of("answerCallbackQuery")) == 3
    assert {int(p["message_id"]) for p in fake.calls_of("editMessageText")} == {
        menu.message_id,
        step1.message_id,
        step2.message_id,
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
    await fake.wait_sent(emma.chat, 2, "the handoff reply")
    handoff = telegram_render.render(
        service.knowledge.text("handoff_nothing_tried", "en").split("\n")[0]
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
    person.says("I want to talk to a person")
    await fake.wait_sent(person.chat, 1, "the handoff reply")
    seen = len(fake.sent_to(person.chat))
    person.says("/help")
    await reply_after(fake, person, seen, lambda s: s.text.startswith("Hi!"), "the next answer")


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


# --- webhook -----------------------------------------------------------------------------


def message_rows(database_url: str) -> int:
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sql("SELECT count(*) FROM messages")).scalar_one())
    finally:
        engine.dispose()


async def test_webhook_checks_the_secret_before_the_core(
    fake: FakeBotAPI, service: Any, database_url: str
) -> None:
    options = webhook_options(
        "https://bot.example.org/telegram/hook", SECRET, listen="127.0.0.1", port=8443
    )
    assert options["url_path"] == "telegram/hook"
    options["port"] = 0
    anna = Person(fake, 7009, "Anna", "nb")
    async with running(fake, service, polling=False) as app:
        runner, port = await start_webhook(app, options)
        url = f"http://127.0.0.1:{port}/telegram/hook"
        [registered] = fake.calls_of("setWebhook")
        assert registered["url"] == "https://bot.example.org/telegram/hook"
        assert registered["secret_token"] == SECRET
        async with httpx.AsyncClient(timeout=DEADLINE) as client:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                response = await client.post(url, json=anna.text_update("/start"), headers=headers)
                assert response.status_code == 403
            assert message_rows(database_url) == 0
            good = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            update = anna.text_update("/start")
            for _ in range(2):  # Telegram redelivers when it misses our 200
                response = await client.post(url, json=update, headers=good)
                assert response.status_code == 200
            response = await client.post(url, json=anna.text_update("/help"), headers=good)
            assert response.status_code == 200
            await fake.wait_sent(anna.chat, 2, "two greetings by webhook")
        assert fake.sent_to(anna.chat)[0].text.startswith("Hei!")
        await runner.cleanup()
        assert len(fake.sent_to(anna.chat)) == 2  # the redelivered /start was answered once
        assert message_rows(database_url) > 0


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
    failures = [r for r in caplog.records if "core failed" in r.getMessage()]
    assert failures and "7012" in failures[0].getMessage()


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


# --- the command line: ``fixbot serve telegram`` until Ctrl-C ---------------------------


def test_fixbot_serve_telegram_polls_until_interrupted(
    fake: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "FIXBOT_TELEGRAM_BASE_URL": fake.base_url,
        "FIXBOT_DATABASE_URL": database_url,
        "FIXBOT_LOG_LEVEL": "DEBUG",
        "PYTHONPATH": str(ROOT),
    }
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli.main", "serve", "telegram"],
            cwd=tmp_path,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            ola = Person(fake, 7016, "Ola", "nb")
            ola.says("/start")
            deadline = time.monotonic() + 30
            while not fake.sent_to(ola.chat):
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                fake.wait_for_call(0.1)
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=DEADLINE) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    output = log_path.read_text()
    assert fake.token not in output
    assert fake.sent_to(ola.chat)[0].text.startswith("Hei!")


def closed_port() -> int:
    """A local port nothing listens on: bound, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_telegram(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str, token: str, base_url: str
) -> int:
    from adapters.cli import main as cli

    monkeypatch.chdir(tmp_path)  # no .env from the working tree
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    monkeypatch.setenv("FIXBOT_TELEGRAM_BASE_URL", base_url)
    monkeypatch.setenv("FIXBOT_DATABASE_URL", database_url)
    return cli.main(["serve", "telegram"])


def test_an_unreachable_bot_api_is_one_line_at_start_up(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
) -> None:
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
    base_url = f"http://127.0.0.1:{closed_port()}/bot"
    assert serve_telegram(monkeypatch, tmp_path, database_url, token, base_url) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("fixbot: cannot reach the Telegram Bot API")
    assert base_url in err and "FIXBOT_TELEGRAM_BASE_URL" in err
    assert token not in err and token.split(":")[1] not in err


def test_a_rejected_token_is_one_line_at_start_up(
    fake: FakeBotAPI,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
) -> None:
    wrong = "987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
    assert serve_telegram(monkeypatch, tmp_path, database_url, wrong, fake.base_url) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "rejected TELEGRAM_BOT_TOKEN" in err
    assert wrong not in err and wrong.split(":")[1] not in err


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
