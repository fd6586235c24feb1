"""A PostgreSQL server for the tests: a fresh schema per test (as good as a fresh database).

`scripts/test` starts a throwaway cluster and exports BOT_TEST_POSTGRES_URL. Without it (a
developer running pytest alone) a cluster is started here with `scripts/pg-cluster` when the
server binaries are installed. When none can be had, the tests that need PostgreSQL are skipped
with the reason, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import subprocess
import tempfile
import uuid
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end from sync code, even inside a running event loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def unavailable(reason: str) -> None:
    """Skip outside CI, fail in CI."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL is needed in CI: {reason}")
    pytest.skip(f"PostgreSQL is not available: {reason}")


class PostgresServer:
    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url

    async def _admin(self, *statements: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(self.admin_url, timeout=10)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    def check(self) -> None:
        """Fails when the server cannot be used."""
        run_sync(self._admin("SELECT 1"))

    def new_database(self) -> str:
        """A fresh, empty place for one test: a schema of its own (its URL sets the
        search_path), much quicker than CREATE DATABASE; the store migrates it."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        run_sync(self._admin(f"CREATE SCHEMA {name}"))
        return f"{self.admin_url}{'&' if '?' in self.admin_url else '?'}search_path={name}"

    def drop(self, url: str) -> None:
        name = url.rsplit("search_path=", 1)[-1]
        run_sync(self._admin(f"DROP SCHEMA IF EXISTS {name} CASCADE"))


class LocalCluster:
    """A cluster started for this pytest session with scripts/pg-cluster (no install)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="bot-pg-"))
        self.url: str | None = None
        self.error = ""

    def start(self) -> str | None:
        try:
            done = subprocess.run(
                [str(ROOT / "scripts" / "pg-cluster"), "start", str(self.dir)],
                capture_output=True,
                text=True,
                timeout=120,
                env={**os.environ, "PG_CLUSTER_NO_INSTALL": "1"},
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            self.error = str(error)
            return None
        if done.returncode != 0:
            self.error = (done.stderr or done.stdout).strip()[-300:]
            return None
        self.url = done.stdout.strip().splitlines()[-1]
        return self.url

    def stop(self) -> None:
        subprocess.run(
            [str(ROOT / "scripts" / "pg-cluster"), "stop", str(self.dir)],
            capture_output=True,
            timeout=60,
            check=False,
        )
