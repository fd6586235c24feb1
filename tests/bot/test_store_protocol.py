"""The store protocol (dialogs/ports.py), the same tests on every store: in memory, SQLite and
PostgreSQL (the `database` fixture). What each operation keeps, returns and erases, and what a
transaction that fails leaves (nothing); claims within the grace window, crowded minutes, the
outbox. PostgreSQL-only behaviour (several processes on one database):
test_postgres_store.py; SQLite's schema: test_sqlite_store.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.stores import open_store
from dialogs.ports import (
    AssessmentRecord,
    DiaryEntry,
    ReminderRecord,
    Store,
    StoreError,
    UserRecord,
)
from tests.helpers import reopen

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
async def store(database: str) -> AsyncIterator[Store]:
    opened = await open_store(database)
    try:
        yield opened
    finally:
        await opened.close()


async def _user_with_everything(store: Store, user_id: int) -> None:
    async with store.transaction(NOW) as tx:
        await tx.save_user(UserRecord(user_id, "Europe/Paris", {"step": 1}))
        await tx.add_assessment(user_id, AssessmentRecord(NOW, {"a": 1}, [], "self_care"))
        await tx.set_reminder(ReminderRecord(user_id, "water", {"times": ["09:00"]}, NOW))
        await tx.log_event(user_id, "water", NOW)
        await tx.save_diary(DiaryEntry(user_id, date(2026, 5, 4), level="mild"))
        await tx.add_miss(user_id, "faq", f"unplaced words of {user_id}", NOW)
    await store.owe(user_id, [{"text": "owed"}], NOW + timedelta(minutes=1))


async def test_delete_user_erases_everything_of_that_user_only(store: Store) -> None:
    await _user_with_everything(store, 1)
    await _user_with_everything(store, 2)
    async with store.transaction(NOW) as tx:
        await tx.delete_user(1)
    async with store.transaction(NOW) as tx:
        assert await tx.get_user(1) is None
        assert await tx.list_assessments(1, 10) == []
        assert await tx.list_reminders(1) == []
        assert await tx.count_events(1, "water", NOW - timedelta(days=1)) == 0
        assert await tx.list_diary(1, date(2026, 1, 1)) == []
        misses = await tx.list_misses(NOW - timedelta(days=1), 10)
        assert [m.text for m in misses] == ["unplaced words of 2"]
        # the other user keeps everything
        assert (await tx.get_user(2)).state == {"step": 1}
        assert len(await tx.list_assessments(2, 10)) == 1
        assert len(await tx.list_reminders(2)) == 1
        assert len(await tx.list_diary(2, date(2026, 1, 1))) == 1
    assert [o.user_id for o in await store.owed()] == [2]
    # nothing of the deleted user's reminders is claimed any more
    claimed = await store.claim_due(NOW, 900, lambda r, after: None)
    assert [c.user_id for c in claimed] == [2]


async def test_a_failed_transaction_undoes_updates_and_deletes_too(store: Store) -> None:
    await _user_with_everything(store, 1)
    with pytest.raises(ZeroDivisionError):
        async with store.transaction(NOW) as tx:
            await tx.save_user(UserRecord(1, "UTC", {"step": 2}))
            await tx.remove_reminder(1, "water")
            await tx.set_reminder(ReminderRecord(1, "sleep", {}, NOW))
            await tx.delete_user(1)
            1 / 0  # noqa: B018
    async with store.transaction(NOW) as tx:
        user = await tx.get_user(1)
        assert user is not None and user.state == {"step": 1} and user.timezone == "Europe/Paris"
        assert [r.kind for r in await tx.list_reminders(1)] == ["water"]
        assert len(await tx.list_assessments(1, 10)) == 1
        assert len(await tx.list_diary(1, date(2026, 1, 1))) == 1


async def test_a_row_for_an_unknown_user_is_refused(store: Store) -> None:
    with pytest.raises(StoreError):
        async with store.transaction(NOW) as tx:
            await tx.add_assessment(99, AssessmentRecord(NOW, {}, [], "self_care"))


async def test_what_comes_back_is_a_copy(store: Store) -> None:
    async with store.transaction(NOW) as tx:
        await tx.save_user(UserRecord(1, state={"list": [1]}))
    async with store.transaction(NOW) as tx:
        user = await tx.get_user(1)
        user.state["list"].append(2)  # changed, never saved
    async with store.transaction(NOW) as tx:
        assert (await tx.get_user(1)).state == {"list": [1]}


async def test_instants_are_whole_seconds_in_utc_and_created_at_is_kept(store: Store) -> None:
    moment = NOW + timedelta(microseconds=700_000)
    async with store.transaction(moment) as tx:
        await tx.save_user(UserRecord(1))
        await tx.set_reminder(ReminderRecord(1, "water", {}, moment))
    async with store.transaction(NOW + timedelta(days=1)) as tx:
        await tx.save_user(UserRecord(1, "Asia/Tokyo"))  # an update keeps created_at
        await tx.set_reminder(ReminderRecord(1, "water", {"b": 2}, None))
        user = await tx.get_user(1)
        [reminder] = await tx.list_reminders(1)
    assert user.created_at == NOW and user.created_at.tzinfo is not None
    assert reminder.created_at == NOW and reminder.next_due is None
    assert reminder.schedule == {"b": 2}


async def test_assessments_newest_first_with_a_limit(store: Store) -> None:
    async with store.transaction(NOW) as tx:
        await tx.save_user(UserRecord(1))
        for hours in (2, 0, 1):
            record = AssessmentRecord(NOW + timedelta(hours=hours), {"h": hours}, [], "self_care")
            await tx.add_assessment(1, record)
    async with store.transaction(NOW) as tx:
        records = await tx.list_assessments(1, 2)
    assert [r.answers["h"] for r in records] == [2, 1]
    assert all(r.id is not None for r in records)


async def test_events_by_kind_in_time_order(store: Store) -> None:
    async with store.transaction(NOW) as tx:
        await tx.save_user(UserRecord(1))
        await tx.log_event(1, "sleep", NOW + timedelta(hours=2))
        await tx.log_event(1, "water", NOW + timedelta(hours=1))
        await tx.log_event(1, "water", NOW - timedelta(days=2))
        await tx.log_event(1, "other", NOW + timedelta(hours=3))
    async with store.transaction(NOW) as tx:
        events = await tx.list_events(1, ["water", "sleep"], NOW)
        assert events == [("water", NOW + timedelta(hours=1)), ("sleep", NOW + timedelta(hours=2))]
        assert await tx.list_events(1, [], NOW) == []
        assert await tx.count_events(1, "water", NOW - timedelta(days=3)) == 2


async def test_the_diary_keeps_one_row_a_day(store: Store) -> None:
    async with store.transaction(NOW) as tx:
        await tx.save_user(UserRecord(1))
        await tx.save_diary(DiaryEntry(1, date(2026, 5, 3), level="strong", caffeine_mg=300))
        await tx.save_diary(DiaryEntry(1, date(2026, 5, 1), level="none"))
        await tx.save_diary(DiaryEntry(1, date(2026, 5, 3), level="mild", sleep_hours=6.5))
    async with store.transaction(NOW) as tx:
        days = await tx.list_diary(1, date(2026, 5, 2))
        assert [(d.day, d.level, d.caffeine_mg, d.sleep_hours) for d in days] == [
            (date(2026, 5, 3), "mild", None, 6.5)  # the second save replaced the day
        ]
        assert [d.day for d in await tx.list_diary(1, date(2026, 1, 1))] == [
            date(2026, 5, 1),
            date(2026, 5, 3),
        ]


async def test_misses_commonest_first_and_pruned(store: Store) -> None:
    async with store.transaction(NOW) as tx:
        for minutes, text in ((1, "a"), (2, "b"), (3, "b"), (4, "c"), (5, "c")):
            await tx.add_miss(minutes, "faq", text, NOW + timedelta(minutes=minutes))
        await tx.add_miss(9, "stress", "old", NOW - timedelta(days=40))
    async with store.transaction(NOW) as tx:
        rows = await tx.list_misses(NOW - timedelta(days=60), 3)
        assert [(r.text, r.count) for r in rows] == [("c", 2), ("b", 2), ("a", 1)]
        assert rows[0].last == NOW + timedelta(minutes=5)
        await tx.prune_misses(NOW - timedelta(days=30))
    async with store.transaction(NOW) as tx:
        rows = await tx.list_misses(NOW - timedelta(days=60), 10)
        assert "old" not in [r.text for r in rows] and len(rows) == 3


async def test_owed_messages_in_order_until_paid(store: Store) -> None:
    first = await store.owe(5, [{"text": "one"}, {"text": "two", "buttons": []}], NOW)
    second = await store.owe(6, [{"text": "three"}], NOW + timedelta(seconds=1))
    owed = await store.owed()
    assert [o.id for o in owed] == first + second
    assert [o.payload["text"] for o in owed] == ["one", "two", "three"]
    assert owed[2].send_by == NOW + timedelta(seconds=1)
    await store.paid(first)
    assert [o.payload["text"] for o in await store.owed()] == ["three"]


async def test_a_released_claim_is_adopted_after_a_restart(store: Store, database: str) -> None:
    async with store.transaction(NOW) as tx:
        await tx.save_user(UserRecord(1))
        await tx.set_reminder(ReminderRecord(1, "water", {}, NOW))
    store.use_outbox()
    [claim] = await store.claim_due(NOW, 900, lambda r, after: None)
    await store.mark_sending([(1, "water", NOW)])
    await store.release_claims([(1, "water", NOW)])  # the send met trouble: ours again
    store = await reopen(store, database)
    try:
        store.use_outbox()
        [again] = await store.claim_due(NOW + timedelta(seconds=5), 900, lambda r, after: None)
        assert (again.user_id, again.due) == (claim.user_id, claim.due)
    finally:
        await store.close()


async def test_inactive_users_get_no_reminders(store: Store) -> None:
    async with store.transaction(NOW) as tx:
        await tx.save_user(UserRecord(1, active=False))
        await tx.save_user(UserRecord(2))
        for uid in (1, 2):
            await tx.set_reminder(ReminderRecord(uid, "water", {}, NOW))
    claimed = await store.claim_due(NOW, 900, lambda r, after: None)
    assert [c.user_id for c in claimed] == [2]


async def test_one_users_transactions_do_not_interleave(store: Store) -> None:
    async with store.transaction(NOW) as tx:
        await tx.save_user(UserRecord(1, state={"n": 0}))

    async def add_one() -> None:
        async with store.transaction(NOW) as tx:
            user = await tx.get_user(1)
            await asyncio.sleep(0.01)  # the other message arrives meanwhile
            user.state["n"] += 1
            await tx.save_user(user)

    await asyncio.gather(*(add_one() for _ in range(5)))
    async with store.transaction(NOW) as tx:
        assert (await tx.get_user(1)).state == {"n": 5}


# --- transactions, claims, the outbox --------------------------------------------------------
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
