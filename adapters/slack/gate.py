"""What stands before Bolt in HTTP mode: the size cap, the signature, a parseable body.

Bolt verifies signatures too, but it reads and parses the body first and logs
a refused request's whole body at INFO; a malformed signed body raises from
its parser (a 500 and a traceback). Here a request is refused on its
``Content-Length`` before any of it is read, read only up to the cap,
verified with slack_sdk's ``SignatureVerifier`` before anything parses it,
and parsed once the way Bolt will, so Bolt only ever sees signed, well-formed
requests under the cap. Every refusal is one log line without the body.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from bot.settings import SecuritySettings

log = logging.getLogger("fixbot.slack.gate")

MAX_CLOCK_SKEW = 60 * 5  # seconds, as Slack and slack_sdk's SignatureVerifier allow
# The default cap (settings.security.webhook_max_body_bytes): Slack's payloads are a few KB.
MAX_BODY_BYTES = SecuritySettings().webhook_max_body_bytes


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request was refused: the HTTP status and a few words for the log."""

    status: int
    reason: str


def refuse(request: web.Request, refusal: Refusal, size: int | None) -> web.Response:
    """Log the refusal as one line (never the body) and answer with its status."""
    log.warning(
        "refused slack request from %s: %s (%s bytes)",
        request.remote or "-",
        refusal.reason,
        "?" if size is None else size,
    )
    return web.Response(status=refusal.status, text=refusal.reason)


async def read_capped(request: web.Request, limit: int) -> bytes | Refusal:
    """The body, or a refusal when it is (or turns out to be) over ``limit`` bytes.

    A declared length over the limit is refused unread; otherwise aiohttp's
    ``client_max_size`` (set to the same limit on the app) stops the read at
    the limit. ``request.read`` keeps the body for Bolt's adapter to reuse.
    """
    declared = request.content_length
    if declared is not None and declared > limit:
        return Refusal(413, "body too large")
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        return Refusal(413, "body too large")


def check_headers(request: web.Request, now: float) -> Refusal | None:
    """Before reading the body: the signature headers are there and the timestamp is
    within five minutes (slack_sdk's own window), so unsigned posts cost no read."""
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    if not timestamp or not request.headers.get("X-Slack-Signature"):
        return Refusal(401, "unsigned")
    try:
        stale = abs(now - int(timestamp)) > MAX_CLOCK_SKEW
    except ValueError:
        stale = True
    return Refusal(401, "bad signature or stale timestamp") if stale else None


def check_signature(
    verifier: SignatureVerifier, request: web.Request, body: bytes
) -> Refusal | None:
    """None when the request is signed with the signing secret within five minutes."""
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    signature = request.headers.get("X-Slack-Signature", "")
    if not timestamp or not signature:
        return Refusal(401, "unsigned")
    try:
        valid = verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
    except UnicodeDecodeError:  # slack_sdk decodes the body; Slack only sends UTF-8
        return Refusal(400, "malformed body")
    if not valid:
        return Refusal(401, "bad signature or stale timestamp")
    return None


def check_parseable(request: web.Request, body: bytes) -> Refusal | None:
    """None when the body parses as Bolt will parse it: JSON, or a form whose
    ``payload`` (interactions) is JSON; a form without one is a slash command."""
    try:
        text = body.decode("utf-8")
        if request.content_type == "application/json":
            parsed = json.loads(text)
            return None if isinstance(parsed, dict) else Refusal(400, "malformed body")
        form = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" in form and not isinstance(json.loads(form["payload"]), dict):
            return Refusal(400, "malformed body")
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Refusal(400, "malformed body")
    return None
