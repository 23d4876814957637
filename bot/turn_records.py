"""What one turn reads and writes, apart from running it: inbound text and payloads
cleaned, the de-duplication scope, and the records and views built from a
dialog's transition (messages, outbox rows, case notes, the conversation view).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.dialog.conversation import (
    DialogState,
    Phase,
    Status,
)
from bot.events import (
    CaseNoteNotice,
    ConversationView,
    HandoffThread,
    Inbound,
    Reply,
)
from bot.inbound_text import clean_inbound
from bot.redact import redact
from bot.store.outbox import NewOutboxReply
from bot.store.records import (
    CaseRecord,
    ConversationRecord,
    NewMessage,
)
from bot.store.unit_of_work import UnitOfWork

DEDUP_BOT_CHARS = 71  # processed_events.scope is 200: 71 + "/" + a 128-character user id
MAX_PAYLOAD_CHARS = 64  # Telegram's callback data limit; longer payloads are not ours


def dedup_scope(event: Inbound) -> str:
    """The de-duplication scope of ``event``: its bot, then its person (at most 200
    characters: the bot part is cut to 71, the person's id is at most 128)."""
    return f"{event.bot[:DEDUP_BOT_CHARS]}/{event.user_id}"


def clean_payload(payload: str) -> str:
    """A button payload as stored and read: control characters (NUL, escapes) dropped,
    redacted like text (a forged payload can carry anything), cut to the column."""
    printable = clean_inbound(payload[: MAX_PAYLOAD_CHARS * 4]).strip()
    return redact(printable)[:MAX_PAYLOAD_CHARS]


def redact_values(value: Any) -> Any:
    """``value`` (JSON-like) with every string redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_values(item) for item in value]
    return value


def case_note(event: Inbound, conversation_id: int, case: CaseRecord, text: str) -> CaseNoteNotice:
    """An addition to ``case`` for the adapter to post in the notice's thread, if known."""
    thread = None
    if case.thread_destination and case.thread_message:
        thread = HandoffThread(case.thread_destination, case.thread_message)
    return CaseNoteNotice(
        handoff_id=case.handoff_id,
        conversation_id=conversation_id,
        person=event.display_name or event.user_id,
        text=text,
        platform=event.platform,
        user_id=event.user_id,
        thread=thread,
    )


def stored_buttons(reply: Reply) -> list[dict[str, str]] | None:
    """A reply's buttons as the transcript and the outbox keep them (None: no buttons)."""
    return [{"label": b.label, "payload": b.payload} for b in reply.buttons] or None


def outbound_message(reply: Reply) -> NewMessage:
    return NewMessage(direction="out", text=reply.text, buttons=stored_buttons(reply))


def outbox_reply(event: Inbound, conversation_id: int, reply: Reply) -> NewOutboxReply:
    return NewOutboxReply(
        platform=event.platform,
        chat_key=event.chat_key,
        event_id=event.event_id,
        conversation_id=conversation_id,
        destination=event.reply_to or "",
        body=reply.text,
        buttons=stored_buttons(reply),
    )


def close_conversation(
    uow: UnitOfWork, record: ConversationRecord, status: Status, at: datetime
) -> None:
    """End ``record``: an active one gets ``status``; a finished one keeps its own."""
    if record.status == Status.ACTIVE:
        uow.update_conversation(record.id, status=status.value, ended_at=at)
    elif record.ended_at is None:
        uow.update_conversation(record.id, ended_at=at)


def conversation_view(conversation_id: int, status: str, state: DialogState) -> ConversationView:
    # Still on the step while a switch is offered.
    in_flow = state.phase in (Phase.IN_FLOW, Phase.CONFIRM_SWITCH)
    step = state.step_index + 1 if in_flow and state.problem else None
    return ConversationView(conversation_id, status, state.problem, step, state.language)
