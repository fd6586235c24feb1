"""Shared fixtures: the real knowledge base, an engine over a temporary SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge, load_knowledge
from dialogs.types import Incoming, Reply

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.db"


@pytest.fixture
async def engine(knowledge: Knowledge, db_path: Path) -> AsyncIterator[Engine]:
    store = await SQLiteStore.open(db_path)
    try:
        yield Engine(knowledge, store)
    finally:
        await store.close()


class Chat:
    """One user talking to an engine, with a clock that moves a minute per message."""

    def __init__(self, engine: Engine, user_id: int = 42, now: datetime = T0) -> None:
        self.engine = engine
        self.user_id = user_id
        self.now = now

    async def send(self, text: str) -> list[Reply]:
        self.now += timedelta(minutes=1)
        return await self.engine.handle(Incoming(self.user_id, self.now, text=text))

    async def press(self, data: str) -> list[Reply]:
        self.now += timedelta(minutes=1)
        return await self.engine.handle(Incoming(self.user_id, self.now, callback=data))


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)


def asked(replies: list[Reply]) -> str | None:
    questions = [r.asks for r in replies if r.asks]
    return questions[-1] if questions else None


def understood(replies: list[Reply]) -> dict:
    return {a["question"]: a["value"] for r in replies for a in r.answers}


def result(replies: list[Reply]) -> Reply | None:
    return next((r for r in replies if r.causes is not None), None)
