"""Issue 13 through the emulator, some with the fault-injecting proxy in between."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import PatientApplication, TelegramApp, running
from bot.settings import Settings
from dialogs.knowledge import Knowledge
from tests.e2e.emulator import EmulatorClient, fresh_token
from tests.e2e.faultproxy import FaultProxy
from tests.e2e.outage import reminder_outage
from tests.helpers import SECRET_HEADER, use_webhook


# --- defect 1: reminders lost in a short Bot API outage -------------------------------------
async def test_an_outage_during_a_reminder_burst_loses_nothing_and_sends_nothing_twice(
    emulator_url: str, tmp_path: Path, knowledge: Knowledge
) -> None:
    result = await reminder_outage(
        emulator_url, tmp_path, knowledge, users=40, outage=5.0, reminder_rate=10.0
    )
    assert result.before_outage < result.users, "the outage came in the middle of the burst"
    assert result.refused > 0, "the bot met the 502s"
    assert result.missing == 0 and result.duplicates == 0, result
    assert result.once == 40


# --- defect 6: an unreachable Bot API at start-up ended in a traceback ----------------------
async def test_start_up_waits_for_the_bot_api(
    emulator_url: str, knowledge: Knowledge, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    port = int(emulator_url.rsplit(":", 1)[1])
    async with FaultProxy(port) as proxy:
        await proxy.set_mode("down")
        settings = replace(Settings(), token=fresh_token(), api_base_url=proxy.url)
        app = TelegramApp(settings, str(tmp_path / "bot.db"), knowledge).build()
        assert isinstance(app, PatientApplication)
        app.startup_backoff = (0.2, 0.5)
        starting = asyncio.create_task(app.initialize())
        await asyncio.sleep(1.0)
        assert not starting.done(), "still waiting, no exception"
        await proxy.set_mode("ok")
        await asyncio.wait_for(starting, 10)
        await app.shutdown()
    assert "cannot be reached" in caplog.text
    assert "Traceback" not in caplog.text
    assert settings.token not in caplog.text  # type: ignore[operator]


# --- defect 4: webhook bodies read whole before the secret was checked ----------------------
def _raw_post(port: int, path: str, headers: dict[str, str], timeout: float = 3.0) -> str:
    """Send only the request head (claiming a huge body) and return the status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock.sendall(f"POST /{path} HTTP/1.1\r\nHost: x\r\n{head}\r\n".encode())
        sock.sendall(b"{" + b" " * 65536)  # the start of a body that never ends
        return sock.recv(200).decode(errors="replace").split("\r\n")[0]


async def test_webhook_refuses_large_or_unsigned_bodies_before_reading_them(
    emulator_url: str, telegram_bot: TelegramApp
) -> None:
    options = use_webhook(telegram_bot, "hook")
    port = options["port"]
    huge = {"Content-Type": "application/json", "Content-Length": str(95 * 1024 * 1024)}
    async with running(telegram_bot, telegram_bot.build(), webhook=options):
        started = time.monotonic()
        unsigned = await asyncio.to_thread(_raw_post, port, options["url_path"], huge)
        signed = await asyncio.to_thread(
            _raw_post,
            port,
            options["url_path"],
            {**huge, SECRET_HEADER: options["secret_token"]},
        )
        assert time.monotonic() - started < 5
    assert " 403 " in unsigned + " ", unsigned
    assert " 413 " in signed + " ", signed


# --- defect 6: one user sending 150 messages at once lost some silently ---------------------
async def test_a_flood_gets_one_slow_down_message(
    emulator_url: str, telegram_bot: TelegramApp, knowledge: Knowledge
) -> None:
    from bot.user_locks import UserLocks

    telegram_bot.locks = UserLocks(limit=20)
    assert telegram_bot.settings.token
    client = EmulatorClient(emulator_url, telegram_bot.settings.token)
    user = client.user(5151)
    try:
        async with running(telegram_bot, telegram_bot.build(), poll_interval=0.3):
            await asyncio.gather(*(user.send(f"/help {n}") for n in range(150)))
            got = await user.receive(count=1, timeout=30, settle=3.0)
    finally:
        await client.aclose()
    slow = [m for m in got if m.text == knowledge.messages("tg_slow_down")]
    answered = [m for m in got if m.text != knowledge.messages("tg_slow_down")]
    assert len(answered) == 150 or len(slow) == 1, (len(answered), len(slow))
    assert len(slow) <= 1
