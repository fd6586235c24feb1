"""Faults: a killed process, a busy, read-only or full database, a broken knowledge.yaml.

The bot must never crash on them: a killed run continues from the last stored answer, a
locked database is waited for, a database that cannot be written gives a clear log line and
a polite reply (and works again once the fault is gone), a broken knowledge.yaml stops
start-up with a message that names the place.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.sqlite_store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import DEFAULT_PATH, Knowledge
from dialogs.types import Incoming
from tests.helpers import ROOT, T0, broken_knowledge, run_cli


# --- the process killed between a message and its reply -------------------------------------
class ChatProcess:
    """`python -m bot chat --json --db F` as a subprocess, one JSON line in, one out."""

    def __init__(self, db: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", "--json", "--db", str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )

    def write(self, message: dict) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def read(self) -> dict:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "the bot process ended without a reply"
        return json.loads(line)

    def send(self, message: dict) -> dict:
        self.write(message)
        return self.read()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._release()

    def close(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        code = self.proc.wait(timeout=30)
        self._release()
        return code

    def _release(self) -> None:
        """Close our ends of the pipes (else each is a ResourceWarning when collected)."""
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None and not pipe.closed:
                with contextlib.suppress(BrokenPipeError):  # a killed process's stdin
                    pipe.close()


@pytest.fixture
def database(db_path: Path) -> str:
    """These tests look inside the SQLite file (or break it): the SQLite store only."""
    return str(db_path)


def stored_assessment(db: Path, user_id: int) -> dict | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT state FROM users WHERE user_id = ?", (user_id,)).fetchone()
    return None if row is None else json.loads(row[0]).get("assessment")


ANSWERS = [
    ("location", "my left eyelid"),
    ("warning_signs", "none of these"),
    ("duration", "about 3 days"),
    ("caffeine", "4 cups of coffee a day"),
    ("sleep", "5 hours a night"),
]


@pytest.mark.parametrize("delay", [0.0, 0.002, 0.01, 0.05])
def test_sigkill_between_message_and_reply_continues_from_the_last_stored_answer(
    tmp_path: Path, delay: float
) -> None:
    db = tmp_path / "bot.db"
    user = {"user_id": 7}
    first = ChatProcess(db)
    replies = first.send({**user, "text": "/check"})["replies"]
    assert replies[-1]["asks"] == "location"
    for _question, text in ANSWERS[:-1]:
        assert "replies" in first.send({**user, "text": text})
    last_question, last_text = ANSWERS[-1]
    first.write({**user, "text": last_text})  # its reply is never read: the process dies
    time.sleep(delay)
    first.kill()

    stored = stored_assessment(db, 7)
    assert stored is not None
    for question, _ in ANSWERS[:-1]:  # every answer whose reply left is stored
        assert question in stored["answers"]
    # The last one either committed with its new state, or not at all: never half.
    if last_question in stored["answers"]:
        assert stored["asking"] != last_question
    else:
        assert stored["asking"] == last_question

    second = ChatProcess(db)  # the restart: the same file
    resumed = second.send({**user, "text": "/ask is this serious?"})["replies"]
    assert resumed[-1]["asks"] == stored["asking"]
    again = second.send({**user, "text": last_text})["replies"]
    assert last_question not in [r.get("asks") for r in again]
    assert second.close() == 0
    final = stored_assessment(db, 7)
    assert final is not None
    assert {q for q, _ in ANSWERS} <= set(final["answers"])


# --- busy, read-only, full ------------------------------------------------------------------
@pytest.fixture
async def migrated(db_path: Path) -> Path:
    store = await SQLiteStore.open(db_path)
    await store.close()
    return db_path


@pytest.fixture
async def faulty(
    knowledge: Knowledge, migrated: Path
) -> AsyncIterator[tuple[Engine, aiosqlite.Connection]]:
    """An engine over a connection the test can misconfigure (PRAGMAs) and repair."""
    conn = await aiosqlite.connect(str(migrated), isolation_level=None)
    await conn.execute("PRAGMA busy_timeout = 5000")
    await conn.execute("PRAGMA journal_mode = WAL")
    try:
        yield Engine(knowledge, SQLiteStore(conn)), conn
    finally:
        await conn.close()


async def send(engine: Engine, user_id: int, text: str, minute: int = 1):
    return await engine.handle(Incoming(user_id, T0 + timedelta(minutes=minute), text=text))


def hold_write_lock(path: Path, seconds: float, locked: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE users SET updated_at = updated_at")
    locked.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


async def test_a_write_lock_held_by_another_connection_is_waited_for(
    engine: Engine, db_path: Path
) -> None:
    await send(engine, 1, "/check")
    locked = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(db_path, 1.0, locked))
    holder.start()
    assert await asyncio.to_thread(locked.wait, 5)
    started = time.monotonic()
    replies = await send(engine, 1, "my calf", minute=2)
    waited = time.monotonic() - started
    holder.join()
    assert waited >= 0.5  # it really waited for the lock ...
    assert replies[-1].asks == "warning_signs"  # ... and then handled the message
    assert (await send(engine, 1, "/ask is this serious?", minute=3))[-1].asks == "warning_signs"


async def test_a_lock_held_longer_than_the_busy_timeout_is_retried(
    knowledge: Knowledge, migrated: Path, caplog: pytest.LogCaptureFixture
) -> None:
    conn = await aiosqlite.connect(str(migrated), isolation_level=None)
    await conn.execute("PRAGMA busy_timeout = 50")  # SQLite gives up fast: the store retries
    engine = Engine(knowledge, SQLiteStore(conn))
    try:
        await send(engine, 1, "/check")
        locked = threading.Event()
        holder = threading.Thread(target=hold_write_lock, args=(migrated, 0.8, locked))
        holder.start()
        assert await asyncio.to_thread(locked.wait, 5)
        caplog.set_level(logging.WARNING)
        replies = await send(engine, 1, "my calf", minute=2)
        holder.join()
    finally:
        await conn.close()
    assert "database busy, retrying" in caplog.text
    assert replies[-1].asks == "warning_signs"


def _apology(knowledge: Knowledge) -> str:
    return knowledge.messages("err_storage")


async def test_read_only_database_gives_a_polite_reply_and_a_log_line(
    faulty, knowledge: Knowledge, caplog: pytest.LogCaptureFixture
) -> None:
    engine, conn = faulty
    await send(engine, 3, "/check")
    await conn.execute("PRAGMA query_only = ON")  # every write now fails: read-only
    caplog.set_level(logging.INFO)
    for minute in range(2, 6):  # no crash loop: each message gets the same polite answer
        replies = await send(engine, 3, "secret-words my eyelid", minute)
        assert [r.text for r in replies] == [_apology(knowledge)]
        assert replies[0].user_id == 3
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and all("store failed" in r.getMessage() for r in errors)
    assert "readonly" in errors[0].getMessage()
    assert "secret-words" not in caplog.text
    assert await engine.fire_due(T0 + timedelta(hours=1)) == []  # reminders: nothing, no raise

    await conn.execute("PRAGMA query_only = OFF")  # the fault is gone: back to normal
    replies = await send(engine, 3, "my eyelid", minute=9)
    assert replies[-1].asks == "warning_signs"


async def test_full_disk_gives_a_polite_reply_and_recovers(
    faulty, knowledge: Knowledge, migrated: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine, conn = faulty
    async with conn.execute("PRAGMA page_count") as cur:
        pages = (await cur.fetchone())[0]
    await conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow
    caplog.set_level(logging.INFO)
    apologies = 0
    for user in range(1, 400):  # each new user with a check in progress needs room
        replies = await send(engine, user, "/check", minute=user)
        assert replies and all(r.user_id == user for r in replies)
        apologies += [r.text for r in replies] == [_apology(knowledge)]
    assert apologies > 0, "the page limit never bit"
    assert "full" in caplog.text
    assert "/check" not in caplog.text

    await conn.execute("PRAGMA max_page_count = 1073741823")
    replies = await send(engine, 999, "/check", minute=600)
    assert replies[-1].asks == "location"
    with sqlite3.connect(migrated) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_json_transport_survives_a_read_only_database(tmp_path: Path, knowledge: Knowledge) -> None:
    """Through the command line, as a user runs it: a database opened read-only (as when
    the file's permissions or the disk forbid writing) answers every line, exit code 0."""
    db = tmp_path / "bot.db"
    first = ChatProcess(db)
    first.send({"user_id": 1, "text": "/start"})
    assert first.close() == 0
    script = (
        "import sys, sqlite3\n"
        "real = sqlite3.connect\n"
        "def ro(path, *a, **k):\n"
        "    conn = real(path, *a, **k)\n"
        "    conn.execute('PRAGMA query_only = ON') if path.endswith('bot.db') else None\n"
        "    return conn\n"
        "sqlite3.connect = ro\n"
        "from bot.__main__ import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    lines = [{"user_id": 1, "text": "/check"}, {"user_id": 1, "text": "eyelid"}, "oops"]
    done = subprocess.run(
        [sys.executable, "-c", script, "chat", "--json", "--db", str(db)],
        input="".join((json.dumps(x) if isinstance(x, dict) else x) + "\n" for x in lines),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    outputs = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(outputs) == 3
    for output in outputs[:2]:
        assert [r["text"] for r in output["replies"]] == [knowledge.messages("err_storage")]
    assert "error" in outputs[2]
    assert "Traceback" not in done.stderr


# --- a broken knowledge.yaml ------------------------------------------------------------------
def _start_with(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    bad = tmp_path / "knowledge.yaml"
    bad.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json", "--db", str(tmp_path / "b.db")],
        input=json.dumps({"user_id": 1, "text": "/start"}) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"BOT_KNOWLEDGE": str(bad), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )


def _first_key(data: dict, section: str) -> str:
    value = data[section]
    return next(iter(value)) if isinstance(value, dict) else "0"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d.__setitem__("faq", "not a list"), "faq"),
        (lambda d: d.pop("questions"), "questions"),
        (lambda d: d.__setitem__("messages", ["a", "list"]), "messages"),
        (lambda d: d.__setitem__("surprise", {}), "surprise"),
    ],
)
def test_broken_knowledge_refuses_to_start_naming_the_place(
    tmp_path: Path, change, named: str
) -> None:
    done = _start_with(tmp_path, broken_knowledge(change))
    assert done.returncode == 2
    assert done.stdout == ""  # nothing answered with a half-loaded knowledge base
    assert named in done.stderr and "knowledge.yaml" in done.stderr
    assert "Traceback" not in done.stderr


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace("messages:\n", "messages:\n  - [\n", 1)
    done = _start_with(tmp_path, text)
    assert done.returncode == 2
    assert "line" in done.stderr and "column" in done.stderr
    assert "Traceback" not in done.stderr


def test_empty_knowledge_file_refuses_to_start(tmp_path: Path) -> None:
    done = _start_with(tmp_path, "")
    assert done.returncode == 2
    assert "knowledge.yaml" in done.stderr
    assert "Traceback" not in done.stderr


# --- transports: encodings and a failing engine ---------------------------------------------
async def test_json_transport_with_bad_bytes_in_and_an_ascii_terminal_out(engine: Engine) -> None:
    from bot import jsonl

    source = io.TextIOWrapper(
        io.BytesIO(b'\xff\xfe{"user_id": 1}\n{"user_id": 1, "text": "/start \xc3"}\n'),
        encoding="utf-8",
    )
    raw = io.BytesIO()
    sink = io.TextIOWrapper(raw, encoding="ascii", write_through=True)
    await jsonl.serve(engine, source, sink)
    outputs = [json.loads(line) for line in raw.getvalue().decode("ascii").splitlines()]
    assert "error" in outputs[0]
    assert outputs[1]["replies"][0]["text"]  # the emoji-rich greeting, \u-escaped


class FailingOnce:
    """An engine whose first handle() raises (a bug, say); then the real one answers."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.knowledge, self.failed = engine, engine.knowledge, False

    async def fire_due(self, now):
        return await self.engine.fire_due(now)

    async def handle(self, incoming: Incoming):
        if not self.failed:
            self.failed = True
            raise RuntimeError("boom")
        return await self.engine.handle(incoming)


async def test_terminal_chat_survives_a_failing_message(
    engine: Engine, knowledge: Knowledge, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.console import TerminalChat

    sink = io.StringIO()
    chat = TerminalChat(FailingOnce(engine), 1, sink, clock=lambda: T0)  # type: ignore[arg-type]
    await chat.say("my secret-words eyelid")
    await chat.say("/start")
    shown = sink.getvalue()
    assert knowledge.messages("err_internal").split("\n")[0][:40] in shown
    assert knowledge.messages("greeting").split("\n")[0][:40] in shown
    assert "could not handle" in caplog.text and "secret-words" not in caplog.text


def _said_keys(path: Path) -> set[str]:
    """String literals passed to turn.say(...) or ….messages(...) in a module's source."""
    import ast

    keys: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and (
                node.func.attr == "messages"
                or (node.func.attr == "say" and getattr(node.func.value, "id", "") == "turn")
            )
            and node.args
        ):
            for part in ast.walk(node.args[0]):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    keys.add(part.value)
    return keys


def test_every_message_the_engine_says_is_checked_at_start() -> None:
    from dialogs import engine as engine_module

    said = _said_keys(ROOT / "dialogs" / "engine.py") | _said_keys(ROOT / "bot" / "console.py")
    for feature in sorted((ROOT / "dialogs" / "features").glob("*.py")):
        said |= _said_keys(feature)
    assert said, "the scan found nothing"
    assert said <= set(engine_module.MESSAGES), sorted(said - set(engine_module.MESSAGES))


@pytest.mark.parametrize("key", ["empty_message", "err_storage"])
def test_a_missing_message_refuses_to_start_naming_it(tmp_path: Path, key: str) -> None:
    done = _start_with(tmp_path, broken_knowledge(lambda d: d["messages"].pop(key)))
    assert done.returncode == 2
    assert f"messages.{key}" in done.stderr
    assert done.stdout == ""


# --- a database that cannot be opened ---------------------------------------------------------
def _newer_schema(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 999")


@pytest.mark.parametrize(
    ("prepare", "says"),
    [
        (lambda db: db.mkdir(), "cannot open the database"),
        (lambda db: db.write_bytes(b"this is not a database" * 300), "cannot open the database"),
        (_newer_schema, "newer than this bot"),
    ],
    ids=["a directory", "not a database", "a newer schema"],
)
def test_a_database_that_cannot_be_opened_stops_with_a_clear_error(
    tmp_path: Path, prepare, says: str
) -> None:
    db = tmp_path / "bot.db"
    prepare(db)
    done = run_cli(
        "chat", "--json", "--db", str(db), stdin=json.dumps({"user_id": 1, "text": "/start"}) + "\n"
    )
    assert done.returncode == 2
    assert says in done.stderr
    assert "Traceback" not in done.stderr
