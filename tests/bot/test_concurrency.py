"""Concurrency: 200 users sending 50 messages each, interleaved, end in the right state.

The same scripts run three ways: interleaved through the JSON transport, as 200 concurrent
tasks calling `Engine.handle` (asyncio.gather), and as 10,000 Telegram updates handled at
once by the Telegram transport's handlers (fed in-process, a fake sender collects what would
be sent). Each user's replies and stored state must equal those of a user with the same script
talking alone, and every reply must go to the user who wrote: no cross-talk.
"""

from __future__ import annotations

import asyncio
import io
import json
import random
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot import jsonl
from bot.settings import Settings
from bot.sqlite_store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from dialogs.types import Incoming, Reply

USERS = 200
PER_USER = 50
VARIANTS = 10
NOW = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)

PLACES = ["my left eyelid", "my face", "the back of my neck", "my arm", "my hand", "my chest",
          "my thigh", "both calves", "my foot", "all over"]  # fmt: skip
ROUND = ["/check", "{place}", "{days} days", "is this serious?", "skip", "/cancel", "/privacy"]


def script(user_id: int) -> list[str]:
    """Fifty messages; the content depends on user_id % VARIANTS only."""
    v = user_id % VARIANTS
    values = {
        "place": PLACES[v],
        "days": 2 + v,
        "cups": f"{v % 6} cups of coffee a day" if v % 6 else "no coffee",
        "sleep": 4 + v % 5,
        "stress": 1 + v,
        "zone": f"+{v:02d}:30",
    }
    first = [
        "/start",
        "/check",
        "{place}",
        "how long does twitching usually last?",
        "{days} days",
        "{cups}",
        "I sleep {sleep} hours",
        "stress {stress} out of 10",
        "no medicines",
        "I walk a bit" if v % 2 else "no exercise",
        "none",
        "/timezone {zone}",
    ]
    messages = list(first)
    while len(messages) < PER_USER - 3:
        messages += ROUND
    messages = [*messages[: PER_USER - 3], "/check", "{place}", "/ask how much water?"]
    return [m.format(**values) for m in messages]


def stored_state(db: Path, user_id: int) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        user = conn.execute(
            "SELECT timezone, state, active FROM users WHERE user_id = ?", (user_id,)
        ).fetchone()
        checks = conn.execute(
            "SELECT answers, causes, urgency, red_flags FROM assessments WHERE user_id = ?",
            (user_id,),
        ).fetchall()
    state = json.loads(user[1])
    state.get("assessment", {}).pop("started", None)
    return {"timezone": user[0], "state": state, "active": user[2], "checks": checks}


def shape(reply: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in reply.items() if k != "user_id"}, sort_keys=True)


async def open_engine(knowledge: Knowledge, db: Path) -> Engine:
    return Engine(knowledge, await SQLiteStore.open(db))


async def reference(knowledge: Knowledge, tmp_path: Path) -> tuple[dict[int, list[str]], Path]:
    """Each variant's script run by one user alone: the replies (without user_id) and the db."""
    db = tmp_path / "reference.db"
    engine = await open_engine(knowledge, db)
    replies: dict[int, list[str]] = {}
    try:
        for v in range(VARIANTS):
            user = VARIANTS * 1000 + v
            replies[v] = []
            for text in script(user):
                for reply in await engine.handle(Incoming(user, NOW, text=text)):
                    replies[v].append(shape(reply.to_json()))
    finally:
        await engine.store.close()
    return replies, db


def check_final_states(db: Path, ref_db: Path) -> None:
    expected = {v: stored_state(ref_db, VARIANTS * 1000 + v) for v in range(VARIANTS)}
    for user in range(1, USERS + 1):
        assert stored_state(db, user) == expected[user % VARIANTS], f"user {user}"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM users").fetchone()[0] == USERS


def interleaved(seed: int) -> list[tuple[int, str]]:
    """All users' messages, shuffled across users, each user's own order kept."""
    rng = random.Random(seed)
    queues = {u: list(script(u)) for u in range(1, USERS + 1)}
    order = [u for u in queues for _ in queues[u]]
    rng.shuffle(order)
    return [(u, queues[u].pop(0)) for u in order]


async def test_json_transport_interleaved(knowledge: Knowledge, tmp_path: Path) -> None:
    expected, ref_db = await reference(knowledge, tmp_path)
    lines = interleaved(seed=5)
    stdin = [json.dumps({"user_id": u, "text": t, "now": NOW.isoformat()}) for u, t in lines]
    db = tmp_path / "jsonl.db"
    engine = await open_engine(knowledge, db)
    out = io.StringIO()
    try:
        await jsonl.serve(engine, io.StringIO("\n".join(stdin) + "\n"), out)
    finally:
        await engine.store.close()
    outputs = out.getvalue().splitlines()
    assert len(outputs) == USERS * PER_USER
    got: dict[int, list[str]] = defaultdict(list)
    for (user, _), line in zip(lines, outputs, strict=True):
        for reply in json.loads(line)["replies"]:
            assert reply["user_id"] == user  # no cross-talk
            got[user].append(shape(reply))
    for user in range(1, USERS + 1):
        assert got[user] == expected[user % VARIANTS], f"user {user}"
    check_final_states(db, ref_db)


async def test_engine_handle_gathered(knowledge: Knowledge, tmp_path: Path) -> None:
    expected, ref_db = await reference(knowledge, tmp_path)
    db = tmp_path / "gather.db"
    engine = await open_engine(knowledge, db)

    async def talk(user: int) -> list[str]:
        seen = []
        for text in script(user):
            replies: list[Reply] = await engine.handle(Incoming(user, NOW, text=text))
            assert {r.user_id for r in replies} == {user}
            seen += [shape(r.to_json()) for r in replies]
            await asyncio.sleep(0)  # let the others in between every message
        return seen

    try:
        results = await asyncio.gather(*(talk(u) for u in range(1, USERS + 1)))
    finally:
        await engine.store.close()
    for user, seen in zip(range(1, USERS + 1), results, strict=True):
        assert seen == expected[user % VARIANTS], f"user {user}"
    check_final_states(db, ref_db)


# --- the Telegram handlers, fed in-process ------------------------------------------------
class CollectingSender:
    """Stands in for bot.telegram_send.Sender: records what would be sent, per chat."""

    def __init__(self) -> None:
        self.sent: dict[int, list[str]] = defaultdict(list)

    async def send(self, reply: Reply) -> bool:
        await asyncio.sleep(0)  # a real send yields to the loop
        self.sent[reply.user_id].append(shape(reply.to_json()))
        return True

    async def edit(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("typed messages never edit")


def text_update(update_id: int, user_id: int, text: str) -> Any:
    from telegram import Chat, Message, Update, User

    user = User(id=user_id, first_name="T", is_bot=False)
    chat = Chat(id=user_id, type="private")
    message = Message(message_id=update_id, date=NOW, chat=chat, from_user=user, text=text)
    return Update(update_id=update_id, message=message)


def telegram_bot(knowledge: Knowledge, engine: Engine, db: Path) -> Any:
    from bot.telegram import TelegramBot

    return TelegramBot(
        settings=Settings(token="1:fake"),
        database=str(db),
        knowledge=knowledge,
        clock=lambda: NOW,
        engine=engine,
        sender=CollectingSender(),  # type: ignore[arg-type]
    )


async def test_telegram_handlers_all_at_once(knowledge: Knowledge, tmp_path: Path) -> None:
    _, ref_db = await reference(knowledge, tmp_path)
    # What the transport sends to a lone user (it may join or split the engine's replies).
    alone_engine = await open_engine(knowledge, tmp_path / "alone.db")
    alone = telegram_bot(knowledge, alone_engine, tmp_path / "alone.db")
    try:
        for v in range(VARIANTS):
            for i, text in enumerate(script(VARIANTS * 1000 + v)):
                await alone.on_text(text_update(i, VARIANTS * 1000 + v, text), None)
    finally:
        await alone_engine.store.close()
    expected = {v: alone.sender.sent[VARIANTS * 1000 + v] for v in range(VARIANTS)}

    db = tmp_path / "telegram.db"
    engine = await open_engine(knowledge, db)
    bot = telegram_bot(knowledge, engine, db)
    lines = interleaved(seed=11)
    try:
        # Every update at once: the per-user lock must keep each user's order.
        await asyncio.gather(
            *(bot.on_text(text_update(i, u, t), None) for i, (u, t) in enumerate(lines, 1))
        )
    finally:
        await engine.store.close()
    assert len(bot.locks) == 0  # no lock left behind
    assert set(bot.sender.sent) == set(range(1, USERS + 1))
    for user in range(1, USERS + 1):
        assert bot.sender.sent[user] == expected[user % VARIANTS], f"user {user}"
    check_final_states(db, ref_db)
