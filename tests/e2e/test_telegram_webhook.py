"""Webhook mode: updates arrive over HTTP with Telegram's secret-token header; requests
without the right secret are refused. Replies still go to the (emulated) Bot API."""

from __future__ import annotations

import time
from dataclasses import replace

import httpx

from bot.app import TelegramApp, running, webhook_options
from dialogs.knowledge import Knowledge
from tests.e2e.emulator import EmulatorClient, free_port

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def message_update(update_id: int, user_id: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Kim"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Kim"},
            "text": text,
            "entities": [{"offset": 0, "length": len(text), "type": "bot_command"}],
        },
    }


async def test_webhook_checks_the_secret_and_answers(
    emulator_url: str, telegram_bot: TelegramApp, knowledge: Knowledge
) -> None:
    port = free_port()
    settings = replace(
        telegram_bot.settings,
        webhook_url=f"https://bot.example.org/telegram/{port}",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    telegram_bot.settings = settings
    options = webhook_options(settings)
    assert telegram_bot.settings.token
    client = EmulatorClient(emulator_url, telegram_bot.settings.token)
    user = client.user(3001)
    url = f"http://127.0.0.1:{port}/{options['url_path']}"
    try:
        async with (
            running(telegram_bot, telegram_bot.build(), webhook=options),
            httpx.AsyncClient() as http,
        ):
            forged = await http.post(url, json=message_update(1, 3001, "/privacy"))
            assert forged.status_code == 403
            wrong = {SECRET_HEADER: "not-the-secret"}
            forged = await http.post(url, json=message_update(2, 3001, "/privacy"), headers=wrong)
            assert forged.status_code == 403
            right = {SECRET_HEADER: options["secret_token"]}
            accepted = await http.post(url, json=message_update(3, 3001, "/help"), headers=right)
            assert accepted.status_code == 200
            [reply] = await user.receive()
            assert reply.text == knowledge.messages("help")
    finally:
        await client.aclose()
