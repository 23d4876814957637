"""The handoff record: what IT staff need to take over a case, from the dialog's state.

The summary is readable text in Norwegian (the staff's language, whatever the
person wrote in); ``details`` holds the same facts structured for the review
site and for delivery to a support channel.
"""

from __future__ import annotations

from bot.dialog.conversation import DialogState, HandoffRequest
from bot.knowledge import Knowledge

STAFF_LANGUAGE = "nb"
FIRST_TEXT_CHARS = 300  # enough to read the symptom; the transcript has the rest
OUTCOME_KEYS = {
    "worked": "outcome_worked",
    "not_helped": "outcome_not_helped",
    "skipped": "outcome_skipped",
    "back": "outcome_back",
}


def handoff_request(state: DialogState, reason: str, knowledge: Knowledge) -> HandoffRequest:
    """The handoff for ``state``'s conversation.

    ``reason`` is steps_exhausted, asked, everyone_affected, urgent or check_fault.
    """

    def say(key: str, **values: object) -> str:
        return knowledge.text(key, STAFF_LANGUAGE, **values)

    problem = knowledge.problems.get(state.problem) if state.problem else None
    problem_title = (
        problem.title.get(STAFF_LANGUAGE) if problem else say("handoff_summary_no_problem")
    )
    told = reason
    own = [outcome for owner, _, _, outcome in state.tried if owner == state.problem]
    if reason == "steps_exhausted" and own and all(o == "skipped" for o in own):
        told = "steps_skipped"  # staff should not read "all steps tried": none was
    lines = [
        say(
            "handoff_summary_title",
            problem=problem_title,
            reason=say(f"handoff_reason_{told}"),
        )
    ]
    if state.first_text:
        lines.append(say("handoff_summary_first", text=_shorten(state.first_text)))
    told_text = _told(state)
    if told_text:
        lines.append(say("handoff_summary_told", text=_shorten(told_text)))
    if state.account_told:
        lines.append(say("handoff_summary_account", text=_shorten(state.account_told)))
    lines.append(say("handoff_summary_language", code=state.language))
    if state.tried:
        lines.append(say("handoff_summary_steps"))
        for problem_id, step_id, number, outcome in state.tried:
            owner = knowledge.problems.get(problem_id)
            step = knowledge.steps.get(step_id)
            lines.append(
                say(
                    "handoff_summary_step",
                    problem=owner.title.get(STAFF_LANGUAGE) if owner else problem_id,
                    number=number,
                    title=step.title.get(STAFF_LANGUAGE) if step else step_id,
                    outcome=say(OUTCOME_KEYS[outcome]) if outcome in OUTCOME_KEYS else outcome,
                )
            )
    else:
        lines.append(say("handoff_summary_no_steps"))
    details: dict[str, object] = {
        "reason": reason,
        "problem": state.problem,
        "language": state.language,
        "first_text": state.first_text,
        "told_text": told_text,
        "account_told": state.account_told,
        "steps": [
            {"problem": problem_id, "step_id": step_id, "number": number, "outcome": outcome}
            for problem_id, step_id, number, outcome in state.tried
        ],
    }
    return HandoffRequest(
        reason=reason, problem=state.problem, summary="\n".join(lines), details=details
    )


def _told(state: DialogState) -> str | None:
    """The message that named the case's problem, when it is not the first message (a
    break-in told mid-fix, a switch to another problem)."""
    if state.problem is None or state.told_problem != state.problem:
        return None
    return state.told_text if state.told_text != state.first_text else None


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= FIRST_TEXT_CHARS else text[: FIRST_TEXT_CHARS - 1] + "…"
