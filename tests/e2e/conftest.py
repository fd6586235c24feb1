"""End-to-end fixtures: the emulator (one per session) and the bot, in-process, per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import TelegramApp, running
from bot.settings import Settings
from dialogs.knowledge import Knowledge
from tests.e2e.emulator import EmulatorClient, emulator, fresh_token


@pytest.fixture(scope="session")
def emulator_url() -> Iterator[str]:
    if shutil.which("node") is None and not os.environ.get("CI"):
        pytest.skip("node is not installed: the Telegram emulator cannot run (CI installs it)")
    with emulator() as url:
        yield url


@pytest.fixture
def telegram_bot(emulator_url: str, tmp_path: Path, knowledge: Knowledge) -> TelegramApp:
    """The bot's parts, under a fresh token (the emulator keeps updates per token)."""
    settings = replace(Settings(), token=fresh_token(), api_base_url=emulator_url, send_rate=1000)
    return TelegramApp(settings, str(tmp_path / "bot.db"), knowledge)


@pytest.fixture
async def telegram(emulator_url: str, telegram_bot: TelegramApp) -> AsyncIterator[EmulatorClient]:
    """The bot running in-process with long polling against the emulator; a client to act
    as its users."""
    app = telegram_bot.build()
    assert telegram_bot.settings.token
    client = EmulatorClient(emulator_url, telegram_bot.settings.token)
    try:
        async with running(telegram_bot, app, poll_interval=0.02):
            yield client
    finally:
        await client.aclose()
