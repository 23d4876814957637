"""Telegram handlers: updates in, core events through, the core's replies out as messages.

Private chats send every text to the core; groups only messages that mention
the bot, reply to it, or use ``/fix``. A button press is answered at once; once
the core has handled it, its message is edited to show the choice without
buttons, so it cannot be pressed twice (after a core failure the buttons stay,
to be pressed again). The core runs in a worker thread (``asyncio.to_thread``),
one update at a time per chat, so a slow database call stalls nobody else. The
update id is the event id, so the core drops redeliveries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any, Protocol

from telegram import Chat, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from adapters.delivery import DeliveryWorker
from adapters.telegram import delivery, handoff, updates
from adapters.telegram.sending import destination
from bot.dialog import payloads
from bot.events import ConversationView, HandoffThread, Inbound, Outcome, Reply
from bot.service import ServiceUnavailable

log = logging.getLogger(__name__)

Context = CallbackContext[Any, Any, Any, Any]
Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]

TYPING_AFTER = 0.8  # seconds of core time before "typing…" is shown
NON_TEXT = (
    filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.Sticker.ALL
    | filters.Document.ALL
    | filters.ANIMATION
    | filters.CONTACT
    | filters.LOCATION
)
# The one place fixbot's wording lives in code: used only when even the knowledge
# base's own texts are unavailable.
FALLBACK_TEXTS = {
    "error_apology": "Beklager, noe gikk galt. Prøv igjen om litt.\n"
    "Sorry, something went wrong. Please try again in a moment.",
    "text_only": "fixbot leser bare tekst. / fixbot reads text only.",
}


class UiTexts(Protocol):
    def text(self, key: str, language: str, **values: object) -> str: ...


class Core(Protocol):
    """What the adapter needs of ``bot.service.Service``."""

    @property
    def knowledge(self) -> UiTexts: ...

    def handle(self, event: Inbound) -> Outcome: ...

    def view(self, event: Inbound) -> ConversationView: ...

    def mark_handoff_delivered(
        self, handoff_id: int, *, thread: HandoffThread | None = None
    ) -> None: ...


class TelegramChannel:
    """The handlers of one application, around the core."""

    def __init__(
        self, service: Core, default_language: str = "nb", support_chat: str | None = None
    ) -> None:
        self.service = service
        self.default_language = default_language
        self.support_chat = support_chat  # where handoffs are announced; None: nowhere
        # One lock per chat, alive while someone holds or waits for it.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        # With a delivery worker (``fixbot serve telegram``), replies go through the
        # outbox; without one, they are sent right after the turn.
        self.delivery: DeliveryWorker | None = None

    def install(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Register every handler on ``app``."""
        new = filters.UpdateType.MESSAGE  # edited messages and channel posts are ignored
        commands: dict[str, Callback] = {
            "start": self._menu_command(start=True),
            "help": self._menu_command(start=False),
            "reset": self._payload_command(payloads.RESTART),
            "human": self._payload_command(payloads.HUMAN),
            "language": self.on_language,
            "fix": self.on_fix,
        }
        for name, callback in commands.items():
            app.add_handler(CommandHandler(name, callback, filters=new))
        app.add_handler(MessageHandler(new & filters.TEXT, self.on_text))
        app.add_handler(MessageHandler(new & NON_TEXT, self.on_non_text))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_error_handler(self.on_error)

    # --- updates -----------------------------------------------------------------------

    def _menu_command(self, *, start: bool) -> Callback:
        async def callback(update: Update, context: Context) -> None:
            user = update.effective_user
            # /start greets in the client's language: Norwegian for nb/no/nn, else English.
            hint = (updates.language_of(user.language_code) or "en") if start and user else None
            await self.dispatch(update, context, payload=payloads.MENU, language_hint=hint)

        return callback

    def _payload_command(self, payload: str) -> Callback:
        async def callback(update: Update, context: Context) -> None:
            await self.dispatch(update, context, payload=payload)

        return callback

    async def on_language(self, update: Update, context: Context) -> None:
        """``/language [nb|en]``; without an argument, switch to the other language."""
        word = (context.args or [""])[0].lower()
        if word in ("nb", "no", "nn", "norsk", "norwegian"):
            target = "nb"
        elif word in ("en", "english", "engelsk"):
            target = "en"
        else:
            target = "en" if await self.language(update) == "nb" else "nb"
        await self.dispatch(update, context, payload=payloads.language(target))

    async def on_fix(self, update: Update, context: Context) -> None:
        """``/fix <problem>`` (the way to address fixbot in a group); bare ``/fix``: the menu."""
        text = " ".join(context.args or []).strip()
        if text:
            await self.dispatch(update, context, text=text)
        else:
            await self.dispatch(update, context, payload=payloads.MENU)

    async def on_text(self, update: Update, context: Context) -> None:
        message = update.message
        if message is None or message.text is None:
            return
        text = " ".join(message.text.split())
        if message.chat.type != Chat.PRIVATE:
            if not self._addressed(message, context):
                return
            text = updates.without_mention(text, context.bot.username)
        if text:
            await self.dispatch(update, context, text=text)
        else:
            await self.dispatch(update, context, payload=payloads.MENU)

    async def on_non_text(self, update: Update, context: Context) -> None:
        """A photo, voice message, sticker, file...: say that fixbot reads text."""
        message = update.message
        if message is None:
            return
        if message.chat.type != Chat.PRIVATE and not self._addressed(message, context):
            return
        text = self.ui("text_only", await self.language(update))
        await delivery.send_reply(context.bot, message.chat.id, Reply(text))

    async def on_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        # Answered first, whatever follows, so the client's spinner stops at once.
        try:
            await delivery.retrying(query.answer, "answerCallbackQuery")
        except TelegramError as error:  # e.g. "query is too old": carry on regardless
            log.warning("answerCallbackQuery failed: %s", error)
        message = query.message
        if message is None or not query.data:
            return
        if isinstance(message, Message) and not updates.may_press(message, query.from_user.id):
            return  # someone else's buttons in a group
        async with self._lock(updates.chat_key(message.chat, query.from_user.id)):
            outcome = await self._outcome(
                update, context, self._addressed_event(update, payload=query.data)
            )
            if outcome is None:
                return  # the buttons stay, so the person can press again after the apology
            if isinstance(message, Message) and not outcome.duplicate:  # else too old to edit
                await delivery.show_choice(context.bot, message, query.data)
            await self._send(update, context, outcome)

    async def on_error(self, update: object, context: Context) -> None:
        """Log a failure with its chat and update id, never the token; serving goes on."""
        where = ""
        if isinstance(update, Update):
            chat = update.effective_chat
            where = f" (update {update.update_id}, chat {chat.id if chat else '-'})"
        log.error("Telegram handler failed%s", where, exc_info=context.error)

    def _addressed(self, message: Message, context: Context) -> bool:
        return updates.addressed(message, context.bot.id, context.bot.username)

    # --- the core ----------------------------------------------------------------------

    async def dispatch(
        self,
        update: Update,
        context: Context,
        *,
        text: str | None = None,
        payload: str | None = None,
        language_hint: str | None = None,
    ) -> None:
        """Run the core for one update and send its replies, one update at a time per chat."""
        if update.effective_chat is None or update.effective_user is None:
            return
        event = self._addressed_event(update, text=text, payload=payload, hint=language_hint)
        async with self._lock(event.chat_key):
            outcome = await self._outcome(update, context, event)
            if outcome is not None:
                await self._send(update, context, outcome)

    def _addressed_event(self, update: Update, **content: Any) -> Inbound:
        """The core's event, with where its replies go when the outbox delivers them."""
        event = updates.event(update, **content)
        if self.delivery is None or update.effective_chat is None:
            return event
        target = destination(update.effective_chat.id, updates.reply_target(update))
        return replace(event, reply_to=target)

    async def _outcome(self, update: Update, context: Context, event: Inbound) -> Outcome | None:
        """The core's outcome for ``event``; None when it failed (the person got an apology)."""
        chat_id = update.effective_chat.id  # type: ignore[union-attr]  # checked by callers
        try:
            return await self._core(event, context, chat_id)
        except Exception as error:
            if isinstance(error, ServiceUnavailable):
                # an outage is no bug: one line per update, not a traceback each
                log.warning(
                    "Telegram chat %s (update %s): %s", event.chat_key, event.event_id, error
                )
            else:
                log.exception(
                    "core failed for Telegram chat %s (update %s)", event.chat_key, event.event_id
                )
            apology = self.ui("error_apology", await self.language(update))
            await delivery.send_reply(
                context.bot, chat_id, Reply(apology), reply_to=updates.reply_target(update)
            )
            return None

    async def _send(self, update: Update, context: Context, outcome: Outcome) -> None:
        chat_id = update.effective_chat.id  # type: ignore[union-attr]  # checked by callers
        reply_to = updates.reply_target(update)
        if self.delivery is not None:
            if outcome.queued:
                self.delivery.wake()  # the replies are in the outbox
            replies: tuple[Reply, ...] = ()
        else:
            replies = outcome.replies
        for reply in replies:
            await delivery.send_reply(context.bot, chat_id, reply, reply_to=reply_to)
        if self.support_chat and outcome.handoffs:
            await handoff.announce(
                context.bot,
                self.support_chat,
                outcome.handoffs,
                self.service.knowledge,
                self.service,
                update.effective_user,
            )
        if outcome.case_notes:
            await handoff.add_to_thread(
                context.bot,
                self.support_chat,
                outcome.case_notes,
                self.service.knowledge,
                update.effective_user,
            )

    async def _core(self, event: Inbound, context: Context, chat_id: int) -> Outcome:
        task = asyncio.ensure_future(asyncio.to_thread(self.service.handle, event))
        done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER)
        if not done:
            with contextlib.suppress(TelegramError):  # only a courtesy
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        return await task

    def _lock(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    # --- language and wording ----------------------------------------------------------

    async def language(self, update: Update) -> str:
        """The chat's conversation language; for a new chat the client's; else the default."""
        user = update.effective_user
        client = updates.language_of(user.language_code if user else None)
        if update.effective_chat is None or user is None:
            return client or self.default_language
        probe = updates.event(update, payload=payloads.MENU)  # only locates the chat
        try:
            view = await asyncio.to_thread(self.service.view, probe)
        except Exception as error:  # the database may be what failed
            log.warning("conversation language unavailable (%s)", type(error).__name__)
            return client or self.default_language
        if view.conversation_id is None:
            return client or view.language
        return view.language

    def ui(self, key: str, language: str) -> str:
        """UI wording from the knowledge base; the bilingual fallback if even that fails."""
        try:
            return self.service.knowledge.text(key, language)
        except Exception:
            log.exception("UI text %r unavailable; using the fallback", key)
            return FALLBACK_TEXTS[key]
