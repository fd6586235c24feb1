"""Times of day in free text (dialogs/timewords.py): phrasings written for these tests, not
taken from any evaluation set. Requests in plain words: test_intents.py."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from dialogs.timewords import hhmm, resolve, resolve_range


def times(knowledge: Knowledge, text: str, kind: str = "water") -> list[str]:
    conv = knowledge.conversation
    return [hhmm(m) for m in resolve(conv.reader.read(text), conv.window(kind))]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("at 9am, 1pm and 5pm", "water", ["09:00", "13:00", "17:00"]),
        ("11, 14 and 20", "water", ["11:00", "14:00", "20:00"]),
        ("at 19h", "water", ["19:00"]),
        ("8 in the morning and 4 in the afternoon", "water", ["08:00", "16:00"]),
        ("at 9 and 3", "water", ["09:00", "15:00"]),
        ("at half 11", "sleep", ["23:30"]),
        ("quarter past ten at night", "sleep", ["22:15"]),
        ("quarter to 7", "water", ["18:45"]),
        ("at 11", "sleep", ["23:00"]),
        ("at 07.30", "water", ["07:30"]),
        ("at 10.15pm", "sleep", ["22:15"]),
        ("at midday", "water", ["12:00"]),
        ("3 times a day at 8, 12, 16", "water", ["08:00", "12:00", "16:00"]),
    ],
)
def test_times_in_words(knowledge: Knowledge, text: str, kind: str, expected: list[str]) -> None:
    assert times(knowledge, text, kind) == expected


@pytest.mark.parametrize(
    ("text", "every", "ends"),
    [
        ("every 3 hours from 9 to 9", 180, ("09:00", "21:00")),
        ("every hour between 10 and 16", 60, ("10:00", "16:00")),
        ("every 45 min 8am-6pm", 45, ("08:00", "18:00")),
        ("every two hours starting at 7 until 7", 120, ("07:00", "19:00")),
    ],
)
def test_every_forms(knowledge: Knowledge, text: str, every: int, ends: tuple[str, str]) -> None:
    conv = knowledge.conversation
    reading = conv.reader.read(text)
    assert reading.every == every
    found = resolve_range(reading, conv.window("water"))
    assert found is not None and (hhmm(found[0]), hhmm(found[1])) == ends
