"""The blind safety tune set (written by someone who never saw the vocabulary; kept as data in
tests/data/red_flags/), read by `read_red_flags` alone: each sign is found (raised, or asked
back when only likely) and no harmless message raises or asks anything. The engine's side
(the confirm flow, the urgency of the reply) is tested with the engine."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dialogs.knowledge import Knowledge
from dialogs.red_flags import read_red_flags
from tests.helpers import DATA

FLAG_DATA = DATA / "red_flags"
CASES: list[dict[str, Any]] = [
    json.loads(line)
    for path in sorted(FLAG_DATA.glob("*.jsonl"))
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_blind_case(knowledge: Knowledge, case: dict[str, Any]) -> None:
    reading = read_red_flags(knowledge, case["text"])
    if case["expect"] is None:
        assert reading.raised == () and reading.unsure == ()
    else:
        assert case["expect"] in reading.raised + reading.unsure


def test_the_cases_are_there() -> None:
    assert len(CASES) >= 150
