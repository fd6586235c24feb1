"""Issue 13, bot side (no network): settings that would disable a feature, token-free logs at
DEBUG, the JSON transport's line limit enforced while reading."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import jsonl
from bot.__main__ import main, setup_logging
from bot.settings import Settings, SettingsError, load_settings
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from tests.helpers import reopen

FAKE_TOKEN = "987654321:AAH_debug-level-token_for_the_redaction_test"


# --- defect 6: BOT_REMINDER_GRACE_MINUTES=0 silently stopped every reminder -----------------
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_REMINDER_GRACE_MINUTES", "0"),
        ("BOT_REMINDER_GRACE_MINUTES", "-5"),
        ("BOT_REMINDER_GRACE_MINUTES", "nan"),
        ("BOT_REMINDER_RATE", "-1"),
        ("BOT_REMINDER_RATE", "0"),
        ("BOT_SEND_RATE", "-3"),
        ("BOT_SEND_RATE", "inf"),
    ],
)
def test_settings_that_would_disable_a_feature_are_refused(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value}, dotenv=None)


def test_start_up_names_the_refused_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_REMINDER_GRACE_MINUTES", "0")
    assert main(["chat", "--json"]) == 2
    assert "BOT_REMINDER_GRACE_MINUTES" in capsys.readouterr().err


# --- defect 5: the bot token in the log at DEBUG --------------------------------------------
async def test_no_token_in_logs_at_debug(
    caplog: pytest.LogCaptureFixture, tmp_path: Path, knowledge: Knowledge
) -> None:
    from bot.app import TelegramApp

    caplog.set_level(logging.DEBUG)
    previous = logging.getLogRecordFactory()
    try:
        settings = Settings(token=FAKE_TOKEN, log_level="DEBUG", api_base_url="http://127.0.0.1:9")
        setup_logging(settings, quiet=False)
        # PTB logs "Set Bot API URL: .../bot<token>" at DEBUG while building
        TelegramApp(settings, str(tmp_path / "bot.db"), knowledge).build()
        logging.getLogger("httpx").debug("HTTP Request: POST http://x/bot%s/getMe", FAKE_TOKEN)
        logging.getLogger("httpcore.http11").debug("send_request_headers.started %s", FAKE_TOKEN)
        try:
            raise ConnectionError(f"cannot reach http://x/bot{FAKE_TOKEN}/getMe")
        except ConnectionError:
            logging.getLogger("telegram.ext.Updater").exception("network trouble")
    finally:
        logging.setLogRecordFactory(previous)
    assert any("bot" in r.getMessage() for r in caplog.records if r.name.startswith("telegram"))
    logged = caplog.text + "".join(r.getMessage() + str(r.exc_text or "") for r in caplog.records)
    assert FAKE_TOKEN not in logged
    assert FAKE_TOKEN.split(":")[1] not in logged
    assert "[redacted]" in logged


# --- defect 6: chat --json read a whole 200 MB line before its limit -----------------------
class MeasuredSource(io.StringIO):
    """A stdin stand-in that records the most characters any one read returned."""

    largest = 0

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline(-1 if size is None else size)
        self.largest = max(self.largest, len(line))
        return line


async def test_the_line_limit_holds_while_reading(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonl, "MAX_LINE", 1000)
    huge = json.dumps({"user_id": 1, "text": "x" * 50_000})
    lines = [huge, json.dumps({"user_id": 1, "text": "/help"}), "y" * 1001, ""]
    source = MeasuredSource("\n".join(lines))
    sink = io.StringIO()
    await jsonl.serve(engine, source, sink)
    out = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert len(out) == 3
    assert "longer than 1000" in out[0]["error"]
    assert out[1]["replies"], "the next line is answered"
    assert "longer than 1000" in out[2]["error"]
    assert source.largest <= 64 * 1024 + 1, "never a whole long line in memory"


def test_read_line_keeps_lines_at_the_limit() -> None:
    source = io.StringIO("a" * 10 + "\n" + "b" * 11 + "\n" + "c" * 10)
    assert jsonl.read_line(source, 10) == ("a" * 10 + "\n", True)
    assert jsonl.read_line(source, 10)[1] is False
    assert jsonl.read_line(source, 10) == ("c" * 10, True)
    assert jsonl.read_line(source, 10) == ("", True)


# --- defect 1: a send was retried for ~3.5 s, then dropped for good -------------------------
async def test_a_reply_is_retried_through_a_twenty_second_outage() -> None:
    from telegram.error import NetworkError, TimedOut

    from dialogs.types import Reply
    from tests.helpers import FakeBot, sender_for

    outage = [NetworkError("Bad Gateway"), TimedOut(), NetworkError("connect failed")] * 4
    bot, waits = FakeBot(*outage), []
    assert await sender_for(bot, waits, window=60).send(Reply(5, "hi"))
    assert [m["text"] for m in bot.sent] == ["hi"]
    assert sum(waits) >= 20 and max(waits) <= 5.0, waits  # growing pauses, capped


async def test_a_reminder_is_retried_until_its_grace_window_ends() -> None:
    from telegram.error import NetworkError

    from dialogs.types import Reply
    from tests.helpers import FakeBot, sender_for

    bot, waits = FakeBot(*[NetworkError("down")] * 1000), []
    sender = sender_for(bot, waits, window=0)
    now = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    sender.clock = lambda: now
    reminder = Reply(5, "water", reminder="water", send_by=now + timedelta(minutes=2))
    with pytest.raises(NetworkError):
        await sender.send(reminder)
    assert 115 <= sum(waits) <= 120, sum(waits)  # given up only at the end of the window


# --- defect 1: chat replies lost in an outage, with no apology ------------------------------
async def test_a_reply_given_up_is_followed_by_one_lost_message_note(knowledge: Knowledge) -> None:
    import asyncio

    from telegram.error import NetworkError

    from bot.telegram import TelegramBot
    from dialogs.types import Reply
    from tests.helpers import FakeBot, sender_for

    bot, waits = FakeBot(*[NetworkError("down")] * 8), []
    telegram_bot = TelegramBot(Settings(), ":memory:", knowledge)
    telegram_bot.sender = sender_for(bot, waits, window=0)  # gives up after 3 retries
    await telegram_bot.deliver([Reply(9, "one", buttons=[]), Reply(9, "two")])
    await telegram_bot.deliver([Reply(9, "three")])  # given up too: still one note
    for _ in range(100):
        await asyncio.sleep(0)
    texts = [m["text"] for m in bot.sent]
    assert texts == [knowledge.messages("tg_lost")], texts


# --- defect 6: 150 messages at once from one user: some lost silently -----------------------
async def test_a_flooding_user_is_told_once_to_slow_down(knowledge: Knowledge) -> None:
    import asyncio
    from types import SimpleNamespace

    from bot.telegram import TelegramBot
    from bot.user_locks import UserLocks
    from tests.helpers import FakeBot, sender_for

    bot = FakeBot()
    telegram_bot = TelegramBot(Settings(), ":memory:", knowledge, locks=UserLocks(limit=3))
    telegram_bot.sender = sender_for(bot, [])
    release = asyncio.Event()
    turns: list[bool] = []

    async def update(number: int) -> None:
        async with telegram_bot._in_order(SimpleNamespace(update_id=number), 77) as turn:  # type: ignore[arg-type]
            turns.append(turn)
            if turn:
                await release.wait()

    tasks = [asyncio.create_task(update(n)) for n in range(10)]
    await asyncio.sleep(0.05)
    release.set()
    await asyncio.gather(*tasks)
    assert turns.count(False) == 7
    assert [m["text"] for m in bot.sent] == [knowledge.messages("tg_slow_down")]


# --- defect 6: the database file deleted under a running bot went unnoticed -----------------
@pytest.mark.parametrize("how", ["removed", "replaced"])
async def test_a_vanished_or_replaced_database_file_stops_the_bot(
    knowledge: Knowledge, tmp_path: Path, how: str
) -> None:
    import asyncio
    import os

    from bot.app import TelegramApp
    from bot.sqlite_store import SQLiteStore
    from dialogs.ports import StoreError

    path = tmp_path / "bot.db"
    store = await SQLiteStore.open(path)
    try:
        store.check_file()  # fine as opened
        stopped: list[bool] = []
        telegram_bot = TelegramApp(Settings(), str(path), knowledge, watch_interval=0.01)
        telegram_bot.engine = Engine(knowledge, store)
        telegram_bot.on_fatal = lambda: stopped.append(True)
        watch = asyncio.create_task(telegram_bot._watch_store())
        await asyncio.sleep(0.05)
        assert not stopped
        os.remove(path)
        if how == "replaced":
            path.write_bytes(b"")
        await asyncio.wait_for(watch, 2)
        assert stopped == [True]
        assert telegram_bot.fatal and str(path) in telegram_bot.fatal and how in telegram_bot.fatal
        with pytest.raises(StoreError, match=how):
            store.check_file()
    finally:
        await store.close()


# --- defect 6: a deleted user's text stayed in the -wal file while the bot ran -------------
async def test_delete_leaves_no_text_in_the_wal_or_the_database_file(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    from bot.sqlite_store import SQLiteStore
    from dialogs.ports import UserRecord
    from dialogs.types import Incoming

    marker = "zqxwalmarker"
    path = tmp_path / "bot.db"
    store = await SQLiteStore.open(path)
    try:
        engine = Engine(knowledge, store)
        now = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
        async with store.transaction(now) as tx:
            await tx.save_user(UserRecord(31, state={"note": marker * 50}))
        for other in range(1, 30):  # others' rows share the pages
            await engine.handle(Incoming(other, now, text="/check"))
        wal = Path(str(path) + "-wal")
        assert marker.encode() in wal.read_bytes() + path.read_bytes()
        await engine.handle(Incoming(31, now, text="/delete"))
        await engine.handle(Incoming(31, now, callback="del:yes"))
        assert marker.encode() not in (wal.read_bytes() if wal.exists() else b"")
        assert marker.encode() not in path.read_bytes()
    finally:
        await store.close()


# --- defect 2: reminders sent after "/remind water off" or /delete, when already queued ----
async def test_reminders_queued_in_a_burst_are_not_sent_once_turned_off_or_deleted(
    knowledge: Knowledge,
) -> None:
    import asyncio

    from bot.memory_store import MemoryStore
    from bot.reminders import ReminderDispatcher
    from dialogs.types import Incoming, Reply

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


# --- defect 1: what is owed survives a crash in the middle of an outage ---------------------
async def test_replies_that_met_an_outage_are_kept_owed_and_sent_after_a_restart(
    knowledge: Knowledge, database: str
) -> None:
    import asyncio

    from telegram.error import NetworkError

    from bot.stores import open_store
    from bot.telegram import TelegramBot
    from bot.telegram_send import Sender
    from dialogs.types import Button, Reply
    from tests.helpers import FakeBot

    path = database
    store = await open_store(path)
    first = TelegramBot(Settings(), str(path), knowledge)
    first.engine = Engine(knowledge, store)
    hang = asyncio.Event()

    async def stuck(seconds: float) -> None:  # the outage goes on until the "crash"
        await hang.wait()

    first.sender = Sender(FakeBot(NetworkError("Bad Gateway")), sleep=stuck)  # type: ignore[arg-type]
    batch = [
        Reply(8, "first answer", buttons=[[Button("Yes", "ans:x:y")]]),
        Reply(8, "second answer", buttons=[[Button("No", "ans:x:n")]]),
    ]
    sending = asyncio.create_task(first.deliver(batch))
    for _ in range(200):
        await asyncio.sleep(0.005)
        if await store.owed():
            break
    sending.cancel()  # kill -9 in the middle of the outage
    store = await reopen(store, database)  # the next run
    try:
        second = TelegramBot(Settings(), str(path), knowledge)
        second.engine = Engine(knowledge, store)
        telegram = FakeBot()
        second.sender = Sender(telegram)  # type: ignore[arg-type]
        await second.pay_owed()
        assert [m["text"] for m in telegram.sent] == ["first answer", "second answer"]
        assert telegram.sent[0]["reply_markup"].inline_keyboard[0][0].callback_data == "ans:x:y"
        assert await store.owed() == []
    finally:
        await store.close()


async def test_reminders_in_flight_during_an_outage_are_adopted_after_a_crash(
    knowledge: Knowledge, database: str
) -> None:
    import asyncio

    from bot.reminders import ReminderDispatcher
    from bot.stores import open_store
    from dialogs.types import Incoming, Reply

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
