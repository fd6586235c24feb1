"""knowledge.yaml `conversation`: the words of plain-word requests, time words, day windows,
small talk, the phone-sized result's wording, and the learned intents model."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from dialogs.classifier import load_or_train
from dialogs.knowledge.files import Files
from dialogs.knowledge.messages import Messages, parse_messages
from dialogs.knowledge.node import Node
from dialogs.timewords import TimeReader, TimeWords
from dialogs.training import TrainingDataError, load_examples

INTENTS = (
    "remind_set", "remind_change", "remind_stop", "reminders_list", "timezone_set",
    "delete_data", "check_start", "check_cancel", "history", "help", "thanks", "greeting",
    "goodbye", "ack", "yes", "no", "none",
)  # fmt: skip
SMALL_TALK = ("greeting", "thanks", "goodbye", "ack", "no")
MESSAGE_KEYS = (
    "zone_offer", "zone_yes", "zone_no", "zone_kept", "location_offer", "location_same",
    "location_sea", "location_invalid", "ask_kind", "change_none", "change_what",
    "known_header", "known_fact", "change_label", "cant_answer", "as_i_said", "more_label",
    "why_label", "helps_label",
)  # fmt: skip
_APOSTROPHES = re.compile(r"['’`´]")
_MERIDIEM = re.compile(r"(?<![a-z])([ap])\.\s?m(?![a-z])\.?")
_LONE_MARKS = re.compile(r"(?<!\d)[:.]|[:.](?!\d)")


class Ranker(Protocol):
    """A trained text classifier: every label with its probability, most likely first."""

    def rank(self, text: str) -> list[tuple[str, float]]: ...


@dataclass(frozen=True, slots=True)
class Conversation:
    reader: TimeReader
    windows: Mapping[str, tuple[int, int]]
    kind_words: Mapping[str, tuple[str, ...]]
    remind: tuple[str, ...]
    remind_weak: tuple[str, ...]  # "alarm", "alert": a reminder only beside a kind
    stop: tuple[str, ...]
    change: tuple[str, ...]
    add: tuple[str, ...]
    drop: tuple[str, ...]
    listing: tuple[str, ...]
    zone_cues: tuple[str, ...]
    zone_words: tuple[str, ...]  # "time zone", "clock": a zone request without a place
    yes: frozenset[str]
    no: frozenset[str]
    own_words: Mapping[str, tuple[str, ...]]
    question_starts: frozenset[str]  # "should", "is", "how": a message that asks
    emoji: Mapping[str, str]  # "👍" -> "ack": a message of emoji alone
    word_forms: Mapping[str, str]  # cramp -> "cramps"
    result: Mapping[str, str]  # the phone-sized result's wording (dialogs/result.py)
    result_max: int
    small_talk: Mapping[str, tuple[str, ...]]
    texts: Messages
    threshold: float
    in_check_threshold: float
    model: Ranker | None = None  # None only in tests that build the section by hand

    def window(self, kind: str | None) -> tuple[int, int]:
        return self.windows.get(kind or "default", self.windows["default"])


# --- loading ------------------------------------------------------------------------------
def parse_conversation(node: Node, files: Files | None) -> Conversation:
    node.only_keys(
        "model", "time_words", "day_windows", "kind_words", "remind_words", "remind_weak_words",
        "stop_words", "change_words", "add_words", "drop_words", "list_words", "zone_cues",
        "zone_words", "yes", "no", "own_words", "question_starts", "small_talk", "messages",
        "word_forms", "result", "emoji",
    )  # fmt: skip
    model = node.get("model").only_keys("training", "threshold", "in_check_threshold")
    tw = node.get("time_words")
    numbers = {str(k): int(v.number(0, 24)) for k, v in tw.get("numbers").items()}
    words = TimeWords(
        numbers=numbers,
        **{
            key: tuple(plain(w) for w in tw.get(key).strs())
            for key in (
                "am",
                "pm",
                "noon",
                "midnight",
                "hour_marks",
                "every",
                "hour_units",
                "minute_units",
                "half_hour",
                "range_words",
                "start_words",
                "count_units",
                "past",
                "to",
                "half",
                "quarter",
            )
        },
    )
    windows = {k: _window(v) for k, v in node.get("day_windows").items()}
    if "default" not in windows:
        raise node.get("day_windows").get("default").fail("missing")
    small_talk = {}
    for key, replies in node.get("small_talk").items():
        if key not in SMALL_TALK:
            raise replies.fail(f"unknown small talk {key!r}; known: {', '.join(SMALL_TALK)}")
        small_talk[key] = tuple(replies.strs())
    return Conversation(
        reader=TimeReader(words),
        windows=windows,
        kind_words={k: _phrases(v) for k, v in node.get("kind_words").items()},
        remind=_phrases(node.get("remind_words")),
        remind_weak=_phrases(node.get("remind_weak_words")),
        stop=_phrases(node.get("stop_words")),
        change=_phrases(node.get("change_words")),
        add=_phrases(node.get("add_words")),
        drop=_phrases(node.get("drop_words")),
        listing=_phrases(node.get("list_words")),
        zone_cues=_phrases(node.get("zone_cues")),
        zone_words=_phrases(node.get("zone_words")),
        yes=frozenset(_phrases(node.get("yes"))),
        no=frozenset(_phrases(node.get("no"))),
        own_words={k: _phrases(v) for k, v in node.get("own_words").items()},
        question_starts=frozenset(_phrases(node.get("question_starts"))),
        word_forms={k: v.str() for k, v in node.get("word_forms").items()},
        emoji=_emoji(node.get("emoji")),
        result=_result_texts(node.get("result")),
        result_max=int(node.get("result").get("max_chars").number(200, 4096)),
        small_talk=small_talk,
        texts=parse_messages(node.get("messages"), MESSAGE_KEYS),
        threshold=model.get("threshold").number(0, 1),
        in_check_threshold=model.get("in_check_threshold").number(0, 1),
        model=_model(model, files),
    )


RESULT_KEYS = ("header", "cause_line", "also_line", "buttons_hint", "no_cause", "urgency_line",
               "not_diagnosis", "helps_text", "why_text")  # fmt: skip


def _result_texts(node: Node) -> dict[str, str]:
    node.only_keys("max_chars", *RESULT_KEYS)
    return {key: node.get(key).str() for key in RESULT_KEYS}


def _emoji(node: Node) -> dict[str, str]:
    table = {}
    for name, marks in node.items():
        if name not in SMALL_TALK:
            raise marks.fail(f"unknown small talk {name!r}; known: {', '.join(SMALL_TALK)}")
        table.update({mark: name for mark in marks.strs()})
    return table


def _window(node: Node) -> tuple[int, int]:
    start, _, end = node.str().partition("-")
    try:
        return _minutes(start), _minutes(end)
    except ValueError:
        raise node.fail("expected a range such as 07:00-21:00") from None


def _minutes(text: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    value = int(hours) * 60 + int(minutes)
    if not 0 <= value < 24 * 60:
        raise ValueError(text)
    return value


def _phrases(node: Node) -> tuple[str, ...]:
    return tuple(sorted({plain(w) for w in node.strs()}, key=len, reverse=True))


def plain(text: str) -> str:
    """Lower case, no accents, no apostrophes, punctuation as spaces (emoji kept)."""
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text.casefold()))
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    out = _MERIDIEM.sub(lambda m: m.group(1) + "m", out)  # "p.m." -> "pm"
    out = _LONE_MARKS.sub(" ", out)  # ":" and "." only inside a time ("10:30", "8.15")
    return " ".join(re.sub(r"[^\w\s\-:.👍✅❌]+", " ", out).split())


def _model(node: Node, files: Files | None) -> Ranker:
    """The learned intents model: trained on the files `training` names (labels: INTENTS,
    validated on load), cached by the hash of its examples."""
    training = node.get("training")
    examples = []
    for item in training.list():
        path = files.find(item.str()) if files is not None else Path(item.str())
        try:
            examples += load_examples(path, set(INTENTS))
        except TrainingDataError as error:
            raise item.fail(str(error)) from None
    missing = sorted(set(INTENTS) - {e.label for e in examples})
    if missing:
        raise training.fail(f"no training examples for {', '.join(missing)}")
    return load_or_train(examples, files.cache if files is not None else None, name="intents")
