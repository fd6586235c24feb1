"""The bot in Telegram, as users see it: the emulator stands in for Telegram's servers, the
bot runs in-process with long polling, and the tests type, tap buttons and read replies."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.app import TelegramApp
from dialogs.knowledge import Knowledge
from tests.e2e.emulator import BotMessage, EmulatorClient, TelegramUser

STEPS = 25  # more than the assessment's questions, red flags and retries together


def is_question(message: BotMessage) -> bool:
    return any(
        b.get("callback_data", "").startswith("skip:") for row in message.buttons for b in row
    )


async def answer_by_button(user: TelegramUser, question: BotMessage, knowledge: Knowledge) -> str:
    """Tap the last option, usually the strongest (for a multi-select: toggle it, then Done);
    returns its label."""
    options = [
        b
        for row in question.buttons
        for b in row
        if b["callback_data"].startswith(("ans:", "tog:"))
    ]
    first = options[-1]
    data = first["callback_data"]
    if data.startswith("tog:"):
        await user.press(question, data)
        await asyncio.sleep(0.2)
        toggled = await user.current(question.message_id)
        if toggled.buttons:  # still open: the toggle is marked in place; confirm with Done
            mark = knowledge.messages("selected_mark")
            assert toggled.button(data_prefix=data)["text"].startswith(mark), toggled.buttons
            await user.press(toggled, toggled.button(data_prefix="done:")["callback_data"])
    else:
        await user.press(question, data)
    return first["text"]


async def test_full_assessment_with_buttons_and_typed_answers(
    telegram: EmulatorClient, knowledge: Knowledge
) -> None:
    user = telegram.user(1001, first_name="Dana")
    await user.send("/start")
    [greeting] = await user.receive()
    assert greeting.text == knowledge.messages("greeting")
    await user.press(greeting, greeting.button(data_prefix="menu:check")["callback_data"])
    messages = await user.receive()
    assert messages[0].text.startswith(knowledge.messages("check_intro")), "intro + question"
    assert is_question(messages[0])

    pressed = typed = 0
    for step in range(STEPS):
        last = messages[-1]
        if not is_question(last):
            break
        if step % 2 == 0:
            label = await answer_by_button(user, last, knowledge)
            messages = await user.receive()
            shown = await user.current(last.message_id)
            assert shown.text.startswith(last.text), "the question stays readable"
            assert label in shown.text.splitlines()[-1], "the choice is shown under it"
            assert shown.buttons == [], "the answered question's keyboard is gone"
            pressed += 1
        else:
            await user.send("skip")
            messages = await user.receive()
            typed += 1
    else:
        pytest.fail("the assessment never ended")

    titles = [cause.title for cause in knowledge.causes.values()]
    ending = knowledge.conversation.result["not_diagnosis"].strip()  # every result says so
    results = [m for m in messages if ending in m.text or any(t in m.text for t in titles)]
    assert results, [m.text for m in messages]
    assert pressed >= 2 and typed >= 2


async def test_faq_question_gets_an_answer(telegram: EmulatorClient) -> None:
    user = telegram.user(1002)
    await user.send("How much water should I drink every day?")
    [answer] = await user.receive()
    assert len(answer.text) > 20


async def test_sticker_photo_and_voice_get_a_friendly_answer(
    telegram: EmulatorClient, knowledge: Knowledge
) -> None:
    user = telegram.user(1003)
    await user.send(
        sticker={
            "file_id": "sticker-1",
            "file_unique_id": "u-sticker-1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "emoji": "👍",
        }
    )
    [reply] = await user.receive()
    assert reply.text == knowledge.messages("tg_non_text")
    photo = [{"file_id": "p1", "file_unique_id": "up1", "width": 90, "height": 90}]
    await user.send(photo=photo, caption="my eye")
    [reply] = await user.receive()
    assert reply.text == knowledge.messages("tg_non_text")
    await user.send(voice={"file_id": "v1", "file_unique_id": "uv1", "duration": 3})
    [reply] = await user.receive()
    assert reply.text == knowledge.messages("tg_non_text")


async def test_a_shared_location_offers_its_time_zone(telegram: EmulatorClient) -> None:
    # (A location used to get the non-text answer; it now offers the zone found there.)
    user = telegram.user(1010)
    await user.send(location={"latitude": 52.5, "longitude": 13.4})
    [offer] = await user.receive()
    assert "Europe/Berlin" in offer.text
    await user.press(offer, offer.button(data_prefix="conv:zone:")["callback_data"])
    replies = await user.receive()
    assert any("Europe/Berlin" in r.text and "set" in r.text for r in replies)
    await user.send(location={"latitude": 0.0, "longitude": -30.0})  # the open Atlantic
    [sea] = await user.receive()
    assert "/timezone" in sea.text


async def test_edited_message_is_explained_not_processed(
    telegram: EmulatorClient, knowledge: Knowledge
) -> None:
    user = telegram.user(1004)
    await user.raw_update(
        {
            "edited_message": {
                "message_id": 77,
                "date": int(time.time()) - 5,
                "edit_date": int(time.time()),
                "chat": user.chat,
                "from": user.who,
                "text": "my eyelid twitches",
            }
        }
    )
    [reply] = await user.receive()
    assert reply.text == knowledge.messages("tg_edited")


async def test_groups_get_one_polite_answer_and_channels_are_ignored(
    telegram: EmulatorClient, knowledge: Knowledge
) -> None:
    member = telegram.user(1005, chat_type="group", chat_id=-4242)
    await member.send("/start@TestNameBot")
    [reply] = await member.receive()
    assert reply.text == knowledge.messages("tg_private_only")
    await member.send("my calf cramps at night")
    channel = {"id": -100777, "type": "channel", "title": "News"}
    await member.raw_update(
        {"channel_post": {"message_id": 5, "date": int(time.time()), "chat": channel, "text": "hi"}}
    )
    assert await member.receive(count=0, settle=0.6) == []
    private = telegram.user(1006)
    await private.send("/help")
    [help_reply] = await private.receive()
    assert help_reply.text == knowledge.messages("help")


async def test_one_users_messages_are_answered_in_order(
    telegram: EmulatorClient, knowledge: Knowledge
) -> None:
    user = telegram.user(1007)
    for command in ("/start", "/privacy", "/help", "/privacy"):
        await user.send(command)
    replies = await user.receive(4, settle=0.5)
    assert [r.text for r in replies] == [
        knowledge.messages(key) for key in ("greeting", "privacy", "help", "privacy")
    ]


async def test_many_users_at_once_each_get_their_answer(
    telegram: EmulatorClient, knowledge: Knowledge
) -> None:
    users = [telegram.user(2000 + i) for i in range(15)]
    await asyncio.gather(*(u.send("/privacy") for u in users))
    for user in users:
        [reply] = await user.receive(settle=0)
        assert reply.text == knowledge.messages("privacy")


async def test_a_failure_is_logged_and_the_user_told(
    telegram: EmulatorClient,
    telegram_bot: TelegramApp,
    knowledge: Knowledge,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert telegram_bot.engine is not None

    async def broken(incoming: object) -> list:
        raise RuntimeError("database on fire")

    telegram_bot.engine.handle = broken  # type: ignore[method-assign]
    user = telegram.user(1008)
    await user.send("a secret about my health")
    [reply] = await user.receive()
    assert reply.text == knowledge.messages("tg_error")
    assert "RuntimeError" in caplog.text
    assert "a secret about my health" not in caplog.text
    assert telegram_bot.settings.token not in caplog.text


async def test_a_stale_button_is_answered_and_leaves_the_old_message_alone(
    telegram: EmulatorClient, knowledge: Knowledge
) -> None:
    user = telegram.user(1009)
    await user.send("/check")
    [question] = await user.receive()
    await user.send("/cancel")
    await user.receive()
    await user.press(question, question.button(data_prefix="skip:")["callback_data"])
    [reply] = await user.receive()
    assert reply.text == knowledge.messages("stale_button")
    unchanged = await user.current(question.message_id)
    assert unchanged.text == question.text and unchanged.buttons == question.buttons


async def test_added_to_a_group_it_says_it_works_in_private_chats(
    telegram: EmulatorClient, knowledge: Knowledge
) -> None:
    member = telegram.user(1010, chat_type="group", chat_id=-5151)
    someone = {"id": 1011, "is_bot": False, "first_name": "Sam"}
    await member.send(new_chat_members=[someone])
    assert await member.receive(count=0, settle=0.5) == [], "other people joining: silence"
    me = {"id": 666, "is_bot": True, "first_name": "Test bot", "username": "TestNameBot"}
    await member.send(new_chat_members=[me])
    [reply] = await member.receive()
    assert reply.text == knowledge.messages("tg_private_only")


async def test_blocking_the_bot_marks_the_user_inactive(
    telegram: EmulatorClient, telegram_bot: TelegramApp
) -> None:
    user = telegram.user(1012)
    await user.send("/start")
    await user.receive()
    now = int(time.time())
    member = {"user": {"id": 666, "is_bot": True, "first_name": "Test bot"}}
    await user.raw_update(
        {
            "my_chat_member": {
                "chat": user.chat,
                "from": user.who,
                "date": now,
                "old_chat_member": {**member, "status": "member"},
                "new_chat_member": {**member, "status": "kicked", "until_date": 0},
            }
        }
    )
    engine = telegram_bot.engine
    assert engine is not None
    for _ in range(100):
        async with engine.store.transaction(telegram_bot.clock()) as tx:  # type: ignore[call-arg]
            record = await tx.get_user(1012)
        if record is not None and not record.active:
            break
        await asyncio.sleep(0.02)
    else:
        pytest.fail("the user who blocked the bot is still active")
