"""Reminders through Telegram: the dispatcher runs with the bot and sends through it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import TelegramApp, running
from tests.e2e.emulator import EmulatorClient


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def test_a_reminder_set_in_the_chat_arrives_and_its_button_works(
    emulator_url: str, telegram_bot: TelegramApp
) -> None:
    clock = Clock(datetime(2026, 6, 1, 8, 58, tzinfo=UTC))
    telegram_bot.clock = clock
    telegram_bot.reminder_interval = 0.2
    assert telegram_bot.settings.token
    client = EmulatorClient(emulator_url, telegram_bot.settings.token)
    user = client.user(4001)
    try:
        async with running(telegram_bot, telegram_bot.build(), poll_interval=0.02):
            assert telegram_bot.dispatcher is not None, "bot.reminders is wired in"
            await user.send("/remind water 09:00")
            [confirmation] = await user.receive()
            assert "09:00" in confirmation.text
            assert await user.receive(count=0, settle=0.5) == [], "nothing before it is due"
            clock.now += timedelta(minutes=2, seconds=10)
            [reminder] = await user.receive(timeout=5)
            done = reminder.button(data_prefix="rem:done:")
            await user.press(reminder, done["callback_data"])
            answers = await user.receive()
            assert answers and answers[0].text
        assert telegram_bot.dispatcher is None, "stopped with the bot"
    finally:
        await client.aclose()
