"""What the engine needs from the outside world: the store interface.

The engine depends on these protocols only; `bot/sqlite_store.py` implements them on SQLite
(aiosqlite), `bot/postgres_store.py` on PostgreSQL and `bot/memory_store.py` in memory (tests).
Every handled message runs in one transaction: what the user said and the new state commit
together before the reply leaves.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol


class StoreError(RuntimeError):
    """The store cannot do its job right now (database locked too long, read-only, disk
    full...). The message says why; it never carries what a user wrote."""


@dataclass(slots=True)
class UserRecord:
    user_id: int
    timezone: str = "UTC"  # IANA name or a fixed offset such as "+05:30"
    state: dict[str, Any] = field(default_factory=dict)  # the dialog in progress (JSON)
    active: bool = True  # False once the user has blocked the bot
    created_at: datetime | None = None


@dataclass(slots=True)
class AssessmentRecord:
    """A finished assessment, for /history."""

    finished_at: datetime
    answers: dict[str, Any]
    causes: list[dict[str, Any]]
    urgency: str
    red_flags: list[str] = field(default_factory=list)
    id: int | None = None


@dataclass(slots=True)
class ReminderRecord:
    """One reminder kind of one user: its schedule and the next instant it is due (UTC)."""

    user_id: int
    kind: str  # "water" | "sleep"
    schedule: dict[str, Any]  # JSON form of the schedule (see dialogs/reminders.py)
    next_due: datetime | None  # aware UTC; None when nothing more is due
    created_at: datetime | None = None


@dataclass(slots=True)
class DueReminder:
    """An occurrence claimed for sending by `Store.claim_due`."""

    user_id: int
    kind: str
    due: datetime  # the occurrence's instant (UTC)
    timezone: str


@dataclass(slots=True)
class DiaryEntry:
    """One day of the twitch diary (the user's local date). None: not said that day."""

    user_id: int
    day: date
    level: str | None = None  # "none" | "mild" | "strong"
    caffeine_mg: int | None = None
    sleep_hours: float | None = None
    stress: str | None = None  # a `stress` question value
    exercise: str | None = None  # an `exercise` question value
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MissCount:
    """A message the bot could not place, with how often it came (dialogs/misses.py)."""

    question: str  # the question it was meant to answer, or "faq" for a free question
    text: str  # normalised: lower case, single spaces
    count: int
    last: datetime


class Transaction(Protocol):
    """The store's operations, all inside one transaction."""

    async def get_user(self, user_id: int) -> UserRecord | None: ...
    async def save_user(self, user: UserRecord) -> None: ...
    async def delete_user(self, user_id: int) -> None: ...
    async def add_assessment(self, user_id: int, record: AssessmentRecord) -> None: ...
    async def list_assessments(self, user_id: int, limit: int) -> list[AssessmentRecord]: ...
    async def set_reminder(self, reminder: ReminderRecord) -> None: ...
    async def remove_reminder(self, user_id: int, kind: str) -> bool: ...
    async def list_reminders(self, user_id: int) -> list[ReminderRecord]: ...
    async def log_event(self, user_id: int, kind: str, at: datetime) -> None: ...
    async def count_events(self, user_id: int, kind: str, since: datetime) -> int: ...
    # The twitch diary (dialogs/diary.py): one row per user and local day.
    async def save_diary(self, entry: DiaryEntry) -> None: ...
    async def list_diary(self, user_id: int, since: date) -> list[DiaryEntry]: ...
    async def list_events(
        self, user_id: int, kinds: list[str], since: datetime
    ) -> list[tuple[str, datetime]]: ...
    # Messages the bot could not place (dialogs/misses.py): kept for a limited time, erased
    # with the user (delete_user), listed most common first for whoever improves the wording.
    async def add_miss(self, user_id: int, question: str, text: str, at: datetime) -> None: ...
    async def prune_misses(self, before: datetime) -> None: ...
    async def list_misses(self, since: datetime, limit: int) -> list[MissCount]: ...


# Given a reminder and the instant just handled, the next instant it is due (or None).
NextDue = Callable[[ReminderRecord, datetime], "datetime | None"]


class Store(Protocol):
    def transaction(
        self, now: datetime | None = None
    ) -> AbstractAsyncContextManager[Transaction]: ...

    async def claim_due(
        self, now: datetime, grace_seconds: float, next_due: NextDue, limit: int = 1000
    ) -> list[DueReminder]: ...

    # The outbox (used by the reminder dispatcher): claims stay owned by this process until
    # mark_sending((user_id, kind, claimed at)) hands them over; a restart adopts the rest.
    def use_outbox(self) -> None: ...
    async def mark_sending(self, claims: list[tuple[int, str, datetime]]) -> None: ...

    async def close(self) -> None: ...


@dataclass(slots=True)
class OwedMessage:
    """A message owed to a user: its first send met trouble (the Bot API unreachable or
    failing), so it waits in the store until it is sent or its time is up."""

    id: int
    user_id: int
    payload: dict[str, Any]  # what the transport needs to send it again (JSON)
    send_by: datetime  # after this it is not sent; the user is told a message was lost


class Owed(Protocol):
    """Optional, beside `Store` (both stores have it): what is owed to users survives a
    restart. `owe` records messages whose send met trouble; `paid` forgets them once sent
    or given up; `owed` lists what a previous run left, oldest first. `release_claims`
    gives claimed reminders whose send met trouble back to this process (they were handed
    over by `mark_sending`), so a restart adopts them if still inside the window."""

    async def owe(
        self, user_id: int, payloads: list[dict[str, Any]], send_by: datetime
    ) -> list[int]: ...
    async def paid(self, ids: list[int]) -> None: ...
    async def owed(self) -> list[OwedMessage]: ...
    async def release_claims(self, claims: list[tuple[int, str, datetime]]) -> None: ...
