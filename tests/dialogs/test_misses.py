"""No stalls (an answer still not placed after one re-ask is recorded and the check goes on)
and the kept misses (`python -m bot misses`), through the engine and the CLI."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot import misses as report
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from tests.helpers import ON_DISK, T0, Chat, asked, chat_json, run_cli, understood


async def to_question(chat: Chat, question: str) -> list:
    replies = await chat.send("/check")
    for _ in range(20):
        if asked(replies) == question:
            return replies
        replies = await chat.send("skip")
    raise AssertionError(f"{question} was never asked")


async def test_a_list_answer_not_placed_twice_is_kept_as_other_and_the_check_moves_on(
    chat: Chat, knowledge: Knowledge
) -> None:
    await to_question(chat, "medications")
    again = await chat.send("the purple ones from the clinic")
    assert asked(again) == "medications"  # asked again, once
    assert any(r.buttons for r in again)
    moved = await chat.send("the little blue ones")
    assert understood(moved) == {"medications": ["other"]}
    assert moved[0].text == knowledge.messages("unplaced_other")
    assert asked(moved) not in (None, "medications")  # the next question, not a third ask


async def test_a_level_answer_not_placed_twice_is_skipped_and_the_check_moves_on(
    chat: Chat, knowledge: Knowledge
) -> None:
    await to_question(chat, "stress")
    again = await chat.send("purple elephants")
    assert asked(again) == "stress"
    skip = [b.data for r in again for row in r.buttons for b in row if b.data.startswith("skip:")]
    assert skip == ["skip:stress"]  # the buttons once more, with Skip
    moved = await chat.send("bananas on the moon")
    assert understood(moved) == {"stress": "unknown"}
    assert moved[0].text == knowledge.messages("unplaced_skip")
    assert asked(moved) != "stress"


async def test_a_placed_answer_after_the_re_ask_is_used(chat: Chat) -> None:
    await to_question(chat, "stress")
    await chat.send("purple elephants")
    replies = await chat.send("about 8 out of 10")
    assert understood(replies) == {"stress": "high"}


@ON_DISK  # `python -m bot misses` opens the database by its name
async def test_unplaced_answers_and_questions_are_listed_commonest_first(
    engine: Engine, database: str
) -> None:
    for user in (1, 2, 3):
        chat = Chat(engine, user_id=user)
        await chat.send("/ask how do I fix my bicycle chain")
        if user < 3:
            await chat.send("/ask   HOW do i fix my bicycle chain ")
        await to_question(chat, "stress")
        await chat.send("zebra crossing")
    await Chat(engine, user_id=4).send("/ask is caffeine bad for twitching")  # answered
    rows = await report.commonest(database, now=T0 + timedelta(hours=2))
    assert [(r.question, r.text, r.count) for r in rows] == [
        ("faq", "how do i fix my bicycle chain", 5),
        ("stress", "zebra crossing", 3),
    ]
    text = report.render(rows, 30)
    assert "bicycle chain" in text and "zebra crossing" in text


@ON_DISK  # `python -m bot misses` opens the database by its name
async def test_misses_are_kept_30_days_at_most(engine: Engine, database: str) -> None:
    old = Chat(engine, user_id=7)
    await old.send("/ask how do i tune a guitar")
    later = Chat(engine, user_id=8, now=T0 + timedelta(days=31))
    await later.send("/ask how do i paint a fence")  # adding one prunes the old ones
    rows = await report.commonest(database, days=365, now=T0 + timedelta(days=31, hours=1))
    assert [r.text for r in rows] == ["how do i paint a fence"]


@ON_DISK  # `python -m bot misses` opens the database by its name
async def test_small_talk_and_commands_are_not_misses(engine: Engine, database: str) -> None:
    chat = Chat(engine, user_id=9)
    await chat.send("hi")
    await chat.send("thanks!")
    await chat.send("/nosuchcommand")
    assert await report.commonest(database, now=T0 + timedelta(hours=1)) == []


def test_the_misses_command_prints_the_list(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    chat_json(db, [{"user_id": 1, "text": "/ask how do i descale a kettle"}])
    done = run_cli("misses", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "how do i descale a kettle" in done.stdout
    assert "faq" in done.stdout


async def test_an_answer_to_the_question_asked_wins_over_a_request_in_the_same_words(
    chat: Chat,
) -> None:
    await to_question(chat, "sleep")
    replies = await chat.send("bed 1am up 9am")
    assert understood(replies) == {"sleep": "enough"}
    assert asked(replies) != "sleep"
    listed = await chat.send("/reminders")
    assert "22:" not in listed[0].text and "01:00" not in listed[0].text
