"""Building the engine with its store, shared by every transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge, load_knowledge


@asynccontextmanager
async def open_engine(
    database: str | Path, grace_minutes: float = 15, knowledge: Knowledge | None = None
) -> AsyncIterator[Engine]:
    """An engine over the SQLite file `database`, closed on exit."""
    knowledge = knowledge or load_knowledge()
    store = await SQLiteStore.open(database)
    try:
        yield Engine(knowledge, store, grace_minutes=grace_minutes)
    finally:
        await store.close()
