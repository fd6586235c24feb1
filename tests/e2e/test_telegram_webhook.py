"""Webhook mode: updates arrive over HTTP with Telegram's secret-token header; requests
without the right secret are refused. Replies still go to the (emulated) Bot API."""

from __future__ import annotations

import httpx

from bot.app import TelegramApp, running
from dialogs.knowledge import Knowledge
from tests.e2e.emulator import EmulatorClient
from tests.helpers import SECRET_HEADER, message_update, use_webhook


async def test_webhook_checks_the_secret_and_answers(
    emulator_url: str, telegram_bot: TelegramApp, knowledge: Knowledge
) -> None:
    options = use_webhook(telegram_bot, "telegram")
    port = options["port"]
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
