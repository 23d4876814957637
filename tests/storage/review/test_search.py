"""Searching the review site's conversations on a real database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

import pytest

from bot.store import models
from bot.store.review.filters import ConversationFilter
from bot.store.search import SEARCH_CHARS, searchable
from tests.storage.conftest import inbound, rows
from tests.storage.review.conftest import T0


def _search(store, text: str) -> list[int]:
    return [row.id for row in store.conversations(ConversationFilter(text=text)).rows]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", "percent"),
        ("100%", "percent"),
        ("_", "underscore"),
        ("a_b", "underscore"),
        ("/", "slash"),  # the LIKE escape character is literal too
        ("'; drop table", "sql"),
        ("' OR '1'='1", None),
        ("%%", None),
        ("a%b", None),
    ],
)
def test_search_takes_wildcards_and_sql_literally(store, data, engine, query, expected):
    ids = {
        "percent": data.conversation(texts=("Mailen er 100% død",)),
        "underscore": data.conversation(texts=("kontoen heter a_b",)),
        "slash": data.conversation(texts=("mappen inbox/2026",)),
        "sql": data.conversation(texts=("'; DROP TABLE conversations; --",)),
        "plain": data.conversation(texts=("aXb og 100 prosent",)),
    }
    assert _search(store, query) == ([ids[expected]] if expected else [])
    assert store.conversations(ConversationFilter()).total == len(ids)  # nothing dropped


def test_search_ignores_case_and_spacing_but_keeps_accents(store, data):
    cid = data.conversation(texts=("Skriveren på  KONTORET\tvirker ikke", "Ærlig talt"))
    decomposed = "pa\u030a kontoret"  # "på" as a plus a combining ring (macOS input)
    for query in ("kontoret", "PÅ Kontoret", "på kontoret virker", decomposed, "ærlig"):
        assert _search(store, query) == [cid], query
    assert _search(store, "pa kontoret") == []  # accents are kept, not folded away
    assert _search(store, "virker ikke ærlig") == []  # never across two messages
    assert _search(store, "   ") == _search(store, "") == [cid]  # blank means no filter


def test_search_combines_with_the_other_filters(store, data):
    slack = data.conversation(platform="slack", texts=("printeren er tom",))
    data.conversation(platform="telegram", texts=("printeren er tom",))
    found = store.conversations(ConversationFilter(text="printer", platform="slack"))
    assert ([row.id for row in found.rows], found.total) == ([slack], 1)


def test_the_service_keeps_the_search_text_as_people_write(make_service, database_url, store):
    """Through the real write path: what the person wrote, redacted, found; bot text not."""
    service = make_service(database_url)
    first = service.handle(inbound("fix Mail-Trøbbel", chat="search"))
    service.handle(inbound(payload="no", chat="search"))  # a button press adds nothing
    service.handle(inbound("Passordet mitt er Hemmelig123! og   Outlook HENGER", chat="search"))
    cid = first.conversation.conversation_id
    assert _search(store, "trøbbel") == [cid]
    assert _search(store, "outlook henger") == [cid]
    assert _search(store, "hemmelig123") == []  # redacted before it is stored
    assert _search(store, "turn 2") == []  # what the bot said is not searched
    assert _search(store, "no") == []
    (stored,) = rows(service, f"SELECT search_text FROM conversations WHERE id = {cid}")
    assert stored[0] == "fix mail-trøbbel\npassordet mitt er [redacted] og outlook henger"
    # A new conversation in the same chat starts its own search text.
    service.handle(inbound("human", chat="search"))
    second = service.handle(inbound("fix skriver", chat="search")).conversation.conversation_id
    assert second != cid
    assert _search(store, "skriver") == [second] and _search(store, "trøbbel") == [cid]


def test_the_search_text_is_capped_so_each_message_costs_the_same(
    make_service, database_url, store
):
    service = make_service(database_url)
    cid = service.handle(inbound("fix x", chat="long")).conversation.conversation_id
    service.handle(inbound("ord " * 400, chat="long"))
    service.handle(inbound("sent ord", chat="long"))
    (stored,) = rows(service, f"SELECT search_text FROM conversations WHERE id = {cid}")
    assert len(stored[0]) == SEARCH_CHARS
    assert stored[0] == searchable(["fix x", "ord " * 400])
    assert _search(store, "sent ord") == []  # beyond the cap
    assert _search(store, "fix x\nord ord") == [] and _search(store, "ord ord") == [cid]


# -- transcript ----------------------------------------------------------------


def test_a_pressed_button_shows_the_label_the_bot_offered(make_service, database_url, store):
    service = make_service(database_url)  # the fake dialog offers ("OK", "ok"), ("No", "no")
    cid = service.handle(inbound("fix mail", chat="press")).conversation.conversation_id
    service.handle(inbound(payload="no", chat="press"))
    service.handle(inbound(payload="gone:1", chat="press"))  # offered by nobody
    presses = [(m.payload, m.pressed) for m in store.conversation(cid).messages if m.payload]
    assert presses == [("no", "No"), ("gone:1", "gone:1")]
    assert [m.pressed for m in store.conversation(cid).messages if not m.payload] == [None] * 4


def test_the_latest_offer_of_a_payload_names_the_press(store, data, engine):
    cid = data.conversation(texts=())
    table = models.Message.__table__
    rows_ = [
        ("out", None, [{"label": "Nei", "payload": "step:no:x:1"}]),
        ("in", "step:no:x:1", None),
        ("out", None, [{"label": "Nei, fortsatt ikke", "payload": "step:no:x:1"}, {"bad": 1}]),
        ("in", "step:no:x:1", None),
    ]
    with engine.begin() as connection:
        for direction, payload, buttons in rows_:
            connection.execute(
                table.insert().values(
                    conversation_id=cid,
                    direction=direction,
                    text="",
                    payload=payload,
                    buttons=buttons,
                    created_at=T0,
                )
            )
    other = data.conversation(texts=())  # another transcript's buttons never leak in
    with engine.begin() as connection:
        connection.execute(
            table.insert().values(
                conversation_id=other, direction="in", payload="step:no:x:1", created_at=T0
            )
        )
    presses = [m.pressed for m in store.conversation(cid).messages if m.direction == "in"]
    assert presses == ["Nei", "Nei, fortsatt ikke"]
    assert [m.pressed for m in store.conversation(other).messages] == ["step:no:x:1"]
    exported = dict(store.export(ConversationFilter()))
    assert [m.pressed for m in next(v for k, v in exported.items() if k.id == cid)] == [
        None,
        "Nei",
        None,
        "Nei, fortsatt ikke",
    ]
