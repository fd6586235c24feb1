"""Sending (bot/telegram_send.py) without a network: waits Telegram asks for, retries with
growing pauses, blocked users and chats, refused messages, edits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from dialogs.types import Reply
from tests.helpers import FakeBot, sender_for


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter's own
async def test_send_waits_as_long_as_telegram_asks_then_sends() -> None:
    bot, waits = FakeBot(RetryAfter(3), RetryAfter(timedelta(seconds=2))), []
    assert await sender_for(bot, waits).send(Reply(5, "hi"))
    assert waits == [3, 2]
    assert [m["text"] for m in bot.sent] == ["hi"]


async def test_send_retries_network_errors_with_growing_pauses() -> None:
    bot, waits = FakeBot(TimedOut(), NetworkError("reset")), []
    assert await sender_for(bot, waits).send(Reply(5, "hi"))
    assert waits == [0.5, 1.0]
    assert len(bot.sent) == 1


async def test_send_gives_up_after_the_retries() -> None:
    bot, waits = FakeBot(*[NetworkError("down")] * 4), []
    with pytest.raises(NetworkError):
        await sender_for(bot, waits).send(Reply(5, "hi"))
    assert waits == [0.5, 1.0, 2.0]


async def test_a_blocked_user_makes_send_return_false() -> None:
    bot, waits = FakeBot(Forbidden("Forbidden: bot was blocked by the user")), []
    assert await sender_for(bot, waits).send(Reply(5, "hi")) is False
    assert bot.sent == [] and waits == []


async def test_a_chat_that_no_longer_exists_counts_as_blocked() -> None:
    bot, waits = FakeBot(BadRequest("Bad Request: chat not found")), []
    assert await sender_for(bot, waits).send(Reply(5, "hi")) is False


async def test_a_refused_message_is_dropped_not_retried(caplog: pytest.LogCaptureFixture) -> None:
    bot, waits = FakeBot(BadRequest("Message text is empty")), []
    assert await sender_for(bot, waits).send(Reply(5, "private words"))
    assert waits == []
    assert "Message text is empty" in caplog.text and "private words" not in caplog.text


async def test_edit_without_keyboard_removes_it_and_ignores_not_modified() -> None:
    bot, waits = FakeBot(BadRequest("Message is not modified")), []
    sender = sender_for(bot, waits)
    assert await sender.edit(5, 10, "same", None)
    assert await sender.edit(5, 10, "new", None)
    [edit] = bot.edited
    assert edit["reply_markup"].inline_keyboard == ()
    assert (edit["chat_id"], edit["message_id"], edit["text"]) == (5, 10, "new")
