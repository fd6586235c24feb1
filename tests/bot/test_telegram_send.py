"""Sending (bot/telegram_send.py) without a network: waits Telegram asks for, retries with
growing pauses, blocked users and chats, refused messages, edits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
