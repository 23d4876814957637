"""The review site in a real headless Chromium: log in, filter, read, claim, chart, export.

One seeded SQLite database and one uvicorn server for the module; each test
gets its own browser context. A full-page screenshot of every page is saved
under test-artifacts/screenshots (listed in the terminal summary).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, STAFF, Server, Site, build_site, screenshot

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def served(
    _sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    shipped_knowledge: Any,
    shipped_classifier: Any,
) -> Iterator[tuple[str, Site]]:
    path = tmp_path_factory.mktemp("review") / "fixbot.sqlite3"
    shutil.copyfile(_sqlite_template, path)
    site = build_site(f"sqlite:///{path}", shipped_knowledge, shipped_classifier)
    with Server(site.app) as base_url:
        yield base_url, site
    site.store._engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, served: tuple[str, Site]) -> Iterator[Any]:
    context = browser.new_context(
        base_url=served[0], accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    context.close()


def log_in(page: Any, target: str = "/conversations") -> None:
    page.goto(target)
    page.fill("input[name=name]", STAFF)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{target}*")


def test_login_then_filter_the_list(page):
    page.goto("/conversations")
    page.wait_for_url("**/login?next=*")
    screenshot(page, "01-login")
    page.fill("input[name=name]", STAFF)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/conversations")
    assert page.locator("table.list tbody tr").count() >= 7
    page.select_option("select[name=status]", "handed_off")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**status=handed_off*")
    badges = page.locator("table.list tbody td .status-handed_off")
    assert badges.count() == page.locator("table.list tbody tr").count() >= 2
    screenshot(page, "02-conversations-filtered")
    page.fill("input[name=q]", "skriveren")
    page.select_option("select[name=status]", "")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**q=skriveren*")
    assert page.locator("table.list tbody tr").count() == 2


def test_open_a_transcript(page, served):
    site = served[1]
    log_in(page)
    page.click(f"a[href='/conversations/{site.seeded.resolved}'] >> nth=0")
    page.wait_for_url(f"**/conversations/{site.seeded.resolved}")
    assert page.locator(".bubble-row.user").count() >= 3
    assert page.locator(".bubble-row.bot").count() >= 3
    assert page.locator(".understood").first.is_visible()
    assert page.locator(".steps .outcome-worked").count() == 1
    assert page.locator(".stars").first.inner_text().startswith("★★★★★")
    screenshot(page, "03-conversation")
    page.goto(f"/conversations/{site.seeded.xss}")
    text = page.locator(".bubble-row.user .text").first.inner_text()
    assert text.startswith("<script>alert('xss')</script><b>fet</b>")
    screenshot(page, "04-conversation-with-html")


def test_claim_note_and_close_a_handoff(page, served):
    site = served[1]
    log_in(page, "/handoffs")
    card = page.locator(f"#handoff-{_open_handoff(site)}")
    assert card.locator(".handoff-open").count() == 1
    screenshot(page, "05-handoffs")
    card.locator("button", has_text="Ta saken").click()
    page.wait_for_load_state()
    card = page.locator(f"#handoff-{_open_handoff(site, 'claimed')}")
    assert card.locator(".handoff-claimed").count() == 1
    assert STAFF in card.locator(".facts").inner_text()
    card.locator("input[name=note]").fill("Ringte brukeren, <i>venter</i> på svar")
    card.locator("button", has_text="Legg til notat").click()
    page.wait_for_load_state()
    card = page.locator(f"#handoff-{_open_handoff(site, 'claimed')}")
    assert "<i>venter</i>" in card.locator(".notes").inner_text()
    card.locator("button", has_text="Lukk").click()
    page.wait_for_load_state()
    closed = [h for h in site.store.handoffs() if h.status == "closed"]
    assert closed and closed[0].closed_by == STAFF and closed[0].closed_at is not None
    assert page.locator(f"#handoff-{closed[0].id} .handoff-closed").count() == 1
    screenshot(page, "06-handoffs-after-close")


def _open_handoff(site: Site, status: str = "open") -> int:
    return next(h.id for h in site.store.handoffs() if h.status == status)


def test_insights_show_charts_and_the_language_toggle_works(page):
    log_in(page, "/insights")
    assert page.locator("svg.chart").count() >= 5
    assert page.locator("svg.chart rect.bar").count() >= 10
    assert page.locator("h1").inner_text().startswith("Innsikt")
    screenshot(page, "07-insights")
    page.click("header .tools button[name=lang]")
    page.wait_for_url("**/insights")
    assert page.locator("h1").inner_text().startswith("Insights")
    screenshot(page, "08-insights-en")


def test_missed_messages_are_grouped(page):
    log_in(page, "/missed")
    counts = page.locator(".missed .big-count").all_inner_texts()
    assert counts and max(int(c.rstrip("×")) for c in counts) >= 2
    screenshot(page, "09-missed")


def test_download_the_filtered_list(page, served):
    log_in(page, "/conversations?platform=slack")
    with page.expect_download() as download_info:
        page.click("a[href^='/conversations/export.csv']")
    rows = list(csv.DictReader(io.StringIO(Path(download_info.value.path()).read_text())))
    assert rows and {row["platform"] for row in rows} == {"slack"}
    with page.expect_download() as download_info:
        page.click("a[href^='/conversations/export.jsonl']")
    lines = Path(download_info.value.path()).read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(rows) and all(r["transcript"] for r in records)
    assert download_info.value.suggested_filename.endswith(".jsonl")
