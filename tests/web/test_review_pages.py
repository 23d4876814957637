"""What the review site's pages show for the seeded stories (no browser)."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import select

from bot.store.models import Message
from tests.web.conftest import Site

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
PRESSED = re.compile(
    r'<p class="pressed" title="([^"]*)">[^:<]+: <strong class="pressed-label">([^<]*)</strong>'
)


def _count(text: str) -> int:
    found = re.search(r'<span class="count">(\d+) ', text)
    assert found, "no count on the page"
    return int(found.group(1))


def _listed(text: str) -> set[int]:
    return {int(cid) for cid in re.findall(r'href="/conversations/(\d+)"', text)}


def test_search_finds_a_word_the_person_wrote(site: Site, staff_client):
    response = staff_client.get("/conversations", params={"q": "KONTORET"})
    assert response.status_code == 200
    assert _count(response.text) == 2  # "skriveren på kontoret ..." twice
    assert _listed(response.text) == set(site.seeded.missed[:2])
    english = staff_client.get("/conversations", params={"q": "can't send"})  # a quote in it
    assert _listed(english.text) == {site.seeded.handed_off}
    both = staff_client.get("/conversations", params={"q": "skriver", "platform": "slack"})
    assert _count(both.text) == 0


@pytest.mark.parametrize("value", ["%", "_", "%kontoret", "kontor_t", "' OR 1=1 --"])
def test_search_wildcards_are_literal(staff_client, value):
    response = staff_client.get("/conversations", params={"q": value})
    assert response.status_code == 200
    assert _count(response.text) == 0


def _offered(site: Site, conversation_id: int) -> dict[str, str]:
    """payload -> label of every button the bot showed in the conversation, from the rows."""
    query = (
        select(Message.buttons)
        .where(Message.conversation_id == conversation_id, Message.direction == "out")
        .order_by(Message.id)
    )
    with site.store._engine.connect() as connection:
        return {
            button["payload"]: button["label"]
            for buttons in connection.execute(query).scalars()
            for button in buttons or []
        }


def test_a_pressed_button_shows_its_label_not_its_payload(site: Site, staff_client):
    page = staff_client.get(f"/conversations/{site.seeded.resolved}").text
    presses = [(html.unescape(p), html.unescape(label)) for p, label in PRESSED.findall(page)]
    payloads = [payload for payload, _ in presses]
    # no, fine (the service check), ok, rate:5
    assert [p.split(":")[0] for p in payloads] == ["step", "step", "step", "rate"]
    offered = _offered(site, site.seeded.resolved)
    assert presses == [(payload, offered[payload]) for payload in payloads]
    assert all(label != payload for payload, label in presses)
    assert "<code>step:" not in page


def test_the_export_names_the_pressed_buttons(site: Site, staff_client):
    lines = staff_client.get("/conversations/export.jsonl").text.splitlines()
    record = next(r for r in map(json.loads, lines) if r["id"] == site.seeded.resolved)
    offered = _offered(site, site.seeded.resolved)
    presses = [(m["payload"], m["pressed"]) for m in record["transcript"] if m["payload"]]
    assert len(presses) == 4
    assert presses == [(payload, offered[payload]) for payload, _ in presses]


def test_the_site_marks_conversations_idle_past_the_timeout_abandoned(site: Site) -> None:
    from sqlalchemy import text
    from starlette.testclient import TestClient

    def count(status: str) -> int:
        with site.store._engine.connect() as connection:
            query = text("SELECT count(*) FROM conversations WHERE status = :s")
            return int(connection.execute(query, {"s": status}).scalar_one())

    active, abandoned = count("active"), count("abandoned")
    assert active > 0
    site.clock.advance(hours=48)  # every seeded conversation is now idle past 24 hours
    with TestClient(site.app):  # start-up runs the first sweep
        pass
    assert count("active") == 0
    assert count("abandoned") == abandoned + active


def test_the_platform_chart_names_the_terminal_as_the_filter_does(
    site: Site, staff_client, database_url: str, shipped_knowledge, shipped_classifier
) -> None:
    from datetime import UTC, datetime

    from bot.events import Inbound
    from bot.settings import Settings
    from tests.web.seed import build_service

    service = build_service(
        Settings(database_url=database_url), shipped_knowledge, shipped_classifier
    )
    try:
        service.handle(
            Inbound("console", "nils", "console-nils", "c1", datetime.now(UTC), text="hei")
        )
    finally:
        service.close()
    page = staff_client.get("/insights").text
    chart = page[page.index("platform") :]
    assert "Terminal" in chart
    assert "Console" not in page
