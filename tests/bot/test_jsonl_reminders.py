"""Reminders through the JSON-lines transport, with `now` and restarts (a new engine)."""

from __future__ import annotations

from pathlib import Path

from dialogs.knowledge import Knowledge
from tests.helpers import run_jsonl


def fired(replies: list[dict]) -> list[str]:
    return [r["reminder"] for r in replies if r.get("reminder")]


async def test_reminders_fire_before_the_reply_and_survive_restarts(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    db = tmp_path / "bot.db"
    first = await run_jsonl(knowledge, db, [
        {"text": "/timezone Berlin", "now": "2026-10-24T07:00:00+02:00"},
        {"text": "/remind water 09:00", "now": "2026-10-24T07:01:00+02:00"},
        {"text": "/remind sleep 02:30", "now": "2026-10-24T07:02:00+02:00"},
        {"text": "/reminders", "now": "2026-10-24T09:10:00+02:00"},
    ])  # fmt: skip
    assert [fired(r) for r in first] == [[], [], [], ["water"]]
    reminder, answer = first[3]
    assert reminder["buttons"][0][0]["data"].startswith("rem:done:water:")
    assert "reminder" not in answer
    # clocks go back at 03:00 on 25 October: 02:30 happens twice, it fires once
    second = await run_jsonl(knowledge, db, [
        {"text": "/reminders", "now": "2026-10-24T09:12:00+02:00"},
        {"text": "/reminders", "now": "2026-10-25T02:31:00+02:00"},
        {"text": "/reminders", "now": "2026-10-25T02:31:00+01:00"},
        {"text": "/reminders", "now": "2026-10-25T09:00:00+01:00"},
    ])  # fmt: skip
    assert [fired(r) for r in second] == [[], ["sleep"], [], ["water"]]


async def test_snooze_button_through_the_transport(knowledge: Knowledge, tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    first = await run_jsonl(knowledge, db, [
        {"text": "/remind water 09:00", "now": "2026-05-04T08:00:00+00:00"},
        {"text": "/reminders", "now": "2026-05-04T09:00:00+00:00"},
        {"callback": "rem:snooze:water", "now": "2026-05-04T09:01:00+00:00"},
    ])  # fmt: skip
    assert fired(first[1]) == ["water"] and "09:31" in first[2][0]["text"]
    second = await run_jsonl(knowledge, db, [
        {"text": "/reminders", "now": "2026-05-04T09:45:00+00:00"},
        {"callback": "rem:stop:water", "now": "2026-05-04T09:46:00+00:00"},
        {"text": "/reminders", "now": "2026-05-05T09:00:00+00:00"},
    ])  # fmt: skip
    assert [fired(r) for r in second] == [["water"], [], []]
