"""Building the engine with its store, shared by every transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.spread import Spread
from bot.stores import open_store
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge, load_knowledge


@asynccontextmanager
async def open_engine(
    database: str | Path,
    grace_minutes: float = 15,
    knowledge: Knowledge | None = None,
    spread: Spread | None = None,
) -> AsyncIterator[Engine]:
    """An engine over `database` (a SQLite file, or a postgresql:// URL), closed on exit."""
    knowledge = knowledge or load_knowledge()
    store = await open_store(database, spread)
    try:
        yield Engine(knowledge, store, grace_minutes=grace_minutes)
    finally:
        await store.close()
