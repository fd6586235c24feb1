"""knowledge.yaml `diary`: twitching levels, the follow-up check-in, the /stats figures, wording."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dialogs.knowledge.language import Language
from dialogs.knowledge.messages import Messages, parse_messages
from dialogs.knowledge.node import Node
from dialogs.knowledge.questions import Question
from dialogs.text import Lexicon, PhraseSet

MESSAGE_KEYS = (
    "log_ask", "log_not_understood", "log_saved", "log_item_level", "log_item_caffeine",
    "log_item_sleep", "log_item_stress", "log_item_exercise", "log_list_and", "stats_empty",
    "stats_sent", "stats_title", "stats_too_little", "stats_pattern", "stats_no_pattern",
    "stats_no_factors", "stats_caution", "factor_caffeine", "factor_sleep", "factor_water",
    "axis_twitching", "axis_caffeine", "axis_sleep", "axis_water", "legend_bedtime", "no_entry",
    "report_sent", "report_title", "report_made", "report_check", "report_no_check",
    "report_answers", "report_causes", "report_detail_caffeine", "report_detail_caffeine_items",
    "report_detail_sleep", "report_detail_duration", "report_detail_stress",
    "report_detail_medications", "report_no_cause", "report_urgency", "report_signs",
    "report_signs_none", "report_signs_unknown", "report_medicines", "report_medicines_none",
    "report_diary", "report_timeline", "report_timeline_check", "report_timeline_followup",
    "report_timeline_diary", "report_footer", "fu_due", "fu_note", "fu_gone", "fu_better",
    "fu_same", "fu_same_doctor", "fu_worse", "fu_worse_signs", "fu_worse_reason", "fu_off",
    "fu_on", "fu_listing",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    label: str  # button text
    name: str  # in sentences ("twitching mild")
    score: int  # the chart's height


@dataclass(frozen=True, slots=True)
class FollowUp:
    days: int
    earliest: int  # minutes after local midnight
    latest: int
    doctor_after_days: float
    open_days: float
    duration_days: Mapping[str, float]  # a `duration` value -> its lower bound in days
    answers: tuple[tuple[str, str], ...]  # (value, button label), most serious first
    phrases: PhraseSet[str]
    values: Mapping[str, str]  # value -> how it is shown back
    names: frozenset[str]  # how /remind names the kind ("followup", "check-in")
    ask_again: tuple[str, ...]  # questions asked again when it is worse (those that exist)
    buttons: tuple[str, ...]  # the answers in the order of the check-in's buttons
    denied: str  # the answer when a message only denies ("not better")


@dataclass(frozen=True, slots=True)
class Stats:
    days: int
    min_days: int
    min_group: int
    caffeine_high_mg: float
    sleep_short_hours: float
    water_low_glasses: float
    timeline_items: int
    water_event: str
    bedtime_event: str
    sleep_target: float
    prompt_open_hours: float
    max_caffeine_mg: float


@dataclass(frozen=True, slots=True)
class DiaryKnowledge:
    levels: Mapping[str, Level]
    level_phrases: PhraseSet[str]
    follow_up: FollowUp
    stats: Stats
    labels: Messages
    texts: Messages


def parse_diary(
    node: Node, language: Language, questions: Mapping[str, Question]
) -> DiaryKnowledge:
    node.only_keys("levels", "follow_up", "stats", "labels", "messages")
    lexicon = language.lexicon
    levels: dict[str, Level] = {}
    entries: list[tuple[str, str]] = []
    for level_id, item in node.get("levels").items():
        item.only_keys("label", "name", "score", "words")
        levels[level_id] = Level(
            level_id,
            item.get("label").str(),
            item.get("name").str(),
            int(item.get("score").number(0, 10)),
        )
        entries.extend((w, level_id) for w in item.get("words").strs())
    if not levels:
        raise node.get("levels").fail("expected at least one level")
    return DiaryKnowledge(
        levels=levels,
        level_phrases=PhraseSet(entries, lexicon),
        follow_up=_parse_follow_up(node.get("follow_up"), lexicon, questions),
        stats=_parse_stats(node.get("stats")),
        labels=parse_messages(node.get("labels"), ("stop",)),
        texts=parse_messages(node.get("messages"), MESSAGE_KEYS),
    )


def _parse_follow_up(node: Node, lexicon: Lexicon, questions: Mapping[str, Question]) -> FollowUp:
    node.only_keys(
        "days",
        "earliest",
        "latest",
        "doctor_after_days",
        "open_days",
        "duration_days",
        "answers",
        "values",
        "names",
        "ask_again",
        "buttons",
        "denied",
    )
    answers: list[tuple[str, str]] = []
    entries: list[tuple[str, str]] = []
    for value, item in node.get("answers").items():
        item.only_keys("label", "words")
        answers.append((value, item.get("label").str()))
        entries.extend((w, value) for w in item.get("words").strs())
    values = {key: child.str() for key, child in node.get("values").items()}
    for value, _ in answers:
        if value not in values:
            raise node.get("values").fail(f"missing {value!r}")
    durations = {key: child.number(0) for key, child in node.get("duration_days").items()}
    known = [value for value, _ in answers]
    buttons = tuple(item.choice(known) for item in node.get("buttons").list())
    return FollowUp(
        days=int(node.get("days").number(1, 60)),
        earliest=_minutes(node.get("earliest")),
        latest=_minutes(node.get("latest")),
        doctor_after_days=node.get("doctor_after_days").number(1, 365),
        open_days=node.get("open_days").number(0, 60),
        duration_days=durations,
        answers=tuple(answers),
        phrases=PhraseSet(entries, lexicon),
        values=values,
        names=frozenset(plain_word(n) for n in node.get("names").strs()),
        ask_again=tuple(q for q in node.get("ask_again", []).strs(True) if q in questions),
        buttons=buttons,
        denied=node.get("denied").choice(known),
    )


def _parse_stats(node: Node) -> Stats:
    node.only_keys(
        "days",
        "min_days",
        "min_group",
        "caffeine_high_mg",
        "sleep_short_hours",
        "water_low_glasses",
        "timeline_items",
        "water_event",
        "bedtime_event",
        "sleep_target",
        "prompt_open_hours",
        "max_caffeine_mg",
    )
    return Stats(
        days=int(node.get("days").number(7, 366)),
        min_days=int(node.get("min_days").number(1, 366)),
        min_group=int(node.get("min_group").number(1, 366)),
        caffeine_high_mg=node.get("caffeine_high_mg").number(1),
        sleep_short_hours=node.get("sleep_short_hours").number(1, 24),
        water_low_glasses=node.get("water_low_glasses").number(1, 100),
        timeline_items=int(node.get("timeline_items").number(1, 50)),
        water_event=node.get("water_event").str(),
        bedtime_event=node.get("bedtime_event").str(),
        sleep_target=node.get("sleep_target").number(1, 24),
        prompt_open_hours=node.get("prompt_open_hours").number(0, 24),
        max_caffeine_mg=node.get("max_caffeine_mg").number(1),
    )


def _minutes(node: Node) -> int:
    hours, sep, minutes = node.str().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit()):
        raise node.fail("expected a time such as 09:00")
    value = int(hours) * 60 + int(minutes)
    if value >= 24 * 60 or int(minutes) > 59:
        raise node.fail("expected a time such as 09:00")
    return value


def plain_word(word: str) -> str:
    return "".join(ch for ch in word.casefold() if ch.isalnum())
