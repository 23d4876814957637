"""Security of the review site: sessions, CSRF, escaping, injection, lockout (no browser)."""

from __future__ import annotations

import json
import re

import pytest
from starlette.routing import Route

from tests.web.conftest import PASSWORD, STAFF, Site, csrf_of, log_in
from tests.web.seed import XSS_TEXT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
PUBLIC = {"/login", "/healthz"}


def _get_paths(site: Site) -> list[str]:
    """Every GET route of the app, with example path parameters filled in."""
    paths = []
    for route in site.app.routes:
        if isinstance(route, Route) and "GET" in (route.methods or ()):
            path = route.path.replace("{conversation_id}", str(site.seeded.resolved))
            paths.append(path.replace("{kind:str}", "csv"))
    return paths


def test_every_page_without_a_session_redirects_to_login(site, client):
    paths = _get_paths(site)
    assert {"/conversations", "/handoffs", "/insights", "/missed"} <= set(paths)
    for path in paths:
        response = client.get(path)
        if path in PUBLIC:
            assert response.status_code == 200, path
        else:
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login?next="), path


def test_a_post_without_a_session_changes_nothing(site, client):
    token = csrf_of(client.get("/login").text)
    handoff = site.store.handoffs()[0]
    response = client.post(f"/handoffs/{handoff.id}/claim", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert site.store.handoffs()[0].status == "open"


def test_session_cookie_is_signed_httponly_and_samesite(client):
    response = log_in(client)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    client.cookies.set("fixbot_review", "forged." + "x" * 40)
    assert client.get("/conversations").status_code == 303


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_a_post_without_a_valid_csrf_token_is_refused(site, staff_client, token):
    handoff = site.store.handoffs()[0]
    data = {} if token is None else {"csrf_token": token}
    response = staff_client.post(f"/handoffs/{handoff.id}/claim", data=data)
    assert response.status_code == 403
    assert site.store.handoffs()[0].status == "open"


def test_csrf_is_checked_on_login_and_json_bodies_too(site, staff_client, client):
    token = csrf_of(staff_client.get("/handoffs").text)
    handoff = site.store.handoffs()[0]
    as_json = staff_client.post(f"/handoffs/{handoff.id}/claim", json={"csrf_token": token})
    assert as_json.status_code == 403
    staff_client.cookies.clear()
    login = staff_client.post("/login", data={"name": STAFF, "password": PASSWORD})
    assert login.status_code == 403


def test_a_valid_token_lets_the_claim_through_and_records_who(site, staff_client):
    token = csrf_of(staff_client.get("/handoffs").text)
    handoff = site.store.handoffs()[0]
    response = staff_client.post(
        f"/handoffs/{handoff.id}/claim", data={"csrf_token": token, "next": "/handoffs"}
    )
    assert response.status_code == 303
    claimed = next(h for h in site.store.handoffs() if h.id == handoff.id)
    assert (claimed.status, claimed.claimed_by) == ("claimed", STAFF)
    assert claimed.claimed_at is not None


def test_html_in_a_user_message_shows_as_text(site, staff_client):
    for path in (f"/conversations/{site.seeded.xss}", "/conversations", "/missed"):
        body = staff_client.get(path).text
        assert "<script>alert" not in body, path
        assert "<b>fet</b>" not in body and "<b>Bold</b>" not in body, path
    page = staff_client.get(f"/conversations/{site.seeded.xss}")
    assert "&lt;script&gt;alert(" in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # no scripts at all
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_the_export_carries_the_text_unchanged(site, staff_client):
    lines = staff_client.get("/conversations/export.jsonl").text.splitlines()
    records = {record["id"]: record for record in map(json.loads, lines)}
    assert records[site.seeded.xss]["transcript"][0]["text"] == XSS_TEXT


SQLISH = ["' OR '1'='1", "1; DROP TABLE conversations; --", '" OR ""="', "%' --", "_"]


@pytest.mark.parametrize("value", SQLISH)
def test_sql_in_filters_and_search_changes_nothing(site, staff_client, value):
    everything = site.store.conversations(_no_filter()).total
    for key in ("q", "problem"):
        response = staff_client.get("/conversations", params={key: value})
        assert response.status_code == 200, key
        assert _count(response.text) == 0, (key, value)  # nothing matches
    # Values outside a parameter's choices or range are a friendly 400 (tests/security).
    for key in ("status", "platform", "language", "sort", "dir", "page", "from", "to"):
        response = staff_client.get("/conversations", params={key: value})
        assert response.status_code == 400, key
    assert (
        staff_client.get("/insights", params={"from": value, "platform": value}).status_code == 400
    )
    assert site.store.conversations(_no_filter()).total == everything


def _count(html: str) -> int:
    found = re.search(r'<span class="count">(\d+) ', html)
    assert found, "no count on the page"
    return int(found.group(1))


def _no_filter():
    from bot.store.review.filters import ConversationFilter

    return ConversationFilter()


def test_wrong_passwords_lock_the_account_then_it_opens_again(site, client):
    statuses = [log_in(client, password=f"wrong-{n}").status_code for n in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    locked = log_in(client)  # the right password does not help while locked
    assert locked.status_code == 429
    assert "UTC" in locked.text
    site.clock.advance(minutes=16)
    assert log_in(client).status_code == 303


def test_unknown_names_and_open_redirects_get_nowhere(client):
    assert log_in(client, name="nobody").status_code == 401
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"name": STAFF, "password": PASSWORD, "csrf_token": token, "next": "//evil.test/"},
    )
    assert response.headers["location"] == "/conversations"


def test_removing_an_account_ends_its_session(site, staff_client):
    assert staff_client.get("/handoffs").status_code == 200
    site.store.remove_staff(STAFF)
    assert staff_client.get("/handoffs").status_code == 303


def test_logout_ends_the_session(staff_client):
    token = csrf_of(staff_client.get("/conversations").text)
    assert staff_client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert staff_client.get("/conversations").status_code == 303
