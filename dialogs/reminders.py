"""Reminders: /timezone, /remind, /reminders, their buttons, and the fired messages.

The schedule language lives in `dialogs.schedule`, time zones in `dialogs.timezones`; this
module holds the dialog around them. All wording, the kinds (water, sleep), their presets and
the place settings and aliases come from knowledge.yaml (`reminders`). Buttons
(dialogs/callbacks.py): `rem:preset:<kind>:<preset id>` · `rem:done:<kind>:<due>` ·
`rem:snooze:<kind>:<due>` · `rem:stop:<kind>` · `rem:menu:<kind>` · `rem:no`. Awaited replies:
`reminder:timezone` and `reminder:times:<kind>`.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from dialogs.callbacks import (
    ReminderDecline,
    ReminderDone,
    ReminderMenu,
    ReminderPreset,
    ReminderSnooze,
    ReminderStop,
)
from dialogs.knowledge import Knowledge
from dialogs.knowledge.reminders import Kind, ReminderKnowledge
from dialogs.ports import DueReminder, ReminderRecord
from dialogs.schedule import (
    ScheduleError,
    Spec,
    add_snooze,
    next_occurrence,
    with_zone,
)
from dialogs.timezones import (
    UTC_NAME,
    infer_offset,
    normalise,
    zone_label,
)
from dialogs.timezones import zone_of as _zone_of
from dialogs.turn import Turn
from dialogs.types import Button, Reply

AWAIT_ZONE = "reminder:timezone"
AWAIT_TIMES = "reminder:times:"


# --- the functions the engine and the store call ------------------------------------------
def zone_of(name: str | None) -> tzinfo:
    """A tzinfo for a stored time zone ("Europe/Berlin" or "+05:30"); UTC when unknown."""
    return _zone_of(name)


def next_due(reminder: ReminderRecord, after: datetime) -> datetime | None:
    """The first occurrence of `reminder` strictly after `after` (aware), in UTC, or None.
    Nothing at or before the moment the reminder was set ever becomes due."""
    if reminder.created_at is not None and reminder.created_at > after:
        after = reminder.created_at
    return next_occurrence(reminder.schedule, after)


def render_due(knowledge: Knowledge, due: DueReminder, now: datetime) -> Reply:
    """The message of a fired reminder: varied wording, Done / Snooze / Stop buttons."""
    rk: ReminderKnowledge = knowledge.reminders
    local = due.due.astimezone(zone_of(due.timezone)).strftime("%H:%M")
    kind = rk.kinds.get(due.kind)
    if kind is None:
        return Reply(
            due.user_id, rk.texts("generic_due", time=local), reminder=due.kind, due=due.due
        )
    text = _pick(kind.texts, due.user_id, due.due).format(time=local)
    occurrence = int(due.due.timestamp())  # Done / Snooze work once per fired message
    buttons = [
        [
            Button(rk.labels("done"), ReminderDone(kind.id, str(occurrence)).pack()),
            Button(rk.labels("snooze"), ReminderSnooze(kind.id, str(occurrence)).pack()),
        ],
        [Button(rk.labels("stop"), ReminderStop(kind.id).pack())],
    ]
    return Reply(due.user_id, text, buttons=buttons, reminder=kind.id, due=due.due)


def offer_for(turn: Turn, cause_ids: list[str]) -> list[Reply]:
    """After a result: offer the matching reminder (water, sleep) with one tap, if useful."""
    rk: ReminderKnowledge = turn.knowledge.reminders
    last = turn.state.last_result
    urgency = last.urgency if last is not None else None
    if urgency is not None and urgency not in rk.offer_urgencies:
        return []  # the message is "see a doctor": no habit nudges next to it
    top = set(cause_ids[: rk.offer_top])
    have = set(turn.state.reminders)
    instead = (last.offer_instead if last is not None else None) or {}
    replies = []
    for kind in rk.kinds.values():
        if kind.id in have or not (kind.offer_causes & top):
            continue
        if kind.id in instead:  # said instead of the offer (knowledge.yaml `tailoring.offers`)
            replies.append(turn.reply(instead[kind.id]))
            continue
        rows = [[Button(p.label, ReminderPreset(kind.id, p.id).pack())] for p in kind.presets]
        rows.append([Button(rk.labels("no_thanks"), ReminderDecline().pack())])
        replies.append(turn.reply(kind.offer, buttons=rows))
    return replies


async def handle_command(turn: Turn, command: str, args: str) -> list[Reply]:
    """/timezone, /remind, /reminders."""
    if command == "timezone":
        if not args.strip():
            turn.state.awaiting = AWAIT_ZONE
            return [turn.reply(_rk(turn).texts("tz_ask", **_clock_values(turn)))]
        replies = await _set_zone_from(turn, args)
        if replies is None:
            turn.state.awaiting = AWAIT_ZONE
            return [turn.reply(_rk(turn).texts("tz_unknown", text=args.strip()[:60]))]
        return replies
    if command == "reminders":
        return [await _listing(turn)]
    return await _remind(turn, args)


async def handle_reply(turn: Turn, awaiting: str, text: str) -> list[Reply] | None:
    """A typed answer to a reminder prompt (state "awaiting" = "reminder:..."); None: not one."""
    if awaiting == AWAIT_ZONE:
        return await _set_zone_from(turn, text)
    if awaiting.startswith(AWAIT_TIMES):
        kind = _rk(turn).kinds.get(awaiting.removeprefix(AWAIT_TIMES))
        if kind is None or not _rk(turn).parser.looks_like_times(text):
            return None
        try:
            spec = _rk(turn).parser.parse(text)
        except ScheduleError:
            return None
        return [await _set(turn, kind, spec)]
    return None


ReminderButton = (
    ReminderPreset | ReminderDone | ReminderSnooze | ReminderStop | ReminderMenu | ReminderDecline
)


async def handle_callback(turn: Turn, pressed: ReminderButton) -> list[Reply]:
    """A pressed reminder button."""
    rk = _rk(turn)
    if isinstance(pressed, ReminderDecline):
        return [turn.reply(rk.texts("declined"))]
    kind = rk.kinds.get(pressed.kind)
    if kind is None:
        return [turn.reply(turn.say("stale_button"))]
    match pressed:
        case ReminderPreset(_, preset_id):
            preset = next((p for p in kind.presets if p.id == preset_id), None)
            if preset is None:
                return [turn.reply(turn.say("stale_button"))]
            return [await _set(turn, kind, preset.spec)]
        case ReminderMenu():
            return [_kind_menu(turn, kind)]
        case ReminderDone(_, occurrence) if _pressed_before(turn, "done", kind.id, occurrence):
            return [turn.reply(turn.say("button_used"))]
        case ReminderSnooze(_, occurrence) if _pressed_before(turn, "snooze", kind.id, occurrence):
            return [turn.reply(turn.say("button_used"))]
        case ReminderDone():
            return [await _done(turn, kind)]
        case ReminderSnooze():
            return [await _snooze(turn, kind)]
        case ReminderStop():
            return [await _off(turn, kind, stopped=True)]
    return [turn.reply(turn.say("stale_button"))]


# --- /remind --------------------------------------------------------------------------------
async def _remind(turn: Turn, args: str) -> list[Reply]:
    rk = _rk(turn)
    words = args.split()
    if not words:
        return [_menu(turn)]
    kind = next((k for w in words if (k := rk.kind_named(w))), None)  # "water", "drink"...
    if kind is None:
        if all(normalise(w) in rk.off_words for w in words):
            return await _all_off(turn)
        return [_menu(turn, rk.texts("kind_unknown"))]
    rest = " ".join(w for w in words if rk.kind_named(w) is not kind)
    if not rest:
        return [_kind_menu(turn, kind)]
    if all(normalise(w) in rk.off_words for w in rest.split()):
        return [await _off(turn, kind)]
    try:
        spec = rk.parser.parse(rest)
    except ScheduleError as error:
        turn.state.awaiting = AWAIT_TIMES + kind.id
        return [turn.reply(rk.texts(error.key, text=rest[:60], **error.values))]
    return [await _set(turn, kind, spec)]


async def _set(turn: Turn, kind: Kind, spec: Spec) -> Reply:
    rk = _rk(turn)
    zone = turn.user.timezone or UTC_NAME
    record = ReminderRecord(turn.user.user_id, kind.id, spec.to_schedule(zone), None, turn.now)
    record.next_due = next_due(record, turn.now)
    await turn.tx.save_user(turn.user)  # the reminder row refers to the user's row
    await turn.tx.set_reminder(record)
    _mark(turn, kind.id, on=True)
    text = rk.texts(
        "set",
        icon=kind.icon,
        title=kind.title,
        schedule=_describe(rk, record.schedule),
        zone=zone_label(zone),
        next=_when(rk, record.next_due, zone, turn.now),
    )
    if zone == UTC_NAME:
        text += "\n" + rk.texts("set_utc_note")
    return turn.reply(
        text,
        buttons=[[Button(rk.labels("stop_kind", name=kind.name), ReminderStop(kind.id).pack())]],
    )


async def _off(turn: Turn, kind: Kind, stopped: bool = False) -> Reply:
    rk = _rk(turn)
    removed = await turn.tx.remove_reminder(turn.user.user_id, kind.id)
    _mark(turn, kind.id, on=False)
    if not removed:
        return turn.reply(rk.texts("not_on" if stopped else "off_none", name=kind.name))
    return turn.reply(rk.texts("stopped" if stopped else "turned_off", title=kind.title))


async def _all_off(turn: Turn) -> list[Reply]:
    for kind in _rk(turn).kinds.values():
        await turn.tx.remove_reminder(turn.user.user_id, kind.id)
    turn.state.reminders = []
    return [turn.reply(_rk(turn).texts("off_all"))]


async def _done(turn: Turn, kind: Kind) -> Reply:
    """Log it (a glass of water, bedtime) and say thanks, with today's count if wanted."""
    await turn.tx.log_event(turn.user.user_id, kind.event, turn.now)
    text = _pick(kind.done_texts, turn.user.user_id, turn.now)
    if kind.done_count:
        zone = zone_of(turn.user.timezone)
        midnight = turn.now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
        count = await turn.tx.count_events(turn.user.user_id, kind.event, midnight)
        text += " " + kind.done_count.format(count=count)
    return turn.reply(text)


async def _snooze(turn: Turn, kind: Kind) -> Reply:
    rk = _rk(turn)
    record = next(
        (r for r in await turn.tx.list_reminders(turn.user.user_id) if r.kind == kind.id), None
    )
    if record is None:
        return turn.reply(rk.texts("not_on"))
    at = turn.now.astimezone(UTC) + timedelta(minutes=rk.snooze_minutes)
    record.schedule = add_snooze(record.schedule, at, turn.now)
    record.next_due = min(d for d in (record.next_due, at) if d is not None)
    await turn.tx.set_reminder(record)
    local = at.astimezone(zone_of(record.schedule.get("zone"))).strftime("%H:%M")
    return turn.reply(rk.texts("snoozed", time=local))


# --- /reminders -----------------------------------------------------------------------------
async def _listing(turn: Turn) -> Reply:
    rk = _rk(turn)
    records = [r for r in await turn.tx.list_reminders(turn.user.user_id) if r.kind in rk.kinds]
    turn.state.reminders = sorted(r.kind for r in records)
    values = _clock_values(turn)
    if not records:
        return turn.reply(rk.texts("list_empty", **values), buttons=_preset_rows(turn))
    lines = [rk.texts("list_header", **values)]
    rows = []
    for record in records:
        kind = rk.kinds.get(record.kind)
        if kind is None:
            continue
        zone = record.schedule.get("zone") or UTC_NAME
        line = rk.texts(
            "list_item",
            icon=kind.icon,
            title=kind.title,
            schedule=_describe(rk, record.schedule),
            next=_when(rk, next_due(record, turn.now), zone, turn.now),
        )
        snoozes = [
            s for s in record.schedule.get("snoozes", []) if datetime.fromisoformat(s) > turn.now
        ]
        if snoozes:
            line += rk.texts(
                "list_snoozed", snooze=_when(rk, datetime.fromisoformat(snoozes[0]), zone, turn.now)
            )
        lines.append(line)
        rows.append([Button(rk.labels("stop_kind", name=kind.name), ReminderStop(kind.id).pack())])
    return turn.reply("\n".join(lines), buttons=rows)


# --- time zones -----------------------------------------------------------------------------
async def _set_zone_from(turn: Turn, text: str) -> list[Reply] | None:
    """Set the zone named in `text`, or inferred from the local time it gives; None: neither."""
    rk = _rk(turn)
    zone = rk.finder.find(text)
    key = "tz_set"
    if zone is None and rk.finder.offset_like(text):
        return None  # an offset outside UTC-12:00..+14:00 is refused, not read as a clock time
    if zone is None:
        zone = _zone_from_clock(rk, text, turn.now)
        key = "tz_inferred"
    if zone is None:
        return None
    turn.user.timezone = zone
    moved = False
    for record in await turn.tx.list_reminders(turn.user.user_id):
        record.schedule = with_zone(record.schedule, zone)
        record.next_due = next_due(record, turn.now)
        await turn.tx.set_reminder(record)
        moved = True
    text_out = rk.texts(key, **_clock_values(turn))
    if moved:
        text_out += " " + rk.texts("tz_moved")
    return [turn.reply(text_out)]


def _zone_from_clock(rk: ReminderKnowledge, text: str, now: datetime) -> str | None:
    """'it's 14:35' -> the UTC offset that shows that time now (rounded to infer_step
    minutes); '2pm' -> rounded to the whole hour; a bare number is not a time."""
    found = rk.parser.parse_time(text)
    if found is None or not found.explicit:
        return None
    return infer_offset(found.minutes, now, rk.infer_step if found.has_minutes else 60)


# --- helpers -------------------------------------------------------------------------------
PRESSED_KEEP = 32


def _pressed_before(turn: Turn, action: str, kind_id: str, occurrence: str) -> bool:
    """True when this button of this fired reminder (its occurrence) was pressed already;
    otherwise remember the press. Buttons without an occurrence (older messages) always work."""
    if not occurrence:
        return False
    key = f"{action}:{kind_id}:{occurrence}"
    pressed = turn.state.reminder_presses
    if key in pressed:
        return True
    pressed.append(key)
    del pressed[:-PRESSED_KEEP]
    return False


def _rk(turn: Turn) -> ReminderKnowledge:
    return turn.knowledge.reminders


def _mark(turn: Turn, kind_id: str, on: bool) -> None:
    kinds = set(turn.state.reminders)
    if on:
        kinds.add(kind_id)
    else:
        kinds.discard(kind_id)
    turn.state.reminders = sorted(kinds)


def _pick(options: tuple[str, ...], user_id: int, moment: datetime) -> str:
    """One of `options`, varying from occurrence to occurrence (deterministic, no RNG state)."""
    seed = zlib.crc32(f"{user_id}:{int(moment.timestamp())}".encode())
    return options[seed % len(options)]


def _clock_values(turn: Turn) -> dict[str, str]:
    zone = turn.user.timezone or UTC_NAME
    return {
        "zone": zone_label(zone),
        "local_time": turn.now.astimezone(zone_of(zone)).strftime("%H:%M"),
    }


def _describe(rk: ReminderKnowledge, schedule: Mapping[str, Any]) -> str:
    every = schedule.get("every")
    if every:
        step = int(every["minutes"])
        if step % 60 == 0:
            interval = rk.texts("interval_hours", hours=step // 60)
        else:
            interval = rk.texts("interval_minutes", minutes=step)
        return rk.texts("every", interval=interval, start=every["from"], end=every["to"])
    return ", ".join(schedule.get("times", []))


def _when(rk: ReminderKnowledge, moment: datetime | None, zone: str, now: datetime) -> str:
    if moment is None:
        return "–"
    tz = zone_of(zone)
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    days = (local.date() - today).days
    if days <= 0:
        return rk.texts("next_today", time=clock)
    if days == 1:
        return rk.texts("next_tomorrow", time=clock)
    return rk.texts(
        "next_later",
        weekday=rk.weekdays[local.weekday()],
        date=local.strftime("%d.%m."),
        time=clock,
    )


def _preset_rows(turn: Turn) -> list[list[Button]]:
    rows = []
    for kind in _rk(turn).kinds.values():
        rows.append(
            [
                Button(f"{kind.icon} {p.label}", ReminderPreset(kind.id, p.id).pack())
                for p in kind.presets[:2]
            ]
        )
    return rows


def _menu(turn: Turn, intro: str | None = None) -> Reply:
    text = _rk(turn).texts("menu", **_clock_values(turn))
    return turn.reply(f"{intro}\n\n{text}" if intro else text, buttons=_preset_rows(turn))


def _kind_menu(turn: Turn, kind: Kind) -> Reply:
    turn.state.awaiting = AWAIT_TIMES + kind.id
    rows = [[Button(p.label, ReminderPreset(kind.id, p.id).pack())] for p in kind.presets]
    text = _rk(turn).texts("kind_menu", icon=kind.icon, title=kind.title, **_clock_values(turn))
    return turn.reply(text, buttons=rows)


# --- for requests in plain words (dialogs/conversation.py) ---------------------------------
async def set_from_text(turn: Turn, kind_id: str, spec_text: str) -> Reply:
    """Set the `kind_id` reminder to the schedule `spec_text` ("09:00,14:00" or "every 120 min
    08:00-20:00"); a schedule that doesn't parse is answered with its message."""
    rk = _rk(turn)
    kind = rk.kinds[kind_id]
    try:
        spec = rk.parser.parse(spec_text)
    except ScheduleError as error:
        turn.state.awaiting = AWAIT_TIMES + kind.id
        return turn.reply(rk.texts(error.key, text=spec_text[:60], **error.values))
    return await _set(turn, kind, spec)


async def turn_off(turn: Turn, kind_id: str | None) -> Reply:
    """Stop the `kind_id` reminders (all of them when None)."""
    if kind_id is None or kind_id not in _rk(turn).kinds:
        return (await _all_off(turn))[0]
    return await _off(turn, _rk(turn).kinds[kind_id])


async def listing(turn: Turn) -> Reply:
    return await _listing(turn)


def kind_menu(turn: Turn, kind_id: str) -> Reply:
    return _kind_menu(turn, _rk(turn).kinds[kind_id])


async def set_zone(turn: Turn, zone: str) -> list[Reply]:
    """Set the time zone `zone` (a stored name) and move the reminders to it."""
    return await _set_zone_from(turn, zone) or []


def find_place(knowledge: Knowledge, name: str) -> str | None:
    """The zone of a place named exactly (an alias, a bigger city, a country or US state with
    one zone, a zone's own city); no fuzzy guess: this is used on words said in passing."""
    return _rk_of(knowledge).finder.place(name)


def _rk_of(knowledge: Knowledge) -> ReminderKnowledge:
    return knowledge.reminders
