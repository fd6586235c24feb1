"""The reminder dispatcher: claims through the engine, paced sending, blocked users."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.reminders import Pacer, ReminderDispatcher
from bot.sqlite_store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from dialogs.types import Incoming, Reply
from tests.helpers import reopen

NINE = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
HOUR_BEFORE = NINE - timedelta(hours=1)


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_pacer_spaces_events() -> None:
    clock = FakeMonotonic()
    pacer = Pacer(25.0, clock)
    assert pacer.wait_time() == 0
    pacer.mark()
    assert abs(pacer.wait_time() - 0.04) < 1e-9
    clock.now += 0.03
    assert abs(pacer.wait_time() - 0.01) < 1e-9
    clock.now += 0.01
    assert pacer.wait_time() == 0


class Recorder:
    """A fake Telegram: records when each chat got what; some users have blocked the bot."""

    def __init__(self, blocked: frozenset[int] = frozenset()) -> None:
        self.sent: list[tuple[float, int, str | None]] = []
        self.blocked = blocked

    async def __call__(self, reply: Reply) -> bool:
        await asyncio.sleep(0.002)  # a little network time
        if reply.user_id in self.blocked:
            return False
        self.sent.append((time.monotonic(), reply.user_id, reply.reminder))
        return True


async def _engine(knowledge: Knowledge, path: Path) -> Engine:
    return Engine(knowledge, await SQLiteStore.open(path))


async def _wait_for(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_dispatcher_sends_paced_and_per_chat(knowledge: Knowledge, tmp_path: Path) -> None:
    engine = await _engine(knowledge, tmp_path / "bot.db")
    try:
        for user in range(1, 31):
            await engine.handle(
                Incoming(user, NINE - timedelta(hours=1), text="/remind water 09:00")
            )
        await engine.handle(Incoming(1, HOUR_BEFORE, text="/remind sleep 09:00"))
        recorder = Recorder(blocked=frozenset({3}))
        dispatcher = ReminderDispatcher(
            engine, recorder, clock=lambda: NINE + timedelta(seconds=30),
            reminder_rate=100.0, per_chat_rate=5.0, interval=0.05,
        )  # fmt: skip
        await dispatcher.start()
        await _wait_for(lambda: len(recorder.sent) == 30 and dispatcher.blocked == 1)
        await dispatcher.stop()
        times = [t for t, _, _ in recorder.sent]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) > 1 / 100 - 0.003  # never faster than the overall rate
        first_chat = [t for t, user, _ in recorder.sent if user == 1]
        assert len(first_chat) == 2 and first_chat[1] - first_chat[0] >= 1 / 5 - 0.003
        assert sorted({user for _, user, _ in recorder.sent}) == [u for u in range(1, 31) if u != 3]
        # the user who blocked the bot gets nothing more; the others do
        tomorrow = await engine.fire_due(NINE + timedelta(days=1))
        assert {r.user_id for r in tomorrow} == {u for u in range(1, 31) if u != 3}
    finally:
        await engine.store.close()


class EndlessEngine:
    """fire_due always has 10 more: the dispatcher must stop claiming when its queue is full."""

    grace_seconds = 900.0

    def __init__(self) -> None:
        self.calls = 0

    async def fire_due(self, now: datetime) -> list[Reply]:
        self.calls += 1
        return [Reply(self.calls * 100 + i, "x", reminder="water") for i in range(10)]

    async def reminder_wanted(self, user_id: int, kind: str, now: datetime) -> bool:
        return True

    async def mark_inactive(self, user_id: int, now: datetime) -> None:
        raise AssertionError("nobody blocked the bot")


async def test_queue_is_bounded_by_what_the_grace_window_can_send() -> None:
    engine = EndlessEngine()
    dispatcher = ReminderDispatcher(engine, Recorder(), reminder_rate=25.0)
    assert dispatcher.max_queue == 25 * 900
    small = ReminderDispatcher(engine, Recorder(), max_queue=25)
    assert await small.tick() == 30
    assert small.pending == 30 and engine.calls == 3
    assert await small.tick() == 0  # full: the rest stays in the database


async def test_a_failing_send_does_not_stop_the_others(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    engine = await _engine(knowledge, tmp_path / "bot.db")
    try:
        for user in (1, 2):
            await engine.handle(
                Incoming(user, NINE - timedelta(hours=1), text="/remind water 09:00")
            )
        delivered: list[int] = []

        async def flaky(reply: Reply) -> bool:
            if reply.user_id == 1:
                raise ConnectionError("network down")
            delivered.append(reply.user_id)
            return True

        dispatcher = ReminderDispatcher(engine, flaky, clock=lambda: NINE, interval=0.05)
        await dispatcher.start()
        await _wait_for(lambda: delivered == [2] and dispatcher.failed == 1)
        await dispatcher.stop()
    finally:
        await engine.store.close()


async def test_what_a_stopped_run_left_queued_goes_out_after_the_restart(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    path = tmp_path / "bot.db"
    engine = await _engine(knowledge, path)
    try:
        for user in range(1, 6):
            await engine.handle(Incoming(user, HOUR_BEFORE, text="/remind water 09:00"))
        first = Recorder()
        dispatcher = ReminderDispatcher(
            engine, first, clock=lambda: NINE, reminder_rate=4.0, interval=0.05
        )
        await dispatcher.start()
        await _wait_for(lambda: len(first.sent) >= 1)
        await dispatcher.stop()
        sent = {user for _, user, _ in first.sent}
        assert 1 <= len(sent) < 5
    finally:
        await engine.store.close()
    engine = await _engine(knowledge, path)  # the restart, inside the grace window
    try:
        second = Recorder()
        dispatcher = ReminderDispatcher(
            engine, second, clock=lambda: NINE + timedelta(minutes=5), interval=0.05
        )
        await dispatcher.start()
        await _wait_for(lambda: len(second.sent) == 5 - len(sent))
        await asyncio.sleep(0.2)
        await dispatcher.stop()
        assert {user for _, user, _ in second.sent} == set(range(1, 6)) - sent
    finally:
        await engine.store.close()


async def test_outbox_after_a_crash(tmp_path: Path, knowledge: Knowledge) -> None:
    """Claimed, two handed over, then the process dies: the next run sends the other three
    inside the grace window, and nothing after it."""
    path = tmp_path / "bot.db"
    engine = await _engine(knowledge, path)
    for user in range(1, 6):
        await engine.handle(Incoming(user, HOUR_BEFORE, text="/remind water 09:00"))
    engine.store.use_outbox()
    claimed = await engine.fire_due(NINE)
    assert len(claimed) == 5
    await engine.store.mark_sending([(r.user_id, "water", NINE) for r in claimed[:2]])
    await engine.store.close()  # the crash: three never handed over
    handed = {r.user_id for r in claimed[:2]}
    late = await _engine(knowledge, path)
    try:
        late.store.use_outbox()
        assert await late.fire_due(NINE + timedelta(minutes=16)) == []  # beyond the window
    finally:
        await late.store.close()
    engine = await _engine(knowledge, path)
    try:
        engine.store.use_outbox()
        adopted = await engine.fire_due(NINE + timedelta(minutes=14))
        assert {r.user_id for r in adopted} == set(range(1, 6)) - handed
        assert await engine.fire_due(NINE + timedelta(minutes=14, seconds=30)) == []
    finally:
        await engine.store.close()


# --- defect 2: reminders sent after "/remind water off" or /delete, when already queued ----
async def test_reminders_queued_in_a_burst_are_not_sent_once_turned_off_or_deleted(
    knowledge: Knowledge,
) -> None:
    import asyncio

    from bot.memory_store import MemoryStore
    from bot.reminders import ReminderDispatcher
    from dialogs.types import Incoming

    nine = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    store = MemoryStore()
    engine = Engine(knowledge, store)
    sent: list[int] = []

    async def send(reply: Reply) -> bool:
        sent.append(reply.user_id)
        return True

    try:
        for user in range(1, 41):
            await engine.handle(
                Incoming(user, nine - timedelta(hours=1), text="/remind water 09:00")
            )
        dispatcher = ReminderDispatcher(
            engine, send, clock=lambda: nine + timedelta(seconds=30), reminder_rate=20.0,
            interval=60,
        )  # fmt: skip
        await dispatcher.start()
        while not sent:
            await asyncio.sleep(0.005)
        assert dispatcher.pending > 30, "the burst is queued"
        later = nine + timedelta(seconds=31)
        for user in range(21, 31):
            await engine.handle(Incoming(user, later, text="/remind water off"))
        for user in range(31, 41):
            await engine.handle(Incoming(user, later, text="/delete"))
            await engine.handle(Incoming(user, later, callback="del:yes"))
        while dispatcher.pending:
            await asyncio.sleep(0.01)
        await dispatcher.stop()
        assert not set(sent) & set(range(21, 41)), sorted(set(sent) & set(range(21, 41)))
        assert set(range(1, 6)) <= set(sent)
        assert dispatcher.dropped >= 15
    finally:
        await store.close()


async def test_reminders_in_flight_during_an_outage_are_adopted_after_a_crash(
    knowledge: Knowledge, database: str
) -> None:
    import asyncio

    from bot.reminders import ReminderDispatcher
    from bot.stores import open_store
    from dialogs.types import Incoming

    nine = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    path = database
    store = await open_store(path)
    engine = Engine(knowledge, store)
    for user in (1, 2, 3):
        await engine.handle(Incoming(user, nine - timedelta(hours=1), text="/remind water 09:00"))
    in_flight: list[int] = []
    forever = asyncio.Event()

    async def send(reply: Reply, on_trouble=None, still_wanted=None) -> bool:  # type: ignore[no-untyped-def]
        in_flight.append(reply.user_id)
        await on_trouble()  # the Bot API is down
        await forever.wait()  # ... and the process dies before it comes back
        return True

    dispatcher = ReminderDispatcher(
        engine, send, clock=lambda: nine + timedelta(seconds=30), reminder_rate=100.0
    )
    await dispatcher.start()
    while len(in_flight) < 3:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    await dispatcher.stop(timeout=0.01)
    for task in list(dispatcher._in_flight):
        task.cancel()
    store = await reopen(store, database)  # the next run adopts them (inside the window)
    try:
        store.use_outbox()
        again = await Engine(knowledge, store).fire_due(nine + timedelta(minutes=1))
        assert sorted(r.user_id for r in again) == [1, 2, 3]
    finally:
        await store.close()


async def test_a_reminder_turned_off_during_an_outage_is_not_sent_when_it_ends(
    knowledge: Knowledge,
) -> None:
    import asyncio

    from telegram.error import NetworkError

    from bot.memory_store import MemoryStore
    from bot.reminders import ReminderDispatcher
    from bot.telegram_send import Sender
    from dialogs.types import Incoming
    from tests.helpers import FakeBot

    nine = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    store = MemoryStore()
    engine = Engine(knowledge, store)
    try:
        await engine.handle(Incoming(4, nine - timedelta(hours=1), text="/remind water 09:00"))
        telegram = FakeBot(*[NetworkError("Bad Gateway")] * 3)  # a short outage
        pauses: list[float] = []

        async def pause(seconds: float) -> None:  # during the outage the user turns it off
            if not pauses:
                await engine.handle(Incoming(4, nine, text="/remind water off"))
            pauses.append(seconds)

        sender = Sender(telegram, sleep=pause, clock=lambda: nine)  # type: ignore[arg-type]
        dispatcher = ReminderDispatcher(engine, sender.send, clock=lambda: nine)
        await dispatcher.start()
        while not pauses:
            await asyncio.sleep(0.01)
        while dispatcher.pending:
            await asyncio.sleep(0.01)
        await dispatcher.stop()
        assert pauses and telegram.sent == []
    finally:
        await store.close()
