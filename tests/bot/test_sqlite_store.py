"""The SQLite store (bot/sqlite_store.py, bot/sqlite_migrations.py) on its own: the schema is
migrated, in WAL mode, and a newer schema is refused. What every store does:
test_store_protocol.py."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest

from bot.sqlite_migrations import SCHEMA_VERSION
from bot.sqlite_store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge


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


# --- defect 6: a deleted user's text stayed in the -wal file while the bot ran -------------
async def test_delete_leaves_no_text_in_the_wal_or_the_database_file(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    from bot.sqlite_store import SQLiteStore
    from dialogs.ports import UserRecord
    from dialogs.types import Incoming

    marker = "zqxwalmarker"
    path = tmp_path / "bot.db"
    store = await SQLiteStore.open(path)
    try:
        engine = Engine(knowledge, store)
        now = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
        async with store.transaction(now) as tx:
            await tx.save_user(UserRecord(31, state={"note": marker * 50}))
        for other in range(1, 30):  # others' rows share the pages
            await engine.handle(Incoming(other, now, text="/check"))
        wal = Path(str(path) + "-wal")
        assert marker.encode() in wal.read_bytes() + path.read_bytes()
        await engine.handle(Incoming(31, now, text="/delete"))
        await engine.handle(Incoming(31, now, callback="del:yes"))
        assert marker.encode() not in (wal.read_bytes() if wal.exists() else b"")
        assert marker.encode() not in path.read_bytes()
    finally:
        await store.close()
