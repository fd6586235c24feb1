"""Reminders as a feature (dialogs/features/reminders.py) through Engine.handle: a fired
reminder's Snooze and Done work once per message; /timezone takes only offsets in range and
IANA zone names. Schedules, presets and firing: tests/dialogs/test_reminders.py."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from dialogs.types import Incoming, Reply


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def _fired(engine: Engine, when: str) -> Reply:
    [reply] = await engine.fire_due(at(when))
    return reply


def _data(reply: Reply, prefix: str) -> str:
    return next(b.data for row in reply.buttons for b in row if b.data.startswith(prefix))


async def test_snooze_works_once_per_reminder_message(engine: Engine, knowledge: Knowledge) -> None:
    user = 5

    async def send(when: str, text: str = "", callback: str | None = None) -> list[Reply]:
        return await engine.handle(Incoming(user, at(when), text=text, callback=callback))

    await send("2026-05-04T08:00:00+00:00", "/remind water 09:00")
    reminder = await _fired(engine, "2026-05-04T09:00:00+00:00")
    snooze = _data(reminder, "rem:snooze:")
    [first] = await send("2026-05-04T09:01:00+00:00", callback=snooze)
    assert "09:31" in first.text
    for minute in (2, 3):
        [again] = await send(f"2026-05-04T09:0{minute}:00+00:00", callback=snooze)
        assert again.text == knowledge.messages("button_used")
    # one snoozed reminder, not three
    assert [r.reminder for r in await engine.fire_due(at("2026-05-04T09:31:00+00:00"))] == ["water"]
    assert await engine.fire_due(at("2026-05-04T09:34:00+00:00")) == []


async def test_done_logs_once_per_reminder_message(engine: Engine, knowledge: Knowledge) -> None:
    user = 6
    await engine.handle(Incoming(user, at("2026-05-04T08:00:00+00:00"), text="/remind water 09:00"))
    reminder = await _fired(engine, "2026-05-04T09:00:00+00:00")
    done = _data(reminder, "rem:done:")
    await engine.handle(Incoming(user, at("2026-05-04T09:01:00+00:00"), callback=done))
    [again] = await engine.handle(Incoming(user, at("2026-05-04T09:02:00+00:00"), callback=done))
    assert again.text == knowledge.messages("button_used")
    async with engine.store.transaction() as tx:
        since = at("2026-05-04T00:00:00+00:00")
        kind = knowledge.reminders.kinds["water"].event
        assert await tx.count_events(user, kind, since) == 1
    # the next day's reminder is a new message: its Done works
    tomorrow = await _fired(engine, "2026-05-05T09:00:00+00:00")
    [thanks] = await engine.handle(
        Incoming(user, at("2026-05-05T09:01:00+00:00"), callback=_data(tomorrow, "rem:done:"))
    )
    assert thanks.text != knowledge.messages("button_used")


async def test_out_of_range_offsets_are_refused_not_read_as_times(
    engine: Engine, knowledge: Knowledge
) -> None:
    for number, text in enumerate(["+14:15", "-12:30", "+23:59", "UTC+15", "GMT-13:00"]):
        user = 100 + number
        now = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
        [reply] = await engine.handle(Incoming(user, now, text=f"/timezone {text}"))
        async with engine.store.transaction() as tx:
            record = await tx.get_user(user)
        assert record is not None and record.timezone == "UTC", text
        assert text in reply.text, reply.text  # "I don't know the zone ..."
    for number, text in enumerate(["+14:00", "-12:00", "+05:45"]):
        user = 200 + number
        now = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
        await engine.handle(Incoming(user, now, text=f"/timezone {text}"))
        async with engine.store.transaction() as tx:
            record = await tx.get_user(user)
        assert record is not None and record.timezone == text, text


async def test_only_iana_zone_names_are_accepted(engine: Engine) -> None:
    now = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
    for number, text in enumerate(["localtime", "Factory", "posixrules"]):
        user = 300 + number
        await engine.handle(Incoming(user, now, text=f"/timezone {text}"))
        async with engine.store.transaction() as tx:
            record = await tx.get_user(user)
        assert record is not None and record.timezone == "UTC", text
    await engine.handle(Incoming(399, now, text="/timezone Europe/Berlin"))
    async with engine.store.transaction() as tx:
        record = await tx.get_user(399)
    assert record is not None and record.timezone == "Europe/Berlin"
