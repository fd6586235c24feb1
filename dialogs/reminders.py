"""Reminder rules: time zones, schedules, /remind, /reminders. STUB: being built."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dialogs.knowledge import Node
from dialogs.ports import ReminderRecord


def parse_reminders(node: Node, sections: dict[str, Any]) -> Any:
    return node.value


def next_due(reminder: ReminderRecord, after: datetime) -> datetime | None:
    """The first occurrence of `reminder` strictly after `after` (aware UTC), or None."""
    return None


async def handle_command(turn: Any, command: str, args: str) -> list[Any]:
    """/timezone, /remind, /reminders for `turn` (see dialogs.engine.Turn)."""
    return [turn.reply("Reminders are coming soon.")]


async def handle_callback(turn: Any, data: str) -> list[Any]:
    """A pressed reminder button (data starting with "rem:")."""
    return [turn.reply("Reminders are coming soon.")]


def offer_for(turn: Any, cause_ids: list[str]) -> list[Any]:
    """After a result: offer the matching reminder (water, sleep) with one tap, if useful."""
    return []


def render_due(knowledge: Any, due: Any, now: datetime) -> Any:
    """The message of a fired reminder (a `Reply` with `reminder` set)."""
    raise NotImplementedError


async def handle_reply(turn: Any, awaiting: str, text: str) -> list[Any] | None:
    """A typed answer to a reminder prompt (state "awaiting" = "reminder:..."); None: not one."""
    return None


def zone_of(name: str) -> Any:
    """A tzinfo for a stored time zone ("Europe/Berlin" or "+05:30"); UTC when unknown."""
    from datetime import UTC

    return UTC
