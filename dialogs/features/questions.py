"""Questions: `/ask`, the reply to its prompt, and free text outside a check that is no
request. The signs a question describes come first (all of them), then the FAQ answer."""

from __future__ import annotations

from dialogs import safety
from dialogs.features import check, signs
from dialogs.features import faq as faq_replies
from dialogs.state import PendingConfirm
from dialogs.turn import Turn
from dialogs.types import Reply

AWAIT_QUESTION = "question"  # state "awaiting" after a bare /ask


async def command(turn: Turn, args: str) -> list[Reply]:
    """/ask [question]"""
    if not args:
        turn.state.awaiting = AWAIT_QUESTION
        return [turn.reply(turn.say("ask_prompt"))]
    return answer(turn, args)


async def on_prompt(
    turn: Turn, awaiting: str, text: str, flags: safety.FlagReading
) -> list[Reply] | None:
    """The question typed after a bare /ask."""
    return answer(turn, text, flags)


def answer(
    turn: Turn,
    question: str,
    flags: safety.FlagReading | None = None,
    ask: bool = True,
) -> list[Reply]:
    """A question (`/ask`, or free text outside a check when `ask` is False): the signs it
    describes first (all of them), then the FAQ answer (for free text, only when no sign
    was raised); a sign the bot is unsure of is asked back after an explicit question's
    answer, or before free text's (whose answer then waits for the yes or no). During a
    check the signs count for it, and the check resumes."""
    knowledge = turn.knowledge
    if flags is None:
        flags = safety.read(knowledge, question)
    if safety.is_crisis(flags.raised):
        return signs.crisis(turn, flags.raised)
    assessment = turn.state.assessment
    replies: list[Reply] = []
    raised = flags.raised
    if raised:
        if assessment is not None:
            check.add_flags(assessment, list(raised))
            if safety.any_emergency(knowledge, raised):
                return signs.emergency_result(turn, assessment, raised, [])
        replies.append(signs.flag_reply(turn, raised, in_check=assessment is not None))
    unsure = [f for f in flags.unsure if not assessment or f not in assessment.red_flags]
    if ask:  # an explicit question is answered first; a sign unsure of is asked after it
        replies.append(faq_replies.answer(turn, question))
    if unsure:
        turn.state.confirm = PendingConfirm(
            unsure[0],
            unsure[1:],
            in_check=assessment is not None,
            faq=None if ask else question,
            ask=ask,
        )
        return [*replies, signs.confirm_reply(turn, unsure[0])]
    if not ask and not raised:
        replies.append(faq_replies.answer(turn, question))
    return replies + check.resume(turn)
