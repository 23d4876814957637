"""The review site's queries and writes on a real database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.store import models
from bot.store.database import create_engine_for
from bot.store.review.actions import LOCKOUT, MAX_FAILED_LOGINS, StaffError
from bot.store.review.filters import ConversationFilter
from bot.store.review.store import ReviewStore
from bot.store.search import SEARCH_CHARS, searchable
from tests.storage.conftest import inbound, rows

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


class Data:
    """Adds rows straight through the models' tables, with exactly the values a test needs."""

    def __init__(self, engine) -> None:
        self.engine = engine

    def conversation(
        self,
        *,
        status: str = "active",
        problem: str | None = "mail-not-updating",
        platform: str = "telegram",
        language: str = "nb",
        at: datetime = T0,
        texts: tuple[str, ...] = ("hei",),
        decision: str = "match",
        steps: tuple[tuple[str, int, str], ...] = (),
        rating: int | None = None,
        handoff: bool = False,
    ) -> int:
        n = next(_ids)
        with self.engine.begin() as c:
            user = c.execute(
                models.User.__table__.insert().values(
                    platform=platform,
                    external_id=f"u{n}",
                    display_name=f"P{n}",
                    language=language,
                    language_chosen=False,
                    created_at=at,
                )
            ).inserted_primary_key[0]
            chat = c.execute(
                models.Chat.__table__.insert().values(platform=platform, chat_key=f"c{n}")
            ).inserted_primary_key[0]
            cid = c.execute(
                models.Conversation.__table__.insert().values(
                    chat_id=chat,
                    user_id=user,
                    platform=platform,
                    status=status,
                    intent=problem,
                    language=language,
                    state={},
                    started_at=at,
                    updated_at=at,
                    search_text=searchable(texts),  # as the service keeps it
                )
            ).inserted_primary_key[0]
            for offset, text in enumerate(texts):
                c.execute(
                    models.Message.__table__.insert().values(
                        conversation_id=cid,
                        direction="in",
                        text=text,
                        decision=decision,
                        intent=problem,
                        confidence=0.9,
                        created_at=at + timedelta(seconds=offset),
                    )
                )
                c.execute(
                    models.Message.__table__.insert().values(
                        conversation_id=cid,
                        direction="out",
                        text=f"svar {offset}",
                        created_at=at + timedelta(seconds=offset),
                    )
                )
            for step_id, number, outcome in steps:
                c.execute(
                    models.StepOutcome.__table__.insert().values(
                        conversation_id=cid,
                        problem=problem,
                        step_id=step_id,
                        step_number=number,
                        outcome=outcome,
                        created_at=at,
                    )
                )
            if rating is not None:
                c.execute(
                    models.Rating.__table__.insert().values(
                        conversation_id=cid, score=rating, created_at=at
                    )
                )
            if handoff:
                c.execute(
                    models.Handoff.__table__.insert().values(
                        conversation_id=cid,
                        reason="asked",
                        problem=problem,
                        summary="hjelp",
                        details={},
                        status="open",
                        created_at=at,
                    )
                )
        return cid


class Clock:
    def __init__(self) -> None:
        self.now = T0 + timedelta(days=30)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def engine(database_url: str) -> Iterator[object]:
    built = create_engine_for(database_url)
    yield built
    built.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(engine, clock) -> ReviewStore:
    return ReviewStore(engine, clock=clock)


@pytest.fixture
def data(engine) -> Data:
    return Data(engine)


def test_list_filters_sorts_and_pages(store, data):
    a = data.conversation(status="resolved", platform="slack", at=T0, texts=("Mail 100% død",))
    b = data.conversation(status="handed_off", language="en", at=T0 + timedelta(days=1))
    c = data.conversation(problem="cannot-send", at=T0 + timedelta(days=2), texts=("a_b",))
    ids = lambda f, **kw: [row.id for row in store.conversations(f, **kw).rows]  # noqa: E731
    assert ids(ConversationFilter()) == [c, b, a]
    assert ids(ConversationFilter(), descending=False) == [a, b, c]
    assert ids(ConversationFilter(platform="slack")) == [a]
    assert ids(ConversationFilter(status="handed_off")) == [b]
    assert ids(ConversationFilter(problem="cannot-send")) == [c]
    assert ids(ConversationFilter(language="en")) == [b]
    day = (T0 + timedelta(days=1)).date()
    assert ids(ConversationFilter(date_from=day)) == [c, b]
    assert ids(ConversationFilter(date_to=day)) == [b, a]
    assert ids(ConversationFilter(text="100%")) == [a]  # % is literal, not a wildcard
    assert ids(ConversationFilter(text="MAIL")) == [a]  # case-insensitive
    assert ids(ConversationFilter(text="_")) == [c]
    assert ids(ConversationFilter(text="svar")) == []  # only what people wrote
    page = store.conversations(ConversationFilter(), page=2, page_size=2)
    assert ([row.id for row in page.rows], page.total, page.pages) == ([a], 3, 2)


def test_list_rows_carry_first_message_counts_rating_and_handoff(store, data):
    cid = data.conversation(texts=("første", "andre"), rating=4, handoff=True)
    (row,) = store.conversations(ConversationFilter()).rows
    assert (row.id, row.first_text, row.message_count) == (cid, "første", 4)
    assert (row.rating, row.handoff_status, row.user_name) == (4, "open", row.user_name)


def test_one_conversation_has_transcript_steps_rating_and_handoff(store, data):
    cid = data.conversation(
        texts=("<b>hei</b>", "mer"),
        steps=(("restart", 1, "not_helped"), ("toggle", 2, "worked")),
        rating=5,
        handoff=True,
    )
    detail = store.conversation(cid)
    assert [m.direction for m in detail.messages] == ["in", "out", "in", "out"]
    assert detail.messages[0].text == "<b>hei</b>"
    assert (detail.messages[0].decision, detail.messages[0].confidence) == ("match", 0.9)
    assert [(s.step_id, s.outcome) for s in detail.steps] == [
        ("restart", "not_helped"),
        ("toggle", "worked"),
    ]
    assert detail.ratings == (5,)
    assert [h.status for h in detail.handoffs] == ["open"]
    assert store.conversation(cid + 1000) is None


def test_insights_per_problem_step_language_and_day(store, data):
    for status, worked_at in (("resolved", 1), ("resolved", 3), ("resolved", 2)):
        steps = tuple((f"s{n}", n, "not_helped") for n in range(1, worked_at))
        data.conversation(status=status, steps=(*steps, (f"s{worked_at}", worked_at, "worked")))
    data.conversation(status="handed_off", language="en", steps=(("s1", 1, "skipped"),))
    data.conversation(status="abandoned", problem="cannot-send", at=T0 + timedelta(days=1))
    report = store.insights(ConversationFilter(), today=(T0 + timedelta(days=1)).date())
    mail = next(p for p in report.problems if p.problem == "mail-not-updating")
    assert (mail.conversations, mail.resolved, mail.handed_off, mail.abandoned) == (4, 3, 1, 0)
    assert mail.percent(mail.resolved) == 75.0
    assert mail.median_steps == 2.0
    s1 = next(s for s in report.steps if s.step_id == "s1")
    assert (s1.worked, s1.not_helped, s1.skipped) == (1, 2, 1)
    assert dict(report.languages) == {"nb": 4, "en": 1}
    assert report.total == 5
    assert report.daily[-2:] == ((T0.date(), 4), ((T0 + timedelta(days=1)).date(), 1))
    assert len(report.daily) == 30
    window = store.insights(ConversationFilter(date_from=(T0 + timedelta(days=1)).date()))
    assert window.total == 1 and window.steps == ()


def test_missed_messages_are_grouped_by_similarity_newest_first(store, data):
    data.conversation(texts=("printeren virker ikke",), decision="none", at=T0)
    data.conversation(texts=("printeren min virker ikke",), decision="ambiguous", at=T0)
    data.conversation(texts=("vpn kobler ikke til",), decision="none", at=T0)
    data.conversation(texts=("innboksen oppdateres ikke",), decision="match", at=T0)
    report = store.missed()
    assert [(g.text, g.count) for g in report.groups] == [
        ("vpn kobler ikke til", 1),
        ("printeren min virker ikke", 2),
    ]
    assert dict(report.groups[1].decisions) == {"ambiguous": 1, "none": 1}
    assert [g.count for g in store.missed(by_count=True).groups] == [2, 1]


def test_claim_note_close_record_who_and_when_once(store, data, clock):
    data.conversation(handoff=True)
    (handoff,) = store.handoffs()
    assert store.claim_handoff(handoff.id, "kari")
    assert not store.claim_handoff(handoff.id, "ola")  # already claimed
    assert store.add_note(handoff.id, "ola", "  ringte  ")
    assert not store.add_note(handoff.id, "ola", "   ")
    clock.now += timedelta(minutes=5)
    assert store.close_handoff(handoff.id, "ola")
    assert not store.close_handoff(handoff.id, "ola")
    (closed,) = store.handoffs()
    assert (closed.status, closed.claimed_by, closed.closed_by) == ("closed", "kari", "ola")
    assert closed.closed_at - closed.claimed_at == timedelta(minutes=5)
    assert [(n.author, n.text) for n in closed.notes] == [("ola", "ringte")]


def test_handoff_queue_puts_open_cases_first(store, data):
    old = data.conversation(handoff=True, at=T0)
    new = data.conversation(handoff=True, at=T0 + timedelta(hours=1))
    first = store.handoffs()
    store.claim_handoff(first[0].id, "kari")
    queue = store.handoffs()
    assert [(h.conversation_id, h.status) for h in queue] == [(new, "open"), (old, "claimed")]


def test_staff_accounts_and_lockout(store, clock):
    store.create_staff("kari", "hemmelig-passord")
    with pytest.raises(StaffError):
        store.create_staff("kari", "annet-passord")
    with pytest.raises(StaffError):
        store.create_staff("to ord", "annet-passord")
    assert [row.name for row in store.list_staff()] == ["kari"]
    assert store.check_login("kari", "hemmelig-passord").ok
    results = [store.check_login("kari", "feil") for _ in range(MAX_FAILED_LOGINS)]
    assert [r.failures for r in results] == list(range(1, MAX_FAILED_LOGINS + 1))
    assert results[-1].locked_until == clock.now + LOCKOUT
    assert not store.check_login("kari", "hemmelig-passord").ok  # locked
    clock.now += LOCKOUT + timedelta(seconds=1)
    assert store.check_login("kari", "hemmelig-passord").ok
    assert store.list_staff()[0].failed_logins == 0
    assert not store.check_login("nobody", "x").ok
    assert store.remove_staff("kari") and not store.remove_staff("kari")
    assert not store.staff_exists("kari")


def test_export_walks_every_match_with_transcripts(store, data):
    ids = [data.conversation(texts=("a", "b")) for _ in range(3)]
    exported = list(store.export(ConversationFilter()))
    assert [row.id for row, _ in exported] == ids
    assert all(len(messages) == 4 for _, messages in exported)


def test_today_defaults_to_the_clock(store):
    assert store.insights(ConversationFilter()).daily[-1][0] == date(2026, 12, 1)


# -- text search ---------------------------------------------------------------


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
