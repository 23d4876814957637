"""The review site's queries and writes on a real database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.store.review.actions import LOCKOUT, MAX_FAILED_LOGINS, StaffError
from bot.store.review.filters import ConversationFilter
from tests.storage.review.conftest import T0


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
