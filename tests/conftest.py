"""Shared fixtures: the real knowledge base, and (`database`, `engine`, `chat`) an engine over
each store: in memory (`memory:`, bot/memory_store.py), a temporary SQLite file, and a fresh
PostgreSQL database (see tests/pg.py). A test about the database itself (it reopens it by
name, or hands it to another process) runs on the two databases only: `@ON_DISK` from
tests/helpers.py, where the shared helpers are (`Chat`, `answer`, the vocabulary...)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.stores import MEMORY, open_store
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge, load_knowledge
from tests.helpers import Chat


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.db"


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """The PostgreSQL server of this test run (a `tests.pg.PostgresServer`)."""
    from tests.pg import LocalCluster, PostgresServer, unavailable

    cluster = None
    url = os.environ.get("BOT_TEST_POSTGRES_URL")
    if not url:
        cluster = LocalCluster()
        url = cluster.start()
    try:
        if not url:
            unavailable(cluster.error if cluster else "no server")
        server = PostgresServer(url)
        try:
            server.check()
        except Exception as error:  # the server is there but unusable
            unavailable(f"{type(error).__name__}: {error}")
        yield server
    finally:
        if cluster is not None:
            cluster.stop()


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def database(request: pytest.FixtureRequest, db_path: Path) -> Iterator[str]:
    """Where the store lives: in memory, a SQLite file, or a fresh PostgreSQL database (its
    URL)."""
    if request.param == "memory":
        yield MEMORY
        return
    if request.param == "sqlite":
        yield str(db_path)
        return
    server = request.getfixturevalue("postgres")
    url = server.new_database()
    try:
        yield url
    finally:
        server.drop(url)


@pytest.fixture
async def engine(knowledge: Knowledge, database: str) -> AsyncIterator[Engine]:
    store = await open_store(database)
    try:
        yield Engine(knowledge, store)
    finally:
        await store.close()


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)
