"""Helpers shared by the tests (import them from here, never from another test module).

- `ROOT` (the repository) and `DATA` (tests/data);
- the contract's public vocabulary (ids of questions, values, causes, urgency, red flags);
  `broken_knowledge`: knowledge.yaml's text with a change, to check what a mistake says;
- `Chat` (one user talking to an engine) and readers of its replies: `asked`, `understood`,
  `result`; the fixtures that build engines and stores are in tests/conftest.py;
- `ask`, `answer`, `detail`: a free-text answer read as the engine reads it;
- `FakeBot`, `sender_for`: a Bot API double and a `Sender` whose pauses are recorded;
  `markup_of`: an inline keyboard, one button a row;
- `ON_DISK` (a test for the two databases only, not the in-memory store) and `reopen`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

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
