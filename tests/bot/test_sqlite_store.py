"""The SQLite store (bot/sqlite_store.py, bot/sqlite_migrations.py) on its own: the schema is
migrated, in WAL mode, and a newer schema is refused. What every store does:
test_store_protocol.py."""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest

from bot.sqlite_migrations import SCHEMA_VERSION
from bot.sqlite_store import SQLiteStore


async def test_schema_is_migrated_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = await SQLiteStore.open(path)
    await store.close()
    async with aiosqlite.connect(path) as db:
        assert (await (await db.execute("PRAGMA user_version")).fetchone())[0] == SCHEMA_VERSION
        assert (await (await db.execute("PRAGMA journal_mode")).fetchone())[0] == "wal"
    store = await SQLiteStore.open(path)  # reopening migrates nothing and works
    await store.close()


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    async with aiosqlite.connect(path) as db:
        await db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(RuntimeError, match="newer"):
        await SQLiteStore.open(path)
