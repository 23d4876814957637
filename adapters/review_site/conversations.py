"""Pages for conversations: the filtered list, one transcript, and the export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from adapters.review_site.params import PLATFORMS, BadParameter, parse_filters, parse_list
from adapters.review_site.rendering import render
from bot.export import csv_row
from bot.store.review.filters import STATUSES
from bot.store.review.transcripts import TranscriptMessage
from bot.store.review.views import ConversationRow

FILTER_KEYS: tuple[str, ...] = ("platform", "status", "problem", "language", "from", "to", "q")
EXPORT_COLUMNS: tuple[str, ...] = (
    "id",
    "started_at",
    "updated_at",
    "platform",
    "status",
    "problem",
    "language",
    "user",
    "messages",
    "rating",
    "handoff",
    "first_message",
)


def bad_request(request: Request, error: BadParameter) -> Response:
    """The friendly 400 page naming the parameter that could not be used."""
    return render(request, "bad_request.html", {"name": error.name}, status_code=400)


async def conversation_list(request: Request) -> Response:
    params = request.query_params
    try:
        query = parse_list(params)
    except BadParameter as error:
        return bad_request(request, error)
    filters, sort, descending = query.filters, query.sort, query.descending
    page = await run_in_threadpool(
        request.app.state.store.conversations,
        filters,
        sort=sort,
        descending=descending,
        page=query.page,
        page_size=request.app.state.config.page_size,
    )
    knowledge = request.app.state.knowledge
    context = {
        "page": page,
        "filters": filters,
        "values": {key: params.get(key, "") for key in FILTER_KEYS},
        "sort": sort,
        "descending": descending,
        "statuses": STATUSES,
        "platforms": PLATFORMS,
        "problems": sorted(knowledge.problems),
    }
    return render(request, "conversations.html", context)


async def conversation_page(request: Request) -> Response:
    try:
        conversation_id = int(request.path_params["conversation_id"])
    except ValueError:
        conversation_id = 0
    detail = await run_in_threadpool(request.app.state.store.conversation, conversation_id)
    if detail is None:
        return render(request, "not_found.html", {}, status_code=404)
    return render(request, "conversation.html", {"detail": detail})


def _record(row: ConversationRow) -> dict[str, object]:
    return {
        "id": row.id,
        "started_at": row.started_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "platform": row.platform,
        "status": row.status,
        "problem": row.problem,
        "language": row.language,
        "user": row.user_name,
        "messages": row.message_count,
        "rating": row.rating,
        "handoff": row.handoff_status,
        "first_message": row.first_text,
    }


def _csv_lines(
    rows: Iterator[tuple[ConversationRow, tuple[TranscriptMessage, ...]]],
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row, _ in rows:
        writer.writerow(csv_row(_record(row).values()))
        if buffer.tell() > 32_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _jsonl_lines(
    rows: Iterator[tuple[ConversationRow, tuple[TranscriptMessage, ...]]],
) -> Iterator[str]:
    for row, messages in rows:
        record = _record(row)
        record["transcript"] = [
            {
                "direction": message.direction,
                "text": message.text,
                "payload": message.payload,
                "pressed": message.pressed,
                "intent": message.intent,
                "confidence": message.confidence,
                "decision": message.decision,
                "created_at": message.created_at.isoformat(),
            }
            for message in messages
        ]
        yield json.dumps(record, ensure_ascii=False) + "\n"


async def export(request: Request) -> Response:
    """The filtered list as CSV (one row per conversation) or JSONL (with transcripts)."""
    kind = request.path_params["kind"]
    if kind not in ("csv", "jsonl"):
        return render(request, "not_found.html", {}, status_code=404)
    try:
        filters = parse_filters(request.query_params)
    except BadParameter as error:
        return bad_request(request, error)
    rows = request.app.state.store.export(filters)
    stamp = request.app.state.store.now().strftime("%Y%m%d-%H%M")
    if kind == "csv":
        body, media = _csv_lines(rows), "text/csv; charset=utf-8"
    else:
        body, media = _jsonl_lines(rows), "application/x-ndjson; charset=utf-8"
    filename = f"fixbot-conversations-{stamp}.{kind}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(body, media_type=media, headers=headers)
