"""Crowded minutes: when a minute holds more reminder occurrences than the bot may send in it.

With 100,000 users at 09:00 and 25 messages a second, sending can only start at 09:00 and the
grace window (15 minutes) holds 22,500 of them: the rest would be skipped. `Spread` lets such a
minute start sending early (never more than `seconds` before it), so that about half goes out
before the minute and half after, or as much early as needed for the tail to stay inside the
grace window. Only a crowded minute is ever sent early (the contract); within one instant the
`first_kinds` (sleep reminders) go first, so they are early rather than late. Both stores use
this to decide which future minutes are open for claiming at a given instant.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Spread:
    seconds: float = 0.0  # BOT_REMINDER_SPREAD_MINUTES * 60; 0: nothing is ever sent early
    rate: float = 25.0  # reminders a second the bot may send (all instances together)
    first_kinds: tuple[str, ...] = ("sleep",)  # sent first among occurrences due together

    @property
    def active(self) -> bool:
        return self.seconds > 0

    @property
    def capacity(self) -> int:
        """Occurrences the bot may send in one minute: more makes a minute crowded."""
        return int(self.rate * 60)

    def lead(self, count: int, grace_seconds: float) -> float:
        """How many seconds before its start a minute of `count` occurrences may begin."""
        if not self.active or count <= self.capacity:
            return 0.0
        needed = count / self.rate
        return min(self.seconds, max(needed / 2, needed - grace_seconds))

    def open_minutes(
        self, crowded: list[tuple[int, int]], now_s: float, grace_seconds: float
    ) -> list[int]:
        """Of the crowded minutes [(start in epoch seconds, occurrences)], those whose early
        window has begun at `now_s`."""
        return sorted(
            minute
            for minute, count in crowded
            if minute > now_s - 60 and now_s >= minute - self.lead(count, grace_seconds)
        )


def in_minutes(moment_s: float, minutes: list[int]) -> bool:
    """Whether the instant falls inside one of the minutes (given by their starts)."""
    start = int(moment_s // 60) * 60
    return start in minutes
