"""The SQLite store (aiosqlite): users, the dialog in progress, history, reminders.

One connection per process, WAL journal, schema versioned with `PRAGMA user_version` and
applied from the ordered `MIGRATIONS` of `bot.sqlite_migrations`. Every transaction holds the
connection's lock, so the statements of one handled message commit together (or not at all).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite

from bot.instants import from_seconds as _at
from bot.instants import from_seconds_or_none as _dt
from bot.instants import to_seconds as _ts
from bot.spread import Spread
from bot.sqlite_migrations import MIGRATIONS, SCHEMA_VERSION
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

log = logging.getLogger(__name__)

BEGIN_RETRIES = 4
_SENT_CHUNK = 500  # rows per INSERT into reminders_sent (5 parameters each)
_SENT_KEEP_SECONDS = 2 * 24 * 3600  # sent occurrences older than the window + this are dropped
_SENT_PRUNE_ROWS = 2000  # at most this many old rows dropped per claim (short transactions)


class SQLiteTransaction:
    """The operations of `dialogs.ports.Transaction` on an open aiosqlite connection."""

    def __init__(self, db: aiosqlite.Connection, now: datetime) -> None:
        self._db = db
        self._now = _ts(now)
        self.erased = False  # a user was deleted: checkpoint the WAL after the commit

    async def get_user(self, user_id: int) -> UserRecord | None:
        row = next(
            iter(
                await self._db.execute_fetchall(
                    "SELECT timezone, state, active, created_at FROM users WHERE user_id = ?",
                    (user_id,),
                )
            ),
            None,
        )
        if row is None:
            return None
        return UserRecord(user_id, row[0], json.loads(row[1]), bool(row[2]), _dt(row[3]))

    async def save_user(self, user: UserRecord) -> None:
        await self._db.execute(
            """INSERT INTO users (user_id, timezone, state, active, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT(user_id) DO UPDATE SET timezone = excluded.timezone,
                 state = excluded.state, active = excluded.active,
                 updated_at = excluded.updated_at""",
            (
                user.user_id,
                user.timezone,
                json.dumps(user.state, ensure_ascii=False, separators=(",", ":")),
                int(user.active),
                _ts(user.created_at) if user.created_at else self._now,
                self._now,
            ),
        )

    async def delete_user(self, user_id: int) -> None:
        for table in (
            "reminders_sent", "reminders", "events", "diary", "misses", "assessments", "owed",
            "users",
        ):  # fmt: skip
            await self._db.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
        self.erased = True

    async def add_assessment(self, user_id: int, record: AssessmentRecord) -> None:
        await self._db.execute(
            """INSERT INTO assessments (user_id, finished_at, answers, causes, urgency, red_flags)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (
                user_id,
                _ts(record.finished_at),
                json.dumps(record.answers, ensure_ascii=False),
                json.dumps(record.causes, ensure_ascii=False),
                record.urgency,
                json.dumps(record.red_flags),
            ),
        )

    async def list_assessments(self, user_id: int, limit: int) -> list[AssessmentRecord]:
        rows = await self._db.execute_fetchall(
            """SELECT id, finished_at, answers, causes, urgency, red_flags FROM assessments
               WHERE user_id = ? ORDER BY finished_at DESC, id DESC LIMIT ?""",
            (user_id, limit),
        )
        return [
            AssessmentRecord(
                finished_at=_at(r[1]),
                answers=json.loads(r[2]),
                causes=json.loads(r[3]),
                urgency=r[4],
                red_flags=json.loads(r[5]),
                id=r[0],
            )
            for r in rows
        ]

    async def set_reminder(self, reminder: ReminderRecord) -> None:
        await self._db.execute(
            """INSERT INTO reminders (user_id, kind, schedule, next_due, created_at)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(user_id, kind) DO UPDATE SET schedule = excluded.schedule,
                 next_due = excluded.next_due""",
            (
                reminder.user_id,
                reminder.kind,
                json.dumps(reminder.schedule),
                _ts(reminder.next_due) if reminder.next_due else None,
                _ts(reminder.created_at) if reminder.created_at else self._now,
            ),
        )

    async def remove_reminder(self, user_id: int, kind: str) -> bool:
        cur = await self._db.execute(
            "DELETE FROM reminders WHERE user_id = ? AND kind = ?", (user_id, kind)
        )
        return cur.rowcount > 0

    async def list_reminders(self, user_id: int) -> list[ReminderRecord]:
        rows = await self._db.execute_fetchall(
            """SELECT kind, schedule, next_due, created_at FROM reminders
               WHERE user_id = ? ORDER BY kind""",
            (user_id,),
        )
        return [ReminderRecord(user_id, r[0], json.loads(r[1]), _dt(r[2]), _dt(r[3])) for r in rows]

    async def log_event(self, user_id: int, kind: str, at: datetime) -> None:
        await self._db.execute(
            "INSERT INTO events (user_id, kind, at) VALUES (?, ?, ?)", (user_id, kind, _ts(at))
        )

    async def count_events(self, user_id: int, kind: str, since: datetime) -> int:
        row = next(
            iter(
                await self._db.execute_fetchall(
                    "SELECT COUNT(*) FROM events WHERE user_id = ? AND at >= ? AND kind = ?",
                    (user_id, _ts(since), kind),
                )
            ),
            None,
        )
        return int(row[0]) if row else 0

    async def save_diary(self, entry: DiaryEntry) -> None:
        await self._db.execute(
            """INSERT INTO diary (user_id, day, level, caffeine_mg, sleep_hours, stress,
                 exercise, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(user_id, day) DO UPDATE SET level = excluded.level,
                 caffeine_mg = excluded.caffeine_mg, sleep_hours = excluded.sleep_hours,
                 stress = excluded.stress, exercise = excluded.exercise,
                 updated_at = excluded.updated_at""",
            (
                entry.user_id,
                entry.day.isoformat(),
                entry.level,
                entry.caffeine_mg,
                entry.sleep_hours,
                entry.stress,
                entry.exercise,
                _ts(entry.updated_at) if entry.updated_at else self._now,
            ),
        )

    async def list_diary(self, user_id: int, since: date) -> list[DiaryEntry]:
        rows = await self._db.execute_fetchall(
            """SELECT day, level, caffeine_mg, sleep_hours, stress, exercise, updated_at
               FROM diary WHERE user_id = ? AND day >= ? ORDER BY day""",
            (user_id, since.isoformat()),
        )
        return [
            DiaryEntry(user_id, date.fromisoformat(r[0]), r[1], r[2], r[3], r[4], r[5], _dt(r[6]))
            for r in rows
        ]

    async def list_events(
        self, user_id: int, kinds: list[str], since: datetime
    ) -> list[tuple[str, datetime]]:
        if not kinds:
            return []
        marks = ", ".join("?" * len(kinds))
        rows = await self._db.execute_fetchall(
            f"""SELECT kind, at FROM events WHERE user_id = ? AND at >= ? AND kind IN ({marks})
                ORDER BY at, id""",
            (user_id, _ts(since), *kinds),
        )
        return [(r[0], _at(r[1])) for r in rows]

    async def add_miss(self, user_id: int, question: str, text: str, at: datetime) -> None:
        await self._db.execute(
            "INSERT INTO misses (user_id, question, text, at) VALUES (?, ?, ?, ?)",
            (user_id, question, text, _ts(at)),
        )

    async def prune_misses(self, before: datetime) -> None:
        await self._db.execute("DELETE FROM misses WHERE at < ?", (_ts(before),))

    async def list_misses(self, since: datetime, limit: int) -> list[MissCount]:
        rows = await self._db.execute_fetchall(
            """SELECT question, text, COUNT(*) AS n, MAX(at) FROM misses WHERE at >= ?
               GROUP BY question, text ORDER BY n DESC, MAX(at) DESC LIMIT ?""",
            (_ts(since), limit),
        )
        return [MissCount(r[0], r[1], int(r[2]), _at(r[3])) for r in rows]


class SQLiteStore:
    """`dialogs.ports.Store` on one SQLite file."""

    def __init__(self, db: aiosqlite.Connection, path: str | Path | None = None) -> None:
        self._db = db
        self._path = None if path is None or str(path) == ":memory:" else Path(path)
        self._identity = _identity(self._path) if self._path else None
        self._lock = asyncio.Lock()
        self._owner: str | None = None  # set by use_outbox()
        self._adopt_pending = False  # the first claim with the outbox adopts orphans
        self.spread = Spread()  # crowded minutes (off unless BOT_REMINDER_SPREAD_MINUTES)
        self.skipped = 0  # reminders found older than the grace window (the bot was down)
        self._plan: tuple[int, list[tuple[int, int, int]]] | None = None  # crowded minutes

    def use_outbox(self) -> None:
        """From now on a claimed occurrence stays owned by this process until `mark_sending`
        hands it over; the first claim adopts the occurrences an earlier run claimed but
        never started sending (still inside the grace window). One process per database
        file, as SQLite deployments are."""
        if self._owner is None:
            self._owner = uuid.uuid4().hex
            self._adopt_pending = True

    async def mark_sending(self, claims: list[tuple[int, str, datetime]]) -> None:
        """The occurrences (user_id, kind, claimed at) are being sent now: they are no longer
        ours to give to a later run (so they are never sent twice)."""
        if self._owner is None or not claims:
            return
        async with self._lock, _failures_as_store_error("mark_sending"), _write(self._db):
            await self._db.executemany(
                """UPDATE reminders_sent SET owner = NULL
                   WHERE user_id = ? AND kind = ? AND claimed_at = ? AND owner = ?""",
                [(user_id, kind, _ts(at), self._owner) for user_id, kind, at in claims],
            )

    # --- what is owed to users (dialogs.ports.Owed) -----------------------------------------
    async def owe(
        self, user_id: int, payloads: list[dict[str, Any]], send_by: datetime
    ) -> list[int]:
        async with self._lock, _failures_as_store_error("owe"), _write(self._db):
            ids: list[int] = []
            for payload in payloads:
                rows = await self._db.execute_fetchall(
                    "INSERT INTO owed (user_id, payload, send_by) VALUES (?, ?, ?) RETURNING id",
                    (user_id, json.dumps(payload, ensure_ascii=False), _ts(send_by)),
                )
                ids.extend(int(row[0]) for row in rows)
            return ids

    async def paid(self, ids: list[int]) -> None:
        if not ids:
            return
        async with self._lock, _failures_as_store_error("paid"), _write(self._db):
            await self._db.executemany("DELETE FROM owed WHERE id = ?", [(i,) for i in ids])

    async def owed(self) -> list[OwedMessage]:
        async with self._lock, _failures_as_store_error("owed"):
            rows = await self._db.execute_fetchall(
                "SELECT id, user_id, payload, send_by FROM owed ORDER BY id"
            )
        return [OwedMessage(r[0], r[1], json.loads(r[2]), _at(r[3])) for r in rows]

    async def release_claims(self, claims: list[tuple[int, str, datetime]]) -> None:
        """Claims handed over by `mark_sending` whose send met trouble: ours again, so a
        restart adopts them (inside the window) instead of losing them."""
        if self._owner is None or not claims:
            return
        async with self._lock, _failures_as_store_error("release_claims"), _write(self._db):
            await self._db.executemany(
                """UPDATE reminders_sent SET owner = ?
                   WHERE user_id = ? AND kind = ? AND claimed_at = ? AND owner IS NULL""",
                [(self._owner, user_id, kind, _ts(at)) for user_id, kind, at in claims],
            )

    async def try_lead(self) -> bool:
        """One process per SQLite file: it always dispatches the reminders."""
        return True

    async def ping(self) -> bool:
        """Whether the database answers (for /healthz)."""
        try:
            await self._db.execute_fetchall("SELECT 1")
        except (sqlite3.Error, ValueError):
            return False
        return True

    @classmethod
    async def open(cls, path: str | Path) -> SQLiteStore:
        """Open (creating if needed) and migrate the database at `path` (":memory:" works).
        A file that cannot be opened or migrated raises StoreError naming the path."""
        try:
            if str(path) != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                sqlite3.connect(path).close()  # a probe: failing here leaves no worker thread
            db = await aiosqlite.connect(str(path), isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"cannot open the database {path}: {error}") from error
        try:
            await db.execute("PRAGMA busy_timeout = 2000")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten
            await _migrate(db)
        except sqlite3.Error as error:
            await db.close()
            raise StoreError(f"cannot open the database {path}: {error}") from error
        except BaseException:
            await db.close()
            raise
        return cls(db, path)

    def check_file(self) -> None:
        """Raise StoreError when the database file was removed or replaced (another inode
        or device) since it was opened: writing on would go to a file nobody will open."""
        if self._path is None or self._identity is None:
            return
        try:
            now = _identity(self._path)
        except FileNotFoundError:
            raise StoreError(
                f"the database file {self._path} was removed while the bot was running; "
                "restore it (or start afresh) and start the bot again"
            ) from None
        except OSError as error:
            raise StoreError(f"cannot look at the database file {self._path}: {error}") from None
        if now != self._identity:
            raise StoreError(
                f"the database file {self._path} was replaced by another file while the bot "
                "was running; start the bot again to use the new one"
            )

    @asynccontextmanager
    async def transaction(self, now: datetime | None = None) -> AsyncIterator[SQLiteTransaction]:
        async with self._lock, _failures_as_store_error("transaction"):
            tx = SQLiteTransaction(self._db, now or datetime.now(UTC))
            async with _write(self._db):
                yield tx
            if tx.erased:  # a deleted user's text must not stay in the -wal file
                await self._checkpoint()

    async def _checkpoint(self) -> None:
        try:
            await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as error:  # the delete is committed; the next checkpoint does it
            log.warning("WAL checkpoint after a delete failed: %s", error)

    async def claim_due(
        self, now: datetime, grace_seconds: float, next_due: NextDue, limit: int = 1000
    ) -> list[DueReminder]:
        """Claim the occurrences due at `now`, oldest first, and advance their schedules.

        Every occurrence due within the grace window before `now` (its edge included) is
        recorded as sent and returned; older ones are skipped, never sent late. Recording
        and advancing commit together, and `reminders_sent` refuses a second record of the
        same occurrence, so none is returned twice, across restarts too. At most `limit`
        reminder rows are handled per call (the index on next_due finds them). With the
        outbox on (`use_outbox`), the first call also returns what an earlier run claimed
        but never handed over, if still inside the window.
        """
        now_s = _ts(now)
        oldest = now.timestamp() - grace_seconds
        window_start = datetime.fromtimestamp(oldest, UTC) - timedelta(seconds=1)
        async with self._lock, _failures_as_store_error("claim_due"), _write(self._db):
            minutes = await self._open_minutes(now_s, grace_seconds)
            first = self.spread.first_kinds
            marks = ",".join("?" * len(first))
            ranges = "".join(
                " OR (r.next_due >= ? AND r.next_due < ? + 60"
                + ("" if all_kinds else f" AND r.kind NOT IN ({marks})")
                + ")"
                for all_kinds in minutes.values()
            )
            range_params = [
                v
                for m, all_kinds in minutes.items()
                for v in ((m, m) if all_kinds else (m, m, *first))
            ]
            rows = await self._db.execute_fetchall(
                f"""SELECT r.user_id, r.kind, r.schedule, r.next_due, r.created_at, u.timezone
                   FROM reminders r JOIN users u ON u.user_id = r.user_id
                   WHERE r.next_due IS NOT NULL AND u.active = 1
                     AND (r.next_due <= ? {ranges})
                   ORDER BY r.next_due, r.kind NOT IN ({marks})
                   LIMIT ?""",
                (now_s, *range_params, *first, limit),
            )
            candidates: list[tuple[int, str, int, str]] = []
            advances: list[tuple[int | None, int, str]] = []
            for user_id, kind, schedule, due_s, created_s, tz in rows:
                record = ReminderRecord(
                    user_id, kind, json.loads(schedule), _dt(due_s), _dt(created_s)
                )
                due = record.next_due
                if due is not None and due.timestamp() < oldest:  # the bot was down
                    self.skipped += 1
                    due = next_due(record, window_start)
                while due is not None and (
                    due <= now or self.spread.may_send_early(kind, due.timestamp(), minutes)
                ):
                    if due.timestamp() >= oldest:
                        candidates.append((user_id, kind, _ts(due), tz))
                    due = next_due(record, due)
                advances.append((_ts(due) if due else None, user_id, kind))
            fresh = await self._record_sent(candidates, now_s)
            if self._adopt_pending:
                adopted = await self._adopt_orphans(now_s, oldest)
                candidates += adopted
                fresh.update((u, k, d) for u, k, d, _ in adopted)
                self._adopt_pending = False
            await self._db.execute(
                """DELETE FROM reminders_sent WHERE rowid IN (
                     SELECT rowid FROM reminders_sent WHERE due < ? LIMIT ?)""",
                (int(oldest) - _SENT_KEEP_SECONDS, _SENT_PRUNE_ROWS),
            )
            await self._db.executemany(
                "UPDATE reminders SET next_due = ? WHERE user_id = ? AND kind = ?", advances
            )
        claimed = [
            DueReminder(user_id, kind, _at(due_s), tz)
            for user_id, kind, due_s, tz in candidates
            if (user_id, kind, due_s) in fresh
        ]
        claimed.sort(key=lambda d: (d.due, d.kind not in self.spread.first_kinds, d.user_id))
        return claimed

    async def _open_minutes(self, now_s: int, grace_seconds: float) -> dict[int, bool]:
        """The crowded minutes within the spread horizon whose early window has begun (the
        plan is reused for a few seconds: a burst is claimed in many calls)."""
        if not self.spread.active:
            return {}
        plan = self._plan
        if plan is None or not 0 <= now_s - plan[0] < 30:  # a scan of the horizon: reused
            first = self.spread.first_kinds
            marks = ",".join("?" * len(first))
            rows = await self._db.execute_fetchall(
                f"""SELECT minute, COUNT(*), SUM(kind IN ({marks})) FROM (
                       SELECT (r.next_due / 60) * 60 AS minute, r.kind AS kind FROM reminders r
                       JOIN users u ON u.user_id = r.user_id
                       WHERE r.next_due > ? AND r.next_due <= ? AND u.active = 1
                     UNION ALL
                       SELECT (due / 60) * 60, kind FROM reminders_sent WHERE due > ? AND due <= ?)
                   GROUP BY minute HAVING COUNT(*) > ?""",
                (
                    *first,
                    now_s,
                    now_s + int(self.spread.seconds),
                    now_s - 60,
                    now_s + int(self.spread.seconds),
                    self.spread.capacity,
                ),
            )
            plan = (now_s, [(int(m), int(n), int(f or 0)) for m, n, f in rows])
            self._plan = plan
        return self.spread.open_minutes(plan[1], now_s, grace_seconds)

    async def _adopt_orphans(self, now_s: int, oldest: float) -> list[tuple[int, str, int, str]]:
        """Occurrences another run claimed and never handed over, still inside the window:
        ours now (claimed again at `now_s`)."""
        rows = await self._db.execute_fetchall(
            """SELECT s.rowid, s.user_id, s.kind, s.due, u.timezone
               FROM reminders_sent s JOIN users u ON u.user_id = s.user_id
               WHERE s.owner IS NOT NULL AND s.owner != ? AND s.due >= ? AND u.active = 1""",
            (self._owner, oldest),
        )
        await self._db.executemany(
            "UPDATE reminders_sent SET owner = ?, claimed_at = ? WHERE rowid = ?",
            [(self._owner, now_s, row[0]) for row in rows],
        )
        return [(user_id, kind, due_s, tz) for _, user_id, kind, due_s, tz in rows]

    async def _record_sent(
        self, candidates: list[tuple[int, str, int, str]], now_s: int
    ) -> set[tuple[int, str, int]]:
        """Insert the occurrences into reminders_sent; return those not recorded before."""
        fresh: set[tuple[int, str, int]] = set()
        for start in range(0, len(candidates), _SENT_CHUNK):
            chunk = candidates[start : start + _SENT_CHUNK]
            values = ", ".join(["(?, ?, ?, ?, ?)"] * len(chunk))
            params = [
                v
                for user_id, kind, due_s, _ in chunk
                for v in (user_id, kind, due_s, now_s, self._owner)
            ]
            inserted = await self._db.execute_fetchall(
                f"""INSERT OR IGNORE INTO reminders_sent (user_id, kind, due, claimed_at, owner)
                    VALUES {values} RETURNING user_id, kind, due""",
                params,
            )
            fresh.update((r[0], r[1], r[2]) for r in inserted)
        return fresh

    async def close(self) -> None:
        await self._db.close()


def _identity(path: Path) -> tuple[int, int]:
    """(device, inode) of a file: it changes when the file is replaced."""
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _store_error(operation: str, error: sqlite3.Error) -> StoreError:
    """A StoreError naming the operation and SQLite's reason (never any user text)."""
    return StoreError(f"database {operation} failed: {error}")


@asynccontextmanager
async def _failures_as_store_error(operation: str) -> AsyncIterator[None]:
    try:
        yield
    except sqlite3.Error as error:
        raise _store_error(operation, error) from error


async def _rollback(db: aiosqlite.Connection) -> None:
    """Roll back if a transaction is still open (SQLite ends some on its own, e.g. when the
    disk is full); a failing rollback must not hide the error that led here."""
    if not db.in_transaction:
        return
    try:
        await db.execute("ROLLBACK")
    except sqlite3.Error as error:
        log.warning("rollback failed: %s", error)


async def _commit(db: aiosqlite.Connection) -> None:
    """COMMIT; if it fails (disk full, I/O error) the transaction is rolled back, so the
    connection stays usable for the next message."""
    try:
        await db.execute("COMMIT")
    except sqlite3.Error:
        await _rollback(db)
        raise


@asynccontextmanager
async def _write(db: aiosqlite.Connection) -> AsyncIterator[None]:
    """One write transaction: BEGIN IMMEDIATE (retried while busy), COMMIT when the block
    ends, ROLLBACK when it raises (and when COMMIT itself fails)."""
    await _begin(db)
    try:
        yield
    except BaseException:
        await _rollback(db)
        raise
    await _commit(db)


async def _begin(db: aiosqlite.Connection) -> None:
    """BEGIN IMMEDIATE, retried while another process holds the write lock.

    SQLite itself waits up to its busy timeout (2 s); on top of that a few retries with
    back-off, so a lock held for long gives the user an apology within about 10 s rather
    than holding every conversation for minutes."""
    for attempt in range(BEGIN_RETRIES):
        try:
            await db.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            log.warning("database busy, retrying (attempt %d)", attempt + 1)
            await asyncio.sleep(min(0.05 * 2**attempt, 1.0))
    await db.execute("BEGIN IMMEDIATE")


async def _migrate(db: aiosqlite.Connection) -> None:
    row = next(iter(await db.execute_fetchall("PRAGMA user_version")), None)
    version = row[0] if row else 0
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the database has schema version {version}, newer than this bot's {SCHEMA_VERSION}"
        )
    for number in range(version, SCHEMA_VERSION):
        async with _write(db):
            for statement in _statements(MIGRATIONS[number]):
                await db.execute(statement)
            await db.execute(f"PRAGMA user_version = {number + 1}")
        log.info("database migrated to schema version %d", number + 1)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
