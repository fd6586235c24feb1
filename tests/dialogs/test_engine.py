"""The assessment state machine and the commands, through Engine.handle."""

from __future__ import annotations

from bot.sqlite_store import SQLiteStore
from dialogs.engine import Engine, parse_command
from dialogs.types import Incoming
from tests.helpers import QUESTION_ORDER, Chat, asked, result, understood

QUESTIONS = QUESTION_ORDER


async def test_start_greets_with_menu(chat: Chat) -> None:
    replies = await chat.send("/start")
    assert len(replies) == 1
    assert "menu:check" in {b.data for row in replies[0].buttons for b in row}


async def test_every_question_asked_once_and_one_result(chat: Chat) -> None:
    replies = await chat.send("/check")
    seen = []
    while (question := asked(replies)) is not None:
        assert question not in seen
        seen.append(question)
        replies = await chat.send("skip")
        assert understood(replies) == {question: "unknown"}
    assert sorted(seen) == sorted(QUESTIONS)
    final = result(replies)
    assert final is not None and final.urgency == "self_care"
    assert sum(r.causes is not None for r in replies) == 1


async def test_buttons_answer_and_multi_select(chat: Chat) -> None:
    await chat.send("/check")
    toggled = await chat.press("tog:location:calf")
    assert toggled[0].asks == "location" and toggled[0].edit_of_callback
    labels = [b.text for row in toggled[0].buttons for b in row]
    assert any(label.startswith("✅") and "Calf" in label for label in labels)
    await chat.press("tog:location:foot")
    await chat.press("tog:location:calf")  # untoggle
    replies = await chat.press("done:location")
    assert understood(replies) == {"location": ["foot"]}
    assert asked(replies) == "warning_signs"  # the safety screen comes right after location
    replies = await chat.press("tog:warning_signs:none")  # "None of these": one tap
    assert understood(replies) == {"warning_signs": ["none"]}
    assert asked(replies) == "duration"
    replies = await chat.press("ans:duration:weeks")
    assert understood(replies) == {"duration": "weeks"}
    assert asked(replies) == "caffeine"


async def test_done_with_nothing_chosen_asks_again(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.press("done:location")
    assert asked(replies) == "location"
    assert not understood(replies)


async def test_stale_button_is_ignored_politely(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.press("ans:sleep:short")  # sleep is not being asked
    assert len(replies) == 1 and not replies[0].answers
    replies = await chat.press("nonsense-data")
    assert replies[0].text


async def test_not_understood_is_asked_again_with_options(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("qwxz zzkv")
    assert asked(replies) == "location"
    assert not understood(replies)
    assert replies[-1].buttons  # the valid options as buttons


async def test_cancel_and_check_replaces(chat: Chat) -> None:
    await chat.send("/check")
    await chat.press("tog:location:calf")
    replies = await chat.send("/cancel")
    assert replies[0].text
    replies = await chat.send("/cancel")
    assert "/check" in replies[0].text
    await chat.send("/check")
    await chat.press("ans:duration:days")  # stale: location is asked
    replies = await chat.send("/check")  # replaces the running one
    assert asked(replies) == "location"


async def test_restart_in_the_middle_of_an_assessment(knowledge, db_path) -> None:
    store = await SQLiteStore.open(db_path)
    chat = Chat(Engine(knowledge, store))
    await chat.send("/check")
    await chat.press("tog:location:eyelid")
    await chat.press("done:location")
    await chat.press("tog:warning_signs:none")
    await store.close()

    store = await SQLiteStore.open(db_path)  # a new process over the same file
    chat2 = Chat(Engine(knowledge, store), now=chat.now)
    replies = await chat2.press("ans:duration:days")
    assert understood(replies) == {"duration": "days"}
    assert asked(replies) == "caffeine"
    await store.close()


async def test_history_lists_finished_checks(chat: Chat) -> None:
    replies = await chat.send("/history")
    assert not replies[0].causes
    await chat.send("/check")
    for _ in QUESTIONS:
        replies = await chat.send("skip")
    assert result(replies) is not None
    replies = await chat.send("/history")
    assert "2026-05-04" in replies[0].text


async def test_delete_needs_confirmation_and_erases(chat: Chat) -> None:
    await chat.send("/check")
    for _ in QUESTIONS:
        await chat.send("skip")
    replies = await chat.send("/delete")
    assert {b.data for row in replies[0].buttons for b in row} == {"del:yes", "del:no"}
    await chat.press("del:no")
    assert "2026" in (await chat.send("/history"))[0].text
    await chat.send("/delete")
    await chat.press("del:yes")
    async with chat.engine.store.transaction() as tx:
        assert await tx.get_user(chat.user_id) is None
        assert await tx.list_assessments(chat.user_id, 10) == []


async def test_users_are_private(engine: Engine) -> None:
    alice, bob = Chat(engine, 1), Chat(engine, 2)
    await alice.send("/check")
    await alice.press("tog:location:calf")
    replies = await bob.send("/check")
    assert asked(replies) == "location"
    replies = await bob.press("done:location")
    assert asked(replies) == "location"  # bob chose nothing; alice's selection is hers
    replies = await alice.press("done:location")
    assert understood(replies) == {"location": ["calf"]}


async def test_bad_input_gets_a_friendly_answer(chat: Chat) -> None:
    for text in ["", "   ", "\x00\x01", "🙂🙂🙂", "x" * 100_000, "/", "/unknowncommand"]:
        replies = await chat.send(text)
        assert replies and all(r.text for r in replies)
    replies = await chat.engine.handle(Incoming(7, chat.now))  # neither text nor callback
    assert replies[0].text


def test_parse_command() -> None:
    assert parse_command("/remind@TwitchBot water 09:00") == ("remind", "water 09:00")
    assert parse_command("/CHECK") == ("check", "")
    assert parse_command("hello /check") is None
    assert parse_command("/ 5") is None


async def test_exclusive_option_answers_at_once(chat: Chat) -> None:
    await chat.send("/check")
    await chat.press("tog:location:calf")
    replies = await chat.press("tog:location:widespread")  # "All over" stands alone
    assert understood(replies) == {"location": ["widespread"]}
    assert asked(replies) == "warning_signs"


async def test_a_question_in_passing_is_answered_and_the_check_resumes(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("wait, how much water should I drink a day?")
    assert replies[0].faq == "hydration_amount"
    assert asked(replies) == "location" and not understood(replies)
    replies = await chat.send("/ask is caffeine bad for twitching")
    assert any(r.faq for r in replies) and asked(replies) == "location"


async def test_one_message_answers_several_questions(chat: Chat) -> None:
    await chat.send("/check")
    await chat.send("left eyelid")
    await chat.send("none of these")
    await chat.send("a week")
    replies = await chat.send("like 5 coffees and maybe 4h of sleep")
    assert understood(replies) == {"caffeine": "high", "sleep": "short"}
    assert asked(replies) == "stress"


async def test_correction_changes_the_stored_answer(chat: Chat) -> None:
    await chat.send("/check")
    await chat.send("my eye")
    replies = await chat.send("actually it's my calf, not my eye")
    assert understood(replies).get("location") == ["calf"]


async def test_emergency_flag_ends_the_check(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("my chest twitches and I can't breathe")
    flagged = [r for r in replies if r.red_flag]
    assert flagged and flagged[0].red_flag == "breathing" and flagged[0].urgency == "emergency"
    assert asked(replies) is None
    replies = await chat.send("skip")  # no check any more: treated as a question
    assert asked(replies) is None


async def test_other_flag_is_acknowledged_and_raises_the_result(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("my hand, and my fingers feel numb")
    assert any(r.red_flag == "numbness" and r.urgency == "doctor_soon" for r in replies)
    assert asked(replies) == "warning_signs"
    replies = await chat.send("no, none of those")  # the flag raised earlier stays raised
    while asked(replies):
        replies = await chat.send("skip")
    assert result(replies).urgency == "doctor_soon"


async def test_full_check_in_words_gives_explained_causes(chat: Chat) -> None:
    answers = {
        "location": "both calves",
        "warning_signs": "nope",
        "duration": "3 days",
        "caffeine": "1 coffee",
        "sleep": "8 hours",
        "stress": "2",
        "medications": "lasix",
        "exercise": "walks",
        "conditions": "none",
    }
    replies = await chat.send("/check")
    while (question := asked(replies)) is not None:
        replies = await chat.send(answers[question])
    final = result(replies)
    assert final.causes[0]["id"] == "medication"
    assert final.urgency == "doctor_routine"
    assert "diagnos" in final.text.lower()
