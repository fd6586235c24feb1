"""Property tests: whatever arrives, the engine and the JSON transport answer and never raise.

Any unicode, 100 KB messages, empty and white-space text, control characters, random button
data, invalid JSON lines. And the assessment's invariants hold for any mix of answers,
asides, skips and button presses: once the check moves past a question it never asks it
again, and a check that runs to its end gives exactly one result, as its last question-ish
message.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import jsonl
from bot.memory_store import MemoryStore
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from dialogs.types import Incoming, Reply
from tests.helpers import T0

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Harness:
    """One event loop and one engine over an in-memory store for all examples of a test
    (hypothesis runs the body many times; a fresh user id per example keeps them apart)."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.loop = asyncio.new_event_loop()
        self.store = MemoryStore()
        self.engine = Engine(knowledge, self.store)
        self.next_user = 1000
        self.now = T0

    def user(self) -> int:
        self.next_user += 1
        return self.next_user

    def handle(self, user_id: int, text: str | None = None, callback: str | None = None):
        self.now += timedelta(seconds=30)
        incoming = Incoming(user_id, self.now, text=text, callback=callback)
        return self.loop.run_until_complete(self.engine.handle(incoming))

    def run(self, coro):
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.loop.run_until_complete(self.store.close())
        self.loop.close()


@pytest.fixture
def harness(knowledge: Knowledge) -> Iterator[Harness]:
    h = Harness(knowledge)
    try:
        yield h
    finally:
        h.close()


def check_replies(replies: list[Reply], user_id: int) -> None:
    assert replies, "every message gets at least one reply"
    for reply in replies:
        assert reply.user_id == user_id
        assert isinstance(reply.text, str) and reply.text.strip()
        json.dumps(reply.to_json(), ensure_ascii=False)  # always serialisable


# --- any text, any button ---------------------------------------------------------------
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(
    "\u200b\u202e\ufeff\x7f"
)
ANY_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=CONTROL, max_size=50),
    st.text(alphabet=st.sampled_from(" \t\n\r\u00a0\u2003\u3000"), max_size=40),
    st.builds(lambda s, n: (s or "x") * n, st.text(min_size=1, max_size=5), st.integers(1, 25_000)),
    st.builds(lambda s: "/" + s, st.text(max_size=40)),
    st.builds(
        lambda a, b: a + " " + b,
        st.sampled_from(["/ask", "/remind", "/timezone"]),
        st.text(max_size=80),
    ),
)
ANY_CALLBACK = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda kind, a, b: f"{kind}:{a}:{b}",
        st.sampled_from(["ans", "tog", "done", "skip", "faq", "menu", "del", "rem", "x"]),
        st.text(max_size=20),
        st.text(max_size=20),
    ),
)


@SETTINGS
@given(
    st.lists(
        st.one_of(ANY_TEXT.map(lambda t: ("text", t)), ANY_CALLBACK.map(lambda c: ("cb", c))),
        min_size=1,
        max_size=6,
    )
)
def test_engine_answers_anything(harness: Harness, messages: list[tuple[str, str]]) -> None:
    user = harness.user()
    for kind, value in [("text", "/check"), *messages]:
        if kind == "text":
            replies = harness.handle(user, text=value)
        else:
            replies = harness.handle(user, callback=value)
        check_replies(replies, user)


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(min_size=1, max_size=3), st.sampled_from([None, "/ask ", "/check"]))
def test_hundred_kilobyte_messages(harness: Harness, unit: str, prefix: str | None) -> None:
    user = harness.user()
    if prefix == "/check":
        harness.handle(user, text="/check")
    text = (prefix or "") + (unit * (100_000 // len(unit) + 1))[:100_000]
    check_replies(harness.handle(user, text=text), user)


# --- the assessment's invariants -----------------------------------------------------------
ANSWERISH = st.sampled_from(
    [
        "my left eyelid",
        "calves and feet",
        "about 3 days",
        "for months",
        "5 coffees a day",
        "no caffeine",
        "I sleep 5-6 hours",
        "stress is 8 out of 10",
        "I take water pills",
        "none",
        "I run marathons",
        "I have diabetes",
        "skip",
        "not sure",
        "I don't know",
        "actually I sleep 8 hours",
        "is this serious?",
        "how much water should I drink?",
        "I've been dropping things",
        "no numbness at all",
        "yes",
        "no",
        "🙂",
        "",
        "   ",
        "/ask",
        "/history",
        "/help",
        "/reminders",
        "/privacy",
    ]
)


def action() -> st.SearchStrategy[tuple[str, object]]:
    return st.one_of(
        ANSWERISH.map(lambda t: ("text", t)),
        ANY_TEXT.filter(lambda t: len(t) < 400).map(lambda t: ("text", t)),
        st.integers(0, 20).map(lambda i: ("press", i)),  # one of the last reply's buttons
    )


URGENCIES = {"emergency", "doctor_soon", "doctor_routine", "self_care"}


def collapse(asks: list[str]) -> list[str]:
    return [q for i, q in enumerate(asks) if i == 0 or asks[i - 1] != q]


@settings(SETTINGS, max_examples=150)
@given(st.lists(action(), max_size=25))
def test_assessment_invariants(harness: Harness, actions: list[tuple[str, object]]) -> None:
    knowledge = harness.engine.knowledge
    user = harness.user()
    starts = {knowledge.messages("check_intro"), knowledge.messages("check_restarted")}
    cancelled = knowledge.messages("cancelled")  # plain words may cancel too ("QT": quit)
    asks: list[str] = []  # the questions asked in the current check, in order
    results = 0
    running = True
    buttons: list[str] = []

    def take(replies: list[Reply]) -> None:
        nonlocal asks, results, running, buttons
        check_replies(replies, user)
        for reply in replies:
            if reply.text in starts:
                asks, results, running = [], 0, True
            if reply.text == cancelled:
                running = False
            if reply.asks:
                assert running, "a question after the check ended"
                asks.append(reply.asks)
                order = collapse(asks)
                assert len(order) == len(set(order)), f"a question came back: {order}"
            if reply.causes is not None:
                results += 1
                assert results == 1, "more than one result"
                assert reply.urgency in URGENCIES
                running = False
            if reply.urgency == "emergency" and reply.red_flag:
                running = False
        new = [b.data for r in replies for row in r.buttons for b in row]
        if new:
            buttons = new

    take(harness.handle(user, text="/check"))
    for kind, value in actions:
        if kind == "press" and buttons:
            take(harness.handle(user, callback=buttons[int(value) % len(buttons)]))
        elif kind == "text":
            take(harness.handle(user, text=str(value)))
    if not running:
        take(harness.handle(user, text="/check"))
    for _ in range(3 * len(knowledge.questions)):  # skip to the end: exactly one result
        if not running:
            break
        take(harness.handle(user, text="skip"))
    assert not running and results == 1


# --- the JSON transport -----------------------------------------------------------------
LINE = st.one_of(
    st.text(max_size=200),
    st.builds(
        json.dumps,
        st.dictionaries(
            st.text(max_size=10), st.none() | st.integers() | st.text(max_size=20), max_size=4
        ),
    ),
    st.builds(
        lambda uid, text, now: json.dumps(
            {"user_id": uid, "text": text, **({"now": now} if now else {})}
        ),
        st.integers(-(2**70), 2**70) | st.booleans() | st.text(max_size=5),
        st.text(max_size=200),
        st.none() | st.text(max_size=30) | st.datetimes().map(lambda d: d.isoformat() + "+00:00"),
    ),
    st.builds(
        lambda uid, cb: json.dumps({"user_id": uid, "callback": cb}),
        st.integers(1, 5),
        ANY_CALLBACK,
    ),
    st.binary(max_size=60).map(lambda b: b.decode("utf-8", "replace")),
    st.just("{" * 5000),
    st.just("[" * 100_000),
)


@SETTINGS
@given(st.lists(LINE.map(lambda s: s.replace("\n", " ")), min_size=1, max_size=8))
def test_json_transport_one_line_out_per_line_in(harness: Harness, lines: list[str]) -> None:
    out = io.StringIO()
    harness.run(jsonl.serve(harness.engine, io.StringIO("".join(x + "\n" for x in lines)), out))
    outputs = out.getvalue().split("\n")
    assert outputs[-1] == ""
    outputs = outputs[:-1]
    assert len(outputs) == len(lines)
    for line in outputs:
        parsed = json.loads(line)
        assert set(parsed) in ({"replies"}, {"error"})
        if "error" in parsed:
            assert parsed["error"] != "internal error while handling this line"
            assert isinstance(parsed["error"], str) and parsed["error"]
        else:
            assert all(isinstance(r["user_id"], int) and r["text"] for r in parsed["replies"])


# --- worst cases answered in time -----------------------------------------------------------
LONG_WORD = "qwertyuiopasdfghjklzxcvbnm" * 80  # one 2,080-letter "word"
TYPOS = " ".join(["magnesiumm", "potasium", "twichingg", "dehydrashun"] * 200)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(
        [LONG_WORD, LONG_WORD[:400], TYPOS, "a" * 5000, "é" * 3000, "/ask " + LONG_WORD]
    ),
    st.booleans(),
)
def test_worst_case_text_is_answered_quickly(harness: Harness, text: str, in_check: bool) -> None:
    """One slow message blocks every user (one event loop): none may take long."""
    import time

    user = harness.user()
    if in_check:
        harness.handle(user, text="/check")
    started = time.perf_counter()
    check_replies(harness.handle(user, text=text), user)
    assert time.perf_counter() - started < 0.5
