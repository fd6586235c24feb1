"""Reminders and time zones as the engine sees them: /timezone, /remind, /reminders (the
follow-up check-in's `/remind followup` included), the `rem:` buttons, the replies their
prompts wait for, a zone offered for a place said in passing (`conv:zone:`), and the
messages of reminders that fall due. The dialog itself is dialogs/reminders.py."""

from __future__ import annotations

from datetime import datetime

from dialogs import conversation, diary, followup, reminders, safety
from dialogs.callbacks import ZoneNo, ZoneYes
from dialogs.features import check
from dialogs.knowledge import Knowledge
from dialogs.ports import DueReminder, ReminderRecord
from dialogs.turn import Turn
from dialogs.types import Reply

AWAIT_PREFIX = "reminder:"  # state "awaiting" of reminder prompts (dialogs/reminders.py)


async def timezone(turn: Turn, args: str) -> list[Reply]:
    """/timezone [zone or local time]"""
    return await reminders.handle_command(turn, "timezone", args)


async def remind(turn: Turn, args: str) -> list[Reply]:
    """/remind <kind> <times|off>; `/remind followup off|on` is the check-in's."""
    if followup.names_kind(turn.knowledge, args):
        return await followup.remind(turn, args)
    return await reminders.handle_command(turn, "remind", args)


async def listing(turn: Turn, args: str) -> list[Reply]:
    """/reminders, with the planned check-in."""
    replies = await reminders.handle_command(turn, "reminders", args)
    followup.annotate_listing(turn, replies)
    return replies


async def on_button(turn: Turn, pressed: reminders.ReminderButton) -> list[Reply]:
    return await reminders.handle_callback(turn, pressed)


async def on_prompt(
    turn: Turn, awaiting: str, text: str, flags: safety.FlagReading
) -> list[Reply] | None:
    """A typed answer to a reminder prompt; None: it is not one."""
    return await reminders.handle_reply(turn, awaiting, text)


async def on_zone_prompt(
    turn: Turn, awaiting: str, text: str, flags: safety.FlagReading
) -> list[Reply] | None:
    """The typed answer to a zone offered for a place said in passing; None: not one."""
    zone = awaiting.removeprefix(conversation.AWAIT_ZONE)
    answered = await conversation.answer_zone(turn, zone, text)
    return None if answered is None else answered + check.resume(turn)


async def on_zone_button(turn: Turn, pressed: ZoneYes | ZoneNo) -> list[Reply]:
    return await conversation.on_callback(turn, pressed) + check.resume(turn)


def render_due(knowledge: Knowledge, item: DueReminder, now: datetime) -> Reply:
    """The message of a reminder that fell due (a check-in, the diary prompt, water...)."""
    if item.kind == followup.KIND:
        return followup.render_due(knowledge, item)
    if item.kind == diary.PROMPT_KIND:
        return diary.render_prompt(knowledge, item)
    return reminders.render_due(knowledge, item, now)


def next_due(reminder: ReminderRecord, after: datetime) -> datetime | None:
    """The next instant a reminder row is due after `after` (the store's `claim_due` asks)."""
    return reminders.next_due(reminder, after)
