"""knowledge.yaml `crisis`: the emergency number and crisis lines by country.

The user's time zone (an IANA name such as "Europe/London", or a fixed offset) picks the
country; without one, or in a country the section does not list, the general fallback is
used (the common emergency numbers and a directory of helplines).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dialogs.knowledge.node import Node

TEXTS = ("message", "line", "fallback_hint", "check_paused")


@dataclass(frozen=True, slots=True)
class Country:
    id: str
    name: str
    emergency: str  # how to write the number in a sentence: "999", "15 (SAMU) or 112"
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Crisis:
    by_zone: Mapping[str, Country]  # zone name or offset ("+05:30") -> country
    countries: tuple[Country, ...]
    fallback: Country
    texts: Mapping[str, str]

    def country_for(self, zone: str | None) -> Country | None:
        if not zone:
            return None
        return self.by_zone.get(zone) or self.by_zone.get(zone.casefold())

    def emergency(self, zone: str | None) -> str:
        """The emergency number for the user's country, in a sentence."""
        return (self.country_for(zone) or self.fallback).emergency

    def message(self, zone: str | None) -> str:
        """The crisis reply: kind words, the emergency number, the crisis lines."""
        country = self.country_for(zone)
        chosen = country or self.fallback
        lines = [self.texts["line"].format(line=line) for line in chosen.lines]
        if country is None:
            lines.append(self.texts["fallback_hint"])
        return self.texts["message"].format(emergency=chosen.emergency, lines="\n".join(lines))


def _country(node: Node, with_zones: bool) -> tuple[Country, list[str]]:
    if with_zones:
        node.only_keys("id", "name", "emergency", "lines", "zones", "offsets")
    else:
        node.only_keys("emergency", "lines")
    country = Country(
        node.get("id").str() if with_zones else "",
        node.get("name").str() if with_zones else "",
        node.get("emergency").str(),
        tuple(node.get("lines").strs()),
    )
    zones = node.get("zones").strs() + node.get("offsets", []).strs(True) if with_zones else []
    return country, zones


def parse_crisis(node: Node) -> Crisis:
    node.only_keys("texts", "fallback", "countries")
    texts_node = node.get("texts")
    texts = {key: child.str() for key, child in texts_node.items()}
    for key in TEXTS:
        if key not in texts:
            raise texts_node.get(key).fail("missing")
    fallback, _ = _country(node.get("fallback"), with_zones=False)
    by_zone: dict[str, Country] = {}
    countries: list[Country] = []
    for item in node.get("countries").list():
        country, zones = _country(item, with_zones=True)
        if any(c.id == country.id for c in countries):
            raise item.get("id").fail(f"duplicate country {country.id!r}")
        countries.append(country)
        for zone in zones:
            if zone in by_zone:
                raise item.fail(f"zone {zone!r} is already {by_zone[zone].id}")
            by_zone[zone] = country
            by_zone.setdefault(zone.casefold(), country)
    return Crisis(by_zone, tuple(countries), fallback, texts)
