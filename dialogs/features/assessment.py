"""The check (/check, /cancel): typed answers read with dialogs/nlu.py, the answer buttons
(`ans:`, `tog:`, `done:`, `skip:`), answers carried in and asked again (`redo:`), messages
that answer nothing (asked again once, then placed), and the result's cause buttons."""

from __future__ import annotations

from typing import Any

from dialogs import intents, misses, nlu, safety
from dialogs import result as compact
from dialogs.callbacks import Answer, CauseDetail, Done, Redo, Skip, Toggle
from dialogs.features import check, signs
from dialogs.features.menu import menu
from dialogs.knowledge.questions import UNKNOWN
from dialogs.nlu import Understood
from dialogs.state import CheckState, PendingConfirm
from dialogs.turn import Turn
from dialogs.types import Reply


async def start(turn: Turn, args: str) -> list[Reply]:
    """/check"""
    return check.start(turn)


async def cancel(turn: Turn, args: str) -> list[Reply]:
    """/cancel"""
    if turn.state.assessment is None:
        return [turn.reply(turn.say("nothing_to_cancel"))]
    turn.state.assessment = None
    return [menu(turn, turn.say("cancelled"))]


def answers_asked(turn: Turn, assessment: CheckState, text: str) -> bool:
    """Does `text` answer the question asked?"""
    asking = assessment.asking
    if not asking:
        return False
    reading = nlu.interpret(turn.knowledge, text, asking, dict(assessment.answers), now=turn.now)
    return any(a.question == asking for a in reading.answers)


def asks_something(turn: Turn, text: str) -> bool:
    """A message that asks a question ("should I get an EMG?")."""
    words = intents.plain(text).split()
    starts = turn.knowledge.conversation.question_starts
    return text.rstrip().endswith("?") or (len(words) > 2 and words[0] in starts)


def on_answer(
    turn: Turn, assessment: CheckState, text: str, flags: safety.FlagReading
) -> list[Reply] | None:
    """A message during the check: its answers (and signs) stored, then the next step.
    None: it answered nothing at all (the router tries a request or a question, then
    `not_placed`)."""
    knowledge = turn.knowledge
    asking = assessment.asking
    reading = nlu.interpret(knowledge, text, asking, dict(assessment.answers), now=turn.now)
    replies: list[Reply] = []
    if asks_something(turn, text) and all(a.question != asking for a in reading.answers):
        reading.answers = []  # a question asked in passing answers nothing by itself
    screen_id = knowledge.safety.question
    if asking == screen_id and (flags.raised or flags.unsure or safety.says_more(knowledge, text)):
        # the screen's answer is the signs the message describes, not its "no" (and a
        # "no, but ..." that goes on about something sign-like is asked again, not none)
        reading.answers = [a for a in reading.answers if a.question != screen_id]
    understood = check.store_answers(assessment, reading.answers)
    raised = list(flags.raised)
    unsure = [f for f in flags.unsure if f not in assessment.red_flags]
    raised += [f for f in flags.unsure if f in assessment.red_flags]
    raised = list(safety.ordered(knowledge, raised))
    screen: list[str] | None = None
    if asking == screen_id and (raised or unsure):
        screen = list(raised)
        if not unsure:
            understood += check.store_answers(assessment, [Understood(screen_id, list(raised))])
            screen = None
    elif (
        asking == screen_id
        and screen_id not in assessment.answers
        and not reading.skipped
        and (nlu.is_no(knowledge, text) or safety.denies_signs(knowledge, text, flags))
        and not safety.says_more(knowledge, text)  # "nope"; "breathing fine, talking fine"
    ):
        understood += check.store_answers(assessment, [Understood(screen_id, ["none"])])
    if asking and reading.skipped and asking not in assessment.answers and screen is None:
        assessment.answers[asking] = UNKNOWN
        understood.append({"question": asking, "value": UNKNOWN})
    if asking in assessment.answers:
        assessment.selection = None
    if raised:
        check.add_flags(assessment, raised)
        if safety.any_emergency(knowledge, raised):
            if screen is not None:  # the check ends: the screen's answer is what was raised
                understood += check.store_answers(assessment, [Understood(screen_id, list(raised))])
            return signs.emergency_result(turn, assessment, tuple(raised), understood)
        replies.append(signs.flag_reply(turn, tuple(raised), in_check=True))
    if unsure:
        turn.state.confirm = PendingConfirm(
            unsure[0], unsure[1:], held=understood, screen=screen, in_check=True
        )
        return [*replies, signs.confirm_reply(turn, unsure[0])]
    if raised:
        return check.continue_check(turn, assessment, replies, understood)
    if asking and asking not in assessment.answers:
        if not understood and not replies:
            return None  # not an answer: a request ("cancel", "thanks"), a question...
        return not_placed(turn, assessment, text, understood)
    if understood:
        ack = _acknowledge(turn, understood)
        if ack:
            replies.append(turn.reply(ack))
    replies.extend(check.next_step(turn, assessment))
    check.attach_answers(replies, understood)
    return replies


def not_placed(
    turn: Turn, assessment: CheckState, text: str, understood: list[dict[str, Any]]
) -> list[Reply]:
    """The question asked was not answered: asked again once (with its buttons and Skip),
    then the message is recorded sensibly and the check moves on (no stall)."""
    asking = assessment.asking
    assert asking is not None
    replies: list[Reply] = []
    misses.note(turn, asking, text)
    assessment.misses = assessment.misses + 1
    if assessment.misses < 2:  # asked again, once, with the buttons and Skip
        replies.append(check.ask(turn, assessment, asking, retry=True))
        check.attach_answers(replies, understood)
        return replies
    understood += _place_unplaced(turn, assessment, asking, text)
    replies.append(turn.reply(turn.say(_placed_message(assessment, asking))))
    replies.extend(check.next_step(turn, assessment))
    check.attach_answers(replies, understood)
    return replies


def _place_unplaced(
    turn: Turn, assessment: CheckState, asking: str, text: str
) -> list[dict[str, Any]]:
    """A list question that has `other` keeps the words as `other`; any other question
    is recorded as not known (as if skipped)."""
    question = turn.knowledge.questions[asking]
    if question.answer_kind == "list" and any(o.value == "other" for o in question.options):
        words = misses.miss_text(text)
        return check.store_answers(assessment, [Understood(asking, ["other"], {"words": [words]})])
    assessment.answers[asking] = UNKNOWN
    assessment.details.pop(asking, None)
    return [{"question": asking, "value": UNKNOWN}]


def _placed_message(assessment: CheckState, asking: str) -> str:
    placed = assessment.answers.get(asking)
    return "unplaced_other" if placed == ["other"] else "unplaced_skip"


def _acknowledge(turn: Turn, understood: list[dict[str, Any]]) -> str:
    """A short 'got it' when a message answered more than the question asked."""
    if len(understood) < 2:
        return ""
    messages = turn.knowledge.messages
    names = [messages.get(f"topic_{u['question']}", u["question"]) for u in understood]
    return turn.say("noted_several", topics=", ".join(names))


# --- buttons ----------------------------------------------------------------------------------
async def on_button(turn: Turn, pressed: Answer | Toggle | Done | Skip) -> list[Reply]:
    """An answer button of the question asked (any other question's: stale)."""
    assessment = turn.state.assessment
    if assessment is None or assessment.asking != pressed.question:
        return [turn.reply(turn.say("stale_button"))]
    question_id = pressed.question
    value = pressed.value if isinstance(pressed, Answer | Toggle) else ""
    question = turn.knowledge.questions[question_id]
    valid = {o.value for o in question.options}
    understood: list[dict[str, Any]] = []
    if isinstance(pressed, Toggle | Done) and question.answer_kind != "list":
        return [turn.reply(turn.say("stale_button"))]  # multi-select data, one-choice question
    if isinstance(pressed, Skip):
        assessment.answers[question_id] = UNKNOWN
        understood.append({"question": question_id, "value": UNKNOWN})
    elif isinstance(pressed, Toggle):
        if value not in valid:
            return [turn.reply(turn.say("stale_button"))]
        if any(o.value == value and o.exclusive for o in question.options):
            assessment.selection = None
            understood += check.store_answers(assessment, [Understood(question_id, [value])])
            return _after_button(turn, assessment, understood)
        if assessment.selection is None:
            assessment.selection = []
        selection = assessment.selection
        if value in selection:
            selection.remove(value)
        else:
            selection.append(value)
        return [check.ask(turn, assessment, question_id, edit=True)]
    elif isinstance(pressed, Done):
        selection, assessment.selection = assessment.selection or [], None
        if not selection:
            return [check.ask(turn, assessment, question_id, nothing_chosen=True)]
        understood += check.store_answers(assessment, [Understood(question_id, list(selection))])
    else:
        if value not in valid:
            return [turn.reply(turn.say("stale_button"))]
        answer: str | list[str] = [value] if question.answer_kind == "list" else value
        understood += check.store_answers(assessment, [Understood(question_id, answer)])
    return _after_button(turn, assessment, understood)


def _after_button(
    turn: Turn, assessment: CheckState, understood: list[dict[str, Any]]
) -> list[Reply]:
    knowledge = turn.knowledge
    screen_id = knowledge.safety.question
    chosen = [
        v for u in understood if u["question"] == screen_id for v in check.as_list(u["value"])
    ]
    raised = safety.ordered(knowledge, chosen)
    if raised:  # signs tapped on the screen are raised like signs typed
        if safety.is_crisis(raised):
            replies = signs.crisis(turn, raised)
            check.attach_answers(replies, understood)
            return replies
        check.add_flags(assessment, list(raised))
        if safety.any_emergency(knowledge, raised):
            return signs.emergency_result(turn, assessment, raised, understood)
        return check.continue_check(
            turn, assessment, [signs.flag_reply(turn, raised, in_check=True)], understood
        )
    replies = check.next_step(turn, assessment)
    check.attach_answers(replies, understood)
    return replies


async def on_redo(turn: Turn, pressed: Redo) -> list[Reply]:
    """`redo:<question>`: an answer carried into the check, asked again."""
    assessment = turn.state.assessment
    question_id = pressed.question
    if assessment is None or question_id not in turn.knowledge.questions:
        return [turn.reply(turn.say("stale_button"))]
    assessment.answers.pop(question_id, None)
    assessment.details.pop(question_id, None)
    assessment.asking = question_id
    assessment.misses = 0
    return [check.ask(turn, assessment, question_id)]


async def on_cause(turn: Turn, pressed: CauseDetail) -> list[Reply]:
    """`cause:help|why:<cause>` under the last result."""
    knowledge = turn.knowledge
    last = turn.state.last_result
    text = None
    if last is not None and pressed.cause in last.causes:
        assessed = compact.reassess(knowledge, last)
        text = compact.detail(knowledge, assessed, pressed.action, pressed.cause)
    return [turn.reply(text or turn.say("stale_button"))]
