"""The check's core: starting it, asking a question (buttons included), storing answers,
the next step and the result (with what follows a result: reminder offers, the follow-up)."""

from __future__ import annotations

from typing import Any

from dialogs import conversation, diary, followup, reminders, scoring
from dialogs import result as compact
from dialogs.callbacks import Answer, Done, Skip, Toggle
from dialogs.nlu import Understood
from dialogs.ports import AssessmentRecord
from dialogs.state import CheckState, LastResult
from dialogs.turn import Turn
from dialogs.types import Button, Reply


def start(turn: Turn) -> list[Reply]:
    """/check: a new check (replacing one in progress), with what the user told before it."""
    replaced = turn.state.assessment is not None
    assessment = CheckState(started=turn.now.isoformat())
    turn.state.assessment = assessment
    intro = turn.say("check_restarted" if replaced else "check_intro")
    known = conversation.carry_over(turn, assessment)
    first = [turn.reply(intro)] + ([known] if known is not None else [])
    return [*first, *next_step(turn, assessment)]


def store_answers(assessment: CheckState, answers: list[Understood]) -> list[dict[str, Any]]:
    understood = []
    for item in answers:
        assessment.answers[item.question] = item.value
        if item.detail:
            assessment.details[item.question] = item.detail
        else:
            assessment.details.pop(item.question, None)
        understood.append({"question": item.question, "value": item.value})
    return understood


def add_flags(assessment: CheckState, flags: list[str]) -> None:
    for flag in flags:
        if flag not in assessment.red_flags:
            assessment.red_flags.append(flag)


def attach_answers(replies: list[Reply], understood: list[dict[str, Any]]) -> None:
    if understood and replies:
        replies[0].answers = understood


def next_step(turn: Turn, assessment: CheckState) -> list[Reply]:
    for question_id in turn.knowledge.questions:
        if question_id not in assessment.answers:
            assessment.asking = question_id
            assessment.misses = 0
            return [ask(turn, assessment, question_id)]
    return finish(turn, assessment)


def continue_check(
    turn: Turn, assessment: CheckState, replies: list[Reply], understood: list[dict[str, Any]]
) -> list[Reply]:
    """After signs were raised or answered: ask the pending question again (plainly, it
    is no miss) or the next one; the answers of the message ride on the first reply."""
    asking = assessment.asking
    if asking and asking not in assessment.answers:
        replies.append(ask(turn, assessment, asking))
    else:
        replies.extend(next_step(turn, assessment))
    attach_answers(replies, understood)
    return replies


def ask(
    turn: Turn,
    assessment: CheckState,
    question_id: str,
    retry: bool = False,
    edit: bool = False,
    nothing_chosen: bool = False,
) -> Reply:
    question = turn.knowledge.questions[question_id]
    text = question.text
    if retry:
        text = (question.retry or turn.say("not_understood")) + "\n\n" + text
    if nothing_chosen:
        text = turn.say("choose_first") + "\n\n" + text
    rows: list[list[Button]] = []
    if question.answer_kind == "list":
        chosen = set(assessment.selection or [])
        mark = turn.say("selected_mark")
        buttons = [
            Button(
                f"{mark} {o.label}" if o.value in chosen else o.label,
                Toggle(question_id, o.value).pack(),
            )
            for o in question.options
        ]
        rows = _rows(buttons, 2)
        rows.append(
            [
                Button(turn.say("done_label"), Done(question_id).pack()),
                Button(turn.say("skip_label"), Skip(question_id).pack()),
            ]
        )
    else:
        buttons = [Button(o.label, Answer(question_id, o.value).pack()) for o in question.options]
        rows = _rows(buttons, 3 if len(buttons) > 4 else 2)
        rows.append([Button(turn.say("skip_label"), Skip(question_id).pack())])
    return turn.reply(
        text,
        buttons=rows,
        asks=question_id,
        multi_select=question.answer_kind == "list",
        edit_of_callback=edit,
    )


def resume(turn: Turn) -> list[Reply]:
    """After an aside during a check: ask the pending question again."""
    assessment = turn.state.assessment
    if assessment is None or not assessment.asking:
        return []
    question = ask(turn, assessment, assessment.asking)
    question.text = turn.say("back_to_check") + "\n\n" + question.text
    return [question]


def finish(turn: Turn, assessment: CheckState) -> list[Reply]:
    knowledge = turn.knowledge
    answers = assessment.answers
    result = scoring.assess(knowledge, answers, assessment.details, assessment.red_flags)
    result = followup.apply_floor(knowledge, result, assessment)
    causes: list[dict[str, Any]] = [{"id": c.id, "score": round(c.score, 2)} for c in result.causes]
    turn.state.assessment = None
    text, buttons = compact.render(knowledge, result, turn.state.own_word)
    reply = turn.reply(text, buttons=buttons, causes=causes, urgency=result.urgency)
    record = AssessmentRecord(
        turn.now, dict(answers), causes, result.urgency, list(assessment.red_flags)
    )
    turn.state.last_result = LastResult(
        causes=[c["id"] for c in causes],
        urgency=result.urgency,
        answers=dict(answers),  # for the result's buttons (what helps, why)
        details=dict(assessment.details),
        red_flags=list(assessment.red_flags),
    )
    instead = knowledge.tailoring.offers_instead(set(result.facts))
    if instead:  # e.g. a fluid caveat instead of "drink every 2 hours" (kidney, heart)
        turn.state.last_result.offer_instead = instead
    turn.state.own_word = None
    diary.remember_details(turn, assessment.details)
    turn.finished.append(record)
    replies = [reply, *reminders.offer_for(turn, [c["id"] for c in causes])]
    note = followup.plan(turn, answers, assessment.details, result.urgency)
    return replies + ([note] if note is not None else [])


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _rows(buttons: list[Button], width: int) -> list[list[Button]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]
