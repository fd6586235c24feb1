"""The SQLite store: migrations, transactions, claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.store import SCHEMA_VERSION, SQLiteStore
from dialogs.ports import AssessmentRecord, ReminderRecord, UserRecord

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


async def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = await SQLiteStore.open(tmp_path / "s.db")
    with pytest.raises(ZeroDivisionError):
        async with store.transaction(NOW) as tx:
            await tx.save_user(UserRecord(1, state={"a": 1}))
            1 / 0  # noqa: B018
    async with store.transaction(NOW) as tx:
        assert await tx.get_user(1) is None
    await store.close()


async def test_round_trips(tmp_path: Path) -> None:
    store = await SQLiteStore.open(tmp_path / "s.db")
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


async def test_claim_due_within_grace_once(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = await SQLiteStore.open(path)
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
    await store.close()
    store = await SQLiteStore.open(path)  # restart: nothing again
    assert await store.claim_due(NOW, 15 * 60, next_day) == []
    await store.close()
