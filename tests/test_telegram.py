"""The Telegram transport's parts without a network: rendering, presses, sending, settings."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.app import api_urls, webhook_options
from bot.settings import Settings
from bot.telegram_render import (
    MESSAGE_LIMIT,
    bot_commands,
    chosen_text,
    coalesce,
    keyboard,
    pressed_labels,
    render,
    split_text,
)
from bot.telegram_send import Sender
from bot.user_locks import UserLocks
from dialogs.knowledge import Knowledge
from dialogs.types import Button, Reply
from tests.helpers import FakeBot, sender_for


# --- rendering ------------------------------------------------------------------------------
def test_reply_becomes_plain_text_with_an_inline_keyboard() -> None:
    reply = Reply(
        7,
        "<b>not bold</b> *nor this* _x_ [link](http://a)",
        buttons=[
            [Button("Yes", "ans:q:yes"), Button("No", "ans:q:no")],
            [Button("Skip", "skip:q")],
        ],
    )
    [out] = render(reply)
    kwargs = out.kwargs()
    assert kwargs["chat_id"] == 7
    assert kwargs["text"] == reply.text  # as typed: no escaping needed without parse_mode
    assert "parse_mode" not in kwargs
    markup = kwargs["reply_markup"]
    assert isinstance(markup, InlineKeyboardMarkup)
    assert [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard] == [
        [("Yes", "ans:q:yes"), ("No", "ans:q:no")],
        [("Skip", "skip:q")],
    ]


def test_reply_without_buttons_has_no_keyboard() -> None:
    [out] = render(Reply(1, "hello"))
    assert "reply_markup" not in out.kwargs()


def test_buttons_telegram_would_refuse_are_left_out() -> None:
    markup = keyboard([[Button("ok", "a:b"), Button("too long", "x" * 65)], [Button(" ", "c:d")]])
    assert markup is not None
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [["a:b"]]
    assert keyboard([[Button("too long", "é" * 33)]]) is None  # 66 bytes


def test_long_text_is_split_at_line_breaks_and_the_keyboard_goes_last() -> None:
    paragraph = "word " * 200 + "\n\n"
    reply = Reply(3, paragraph * 10, buttons=[[Button("Done", "done:q")]])
    parts = render(reply)
    assert len(parts) > 1
    assert all(len(p.text) <= MESSAGE_LIMIT for p in parts)
    assert [p.reply_markup is not None for p in parts] == [False] * (len(parts) - 1) + [True]
    assert "".join(p.text.replace(" ", "").replace("\n", "") for p in parts) == (
        reply.text.replace(" ", "").replace("\n", "")
    )


def test_split_text_cuts_even_without_spaces() -> None:
    parts = split_text("a" * 10_000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]
    assert split_text("") == [""]


def test_a_reply_without_buttons_is_joined_to_the_next_one() -> None:
    question = Reply(4, "Where?", buttons=[[Button("Calf", "tog:location:calf")]], asks="location")
    joined = coalesce([Reply(4, "Let's start."), question, Reply(4, "Bye")])
    assert [r.text for r in joined] == ["Let's start.\n\nWhere?", "Bye"]
    assert joined[0].buttons == question.buttons and joined[0].asks == "location"
    # never across chats, never past the size limit, never after a keyboard
    assert len(coalesce([Reply(1, "a"), Reply(2, "b")])) == 2
    assert len(coalesce([Reply(1, "a" * 4000), Reply(1, "b" * 200)])) == 2
    assert len(coalesce([question, Reply(4, "b")])) == 2
    assert coalesce([]) == []


# --- presses --------------------------------------------------------------------------------
def markup_of(*labels_data: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t, callback_data=d)] for t, d in labels_data]
    )


def test_pressed_label_of_a_single_choice() -> None:
    markup = markup_of(("Days", "ans:duration:days"), ("Skip", "skip:duration"))
    assert pressed_labels(markup, "ans:duration:days", "✅") == ["Days"]
    assert pressed_labels(markup, "skip:duration", "✅") == ["Skip"]
    assert pressed_labels(None, "ans:duration:days", "✅") == []


def test_multi_select_done_shows_the_selected_labels() -> None:
    markup = markup_of(
        ("✅ Calf", "tog:location:calf"),
        ("Arm", "tog:location:arm"),
        ("✅ Foot", "tog:location:foot"),
        ("Done ✔", "done:location"),
        ("Skip", "skip:location"),
    )
    assert pressed_labels(markup, "done:location", "✅") == ["Calf", "Foot"]
    assert pressed_labels(markup, "skip:location", "✅") == ["Skip"]


def test_chosen_text_keeps_the_question_and_adds_the_choice(knowledge: Knowledge) -> None:
    text = chosen_text(knowledge.messages, "Where?", ["Calf", "Foot"])
    assert text.startswith("Where?")
    assert "Calf" in text and "Foot" in text
    long = chosen_text(knowledge.messages, "q" * 5000, ["Calf"])
    assert len(long) <= MESSAGE_LIMIT


def test_bot_commands_come_from_knowledge_and_match_the_engine(knowledge: Knowledge) -> None:
    commands = bot_commands(knowledge.messages)
    names = [c.command for c in commands]
    for expected in ("start", "check", "ask", "help", "cancel", "delete", "privacy"):
        assert expected in names
    assert all(c.description and len(c.description) <= 256 for c in commands)
    assert all(name.islower() and " " not in name for name in names)


def test_every_transport_text_exists(knowledge: Knowledge) -> None:
    for key in ("tg_non_text", "tg_edited", "tg_private_only", "tg_error", "tg_description"):
        assert knowledge.messages(key).strip()
    assert len(knowledge.messages("tg_short_description")) <= 120
    assert len(knowledge.messages("tg_description")) <= 512


# --- settings -------------------------------------------------------------------------------
def test_api_urls_accept_the_root_or_the_bot_url() -> None:
    assert api_urls(None) == ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot")
    local = ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")
    assert api_urls("http://127.0.0.1:8081") == local
    assert api_urls("http://127.0.0.1:8081/bot/") == local


def test_webhook_listens_on_the_url_path_with_a_secret() -> None:
    settings = replace(Settings(), webhook_url="https://example.org/tg/hook", webhook_port=8080)
    options = webhook_options(settings)
    assert options["url_path"] == "tg/hook"
    assert options["port"] == 8080
    assert options["webhook_url"] == "https://example.org/tg/hook"
    assert len(options["secret_token"]) >= 32  # generated when none is set
    assert webhook_options(settings)["secret_token"] != options["secret_token"]
    fixed = webhook_options(replace(settings, webhook_secret="s3cret-_X"))
    assert fixed["secret_token"] == "s3cret-_X"


# --- sending --------------------------------------------------------------------------------
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


# --- ordering -------------------------------------------------------------------------------
async def test_user_locks_keep_one_users_order_and_let_others_run() -> None:
    locks = UserLocks()
    events: list[str] = []

    async def handle(user: int, name: str, pause: float) -> None:
        async with locks.hold(user) as turn:
            assert turn
            events.append(f"start {name}")
            await asyncio.sleep(pause)
            events.append(f"end {name}")

    await asyncio.gather(handle(1, "a1", 0.05), handle(1, "a2", 0), handle(2, "b1", 0))
    assert events.index("end a1") < events.index("start a2")
    assert events.index("end b1") < events.index("end a1")  # b did not wait for a
    assert len(locks) == 0  # nothing kept once idle


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


async def test_a_flooding_user_gets_no_more_places_in_the_queue() -> None:
    locks = UserLocks(limit=3)
    release = asyncio.Event()
    turns: list[bool] = []

    async def handle(user: int) -> None:
        async with locks.hold(user) as turn:
            turns.append(turn)
            if turn:
                await release.wait()

    tasks = [asyncio.create_task(handle(1)) for _ in range(5)]
    other = asyncio.create_task(handle(2))
    await asyncio.sleep(0.01)
    assert turns.count(False) == 2  # the 4th and 5th of user 1, at once
    release.set()
    await asyncio.gather(*tasks, other)
    assert turns.count(True) == 4  # three of user 1, one of user 2
    assert len(locks) == 0
