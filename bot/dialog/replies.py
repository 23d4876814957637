"""The dialog's replies: every message and button built from the knowledge, within the limits.

Nothing here decides what to say next (that is ``bot.dialog.machine``); this module
only turns a decision into ``Reply`` objects in one language. All wording
comes from the knowledge base (``ui``, problems, steps, topics, questions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.chunking import FIXBOT_MARKUP, chunk
from bot.dialog import payloads
from bot.events import Button, Reply
from bot.knowledge import Check, Knowledge, Problem, Step
from bot.settings import Limits
from bot.understanding.text import mentions_all, reads_as_a_question, unsure

ELLIPSIS = "…"
_PATH = re.compile(r"`([^`\n]+>[^`\n]+)`")  # a menu path in a step: `Innstillinger > Mail`
_MIN_SETTING_CHARS = 5  # "Mail" names too much to point at one path
RATING_SCORES = range(1, 6)


class Replies:
    """Builds replies in ``language`` from ``knowledge``, each within ``limits``."""

    def __init__(
        self,
        knowledge: Knowledge,
        language: str,
        limits: Limits,
        *,
        first_step: int = 0,
        described: str | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.language = language
        self.limits = limits
        self.first_step = first_step  # the index of the first step Back can reach
        self.described = described  # what the person told of the fault (a check may know it)

    # --- pieces -------------------------------------------------------------

    def text(self, key: str, **values: object) -> str:
        """The ui text ``key`` in this language with ``values`` filled in."""
        return self.knowledge.text(key, self.language, **values)

    def button(self, label: str, payload: str) -> Button:
        """A button whose label is cut to the label limit."""
        if len(payload.encode("utf-8")) > self.limits.max_payload_bytes:
            raise ValueError(f"payload {payload!r} is longer than the platform allows")
        return Button(self.cut_label(label), payload)

    def cut_label(self, label: str) -> str:
        """``label`` as a button shows it: cut to the label limit."""
        limit = self.limits.max_button_label_chars
        return label[: limit - 1].rstrip() + ELLIPSIS if len(label) > limit else label

    def check_answers(self, check: Check) -> dict[str, str]:
        """A check's two answers as its buttons show them ({fine}, {fault}), for a reply
        that names them."""
        return {
            "fine": self.cut_label(check.fine.get(self.language)),
            "fault": self.cut_label(check.fault.get(self.language)),
        }

    def human_button(self) -> Button:
        return self.button(self.text("button_human"), payloads.HUMAN)

    def pick_button(self, intent: str) -> Button:
        """The button that picks ``intent`` (a problem or a question), under its title."""
        return self.button(self.intent_title(intent), payloads.pick(intent))

    def intent_title(self, intent: str) -> str:
        """A problem's or question's title, or the human button's label."""
        if intent in self.knowledge.problems:
            return self.knowledge.problems[intent].title.get(self.language)
        if intent in self.knowledge.questions:
            return self.knowledge.questions[intent].title.get(self.language)
        return self.text("button_human")

    def fit(self, paragraphs: Iterable[str | None], buttons: Sequence[Button] = ()) -> list[Reply]:
        """Join paragraphs into replies of at most ``max_text_chars``; buttons go on the last."""
        text = "\n\n".join(paragraph.strip() for paragraph in paragraphs if paragraph)
        chunks = chunk(text, self.limits.max_text_chars, markup=FIXBOT_MARKUP) or [""]
        replies = [Reply(piece) for piece in chunks]
        replies[-1] = Reply(chunks[-1], tuple(buttons))
        return replies

    # --- menus ----------------------------------------------------------------

    def greeting_line(self, key: str = "greeting") -> str:
        """The greeting (or ``key``'s text, such as "how_are_you_reply") naming the topics."""
        topics = ", ".join(
            topic.title.get(self.language) for topic in self.knowledge.topics.values()
        )
        return self.text(key if key in self.knowledge.ui else "greeting", topics=topics)

    def menu(self, lead: Sequence[str | None] = ()) -> list[Reply]:
        """``lead``, the menu prompt, and every problem as a button, with a person offered.

        The order never changes ("Snakk med IT" always last): a number a person has
        seen once, or typed in a terminal, keeps meaning the same thing.
        """
        buttons = [
            self.button(problem.title.get(self.language), payloads.pick(problem_id))
            for problem_id, problem in self.knowledge.problems.items()
        ]
        buttons.append(self.human_button())
        return self.fit([*lead, self.text("menu_prompt")], buttons)

    def problem_question(self, lead: Sequence[str | None] = ()) -> list[Reply]:
        """ "What is it about?" before a handoff: every problem as a button (in the menu's
        order), and a button that goes straight to IT."""
        buttons = [
            self.button(problem.title.get(self.language), payloads.pick(problem_id))
            for problem_id, problem in self.knowledge.problems.items()
        ]
        buttons.append(self.button(self.text("button_human_direct"), payloads.HUMAN))
        return self.fit([*lead, self.text("human_ask_problem")], buttons)

    def choices(self, candidates: Sequence[str], lead: Sequence[str | None] = ()) -> list[Reply]:
        """ "Which of these fits best?" with the candidates and "something else"."""
        buttons = [self.pick_button(c) for c in candidates]
        buttons.append(self.button(self.text("button_other"), payloads.OTHER))
        return self.fit([*lead, self.text("ambiguous")], buttons)

    def switch_offer(self, problem_id: str, lead: Sequence[str | None] = ()) -> list[Reply]:
        title = self.intent_title(problem_id)
        buttons = [
            self.button(self.text("button_switch"), payloads.switch(problem_id)),
            self.button(self.text("button_stay"), payloads.STAY),
        ]
        return self.fit([*lead, self.text("switch_offer", title=title)], buttons)

    # --- the flow -------------------------------------------------------------

    def intro(self, problem: Problem, *, picked: bool, checks: bool) -> list[str]:
        """What was understood, the before-you-start checks (once) and the problem's tips."""
        if picked:
            lines = [self.text("understood", title=problem.title.get(self.language))]
        else:
            lines = [problem.understood.get(self.language)]
        topic = self.knowledge.topics.get(problem.topic)
        if checks and topic is not None and not problem.handoff and problem.checks:
            items = "\n".join(f"- {check}" for check in topic.before_you_start.get(self.language))
            lines.append(f"{self.text('checks_header')}\n{items}")
        for tip in self.knowledge.tips_for(problem.id):
            lines.append(self.text("tip", text=tip.text.get(self.language)))
        return lines

    def step(self, problem: Problem, index: int, lead: Sequence[str | None] = ()) -> list[Reply]:
        """ "Step n of N" with the instructions, why, time and cost, and the step buttons."""
        step = self.knowledge.steps[problem.steps[index]]
        number = index + 1
        header = self._step_header(problem, index)
        facts = [self.text("step_minutes", minutes=step.minutes)]
        if step.cost is not None:
            facts.append(self.text("step_cost", cost=step.cost.get(self.language)))
        body = [
            f"{header}\n\n{step.text.get(self.language)}",
            f"{self.text('step_why', why=step.why.get(self.language))}\n{' '.join(facts)}",
            self._step_question(step),
        ]
        return self.fit([*lead, *body], self.step_buttons(problem, number))

    def _step_question(self, step: Step) -> str:
        """ "Did that fix it?", or the check's question; a check whose answer the
        description told ("jobbmailen sier at telefonen er blokkert") says which button
        that is instead of asking what was just said (``Check.told_if``)."""
        if step.check is None:
            return self.text("step_question")
        # told, not asked nor doubted: "is my iphone blocked?", "vet ikke om telefonen er
        # blokkert" leave the question to be asked (review)
        told = (
            self.described
            and not reads_as_a_question(self.described)
            and not unsure(self.described)
            and any(mentions_all(self.described, words) for words in step.check.told_if)
        )
        if told and "check_told" in self.knowledge.ui:
            return self.text("check_told", fault=step.check.fault.get(self.language))
        return step.check.question.get(self.language)

    def _step_header(self, problem: Problem, index: int) -> str:
        """ "Steg n av N: title" for the step at ``index``; a fix of one step has no count
        ("Steg 1 av 1", playtest 20), when the knowledge says how to head it."""
        step = self.knowledge.steps[problem.steps[index]]
        if len(problem.steps) == 1 and "step_header_only" in self.knowledge.ui:
            return self.text("step_header_only", title=step.title.get(self.language))
        return self.text(
            "step_header",
            n=index + 1,
            total=len(problem.steps),
            title=step.title.get(self.language),
        )

    def step_instructions(
        self, problem: Problem, index: int, after: str, *, cost: bool = False
    ) -> list[Reply]:
        """The step's instructions again (where the setting is), then the ui text ``after``;
        ``cost``: with what the step costs or needs, if the knowledge says ("you must know
        your password")."""
        step = self.knowledge.steps[problem.steps[index]]
        header = self._step_header(problem, index)
        noted = (
            [self.text("step_cost", cost=step.cost.get(self.language))]
            if cost and step.cost
            else []
        )
        body = [f"{header}\n\n{step.text.get(self.language)}", *noted, self.text(after)]
        return self.fit(body, self.step_buttons(problem, index + 1))

    def step_question(self, problem: Problem, index: int, *, losing: bool = False) -> list[Reply]:
        """A question about the step ("hvorfor?", "sletter det mailene mine?"): why the step
        is done and what it costs, if the knowledge says, and honestly that there is no
        more; then where we are. ``losing``: the question asks what is lost ("mister eg
        mailane mine?"), which the step's cost answers on its own, without the why."""
        step = self.knowledge.steps[problem.steps[index]]
        why = step.why.get(self.language).strip()
        # what the step costs or risks ("sletter det mailene mine?" is often asked of it)
        cost = [self.text("step_cost", cost=step.cost.get(self.language))] if step.cost else []
        if losing and cost:
            why = ""  # playtest 22: "Hvorfor dette steget" answered "will I lose my mail?"
        related = [q for q in step.questions if q in self.knowledge.questions]
        if related and "step_question_related" in self.knowledge.ui:
            # "sletter dette noe?": the answers people want here, as buttons to tap
            # one message, the step's buttons first: on a terminal, where buttons are
            # numbered, "2" stays "didn't help" as it was on every step before
            lead = [self.text("step_question_why", why=why), *cost] if why else cost
            where = self._where(problem, index)
            buttons = self.step_buttons(problem, index + 1) + [
                self.button(self.knowledge.questions[q].title.get(self.language), payloads.pick(q))
                for q in related
            ]
            return self.fit([*lead, where, self.text("step_question_related")], buttons)
        if losing and cost:
            return self.step_nudge(problem, index, cost)
        if why:
            lead = [self.text("step_question_why", why=why), *cost, self.text("step_question_more")]
        else:
            lead = [*cost, self.text("step_question_nothing")]
        return self.step_nudge(problem, index, lead)

    def cannot_find(self, problem: Problem, index: int, text: str) -> list[Reply]:
        """ "Where is it?" at a step: the way to a setting ``text`` names that the step does
        not (found in the other steps' menu paths); else the step's instructions again,
        said as the way there only when the step has a menu path to follow."""
        own = self.knowledge.steps[problem.steps[index]].text.get(self.language)
        named = self.paths_named(text)
        if named and not any(path in own for _, path in named):
            name = named[0][0]
            paths = "\n".join(f"- `{path}`" for _, path in named)
            lead = f"{self.text('setting_where', name=name)}\n{paths}"
            return self.step_nudge(problem, index, [lead])
        after = "cannot_find" if "`" in own else "cannot_find_no_path"
        return self.step_instructions(problem, index, after)

    def paths_named(self, text: str) -> list[tuple[str, str]]:
        """(setting, path) for every menu path in the steps (`Innstillinger > Mail >
        Kontoer > Hent nye data`) whose last item ``text`` names, the longest name first."""
        wanted = text.casefold()
        found: dict[str, str] = {}
        for step in self.knowledge.steps.values():
            for path in _PATH.findall(step.text.get(self.language)):
                parts = [part.strip() for part in path.split(">")]
                name = parts[-1]
                if len(parts) < 2 or len(name) < _MIN_SETTING_CHARS or "[" in name:
                    continue
                if re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", wanted):
                    found.setdefault(path, name)
        longest = max((len(name) for name in found.values()), default=0)
        return [(name, path) for path, name in found.items() if len(name) == longest]

    def step_nudge(
        self, problem: Problem, index: int, lead: Sequence[str | None] = ()
    ) -> list[Reply]:
        """A short reminder of the step we're on, with its buttons, instead of all of it again."""
        return self.fit([*lead, self._where(problem, index)], self.step_buttons(problem, index + 1))

    def _where(self, problem: Problem, index: int) -> str:
        """ "Vi er på steg n av N: title"; a fix of one step has no count."""
        step = self.knowledge.steps[problem.steps[index]]
        if len(problem.steps) == 1 and "step_nudge_only" in self.knowledge.ui:
            return self.text("step_nudge_only", title=step.title.get(self.language))
        return self.text(
            "step_nudge", n=index + 1, total=len(problem.steps), title=step.title.get(self.language)
        )

    def step_buttons(self, problem: Problem, number: int) -> list[Button]:
        """Worked / didn't help / skip / (back) / talk to IT for step ``number`` (1-based);
        on a check-only step its two answers instead of didn't help."""
        step = self.knowledge.steps[problem.steps[number - 1]]
        if step.check is None:
            labels = [("ok", self.text("button_worked")), ("no", self.text("button_not_helped"))]
        else:
            # a check asks its own question ("is the service up?"): its two answers are the
            # buttons; "that worked" would answer a question it did not ask
            labels = [
                ("fine", step.check.fine.get(self.language)),
                ("fault", step.check.fault.get(self.language)),
            ]
        labels.append(("skip", self.text("button_skip")))
        if number - 1 > self.first_step:
            labels.append(("back", self.text("button_back")))
        buttons = [
            self.button(label, payloads.step(verb, problem.id, number)) for verb, label in labels
        ]
        buttons.append(self.human_button())
        return buttons

    def resolved(self, problem: Problem, index: int) -> list[Reply]:
        """Glad it worked, then the one-tap rating.

        The step that fixed it is named, unless it is a check ("is the service up?"),
        which fixes nothing: then the mail simply works again.
        The topic's closing advice ("if nothing changes, stop and escalate")
        belongs to the end of an unsuccessful flow, not to a success.
        """
        step = self.knowledge.steps[problem.steps[index]]
        if step.check is None:
            done = self.text("resolved", n=index + 1, title=step.title.get(self.language))
        else:
            done = self.text("resolved_at_check")
        if step.after is not None:
            # playtest 22: "fant den i søppelpost! men hvordan hindrer jeg at det skjer igjen?"
            done = f"{done}\n\n{step.after.get(self.language)}"
        return [*self.fit([done]), *self.fit([self.text("rating_prompt")], self.rating_buttons())]

    def rating_buttons(self) -> list[Button]:
        """One button per score, 1 to 5."""
        return [
            self.button(self.text("button_rating", score=score), payloads.rate(score))
            for score in RATING_SCORES
        ]

    def handoff(
        self,
        problem: Problem | None,
        lead: Sequence[str | None] = (),
        *,
        tried: bool = True,
        closing: bool = False,
        urgent: bool = False,
        described: bool = True,
        asked: bool = False,
        after: Sequence[str | None] = (),
    ) -> list[Reply]:
        """What happens next: the topic's closing advice when others are affected too
        ("more steps won't help"), the problem's escalation text, and the handoff message
        (which mentions what was tried only when something was; for an outage, that IT
        follows it up; for an urgent case, that it is marked urgent; when nothing at all
        was said, "straight to IT" from the menu, it asks for a line about it), then
        ``after``. ``asked``: the person asked for IT, so not the escalation's "now IT
        should look at it", which says the steps ran out (playtest 18)."""
        escalation = (
            problem.escalation.get(self.language) if problem is not None and not asked else None
        )
        topic = self.knowledge.topics.get(problem.topic) if problem is not None else None
        advice = topic.closing.get(self.language) if closing and topic is not None else None
        message = self.text("handoff" if tried else "handoff_nothing_tried")
        if not described and "handoff_nothing_said" in self.knowledge.ui:
            message = self.text("handoff_nothing_said")
        if urgent:
            message = self.text("handoff_urgent")
        elif closing:
            # an outage: IT follows up with the provider, not "within one working day"
            message = self.text("handoff_everyone_affected")
        return self.fit([*lead, advice, escalation, message, *after])

    def answer(self, question_id: str) -> str:
        return self.knowledge.questions[question_id].answer.get(self.language)
