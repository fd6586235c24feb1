"""Times of day in free text: "10am, 2pm and 6pm", "18h", "7 in the evening", "half 10 at
night", "10, 15, 19", "every two hours from 8", "from 7 till 7 every 2 hours".

`TimeReader.read(text)` finds every time the text names (with how sure it is of the half of
the day) and an "every" interval if there is one; `resolve` places bare hours ("at 10") in
the part of the day a reminder kind lives in (water by day, bedtime in the evening). The
words (number words, parts of the day, noon...) come from knowledge.yaml
(`conversation.time_words`); nothing here reads the clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class TimeWords:
    numbers: Mapping[str, int]  # "one": 1 ... "twelve": 12
    am: tuple[str, ...]  # "am", "a.m.", "in the morning", "of the morning"
    pm: tuple[str, ...]  # "pm", "in the afternoon", "in the evening", "at night", "tonight"
    noon: tuple[str, ...]
    midnight: tuple[str, ...]
    hour_marks: tuple[str, ...]  # "o'clock", "oclock", "h" (18h)
    every: tuple[str, ...]  # "every", "each"
    hour_units: tuple[str, ...]  # "hours", "hrs", "h"
    minute_units: tuple[str, ...]
    half_hour: tuple[str, ...]  # "90 min": no; "an hour and a half" / "half an hour"
    range_words: tuple[str, ...]  # "to", "till", "until", "-"
    start_words: tuple[str, ...]  # "from", "starting", "starting at", "between"
    count_units: tuple[str, ...]  # "3 times a day", "2 glasses": a count, not a time
    past: tuple[str, ...]  # "half past", "quarter past"
    to: tuple[str, ...]  # "quarter to"
    half: tuple[str, ...]  # "half 10" (British: 10:30)
    quarter: tuple[str, ...]


@dataclass(slots=True)
class Mention:
    """One time of day: minutes after midnight, and whether its half of the day is known."""

    minutes: int
    start: int  # character span in the normalised text
    end: int
    sure: bool  # 24-hour ("18:00", "08.00"), or with am/pm or a part of the day
    part: str = ""  # "am" / "pm" when a word said so


@dataclass(slots=True)
class TimeReading:
    mentions: list[Mention] = field(default_factory=list)
    every: int | None = None  # minutes between reminders ("every 2 hours")
    ranged: bool = False  # "from 8 to 20", "8-20", "between 9 and 21"
    spans: list[tuple[int, int]] = field(default_factory=list)  # every part read, in `text`
    text: str = ""  # the normalised text the spans refer to

    @property
    def any(self) -> bool:
        return bool(self.mentions) or self.every is not None


def _alt(words: tuple[str, ...]) -> str:
    ordered = sorted({w.casefold() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in ordered) or "(?!)"


class TimeReader:
    def __init__(self, words: TimeWords) -> None:
        self.words = words
        num = _alt(tuple(words.numbers))
        self._num_word = re.compile(rf"\b({num})\b")
        self._every = re.compile(
            rf"\b(?:{_alt(words.every)})\s+(?:(\d+(?:[.,]\d+)?|an?|{_alt(words.half_hour)})\s*)?"
            rf"({_alt(words.hour_units + words.minute_units)})\b"
            rf"(?:\s*(?:and\s*)?(?:a\s+)?({_alt(words.half_hour)}))?"
        )
        self._hourly = re.compile(r"\bhourly\b")
        self._clock = re.compile(
            r"(?<![\w:])(?<!\d[.,])(\d{1,2})\s*(?:[:.]|h)\s*(\d{2})(?![\d])"  # 10:30, 10.30, 10h30
        )
        self._meridiem = re.compile(rf"^\s*({_alt(words.am + words.pm)})(?![\w])")
        self._marked = re.compile(
            rf"(?<![\w:])(?<!\d[.,])(\d{{1,2}})\s*({_alt(words.hour_marks)})(?![\w])"
        )
        self._bare = re.compile(r"(?<![\w:])(?<!\d[.,])(\d{1,2})(?![\w:]|[.,]\d)")
        self._ampm = re.compile(
            rf"(?<![\w:])(?<!\d[.,])(\d{{1,2}})(?=\s*(?:{_alt(words.am + words.pm)})(?!\w))"
        )
        self._noon = re.compile(rf"\b({_alt(words.noon)})\b")
        self._midnight = re.compile(rf"\b({_alt(words.midnight)})\b")
        amounts, sides = _alt(words.half + words.quarter), _alt(words.past + words.to)
        self._past = re.compile(rf"\b({amounts})\s+({sides})\s+(\d{{1,2}})\b")
        self._half = re.compile(rf"\b({_alt(words.half)})\s+(\d{{1,2}})\b")
        self._count = re.compile(rf"^\s*(?:x\b|({_alt(words.count_units)})\b)")
        self._range = re.compile(rf"^\s*(?:-|–|{_alt(words.range_words)})\s*$")
        self._start = re.compile(rf"\b({_alt(words.start_words)})\s*$")

    # --- reading ------------------------------------------------------------------------
    def prepare(self, text: str) -> str:
        """The normalised text that `read` works on (number words as digits)."""
        plain = " ".join(text.casefold().replace("’", "'").split())
        return self._num_word.sub(lambda m: str(self.words.numbers[m.group(1)]), plain)

    def read(self, text: str) -> TimeReading:
        plain = self.prepare(text)
        out = TimeReading(text=plain)
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= s or a >= e for s, e in taken)

        for match in self._every.finditer(plain):
            out.every = self._interval(match)
            taken.append(match.span())
        for match in self._hourly.finditer(plain):
            out.every = out.every or 60
            taken.append(match.span())
        for match in self._past.finditer(plain):
            hour = int(match.group(3))
            amount = 30 if match.group(1) in self.words.half else 15
            if match.group(2) in self.words.to:
                minutes = (hour * 60 - amount) % DAY
            else:
                minutes = hour * 60 + amount
            if hour <= 23:
                self._add(out, plain, minutes, match.start(), match.end(), hour > 12, taken)
        for match in self._half.finditer(plain):
            if free(*match.span()) and int(match.group(2)) <= 23:
                hour = int(match.group(2))
                self._add(out, plain, hour * 60 + 30, match.start(), match.end(), hour > 12, taken)
        for match in self._clock.finditer(plain):
            if not free(*match.span()):
                continue
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour <= 24 and minute < 60:
                sure = hour > 12 or hour == 0 or match.group(1).startswith("0")
                self._add(out, plain, (hour % 24) * 60 + minute, *match.span(), sure, taken)
        for match in self._marked.finditer(plain):
            if free(*match.span()) and int(match.group(1)) <= 24:
                hour = int(match.group(1))
                self._add(out, plain, (hour % 24) * 60, *match.span(), hour > 12, taken)
        for pattern, minutes in ((self._noon, 12 * 60), (self._midnight, 0)):
            for match in pattern.finditer(plain):
                if free(*match.span()):
                    out.mentions.append(Mention(minutes, *match.span(), True))
                    taken.append(match.span())
        for match in self._ampm.finditer(plain):
            if free(*match.span()) and 1 <= int(match.group(1)) <= 12:
                self._add(out, plain, int(match.group(1)) * 60, *match.span(), False, taken)
        for match in self._bare.finditer(plain):
            if not free(*match.span()) or self._count.match(plain[match.end() :]):
                continue
            hour = int(match.group(1))
            if hour <= 24:
                self._add(
                    out, plain, (hour % 24) * 60, *match.span(), hour > 12 or hour == 0, taken
                )
        out.mentions.sort(key=lambda m: m.start)
        self._parts_of_day(plain, out)
        out.spans = sorted(taken + [(m.start, m.end) for m in out.mentions])
        out.ranged = self._is_range(plain, out)
        return out

    def _interval(self, match: re.Match[str]) -> int:
        amount_text = match.group(1) or "1"
        unit = match.group(2)
        if amount_text in self.words.half_hour:
            amount = 0.5
        elif amount_text in ("a", "an"):
            amount = 1.0
        else:
            amount = float(amount_text.replace(",", "."))
        step = amount * 60 if unit in self.words.hour_units else amount
        if match.group(3):
            step += 30 if unit in self.words.hour_units else 0
        return round(step)

    def _add(
        self,
        out: TimeReading,
        plain: str,
        minutes: int,
        start: int,
        end: int,
        sure: bool,
        taken: list[tuple[int, int]],
    ) -> None:
        meridiem = self._meridiem.match(plain[end:])
        part = ""
        if meridiem:
            word = meridiem.group(1)
            part = "pm" if word in self.words.pm else "am"
            end += meridiem.end()
            hour = minutes // 60
            if 1 <= hour <= 12:
                minutes = (hour % 12) * 60 + minutes % 60 + (12 * 60 if part == "pm" else 0)
                sure = True
        out.mentions.append(Mention(minutes, start, end, sure, part))
        taken.append((start, end))

    def _parts_of_day(self, plain: str, out: TimeReading) -> None:
        """'in the morning at 7': a part of the day said before a time applies to it too."""
        words = _alt(self.words.am + self.words.pm)
        for match in re.finditer(rf"(?<![\w])({words})(?![\w])", plain):
            if any(m.start <= match.start() < m.end for m in out.mentions):
                continue
            after = [m for m in out.mentions if m.start >= match.end()]
            if after and not after[0].part and after[0].start - match.end() <= 6:
                target = after[0]
                part = "pm" if match.group(1) in self.words.pm else "am"
                hour = target.minutes // 60
                if 1 <= hour <= 12 and not (target.sure and hour > 12):
                    target.minutes = (hour % 12) * 60 + target.minutes % 60
                    target.minutes += 12 * 60 if part == "pm" else 0
                    target.part, target.sure = part, True

    def _is_range(self, plain: str, out: TimeReading) -> bool:
        if len(out.mentions) != 2:
            return len(out.mentions) == 1 and bool(
                self._start.search(plain[: out.mentions[0].start])
            )
        first, second = out.mentions
        return bool(
            self._range.match(plain[first.end : second.start])
            or self._start.search(plain[: first.start])
        )


# --- placing bare hours -------------------------------------------------------------------
def resolve(reading: TimeReading, window: tuple[int, int]) -> list[int]:
    """The times in minutes after midnight: a bare hour (1-12, no am/pm) goes to whichever of
    its two readings falls in `window` (start, end minutes; end may pass midnight)."""
    placed: list[int] = []
    for mention in reading.mentions:
        if mention.sure:
            placed.append(mention.minutes)
            continue
        morning = mention.minutes % (12 * 60)
        options = [morning, morning + 12 * 60]
        inside = [m for m in options if _within(m, window)]
        placed.append(inside[0] if inside else mention.minutes)
    return placed


def resolve_range(reading: TimeReading, window: tuple[int, int]) -> tuple[int, int] | None:
    """The two ends of 'from 7 till 7', 'between 9 and 21', '8am to 8pm' (the end after the
    start: 'from 9 to 5' ends at 17:00); None without two ends."""
    if len(reading.mentions) != 2:
        return None
    first, second = reading.mentions
    start = resolve(TimeReading([first]), window)[0]
    end = second.minutes
    if not second.sure and end <= start and end < 12 * 60:
        end += 12 * 60
    return start, end


def _within(minutes: int, window: tuple[int, int]) -> bool:
    start, end = window
    if start <= end:
        return start <= minutes <= end
    return minutes >= start or minutes <= end


def hhmm(minutes: int) -> str:
    minutes %= DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
