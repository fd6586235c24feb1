"""Privacy: /privacy says what is stored, /delete removes all of it, logs hold no text or token.

The schema is read from the database itself, so a new table or column fails these tests
until /privacy describes it (or it is listed as internal bookkeeping) and /delete covers it.
"""

from __future__ import annotations

import io
import json
import logging
import sqlite3
from datetime import timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot import jsonl
from bot.__main__ import setup_logging
from bot.settings import load_settings
from bot.sqlite_store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from dialogs.types import Incoming, Reply
from tests.helpers import T0, Chat

# Each stored column -> the words of /privacy that tell the user about it.
DESCRIBED: dict[tuple[str, str], str] = {
    ("users", "user_id"): "user id",
    ("users", "timezone"): "time zone",
    ("users", "state"): "check in progress",
    ("users", "active"): "blocked",
    ("users", "created_at"): "first",
    ("users", "updated_at"): "last wrote",
    ("assessments", "user_id"): "finished checks",
    ("assessments", "finished_at"): "dates",
    ("assessments", "answers"): "answers",
    ("assessments", "causes"): "results",
    ("assessments", "urgency"): "results",
    ("assessments", "red_flags"): "warning signs",
    ("reminders", "user_id"): "your reminders",
    ("reminders", "kind"): "your reminders",
    ("reminders", "schedule"): "your reminders",
    ("reminders", "next_due"): "your reminders",
    ("reminders", "created_at"): "your reminders",
    ("reminders_sent", "user_id"): "last sent",
    ("reminders_sent", "kind"): "last sent",
    ("reminders_sent", "due"): "last sent",
    ("events", "user_id"): "you log",
    ("events", "kind"): "glasses of water or bedtimes",
    ("events", "at"): "you log",
    ("diary", "user_id"): "your twitch diary",
    ("diary", "day"): "each day you log",
    ("diary", "level"): "how strong the twitching was",
    ("diary", "caffeine_mg"): "caffeine",
    ("diary", "sleep_hours"): "sleep",
    ("diary", "stress"): "stress",
    ("diary", "exercise"): "exercise",
    ("diary", "updated_at"): "last updated the day",
    ("misses", "user_id"): "messages i couldn't understand",
    ("misses", "question"): "the question they were for",
    ("misses", "text"): "messages i couldn't understand",
    ("misses", "at"): "30 days at most",
    ("owed", "user_id"): "replies to you that are still waiting",
    ("owed", "payload"): "replies to you that are still waiting",
    ("owed", "send_by"): "until they go out",
}
# Bookkeeping that says nothing about the user: row numbers, which process sends a reminder.
INTERNAL = {
    ("assessments", "id"),
    ("events", "id"),
    ("misses", "id"),
    ("reminders_sent", "claimed_at"),
    ("reminders_sent", "owner"),
    ("owed", "id"),
}


@pytest.fixture
def database(db_path: Path) -> str:
    """These tests look inside the SQLite file (or break it): the SQLite store only."""
    return str(db_path)


def schema(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(db) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: [c[1] for c in conn.execute(f"PRAGMA table_info({t})")] for t in tables}


def rows_of(db: Path, user_id: int) -> dict[str, int]:
    """Rows about `user_id` in every table that has a user_id column."""
    counts = {}
    with sqlite3.connect(db) as conn:
        for table, columns in schema(db).items():
            if "user_id" in columns:
                counts[table] = conn.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (user_id,)
                ).fetchone()[0]
    return counts


async def test_privacy_describes_every_stored_column(
    chat: Chat, db_path: Path, knowledge: Knowledge
) -> None:
    replies = await chat.send("/privacy")
    text = replies[0].text.lower()
    assert text == knowledge.messages("privacy").lower()
    stored = {(t, c) for t, columns in schema(db_path).items() for c in columns}
    undocumented = stored - set(DESCRIBED) - INTERNAL
    assert not undocumented, f"/privacy does not mention {sorted(undocumented)}"
    for (table, column), words in DESCRIBED.items():
        assert words in text, f"{table}.{column}: /privacy should mention {words!r}"
    assert "/delete" in text


async def fill_every_table(engine: Engine, user_id: int, hour: int = 8) -> Chat:
    """A user with a finished check, a reminder, a sent reminder, a logged glass and a
    diary day."""
    chat = Chat(engine, user_id, T0.replace(hour=hour))
    await chat.send("/check")
    for _ in range(20):
        if any(r.causes is not None for r in await chat.send("skip")):
            break
    await chat.send("/timezone Europe/Berlin")
    await chat.send("/remind water 11:00,12:00")  # 09:00 and 10:00 UTC
    fired = await engine.fire_due(T0.replace(hour=9))
    mine = [r for r in fired if r.user_id == user_id]
    assert mine, "the reminder should fire"
    done = next(b.data for r in mine for row in r.buttons for b in row if "done" in b.data)
    chat.now = T0.replace(hour=9, minute=1)
    await chat.press(done)
    await chat.send("/log mild, 2 coffees, slept 6h")  # a diary day
    await chat.send("/ask how do i fix a bicycle chain")  # a question the bot can't place
    await chat.send("/check")  # and a check in progress
    await chat.send("my eyelid")
    owe = getattr(engine.store, "owe", None)
    if owe is not None:  # a reply that met a Bot API outage, still owed
        await owe(user_id, [{"text": "a reply still owed"}], T0.replace(hour=10))
    return chat


async def test_delete_removes_every_row_of_the_user_in_every_table(
    engine: Engine, db_path: Path, knowledge: Knowledge
) -> None:
    chat = await fill_every_table(engine, 501)
    await fill_every_table(engine, 502)
    before = rows_of(db_path, 501)
    assert all(before.values()), f"some table was never filled: {before}"

    confirm = await chat.send("/delete")
    assert [b.data for row in confirm[0].buttons for b in row] == ["del:yes", "del:no"]
    assert rows_of(db_path, 501) == before, "asking is not deleting"
    assert (await chat.press("del:yes"))[0].text == knowledge.messages("deleted")

    assert set(rows_of(db_path, 501).values()) == {0}
    assert rows_of(db_path, 502) == before  # the other user keeps everything
    later = await engine.fire_due(T0.replace(hour=10))
    assert [r.user_id for r in later] == [502]  # no reminder for a deleted user


async def test_delete_by_typing_yes_and_keeping_by_no(engine: Engine, db_path: Path) -> None:
    chat = await fill_every_table(engine, 601)
    await chat.send("/delete")
    await chat.send("no")
    assert all(rows_of(db_path, 601).values())
    await chat.send("/delete")
    await chat.send("yes")
    assert set(rows_of(db_path, 601).values()) == {0}


# --- logs ---------------------------------------------------------------------------------
SECRET = "zqxsecretword"
FAKE_TOKEN = "123456789:AAF4k3-t0k3n_for_the_privacy_test_xyz"


async def test_logs_carry_no_message_text_and_no_token(
    engine: Engine,
    db_path: Path,
    knowledge: Knowledge,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", FAKE_TOKEN)
    caplog.set_level(logging.INFO)  # everything but DEBUG
    settings = load_settings(dotenv=None)
    assert settings.token == FAKE_TOKEN
    setup_logging(settings, quiet=False)  # as `python -m bot run` does
    logging.getLogger("bot").info("settings: %s", settings)
    logging.getLogger("bot").info("settings: %r", settings)
    # HTTP clients log request URLs at INFO, and Bot API URLs carry the token.
    logging.getLogger("httpx").info("HTTP Request: POST https://x/bot%s/getMe", FAKE_TOKEN)
    texts = [
        "my {s} eyelid twitches",
        "{s} 5 coffees a day and I sleep 4 hours",
        "I can't breathe {s}",
        "is {s} serious?",
        "/ask {s} how much water",
        "/remind water {s}",
        "/timezone {s}",
        "/{s}",
        "{s}" * 3000,
        "\x00{s}\x1b[31m",
    ]
    replies: list[Reply] = []
    for user in range(1, 41):
        chat = Chat(engine, user)
        replies += await chat.send("/check")
        for template in texts:
            replies += await chat.send(template.format(s=SECRET))
        replies += await chat.press(f"ans:{SECRET}:x")
        replies += await chat.press(SECRET)
    replies += await engine.handle(Incoming(1, T0 + timedelta(days=1), text=SECRET))
    assert replies
    # The error paths log too: a database that cannot be written, a line that fails.
    conn = await aiosqlite.connect(str(db_path), isolation_level=None)
    try:
        broken = Engine(knowledge, SQLiteStore(conn))
        await conn.execute("PRAGMA query_only = ON")
        for user in (1, 2, 999):
            await broken.handle(Incoming(user, T0 + timedelta(days=2), text=f"my {SECRET} calf"))
        lines = [json.dumps({"user_id": 5, "text": SECRET}), SECRET, "{" + SECRET]
        out = io.StringIO()
        await jsonl.serve(broken, io.StringIO("\n".join(lines) + "\n"), out)
        assert len(out.getvalue().splitlines()) == 3
    finally:
        await conn.close()
    assert any(r.levelno >= logging.ERROR for r in caplog.records), "the error paths logged"
    logged = caplog.text + "".join(str(r.args) + str(r.exc_text or "") for r in caplog.records)
    assert SECRET not in logged
    assert FAKE_TOKEN not in logged
    assert FAKE_TOKEN.split(":")[1] not in logged
