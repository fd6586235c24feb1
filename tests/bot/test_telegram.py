"""The Telegram transport's handlers (bot/telegram.py) without a network: a blocked user, the
pressed message edited in place. Rendering and sending are in test_telegram_render.py and
test_telegram_send.py, per-user order in test_user_locks.py, the runner in test_app.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import Forbidden

from bot.settings import Settings
from bot.telegram_send import Sender
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from dialogs.types import Button, Reply
from tests.helpers import FakeBot, markup_of, reopen


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
