"""What the review site's pages show for the seeded stories (no browser)."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import Site

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


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
