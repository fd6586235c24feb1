"""The assessment (dialogs/features/assessment.py, dialogs/features/check.py) through
Engine.handle: every question asked once and one result, buttons and multi-select, answers in
words, corrections, /cancel and /check, a restart in the middle, callbacks checked against
the question's kind."""

from __future__ import annotations

from bot.stores import open_store
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from tests.helpers import QUESTION_ORDER, Chat, asked, reopen, result, understood

QUESTIONS = QUESTION_ORDER


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


async def test_restart_in_the_middle_of_an_assessment(knowledge, database) -> None:
    store = await open_store(database)
    chat = Chat(Engine(knowledge, store))
    await chat.send("/check")
    await chat.press("tog:location:eyelid")
    await chat.press("done:location")
    await chat.press("tog:warning_signs:none")
    store = await reopen(store, database)  # a new process over the same data
    chat2 = Chat(Engine(knowledge, store), now=chat.now)
    replies = await chat2.press("ans:duration:days")
    assert understood(replies) == {"duration": "days"}
    assert asked(replies) == "caffeine"
    await store.close()


async def test_exclusive_option_answers_at_once(chat: Chat) -> None:
    await chat.send("/check")
    await chat.press("tog:location:calf")
    replies = await chat.press("tog:location:widespread")  # "All over" stands alone
    assert understood(replies) == {"location": ["widespread"]}
    assert asked(replies) == "warning_signs"


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


async def test_multi_select_callbacks_on_a_single_choice_question_are_refused(
    chat: Chat, knowledge: Knowledge
) -> None:
    single = next(
        q for q, question in knowledge.questions.items() if question.answer_kind != "list"
    )
    values = [o.value for o in knowledge.questions[single].options]
    await chat.send("/check")
    for _ in range(20):  # skip to the single-choice question
        replies = await chat.send("skip")
        if any(r.asks == single for r in replies):
            break
    for data in (f"tog:{single}:{values[0]}", f"tog:{single}:{values[1]}", f"done:{single}"):
        [reply] = await chat.press(data)
        assert reply.text == knowledge.messages("stale_button")
        assert not reply.answers
    async with chat.engine.store.transaction() as tx:
        user = await tx.get_user(chat.user_id)
    assert user is not None
    assert single not in user.state["assessment"]["answers"]
    assert "selection" not in user.state["assessment"]
