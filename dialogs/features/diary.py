"""The twitch diary as the engine sees it: /log (and the reply its prompt waits for), the
`log:<level>` buttons, the answer to the daily prompt, /stats and /report. A warning sign
named in a diary message is answered first. The diary itself is dialogs/diary.py."""

from __future__ import annotations

from dialogs import diary, safety
from dialogs.callbacks import LogLevel
from dialogs.features import check, signs
from dialogs.turn import Turn
from dialogs.types import Reply


async def log(turn: Turn, args: str) -> list[Reply]:
    """/log [how it was today]"""
    logged = signs.flags_first(turn, args, await diary.log(turn, args))
    waiting = turn.state.awaiting == diary.AWAIT_LOG
    return logged if waiting else logged + check.resume(turn)


async def stats(turn: Turn, args: str) -> list[Reply]:
    """/stats"""
    return await diary.stats(turn) + check.resume(turn)


async def report(turn: Turn, args: str) -> list[Reply]:
    """/report"""
    return await diary.report(turn) + check.resume(turn)


async def on_prompt(
    turn: Turn, awaiting: str, text: str, flags: safety.FlagReading
) -> list[Reply] | None:
    """The reply to a bare /log."""
    return signs.flags_first(turn, text, await diary.log(turn, text))


async def on_level(turn: Turn, pressed: LogLevel) -> list[Reply]:
    return await diary.log_level(turn, pressed.level)


async def on_free_text(turn: Turn, text: str) -> list[Reply] | None:
    """Outside a check: the answer to today's diary prompt, if the message is one."""
    logged = await diary.prompt_answer(turn, text)
    return None if logged is None else signs.flags_first(turn, text, logged)
