"""Helpers shared by the tests (import them from here, never from another test module)."""

from __future__ import annotations

import pytest

from bot.memory_store import MemoryStore
from bot.stores import open_store
from dialogs.ports import Store

# A test about the database itself (it reopens it by name, or hands it to another process):
# SQLite and PostgreSQL only, not the in-memory store (the `database` fixture's third kind).
ON_DISK = pytest.mark.parametrize("database", ["sqlite", "postgres"], indirect=True)


async def reopen(store: Store, database: str) -> Store:
    """The store after a restart: closed, then opened again on the same data."""
    await store.close()
    if isinstance(store, MemoryStore):
        return MemoryStore(store.data, store.spread)
    return await open_store(database)
