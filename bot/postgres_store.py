"""The PostgreSQL store (asyncpg): the same protocol as the SQLite store, for several instances.

`BOT_DATABASE=postgresql://user:pass@host/db` selects it (see `bot.stores.open_store`).

- One transaction per handled message, on a connection from a pool. Its first statement about
  a user takes `pg_advisory_xact_lock(user_id)`: one user's messages are handled one at a time
  across every instance (the lock is released at COMMIT or ROLLBACK), different users at once.
- Due reminders are claimed with `FOR UPDATE SKIP LOCKED` and recorded in `reminders_sent`
  (primary key per occurrence) in the same transaction: two instances claiming at the same
  moment never get the same occurrence.
- `try_lead()`: the instance holding a session advisory lock on its own connection is the one
  that dispatches reminders, so the bot's total reminder rate is one dispatcher's rate however
  many instances run. When it dies its connection closes, PostgreSQL releases the lock, and the
  next instance that asks (every few seconds) takes over, adopting what the dead one had claimed
  but not yet handed to Telegram (the outbox).
- Every instance has an id and a heartbeat row in `instances` (`heartbeat()`, every few
  seconds): the bot divides its send rate by the number of live instances, so the total stays
  under Telegram's limit however many run. Owed replies (`owe`/`owed`) belong to the instance
  that owes them; `owed()` also takes over (atomically) rows of instances whose heartbeat is
  stale, never those of a live one.
- Migrations (`bot.postgres_migrations`) run at start-up under an advisory lock.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from bot.postgres_migrations import MIGRATIONS, SCHEMA_VERSION
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

log = logging.getLogger(__name__)

# Two-key advisory locks live in a key space of their own (user locks use the one-key form).
MIGRATION_LOCK = (0x7477, 1)
LEADER_LOCK = (0x7477, 2)
OWED_LOCK = (0x7477, 3)  # one take-over of owed rows at a time (each sees the others' heartbeats)
POOL_SIZE = 10
CONNECT_TIMEOUT = 10.0  # seconds
COMMAND_TIMEOUT = 30.0  # seconds: a statement taking longer fails (the user gets an apology)
_SENT_KEEP = timedelta(days=2)  # sent occurrences older than the grace window + this are dropped
_SENT_PRUNE_ROWS = 2000
_PLAN_SECONDS = 30  # the crowded-minute plan is reused this long (a scan of the horizon)
STALE_SECONDS = 15.0  # an instance whose heartbeat is older is gone (its owed rows adoptable)

# What asyncpg raises when the server is unreachable, refuses, or a statement fails.
DB_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    OSError,
    asyncio.TimeoutError,
)
# ... and what it raises for a malformed URL.
OPEN_ERRORS: tuple[type[BaseException], ...] = (*DB_ERRORS, ValueError)


def is_postgres_url(database: str) -> bool:
    return database.startswith(("postgresql://", "postgres://"))


def _sec(moment: datetime) -> datetime:
    """Whole seconds in UTC, as the SQLite store keeps them."""
    return datetime.fromtimestamp(int(moment.timestamp()), UTC)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def redact(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, creds = head.partition("//")
    return f"{scheme}//{creds.split(':', 1)[0]}:***@{tail}"


class PostgresTransaction:
    """The operations of `dialogs.ports.Transaction` on one connection inside a transaction."""

    def __init__(self, conn: asyncpg.Connection, now: datetime) -> None:
        self._conn = conn
        self._now = _sec(now)
        self._locked: set[int] = set()

    async def _lock(self, user_id: int) -> None:
        """The user's lock, once per transaction: other instances handling the same user wait."""
        if user_id not in self._locked:
            await self._conn.execute("SELECT pg_advisory_xact_lock($1)", user_id)
            self._locked.add(user_id)

    async def get_user(self, user_id: int) -> UserRecord | None:
        await self._lock(user_id)
        row = await self._conn.fetchrow(
            "SELECT timezone, state, active, created_at FROM users WHERE user_id = $1", user_id
        )
        if row is None:
            return None
        return UserRecord(user_id, row[0], json.loads(row[1]), bool(row[2]), row[3])

    async def save_user(self, user: UserRecord) -> None:
        await self._lock(user.user_id)
        await self._conn.execute(
            """INSERT INTO users (user_id, timezone, state, active, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (user_id) DO UPDATE SET timezone = excluded.timezone,
                 state = excluded.state, active = excluded.active,
                 updated_at = excluded.updated_at""",
            user.user_id,
            user.timezone,
            _json(user.state),
            user.active,
            _sec(user.created_at) if user.created_at else self._now,
            self._now,
        )

    async def delete_user(self, user_id: int) -> None:
        await self._lock(user_id)
        for table in (
            "reminders_sent", "reminders", "events", "diary", "misses", "assessments", "owed",
            "users",
        ):  # fmt: skip
            await self._conn.execute(f"DELETE FROM {table} WHERE user_id = $1", user_id)

    async def add_assessment(self, user_id: int, record: AssessmentRecord) -> None:
        await self._lock(user_id)
        await self._conn.execute(
            """INSERT INTO assessments (user_id, finished_at, answers, causes, urgency, red_flags)
               VALUES ($1, $2, $3, $4, $5, $6)""",
            user_id,
            _sec(record.finished_at),
            json.dumps(record.answers, ensure_ascii=False),
            json.dumps(record.causes, ensure_ascii=False),
            record.urgency,
            json.dumps(record.red_flags),
        )

    async def list_assessments(self, user_id: int, limit: int) -> list[AssessmentRecord]:
        rows = await self._conn.fetch(
            """SELECT id, finished_at, answers, causes, urgency, red_flags FROM assessments
               WHERE user_id = $1 ORDER BY finished_at DESC, id DESC LIMIT $2""",
            user_id,
            limit,
        )
        return [
            AssessmentRecord(
                finished_at=r[1],
                answers=json.loads(r[2]),
                causes=json.loads(r[3]),
                urgency=r[4],
                red_flags=json.loads(r[5]),
                id=r[0],
            )
            for r in rows
        ]

    async def set_reminder(self, reminder: ReminderRecord) -> None:
        await self._lock(reminder.user_id)
        await self._conn.execute(
            """INSERT INTO reminders (user_id, kind, schedule, next_due, created_at)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (user_id, kind) DO UPDATE SET schedule = excluded.schedule,
                 next_due = excluded.next_due""",
            reminder.user_id,
            reminder.kind,
            json.dumps(reminder.schedule),
            _sec(reminder.next_due) if reminder.next_due else None,
            _sec(reminder.created_at) if reminder.created_at else self._now,
        )

    async def remove_reminder(self, user_id: int, kind: str) -> bool:
        await self._lock(user_id)
        status = await self._conn.execute(
            "DELETE FROM reminders WHERE user_id = $1 AND kind = $2", user_id, kind
        )
        return status != "DELETE 0"

    async def list_reminders(self, user_id: int) -> list[ReminderRecord]:
        rows = await self._conn.fetch(
            """SELECT kind, schedule, next_due, created_at FROM reminders
               WHERE user_id = $1 ORDER BY kind""",
            user_id,
        )
        return [ReminderRecord(user_id, r[0], json.loads(r[1]), r[2], r[3]) for r in rows]

    async def log_event(self, user_id: int, kind: str, at: datetime) -> None:
        await self._lock(user_id)
        await self._conn.execute(
            "INSERT INTO events (user_id, kind, at) VALUES ($1, $2, $3)", user_id, kind, _sec(at)
        )

    async def count_events(self, user_id: int, kind: str, since: datetime) -> int:
        value = await self._conn.fetchval(
            "SELECT COUNT(*) FROM events WHERE user_id = $1 AND at >= $2 AND kind = $3",
            user_id,
            _sec(since),
            kind,
        )
        return int(value or 0)

    async def save_diary(self, entry: DiaryEntry) -> None:
        await self._lock(entry.user_id)
        await self._conn.execute(
            """INSERT INTO diary (user_id, day, level, caffeine_mg, sleep_hours, stress,
                 exercise, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT (user_id, day) DO UPDATE SET level = excluded.level,
                 caffeine_mg = excluded.caffeine_mg, sleep_hours = excluded.sleep_hours,
                 stress = excluded.stress, exercise = excluded.exercise,
                 updated_at = excluded.updated_at""",
            entry.user_id,
            entry.day,
            entry.level,
            entry.caffeine_mg,
            entry.sleep_hours,
            entry.stress,
            entry.exercise,
            _sec(entry.updated_at) if entry.updated_at else self._now,
        )

    async def list_diary(self, user_id: int, since: date) -> list[DiaryEntry]:
        rows = await self._conn.fetch(
            """SELECT day, level, caffeine_mg, sleep_hours, stress, exercise, updated_at
               FROM diary WHERE user_id = $1 AND day >= $2 ORDER BY day""",
            user_id,
            since,
        )
        return [DiaryEntry(user_id, *r) for r in rows]

    async def list_events(
        self, user_id: int, kinds: list[str], since: datetime
    ) -> list[tuple[str, datetime]]:
        if not kinds:
            return []
        rows = await self._conn.fetch(
            """SELECT kind, at FROM events WHERE user_id = $1 AND at >= $2
                 AND kind = ANY($3::text[]) ORDER BY at, id""",
            user_id,
            _sec(since),
            list(kinds),
        )
        return [(r[0], r[1]) for r in rows]

    async def add_miss(self, user_id: int, question: str, text: str, at: datetime) -> None:
        await self._lock(user_id)
        await self._conn.execute(
            "INSERT INTO misses (user_id, question, text, at) VALUES ($1, $2, $3, $4)",
            user_id,
            question,
            text,
            _sec(at),
        )

    async def prune_misses(self, before: datetime) -> None:
        await self._conn.execute("DELETE FROM misses WHERE at < $1", _sec(before))

    async def list_misses(self, since: datetime, limit: int) -> list[MissCount]:
        rows = await self._conn.fetch(
            """SELECT question, text, COUNT(*) AS n, MAX(at) AS last FROM misses
               WHERE at >= $1 GROUP BY question, text ORDER BY n DESC, last DESC LIMIT $2""",
            _sec(since),
            limit,
        )
        return [MissCount(r[0], r[1], int(r[2]), r[3]) for r in rows]


class PostgresStore:
    """`dialogs.ports.Store` on a PostgreSQL database, safe for several bot processes."""

    def __init__(self, pool: asyncpg.Pool, dsn: str, spread: Spread | None = None) -> None:
        self._pool = pool
        self._dsn = dsn
        self.spread = spread or Spread()
        self._owner: str | None = None  # set by use_outbox()
        self._adopt_pending = False
        self._leader: asyncpg.Connection | None = None
        self._leading = False
        self._plan: tuple[int, list[tuple[int, int, int]]] | None = None  # (at, crowded)
        self.skipped = 0  # reminders found older than the grace window (the bot was down)
        self.instance = uuid.uuid4().hex  # this instance's id (heartbeat, owed rows)
        self.stale_seconds = STALE_SECONDS

    @classmethod
    async def open(
        cls, url: str, spread: Spread | None = None, pool_size: int = POOL_SIZE
    ) -> PostgresStore:
        """Connect to `url` and migrate. A database that cannot be reached or migrated raises
        StoreError naming it (without the password)."""
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=pool_size,
                timeout=CONNECT_TIMEOUT,
                command_timeout=COMMAND_TIMEOUT,
            )
        except OPEN_ERRORS as error:
            raise StoreError(f"cannot open the database {redact(url)}: {error}") from error
        try:
            async with pool.acquire() as conn:
                await _migrate(conn)
        except DB_ERRORS as error:
            await pool.close()
            raise StoreError(f"cannot open the database {redact(url)}: {error}") from error
        except BaseException:
            await pool.close()
            raise
        return cls(pool, url, spread)

    @asynccontextmanager
    async def transaction(self, now: datetime | None = None) -> AsyncIterator[PostgresTransaction]:
        async with (
            _failures_as_store_error("transaction"),
            self._pool.acquire() as conn,
            conn.transaction(),
        ):
            yield PostgresTransaction(conn, now or datetime.now(UTC))

    # --- the outbox and the dispatching leader ------------------------------------------
    def use_outbox(self) -> None:
        """Claims stay owned by this process until `mark_sending`; the first claim (and the
        first after this instance becomes the dispatching leader) adopts what a dead
        instance left owned inside the grace window."""
        if self._owner is None:
            self._owner = uuid.uuid4().hex
            self._adopt_pending = True

    async def mark_sending(self, claims: list[tuple[int, str, datetime]]) -> None:
        if self._owner is None or not claims:
            return
        async with _failures_as_store_error("mark_sending"), self._pool.acquire() as conn:
            await conn.execute(
                """UPDATE reminders_sent s SET owner = NULL
                   FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS c(u, k, at)
                   WHERE s.user_id = c.u AND s.kind = c.k AND s.claimed_at = c.at
                     AND s.owner = $4""",
                [c[0] for c in claims],
                [c[1] for c in claims],
                [_sec(c[2]) for c in claims],
                self._owner,
            )

    async def release_claims(self, claims: list[tuple[int, str, datetime]]) -> None:
        """Claims handed over by `mark_sending` whose send met trouble (the Bot API failing):
        ours again, so if this process dies another instance adopts them inside the window
        (dialogs.ports.Owed)."""
        if self._owner is None or not claims:
            return
        async with _failures_as_store_error("release_claims"), self._pool.acquire() as conn:
            await conn.execute(
                """UPDATE reminders_sent s SET owner = $4
                   FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS c(u, k, at)
                   WHERE s.user_id = c.u AND s.kind = c.k AND s.claimed_at = c.at
                     AND s.owner IS NULL""",
                [c[0] for c in claims],
                [c[1] for c in claims],
                [_sec(c[2]) for c in claims],
                self._owner,
            )

    async def try_lead(self) -> bool:
        """True while this instance is the one that dispatches reminders (asked each tick).
        The lock is held by a connection of its own; if that connection breaks, leadership
        is lost and asked for again on the next call."""
        try:
            if self._leader is None or self._leader.is_closed():
                self._leading = False
                self._leader = await asyncpg.connect(self._dsn, timeout=CONNECT_TIMEOUT)
            if self._leading:
                await self._leader.fetchval("SELECT 1", timeout=5)
                return True
            got = await self._leader.fetchval(
                "SELECT pg_try_advisory_lock($1, $2)", *LEADER_LOCK, timeout=5
            )
        except DB_ERRORS as error:
            if self._leading:
                log.warning("lost the reminder dispatching lock: %s", type(error).__name__)
            await self._drop_leader()
            return False
        if got:
            self._leading = True
            self._adopt_pending = self._owner is not None
            log.info("this instance now dispatches the reminders")
        return bool(got)

    async def _drop_leader(self) -> None:
        self._leading = False
        if self._leader is not None:
            self._leader.terminate()
            self._leader = None

    async def ping(self) -> bool:
        """Whether the database answers (for /healthz)."""
        try:
            async with self._pool.acquire(timeout=3) as conn:
                return await conn.fetchval("SELECT 1", timeout=3) == 1
        except DB_ERRORS:
            return False

    # --- claiming -----------------------------------------------------------------------
    async def claim_due(
        self, now: datetime, grace_seconds: float, next_due: NextDue, limit: int = 1000
    ) -> list[DueReminder]:
        """As `SQLiteStore.claim_due`: every occurrence due within the grace window before
        `now` (edge included), oldest first, recorded as sent and its schedule advanced in
        one transaction; older ones skipped. Rows another instance is claiming right now are
        skipped (SKIP LOCKED), and `reminders_sent` refuses an occurrence twice. With a
        `Spread`, the occurrences of a crowded minute whose early window has begun are
        claimed too."""
        now_s = _sec(now)
        oldest = now.timestamp() - grace_seconds
        window_start = datetime.fromtimestamp(oldest, UTC) - timedelta(seconds=1)
        async with (
            _failures_as_store_error("claim_due"),
            self._pool.acquire() as conn,
            conn.transaction(),
        ):
            minutes = await self._open_minutes(conn, now_s, grace_seconds)
            rows = await conn.fetch(
                f"""SELECT r.user_id, r.kind, r.schedule, r.next_due, r.created_at,
                           u.timezone
                    FROM reminders r JOIN users u ON u.user_id = r.user_id
                    WHERE r.next_due IS NOT NULL AND u.active
                      AND (r.next_due <= $1 {_minute_ranges(list(minutes.values()), 4)})
                    ORDER BY r.next_due, (r.kind = ANY($3::text[])) DESC
                    LIMIT $2
                    FOR UPDATE OF r SKIP LOCKED""",
                now_s,
                limit,
                list(self.spread.first_kinds),
                *[datetime.fromtimestamp(m, UTC) for m in minutes],
            )
            candidates: list[tuple[int, str, datetime, str]] = []
            advances: list[tuple[int, str, datetime | None]] = []
            for user_id, kind, schedule, due, created, tz in rows:
                record = ReminderRecord(user_id, kind, json.loads(schedule), due, created)
                if due is not None and due.timestamp() < oldest:  # the bot was down
                    self.skipped += 1
                    due = next_due(record, window_start)
                while due is not None and (
                    due <= now or self.spread.may_send_early(kind, due.timestamp(), minutes)
                ):
                    if due.timestamp() >= oldest:
                        candidates.append((user_id, kind, _sec(due), tz))
                    due = next_due(record, due)
                advances.append((user_id, kind, _sec(due) if due else None))
            fresh = await self._record_sent(conn, candidates, now_s)
            if self._adopt_pending:
                adopted = await self._adopt_orphans(conn, now_s, oldest)
                candidates += adopted
                fresh.update((u, k, d) for u, k, d, _ in adopted)
                self._adopt_pending = False
            await conn.execute(
                """DELETE FROM reminders_sent WHERE ctid IN (
                     SELECT ctid FROM reminders_sent WHERE due < $1 LIMIT $2)""",
                datetime.fromtimestamp(oldest, UTC) - _SENT_KEEP,
                _SENT_PRUNE_ROWS,
            )
            if advances:
                await conn.execute(
                    """UPDATE reminders r SET next_due = a.due
                       FROM unnest($1::bigint[], $2::text[], $3::timestamptz[])
                         AS a(u, k, due)
                       WHERE r.user_id = a.u AND r.kind = a.k""",
                    [a[0] for a in advances],
                    [a[1] for a in advances],
                    [a[2] for a in advances],
                )
        claimed = [
            DueReminder(user_id, kind, due, tz)
            for user_id, kind, due, tz in candidates
            if (user_id, kind, due) in fresh
        ]
        claimed.sort(key=lambda d: (d.due, d.kind not in self.spread.first_kinds, d.user_id))
        return claimed

    async def _open_minutes(
        self, conn: asyncpg.Connection, now: datetime, grace_seconds: float
    ) -> dict[int, bool]:
        """The crowded minutes within the spread horizon whose early window has begun (and
        whether their sleep reminders may go too)."""
        if not self.spread.active:
            return {}
        now_s = int(now.timestamp())
        if self._plan is None or not 0 <= now_s - self._plan[0] < _PLAN_SECONDS:
            horizon = now + timedelta(seconds=self.spread.seconds)
            rows = await conn.fetch(
                """WITH pending AS (
                       SELECT r.next_due AS due, r.kind FROM reminders r
                       JOIN users u ON u.user_id = r.user_id
                       WHERE r.next_due > $1 AND r.next_due <= $2 AND u.active
                     UNION ALL
                       SELECT due, kind FROM reminders_sent WHERE due > $3 AND due <= $2)
                   SELECT extract(epoch FROM date_trunc('minute', due))::bigint AS minute,
                          count(*) AS n, count(*) FILTER (WHERE kind = ANY($5::text[]))
                   FROM pending GROUP BY 1 HAVING count(*) > $4""",
                now,
                horizon,
                now - timedelta(seconds=60),
                self.spread.capacity,
                list(self.spread.first_kinds),
            )
            self._plan = (now_s, [(int(r[0]), int(r[1]), int(r[2])) for r in rows])
        return self.spread.open_minutes(self._plan[1], now_s, grace_seconds)

    async def _adopt_orphans(
        self, conn: asyncpg.Connection, now: datetime, oldest: float
    ) -> list[tuple[int, str, datetime, str]]:
        rows = await conn.fetch(
            """UPDATE reminders_sent s SET owner = $1, claimed_at = $2
               FROM users u
               WHERE u.user_id = s.user_id AND s.owner IS NOT NULL AND s.owner <> $1
                 AND s.due >= $3 AND u.active
               RETURNING s.user_id, s.kind, s.due, u.timezone""",
            self._owner,
            now,
            datetime.fromtimestamp(oldest, UTC),
        )
        if rows:
            log.info("adopted %d reminders another instance had claimed", len(rows))
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    async def _record_sent(
        self,
        conn: asyncpg.Connection,
        candidates: list[tuple[int, str, datetime, str]],
        now: datetime,
    ) -> set[tuple[int, str, datetime]]:
        if not candidates:
            return set()
        rows = await conn.fetch(
            """INSERT INTO reminders_sent (user_id, kind, due, claimed_at, owner)
               SELECT c.u, c.k, c.d, $4, $5
               FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS c(u, k, d)
               ON CONFLICT DO NOTHING
               RETURNING user_id, kind, due""",
            [c[0] for c in candidates],
            [c[1] for c in candidates],
            [c[2] for c in candidates],
            now,
            self._owner,
        )
        return {(r[0], r[1], r[2]) for r in rows}

    async def close(self) -> None:
        await self._drop_leader()
        try:
            async with self._pool.acquire() as conn:
                await conn.execute("DELETE FROM instances WHERE id = $1", self.instance)
        except DB_ERRORS:
            pass  # a stale heartbeat row is forgotten by the others after stale_seconds
        await self._pool.close()

    # --- live instances and the owed replies ---------------------------------------------
    async def heartbeat(self) -> int:
        """Record that this instance is alive; forget instances silent for `stale_seconds`;
        return how many instances are alive (this one included), at least 1."""
        async with _failures_as_store_error("heartbeat"), self._pool.acquire() as conn:
            return await self._beat(conn)

    async def _beat(self, conn: asyncpg.Connection) -> int:
        await conn.execute(
            """INSERT INTO instances (id, seen) VALUES ($1, clock_timestamp())
               ON CONFLICT (id) DO UPDATE SET seen = clock_timestamp()""",
            self.instance,
        )
        await conn.execute(
            "DELETE FROM instances WHERE seen < clock_timestamp() - make_interval(secs => $1)",
            float(self.stale_seconds),
        )
        live = await conn.fetchval("SELECT count(*) FROM instances")
        return max(1, int(live))

    async def owe(
        self, user_id: int, payloads: list[dict[str, Any]], send_by: datetime
    ) -> list[int]:
        async with (
            _failures_as_store_error("owe"),
            self._pool.acquire() as conn,
            conn.transaction(),
        ):
            await self._beat(conn)  # alive before owning anything (never taken while alive)
            rows = await conn.fetch(
                """INSERT INTO owed (user_id, owner, payload, send_by)
                   SELECT $1, $2, p, $4 FROM unnest($3::text[]) WITH ORDINALITY AS t(p, n)
                   ORDER BY n RETURNING id""",
                user_id,
                self.instance,
                [_json(p) for p in payloads],
                _sec(send_by),
            )
            return sorted(int(r["id"]) for r in rows)

    async def paid(self, ids: list[int]) -> None:
        if not ids:
            return
        async with _failures_as_store_error("paid"), self._pool.acquire() as conn:
            await conn.execute("DELETE FROM owed WHERE id = ANY($1::bigint[])", list(ids))

    async def owed(self) -> list[OwedMessage]:
        """What this instance owes, oldest first: its own rows, and those of instances whose
        heartbeat is stale (taken over here, atomically: two instances never both get a row).
        Rows of a live instance are left to it."""
        async with (
            _failures_as_store_error("owed"),
            self._pool.acquire() as conn,
            conn.transaction(),
        ):
            # Take-overs one at a time: an instance taking over at the same moment would not
            # see this one's heartbeat (not yet committed) and take the same rows.
            await conn.execute("SELECT pg_advisory_xact_lock($1, $2)", *OWED_LOCK)
            await self._beat(conn)
            await conn.execute(
                """UPDATE owed SET owner = $1 WHERE id IN (
                       SELECT o.id FROM owed o
                       WHERE o.owner <> $1
                         AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = o.owner)
                       FOR UPDATE SKIP LOCKED)""",
                self.instance,
            )
            rows = await conn.fetch(
                "SELECT id, user_id, payload, send_by FROM owed WHERE owner = $1 ORDER BY id",
                self.instance,
            )
        return [
            OwedMessage(int(r["id"]), int(r["user_id"]), json.loads(r["payload"]), r["send_by"])
            for r in rows
        ]


def _minute_ranges(all_kinds: list[bool], first: int) -> str:
    """SQL for `OR next_due in one of the open minutes` with parameters $first, ...; a
    minute not open to every kind leaves out the first kinds ($3)."""
    return "".join(
        f" OR (r.next_due >= ${first + i} AND r.next_due < ${first + i} + interval '60 seconds'"
        + ("" if every else " AND NOT (r.kind = ANY($3::text[]))")
        + ")"
        for i, every in enumerate(all_kinds)
    )


@asynccontextmanager
async def _failures_as_store_error(operation: str) -> AsyncIterator[None]:
    try:
        yield
    except DB_ERRORS as error:
        raise StoreError(f"database {operation} failed: {type(error).__name__}: {error}") from error


async def _migrate(conn: asyncpg.Connection) -> None:
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1, $2)", *MIGRATION_LOCK)
        await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        version = await conn.fetchval("SELECT max(version) FROM schema_version") or 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the database has schema version {version}, newer than this bot's {SCHEMA_VERSION}"
            )
        for number in range(version, SCHEMA_VERSION):
            await conn.execute(MIGRATIONS[number])
            await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", number + 1)
            log.info("database migrated to schema version %d", number + 1)
