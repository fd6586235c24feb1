"""Reminder schedules: what users type -> a schedule, and a schedule -> its next instant.

A schedule is stored as JSON (the `schedule` of `dialogs.ports.ReminderRecord`):

    {"zone": "Europe/Berlin", "times": ["08:00", "10:00", ...],
     "every": {"minutes": 120, "from": "08:00", "to": "20:00"},   # only for "every" forms
     "snoozes": ["2026-05-04T09:30:00+00:00"]}                      # one-off occurrences

`times` are local wall-clock times in `zone`, so daylight saving changes keep them. A local
time that does not exist on a day (the spring-forward gap) fires at the same distance after
the gap (02:30 -> 03:30); one that occurs twice (fall-back) fires once, at the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dialogs.timezones import zone_of

DAY_MINUTES = 24 * 60


class ScheduleError(ValueError):
    """The text is not a schedule; `key` names the message (knowledge.yaml) that says why."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words of the schedule language (from knowledge.yaml reminders.words)."""

    every: tuple[str, ...]
    hours: tuple[str, ...]
    minutes: tuple[str, ...]
    am: tuple[str, ...]
    pm: tuple[str, ...]
    range: tuple[str, ...]  # "to", "until": between the two ends of a range
    filler: tuple[str, ...]  # "and", "at", "from": ignored between times
    min_interval: int = 15  # minutes
    max_per_day: int = 48
    default_from: str = "08:00"
    default_to: str = "20:00"

    def time_pattern(self) -> re.Pattern[str]:
        suffix = _alternation(self.am + self.pm)
        return re.compile(
            rf"(?<![\w:])(\d{{1,2}})(?:\s*[:.h]\s*(\d{{2}}))?(?:\s*({suffix}))?(?![\w:])"
        )

    def every_pattern(self) -> re.Pattern[str]:
        every = _alternation(self.every)
        units = _alternation(self.hours + self.minutes)
        minutes = _alternation(self.minutes)
        # "every 2h", "every 90 min", "every hour", "every 1h 30m" / "every 1h30min"
        return re.compile(
            rf"(?:{every})\s*(\d+(?:[.,]\d+)?)?\s*({units})"
            rf"(?:\s*(\d{{1,2}})\s*(?:{minutes}))?(?!\w)"
        )


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted({w.casefold() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in ordered) or "(?!)"


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A time of day a user typed: minutes after midnight, and how exactly it was given."""

    minutes: int
    has_minutes: bool  # "14:35" rather than "2pm"
    has_meridiem: bool  # "2pm"

    @property
    def explicit(self) -> bool:
        """Clearly a time of day (not a bare number such as "3")."""
        return self.has_minutes or self.has_meridiem


@dataclass(frozen=True, slots=True)
class Spec:
    """A parsed schedule: local times of day, and the "every" form it came from (if any)."""

    times: tuple[str, ...]
    every: Mapping[str, Any] | None = None

    def to_schedule(self, zone: str) -> dict[str, Any]:
        out: dict[str, Any] = {"zone": zone, "times": list(self.times)}
        if self.every:
            out["every"] = dict(self.every)
        return out


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(text: str) -> int:
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes)


class SpecParser:
    """Reads '09:00,12:30,16:00', '9am and 3pm', 'every 2h 08:00-20:00', 'every 90 min'."""

    def __init__(self, words: Vocabulary) -> None:
        self.words = words
        self._time = words.time_pattern()
        self._every = words.every_pattern()
        self._am = {w.casefold() for w in words.am}
        self._pm = {w.casefold() for w in words.pm}
        self._hours = {w.casefold() for w in words.hours}
        self._range = re.compile(
            r"\s*(?:-|–|—|" + _alternation(words.range) + r")\s*", re.IGNORECASE
        )
        self._filler = {w.casefold() for w in words.filler}

    def parse(self, text: str) -> Spec:
        plain = " ".join(text.casefold().split())
        every = self._every.search(plain)
        if every:
            return self._parse_every(plain, every)
        times = self._times(plain)
        if not times:
            raise ScheduleError("bad_times")
        unique = sorted(set(times))
        if len(unique) > self.words.max_per_day:
            raise ScheduleError("too_many", max=self.words.max_per_day)
        return Spec(tuple(hhmm(m) for m in unique))

    def parse_time(self, text: str) -> ClockTime | None:
        """The first time of day in `text` ("it's 14:35", "2pm"), or None."""
        plain = " ".join(text.casefold().split())
        for match in self._time.finditer(plain):
            value = self._value(match)
            if value is not None:
                return ClockTime(value, match.group(2) is not None, bool(match.group(3)))
        return None

    def looks_like_times(self, text: str) -> bool:
        """A clock time ("9:30", "9pm") or an "every" form: not just a bare number."""
        plain = " ".join(text.casefold().split())
        if self._every.search(plain):
            return True
        return any(match.group(2) or match.group(3) for match in self._time.finditer(plain))

    # --- helpers ----------------------------------------------------------------------
    def _parse_every(self, plain: str, every: re.Match[str]) -> Spec:
        amount = float((every.group(1) or "1").replace(",", "."))
        unit = every.group(2).casefold()
        step = round(amount * 60) if unit in self._hours else round(amount)
        if every.group(3) and unit in self._hours:
            step += int(every.group(3))
        if step < self.words.min_interval or step > DAY_MINUTES // 2:
            raise ScheduleError("bad_interval", min=self.words.min_interval)
        rest = plain[: every.start()] + " " + plain[every.end() :]
        ends = self._times(rest)
        if not ends:
            ends = [minutes_of(self.words.default_from), minutes_of(self.words.default_to)]
        if len(ends) != 2:
            raise ScheduleError("bad_range")
        start, end = ends
        span = (end - start) % DAY_MINUTES
        times = sorted({(start + k * step) % DAY_MINUTES for k in range(span // step + 1)})
        if len(times) > self.words.max_per_day:
            raise ScheduleError("too_many", max=self.words.max_per_day)
        spec = {"minutes": step, "from": hhmm(start), "to": hhmm(end)}
        return Spec(tuple(hhmm(m) for m in times), spec)

    def _times(self, plain: str) -> list[int]:
        found: list[int] = []
        leftover = plain
        for match in self._time.finditer(plain):
            value = self._value(match)
            if value is None:
                raise ScheduleError("bad_times")
            found.append(value)
            leftover = leftover.replace(match.group(0), " ", 1)
        leftover = self._range.sub(" ", leftover)
        words = re.findall(r"\w+", leftover)
        if any(w not in self._filler for w in words):
            raise ScheduleError("bad_times")
        return found

    def _value(self, match: re.Match[str]) -> int | None:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").casefold()
        if suffix:
            if not 1 <= hour <= 12:
                return None
            hour %= 12
            if suffix in self._pm:
                hour += 12
        if hour > 23 or minute > 59:
            return None
        return hour * 60 + minute


# --- the next instant -------------------------------------------------------------------
def local_instant(day: date, clock: time, zone_name: str) -> datetime:
    """The UTC instant of local `clock` on `day` in the zone (gap: shifted forward; repeated
    hour: the first of the two)."""
    # fold=0: in a gap the offset from before it applies, which moves the time forward by
    # the gap; in a repeated hour it picks the first of the two.
    return datetime.combine(day, clock, tzinfo=zone_of(zone_name)).astimezone(UTC)


def next_occurrence(schedule: Mapping[str, Any], after: datetime) -> datetime | None:
    """The first occurrence of `schedule` strictly after `after` (aware), in UTC; or None."""
    after = after.astimezone(UTC)
    best: datetime | None = None
    times = [time.fromisoformat(t) for t in schedule.get("times", [])]
    if times:
        zone_name = schedule.get("zone") or "UTC"
        today = after.astimezone(zone_of(zone_name)).date()
        for offset in (-1, 0, 1, 2):
            day = today + timedelta(days=offset)
            for clock in times:
                instant = local_instant(day, clock, zone_name)
                if instant > after and (best is None or instant < best):
                    best = instant
            if best is not None and offset >= 0:
                break
    for raw in schedule.get("snoozes", []):
        instant = datetime.fromisoformat(raw).astimezone(UTC)
        if instant > after and (best is None or instant < best):
            best = instant
    return best


def add_snooze(schedule: Mapping[str, Any], at: datetime, now: datetime) -> dict[str, Any]:
    """A copy of `schedule` with a one-off occurrence at `at` (past snoozes dropped)."""
    kept = [s for s in schedule.get("snoozes", []) if datetime.fromisoformat(s) > now]
    kept.append(at.astimezone(UTC).isoformat())
    out = dict(schedule)
    out["snoozes"] = sorted(set(kept))
    return out


def with_zone(schedule: Mapping[str, Any], zone: str) -> dict[str, Any]:
    out = dict(schedule)
    out["zone"] = zone
    return out
