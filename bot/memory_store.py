"""The in-memory store: the whole `dialogs.ports` protocol (Store, Transaction, Owed) in plain
Python, with the SQLite store's semantics, for tests and throw-away sessions.

- One transaction at a time (an asyncio.Lock, as the SQLite store's connection lock), so one
  user's messages are handled in order. Every write is journalled; an exception inside the
  block undoes them all (nothing half-done is kept).
- What SQLite keeps as JSON text is kept as JSON text here too, and instants as whole seconds:
  what a caller gets back is a fresh copy, and a value SQLite could not store fails the same way.
- The rows that name a user need the user (SQLite's foreign keys): else StoreError.
- Reminder claims, the outbox (`use_outbox`, `mark_sending`, `release_claims`), crowded minutes
  (`spread`) and owed messages behave as in `bot.sqlite_store`.

A restart is `MemoryStore(old.data)`: a new store (a new outbox owner, nothing planned) over
the same tables. `open_store("memory:")` opens an empty one.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.instants import from_seconds as _at
from bot.instants import from_seconds_or_none as _dt
from bot.instants import to_seconds as _ts
from bot.spread import Spread
from dialogs.ports import (
    AssessmentRecord,
    DiaryEntry,
    DueReminder,
    MissCount,
    NextDue,
    OwedMessage,
    ReminderRecord,
    StoreError,
    UserRecord,
)

_SENT_KEEP_SECONDS = 2 * 24 * 3600  # sent occurrences older than the window + this are dropped
_SENT_PRUNE_ROWS = 2000  # at most this many old rows dropped per claim (as SQLite)
_PLAN_SECONDS = 30  # the crowded-minute plan is reused this long


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- the rows (immutable: a write replaces a row, so the journal keeps the old one) ---------
@dataclass(frozen=True, slots=True)
class _User:
    timezone: str
    state: str  # JSON
    active: bool
    created_at: int
    updated_at: int


@dataclass(frozen=True, slots=True)
class _Assessment:
    user_id: int
    finished_at: int
    answers: str  # JSON
    causes: str  # JSON
    urgency: str
    red_flags: str  # JSON


@dataclass(frozen=True, slots=True)
class _Reminder:
    schedule: str  # JSON
    next_due: int | None
    created_at: int


@dataclass(frozen=True, slots=True)
class _Sent:
    claimed_at: int
    owner: str | None  # the process that claimed it, until it is handed to Telegram


@dataclass(frozen=True, slots=True)
class _Event:
    user_id: int
    kind: str
    at: int


@dataclass(frozen=True, slots=True)
class _Diary:
    level: str | None
    caffeine_mg: int | None
    sleep_hours: float | None
    stress: str | None
    exercise: str | None
    updated_at: int


@dataclass(frozen=True, slots=True)
class _Miss:
    user_id: int
    question: str
    text: str
    at: int


@dataclass(frozen=True, slots=True)
class _Owed:
    user_id: int
    payload: str  # JSON
    send_by: int


@dataclass
class MemoryData:
    """The tables: what a restart keeps. Keys as the SQLite tables' primary keys."""

    users: dict[int, _User] = field(default_factory=dict)
    assessments: dict[int, _Assessment] = field(default_factory=dict)  # by id
    reminders: dict[tuple[int, str], _Reminder] = field(default_factory=dict)
    sent: dict[tuple[int, str, int], _Sent] = field(default_factory=dict)  # (user, kind, due)
    events: dict[int, _Event] = field(default_factory=dict)  # by id
    diary: dict[tuple[int, str], _Diary] = field(default_factory=dict)  # (user, ISO day)
    misses: dict[int, _Miss] = field(default_factory=dict)  # by id
    owed: dict[int, _Owed] = field(default_factory=dict)  # by id
    last_id: int = 0  # ids are never reused (AUTOINCREMENT)

    def new_id(self) -> int:
        self.last_id += 1
        return self.last_id


_MISSING = object()


class _Journal:
    """The writes of one transaction, with what they replaced, so it can be undone."""

    def __init__(self) -> None:
        self._undo: list[tuple[dict[Any, Any], Any, Any]] = []

    def put(self, table: dict[Any, Any], key: Any, row: Any) -> None:
        self._undo.append((table, key, table.get(key, _MISSING)))
        table[key] = row

    def drop(self, table: dict[Any, Any], key: Any) -> bool:
        if key not in table:
            return False
        self._undo.append((table, key, table.pop(key)))
        return True

    def undo(self) -> None:
        for table, key, old in reversed(self._undo):
            if old is _MISSING:
                table.pop(key, None)
            else:
                table[key] = old
        self._undo.clear()


class MemoryTransaction:
    """The operations of `dialogs.ports.Transaction` on the tables of a `MemoryStore`."""

    def __init__(self, data: MemoryData, journal: _Journal, now: datetime) -> None:
        self._data = data
        self._journal = journal
        self._now = _ts(now)

    def _need_user(self, user_id: int) -> None:
        if user_id not in self._data.users:  # SQLite: a foreign key failure
            raise StoreError("database transaction failed: FOREIGN KEY constraint failed")

    async def get_user(self, user_id: int) -> UserRecord | None:
        row = self._data.users.get(user_id)
        if row is None:
            return None
        return UserRecord(
            user_id, row.timezone, json.loads(row.state), row.active, _at(row.created_at)
        )

    async def save_user(self, user: UserRecord) -> None:
        old = self._data.users.get(user.user_id)
        created = _ts(user.created_at) if user.created_at else self._now
        row = _User(
            user.timezone,
            _json(user.state),
            bool(user.active),
            old.created_at if old else created,
            self._now,
        )
        self._journal.put(self._data.users, user.user_id, row)

    async def delete_user(self, user_id: int) -> None:
        data = self._data
        for table in (data.assessments, data.events, data.misses, data.owed):
            for row_id in [i for i, row in table.items() if row.user_id == user_id]:
                self._journal.drop(table, row_id)
        for keyed in (data.reminders, data.sent, data.diary):
            for user_key in [k for k in keyed if k[0] == user_id]:
                self._journal.drop(keyed, user_key)
        self._journal.drop(data.users, user_id)

    async def add_assessment(self, user_id: int, record: AssessmentRecord) -> None:
        self._need_user(user_id)
        row = _Assessment(
            user_id,
            _ts(record.finished_at),
            json.dumps(record.answers, ensure_ascii=False),
            json.dumps(record.causes, ensure_ascii=False),
            record.urgency,
            json.dumps(record.red_flags),
        )
        self._journal.put(self._data.assessments, self._data.new_id(), row)

    async def list_assessments(self, user_id: int, limit: int) -> list[AssessmentRecord]:
        rows = sorted(
            ((i, r) for i, r in self._data.assessments.items() if r.user_id == user_id),
            key=lambda item: (item[1].finished_at, item[0]),
            reverse=True,
        )
        return [
            AssessmentRecord(
                finished_at=_at(r.finished_at),
                answers=json.loads(r.answers),
                causes=json.loads(r.causes),
                urgency=r.urgency,
                red_flags=json.loads(r.red_flags),
                id=i,
            )
            for i, r in rows[: max(limit, 0)]
        ]

    async def set_reminder(self, reminder: ReminderRecord) -> None:
        self._need_user(reminder.user_id)
        key = (reminder.user_id, reminder.kind)
        old = self._data.reminders.get(key)
        created = _ts(reminder.created_at) if reminder.created_at else self._now
        row = _Reminder(
            json.dumps(reminder.schedule),
            _ts(reminder.next_due) if reminder.next_due else None,
            old.created_at if old else created,
        )
        self._journal.put(self._data.reminders, key, row)

    async def remove_reminder(self, user_id: int, kind: str) -> bool:
        return self._journal.drop(self._data.reminders, (user_id, kind))

    async def list_reminders(self, user_id: int) -> list[ReminderRecord]:
        return [
            ReminderRecord(
                user_id, kind, json.loads(r.schedule), _dt(r.next_due), _at(r.created_at)
            )
            for (uid, kind), r in sorted(self._data.reminders.items())
            if uid == user_id
        ]

    async def log_event(self, user_id: int, kind: str, at: datetime) -> None:
        self._need_user(user_id)
        self._journal.put(self._data.events, self._data.new_id(), _Event(user_id, kind, _ts(at)))

    async def count_events(self, user_id: int, kind: str, since: datetime) -> int:
        start = _ts(since)
        return sum(
            1
            for e in self._data.events.values()
            if e.user_id == user_id and e.kind == kind and e.at >= start
        )

    async def save_diary(self, entry: DiaryEntry) -> None:
        self._need_user(entry.user_id)
        row = _Diary(
            entry.level,
            entry.caffeine_mg,
            entry.sleep_hours,
            entry.stress,
            entry.exercise,
            _ts(entry.updated_at) if entry.updated_at else self._now,
        )
        self._journal.put(self._data.diary, (entry.user_id, entry.day.isoformat()), row)

    async def list_diary(self, user_id: int, since: date) -> list[DiaryEntry]:
        start = since.isoformat()
        return [
            DiaryEntry(
                user_id,
                date.fromisoformat(day),
                r.level,
                r.caffeine_mg,
                r.sleep_hours,
                r.stress,
                r.exercise,
                _at(r.updated_at),
            )
            for (uid, day), r in sorted(self._data.diary.items())
            if uid == user_id and day >= start
        ]

    async def list_events(
        self, user_id: int, kinds: list[str], since: datetime
    ) -> list[tuple[str, datetime]]:
        start, wanted = _ts(since), set(kinds)
        rows = sorted(
            (e.at, i, e.kind)
            for i, e in self._data.events.items()
            if e.user_id == user_id and e.at >= start and e.kind in wanted
        )
        return [(kind, _at(at)) for at, _, kind in rows]

    async def add_miss(self, user_id: int, question: str, text: str, at: datetime) -> None:
        row = _Miss(user_id, question, text, _ts(at))
        self._journal.put(self._data.misses, self._data.new_id(), row)

    async def prune_misses(self, before: datetime) -> None:
        end = _ts(before)
        for key in [k for k, m in self._data.misses.items() if m.at < end]:
            self._journal.drop(self._data.misses, key)

    async def list_misses(self, since: datetime, limit: int) -> list[MissCount]:
        start = _ts(since)
        groups: dict[tuple[str, str], tuple[int, int]] = {}
        for m in self._data.misses.values():
            if m.at >= start:
                count, last = groups.get((m.question, m.text), (0, m.at))
                groups[(m.question, m.text)] = (count + 1, max(last, m.at))
        ranked = sorted(groups.items(), key=lambda item: (-item[1][0], -item[1][1]))
        return [MissCount(q, t, n, _at(last)) for (q, t), (n, last) in ranked[: max(limit, 0)]]


class MemoryStore:
    """`dialogs.ports.Store` (and `Owed`) in memory; `data` is what a restart keeps."""

    def __init__(self, data: MemoryData | None = None, spread: Spread | None = None) -> None:
        self.data = data if data is not None else MemoryData()
        self.spread = spread or Spread()  # crowded minutes (off unless a spread is set)
        self.skipped = 0  # reminders found older than the grace window (the bot was down)
        self._lock = asyncio.Lock()
        self._owner: str | None = None  # set by use_outbox()
        self._adopt_pending = False
        self._plan: tuple[int, list[tuple[int, int, int]]] | None = None
        self._closed = False

    @asynccontextmanager
    async def _atomic(self, operation: str) -> AsyncIterator[_Journal]:
        """One transaction: under the lock; every write undone if the block raises."""
        async with self._lock:
            if self._closed:
                raise StoreError(f"database {operation} failed: the store is closed")
            journal = _Journal()
            try:
                yield journal
            except BaseException:
                journal.undo()
                raise

    @asynccontextmanager
    async def transaction(self, now: datetime | None = None) -> AsyncIterator[MemoryTransaction]:
        async with self._atomic("transaction") as journal:
            yield MemoryTransaction(self.data, journal, now or datetime.now(UTC))

    # --- the outbox -----------------------------------------------------------------------
    def use_outbox(self) -> None:
        """As `SQLiteStore.use_outbox`: claims stay ours until `mark_sending`; the first
        claim adopts what an earlier run (an earlier store over this data) left owned."""
        if self._owner is None:
            self._owner = uuid.uuid4().hex
            self._adopt_pending = True

    async def mark_sending(self, claims: list[tuple[int, str, datetime]]) -> None:
        if self._owner is None or not claims:
            return
        async with self._atomic("mark_sending") as journal:
            self._set_owner(journal, claims, self._owner, None)

    async def release_claims(self, claims: list[tuple[int, str, datetime]]) -> None:
        """Claims handed over by `mark_sending` whose send met trouble: ours again."""
        if self._owner is None or not claims:
            return
        async with self._atomic("release_claims") as journal:
            self._set_owner(journal, claims, None, self._owner)

    def _set_owner(
        self,
        journal: _Journal,
        claims: list[tuple[int, str, datetime]],
        was: str | None,
        becomes: str | None,
    ) -> None:
        wanted = {(user_id, kind, _ts(at)) for user_id, kind, at in claims}
        for key, row in list(self.data.sent.items()):
            if row.owner == was and (key[0], key[1], row.claimed_at) in wanted:
                journal.put(self.data.sent, key, replace(row, owner=becomes))

    # --- what is owed to users (dialogs.ports.Owed) ---------------------------------------
    async def owe(
        self, user_id: int, payloads: list[dict[str, Any]], send_by: datetime
    ) -> list[int]:
        async with self._atomic("owe") as journal:
            ids = []
            for payload in payloads:
                row = _Owed(user_id, json.dumps(payload, ensure_ascii=False), _ts(send_by))
                ids.append(self.data.new_id())
                journal.put(self.data.owed, ids[-1], row)
            return ids

    async def paid(self, ids: list[int]) -> None:
        if not ids:
            return
        async with self._atomic("paid") as journal:
            for owed_id in ids:
                journal.drop(self.data.owed, owed_id)

    async def owed(self) -> list[OwedMessage]:
        async with self._atomic("owed"):
            return [
                OwedMessage(i, r.user_id, json.loads(r.payload), _at(r.send_by))
                for i, r in sorted(self.data.owed.items())
            ]

    async def try_lead(self) -> bool:
        """One process: it always dispatches the reminders."""
        return True

    async def ping(self) -> bool:
        return not self._closed

    async def close(self) -> None:
        self._closed = True

    # --- claiming -------------------------------------------------------------------------
    async def claim_due(
        self, now: datetime, grace_seconds: float, next_due: NextDue, limit: int = 1000
    ) -> list[DueReminder]:
        """As `SQLiteStore.claim_due`: the occurrences due within the grace window before
        `now` (its edge included), oldest first, each once (across restarts too); older ones
        skipped; schedules advanced; with a `Spread`, a crowded minute's early window too."""
        now_s = _ts(now)
        oldest = now.timestamp() - grace_seconds
        window_start = datetime.fromtimestamp(oldest, UTC) - timedelta(seconds=1)
        first = self.spread.first_kinds
        async with self._atomic("claim_due") as journal:
            minutes = self._open_minutes(now_s, grace_seconds)
            rows = sorted(
                (
                    (r.next_due, kind not in first, user_id, kind, r)
                    for (user_id, kind), r in self.data.reminders.items()
                    if r.next_due is not None
                    and self._active(user_id)
                    and (r.next_due <= now_s or _in_open_minute(kind, r.next_due, minutes, first))
                ),
                key=lambda row: row[:4],
            )[: max(limit, 0)]
            candidates: list[tuple[int, str, int, str]] = []
            for _, _, user_id, kind, row in rows:
                record = ReminderRecord(
                    user_id,
                    kind,
                    json.loads(row.schedule),
                    _dt(row.next_due),
                    _at(row.created_at),
                )
                due = record.next_due
                if due is not None and due.timestamp() < oldest:  # the bot was down
                    self.skipped += 1
                    due = next_due(record, window_start)
                while due is not None and (
                    due <= now or self.spread.may_send_early(kind, due.timestamp(), minutes)
                ):
                    if due.timestamp() >= oldest:
                        candidates.append(
                            (user_id, kind, _ts(due), self.data.users[user_id].timezone)
                        )
                    due = next_due(record, due)
                advanced = replace(row, next_due=_ts(due) if due else None)
                journal.put(self.data.reminders, (user_id, kind), advanced)
            fresh = self._record_sent(journal, candidates, now_s)
            if self._adopt_pending:
                adopted = self._adopt_orphans(journal, now_s, oldest)
                candidates += adopted
                fresh.update((u, k, d) for u, k, d, _ in adopted)
                self._adopt_pending = False
            self._prune_sent(journal, int(oldest) - _SENT_KEEP_SECONDS)
        claimed = [
            DueReminder(user_id, kind, _at(due_s), tz)
            for user_id, kind, due_s, tz in candidates
            if (user_id, kind, due_s) in fresh
        ]
        claimed.sort(key=lambda d: (d.due, d.kind not in first, d.user_id))
        return claimed

    def _active(self, user_id: int) -> bool:
        user = self.data.users.get(user_id)
        return user is not None and user.active

    def _open_minutes(self, now_s: int, grace_seconds: float) -> dict[int, bool]:
        """The crowded minutes within the spread horizon whose early window has begun (the
        plan is reused for a few seconds, as the SQLite store does)."""
        if not self.spread.active:
            return {}
        plan = self._plan
        if plan is None or not 0 <= now_s - plan[0] < _PLAN_SECONDS:
            horizon = now_s + int(self.spread.seconds)
            pending = [
                (r.next_due, kind)
                for (user_id, kind), r in self.data.reminders.items()
                if r.next_due is not None and now_s < r.next_due <= horizon
                if self._active(user_id)
            ]
            pending += [
                (due, kind) for (_, kind, due) in self.data.sent if now_s - 60 < due <= horizon
            ]
            counts: dict[int, tuple[int, int]] = {}
            for due, kind in pending:
                minute = due // 60 * 60
                n, f = counts.get(minute, (0, 0))
                counts[minute] = (n + 1, f + (kind in self.spread.first_kinds))
            crowded = [(m, n, f) for m, (n, f) in counts.items() if n > self.spread.capacity]
            plan = (now_s, crowded)
            self._plan = plan
        return self.spread.open_minutes(plan[1], now_s, grace_seconds)

    def _record_sent(
        self, journal: _Journal, candidates: list[tuple[int, str, int, str]], now_s: int
    ) -> set[tuple[int, str, int]]:
        """Record the occurrences as sent; return those not recorded before."""
        fresh: set[tuple[int, str, int]] = set()
        for user_id, kind, due_s, _ in candidates:
            key = (user_id, kind, due_s)
            if key not in self.data.sent:
                journal.put(self.data.sent, key, _Sent(now_s, self._owner))
                fresh.add(key)
        return fresh

    def _adopt_orphans(
        self, journal: _Journal, now_s: int, oldest: float
    ) -> list[tuple[int, str, int, str]]:
        """Occurrences an earlier run claimed and never handed over, still inside the
        window: ours now (claimed again at `now_s`)."""
        adopted = []
        for (user_id, kind, due_s), row in list(self.data.sent.items()):
            if (
                row.owner is not None
                and row.owner != self._owner
                and due_s >= oldest
                and self._active(user_id)
            ):
                journal.put(self.data.sent, (user_id, kind, due_s), _Sent(now_s, self._owner))
                adopted.append((user_id, kind, due_s, self.data.users[user_id].timezone))
        return adopted

    def _prune_sent(self, journal: _Journal, before: int) -> None:
        old = [key for key in self.data.sent if key[2] < before][:_SENT_PRUNE_ROWS]
        for key in old:
            journal.drop(self.data.sent, key)


def _in_open_minute(
    kind: str, due_s: int, minutes: dict[int, bool], first: tuple[str, ...]
) -> bool:
    """Whether an occurrence due at `due_s` falls in an open crowded minute (a minute not yet
    open to every kind leaves out the first kinds)."""
    return any(
        minute <= due_s < minute + 60 and (all_kinds or kind not in first)
        for minute, all_kinds in minutes.items()
    )
