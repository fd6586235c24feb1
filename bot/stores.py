"""Choosing the store: a `postgresql://` (or `postgres://`) URL opens PostgreSQL, `memory:` an
empty in-memory store (gone when the process ends), anything else is the path of a SQLite
file."""

from __future__ import annotations

from pathlib import Path

from bot.spread import Spread
from dialogs.ports import Store

MEMORY = "memory:"


def is_postgres(database: str | Path) -> bool:
    return str(database).startswith(("postgresql://", "postgres://"))


def is_memory(database: str | Path) -> bool:
    return str(database) == MEMORY


async def open_store(database: str | Path, spread: Spread | None = None) -> Store:
    """Open (and migrate) the store named by `database`."""
    if is_postgres(database):
        from bot.postgres_store import PostgresStore  # asyncpg only when it is used

        return await PostgresStore.open(str(database), spread)
    if is_memory(database):
        from bot.memory_store import MemoryStore

        return MemoryStore(spread=spread)
    from bot.sqlite_store import SQLiteStore

    store = await SQLiteStore.open(database)
    if spread is not None:
        store.spread = spread
    return store
