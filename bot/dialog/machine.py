"""The dialog: a pure state machine from (state, turn, knowledge) to a ``Transition``.

No I/O and no clock: the service loads the state, calls ``advance`` and
persists what comes back. A turn is either a button payload (see
``bot.dialog.payloads``, answered in ``bot.dialog.moves``) or free text (read in
``bot.dialog.reading``: first against the lexicon for the words that matter where
the conversation is, "ja", "det funka", "stopp"; anything more goes to the
classifier). The moves themselves live in ``bot.dialog.flow`` and
``bot.dialog.moves``, the wording in ``bot.dialog.replies`` and the knowledge base.
"""

from __future__ import annotations

from dataclasses import replace

from bot.dialog.conversation import DialogState, Transition, Turn
from bot.dialog.flow import (
    Context,
)
from bot.dialog.later_steps import own_title_terms
from bot.dialog.moves import IN_FLOW, on_payload, untouched
from bot.dialog.reading import on_text
from bot.events import Reply
from bot.knowledge import Knowledge
from bot.redact import MASK
from bot.settings import Settings
from bot.understanding.acts import HUMAN
from bot.understanding.glossary import Glossary
from bot.understanding.intents import Classifier
from bot.understanding.lexicon import Lexicon


class Dialog:
    """The dialog with its knowledge, classifier and settings; build once, advance per turn."""

    def __init__(self, knowledge: Knowledge, classifier: Classifier, settings: Settings) -> None:
        self.knowledge = knowledge
        self.classifier = classifier
        self.settings = settings
        self.lexicon = Lexicon(knowledge.lexicon, settings.matcher.memo_size)
        self.glossary = Glossary(knowledge.glossary)
        nb, en = (own_title_terms(knowledge.steps, language) for language in ("nb", "en"))
        self.title_terms = {step_id: (nb[step_id], en[step_id]) for step_id in knowledge.steps}

    def advance(self, state: DialogState, turn: Turn) -> Transition:
        """The dialog's answer to ``turn`` in ``state``."""
        ctx = Context(
            self.knowledge,
            self.classifier,
            self.settings,
            self.lexicon,
            False,
            glossary=self.glossary,
            title_terms=self.title_terms,
        )
        ctx.language_chosen, ctx.case_status = turn.language_chosen, turn.case_status
        state = _first_guess(state, turn)
        if _outdated(state, self.knowledge):
            # The knowledge base changed under this conversation (a problem
            # renamed or removed, steps shortened): start afresh, say why.
            language = state.language
            state = DialogState(language=language, greeted=True)
            note = Reply(self.knowledge.text("knowledge_changed", language))
            transition = self._respond(ctx, state, turn)
            return replace(transition, replies=(note, *transition.replies))
        return self._respond(ctx, state, turn)

    def _respond(self, ctx: Context, state: DialogState, turn: Turn) -> Transition:
        if turn.payload is not None:
            return on_payload(ctx, state, turn.payload)
        transition = on_text(ctx, state, turn.text or "")
        if MASK in (turn.text or "") and "secret_masked" in self.knowledge.ui:
            # a password or code typed into the chat was masked before anything kept it:
            # say so, and that nobody needs it here
            warning = Reply(self.knowledge.text("secret_masked", transition.state.language))
            return replace(transition, replies=(warning, *transition.replies))
        return transition

    def __call__(
        self,
        state: DialogState,
        turn: Turn,
        knowledge: Knowledge,
        classifier: Classifier,
        settings: Settings,
    ) -> Transition:
        """``advance`` with this dialog's prepared lexicon (the service's ``Advance`` shape).

        Given other knowledge, classifier or settings than it was built with, it
        builds a dialog for those instead of answering with stale ones.
        """
        same = (
            knowledge is self.knowledge
            and classifier is self.classifier
            and settings is self.settings
        )
        if same:
            return self.advance(state, turn)
        return Dialog(knowledge, classifier, settings).advance(state, turn)


def advance(
    state: DialogState,
    turn: Turn,
    knowledge: Knowledge,
    classifier: Classifier,
    settings: Settings,
) -> Transition:
    """One turn of the dialog.

    This prepares the lexicon on every call (a few milliseconds); a long-lived
    ``Dialog(knowledge, classifier, settings)`` is the same function without that.
    """
    return Dialog(knowledge, classifier, settings).advance(state, turn)


def _outdated(state: DialogState, knowledge: Knowledge) -> bool:
    """The state points at a problem, step or candidate the knowledge no longer has."""
    if state.problem is not None:
        problem = knowledge.problems.get(state.problem)
        if problem is None or (state.phase in IN_FLOW and state.step_index >= len(problem.steps)):
            return True
    known = {*knowledge.problems, *knowledge.questions, HUMAN}
    if state.pending_switch is not None and state.pending_switch not in knowledge.problems:
        return True
    return any(candidate not in known for candidate in state.candidates)


def _first_guess(state: DialogState, turn: Turn) -> DialogState:
    """On a conversation's very first turn, the platform's hint is the first guess."""
    language = _language_code(turn.language_hint)
    if untouched(state) and not turn.language_chosen and language is not None:
        return state.evolve(language=language)
    return state


def _language_code(hint: str | None) -> str | None:
    """ "en-GB" -> "en"; "nb", "nn", "no", "nb-NO" -> "nb"; anything else None."""
    if not hint:
        return None
    base = hint.strip().lower().replace("_", "-").split("-")[0]
    if base == "en":
        return "en"
    return "nb" if base in ("nb", "nn", "no") else None
