"""The follow-up check-in's answers: Gone / Better / Same / Worse by button
(`fu:<value>:<due>`, `fu:off`) or in words while it is open; "worse" starts a short check.
Planning and wording are dialogs/followup.py."""

from __future__ import annotations

from dialogs import followup, safety
from dialogs.callbacks import FollowUpAnswer, FollowUpOff
from dialogs.features import check, signs
from dialogs.turn import Turn
from dialogs.types import Reply


async def on_button(turn: Turn, pressed: FollowUpAnswer) -> list[Reply]:
    """A check-in's button: only the open check-in's (its due instant matches)."""
    if not followup.stamp_matches(turn, pressed.stamp):
        return [turn.reply(turn.say("stale_button"))]
    return await answer(turn, pressed.value, "")


async def on_off(turn: Turn, pressed: FollowUpOff) -> list[Reply]:
    return await followup.turn_off(turn)


async def on_free_text(turn: Turn, text: str) -> list[Reply] | None:
    """Outside a check, while a check-in is open: its answer in words; None: not one."""
    if not followup.is_open(turn):
        return None
    value = followup.read(turn.knowledge, text)
    return None if value is None else await answer(turn, value, text)


async def answer(turn: Turn, value: str, text: str) -> list[Reply]:
    knowledge = turn.knowledge
    if value not in {v for v, _ in knowledge.diary.follow_up.answers}:
        return [turn.reply(turn.say("stale_button"))]
    flags = safety.read(knowledge, text).raised if text else ()
    replies = [signs.flag_reply(turn, flags, in_check=False)] if flags else []
    outcome = await followup.answer(turn, value, list(flags), text)
    if safety.any_emergency(knowledge, flags):
        return replies  # the emergency message alone
    replies += outcome.replies
    if outcome.assessment is not None:
        turn.state.assessment = outcome.assessment
        replies += check.next_step(turn, outcome.assessment)
    return replies
