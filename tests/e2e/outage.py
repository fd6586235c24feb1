"""The outage scenario (issue 13): a burst of reminders while the Bot API goes away.

`reminder_outage(...)` sets up `users` users with a water reminder due at 09:00, starts the
bot at 09:00:30 (its clock is fixed) with the `FaultProxy` between it and the emulator, and
once `start_after` reminders have arrived cuts the Bot API: `outage / 2` seconds unreachable,
then `outage / 2` seconds answering 502 to everything. Then the proxy passes again and the
scenario waits until every user has a reminder (or `timeout`), and `settle` seconds more for
duplicates. Used by tests/e2e/test_reliability_e2e.py (small) and bench/outage_bench.py
(400 reminders, 20 s).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import TelegramApp, running
from bot.runtime import open_engine
from bot.settings import Settings
from dialogs.knowledge import Knowledge
from dialogs.types import Incoming
from tests.e2e.emulator import EmulatorClient, fresh_token
from tests.e2e.faultproxy import FaultProxy

NINE = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@dataclass
class OutageResult:
    users: int
    delivered: int  # reminder messages that reached the emulator
    once: int  # users with exactly one
    missing: int  # users with none
    duplicates: int  # users with more than one
    before_outage: int  # delivered when the outage began
    outage_seconds: float
    drained_after: float  # seconds from the end of the outage to the last reminder
    refused: int  # requests the proxy answered 502


async def reminder_outage(
    emulator_url: str,
    folder: Path,
    knowledge: Knowledge,
    users: int = 40,
    outage: float = 4.0,
    reminder_rate: float = 10.0,
    start_after: int = 5,
    timeout: float = 120.0,
    settle: float = 2.0,
) -> OutageResult:
    database = str(folder / "outage.db")
    first_user = 700_000
    ids = range(first_user, first_user + users)
    async with open_engine(database, 15, knowledge) as engine:
        for user in ids:
            await engine.handle(
                Incoming(user, NINE - timedelta(hours=1), text="/remind water 09:00")
            )
    token = fresh_token()
    port = int(emulator_url.rsplit(":", 1)[1])
    client = EmulatorClient(emulator_url, token)
    async with FaultProxy(port) as proxy:
        settings = replace(
            Settings(),
            token=token,
            api_base_url=proxy.url,
            send_rate=1000,
            reminder_rate=reminder_rate,
        )
        telegram_bot = TelegramApp(
            settings,
            database,
            knowledge,
            clock=lambda: NINE + timedelta(seconds=30),
            reminder_interval=0.2,
        )
        try:
            async with running(telegram_bot, telegram_bot.build(), poll_interval=0.05):
                deadline = time.monotonic() + timeout
                while await client.bot_message_count() < start_after:
                    assert time.monotonic() < deadline, "no reminders before the outage"
                    await asyncio.sleep(0.02)
                before = await client.bot_message_count()
                began = time.monotonic()
                await proxy.set_mode("down")
                await asyncio.sleep(outage / 2)
                await proxy.set_mode("5xx")
                await asyncio.sleep(outage / 2)
                await proxy.set_mode("ok")
                ended = time.monotonic()
                last_change, count = ended, await client.bot_message_count()
                while count < users and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                    now_count = await client.bot_message_count()
                    if now_count != count:
                        last_change, count = time.monotonic(), now_count
                await asyncio.sleep(settle)
            per_user: Counter[int] = Counter()
            for user in ids:
                got = await client.user(user)._unread()
                per_user[user] = sum(1 for m in got if m.buttons)
        finally:
            await client.aclose()
    return OutageResult(
        users=users,
        delivered=sum(per_user.values()),
        once=sum(1 for n in per_user.values() if n == 1),
        missing=sum(1 for n in per_user.values() if n == 0),
        duplicates=sum(1 for n in per_user.values() if n > 1),
        before_outage=before,
        outage_seconds=round(ended - began, 1),
        drained_after=round(max(0.0, last_change - ended), 1),
        refused=proxy.refused,
    )
