"""Helpers shared by the tests (import them from here, never from another test module).

- `ROOT` (the repository) and `DATA` (tests/data);
- the contract's public vocabulary (ids of questions, values, causes, urgency, red flags);
  `broken_knowledge`: knowledge.yaml's text with a change, to check what a mistake says;
- `Chat` (one user talking to an engine) and readers of its replies: `asked`, `understood`,
  `result`; the fixtures that build engines and stores are in tests/conftest.py;
- `ask`, `answer`, `detail`: a free-text answer read as the engine reads it;
- `FakeBot`, `sender_for`: a Bot API double and a `Sender` whose pauses are recorded;
  `markup_of`: an inline keyboard, one button a row;
- `ON_DISK` (a test for the two databases only, not the in-memory store) and `reopen`;
- the JSON-lines transport: `run_jsonl` (in-process), `run_cli` / `chat_json` (`python -m bot`
  as a process);
- Telegram over HTTP: `free_port`, `message_update`, `SECRET_HEADER`, `use_webhook`,
  `post_update`, `http_get`, `healthy`, `metric`;
- bot processes (`python -m bot run`): `start_bot`, `start_webhook_bots`, `stop`, `wait_for`."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import jsonl
from bot.memory_store import MemoryStore
from bot.stores import open_store
from bot.telegram_send import Sender
from dialogs import nlu
from dialogs.engine import Engine
from dialogs.knowledge import DEFAULT_PATH, Knowledge
from dialogs.ports import Store
from dialogs.types import Incoming, Reply

ROOT = Path(__file__).resolve().parent.parent  # the repository
DATA = ROOT / "tests" / "data"  # case files and other test data
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TOKEN = "123456:TEST-token-for-the-fake-api-0123456789"

# --- the contract's public vocabulary -------------------------------------------------------
# Kept here, not read from ../shared: a user's clone has none.

LIST_QUESTIONS = {"location", "medications", "conditions", "warning_signs"}
QUESTIONS = {  # in the order the bot asks them
    "location": {
        "eyelid",
        "face",
        "neck_back",
        "arm",
        "hand",
        "chest_abdomen",
        "thigh",
        "calf",
        "foot",
        "widespread",
    },
    "warning_signs": set(),  # filled below: none and every red flag
    "duration": {"under_a_day", "days", "weeks", "months"},
    "caffeine": {"none", "moderate", "high"},
    "sleep": {"short", "fair", "enough"},
    "stress": {"low", "moderate", "high"},
    "medications": {"none", "diuretic", "adhd_stimulant", "antidepressant", "statin", "other"},
    "exercise": {"none", "light", "intense"},
    "conditions": {"none", "kidney", "diabetes", "heart", "pregnancy", "other"},
}
UNKNOWN = "unknown"
CAUSES = {
    "mineral_deficiency",
    "dehydration",
    "stress",
    "caffeine",
    "sleep_fatigue",
    "physical_activity",
    "medication",
    "serotonin",
    "kidney",
    "calcium_deficiency",
    "intense_exercise",
    "arterial_inflammation",
    "pregnancy",
}
URGENCIES = {"self_care", "doctor_routine", "doctor_soon", "emergency"}
RED_FLAG_URGENCY = {  # CONTRACT.md's table, in its order (most urgent first)
    "self_harm": "emergency",
    "stroke": "emergency",
    "meningitis": "emergency",
    "serotonin_toxicity": "emergency",
    "breathing": "emergency",
    "swallowing": "emergency",
    "speech": "emergency",
    "chest": "emergency",
    "seizure": "emergency",
    "dark_urine": "emergency",
    "tetanus": "emergency",
    "bladder_bowel": "emergency",
    "weakness": "doctor_soon",
    "numbness": "doctor_soon",
    "wasting": "doctor_soon",
    "injury": "doctor_soon",
    "calf_swelling": "doctor_soon",
    "long_cramp": "doctor_soon",
    "eyelid_closure": "doctor_soon",
    "spreading": "doctor_routine",
}
RED_FLAGS = set(RED_FLAG_URGENCY)
QUESTIONS["warning_signs"] = {"none"} | RED_FLAGS
QUESTION_ORDER = list(QUESTIONS)


def broken_knowledge(change: Callable[[dict[str, Any]], None]) -> str:
    """knowledge.yaml's text after `change` edited its data (for `parse_knowledge`)."""
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# --- a user talking to an engine ------------------------------------------------------------

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


class Chat:
    """One user talking to an engine, with a clock that moves a minute per message."""

    def __init__(self, engine: Engine, user_id: int = 42, now: datetime = T0) -> None:
        self.engine = engine
        self.user_id = user_id
        self.now = now

    async def send(self, text: str) -> list[Reply]:
        self.now += timedelta(minutes=1)
        return await self.engine.handle(Incoming(self.user_id, self.now, text=text))

    async def press(self, data: str) -> list[Reply]:
        self.now += timedelta(minutes=1)
        return await self.engine.handle(Incoming(self.user_id, self.now, callback=data))


def asked(replies: list[Reply]) -> str | None:
    questions = [r.asks for r in replies if r.asks]
    return questions[-1] if questions else None


def understood(replies: list[Reply]) -> dict:
    return {a["question"]: a["value"] for r in replies for a in r.answers}


def result(replies: list[Reply]) -> Reply | None:
    return next((r for r in replies if r.causes is not None), None)


# --- free-text answers, read as the engine reads them ---------------------------------------


def ask(knowledge: Knowledge, question: str, text: str) -> nlu.Interpretation:
    """Answer `question` as the engine asks it: every earlier question already answered."""
    answered = {q: "unknown" for q in QUESTION_ORDER[: QUESTION_ORDER.index(question)]}
    return nlu.interpret(knowledge, text, question, answered)


def answer(knowledge: Knowledge, question: str, text: str) -> Any:
    """The value read for `question` (a list sorted), "unknown" for a skip, None for nothing."""
    reading = ask(knowledge, question, text)
    if reading.skipped:
        return "unknown"
    for item in reading.answers:
        if item.question == question:
            return sorted(item.value) if isinstance(item.value, list) else item.value
    return None


def detail(knowledge: Knowledge, question: str, text: str) -> dict[str, Any]:
    """The details read with the answer to `question` (it must give one)."""
    for item in ask(knowledge, question, text).answers:
        if item.question == question:
            return item.detail
    raise AssertionError(f"{text!r} gave no {question} answer")


# --- the Bot API, doubled -------------------------------------------------------------------


class FakeBot:
    """Fails with the given errors, in turn, then succeeds; records what was sent."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.sent: list[dict[str, Any]] = []
        self.edited: list[dict[str, Any]] = []

    async def send_message(self, **kwargs: Any) -> None:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(kwargs)

    async def edit_message_text(self, **kwargs: Any) -> None:
        if self.errors:
            raise self.errors.pop(0)
        self.edited.append(kwargs)


def sender_for(bot: FakeBot, waits: list[float], window: float = 0.0) -> Sender:
    """A sender whose pauses are recorded (and move its monotonic clock), not waited."""
    moment = [1000.0]

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        moment[0] += seconds

    return Sender(
        bot,  # type: ignore[arg-type]
        retries=3,
        backoff=0.5,
        sleep=sleep,
        reply_window=window,
        monotonic=lambda: moment[0],
    )


def markup_of(*labels_data: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t, callback_data=d)] for t, d in labels_data]
    )


# --- stores ---------------------------------------------------------------------------------

# A test about the database itself (it reopens it by name, or hands it to another process):
# SQLite and PostgreSQL only, not the in-memory store (the `database` fixture's third kind).
ON_DISK = pytest.mark.parametrize("database", ["sqlite", "postgres"], indirect=True)


async def reopen(store: Store, database: str) -> Store:
    """The store after a restart: closed, then opened again on the same data."""
    await store.close()
    if isinstance(store, MemoryStore):
        return MemoryStore(store.data, store.spread)
    return await open_store(database)


# --- the JSON-lines transport ---------------------------------------------------------------
async def run_jsonl(
    knowledge: Knowledge, database: str | Path, steps: list[dict[str, Any]], user_id: int = 5
) -> list[list[dict[str, Any]]]:
    """One run of the JSON-lines transport in-process over `database` (opened and closed, as
    a process would): the replies of each step (`user_id` added to each)."""
    store = await open_store(str(database))
    try:
        out = io.StringIO()
        source = io.StringIO("".join(json.dumps({"user_id": user_id, **s}) + "\n" for s in steps))
        await jsonl.serve(Engine(knowledge, store), source, out)
    finally:
        await store.close()
    return [json.loads(line)["replies"] for line in out.getvalue().splitlines()]


def run_cli(
    *args: str,
    stdin: str = "",
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as a process, to the end: its exit code, stdout and stderr."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)} if env is None else env,
    )


def chat_json(database: str | Path, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`python -m bot chat --json --db DATABASE` with `messages` as its input lines: the
    output lines (it must exit 0)."""
    stdin = "".join(json.dumps(m) + "\n" for m in messages)
    done = run_cli("chat", "--json", "--db", str(database), stdin=stdin)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


# --- Telegram over HTTP ---------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def message_update(update_id: int, user_id: int, text: str, name: str = "Sam") -> dict[str, Any]:
    """A private text message as Telegram POSTs it to a webhook (a command marked as one)."""
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": name},
        "from": {"id": user_id, "is_bot": False, "first_name": name},
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    return {"update_id": update_id, "message": message}


def use_webhook(telegram_bot: Any, path: str) -> dict[str, Any]:
    """Switch a `bot.app.TelegramApp` to a webhook on a free local port (public URL
    `https://bot.example.org/<path>/<port>`): `running(..., webhook=)`'s options."""
    from bot.app import webhook_options

    port = free_port()
    telegram_bot.settings = replace(
        telegram_bot.settings,
        webhook_url=f"https://bot.example.org/{path}/{port}",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    return webhook_options(telegram_bot.settings)


def post_update(port: int, update: dict[str, Any], secret: str, path: str = "hook") -> int:
    """POST an update to a webhook on this machine, with the secret: the HTTP status."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/{path}",
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json", SECRET_HEADER: secret},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.status)


def http_get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()


def healthy(port: int) -> bool:
    """Whether a bot answers 200 on /healthz at `port`."""
    try:
        return http_get(port, "/healthz")[0] == 200
    except OSError:
        return False


def metric(page: str, name: str) -> float:
    """A value of a /metrics page (0 when absent)."""
    for line in page.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


# --- bot processes --------------------------------------------------------------------------
def start_bot(database: str, api_url: str, log: Path, **env: str) -> subprocess.Popen[bytes]:
    """`python -m bot run` over `database` against the Bot API at `api_url` (token `TOKEN`),
    its output in `log`; `env` adds or overrides settings."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environ = {
        **inherited,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api_url,
        "BOT_DATABASE": database,
        "LOG_LEVEL": "INFO",
        **env,
    }
    with log.open("wb") as output:  # the child writes to its own copy of the file
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=environ,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def start_webhook_bots(
    database: str, api_url: str, logs: list[Path], secret: str, **env: str
) -> tuple[list[subprocess.Popen[bytes]], list[int]]:
    """One `python -m bot run` in webhook mode per log file (each on a free port, path
    /hook, this `secret`): the processes and their ports."""
    ports = [free_port() for _ in logs]
    bots = [
        start_bot(
            database,
            api_url,
            log,
            TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
            TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
            TELEGRAM_WEBHOOK_SECRET=secret,
            PORT=str(port),
            **env,
        )
        for log, port in zip(logs, ports, strict=True)
    ]
    return bots, ports


def stop(*processes: subprocess.Popen[bytes]) -> None:
    """SIGINT (a normal stop), then SIGKILL for whatever has not ended within 15 s."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition: Any, timeout: float, step: float = 0.2) -> bool:
    """Poll `condition()` until it is true or `timeout` seconds pass: its last value."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())
