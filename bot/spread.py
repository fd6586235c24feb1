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

    def first_lead(self, first_count: int) -> float:
        """How many seconds before its start a crowded minute's `first_kinds` occurrences
        (sleep) may begin: just enough to send them all by the minute, plus one."""
        return first_count / self.rate + 60.0

    def open_minutes(
        self, crowded: list[tuple[int, int, int]], now_s: float, grace_seconds: float
    ) -> dict[int, bool]:
        """Of the crowded minutes [(start in epoch seconds, occurrences, of them first
        kinds)], those whose early window has begun at `now_s`, each with whether its
        first kinds (sleep) may go too: they wait until shortly before the minute, so they
        are neither an hour early nor late."""
        opened: dict[int, bool] = {}
        for minute, count, first in crowded:
            if minute <= now_s - 60 or now_s < minute - self.lead(count, grace_seconds):
                continue
            opened[minute] = now_s >= minute - self.first_lead(first)
        return opened

    def may_send_early(self, kind: str, due_s: float, opened: dict[int, bool]) -> bool:
        """Whether an occurrence due at `due_s` may be claimed now, before its time."""
        minute = int(due_s // 60) * 60
        if minute not in opened:
            return False
        return opened[minute] or kind not in self.first_kinds
