"""The handoff queue page and its actions: claim, add a note, close (recorded with who/when)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from adapters.review_site.auth import STAFF_KEY, safe_next
from adapters.review_site.csrf import form_value
from adapters.review_site.rendering import render


async def handoff_queue(request: Request) -> Response:
    rows = await run_in_threadpool(request.app.state.store.handoffs)
    waiting = sum(1 for row in rows if row.status == "open")
    flash = request.session.pop("flash", None)
    return render(request, "handoffs.html", {"handoffs": rows, "waiting": waiting, "flash": flash})


async def handoff_action(request: Request) -> Response:
    """POST /handoffs/{id}/{claim|close|note}, then back to the page the form was on."""
    store = request.app.state.store
    form = await request.form()
    staff = request.session[STAFF_KEY]
    action = request.path_params["action"]
    if action not in ("claim", "close", "note"):
        return render(request, "not_found.html", {}, status_code=404)
    try:
        handoff_id = int(request.path_params["handoff_id"])
    except ValueError:
        handoff_id = 0
    if action == "claim":
        done = await run_in_threadpool(store.claim_handoff, handoff_id, staff)
    elif action == "close":
        done = await run_in_threadpool(store.close_handoff, handoff_id, staff)
    else:
        note = form_value(form, "note")
        done = await run_in_threadpool(store.add_note, handoff_id, staff, note)
    if not done:
        request.session["flash"] = f"handoff_{action}_failed"
    return RedirectResponse(safe_next(form_value(form, "next"), "/handoffs"), status_code=303)
