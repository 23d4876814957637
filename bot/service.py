"""The one entry point every adapter calls: an inbound event in, replies out, all stored.

``Service.handle`` runs one unit of work per event: de-duplicate the event id,
lock the chat, load the person and their conversation, run the pure dialog,
and store the transcript, outcomes and new state together, or nothing at all.
It is thread-safe: adapters call it from ``asyncio.to_thread`` in many threads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.dialog.conversation import (
    CaseAddition,
    DialogState,
    HandoffRequest,
    LanguageChosen,
    Phase,
    RatingGiven,
    Status,
    StepResult,
    Transition,
    Turn,
    Understood,
)
from bot.events import (
    CaseNoteNotice,
    ConversationView,
    HandoffNotice,
    HandoffThread,
    Inbound,
    Outcome,
    Reply,
)
from bot.inbound_text import clean_inbound
from bot.knowledge import Knowledge
from bot.redact import redact
from bot.settings import Settings
from bot.store.errors import DatabaseUnavailable
from bot.store.records import (
    ConversationRecord,
    NewHandoff,
    NewMessage,
    NewStepOutcome,
    as_utc,
)
from bot.store.search import extended
from bot.store.unit_of_work import Store, UnitOfWork, open_store
from bot.turn_records import (
    case_note,
    clean_payload,
    close_conversation,
    conversation_view,
    dedup_scope,
    outbound_message,
    outbox_reply,
    redact_values,
)
from bot.understanding.intents import Classifier

Advance = Callable[[DialogState, Turn, Knowledge, Classifier, Settings], Transition]


class ServiceUnavailable(Exception):
    """The database failed mid-request; nothing was stored. Adapters apologise and move on."""


@dataclass(frozen=True, slots=True)
class _Loaded:
    state: DialogState
    conversation: ConversationRecord | None


class Service:
    """The conversation core wired to a store, a knowledge base and a classifier."""

    def __init__(
        self,
        store: Store,
        knowledge: Knowledge,
        classifier: Classifier,
        settings: Settings,
        advance: Advance | None = None,
    ) -> None:
        if advance is None:
            from bot.dialog.machine import Dialog

            # Built once: the dialog prepares its lexicon from the knowledge up front.
            advance = Dialog(knowledge, classifier, settings)
        self.store = store
        self.knowledge = knowledge
        self.classifier = classifier
        self.settings = settings
        self._advance = advance

    def warm(self) -> None:
        """Load what understanding loads lazily (lemma, word-frequency and language data),
        so the first message is not the slow one; a classifier without it has nothing to do."""
        warm = getattr(self.classifier, "warm", None)
        if callable(warm):
            warm()

    def handle(self, event: Inbound) -> Outcome:
        """Apply ``event`` once; a redelivered event id returns no replies and stores nothing."""
        try:
            with self.store.unit_of_work() as uow:
                scope = dedup_scope(event)
                if uow.claim_event(event.platform, event.event_id, event.received_at, scope):
                    outcome = self._apply(uow, event)
                    uow.commit()
                    return outcome
            return replace(
                Outcome(replies=(), conversation=self.view(event), duplicate=True),
                queued=self._requeue(event),
            )
        except DatabaseUnavailable as error:
            raise ServiceUnavailable(str(error)) from error

    def _requeue(self, event: Inbound) -> int:
        """A redelivered event: its replies not yet sent are due again (not dropped).

        Its own unit of work: the claim's failed INSERT ended the first one (on
        PostgreSQL the transaction is aborted).
        """
        if event.reply_to is None:
            return 0
        now = datetime.now(UTC)
        with self.store.unit_of_work() as uow:
            count = uow.requeue_outbox(
                event.platform, event.chat_key, event.event_id, now, self._deadline(now)
            )
            uow.commit()
        return count

    def _deadline(self, at: datetime) -> datetime:
        """When a reply due at ``at`` and still unsent is given up (marked failed)."""
        return at + timedelta(seconds=self.settings.delivery.give_up_seconds)

    def view(self, event: Inbound) -> ConversationView:
        """Where the chat of ``event`` stands now, without changing anything."""
        try:
            with self.store.unit_of_work(read_only=True) as uow:
                chat = uow.find_chat(event.platform, event.chat_key)
                if chat is None or chat.current_conversation_id is None:
                    return ConversationView(None, Status.ACTIVE, None, None, self._language())
                record = uow.conversation(chat.current_conversation_id)
        except DatabaseUnavailable as error:
            raise ServiceUnavailable(str(error)) from error
        if record is None:
            return ConversationView(None, Status.ACTIVE, None, None, self._language())
        return conversation_view(record.id, record.status, DialogState.from_json(record.state))

    def mark_handoff_delivered(
        self,
        handoff_id: int,
        at: datetime | None = None,
        thread: HandoffThread | None = None,
    ) -> None:
        """Record that the handoff's notice reached the support destination (``delivered_at``)
        and, when given, where (``thread``), so what the person adds later is posted there.

        Its own small unit of work, after the event's has committed; a second
        call keeps the first time and place.
        """
        where = None if thread is None else (thread.destination, thread.message)
        try:
            with self.store.unit_of_work() as uow:
                uow.mark_handoff_delivered(handoff_id, at or datetime.now(UTC), where)
                uow.commit()
        except DatabaseUnavailable as error:
            raise ServiceUnavailable(str(error)) from error

    def close(self) -> None:
        self.store.dispose()

    # -- one event -----------------------------------------------------------

    def _apply(self, uow: UnitOfWork, event: Inbound) -> Outcome:
        at = as_utc(event.received_at)
        text = None if event.text is None else self._clean(event.text)
        payload = None if event.payload is None else clean_payload(event.payload)
        chat = uow.lock_chat(event.platform, event.chat_key)
        user = uow.user(event.platform, event.user_id, event.display_name, at)
        loaded = self._load(uow, chat.current_conversation_id, user.language, at)
        case = None
        if loaded.conversation is not None and loaded.state.phase is Phase.HANDED_OFF:
            case = uow.latest_handoff(loaded.conversation.id)
        if case is None and loaded.state.case_before:
            # begun while a case was open: that case, made by the conversation before
            case = uow.latest_chat_handoff(chat.id)
        turn = Turn(
            case_status=None if case is None else case.status,
            text=text,
            payload=payload,
            language_hint=event.language_hint,
            language_chosen=user.language_chosen,
            at=at,
        )
        transition = self._advance(
            loaded.state, turn, self.knowledge, self.classifier, self.settings
        )
        state = transition.state
        status = Status(transition.status)
        columns = {
            "status": status.value,
            "intent": state.problem,
            "step_index": state.step_index if state.problem else None,
            "language": state.language,
            "state": state.to_json(),
            "updated_at": at,
        }
        finished = status is not Status.ACTIVE
        previous = loaded.conversation
        if previous is None or transition.new_conversation:
            if previous is not None:
                close_conversation(uow, previous, Status.ENDED, at)
            columns["ended_at"] = at if finished else None
            columns["search_text"] = extended("", text)
            conversation_id = uow.start_conversation(
                chat.id, user.id, event.platform, started_at=at, **columns
            )
        else:
            conversation_id = previous.id
            if finished != (previous.ended_at is not None):
                columns["ended_at"] = at if finished else None
            # The review site's search column grows in this same UPDATE (capped, so
            # the cost per message stays flat); button presses add nothing.
            searchable = extended(previous.search_text, text)
            if searchable != previous.search_text:
                columns["search_text"] = searchable
            uow.update_conversation(conversation_id, **columns)

        chosen = False
        notices: list[HandoffNotice] = []
        notes: list[CaseNoteNotice] = []
        for effect in transition.effects:
            if isinstance(effect, StepResult):
                outcome = NewStepOutcome(
                    effect.problem, effect.step_id, effect.step_number, effect.outcome
                )
                uow.add_step_outcome(conversation_id, outcome, at)
            elif isinstance(effect, HandoffRequest):
                # The summary leaves the bot (support channels): the same filter again.
                summary = redact(effect.summary)
                details = redact_values(effect.details)
                handoff = NewHandoff(effect.reason, effect.problem, summary, details)
                handoff_id = uow.add_handoff(conversation_id, handoff, at)
                notices.append(
                    HandoffNotice(
                        handoff_id, conversation_id, summary, event.platform, event.user_id
                    )
                )
            elif isinstance(effect, CaseAddition) and case is not None:
                # staff read it with the handoff (review site); the author says who wrote it
                author = f"{event.display_name or event.user_id} ({event.platform})"
                uow.add_case_note(case.handoff_id, author, effect.text, at)
                notes.append(case_note(event, conversation_id, case, effect.text))
            elif isinstance(effect, RatingGiven):
                uow.add_rating(conversation_id, effect.score, at)
            elif isinstance(effect, LanguageChosen):
                uow.set_user_language(user.id, effect.language, chosen=True)
                chosen = True
        if not chosen and state.language != user.language:
            # Remembered so the person's next conversation starts in their language.
            uow.set_user_language(user.id, state.language, chosen=False)
        # the case number is known once the handoff is stored: told with the handoff's
        # reply, in the transcript and the outbox alike
        replies = self._with_case_number(transition.replies, notices, state.language)
        uow.add_messages(conversation_id, self._transcript(payload, text, transition, replies), at)
        queued = 0
        if event.reply_to is not None:
            # In this same transaction: a committed turn always has its replies on record.
            outgoing = [outbox_reply(event, conversation_id, reply) for reply in replies]
            now = datetime.now(UTC)
            uow.add_outbox(outgoing, now, self._deadline(now))
            queued = len(outgoing)
        return Outcome(
            replies=replies,
            conversation=conversation_view(conversation_id, status.value, state),
            handoffs=tuple(notices),
            case_notes=tuple(notes),
            queued=queued,
        )

    def _load(
        self, uow: UnitOfWork, conversation_id: int | None, language: str | None, at: datetime
    ) -> _Loaded:
        """The chat's conversation and dialog state; an idle one is closed as abandoned."""
        fresh = DialogState(language=language or self.settings.default_language)
        if conversation_id is None:
            return _Loaded(fresh, None)
        record = uow.conversation(conversation_id)
        if record is None:
            return _Loaded(fresh, None)
        state = DialogState.from_json(record.state)
        idle = timedelta(hours=self.settings.dialog.idle_timeout_hours)
        if at - record.updated_at > idle:
            close_conversation(uow, record, Status.ABANDONED, at)
            # A new start, in the language the person was using; a fix left half-way
            # not long ago is offered back ("Jeg husker at vi er på steg 2" said so)
            within = timedelta(hours=self.settings.dialog.resume_within_hours)
            paused = state.paused() if at - record.updated_at <= within else None
            return _Loaded(paused or DialogState(language=state.language), None)
        return _Loaded(state, record)

    def _clean(self, text: str) -> str:
        """Control characters dropped, redacted, then cut to the inbound limit.

        Control characters (NUL, escape sequences, lone surrogates) would break
        storage on PostgreSQL and could drive a staff member's terminal;
        redacting comes before the cut so no secret is half-cut.
        """
        limit = self.settings.limits.max_inbound_chars
        printable = clean_inbound(text[: limit * 2])
        return redact(printable)[:limit]

    def _with_case_number(
        self, replies: tuple[Reply, ...], handoffs: list[HandoffNotice], language: str
    ) -> tuple[Reply, ...]:
        """The replies with the new case's number told at the end of the last one, so the
        person can name it to IT (playtest 27: a case number was never given)."""
        if not handoffs or not replies or "case_number" not in self.knowledge.ui:
            return replies
        line = self.knowledge.text("case_number", language, number=handoffs[-1].handoff_id)
        last = replies[-1]
        return (*replies[:-1], replace(last, text=f"{last.text}\n\n{line}"))

    def _transcript(
        self,
        payload: str | None,
        text: str | None,
        transition: Transition,
        replies: tuple[Reply, ...],
    ) -> list[NewMessage]:
        understood = next((e for e in transition.effects if isinstance(e, Understood)), None)
        inbound = NewMessage(
            direction="in",
            text=text or "",
            payload=payload,
            intent=understood.intent if understood else None,
            confidence=understood.confidence if understood else None,
            decision=understood.decision if understood else None,
            language=understood.language if understood else None,
        )
        return [inbound, *(outbound_message(reply) for reply in replies)]

    def _language(self) -> str:
        return self.settings.default_language


def build_service(settings: Settings) -> Service:
    """The real service: shipped (or configured) knowledge, the matcher, the checked database.

    Raises ``KnowledgeError`` for a broken knowledge base and ``DatabaseError``
    (one line, no password) for an unreachable or out-of-date database.
    """
    from bot.knowledge import default_knowledge_dir, load_knowledge
    from bot.understanding.matcher import Matcher

    knowledge = load_knowledge(settings.knowledge_dir or default_knowledge_dir())
    matcher = Matcher.build(
        knowledge,
        settings.matcher,
        default_language=settings.default_language,
        max_chars=settings.limits.max_inbound_chars,
        cache_dir=settings.model_cache(),
    )
    return Service(open_store(settings), knowledge, matcher, settings)
