"""The matcher's decisions, table-driven, on a small fixture knowledge base and the shipped one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.knowledge import default_knowledge_dir, load_knowledge
from bot.settings import MatcherSettings
from bot.understanding.analysis import analyse
from bot.understanding.features import fit_features
from bot.understanding.lemmas import Lemmatizer
from bot.understanding.matcher import Matcher, _urgent_first, _urgent_floor
from bot.understanding.text import reads_as_a_question
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "knowledge_small"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(load_knowledge(FIXTURE), MatcherSettings())


@pytest.mark.parametrize(
    ("text", "decision", "intent", "language"),
    [
        ("my outbox is full of mail that will not go out", "match", "outbox-stuck", "en"),
        ("e-posten blir liggende i utboksen", "match", "outbox-stuck", "nb"),
        ("epostn blir liggende i utboksen", "match", "outbox-stuck", "nb"),  # typo
        ("kalenderen er borte", "match", "calendar-missing", "nb"),
        ("kan jeg få snakke med et menneske", "match", "human", "nb"),
        ("kan jeg faa snakke med et menneske", "match", "human", "nb"),  # ASCII spelling
        ("what is the weather like", "none", "none", "en"),
        ("who won the football match", "none", "none", "en"),
        ("hvem vant fotballkampen i går", "none", "none", "nb"),
        ("", "none", "none", "nb"),
        ("😀😀😀", "none", "none", "nb"),
        ("\x00\x01\x02", "none", "none", "nb"),
    ],
)
def test_decisions(matcher: Matcher, text: str, decision: str, intent: str, language: str) -> None:
    result = matcher.classify(text)
    assert (result.decision, result.intent, result.language) == (decision, intent, language)


def test_scores_are_between_zero_and_one_and_sorted(matcher: Matcher) -> None:
    result = matcher.classify("noe er borte fra kalenderen og kontaktene")
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert 0.0 <= result.confidence <= 1.0
    assert len(result.candidates) <= MatcherSettings().max_candidates


def test_huge_input_is_cut(matcher: Matcher) -> None:
    result = matcher.classify("mailen blir liggende i utboksen " * 4000)  # about 128 kB
    assert result.intent == "outbox-stuck"


def test_features_are_exactly_scikit_learns() -> None:
    """The per-message TF-IDF in plain Python equals scikit-learn's transform."""
    lemmatizer = Lemmatizer()
    phrases = ["mailen blir liggende i utboksen", "kalenderen er borte", "my outbox is full"]
    features, matrix = fit_features([analyse(p, lemmatizer) for p in phrases])
    for row, phrase in enumerate(phrases):
        columns, values = features.transform(analyse(phrase, lemmatizer))
        dense = np.zeros(features.size)
        dense[columns] = values
        assert np.allclose(dense, matrix[row].toarray()[0])


def test_thresholds_come_from_settings() -> None:
    strict = replace(MatcherSettings(), scope_min=99.0)
    matcher = Matcher.build(load_knowledge(FIXTURE), strict)
    assert matcher.classify("kalenderen min er helt borte").decision == "none"


def test_a_near_copy_of_a_phrase_takes_its_intent_whatever_the_thresholds() -> None:
    strict = replace(MatcherSettings(), scope_min=99.0, match_score=99.0)
    matcher = Matcher.build(load_knowledge(FIXTURE), strict)
    result = matcher.classify("Mailen blir liggende i utboksn!")
    assert (result.decision, result.intent) == ("match", "outbox-stuck")


def test_a_fitted_model_is_cached_and_loaded_again(tmp_path: Path) -> None:
    knowledge = load_knowledge(FIXTURE)
    first = Matcher.build(knowledge, MatcherSettings(), cache_dir=tmp_path)
    cached = sorted(p.name.split("-")[0] for p in tmp_path.iterdir())
    # the two models, the scope table and the lemma tables of nb, nn and en
    assert cached == ["acts", "intents", "lemmas", "lemmas", "lemmas", "scope"]
    again = Matcher.build(knowledge, MatcherSettings(), cache_dir=tmp_path)
    text = "utboksen er full"
    assert again.classify(text) == first.classify(text)
    (next(tmp_path.glob("intents-*"))).write_bytes(b"not a model")  # a broken cache is refitted
    assert Matcher.build(knowledge, MatcherSettings(), cache_dir=tmp_path).classify(text).intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Mail-appen krasjer hele tiden", "mailbox-corrupt"),
        ("could someone from IT call me?", "human"),
        # spoken forms: "æ", "nån" and "prate" are "jeg", "noen" and "snakke"
        ("æ vil prate med nån fra it-avdelinga", "human"),
        ("jeg får ikke sendt e-post fra iPhonen", "cannot-send"),
        ("Sendt-mappen er tom på iPhonen", "sent-not-visible"),
        ("tror epostkontoen min er hacket, det sendes spam fra meg", "account-compromised"),
        # no word for mail, but nothing else asks for the password again and again
        ("den spør om passordet igjen og igjen", "password-prompt"),
        # other devices, apps and everyday requests are not ours, even sharing a word
        ("the printer on floor 2 is jammed", "none"),
        ("wifien funker ikke", "none"),
        ("jeg har glemt passordet mitt", "none"),
        ("slett alarmen", "none"),
        ("Kantina har vel taco i dag?", "none"),
        # the writer's mail in the other end's junk folder: their spam filter, no alarm
        ("leverandøren sier e-posten min havnet i søppelposten hos dem", "none"),
    ],
)
def test_shipped_knowledge_symptoms_and_off_topic(shipped: Matcher, text: str, intent: str) -> None:
    result = shipped.classify(text)
    assert result.intent == intent
    assert result.decision == ("none" if intent == "none" else "match")


@pytest.mark.parametrize(
    "text",
    [
        "mail funker ikke",
        "my email doesn't work",
        "mailen min funker ikke",
        # "problem" is in the everyone-affected phrases ("samme problem med mailen"), not
        # a sign that others have it: the topic's vague phrases own such words
        "jeg har litt problemer med mailen min",
        "having some problems with email",
        # one word of the topic alone, whatever the model scores
        "Mail",
        "e-posten",
        "iphone",
    ],
)
def test_a_message_naming_only_the_topic_asks_which_problem(shipped: Matcher, text: str) -> None:
    result = shipped.classify(text)
    vague = load_knowledge(default_knowledge_dir()).topics["iphone-mail"].vague
    assert result.decision == "ambiguous"
    assert tuple(c.intent for c in result.candidates) == vague


@pytest.mark.parametrize(
    "text",
    [
        "hele avdelingen har problemer med e-posten i dag",
        "everyone in the office has problems with email today",
    ],
)
def test_others_having_the_problem_is_still_told_apart(shipped: Matcher, text: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "everyone-affected")


def test_one_english_word_does_not_flip_the_conversations_language(shipped: Matcher) -> None:
    assert shipped.classify("outboxen", prior_language="nb").language == "nb"
    assert shipped.classify("still broken", prior_language="en").language == "en"
    assert shipped.classify("the mail app won't send anything").language == "en"


def test_the_scope_table_survives_the_cache(shipped: Matcher) -> None:
    from bot.understanding.scope import Scope

    assert Scope.from_json(shipped.scope.to_json()) == shipped.scope


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("outlook på macen sender ikke mail, de blir liggende i utboksen", "none"),
        ("the Gmail app on my Samsung won't refresh the inbox", "none"),
        # the topic's own device named too: the other one is a comparison
        ("iPhonen får ikke sendt e-post, men fra PC-en går det fint", "cannot-send"),
        ("får ikke nye mailer, men pc-en har dem", "mail-not-updating"),
        ("inbox not updating, the laptop gets them though", "mail-not-updating"),
    ],
)
def test_another_device_named_alone_is_not_this_topics_problem(
    shipped: Matcher, text: str, intent: str
) -> None:
    assert shipped.classify(text).intent == intent


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 cut short"])
def test_a_damaged_cache_file_is_refitted(tmp_path: Path, damage: bytes) -> None:
    knowledge = load_knowledge(FIXTURE)
    Matcher.build(knowledge, MatcherSettings(), cache_dir=tmp_path)
    for cached in tmp_path.iterdir():
        cached.write_bytes(damage)
    again = Matcher.build(knowledge, MatcherSettings(), cache_dir=tmp_path)
    assert again.classify("utboksen er full").intent == "outbox-stuck"


def test_a_knowledge_base_of_one_intent_or_no_letters_still_answers() -> None:
    one = Matcher.from_phrases([("only", "nb", "mailen virker ikke")], MatcherSettings())
    assert one.classify("hei på deg").decision == "none"
    letterless = Matcher.from_phrases([("a", "nb", "😀"), ("b", "en", "🙈")], MatcherSettings())
    assert letterless.classify("hei").decision == "none"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # another app or service named, and not the mail: not ours, even on the iPhone
        ("jeg får ikke sendt sms fra iphonen", "none"),
        ("Messenger på telefonen sender ikke meldingene", "none"),
        ("WhatsApp on my iPhone won't send anything", "none"),
        # the mail named too: the app is beside the point
        ("får ikke sendt e-post med vedlegg fra iphonen", "cannot-send"),
        ("my email won't send from the iPhone, but WhatsApp works", "cannot-send"),
    ],
)
def test_another_app_named_without_the_mail_is_not_this_topics_problem(
    shipped: Matcher, text: str, intent: str
) -> None:
    assert shipped.classify(text).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a mail service's own app is another app, even about mail on the iPhone
        ("Outlook-appen på iPhonen henter ikke ny e-post", "none"),
        ("the Yahoo app on my phone stopped getting emails", "none"),
        ("hotmailappen spør om passordet hele tiden", "none"),
        # the same service inside Mail is ours
        ("Outlook-kontoen i Mail på iPhonen henter ikke ny e-post", "mail-not-updating"),
    ],
)
def test_a_mail_services_own_app_is_another_app(shipped: Matcher, text: str, intent: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == (
        ("none", "none") if intent == "none" else ("match", intent)
    )


@pytest.mark.parametrize(
    "text",
    [
        "e-posten min e heilt daud",
        "my mail is dead",
        "mailen min streiker",
        # "rar" is in the alarm's phrases ("folk får rare mailer fra meg"), but weak
        "mailen er rar",
        "jeg får rare mailer",
        # "logget inn" is in the alarm's phrases; a short message must say more for one
        "får ikke logget inn på mailen",
    ],
)
def test_no_alarm_on_a_vague_complaint(shipped: Matcher, text: str) -> None:
    # the hacked-account phrases say "min" and "my" a lot; that alone is no alarm
    assert shipped.classify(text).intent != "account-compromised"


@pytest.mark.parametrize(
    "text",
    [
        "noen har hacka mailen min",
        "phishing goes out from my address",
        "someone else is sending mail from my account and it is not me",
    ],
)
def test_an_alarm_on_a_word_of_its_own(shipped: Matcher, text: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "account-compromised")


@pytest.mark.parametrize(
    "text",
    [
        "Er jeg hacket? Alle i kontaktlista har fått en lenke fra meg om en delt fil",
        "hacked I think, all my contacts got a link to a shared file from me",
    ],
)
def test_a_hack_told_as_a_story_alarms_without_naming_mail(shipped: Matcher, text: str) -> None:
    # no "mail" or "iPhone" in it, and "fil" reads as another app: the topic rules that
    # keep "wifien funker ikke" out of the fix flows must not keep the alarm out
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "account-compromised")


@pytest.mark.parametrize(
    "text",
    [
        "Instagram-kontoen min er hacket",
        # a story, but of another app's account
        "Noen har hacket Instagram-kontoen min og sendt rare meldinger til alle vennene mine",
        "someone hacked my Spotify account and is playing music from another country",
    ],
)
def test_another_apps_hacked_account_is_not_the_mails(shipped: Matcher, text: str) -> None:
    assert shipped.classify(text).decision == "none"


@pytest.mark.parametrize("text", ["er jeg hacket?", "I think I got hacked", "hacka??"])
def test_a_short_alarm_without_the_topic_is_still_an_alarm(shipped: Matcher, text: str) -> None:
    # said to the mail bot, "I've been hacked" is about the mail account more often than
    # not: a strong alarm word spares the alarm the no-topic-word rule (another app named
    # still takes it away, as above)
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "account-compromised")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (
            "må skrive inn passordet til e-posten på mobilen mange ganger hver dag",
            "password-prompt",
        ),
        (
            "jobbmailen på telefonen henter ikke nye mailer, men på PC-en kommer de fint",
            "mail-not-updating",
        ),
    ],
)
def test_a_story_is_not_asked_about_as_only_the_topic(
    shipped: Matcher, text: str, intent: str
) -> None:
    # its words for the symptom ("passordet", "henter") are words many problems use, but
    # a dozen words say more than "mailen funker ikke"
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", intent)
    assert shipped.classify("mailen min funker ikke").decision == "ambiguous"


def test_the_topic_says_what_it_is_about_and_what_it_is_not() -> None:
    topic = load_knowledge(default_knowledge_dir()).topics["iphone-mail"]
    assert {"mail", "e-post", "innboks"} <= set(topic.subject)
    assert {"sms", "messenger"} <= set(topic.other_apps)
    assert {"gmail", "outlook"} <= set(topic.service_apps)


@pytest.mark.parametrize("text", ["du er så treg", "you are so slow", "you suck"])
def test_words_everybody_writes_put_nothing_in_scope(shipped: Matcher, text: str) -> None:
    # "du", "er", "you", "are" fill the about-bot phrases, but they fill every
    # other sentence too: on their own they put nothing in the knowledge's scope
    assert shipped.classify(text).decision == "none"
    assert shipped.scope.evidence_of.get("du", 0.0) == 0.0
    assert shipped.scope.evidence_of.get("you", 0.0) == 0.0


@pytest.mark.parametrize(
    "text", ["er du en robot?", "hvem er du egentlig?", "are you a real person or a bot?"]
)
def test_asking_who_fixbot_is_still_gets_the_introduction(shipped: Matcher, text: str) -> None:
    # small talk is "none" (the knowledge contract), answered by the introduction
    result = shipped.classify(text)
    assert (result.decision, result.lookalike) == ("none", "about-bot")


def test_a_norwegian_ending_on_a_knowledge_word_keeps_its_evidence(shipped: Matcher) -> None:
    # "inboxen", "outboxen": English words with a Norwegian definite ending
    plain = shipped.scope.evidence(analyse("inbox", shipped.lemmatizer))
    inflected = shipped.scope.evidence(analyse("inboxen", shipped.lemmatizer))
    assert inflected.best == plain.best > MatcherSettings().scope_min
    assert inflected.unknown == 0


def test_a_mistyped_word_is_read_as_the_knowledge_word_it_stands_for(shipped: Matcher) -> None:
    # "slettar" (Nynorsk) is not a word of general Bokmål or English and one letter off
    # the knowledge's "sletter": the model reads it as that word, so the message scores
    # as if it were spelt so
    typed = shipped.classify("eg slettar mail på mobilen men dei ligg der framleis på pc-en")
    spelt = shipped.classify("eg sletter mail på mobilen men dei ligg der framleis på pc-en")
    assert (typed.intent, typed.confidence) == (spelt.intent, spelt.confidence)
    assert typed.intent == "sent-not-visible"


def test_of_equally_near_knowledge_words_a_typo_reads_as_the_one_it_starts_like(
    shipped: Matcher,
) -> None:
    # "skreve" is one edit from "kreve", "skrive" and "skrevet": the one that keeps its
    # beginning wins, the same in every run (not the table's order)
    text = "æ har skreve inn passorde"
    typos = shipped.scope.evidence(analyse(text, shipped.lemmatizer), shipped.frequency).typos
    assert typos == ((2, "skrevet"), (4, "passordet"))


def test_naming_the_subject_is_as_good_as_naming_the_topic(shipped: Matcher) -> None:
    # no "mail" and no "iphone", but the inbox is Mail's: no penalty for an unanchored message
    assert shipped.classify("the inboxen is empty").decision == "match"


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("skriveren i andre etasje skriver ikke ut", True),
        ("how do I book a meeting room for tomorrow", True),
        ("fjdksla qpwoeiru", False),
        ("🙈🙈", False),
        # generic words only name no other subject (playtest 5): not understood
        ("funker ikke", False),
        ("it just doesn't work", False),
    ],
)
def test_none_tells_something_else_from_gibberish(
    shipped: Matcher, text: str, outside: bool
) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.outside) == ("none", outside)


@pytest.mark.parametrize(
    ("scores", "alarm"),
    [
        ([0.5, 0.4, 0.35], True),  # 0.15 behind "none": a close call goes to the alarm
        ([-0.2, 0.1, -0.05], True),  # 0.15 behind another problem
        ([0.5, 0.4, 0.25], False),  # 0.25 behind: not close
        ([0.1, 0.2, 0.6], True),  # already first
    ],
)
def test_a_close_call_between_an_alarm_and_anything_else_is_an_alarm(
    scores: list[float], alarm: bool
) -> None:
    labels = ("none", "password-prompt", "account-compromised")
    after = _urgent_first(
        np.array(scores), labels, {"account-compromised"}, margin=0.2, over_lookalikes=False
    )
    assert (labels[int(np.argmax(after))] == "account-compromised") is alarm
    assert after[:2].tolist() == scores[:2]  # the others are never lowered


@pytest.mark.parametrize(("from_me", "alarm"), [(False, False), (True, True)])
def test_a_close_call_with_a_lookalike_is_the_alarm_only_when_mail_came_from_me(
    from_me: bool, alarm: bool
) -> None:
    labels = ("none:phishing-received", "password-prompt", "account-compromised")
    after = _urgent_first(
        np.array([0.5, 0.1, 0.4]),
        labels,
        {"account-compromised"},
        margin=0.2,
        over_lookalikes=from_me,
    )
    assert (labels[int(np.argmax(after))] == "account-compromised") is alarm


@pytest.mark.parametrize(
    "text",
    [
        "sjefen lurer på hvorfor jeg sendte ham en faktura i natt, det har jeg ikke gjort",
        "the authenticator keeps asking me to approve sign-ins, I'm not logging in anywhere",
    ],
)
def test_something_done_on_the_writers_account_that_they_disown_is_the_alarm(
    shipped: Matcher, text: str
) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "account-compromised")


@pytest.mark.parametrize(
    ("text", "alarm"),
    [
        ("hvordan setter jeg opp videresending av mailen min til hjemmeadressen?", False),
        ("åssen setter jeg opp videresending av mailen min til kona?", False),
        # a strong word for a break-in is still the alarm, asked how or not
        ("hvordan vet jeg om mailen min er hacket?", True),
    ],
)
def test_asking_how_to_do_something_is_no_story_of_a_break_in(
    shipped: Matcher, text: str, alarm: bool
) -> None:
    result = shipped.classify(text)
    assert (result.intent == "account-compromised") is alarm


@pytest.mark.parametrize(
    ("text", "alarm"),
    [
        ("a coworker got hacked and is sending spam to everyone", False),
        ("svigermor sin mail er hacket, hun sender rare lenker", False),
        ("kollegaen min fikk en rar faktura fra meg, er jeg hacket?", True),  # mine too
        # the other person clicked the phishing link, not the writer
        ("kona trykket på en lenke i en svindelmail, og nå er kontoen hennes hacket", False),
        ("my son clicked a phishing link, I think his Gmail is hacked", False),
    ],
)
def test_another_persons_hacked_account_is_no_alarm_unless_mine_is_in_it(
    shipped: Matcher, text: str, alarm: bool
) -> None:
    result = shipped.classify(text)
    assert (result.decision == "match" and result.intent == "account-compromised") is alarm


@pytest.mark.parametrize(
    ("text", "decision", "intent"),
    [
        # how to fix a problem it names: the problem, though "hvordan" fills how-tos of
        # other things
        ("hvordan fikser jeg at mailen ikke oppdateres", "match", "mail-not-updating"),
        # asking to have the mail mended and nothing more: ask which problem
        ("kan du fikse mailen min?", "ambiguous", None),
        ("can you fix my iphone mail", "ambiguous", None),
        ("hvordan får jeg mailen til å virke igjen?", "ambiguous", None),
        # how to do something with the mail, in no word of a problem: not a problem
        ("hvordan markerer jeg alle mailene som lest på iphonen?", "none", None),
    ],
)
def test_how_to_questions_are_read_by_what_they_ask_for(
    shipped: Matcher, text: str, decision: str, intent: str | None
) -> None:
    result = shipped.classify(text)
    assert result.decision == decision
    if intent is not None:
        assert result.intent == intent


@pytest.mark.parametrize(
    ("text", "alarm"),
    [
        ("jeg får så mye spam for tida, hvordan stopper jeg det?", False),
        ("I've been getting loads of junk mail lately, how do I stop it?", False),
        ("fikk en mail med en falsk lenke til Dropbox, jeg har ikke klikket på den", False),
        # sent from the writer's account, or the link clicked and the password typed in
        ("kundene mine får spam fra e-postadressen min", True),
        ("fikk en falsk lenke, trykket på den og skrev inn passordet mitt", True),
        # a sign-in request nobody asked for, approved
        ("I tapped Approve on a login request I didn't make, what now?", True),
        # another clause tells of the writer's own account
        ("jeg får masse spam og tror jeg er hacket", True),
        (
            "fikk en phishing-mail, trykket ikke på noe, men nå har noen logget inn på "
            "kontoen min fra Russland",
            True,
        ),
        ("my colleague got hacked and now my account is sending spam too", True),
        # a forged sender: the mail only looks like the writer's
        ("got a threatening email that looked like it came from my own address", False),
        ("det ser ut som noen sender spam fra kontoen min", True),
        ("I got an email from myself saying they hacked me and want bitcoin", False),
        # a mail whose truth is asked is one that arrived (playtest 13)
        (
            "fikk en mail fra Microsoft om uvanlig påloggingsaktivitet med en knapp "
            "«Rapporter brukeren», er den ekte?",
            False,
        ),
    ],
)
def test_junk_that_arrives_unclicked_is_no_alarm(shipped: Matcher, text: str, alarm: bool) -> None:
    result = shipped.classify(text)
    assert (result.decision == "match" and result.intent == "account-compromised") is alarm


@pytest.mark.parametrize(
    ("text", "alarm"),
    [
        # a sign of a break-in in a sentence of its own, after a doubted mail
        ("is this a scam? someone changed my password and I can't log in anymore", True),
        # the boss sent the link; the writer clicked and logged in
        ("fikk en lenke fra sjefen på mail, trykket på lenken og logget inn", True),
        # nothing changed by the writer, but someone did
        ("I haven't changed anything but someone changed my password", True),
        # others received mail from the writer ("i" is "in" here, not "I")
        ("alle i firmaet fikk en rar mail fra meg i dag", True),
        # one's own sign-in approved, as the Google step asks
        ("jeg godkjente innloggingen fra iPhonen, men Gmail henter fortsatt ikke mail", False),
    ],
)
def test_signs_read_where_they_stand(shipped: Matcher, text: str, alarm: bool) -> None:
    # a review of this session's rules found each of these turned the wrong way
    result = shipped.classify(text)
    assert (result.decision == "match" and result.intent == "account-compromised") is alarm


@pytest.mark.parametrize(
    "text",
    [
        "jeg får masse spam på e-posten på iphonen, kan dere stoppe det?",
        "I'm getting loads of junk on my work email, please block it",
        "fikk masse søppelpost i innboksen på telefonen i dag",
    ],
)
def test_spam_that_arrives_is_no_problem_of_mails(shipped: Matcher, text: str) -> None:
    assert shipped.classify(text).decision == "none"


def test_spam_that_arrives_gets_the_look_alikes_answer(shipped: Matcher) -> None:
    # playtest 12: "about something else" instead of what to do about spam
    result = shipped.classify(
        "I'm getting tons of spam lately, like 50 a day. How do I make it stop?"
    )
    assert (result.decision, result.lookalike) == ("none", "phishing-received")


@pytest.mark.parametrize(
    "text",
    [
        "jeg har ikke endret noe som helst, men mailen oppdateres ikke",
        # a story, but one that says nothing was changed, with no word for a break-in
        "har ikke endret noen innstillinger, men nå får jeg ikke sendt mail",
        "I didn't send it yet, the mail is stuck in the outbox",
        "passordet ble endret av IT i går, og nå spør iphonen om det hele tiden",
    ],
)
def test_denying_only_what_was_tried_is_no_alarm(shipped: Matcher, text: str) -> None:
    result = shipped.classify(text)
    assert result.intent != "account-compromised"


@pytest.mark.parametrize(
    "text",
    [
        "mailen virker ikke etter oppdatering til ios 18",
        "e-posten e heilt daue etter oppdateringa",
        "my email stopped working after I changed phone plan",
    ],
)
def test_the_mail_and_a_fault_in_unknown_words_asks_which_problem(
    shipped: Matcher, text: str
) -> None:
    result = shipped.classify(text)
    assert result.decision == "ambiguous"
    assert {"mail-not-updating", "cannot-send", "password-prompt"} <= {
        c.intent for c in result.candidates
    }


@pytest.mark.parametrize(
    "text",
    [
        "outlook på pc-en virker ikke etter oppdateringen",
        "printeren virker ikke etter oppdateringen",
    ],
)
def test_another_thing_and_a_fault_is_still_none(shipped: Matcher, text: str) -> None:
    assert shipped.classify(text).decision == "none"


@pytest.mark.parametrize(
    ("scores", "raised"),
    [
        ([-0.7, -0.9, -0.65], True),  # the alarm on top, below the floor: raised to it
        ([-0.6, -0.9, -0.65], False),  # another label on top: nothing changes
        ([-0.9, -0.9, -0.2], False),  # already above the floor
    ],
)
def test_an_alarm_on_top_of_ones_own_account_is_raised_to_a_match(
    scores: list[float], raised: bool
) -> None:
    labels = ("none", "password-prompt", "account-compromised")
    after = _urgent_floor(np.array(scores), labels, {"account-compromised"}, floor=-0.6)
    assert bool(after[2] == -0.6) is raised
    assert after[:2].tolist() == scores[:2]


def test_a_none_that_names_the_mail_is_not_understood_rather_than_something_else(
    shipped: Matcher,
) -> None:
    # "mailen" is ours: if nothing else is understood, "I didn't understand" is honest
    result = shipped.classify("mailen min gjør sånne greier hver tirsdag når det regner")
    assert (result.decision, result.outside) == ("none", False)


@pytest.mark.parametrize("text", ["the account is locked", "is my account ok?"])
def test_a_topic_question_needs_the_topic_or_a_word_of_its_own(shipped: Matcher, text: str) -> None:
    # "account" alone is shared with "must I delete the account?": no answer to that.
    # ("kontoen er låst" still gets it: "låst" is a word of other problems, and which
    # intent a specific word belongs to is not weighed here)
    result = shipped.classify(text)
    assert not (result.decision == "match" and result.intent.startswith("faq-"))


def test_a_question_asked_in_a_story_is_no_close_call_for_the_alarm(shipped: Matcher) -> None:
    # the alarm takes close calls in a story, but not from a question the knowledge
    # answers that is asked as one
    text = (
        "Jeg har lagt inn kontoen på nytt før, og det var et mareritt. Må jeg gjøre det igjen nå?"
    )
    result = shipped.classify(text)
    assert not (result.decision == "match" and result.intent == "account-compromised")
    assert "faq-delete-account" in [c.intent for c in result.candidates]


@pytest.mark.parametrize(
    "text",
    [
        "Hvordan endrer jeg signaturen i e-posten min på iPhone?",
        "noen sendte meg en lenke som ser ut som nettbanken, skal jeg trykke på den?",
    ],
)
def test_a_story_asked_as_a_question_is_no_close_call_for_the_alarm(
    shipped: Matcher, text: str
) -> None:
    # how or whether to do something is asked; a break-in is told
    result = shipped.classify(text)
    assert not (result.decision == "match" and result.intent == "account-compromised")


@pytest.mark.parametrize(
    "text",
    [
        "iCloud-lagringen er full, hva bør jeg slette?",
        "iCloud storage full, how do I free some up?",
        "Will resetting the network settings remove my Spotify downloads?",
    ],
)
def test_a_question_about_another_app_is_not_a_topic_question(shipped: Matcher, text: str) -> None:
    # "how much storage does Mail need" is ours; iCloud's storage is not
    assert shipped.classify(text).decision == "none"


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Må jeg gjøre det igjen nå?", True),
        ("hvor mye lagring trenger mail", True),
        ("does resetting delete my photos", True),
        ("kan ikke sende e-post", False),  # "kan" opens no question: the subject is left out
        ("nettverket er tilbakestilt men mailen kommer ikke", False),
        # a verb before its subject asks, first in a message only
        ("ma jeg slette kontoen pa iphonen for at det skal funke", True),
        ("mister jeg bildene hvis jeg tilbakestiller nettverket", True),
        ("nå kan jeg ikke sende mail", False),
        # words that ask wherever they stand
        ("if I reset network settings do I lose my photos", True),
        ("jeg lurer på om jeg må legge inn kontoen på nytt", True),
        ("I reset the network settings and mail still fails", False),
    ],
)
def test_a_message_asks_by_its_mark_or_its_first_word(text: str, asks: bool) -> None:
    assert reads_as_a_question(text) is asks


@pytest.mark.parametrize(
    ("text", "faq"),
    [
        ("har slettet kontoen og lagt den inn igjen, fortsatt ingen ny mail", None),
        ("nullstilte nettverket men mailen virker fortsatt ikke", None),
        ("I removed the account and added it again but mail still doesn't work", None),
        # asked, the question's answer
        ("må jeg slette kontoen når mailen ikke virker?", "faq-delete-account"),
    ],
)
def test_a_fault_told_in_a_questions_words_asks_which_problem(
    shipped: Matcher, text: str, faq: str | None
) -> None:
    result = shipped.classify(text)
    if faq is None:
        assert result.decision == "ambiguous"
        assert not result.intent.startswith("faq-")
    else:
        assert (result.decision, result.intent) == ("match", faq)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # short, with the writer's own account in it: no weak alarm
        ("noen har sendt mail i mitt navn", "account-compromised"),
        ("får MFA varsler jeg ikke har bedt om", "account-compromised"),
        # sending that fails from one's own account is no sign of a break-in
        ("får ikke sendt mail fra kontoen min", "cannot-send"),
        ("can't send from my account", "cannot-send"),
        ("får ingen mail", "mail-not-updating"),
    ],
)
def test_short_messages_about_ones_own_account(shipped: Matcher, text: str, intent: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", intent)


@pytest.mark.parametrize(
    "text", ["kan du fikse mailen?", "can you fix my email?", "kan du hjelpe meg med mailen?"]
)
def test_asking_fixbot_about_the_mail_is_about_the_mail_not_about_fixbot(
    shipped: Matcher, text: str
) -> None:
    # the introduction's phrases never name the mail: a message that does is about it
    assert "about-bot" in shipped.untopical_lookalikes
    result = shipped.classify(text)
    assert result.lookalike is None
    assert result.decision == "ambiguous"


@pytest.mark.parametrize(
    "text",
    [
        "ingen på kontoret får e-post på iphonen siden i morges",
        "everyone at work has no email",
        # the topic and a fault, no problem named: a group having it says which
        "jobbmailen virker ikke for noen i familien",
    ],
)
def test_a_group_that_has_it_is_the_problem_of_many(shipped: Matcher, text: str) -> None:
    assert shipped.shared == frozenset({"everyone-affected"})
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "everyone-affected")


@pytest.mark.parametrize(
    "text",
    [
        "jeg trykket på en lenke i en rar mail, men skrev ikke inn noe",
        "I clicked a link in a weird email but didn't type anything",
    ],
)
def test_a_link_only_clicked_is_the_phishing_answer_in_both_languages(
    shipped: Matcher, text: str
) -> None:
    # playtest 14: the Norwegian was the urgent alarm, the English the phishing answer
    result = shipped.classify(text)
    assert (result.decision, result.lookalike) == ("none", "phishing-received")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a review of this session's rules: each was turned the wrong way once
        ("I think I got hacked after clicking a link", "account-compromised"),
        ("mailen oppdaterer seg ikke, alle andre på kontoret har det fint", "mail-not-updating"),
        ("all of my work emails are gone", "mailbox-corrupt"),
        ("søppelpostmappen kommer ikke opp i Mail", "mailbox-corrupt"),
        (
            "iPhone says my password is wrong, password no longer works, "
            "I haven't changed anything",
            "password-prompt",
        ),
    ],
)
def test_this_sessions_rules_leave_these_as_they_were(
    shipped: Matcher, text: str, intent: str
) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", intent)


@pytest.mark.parametrize(
    "text",
    [
        "sent emails don't show in the sent folder on my laptop",
        "sendte mailer vises ikke i sendt-mappa på pc-en",
    ],
)
def test_sent_mail_missing_on_the_computer_is_the_sent_folder_problem(
    shipped: Matcher, text: str
) -> None:
    # the contract: Sent "on phone or on the computer/webmail"; the PC is where it shows
    assert ("sent", "folder") in shipped.seen_elsewhere["sent-not-visible"]
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "sent-not-visible")


@pytest.mark.parametrize(
    "text", ["Mail på Macen synkroniserer ikke", "outlook på pc-en viser ikke nye mailer"]
)
def test_another_devices_mail_without_the_sent_folder_is_still_elsewhere(
    shipped: Matcher, text: str
) -> None:
    assert shipped.classify(text).decision == "none"


@pytest.mark.parametrize(
    "text",
    [
        "fikk en kode på sms som jeg ikke ba om, og så et varsel om pålogging fra en Windows-PC",
        "got a text with a sign-in code, I didn't ask for it",
    ],
)
def test_a_break_in_disowned_told_through_an_sms_is_the_alarm(shipped: Matcher, text: str) -> None:
    # the SMS only brought word of it, the PC is the intruder's: not another app's problem
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "account-compromised")


@pytest.mark.parametrize(
    "text",
    [
        "noen har logget inn på Facebook-kontoen min, det var ikke meg",
        "someone logged into my Instagram, it wasn't me",
    ],
)
def test_a_break_in_disowned_in_another_app_is_that_apps(shipped: Matcher, text: str) -> None:
    assert shipped.classify(text).decision == "none"


@pytest.mark.parametrize(
    "text",
    [
        "alle mailene kommer fram unntatt de fra regnskapsføreren",
        "everything shows up in my inbox except messages from my landlord",
        "leverandøren sier han har sendt fakturaen på mail tre ganger, men jeg har ikke fått den",
    ],
)
def test_one_senders_mail_missing_is_that_problem(shipped: Matcher, text: str) -> None:
    assert shipped.one_sender == frozenset({"one-sender-missing"})
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "one-sender-missing")


def test_a_shop_saying_an_order_was_sent_is_no_mail(shipped: Matcher) -> None:
    # the mail is not named: what was sent may be anything
    assert shipped.classify("the shop says they sent my order but it hasn't arrived").decision == (
        "none"
    )


def test_it_told_of_in_a_hacked_account_story_is_no_request_for_a_person(
    shipped: Matcher,
) -> None:
    # "IT" weighs as a request; here IT is who noticed, and the account the writer's
    text = "IT-avdelingen sier kontoen min har sendt ut flere hundre mailer i natt, ikke meg"
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "account-compromised")


@pytest.mark.parametrize(
    "text", ["kan noen fra IT ringe meg om dette?", "I'd like a technician to come and look at it"]
)
def test_a_request_for_a_person_that_asks_is_still_one(shipped: Matcher, text: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "human")


def test_a_friends_hacked_account_is_the_look_alike_not_the_alarm(shipped: Matcher) -> None:
    result = shipped.classify("my friend's email got hacked and is sending me weird links")
    assert (result.decision, result.lookalike) == ("none", "someone-else-hacked")


def test_problems_whose_phrases_name_the_mail_are_subject_bound(shipped: Matcher) -> None:
    # derived from the phrases: not a list kept by hand
    assert "network-blocks-mail" in shipped.subject_bound
    assert "password-prompt" not in shipped.subject_bound  # "den spør om passordet hele tiden"


@pytest.mark.parametrize("text", ["my iPhone won't connect to wifi at all", "iphonen lader ikke"])
def test_the_phone_and_a_fault_without_the_mail_is_not_a_mail_problem(
    shipped: Matcher, text: str
) -> None:
    assert shipped.classify(text).decision == "none"


def test_a_chat_apps_notifications_are_that_apps(shipped: Matcher) -> None:
    assert shipped.classify("Slack notifications only show up when I open the app").decision == (
        "none"
    )


@pytest.mark.parametrize(
    "text", ["can't login mail", "mail login fails", "innloggingen feiler på mailen"]
)
def test_a_sign_in_that_fails_is_no_break_in(shipped: Matcher, text: str) -> None:
    # playtest 15: each was the urgent alarm, sent to IT as a hacked account
    result = shipped.classify(text)
    assert result.intent != "account-compromised"
    assert result.decision in ("match", "ambiguous")


@pytest.mark.parametrize("text", ["my email is broken", "e-post virker ikke på jobbtelefonen"])
def test_the_mail_broken_on_a_device_of_the_topic_asks_which(shipped: Matcher, text: str) -> None:
    # "broken" and "jobbtelefonen" are no words of another matter
    assert shipped.classify(text).decision == "ambiguous"


@pytest.mark.parametrize(
    "text",
    ["my android phone wont send emails", "Mailen på Samsung-telefonen min funker ikke"],
)
def test_a_phone_named_by_another_make_is_the_other_device(shipped: Matcher, text: str) -> None:
    # playtest 20: "phone" made the iPhone's own device of it, and the Outbox step followed
    assert shipped.classify(text).decision == "none"


def test_the_approval_prompt_on_another_device_is_still_googles_check(shipped: Matcher) -> None:
    text = "Google wants me to approve the Mail app with a prompt on my old Android phone"
    assert shipped.classify(text).intent == "gmail-verify"


@pytest.mark.parametrize("text", ["wifien er nede", "nettet er nede i hele bygget"])
def test_the_network_down_with_no_mail_named_is_other_it(shipped: Matcher, text: str) -> None:
    # two words of the network and an outage are no symptom of the mail (playtest 20)
    assert shipped.classify(text).decision == "none"


@pytest.mark.parametrize(
    "text", ["skriveren er nede for alle på kontoret", "the scanner won't send scans to my email"]
)
def test_office_printers_and_scanners_are_other_devices(shipped: Matcher, text: str) -> None:
    # playtest 15: the printer was everyone's mail outage, handed to IT as one
    assert shipped.classify(text).decision == "none"


@pytest.mark.parametrize(
    "text", ["sjefens konto sender ut spam", "my boss's email is sending spam to everyone"]
)
def test_another_persons_account_sending_spam_is_the_look_alike(
    shipped: Matcher, text: str
) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.lookalike) == ("none", "someone-else-hacked")


@pytest.mark.parametrize(
    "text",
    [
        "fikk en mail fra «banken» som ber meg logge inn, men domenet er feil",
        "got an email claiming to be from IT support, but the address is wrong",
        "fikk mail om at kontoen min hos posten er stengt, tror det er svindel",
    ],
)
def test_a_mail_that_looks_forged_is_the_phishing_answer(shipped: Matcher, text: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.lookalike) == ("none", "phishing-received")


def test_the_result_says_whether_the_words_told_the_language(shipped: Matcher) -> None:
    assert shipped.classify("password loop").language_told  # clearly English words
    assert not shipped.classify("mail").language_told  # a word of both


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a review of round nine: each turned the wrong way once
        ("mailen fungerer bortsett fra på wifi", "network-blocks-mail"),
        ("mailkontoen er sperret etter mistenkelig pålogging", "account-compromised"),
        ("kontoen min sender spam og er sperret", "account-compromised"),
        ("password changed by someone, login failing", "account-compromised"),
        (
            "kontoen min sender mail som ser ut som phishing til alle kontaktene mine",
            "account-compromised",
        ),
        ("kontoen min sender spam til sjefens innboks", "account-compromised"),
        ("jeg får ikke mail fra kopimaskinen lenger", "one-sender-missing"),
        ("mailer med vedlegg fra skanneren blir stående i utboksen", "cannot-send"),
        (
            "jeg skanner QR-koden fra Authenticator, men mailen ber fortsatt om passord",
            "password-prompt",
        ),
        ("Videresend dette til brukerstøtte", "human"),
        (
            "ringte en fra IT og ba om koden jeg fikk på SMS, jeg ga den til ham",
            "account-compromised",
        ),
    ],
)
def test_round_nines_rules_leave_these_as_they_were(
    shipped: Matcher, text: str, intent: str
) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", intent)


@pytest.mark.parametrize(
    "text",
    [
        "Outlook på PC-en sendte ikke mailen min",  # the verb, not the Sent folder
        "WhatsApp-kontoen min er kapret, noen sender meldinger i mitt navn, ikke meg",
    ],
)
def test_round_nines_rules_leave_these_outside(shipped: Matcher, text: str) -> None:
    assert shipped.classify(text).decision == "none"


@pytest.mark.parametrize(
    "text",
    [
        "alt i mailen virker bortsett fra sendt-mappen",
        "Outlook sier den er sendt, men mottakeren har ikke fått den",
        "sjefen sier han sendte det i går, og nå funker ikke mailen min i det hele tatt",
    ],
)
def test_not_one_senders_mail(shipped: Matcher, text: str) -> None:
    assert shipped.classify(text).intent != "one-sender-missing"


@pytest.mark.parametrize(
    ("text", "decision"),
    [
        # the laptop works: the fault is the iPhone's
        (
            "I get 'Cannot Send Mail' when I hit send. Receiving works fine, and I can send "
            "from my laptop with no problem.",
            "match",
        ),
        # the mail works: the fault is the text messages'
        ("får ikke sendt SMS fra iPhonen, det står Ikke levert. mailen virker", "none"),
        ("skriveren sender ikke skannede PDF-er lenger. Mail på iPhonen virker fint", "none"),
    ],
)
def test_what_is_said_to_work_is_not_where_the_fault_is(
    shipped: Matcher, text: str, decision: str
) -> None:
    assert shipped.classify(text).decision == decision


def test_a_password_typed_after_a_click_is_more_than_a_click(shipped: Matcher) -> None:
    text = "klikket på en lenke i en mail som så ut som Microsoft og la inn passordet mitt"
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "account-compromised")


def test_asking_fixbot_to_do_something_else_with_a_mail_asks_nothing(shipped: Matcher) -> None:
    # "kan du hjelpe meg med mailen?" asks which problem; translating one is no problem
    assert shipped.classify("Kan du oversette denne mailen til engelsk for meg?").decision == (
        "none"
    )


@pytest.mark.parametrize(
    "text",
    [
        "noen har tatt over Netflix-kontoen min og endret e-postadressen på den",
        "Netflix sendte meg en mail om at noen har logget inn på kontoen min. Mailen virker fint",
    ],
)
def test_another_apps_account_taken_over_is_no_mail_alarm(shipped: Matcher, text: str) -> None:
    assert shipped.classify(text).intent != "account-compromised"


@pytest.mark.parametrize(
    "text",
    [
        "noen har hacket mailen min og sender spam på Facebook også",
        "My email signature suddenly has a different phone number and bank account in it, "
        "I didn't change it",
    ],
)
def test_the_mail_accounts_own_alarm_beside_another_app_stays(shipped: Matcher, text: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "account-compromised")


def test_a_question_that_names_other_apps_as_what_it_fears_for_is_answered(
    shipped: Matcher,
) -> None:
    text = "Before I reset network settings: I have WhatsApp chats on this phone. Are they deleted?"
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "faq-reset-network")
    # a statement about another app's storage is still that app's
    assert shipped.classify("iCloud-lagringen er full på telefonen").decision == "none"


@pytest.mark.parametrize(
    "text",
    [
        "Someone hacked my email and now my Netflix is hacked too",
        "Fikk varsel fra Facebook om at noen har logget inn på e-postkontoen min. Mailen virker",
        "Noen tok over iCloud-kontoen min og nå kommer ikke mailen",
    ],
)
def test_the_writers_own_mail_broken_into_beside_another_app_is_the_alarm(
    shipped: Matcher, text: str
) -> None:
    # a review of round ten: each lost its alarm to the other app
    assert shipped.classify(text).intent == "account-compromised"


def test_another_systems_group_outage_with_mail_said_to_work_is_none(shipped: Matcher) -> None:
    text = "Hele avdelingen får ikke logget inn i Visma, e-post virker som vanlig"
    assert shipped.classify(text).decision == "none"


def test_help_with_someone_elses_mail_still_asks_which(shipped: Matcher) -> None:
    assert shipped.classify("kan du hjelpe meg med mailen på iPhonen til mamma?").decision == (
        "ambiguous"
    )


@pytest.mark.parametrize(
    "text",
    [
        "mailen kommer ikke inn, tror det er nettverket på jobb",
        "mail won't send, I think it's the network at the office",
    ],
)
def test_a_fault_told_with_a_questions_word_is_no_question(shipped: Matcher, text: str) -> None:
    # "nettverket" is the reset-network question's word, but nothing is asked
    result = shipped.classify(text)
    assert result.intent in shipped.problems
    assert result.intent not in shipped.topical_questions
    # asked, the same words are the question's
    asked = shipped.classify("mister jeg mailene hvis jeg nullstiller nettverket?")
    assert (asked.decision, asked.intent) == ("match", "faq-reset-network")


@pytest.mark.parametrize(
    "text",
    [
        "translate this email to norwegian please",
        "kan du oppsummere mailen fra sjefen",
    ],
)
def test_a_task_done_with_a_mail_is_none(shipped: Matcher, text: str) -> None:
    # a task asked of fixbot, not a fault of the mail nor a request for a person
    assert shipped.classify(text).decision == "none"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # review: the task words named in passing, or beside a fault
        ("the email with the translated contract is stuck in my outbox", "cannot-send"),
        ("Summary: can't send emails from my iphone", "cannot-send"),
    ],
)
def test_a_task_word_in_passing_leaves_the_fault(shipped: Matcher, text: str, intent: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", intent)


def test_the_iphone_said_to_work_is_not_where_the_fault_is(shipped: Matcher) -> None:
    text = "iphone-mailen er grei den, det er outlook på jobb-pc'n som ikke henter nye mailer"
    assert shipped.classify(text).decision == "none"
    # said to be broken, the iPhone's mail is the problem
    broken = shipped.classify("mailen på iphonen henter ikke nye mailer")
    assert (broken.decision, broken.intent) == ("match", "mail-not-updating")


@pytest.mark.parametrize("text", ["mailen henter ikke nye meldinger", "mail henter ikke"])
def test_fetching_nothing_new_is_the_inbox_not_updating_without_asking(
    shipped: Matcher, text: str
) -> None:
    # playtest 21: "which of these?" for a message only one of them fits
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "mail-not-updating")


@pytest.mark.parametrize(
    "text",
    [
        # playtest 22: a story with no mail word and no sign of a break-in was an alarm once
        # every other problem fell for naming no topic
        "hmm jeg har ikke noe som heter avansert. det er jobbkontoen (exchange tror jeg)",
        # ... and so was typing a password many times (round 14)
        "har skrevet inn passordet 5 ganger nå og den godtar det ikke. helt sikker på at det "
        "er riktig. blir gal",
    ],
)
def test_a_story_is_an_alarm_only_when_the_alarm_reads_best(shipped: Matcher, text: str) -> None:
    assert shipped.classify(text).intent != "account-compromised"


@pytest.mark.parametrize(
    "text",
    [
        "kona fikk en rar lenke fra meg i går, er jeg hacka?",
        "Regnskap spør hvorfor jeg ba dem overføre 48 000 kr til en ny leverandør i går, men "
        "det har jeg ikke gjort",
    ],
)
def test_a_story_of_a_break_in_is_still_the_alarm(shipped: Matcher, text: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "account-compromised")


@pytest.mark.parametrize("text", ["mailen krangler", "mailen tuller"])
def test_the_topic_and_no_question_gets_no_questions_answer(shipped: Matcher, text: str) -> None:
    # playtest 22 (a probe after it): "mailen krangler" got the storage question's answer
    result = shipped.classify(text)
    assert result.intent not in ("faq-storage", "faq-reset-network", "faq-delete-account")


@pytest.mark.parametrize(
    "text",
    [
        "trykket på en lenke i en mail og skrev inn passordet",
        "skrev inn passordet mitt på en falsk side",
    ],
)
def test_a_password_typed_on_a_page_named_is_the_alarm(shipped: Matcher, text: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "account-compromised")


@pytest.mark.parametrize(
    "text",
    [
        "Kollegaene mine får mail helt fint, det er bare meg",
        "it's only me, my colleagues get their mail fine",
        "det er bare meg som ikke får mail, kollegaene får",
    ],
)
def test_only_me_is_no_problem_of_many_and_no_alarm(shipped: Matcher, text: str) -> None:
    # playtest 23: "others have it too" at 0.85, and the case went to IT with no step tried
    assert shipped.classify(text).intent not in ("everyone-affected", "account-compromised")


def test_not_only_me_is_still_a_problem_of_many(shipped: Matcher) -> None:
    result = shipped.classify("det er ikke bare meg, hele avdelingen får ikke mail på iphone i dag")
    assert (result.decision, result.intent) == ("match", "everyone-affected")


@pytest.mark.parametrize(
    "text",
    [
        "i dont have a Mail app, I only use outlook",
        "I use the Outlook app from Microsoft, not Apple Mail. can you help with that?",
        "jeg bruker ikke mail-appen, bare outlook",
    ],
)
def test_not_using_the_mail_app_is_another_apps_matter(shipped: Matcher, text: str) -> None:
    # playtest 23: "new mail only when Mail is open" at 0.44, and a switch to "others too"
    result = shipped.classify(text)
    assert (result.decision, result.outside) == ("none", True)
    assert shipped.classify(text, "en", in_topic=True).elsewhere


def test_the_mail_app_not_fetching_is_still_the_mail_app(shipped: Matcher) -> None:
    text = "google vil at jeg skal bekrefte at det er meg, og nå henter ikke mail-appen gmailen"
    assert shipped.classify(text).intent == "gmail-verify"
