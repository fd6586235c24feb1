"""The follow-up check-in: planned by a result, delivered by the reminder machinery (grace
window, never twice, restarts), answered Gone / Better / Same / Worse by button or words."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dialogs import followup
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from dialogs.ports import ReminderRecord
from dialogs.types import Reply
from tests.helpers import ROOT, Chat, result

BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- when ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        ("2026-05-04T12:00:00+02:00", "2026-05-11T12:00:00+02:00"),  # same local time
        ("2026-03-25T12:00:00+01:00", "2026-04-01T12:00:00+02:00"),  # across spring-forward
        ("2026-10-21T12:00:00+02:00", "2026-10-28T12:00:00+01:00"),  # across fall-back
        ("2026-05-04T20:59:00+02:00", "2026-05-11T20:59:00+02:00"),
        ("2026-05-04T21:00:00+02:00", "2026-05-12T09:00:00+02:00"),  # at 21:00: next 09:00
        ("2026-05-04T23:30:00+02:00", "2026-05-12T09:00:00+02:00"),
        ("2026-05-05T00:30:00+02:00", "2026-05-12T09:00:00+02:00"),  # after midnight: 09:00
        ("2026-05-04T08:59:00+02:00", "2026-05-11T09:00:00+02:00"),
        ("2026-05-04T09:00:00+02:00", "2026-05-11T09:00:00+02:00"),
    ],
)
def test_due_seven_days_later_inside_the_day(
    knowledge: Knowledge, finished: str, expected: str
) -> None:
    due = followup.due_after(knowledge.diary.follow_up, at(finished), "Europe/Berlin")
    assert due == at(expected)
    assert due.tzinfo is not None


# --- helpers -------------------------------------------------------------------------------
async def finish_check(chat: Chat, duration: str = "skip") -> list[Reply]:
    """A check with every question skipped (but the duration); the result's replies."""
    replies = await chat.send("/check")
    for _ in range(30):
        question = next((r.asks for r in replies if r.asks), None)
        replies = await chat.send(duration if question == "duration" else "skip")
        if result(replies) is not None:
            return replies
    raise AssertionError("the check never ended")


async def fire(engine: Engine, now: datetime, user_id: int = 42) -> list[Reply]:
    return [r for r in await engine.fire_due(now) if r.user_id == user_id]


def button(reply: Reply, prefix: str) -> str:
    return next(b.data for row in reply.buttons for b in row if b.data.startswith(prefix))


async def checked_in(engine: Engine, chat: Chat, duration: str = "skip") -> Reply:
    """Berlin user, a check finished at 12:00 local, the check-in fired 7 days later."""
    await chat.send("/timezone Europe/Berlin")
    chat.now = at("2026-05-04T11:59:00+02:00")
    replies = await finish_check(chat, duration)
    note = replies[-1]
    assert "fu:off" in [b.data for row in note.buttons for b in row]
    due = followup.due_after(chat.engine.knowledge.diary.follow_up, chat.now, "Europe/Berlin")
    assert await fire(engine, due - timedelta(seconds=1)) == []
    [fired] = await fire(engine, due)
    assert fired.reminder == "followup"
    chat.now = due + timedelta(minutes=5)
    return fired


# --- answers -------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["button", "text"])
@pytest.mark.parametrize(
    ("value", "text"), [("gone", "pretty much gone"), ("better", "a lot better actually")]
)
async def test_gone_or_better_ends_the_follow_ups(
    engine: Engine, chat: Chat, knowledge: Knowledge, value: str, text: str, how: str
) -> None:
    fired = await checked_in(engine, chat)
    if how == "button":
        replies = await chat.press(button(fired, f"fu:{value}:"))
    else:
        replies = await chat.send(text)
    assert replies[0].text == knowledge.diary.texts(f"fu_{value}")
    assert replies[0].urgency is None
    assert await fire(engine, chat.now + timedelta(days=30)) == [], "no more check-ins"
    again = await chat.press(button(fired, f"fu:{value}:"))
    assert again[0].text == knowledge.messages("stale_button"), "a button works once"


def due_of(fired: Reply) -> datetime:
    """The check-in's instant, from the stamp in its buttons."""
    return datetime.fromtimestamp(int(button(fired, "fu:same:").split(":")[2]), UTC)


@pytest.mark.parametrize("how", ["button", "text"])
async def test_same_asks_again_in_a_week_and_then_says_see_a_gp(
    engine: Engine, chat: Chat, knowledge: Knowledge, how: str
) -> None:
    fired = await checked_in(engine, chat, duration="4 days")  # 11 days so far
    if how == "button":
        replies = await chat.press(button(fired, "fu:same:"))
    else:
        replies = await chat.send("about the same really")
    assert replies[0].urgency is None, "11 days: not yet the NHS's 2 weeks"
    again = due_of(fired) + timedelta(days=7)  # the same local time a week later
    assert again.astimezone(BERLIN).strftime("18.05. %H:%M") in replies[0].text
    assert await fire(engine, again - timedelta(seconds=1)) == []
    [second] = await fire(engine, again)
    assert second.reminder == "followup"
    chat.now = again + timedelta(minutes=10)
    replies = await (
        chat.press(button(second, "fu:same:")) if how == "button" else chat.send("no change")
    )
    assert replies[0].urgency == "doctor_routine"
    assert "2 weeks" in replies[0].text and "18 days" in replies[0].text
    [third] = await fire(engine, again + timedelta(days=7))
    assert third.reminder == "followup"


async def test_same_after_weeks_says_why_at_once(engine: Engine, chat: Chat) -> None:
    fired = await checked_in(engine, chat, duration="3 weeks")
    replies = await chat.press(button(fired, "fu:same:"))
    assert replies[0].urgency == "doctor_routine" and "NHS" in replies[0].text


@pytest.mark.parametrize("how", ["button", "text"])
async def test_worse_is_at_least_doctor_routine_and_asks_the_warning_signs(
    engine: Engine, chat: Chat, knowledge: Knowledge, how: str
) -> None:
    fired = await checked_in(engine, chat)
    if how == "button":
        replies = await chat.press(button(fired, "fu:worse:"))
    else:
        replies = await chat.send("worse, and now my arm too")
    levels = list(knowledge.urgency.levels)
    urgencies = [r.urgency for r in replies if r.urgency]
    assert urgencies and all(levels.index(u) >= levels.index("doctor_routine") for u in urgencies)
    asked_again = knowledge.diary.follow_up.ask_again
    if asked_again:  # the warning-signs question of a short re-check
        assert replies[-1].asks in asked_again
    else:
        assert knowledge.diary.texts("fu_worse_signs", when="")[:40] in replies[-1].text
    if not asked_again:  # (a re-check plans its own check-in when it ends)
        later = await fire(engine, due_of(fired) + timedelta(days=7))
        assert [r.reminder for r in later] == ["followup"], "another check-in a week later"


async def test_typed_words_count_only_while_a_check_in_is_open(
    engine: Engine, chat: Chat, knowledge: Knowledge
) -> None:
    await chat.send("/timezone Europe/Berlin")
    await finish_check(chat)
    early = await chat.send("better")
    assert all(r.text != knowledge.diary.texts("fu_better") for r in early)
    fired = await fire(engine, chat.now + timedelta(days=7, minutes=1))
    assert [r.reminder for r in fired] == ["followup"]
    chat.now += timedelta(days=7, minutes=2)
    unrelated = await chat.send("how much water should I drink?")
    assert unrelated[-1].faq == "hydration_amount", "a question is still a question"
    replies = await chat.send("it's gone")
    assert replies[0].text == knowledge.diary.texts("fu_gone")


async def test_remind_followup_off_and_on(engine: Engine, chat: Chat, knowledge: Knowledge) -> None:
    await finish_check(chat)
    listing = await chat.send("/reminders")
    assert "Follow-up" in listing[0].text
    off = await chat.send("/remind followup off")
    assert off[0].text == knowledge.diary.texts("fu_off")
    assert await fire(engine, chat.now + timedelta(days=7, minutes=1)) == []
    replies = await finish_check(chat)
    assert all("fu:off" not in [b.data for row in r.buttons for b in row] for r in replies)
    await chat.send("/remind followup on")
    replies = await finish_check(chat)
    assert "fu:off" in [b.data for row in replies[-1].buttons for b in row]


async def test_the_stop_button_under_the_check_in(engine: Engine, chat: Chat) -> None:
    fired = await checked_in(engine, chat)
    await chat.press("fu:off")
    assert await fire(engine, chat.now + timedelta(days=30)) == []
    stale = await chat.press(button(fired, "fu:same:"))
    assert stale[0].text == chat.engine.knowledge.messages("stale_button")


# --- through `python -m bot chat --json`, with restarts ------------------------------------
def run_json(db: Path, lines: list[dict]) -> list[list[dict]]:
    """One process of the scriptable transport over `db`: the replies of each line."""
    source = "".join(json.dumps({"user_id": 7, **line}) + "\n" for line in lines)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json", "--db", str(db)],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return [json.loads(line)["replies"] for line in done.stdout.splitlines()]


def kinds(replies: list[dict]) -> list[str]:
    return [r["reminder"] for r in replies if r.get("reminder")]


@pytest.mark.parametrize(
    ("finished", "due"),
    [
        ("2026-03-25T12:00:00+01:00", "2026-04-01T12:00:00+02:00"),  # clocks go forward
        ("2026-10-21T12:00:00+02:00", "2026-10-28T12:00:00+01:00"),  # clocks go back
    ],
)
def test_one_follow_up_at_noon_a_week_later_across_dst_and_restarts(
    tmp_path: Path, finished: str, due: str
) -> None:
    db = tmp_path / "bot.db"
    start = at(finished)
    first = [
        {"text": "/timezone Europe/Berlin", "now": (start - timedelta(hours=1)).isoformat()},
        {"text": "/check", "now": start.isoformat()},
        *({"text": "skip"} for _ in range(12)),
    ]
    out = run_json(db, first)
    results = [r for replies in out for r in replies if "causes" in r]
    assert len(results) == 1, "the check finished at 12:00 local"
    moment = at(due)
    before = run_json(
        db,
        [
            {"text": "/reminders", "now": (moment - timedelta(days=1)).isoformat()},
            {"text": "/reminders", "now": (moment - timedelta(seconds=1)).isoformat()},
        ],
    )
    assert [kinds(r) for r in before] == [[], []], "none before"
    fired = run_json(db, [{"text": "/reminders", "now": moment.isoformat()}])
    assert [kinds(r) for r in fired] == [["followup"]], "exactly at 12:00 local"
    stamp = int(fired[0][0]["buttons"][0][0]["data"].split(":")[2])
    assert datetime.fromtimestamp(stamp, UTC).astimezone(BERLIN).strftime("%H:%M") == "12:00"
    after = run_json(
        db,
        [
            {"text": "/reminders", "now": (moment + timedelta(minutes=1)).isoformat()},
            {"text": "/reminders", "now": (moment + timedelta(days=1)).isoformat()},
        ],
    )
    assert [kinds(r) for r in after] == [[], []], "never twice, after a restart too"
    answer = run_json(db, [{"text": "worse, and now my arm too"}])
    assert answer[0][0].get("urgency") in ("doctor_routine", "doctor_soon", "emergency")


def test_skipped_when_the_bot_was_down_past_the_grace_window(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    run_json(
        db,
        [
            {"text": "/check", "now": "2026-05-04T12:00:00+00:00"},
            *({"text": "skip"} for _ in range(12)),
        ],
    )
    late = run_json(db, [{"text": "/reminders", "now": "2026-05-11T12:16:00+00:00"}])
    assert kinds(late[0]) == [], "older than the 15-minute grace window: never sent late"


# --- "worse" with a warning-signs question: a short re-check ------------------------------
WARNING_SIGNS = """  - id: warning_signs
    kind: list
    text: "Do you have any of these now?"
    options:
      - {value: none, label: "None of these", exclusive: true}
      - {value: weakness, label: "Weakness"}
      - {value: numbness, label: "Numbness or tingling"}
    matcher: choices
    none: none
    words:
      none: [nothing]
      weakness: [weak, weakness]
      numbness: [numb, numbness, tingling]
"""


@pytest.fixture(scope="module")
def with_signs() -> Knowledge:
    from dialogs.knowledge import DEFAULT_PATH, parse_knowledge

    text = Path(DEFAULT_PATH).read_text(encoding="utf-8")
    if "- id: warning_signs" not in text:
        text = text.replace("\nred_flags:", "\n" + WARNING_SIGNS + "red_flags:", 1)
    return parse_knowledge(text)


async def test_worse_re_asks_the_warning_signs_and_the_result_stays_at_a_doctor(
    with_signs: Knowledge,
) -> None:
    from bot.memory_store import MemoryStore

    assert with_signs.diary.follow_up.ask_again == ("warning_signs",)
    store = MemoryStore()
    try:
        engine = Engine(with_signs, store)
        chat = Chat(engine)
        await chat.send("/timezone Europe/Berlin")
        first = await finish_check(chat, duration="5 days")
        assert result(first).urgency == "self_care"
        fired = await fire(engine, chat.now + timedelta(days=7, minutes=1))
        assert [r.reminder for r in fired] == ["followup"]
        chat.now += timedelta(days=7, minutes=2)
        replies = await chat.send("worse, and it's in my arm now too")
        assert replies[-1].asks == "warning_signs", "only the warning signs are asked again"
        assert sum(1 for r in replies if r.asks) == 1
        assert any(r.urgency == "doctor_routine" for r in replies)
        done = await chat.press("tog:warning_signs:none")
        final = result(done)
        assert final is not None and final.urgency == "doctor_routine"
        assert with_signs.diary.texts("fu_worse_reason") in final.text
        assert "fu:off" in [b.data for r in done for row in r.buttons for b in row], (
            "the re-check plans its own check-in"
        )
        async with store.transaction(chat.now) as tx:
            [latest, _] = await tx.list_assessments(42, 5)
        assert "arm" in latest.answers["location"] and latest.answers["duration"] == "days"
    finally:
        await store.close()


def test_a_mistake_in_the_follow_up_knowledge_names_its_place() -> None:
    from dialogs.knowledge import DEFAULT_PATH, KnowledgeError, parse_knowledge

    text = Path(DEFAULT_PATH).read_text(encoding="utf-8")
    broken = text.replace("buttons: [gone, better, same, worse]", "buttons: [gone, nope]", 1)
    with pytest.raises(KnowledgeError, match=r"diary\.follow_up\.buttons"):
        parse_knowledge(broken)


# --- written once ----------------------------------------------------------------------------
async def followup_rows(engine: Engine, chat: Chat) -> list[ReminderRecord]:
    async with engine.store.transaction(chat.now) as tx:
        return [r for r in await tx.list_reminders(chat.user_id) if r.kind == followup.KIND]


async def test_a_fired_check_in_is_not_written_again_by_a_later_message(
    engine: Engine, chat: Chat
) -> None:
    planned = await checked_in(engine, chat)  # fired at its time; the clock is 5 minutes on
    assert await fire(engine, due_of(planned)) == []
    fired = await followup_rows(engine, chat)
    assert [r.next_due for r in fired] == [None], "the one-instant schedule is used up"
    for text in ("/help", "thanks", "/reminders"):  # unrelated messages inside the grace window
        await chat.send(text)
        assert await followup_rows(engine, chat) == fired, "the row is not written again"
        assert await fire(engine, chat.now + timedelta(seconds=30)) == [], "delivered once"
    assert await fire(engine, chat.now + timedelta(days=3)) == []
