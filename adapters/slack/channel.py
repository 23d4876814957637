"""Slack listeners: events, commands and button presses in, core events through, Block Kit out.

Every request is acknowledged at once and processed after: Bolt acks events
before their listener runs (``process_before_response=False``), and the action
and command listeners call ``ack()`` first. The core runs in a worker thread
(``asyncio.to_thread``); Slack's own event id is the core's event id, so a
retried or concurrently redelivered event gets its replies once (the core's
unique processed-event key), however many times Bolt runs the listener. A
pressed message loses its buttons (chat.update) only once the core has handled
the press; after a core failure they stay, to be pressed again.

Conversations: a direct message chat is keyed by its channel; in channels an
``@fixbot`` mention starts a conversation in its thread (``channel:thread_ts``)
and later messages in that thread continue it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.delivery import DeliveryWorker, Turns
from adapters.intake import Intake, holding
from adapters.slack.blocks import (
    ACTION_PREFIX,
    chosen_blocks,
    home_view,
    render_reply,
)
from adapters.slack.events import (
    Place,
    Said,
    event_key,
    read_command,
    read_mention,
    read_message,
    read_press,
)
from adapters.slack.handoff import add_to_thread, announce
from adapters.slack.logs import BOLT_LOGGER, library_logger
from adapters.slack.people import People, Person
from adapters.slack.sending import SlackSender, destination
from bot.events import ConversationView, HandoffThread, Inbound, Outcome, Reply
from bot.knowledge import Knowledge
from bot.service import ServiceUnavailable
from bot.settings import Settings

PLATFORM = "slack"

log = logging.getLogger("fixbot.slack")

# The one place fixbot's wording lives in code: used only when even the knowledge
# base's own texts are unavailable.
FALLBACK_TEXTS = {
    "error_apology": "Beklager, noe gikk galt. Prøv igjen om litt.\n"
    "Sorry, something went wrong. Please try again in a moment.",
    "text_only": "fixbot leser bare tekst. / fixbot reads text only.",
}


class Core(Protocol):
    """What the Slack adapter needs of the core: ``bot.service.Service`` satisfies it."""

    @property
    def knowledge(self) -> Knowledge: ...

    def handle(self, event: Inbound) -> Outcome: ...

    def view(self, event: Inbound) -> ConversationView: ...

    def mark_handoff_delivered(
        self, handoff_id: int, *, thread: HandoffThread | None = None
    ) -> None: ...


class SlackBot:
    """The Bolt app and its listeners, wired to the core; ``adapters.slack.app`` serves it."""

    def __init__(self, settings: Settings, service: Core, client: AsyncWebClient) -> None:
        self.settings = settings
        self.service = service
        self.client = client
        self.people = People(self.client, settings.intake.people_cache_size)
        # Events in flight in this process; the HTTP server and the Socket Mode reader
        # admit through it, the listeners hold their event's slot until done.
        self.intake = Intake(settings.intake.max_in_flight)
        # The workspace and bot this process serves (set from auth.test by ``connect``):
        # Slack's event ids are unique per app, so de-duplication is scoped to it.
        self.scope = ""
        # Turns between intake and commit, so a graceful shutdown can let them finish.
        self.turns = Turns()
        # With a delivery worker (``fixbot serve slack``), replies go through the outbox;
        # without one (an embedded bot), they are posted right after the turn.
        self.delivery: DeliveryWorker | None = None
        self.sender = SlackSender(self.client)
        self.app = AsyncApp(
            client=self.client,
            # Always verified; Bolt skips the check for Socket Mode envelopes, which
            # come over the authenticated websocket unsigned.
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=True,
            process_before_response=False,
            logger=library_logger(BOLT_LOGGER, settings.log_level),
        )
        self.app.event("message")(self._on_message)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("app_home_opened")(self._on_home_opened)
        self.app.command("/fixbot")(self._on_command)
        self.app.action(re.compile(f"^{re.escape(ACTION_PREFIX)}"))(self._on_action)

    # -- listeners ---------------------------------------------------------------

    async def _on_message(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: AsyncBoltContext,
        request: AsyncBoltRequest,
    ) -> None:
        """A message in a DM, or in a channel thread where fixbot has a conversation."""
        with holding():
            await self._message(event, body, context, request)

    async def _message(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: AsyncBoltContext,
        request: AsyncBoltRequest,
    ) -> None:
        said = read_message(event, event_key(body), context.get("bot_user_id"))
        if said is None:
            return
        if not said.text:
            file_only = event.get("subtype") == "file_share" and not said.started_only
            if file_only and not _is_retry(request):
                await self._say_ui(said.place, said.user, "text_only")
            return
        await self._deliver(said)

    async def _on_mention(
        self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """``@fixbot ...`` in a channel: start (or continue) the conversation in its thread."""
        said = read_mention(event, event_key(body), context.get("bot_user_id"))
        if said is not None:
            with holding():
                await self._deliver(said)

    async def _on_home_opened(self, event: dict[str, Any]) -> None:
        """The App Home tab: publish the problem menu in the person's language."""
        if event.get("tab") != "home" or not event.get("user"):
            return
        with holding():
            await self._publish_home(event)

    async def _publish_home(self, event: dict[str, Any]) -> None:
        person = await self.people.get(event["user"])
        language = person.language or self.settings.default_language
        try:
            await self.client.views_publish(
                user_id=event["user"], view=home_view(self.service.knowledge, language)
            )
        except SlackApiError as error:
            log.error("views.publish failed for %s: %s", event["user"], error.response.get("error"))

    async def _on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        """``/fixbot [reset|human|text]``: answered in the person's DM with fixbot."""
        await ack()
        with holding():
            await self._command(command)

    async def _command(self, command: dict[str, Any]) -> None:
        user = command["user_id"]
        place = await self._direct_place(user)
        if place is None:
            return
        event_id = command.get("trigger_id") or f"{user}:{datetime.now(UTC).timestamp()}"
        text, payload = read_command(command.get("text") or "")
        await self._deliver(Said(place, user, event_id, text=text, payload=payload))

    async def _on_action(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        """A fixbot button: ack, the core, then the choice shown in place of the buttons.

        After a core failure the person gets the apology and the buttons stay, so
        they can press again (a new press has a new action ts, so a new event id).
        """
        await ack()
        with holding():
            await self._press(body, action)

    async def _press(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        press = read_press(body, action)
        if press is None:
            return
        place = press.place
        if place is None:  # a button on the App Home tab: the conversation is in the DM
            place = await self._direct_place(press.user)
            if place is None:
                return
        said = Said(place, press.user, press.event_id, payload=press.payload)
        async with self.turns:
            outcome = await self._outcome(said)
            if outcome is None:
                return
            if press.message is not None and press.message_ts and not outcome.duplicate:
                await self._show_choice(place, press.message, press.message_ts, press.label)
            await self._post_replies(place, outcome)

    async def _show_choice(
        self, place: Place, message: dict[str, Any], message_ts: str, label: str
    ) -> None:
        """Replace the pressed message's buttons by the choice (chat.update)."""
        try:
            await self.client.chat_update(
                channel=place.channel,
                ts=message_ts,
                text=message.get("text") or label,
                blocks=chosen_blocks(message.get("blocks") or [], label),
            )
        except SlackApiError as error:
            log.warning("chat.update failed in %s: %s", place.chat_key, error.response.get("error"))

    async def aclose(self) -> None:
        """Close the Web API client's HTTP session (at shutdown)."""
        session = self.client.session
        if session is not None and not session.closed:
            await session.close()

    # -- the core and replies ----------------------------------------------------

    async def _deliver(self, said: Said) -> None:
        """Give one event to the core and post its replies; a core failure gets an apology."""
        async with self.turns:
            outcome = await self._outcome(said)
            if outcome is not None:
                await self._post_replies(said.place, outcome)

    async def _outcome(self, said: Said) -> Outcome | None:
        """The core's outcome for one event; None if there is nothing to post.

        None when the core failed (the person got an apology) and for a
        channel-thread message (``started_only``) in a thread where fixbot has no
        conversation.
        """
        place, user, event_id = said.place, said.user, said.event_id
        inbound = Inbound(
            platform=PLATFORM,
            user_id=user,
            chat_key=place.chat_key,
            event_id=event_id,
            received_at=datetime.now(UTC),
            text=said.text,
            payload=said.payload,
            bot=self.scope,
            reply_to=None if self.delivery is None else destination(place),
        )
        try:
            if said.started_only:
                view = await asyncio.to_thread(self.service.view, inbound)
                if view.conversation_id is None:
                    return None
        except Exception:
            log.exception("could not look up slack chat %s (event %s)", place.chat_key, event_id)
            return None
        person = await self.people.get(user)
        inbound = replace(inbound, language_hint=person.language, display_name=person.name)
        try:
            outcome = await asyncio.to_thread(self.service.handle, inbound)
        except ServiceUnavailable as error:
            # an outage is no bug: one line per event, not a traceback each
            log.warning("slack chat %s (event %s): %s", place.chat_key, event_id, error)
            await self._say_ui(place, user, "error_apology", person)
            return None
        except Exception:
            log.exception("the core failed on slack chat %s (event %s)", place.chat_key, event_id)
            await self._say_ui(place, user, "error_apology", person)
            return None
        if outcome.duplicate:
            log.info("slack event %s already handled (chat %s)", event_id, place.chat_key)
        return outcome

    async def _post_replies(self, place: Place, outcome: Outcome) -> None:
        """Post the outcome's replies in order (stop at the first Slack refuses), then
        announce its handoffs in the support channel, if one is configured.

        With a delivery worker the replies are already in the outbox: it is woken.
        """
        if self.delivery is not None:
            if outcome.queued:
                self.delivery.wake()
            replies: tuple[Reply, ...] = ()
        else:
            replies = outcome.replies
        for reply in replies:
            if not await self._post(place, reply):
                log.error(
                    "stopped posting replies to slack chat %s (conversation %s)",
                    place.chat_key,
                    outcome.conversation.conversation_id,
                )
                break
        channel = self.settings.slack_support_channel
        if channel and outcome.handoffs:
            await announce(
                self.client, channel, outcome.handoffs, self.service.knowledge, self.service
            )
        if outcome.case_notes:
            await add_to_thread(self.client, channel, outcome.case_notes, self.service.knowledge)

    async def _post(self, place: Place, reply: Reply) -> bool:
        """Post one reply (one or more messages); False if Slack refused it."""
        for message in render_reply(reply):
            try:
                await self.client.chat_postMessage(
                    channel=place.channel,
                    thread_ts=place.thread_ts,
                    text=message.text,
                    blocks=list(message.blocks),
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as error:
                log.error(
                    "chat.postMessage failed in %s: %s", place.chat_key, error.response.get("error")
                )
                return False
        return True

    async def _say_ui(
        self, place: Place, user: str, key: str, person: Person | None = None
    ) -> None:
        """Post one of fixbot's own UI sentences (knowledge ``ui``) in the person's language."""
        person = person or await self.people.get(user)
        language = person.language or self.settings.default_language
        try:
            text = self.service.knowledge.text(key, language)
        except Exception:
            log.exception(
                "no ui text %r for slack chat %s; using the fallback", key, place.chat_key
            )
            text = FALLBACK_TEXTS[key]
        await self._post(place, Reply(text=text))

    async def _direct_place(self, user: str) -> Place | None:
        """The person's DM with fixbot (conversations.open), where commands and Home buttons go."""
        try:
            response = await self.client.conversations_open(users=user)
        except SlackApiError as error:
            log.error("conversations.open failed for %s: %s", user, error.response.get("error"))
            return None
        channel = (response.get("channel") or {}).get("id")
        return Place(channel, channel) if channel else None


def _is_retry(request: AsyncBoltRequest) -> bool:
    """Whether Slack marked this delivery as a retry (for the one reply made without the core)."""
    retry = (request.headers.get("x-slack-retry-num") or ["0"])[0]
    return retry.isdigit() and int(retry) > 0
