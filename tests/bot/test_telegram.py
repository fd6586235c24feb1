"""The Telegram transport's handlers (bot/telegram.py) without a network: a blocked user, the
pressed message edited in place. Rendering and sending are in test_telegram_render.py and
test_telegram_send.py, per-user order in test_user_locks.py, the runner in test_app.py."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import Forbidden

from bot.settings import Settings
from bot.telegram_send import Sender
from dialogs.knowledge import Knowledge
from dialogs.types import Button, Reply
from tests.helpers import FakeBot, markup_of


# --- a blocked user -------------------------------------------------------------------------
async def test_replies_stop_and_the_user_is_marked_inactive_when_blocked(
    knowledge: Knowledge,
) -> None:
    from bot.telegram import TelegramBot

    inactive: list[int] = []

    class FakeEngine:
        async def mark_inactive(self, user_id: int, now: object) -> None:
            inactive.append(user_id)

    bot = FakeBot(Forbidden("blocked"))
    telegram_bot = TelegramBot(Settings(), ":memory:", knowledge)
    telegram_bot.engine = FakeEngine()  # type: ignore[assignment]
    telegram_bot.sender = Sender(bot)  # type: ignore[arg-type]
    await telegram_bot.deliver([Reply(9, "one"), Reply(9, "two")])
    assert inactive == [9]
    assert bot.sent == []  # the second reply was not attempted


# --- editing the pressed message ------------------------------------------------------------
class RecordingSender:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    async def edit(self, chat_id: int, message_id: int, text: str, markup: Any) -> bool:
        self.calls.append(("edit", (chat_id, message_id, text, markup)))
        return True

    async def edit_markup(self, chat_id: int, message_id: int, markup: Any) -> bool:
        self.calls.append(("markup", (chat_id, message_id, markup)))
        return True


def pressed_message(text: str, markup: InlineKeyboardMarkup) -> Any:
    from datetime import UTC, datetime

    from telegram import Chat, Message

    return Message(5, datetime.now(UTC), Chat(42, "private"), text=text, reply_markup=markup)


QUESTION = "Where does it twitch?"
LOCATION = markup_of(("Calf", "tog:location:calf"), ("Done ✔", "done:location"))


async def edit_after(knowledge: Knowledge, data: str, replies: list[Reply]) -> tuple[list, list]:
    from bot.telegram import TelegramBot

    telegram_bot = TelegramBot(Settings(), ":memory:", knowledge)
    recorder = RecordingSender()
    telegram_bot.sender = recorder  # type: ignore[assignment]
    message = pressed_message(QUESTION, LOCATION)
    rest = await telegram_bot._edit_pressed(message, data, replies)
    return recorder.calls, rest


async def test_a_toggle_edits_only_the_keyboard_in_place(knowledge: Knowledge) -> None:
    toggled = Reply(
        42,
        QUESTION,
        buttons=[[Button("✅ Calf", "tog:location:calf")], [Button("Done ✔", "done:location")]],
        multi_select=True,
        edit_of_callback=True,
    )
    calls, rest = await edit_after(knowledge, "tog:location:calf", [toggled])
    assert rest == []
    [(kind, (chat, message_id, markup))] = calls
    assert (kind, chat, message_id) == ("markup", 42, 5)
    assert markup.inline_keyboard[0][0].text == "✅ Calf"


async def test_an_answer_shows_the_choice_and_removes_the_keyboard(knowledge: Knowledge) -> None:
    following = Reply(42, "How long?", answers=[{"question": "location", "value": ["calf"]}])
    calls, rest = await edit_after(knowledge, "tog:location:calf", [following])
    assert rest == [following]
    [(kind, (_chat, _id, text, markup))] = calls
    assert kind == "edit" and markup is None
    assert text.startswith(QUESTION) and text.endswith("Calf")


async def test_a_press_that_answered_nothing_leaves_the_message(knowledge: Knowledge) -> None:
    stale = Reply(42, "That button belongs to an older message")
    calls, rest = await edit_after(knowledge, "tog:location:calf", [stale])
    assert calls == [] and rest == [stale]
