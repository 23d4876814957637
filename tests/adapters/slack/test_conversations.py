"""fixbot on Slack, a conversation through: a Norwegian DM from the first message to
"that worked", presses the core failed on, and handoffs to the support channel."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import aiohttp
import pytest

from adapters.slack.app import build_bot, start_http
from adapters.slack.channel import FALLBACK_TEXTS
from bot.dialog import payloads
from bot.events import ConversationView, Inbound, Outcome
from tests.adapters.slack.conftest import (
    NORA,
    NORA_DM,
    SUPPORT,
    TOKEN,
    HttpSlack,
    ObservedService,
    ask_for_a_person,
    block_actions,
    buttons_of,
    delivered_at,
    dm,
    drain_pending,
    messages_for,
    serving,
    slack_settings,
    text_of,
)
from tests.adapters.slack.fake_server import FakeSlack


def is_step(verb: str) -> Callable[[str], bool]:
    def matches(value: str) -> bool:
        action = payloads.parse(value)
        return action.kind == "step" and action.verb == verb

    return matches


async def test_a_norwegian_dm_from_first_message_to_that_worked(http: HttpSlack) -> None:
    fake, core = http.fake, http.core
    knowledge = core.knowledge
    problem = knowledge.problems["mail-not-updating"]
    step1, step2 = (knowledge.steps[step_id] for step_id in problem.steps[:2])

    await http.event(dm("mailen på iPhonen oppdateres ikke", "1700000010.000100"), "Ev0NORA1")
    await fake.wait_for(lambda: len(core.outcomes) == 1, "the first message handled")
    first = core.outcomes[0]
    await fake.wait_for(lambda: len(fake.posts()) == messages_for(first), "the first answer")
    assert core.entered[0].language_hint == "nb"  # from Nora's Slack locale
    assert core.entered[0].display_name == "Nora"
    assert first.conversation.intent == "mail-not-updating"

    posts = fake.posts(NORA_DM)
    assert all(call.args.get("thread_ts") is None for call in posts)
    step_post = posts[-1]
    # fixbot markup as mrkdwn: **bold** -> *bold*, settings paths stay code, ">" escaped.
    assert text_of(step_post).startswith("*") and f"{step1.title.nb}*" in text_of(step_post)
    assert "**" not in text_of(posts[0]) and "&gt;" in text_of(posts[0])
    assert "`" in text_of(posts[0])
    assert step_post.args["text"]  # a plain fallback for notifications
    labels = [button["text"]["text"] for button in buttons_of(step_post)]
    assert knowledge.text("button_worked", "nb") in labels
    assert knowledge.text("button_not_helped", "nb") in labels

    # "Hjalp ikke" on step 1: its buttons are replaced by the choice, then step 2 comes.
    step_message = list(fake.posted_messages(NORA_DM))[-1]
    assert step_message["blocks"] == step_post.args["blocks"]
    status, _ = await http.action(block_actions(step_message, NORA_DM, NORA, is_step("no")))
    assert status == 200
    await fake.wait_for(lambda: len(core.outcomes) == 2, "the first press handled")
    second = core.outcomes[1]
    expected = messages_for(first) + messages_for(second)
    await fake.wait_for(lambda: len(fake.posts()) == expected, "step 2")
    update = fake.calls_to("chat.update")
    assert len(update) == 1
    assert update[0].args["ts"] == step_message["ts"]
    assert [b["type"] for b in update[0].args["blocks"]].count("actions") == 0
    assert knowledge.text("button_not_helped", "nb") in json.dumps(
        update[0].args["blocks"][-1], ensure_ascii=False
    )
    step2_post = fake.posts(NORA_DM)[-1]
    assert f"{step2.title.nb}*" in text_of(step2_post)

    # Step 2 checks the service ("is it up?"): "Ja, tjenesten er oppe" goes on to step 3.
    step2_message = list(fake.posted_messages(NORA_DM))[-1]
    await http.action(block_actions(step2_message, NORA_DM, NORA, is_step("fine")))
    await fake.wait_for(lambda: len(core.outcomes) == 3, "the check answered")
    expected += messages_for(core.outcomes[2])
    await fake.wait_for(lambda: len(fake.posts()) == expected, "step 3")

    # "Det fungerte" on step 3: resolved, and the rating buttons follow.
    step3_message = list(fake.posted_messages(NORA_DM))[-1]
    await http.action(block_actions(step3_message, NORA_DM, NORA, is_step("ok")))
    await fake.wait_for(lambda: len(core.outcomes) == 4, "the third press handled")
    third = core.outcomes[3]
    expected += messages_for(third)
    await fake.wait_for(lambda: len(fake.posts()) == expected, "the closing")
    assert third.conversation.status == "resolved"
    assert len(fake.calls_to("chat.update")) == 3
    assert [event.payload for event in core.entered[1:]] == [
        payloads.step("no", problem.id, 1),
        payloads.step("fine", problem.id, 2),
        payloads.step("ok", problem.id, 3),
    ]
    rating = fake.posts(NORA_DM)[-1]
    assert [b["value"] for b in buttons_of(rating)] == [payloads.rate(n) for n in range(1, 6)]
    # One users.info for the whole conversation: the locale is cached.
    assert len(fake.calls_to("users.info")) == 1


async def test_a_press_the_core_failed_on_keeps_its_buttons(http: HttpSlack) -> None:
    fake, core = http.fake, http.core
    await http.event(dm("mailen på iPhonen oppdateres ikke", "1700000011.000100"), "Ev0KEEP")
    await fake.wait_for(lambda: len(core.outcomes) == 1, "the first message handled")
    first = messages_for(core.outcomes[0])
    await fake.wait_for(lambda: len(fake.posts()) == first, "the first answer")
    step_message = list(fake.posted_messages(NORA_DM))[-1]

    core.failing = True
    status, _ = await http.action(block_actions(step_message, NORA_DM, NORA, is_step("no")))
    assert status == 200
    await fake.wait_for(lambda: len(fake.posts()) == first + 1, "the apology")
    assert fake.posts(NORA_DM)[-1].args["text"] == core.knowledge.text("error_apology", "nb")
    assert fake.calls_to("chat.update") == []  # the buttons stay, to be pressed again

    core.failing = False
    await http.action(block_actions(step_message, NORA_DM, NORA, is_step("no")))
    await fake.wait_for(lambda: len(core.outcomes) == 2, "the second press handled")
    await fake.wait_for(lambda: len(fake.calls_to("chat.update")) == 1, "the choice shown")
    update = fake.calls_to("chat.update")[0]
    assert update.args["ts"] == step_message["ts"]
    assert not [b for b in update.args["blocks"] if b["type"] == "actions"]
    expected = first + 1 + messages_for(core.outcomes[1])
    await fake.wait_for(lambda: len(fake.posts()) == expected, "step 2")


async def test_the_fallback_apology_when_even_the_wording_is_gone(fake: FakeSlack) -> None:
    class Broken:
        knowledge = None  # no knowledge either: ``knowledge.text`` raises

        def handle(self, event: Inbound) -> Outcome:
            raise RuntimeError("boom")

        def view(self, event: Inbound) -> ConversationView:
            raise RuntimeError("boom")

    bot = build_bot(slack_settings(fake), Broken())
    runner, port = await start_http(bot, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            slack = HttpSlack(
                fake, ObservedService(Broken(), fake), f"http://127.0.0.1:{port}", session
            )
            await slack.event(dm("hei", "1700000012.000100"), "Ev0BROKEN")
            await fake.wait_for(lambda: len(fake.posts(NORA_DM)) == 1, "the fallback apology")
    finally:
        await runner.cleanup()
        await drain_pending()
        await bot.aclose()
    [apology] = fake.posts(NORA_DM)
    assert apology.args["text"] == FALLBACK_TEXTS["error_apology"]
    assert "Beklager" in apology.args["text"] and "Sorry" in apology.args["text"]


# -- handoffs to the support channel ---------------------------------------------------


async def test_a_handoff_is_announced_in_the_support_channel(
    fake: FakeSlack, core: ObservedService
) -> None:
    async with serving(fake, core, slack_support_channel=SUPPORT) as slack:
        handed = await ask_for_a_person(slack)
        await fake.wait_for(lambda: fake.posts(SUPPORT), "the support notice")
        await fake.wait_for(lambda: all(delivered_at(core)), "the handoff marked delivered")
        # The person got every reply as well, in their DM.
        expected = sum(messages_for(o) for o in core.outcomes)
        await fake.wait_for(lambda: len(fake.posts(NORA_DM)) == expected, "the replies")
    [notice] = handed.handoffs
    [post] = fake.posts(SUPPORT)
    text = post.args["text"]
    summary = notice.summary.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert summary in text
    assert f"<@{NORA}>" in text
    assert f"/conversations/{handed.conversation.conversation_id}" in text
    assert "Slack" in text
    assert len(delivered_at(core)) == 1


async def test_without_a_support_channel_nothing_is_announced(
    fake: FakeSlack, core: ObservedService
) -> None:
    async with serving(fake, core) as slack:
        handed = await ask_for_a_person(slack)
        expected = sum(messages_for(o) for o in core.outcomes)
        await fake.wait_for(lambda: len(fake.posts()) == expected, "the replies")
    # Served and drained: every listener has finished, and none posted elsewhere.
    assert handed.handoffs
    assert {post.args["channel"] for post in fake.posts()} == {NORA_DM}
    assert delivered_at(core) == [None]


async def test_a_refused_notice_is_logged_and_leaves_the_handoff_undelivered(
    fake: FakeSlack, core: ObservedService, caplog: pytest.LogCaptureFixture
) -> None:
    fake.refused_channels.add(SUPPORT)
    with caplog.at_level(logging.ERROR):
        async with serving(fake, core, slack_support_channel=SUPPORT) as slack:
            await ask_for_a_person(slack)
            await fake.wait_for(lambda: fake.posts(SUPPORT), "the refused notice")
            expected = sum(messages_for(o) for o in core.outcomes)
            await fake.wait_for(lambda: len(fake.posts(NORA_DM)) == expected, "the replies")
    assert "handoff" in caplog.text and "not_in_channel" in caplog.text
    assert TOKEN not in caplog.text
    assert delivered_at(core) == [None]
