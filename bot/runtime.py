"""Building the engine with its store, shared by every transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.settings import Settings
from bot.spread import Spread
from bot.stores import open_store
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge, load_knowledge


def configured_knowledge(settings: Settings) -> Knowledge:
    """knowledge.yaml as the settings name it (BOT_KNOWLEDGE, BOT_CACHE_DIR); the engine
    itself never reads the environment."""
    cache_dir = Path(settings.cache_dir) if settings.cache_dir else None
    return load_knowledge(settings.knowledge, cache_dir)


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
