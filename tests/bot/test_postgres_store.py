"""PostgreSQL only: several processes on one database (the per-user lock, claims that never
overlap, one dispatching leader replaced when it goes), schema versions."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.postgres_store import PostgresStore
from bot.stores import open_store
from dialogs.ports import ReminderRecord, StoreError, UserRecord

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def pg_url(postgres) -> str:
    url = postgres.new_database()
    yield url
    postgres.drop(url)


def _next_day(reminder: ReminderRecord, after: datetime) -> datetime:
    return reminder.next_due + timedelta(days=1)


async def test_one_users_transactions_wait_for_each_other(pg_url: str) -> None:
    first, second = await open_store(pg_url), await open_store(pg_url)
    order: list[str] = []
    inside = asyncio.Event()

    async def slow() -> None:
        async with first.transaction(NOW) as tx:
            await tx.get_user(5)
            order.append("first in")
            inside.set()
            await asyncio.sleep(0.3)
            await tx.save_user(UserRecord(5, state={"n": 1}))
            order.append("first out")

    async def other_user() -> None:
        await inside.wait()
        async with second.transaction(NOW) as tx:
            await tx.get_user(6)  # a different user is not held up
            order.append("other user")

    async def same_user() -> None:
        await inside.wait()
        async with second.transaction(NOW) as tx:
            user = await tx.get_user(5)  # waits for the first transaction's commit
            order.append("second in")
            assert user is not None and user.state == {"n": 1}

    await asyncio.gather(slow(), other_user(), same_user())
    assert order.index("other user") < order.index("first out") < order.index("second in")
    await first.close()
    await second.close()


async def test_two_stores_claiming_at_once_never_share_an_occurrence(pg_url: str) -> None:
    stores = [await open_store(pg_url) for _ in range(3)]
    async with stores[0].transaction(NOW) as tx:
        for uid in range(1, 301):
            await tx.save_user(UserRecord(uid))
            await tx.set_reminder(ReminderRecord(uid, "water", {}, NOW))

    async def claim_all(store) -> list[int]:
        got: list[int] = []
        while batch := await store.claim_due(NOW, 900, _next_day, limit=20):
            got += [c.user_id for c in batch]
        return got

    results = await asyncio.gather(*(claim_all(s) for s in stores))
    everything = [uid for got in results for uid in got]
    assert sorted(everything) == list(range(1, 301))  # each exactly once
    for store in stores:
        await store.close()


async def test_one_leader_at_a_time_and_a_successor_when_it_goes(pg_url: str) -> None:
    a, b = await open_store(pg_url), await open_store(pg_url)
    assert await a.try_lead() is True
    assert await a.try_lead() is True  # still
    assert await b.try_lead() is False
    await a.close()  # the leader's connection goes: the lock with it
    assert await b.try_lead() is True
    await b.close()


async def test_a_newer_schema_is_refused(pg_url: str) -> None:
    import asyncpg

    await (await PostgresStore.open(pg_url)).close()
    conn = await asyncpg.connect(pg_url)
    await conn.execute("INSERT INTO schema_version (version) VALUES (999)")
    await conn.close()
    with pytest.raises(StoreError, match="newer"):
        await PostgresStore.open(pg_url)


async def test_an_unreachable_server_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StoreError) as error:
        await PostgresStore.open("postgresql://bot:secret@127.0.0.1:1/none")
    assert "secret" not in str(error.value)


async def test_several_instances_starting_at_once_migrate_once(postgres) -> None:
    import asyncpg

    from tests.pg import with_database

    name = "t_fresh_migrate"
    admin = await asyncpg.connect(postgres.admin_url)
    await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    await admin.execute(f"CREATE DATABASE {name}")
    await admin.close()
    url = with_database(postgres.admin_url, name)
    stores = await asyncio.gather(*(PostgresStore.open(url) for _ in range(4)))
    conn = await asyncpg.connect(url)
    versions = [r[0] for r in await conn.fetch("SELECT version FROM schema_version")]
    await conn.close()
    for store in stores:
        await store.close()
    assert versions == sorted(set(versions)) and versions[-1] == len(versions)


async def test_instances_share_the_send_rate_by_their_heartbeats(pg_url: str) -> None:
    from bot.shared_rate import share

    first, second = await open_store(pg_url), await open_store(pg_url)
    assert isinstance(first, PostgresStore) and isinstance(second, PostgresStore)
    try:
        assert await first.heartbeat() == 1
        assert share(30, await first.heartbeat()) == 30
        assert await second.heartbeat() == 2
        assert share(30, await first.heartbeat()) == 15
        third = await open_store(pg_url)
        assert isinstance(third, PostgresStore)
        assert await third.heartbeat() == 3
        await third.close()  # a clean stop leaves at once
        assert await first.heartbeat() == 2
        # an instance that died (no heartbeat for stale_seconds) is no longer counted
        first.stale_seconds = 0.2
        await asyncio.sleep(0.3)
        assert await first.heartbeat() == 1
        assert share(30, await first.heartbeat()) == 30
    finally:
        await first.close()
        await second.close()


async def test_owed_replies_belong_to_their_instance_until_it_is_gone(pg_url: str) -> None:
    first, second = await open_store(pg_url), await open_store(pg_url)
    assert isinstance(first, PostgresStore) and isinstance(second, PostgresStore)
    until = NOW + timedelta(minutes=1)
    try:
        await first.heartbeat()
        await second.heartbeat()
        mine = await first.owe(7, [{"text": "a"}, {"text": "b"}], until)
        theirs = await second.owe(8, [{"text": "c"}], until)
        assert [m.payload["text"] for m in await first.owed()] == ["a", "b"]
        # the other instance is alive: its row is not taken
        assert [m.id for m in await first.owed()] == mine
        assert [m.id for m in await second.owed()] == theirs
        # the first one dies (heartbeat goes stale): the second takes over its rows, once
        second.stale_seconds = 0.3
        await asyncio.sleep(0.5)
        adopted = await second.owed()
        assert [m.payload["text"] for m in adopted] == ["a", "b", "c"]
        assert adopted[0].user_id == 7 and adopted[0].send_by == until
        await second.paid([m.id for m in adopted])
        assert await second.owed() == []
    finally:
        await first.close()
        await second.close()


async def test_two_instances_adopting_at_once_never_share_a_row(pg_url: str) -> None:
    dead, a, b = [await open_store(pg_url) for _ in range(3)]
    for store in (dead, a, b):
        assert isinstance(store, PostgresStore)
    owed = await dead.owe(9, [{"text": str(i)} for i in range(200)], NOW)
    await dead.close()  # gone: its rows are free
    got = await asyncio.gather(a.owed(), b.owed())
    ids = [m.id for m in got[0]] + [m.id for m in got[1]]
    assert sorted(ids) == sorted(owed)
    await a.close()
    await b.close()
