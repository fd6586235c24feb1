"""The stores (in memory, SQLite and PostgreSQL, the same tests on each): transactions,
claims, the outbox; SQLite's migrations. PostgreSQL-only behaviour (several processes on one
database) is in tests/test_pg_store.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.sqlite_migrations import SCHEMA_VERSION
from bot.sqlite_store import SQLiteStore
from bot.stores import open_store
from dialogs.ports import AssessmentRecord, ReminderRecord, UserRecord
from tests.helpers import reopen

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


async def test_schema_is_migrated_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = await SQLiteStore.open(path)
    await store.close()
    async with aiosqlite.connect(path) as db:
        assert (await (await db.execute("PRAGMA user_version")).fetchone())[0] == SCHEMA_VERSION
        assert (await (await db.execute("PRAGMA journal_mode")).fetchone())[0] == "wal"
    store = await SQLiteStore.open(path)  # reopening migrates nothing and works
    await store.close()


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    async with aiosqlite.connect(path) as db:
        await db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(RuntimeError, match="newer"):
        await SQLiteStore.open(path)


async def test_a_failed_transaction_leaves_nothing(database: str) -> None:
    store = await open_store(database)
    with pytest.raises(ZeroDivisionError):
        async with store.transaction(NOW) as tx:
            await tx.save_user(UserRecord(1, state={"a": 1}))
            1 / 0  # noqa: B018
    async with store.transaction(NOW) as tx:
        assert await tx.get_user(1) is None
    await store.close()


async def test_round_trips(database: str) -> None:
    store = await open_store(database)
    async with store.transaction(NOW) as tx:
        await tx.save_user(UserRecord(1, "Europe/Berlin", {"x": ["é", 1]}))
        await tx.add_assessment(
            1,
            AssessmentRecord(
                NOW, {"sleep": "short"}, [{"id": "sleep_fatigue", "score": 2.0}], "self_care"
            ),
        )
        await tx.set_reminder(ReminderRecord(1, "water", {"times": ["09:00"]}, NOW))
        await tx.log_event(1, "water", NOW)
    async with store.transaction(NOW) as tx:
        user = await tx.get_user(1)
        assert user.timezone == "Europe/Berlin" and user.state == {"x": ["é", 1]}
        [record] = await tx.list_assessments(1, 5)
        assert record.causes[0]["id"] == "sleep_fatigue" and record.finished_at == NOW
        [reminder] = await tx.list_reminders(1)
        assert reminder.next_due == NOW
        await tx.delete_user(1)
    async with store.transaction(NOW) as tx:
        assert await tx.get_user(1) is None
        assert await tx.list_reminders(1) == []
    await store.close()


async def test_claim_due_within_grace_once(database: str) -> None:
    store = await open_store(database)
    async with store.transaction(NOW) as tx:
        for uid, due in (
            (1, NOW),
            (2, NOW - timedelta(minutes=15)),
            (3, NOW - timedelta(minutes=16)),
            (4, NOW + timedelta(minutes=1)),
        ):
            await tx.save_user(UserRecord(uid))
            await tx.set_reminder(ReminderRecord(uid, "water", {}, due))

    def next_day(reminder: ReminderRecord, after: datetime) -> datetime:
        return reminder.next_due + timedelta(days=1)

    claimed = await store.claim_due(NOW, 15 * 60, next_day)
    assert [c.user_id for c in claimed] == [2, 1]  # oldest first; 3 is too old; 4 not yet
    store = await reopen(store, database)  # restart: nothing again
    assert await store.claim_due(NOW, 15 * 60, next_day) == []
    await store.close()


def _next_day(reminder: ReminderRecord, after: datetime) -> datetime:
    return reminder.next_due + timedelta(days=1)


async def _reminders_at(store, due: datetime, count: int, first_id: int = 1, kind="water"):
    async with store.transaction(NOW) as tx:
        for uid in range(first_id, first_id + count):
            await tx.save_user(UserRecord(uid))
            await tx.set_reminder(ReminderRecord(uid, kind, {}, due))


async def test_a_crowded_minute_starts_early_only_with_a_spread(database: str) -> None:
    from bot.spread import Spread

    store = await open_store(database)
    nine = NOW + timedelta(minutes=10)
    await _reminders_at(store, nine, 200)  # 200 at one minute, 60 a minute may be sent
    await _reminders_at(store, nine, 10, first_id=1000, kind="sleep")
    await _reminders_at(store, nine + timedelta(minutes=1), 5, first_id=300)  # not crowded
    # Without a spread nothing is sent before its time.
    assert await store.claim_due(nine - timedelta(minutes=5), 900, _next_day) == []
    store.spread = Spread(seconds=30 * 60, rate=1.0)
    # 210 occurrences at 1/s: from 105 s early, half before and half after; the sleep
    # reminders only from 70 s before (10 of them and a minute), then first.
    assert await store.claim_due(nine - timedelta(seconds=110), 900, _next_day) == []
    early = await store.claim_due(nine - timedelta(seconds=100), 900, _next_day)
    assert len(early) == 200 and {(c.due, c.kind) for c in early} == {(nine, "water")}
    sleep = await store.claim_due(nine - timedelta(seconds=65), 900, _next_day)
    assert [c.kind for c in sleep] == ["sleep"] * 10 and {c.due for c in sleep} == {nine}
    # The next, uncrowded minute waits for its time.
    assert await store.claim_due(nine, 900, _next_day) == []
    later = await store.claim_due(nine + timedelta(minutes=1), 900, _next_day)
    assert sorted(c.user_id for c in later) == list(range(300, 305))
    await store.close()


async def test_outbox_claims_are_adopted_after_a_crash(database: str) -> None:
    store = await open_store(database)
    await _reminders_at(store, NOW, 3)
    store.use_outbox()
    claimed = await store.claim_due(NOW, 900, _next_day)
    await store.mark_sending([(claimed[0].user_id, "water", NOW)])
    store = await reopen(store, database)  # the crash: two never handed over
    store.use_outbox()
    again = await store.claim_due(NOW + timedelta(seconds=5), 900, _next_day)
    assert sorted(c.user_id for c in again) == [c.user_id for c in claimed[1:]]
    assert await store.claim_due(NOW + timedelta(seconds=10), 900, _next_day) == []
    await store.close()


async def test_events_reminders_and_ping(database: str) -> None:
    store = await open_store(database)
    async with store.transaction(NOW) as tx:
        await tx.save_user(UserRecord(7))
        await tx.log_event(7, "water", NOW - timedelta(hours=1))
        await tx.log_event(7, "water", NOW)
        await tx.set_reminder(ReminderRecord(7, "water", {"a": 1}, None))
    async with store.transaction(NOW) as tx:
        assert await tx.count_events(7, "water", NOW - timedelta(minutes=5)) == 1
        assert await tx.remove_reminder(7, "water") is True
        assert await tx.remove_reminder(7, "water") is False
    assert await store.ping() is True
    assert await store.try_lead() is True
    await store.close()
