"""Answers that are a measure put into buckets: how long (days), sleep (hours a night) and
a 1-10 scale (stress). Units, phrases and buckets come from knowledge.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING

from dialogs.matchers.base import CUE, Buckets, Found, Tools, phrases, value_phrases
from dialogs.numbers import Number
from dialogs.text import BOUNDARY, PhraseSet, Reading, positive

if TYPE_CHECKING:  # a type only: the section parsers (dialogs.knowledge) import matchers
    from dialogs.knowledge.node import Node


def _cues(node: Node, tools: Tools) -> PhraseSet[str]:
    return phrases(node.get("cues"), CUE, tools.lexicon)


def _words(tools: Tools, node: Node) -> frozenset[str]:
    """A word list of the matcher, known to the typo repair (so it is never "repaired")."""
    words = node.strs()
    tools.lexicon.add(words)
    return frozenset(words)


def _after(reading: Reading, end: int, fillers: frozenset[str], starts: set[int]) -> int | None:
    """The start of a unit at `end`, maybe after filler words ("of", "or so")."""
    i = end
    while i < len(reading.tokens) and i - end <= 2:
        if i in starts:
            return i
        if reading.tokens[i] not in fillers:
            return None
        i += 1
    return None


@dataclass(frozen=True, slots=True)
class DurationMatcher:
    """ "3 weeks", "a fortnight", "since this morning", "on and off for a year" -> days."""

    units: PhraseSet[float]  # value: days per unit
    bare: PhraseSet[float]  # a plural unit alone ("for weeks"): days
    points: PhraseSet[float]  # "since this morning": days
    months: PhraseSet[int]  # "since january": month number, counted back from `reading.now`
    month_after: frozenset[str]  # a month counts only after these ("since", "of")
    fillers: frozenset[str]
    buckets: Buckets
    cues: PhraseSet[str]
    tools: Tools
    # "30 weeks pregnant", "a 6 week old baby": an amount followed by these is no duration
    not_followed_by: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, node: Node, values: set[str], tools: Tools) -> DurationMatcher:
        lex = tools.lexicon
        units: list[tuple[str, float]] = []
        for _, unit in node.get("units").items():
            unit.only_keys("days", "words")
            days = unit.get("days").number(0)
            units.extend((w, days) for w in unit.get("words").strs())
        bare = [(w, child.number(0)) for w, child in node.get("bare").items()]
        points = [(w, child.number(0)) for w, child in node.get("points").items()]
        months = node.get("months").list()
        if len(months) != 12:
            raise node.get("months").fail("expected 12 entries, January first")
        month_words = [(w, i + 1) for i, m in enumerate(months) for w in m.strs()]
        return cls(
            PhraseSet(units, lex),
            PhraseSet(bare, lex),
            PhraseSet(points, lex),
            PhraseSet(month_words, lex),
            _words(tools, node.get("month_after")),
            _words(tools, node.get("fillers")),
            Buckets.parse(node.get("buckets"), values),
            _cues(node, tools),
            tools,
            _words(tools, node.get("not_followed_by", []))
            if node.has("not_followed_by")
            else frozenset(),
        )

    def read(self, reading: Reading, asked: bool) -> Found | None:
        found: list[float] = []
        unit_hits = {h.start: h for h in self.units.find(reading)}
        halves = {h.start for h in self.tools.numbers.halves.find(reading)}
        used: set[int] = set()
        for n in self.tools.find_numbers(reading):
            at = _after(reading, n.end, self.fillers, set(unit_hits))
            if at is not None:
                unit = unit_hits[at]
                after = reading.tokens[unit.end] if unit.end < len(reading.tokens) else ""
                if after in self.not_followed_by:
                    used.add(at)
                    continue
                value = n.value + (0.5 if unit.end in halves else 0)  # "a week and a half"
                found.append(value * float(unit.value))
                used.add(at)
        for hit in self.bare.find(reading):
            if hit.start not in used and not hit.negated:
                found.append(float(hit.value))
        found.extend(float(h.value) for h in positive(self.points.find(reading)))
        if reading.now is not None:
            found.extend(
                _since_month(reading.now, int(h.value))
                for h in self.months.find(reading)
                if h.start and reading.tokens[h.start - 1] in self.month_after
            )
            found.extend(self._since_years(reading))
        if not found:
            return None
        days = max(found)
        return Found(self.buckets(days), {"days": round(days, 2)})

    def _since_years(self, reading: Reading) -> list[float]:
        """ "since 2023", "on and off from 2019": a four-digit year after a `month_after` word."""
        assert reading.now is not None
        out = []
        for i, token in enumerate(reading.tokens):
            if (
                i
                and len(token) == 4
                and token.isdigit()
                and reading.tokens[i - 1] in self.month_after
            ):
                days = _since_year(reading.now, int(token))
                if days is not None:
                    out.append(days)
        return out


def _since_year(now: datetime, year: int) -> float | None:
    """Days from the start of `year` ("since 2023") to `now`; None for no past year."""
    if not 1900 <= year <= now.year:
        return None
    start = datetime(year, 1, 1, tzinfo=now.tzinfo)
    return max((now - start).total_seconds() / 86400, 0.5)


def _since_month(now: datetime, month: int) -> float:
    """Days from the start of the last `month` (this one included) to `now`."""
    year = now.year if month <= now.month else now.year - 1
    start = datetime(year, month, 1, tzinfo=now.tzinfo)
    return max((now - start).total_seconds() / 86400, 0.5)


@dataclass(frozen=True, slots=True)
class SleepMatcher:
    """ "7 hours", "6-7h", "about six and a half", "bed at 1am, up at 6", "barely sleep"."""

    units: PhraseSet[str]
    bed: PhraseSet[str]
    wake: PhraseSet[str]
    am: frozenset[str]
    pm: frozenset[str]
    evening_from: float  # a bedtime without am/pm from this hour on is in the evening
    until: frozenset[str]  # "3am till 8am", "11pm-7am"
    fillers: frozenset[str]
    follow_ok: frozenset[str]  # a bare number may be followed by these ("7 maybe")
    most: float  # more hours than this is no night's sleep
    words: PhraseSet[str]
    buckets: Buckets
    cues: PhraseSet[str]
    tools: Tools

    @classmethod
    def parse(cls, node: Node, values: set[str], tools: Tools) -> SleepMatcher:
        lex = tools.lexicon
        return cls(
            phrases(node.get("units"), "h", lex),
            phrases(node.get("bed"), "bed", lex),
            phrases(node.get("wake"), "wake", lex),
            _words(tools, node.get("am")),
            _words(tools, node.get("pm")),
            node.get("evening_from").number(0, 24),
            _words(tools, node.get("until")),
            _words(tools, node.get("fillers")),
            _words(tools, node.get("follow_ok")),
            node.get("most").number(1, 24),
            value_phrases(node.get("words"), values, lex),
            Buckets.parse(node.get("buckets"), values),
            _cues(node, tools),
            tools,
        )

    def read(self, reading: Reading, asked: bool) -> Found | None:
        numbers = self.tools.find_numbers(reading)
        hours = self._span(reading, numbers)
        if hours is None:
            hours = self._from_to(reading, numbers)
        if hours is None:
            hours = self._with_unit(reading, numbers)
        if hours is None:
            hours = _bare(reading, numbers, self.follow_ok, self.most)
        if hours is not None:
            return Found(self.buckets(hours), {"hours": round(hours, 2)})
        hit = next(positive(self.words.find(reading)), None)
        return Found(hit.value) if hit else None

    def _with_unit(self, reading: Reading, numbers: list[Number]) -> float | None:
        starts = {h.start for h in self.units.find(reading)}
        for n in numbers:
            if _after(reading, n.end, self.fillers, starts) is not None and n.value <= self.most:
                return n.value
        return None

    def _clock(self, reading: Reading, numbers: list[Number], after: int) -> tuple[float, str]:
        """The clock time said within a few words after `after`: (hour, "am"|"pm"|"")."""
        for n in numbers:
            if after <= n.start <= after + 3 and not n.weak and n.value <= 24:
                if BOUNDARY in reading.tokens[after : n.start]:
                    break
                nxt = reading.tokens[n.end] if n.end < len(reading.tokens) else ""
                half = "am" if nxt in self.am else "pm" if nxt in self.pm else ""
                return n.value, half
        return -1.0, ""

    def _from_to(self, reading: Reading, numbers: list[Number]) -> float | None:
        """Two clock times, at least one with am/pm: "3am till 8am", "11 at night to 6"."""
        tokens = reading.tokens
        for first, second in pairwise(numbers):
            between = tokens[first.end : second.start]
            halves = [t for t in between if t in self.am or t in self.pm]
            after = tokens[second.end] if second.end < len(tokens) else ""
            rest = [t for t in between if t not in halves and t not in self.fillers]
            if len(rest) != 1 or rest[0] not in self.until:
                continue
            # no am/pm: a clock span only when it can't be a range of hours ("12:30 till 7",
            # "11 to 6"), i.e. it runs backwards or starts on the half hour
            clockless = not halves and after not in self.am and after not in self.pm
            if clockless and first.value < second.value and first.value % 1 == 0:
                continue
            bed_half = "pm" if any(t in self.pm for t in halves) else "am" if halves else ""
            wake_half = "pm" if after in self.pm else "am" if after in self.am else ""
            return self._hours(first.value, bed_half, second.value, wake_half)
        return None

    def _hours(self, bed: float, bed_half: str, wake: float, wake_half: str) -> float | None:
        if bed_half == "pm" or (not bed_half and self.evening_from <= bed < 12):
            bed += 12
        elif bed_half != "pm" and 12 <= bed < 13:  # "bed at 12:30": half past midnight
            bed -= 12
        if wake_half == "pm" and wake < 12:
            wake += 12
        span = (wake - bed) % 24
        return span if 0 < span <= self.most else None

    def _span(self, reading: Reading, numbers: list[Number]) -> float | None:
        beds = [h for h in positive(self.bed.find(reading))]
        wakes = [h for h in positive(self.wake.find(reading))]
        if not beds or not wakes:
            return None
        bed, bed_half = max((self._clock(reading, numbers, h.end) for h in beds), default=(-1, ""))
        wake, wake_half = max(
            (self._clock(reading, numbers, h.end) for h in wakes), default=(-1, "")
        )
        if bed < 0 or wake < 0:
            return None
        return self._hours(bed, bed_half, wake, wake_half)


def _bare(
    reading: Reading, numbers: list[Number], follow_ok: frozenset[str], most: float
) -> float | None:
    """The first plain number (not a count of something else) up to `most`."""
    for n in numbers:
        if n.weak or n.value > most:
            continue
        nxt = reading.tokens[n.end] if n.end < len(reading.tokens) else BOUNDARY
        if nxt == BOUNDARY or nxt in follow_ok or not nxt.isalpha():
            return n.value
    return None


@dataclass(frozen=True, slots=True)
class ScaleMatcher:
    """ "7", "5/10", "9 out of 10", "like a 2", "ten", or words ("super chill")."""

    of: PhraseSet[str]  # "/ 10", "out of 10": the number before is on the scale
    top: float
    follow_ok: frozenset[str]
    words: PhraseSet[str]
    denied: str | None  # the value when only words of other values were denied
    none: str | None  # the value of "none", "nothing at all" (when asked)
    buckets: Buckets
    cues: PhraseSet[str]
    tools: Tools

    @classmethod
    def parse(cls, node: Node, values: set[str], tools: Tools) -> ScaleMatcher:
        lex = tools.lexicon
        return cls(
            phrases(node.get("of"), "of", lex),
            node.get("top").number(1),
            _words(tools, node.get("follow_ok")),
            value_phrases(node.get("words"), values, lex),
            node.get("denied").choice(values) if node.has("denied") else None,
            node.get("none").choice(values) if node.has("none") else None,
            Buckets.parse(node.get("buckets"), values),
            _cues(node, tools),
            tools,
        )

    def read(self, reading: Reading, asked: bool) -> Found | None:
        numbers = self.tools.find_numbers(reading)
        of_hits = self.of.find(reading)
        inside = {i for h in of_hits for i in range(h.start, h.end)}
        starts = {h.start for h in of_hits}
        scale = next((n.value for n in numbers if n.end in starts and n.value <= self.top), None)
        if scale is None:
            plain = [n for n in numbers if n.start not in inside]
            scale = _bare(reading, plain, self.follow_ok, self.top)
        if scale is not None:
            rounded = max(1, int(scale + 0.5))  # "3-4" -> 4
            return Found(self.buckets(rounded), {"scale": rounded})
        hits = self.words.find(reading)
        hit = next(positive(hits), None)
        if hit is not None:
            return Found(hit.value)
        if self.denied and hits:
            return Found(self.denied)
        if self.none and asked and any(positive(self.tools.none_answers.find(reading))):
            return Found(self.none)
        return None
