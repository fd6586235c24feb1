"""The scriptable JSON-lines transport (CONTRACT.md "The protocol")."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot import jsonl
from dialogs.engine import Engine
from tests.helpers import chat_json


async def run_lines(engine: Engine, lines: list[str]) -> list[dict]:
    out = io.StringIO()
    await jsonl.serve(engine, io.StringIO("".join(line + "\n" for line in lines)), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


async def test_one_output_line_per_input_line(engine: Engine) -> None:
    lines = [
        json.dumps({"user_id": 5, "text": "/start"}),
        "not json",
        json.dumps([1, 2]),
        json.dumps({"text": "no user"}),
        json.dumps({"user_id": "5", "text": "string id"}),
        json.dumps({"user_id": 5, "text": 3}),
        json.dumps({"user_id": 5, "text": "hi", "now": "yesterday"}),
        json.dumps({"user_id": 5, "text": "hi", "now": "2026-05-04T09:00:00"}),
        "",
        json.dumps({"user_id": 5, "callback": "menu:help"}),
    ]
    outputs = await run_lines(engine, lines)
    assert len(outputs) == len(lines)
    assert "replies" in outputs[0] and outputs[0]["replies"][0]["user_id"] == 5
    assert all("error" in o for o in outputs[1:9])
    assert "replies" in outputs[9]


async def test_reply_fields_follow_the_contract(engine: Engine) -> None:
    outputs = await run_lines(
        engine,
        [
            json.dumps({"user_id": 9, "text": "/check", "now": "2026-05-04T09:00:00+02:00"}),
            json.dumps({"user_id": 9, "text": "skip"}),
        ],
    )
    first = outputs[0]["replies"]
    assert first[-1]["asks"] == "location"
    assert all(
        set(r)
        <= {
            "user_id",
            "text",
            "buttons",
            "asks",
            "answers",
            "causes",
            "urgency",
            "red_flag",
            "faq",
            "reminder",
        }
        for r in first
    )
    assert "causes" not in first[-1] and "faq" not in first[-1]  # empty fields are omitted
    button = first[-1]["buttons"][0][0]
    assert set(button) == {"text", "data"}
    assert outputs[1]["replies"][0]["answers"] == [{"question": "location", "value": "unknown"}]


def test_clock_never_goes_backwards() -> None:
    clock = jsonl.Clock()
    late = jsonl.parse_now("2026-05-04T10:00:00+00:00")
    clock.set(late)
    clock.set(jsonl.parse_now("2026-05-04T09:00:00+00:00"))
    assert clock.now() == late


def test_command_line_restart_continues(tmp_path: Path) -> None:
    """Two processes over the same file: the second continues the first's assessment."""
    db = tmp_path / "bot.db"
    first = chat_json(db, [{"user_id": 1, "text": "/check"}, {"user_id": 1, "text": "skip"}])
    assert first[1]["replies"][-1]["asks"] == "warning_signs"  # right after location
    second = chat_json(db, [{"user_id": 1, "text": "skip"}])
    assert second[0]["replies"][0]["answers"] == [{"question": "warning_signs", "value": "unknown"}]


class MeasuredSource(io.StringIO):
    """A stdin stand-in that records the most characters any one read returned."""

    largest = 0

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline(-1 if size is None else size)
        self.largest = max(self.largest, len(line))
        return line


async def test_the_line_limit_holds_while_reading(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonl, "MAX_LINE", 1000)
    huge = json.dumps({"user_id": 1, "text": "x" * 50_000})
    lines = [huge, json.dumps({"user_id": 1, "text": "/help"}), "y" * 1001, ""]
    source = MeasuredSource("\n".join(lines))
    sink = io.StringIO()
    await jsonl.serve(engine, source, sink)
    out = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert len(out) == 3
    assert "longer than 1000" in out[0]["error"]
    assert out[1]["replies"], "the next line is answered"
    assert "longer than 1000" in out[2]["error"]
    assert source.largest <= 64 * 1024 + 1, "never a whole long line in memory"


def test_read_line_keeps_lines_at_the_limit() -> None:
    source = io.StringIO("a" * 10 + "\n" + "b" * 11 + "\n" + "c" * 10)
    assert jsonl.read_line(source, 10) == ("a" * 10 + "\n", True)
    assert jsonl.read_line(source, 10)[1] is False
    assert jsonl.read_line(source, 10) == ("c" * 10, True)
    assert jsonl.read_line(source, 10) == ("", True)
