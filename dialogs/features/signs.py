"""Warning signs in the dialog: when they are answered (dialogs/safety.py says what, and
dialogs/red_flags.py reads them). A crisis in any state; an emergency sign ends the check
with a result; other signs are acknowledged and the check goes on; a sign the bot is unsure
of is asked back (`state.confirm`) and the next message or a `cfm:` button answers it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dialogs import faq, safety, scoring
from dialogs.callbacks import ConfirmSign
from dialogs.features import check
from dialogs.features import faq as faq_replies
from dialogs.nlu import Understood
from dialogs.ports import AssessmentRecord
from dialogs.state import CheckState, LastResult, PendingConfirm
from dialogs.turn import Turn
from dialogs.types import Reply


def flag_reply(turn: Turn, flags: tuple[str, ...], in_check: bool) -> Reply:
    knowledge = turn.knowledge
    text = safety.flag_text(knowledge, flags, in_check, turn.user.timezone)
    return turn.reply(text, **safety.flag_fields(knowledge, flags))


def confirm_reply(turn: Turn, flag: str, retry: bool = False) -> Reply:
    knowledge = turn.knowledge
    text = safety.confirm_text(knowledge, flag)
    if retry:
        text = knowledge.safety.say("confirm_retry") + "\n\n" + text
    buttons = safety.confirm_buttons(knowledge, flag)
    return turn.reply(text, buttons=buttons, confirm=flag)


def flags_first(turn: Turn, text: str, replies: list[Reply]) -> list[Reply]:
    """A warning sign named in a diary message is answered first, as anywhere."""
    flags = safety.read(turn.knowledge, text).raised if text.strip() else ()
    return ([flag_reply(turn, flags, in_check=False)] if flags else []) + replies


def emergency_result(
    turn: Turn,
    assessment: CheckState,
    flags: tuple[str, ...],
    understood: list[dict[str, Any]],
) -> list[Reply]:
    """An emergency sign ends the check: this message is its result, what to do first."""
    text = safety.flag_text(turn.knowledge, flags, True, turn.user.timezone)
    return [end_check(turn, assessment, text, flags, understood)]


def end_check(
    turn: Turn,
    assessment: CheckState,
    text: str,
    flags: tuple[str, ...],
    understood: list[dict[str, Any]],
) -> Reply:
    knowledge = turn.knowledge
    answers = assessment.answers
    result = scoring.assess(knowledge, answers, assessment.details, assessment.red_flags)
    causes: list[dict[str, Any]] = [{"id": c.id, "score": round(c.score, 2)} for c in result.causes]
    turn.state.assessment = None
    turn.state.confirm = None
    fields = safety.flag_fields(knowledge, flags)
    reply = turn.reply(text, causes=causes, answers=list(understood), **fields)
    urgency = fields["urgency"]
    record = AssessmentRecord(turn.now, dict(answers), causes, urgency, list(assessment.red_flags))
    turn.state.last_result = LastResult([c.id for c in result.causes], urgency)
    turn.finished.append(record)
    return reply


def crisis(turn: Turn, flags: tuple[str, ...]) -> list[Reply]:
    """Thoughts of suicide or self-harm, in any state: kindness and crisis help first."""
    knowledge = turn.knowledge
    turn.state.awaiting = None
    turn.state.confirm = None
    assessment = turn.state.assessment
    text = safety.crisis_text(knowledge, turn.user.timezone, assessment is not None)
    if assessment is not None:
        check.add_flags(assessment, list(flags))
        understood: list[dict[str, Any]] = []
        screen_id = knowledge.safety.question
        if assessment.asking == screen_id and screen_id not in assessment.answers:
            understood = check.store_answers(assessment, [Understood(screen_id, list(flags))])
        return [end_check(turn, assessment, text, flags, understood)]
    return [turn.reply(text, **safety.flag_fields(knowledge, flags))]


async def on_button(turn: Turn, pressed: ConfirmSign) -> list[Reply]:
    """`cfm:<flag>:yes|no`: the answer to the sign asked back (only the one pending)."""
    pending = turn.state.confirm
    if pending is None or pending.flag != pressed.flag:
        return [turn.reply(turn.say("stale_button"))]
    return on_confirm(turn, pending, pressed.yes, None, None)


def on_confirm(
    turn: Turn,
    pending: PendingConfirm,
    answer: bool | None,
    text: str | None,
    flags: safety.FlagReading | None,
) -> list[Reply]:
    """The user's answer to a sign asked back: yes raises it, no goes on as if it had
    not been named; the answers held back come with this reply."""
    knowledge = turn.knowledge
    flag = pending.flag
    if text is not None:
        answer = safety.yes_or_no(knowledge, text)
        if answer is None and not pending.retried:
            pending.retried = True
            return [confirm_reply(turn, flag, retry=True)]
    turn.state.confirm = None
    assessment = turn.state.assessment if pending.in_check else None
    named = [flag] if answer else []
    named += list(flags.raised) if flags is not None else []
    raised = safety.ordered(knowledge, named)
    held: list[dict[str, Any]] = list(pending.held)
    screen = pending.screen
    if screen is not None and answer:
        screen = [*screen, flag]
    replies: list[Reply] = []
    if raised:
        if assessment is not None:
            check.add_flags(assessment, list(raised))
            if safety.any_emergency(knowledge, raised):
                if screen is not None:
                    value = list(safety.ordered(knowledge, screen)) or ["none"]
                    held += check.store_answers(
                        assessment, [Understood(knowledge.safety.question, value)]
                    )
                return emergency_result(turn, assessment, raised, held)
        replies.append(flag_reply(turn, raised, in_check=assessment is not None))
    queue = [f for f in pending.queue if f not in raised]
    if assessment is not None:
        queue = [f for f in queue if f not in assessment.red_flags]
    if queue:
        turn.state.confirm = replace(
            pending, flag=queue[0], queue=queue[1:], screen=screen, held=held, retried=False
        )
        return [*replies, confirm_reply(turn, queue[0])]
    question = pending.faq
    if question and (pending.ask or not raised):
        replies.append(faq_replies.reply(turn, faq.answer(knowledge, question)))
    if assessment is not None:
        if screen is not None:
            value = list(safety.ordered(knowledge, screen)) or ["none"]
            held += check.store_answers(assessment, [Understood(knowledge.safety.question, value)])
        return check.continue_check(turn, assessment, replies, held)
    if not replies:
        replies.append(turn.reply(knowledge.safety.say("confirm_no_outside")))
    check.attach_answers(replies, held)
    return replies
