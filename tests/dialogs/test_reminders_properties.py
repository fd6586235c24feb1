"""The firing rules as a property: whatever the moments the clock is read at, an occurrence
is sent once if some reading falls within the grace window after it, else never; in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.memory_store import MemoryStore
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from dialogs.schedule import next_occurrence
from dialogs.types import Incoming

SET_AT = datetime(2026, 3, 28, 6, 0, tzinfo=UTC)  # Berlin springs forward the next night
GRACE = timedelta(minutes=15)
SCHEDULE = {"zone": "Europe/Berlin", "times": ["02:30", "08:00", "08:10", "20:00"]}


def expected(readings: list[datetime]) -> list[datetime]:
    out, moment = [], SET_AT
    while (moment := next_occurrence(SCHEDULE, moment)) is not None and moment <= readings[-1]:
        first = next(t for t in readings if t >= moment)
        if first - moment <= GRACE:
            out.append(moment)
    return out


STEP = st.one_of(st.sampled_from([5, 10, 14, 15, 16, 20, 30, 60]), st.integers(1, 6 * 60))


@settings(max_examples=40, deadline=None)
@given(st.lists(STEP, min_size=1, max_size=40))
async def test_each_occurrence_once_within_the_window_or_never(
    knowledge: Knowledge, steps: list[int]
) -> None:
    readings, moment = [], SET_AT
    for minutes in steps:
        moment += timedelta(minutes=minutes)
        readings.append(moment)
    store = MemoryStore()
    try:
        engine = Engine(knowledge, store, grace_minutes=15)
        await engine.handle(Incoming(1, SET_AT, text="/timezone Europe/Berlin"))
        await engine.handle(Incoming(1, SET_AT, text="/remind water 02:30, 08:00, 08:10, 20:00"))
        sent: list[datetime] = []
        for reading in readings:
            for reply in await engine.fire_due(reading):
                assert reply.reminder == "water"
                sent.append(reading)
        # compare how many fired at each reading with the model
        model = expected(readings)
        model_readings = [next(t for t in readings if t >= o) for o in model]
        assert sent == model_readings
    finally:
        await store.close()
