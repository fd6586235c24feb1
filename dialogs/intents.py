"""Requests in plain words: which one a message makes, and its details.

Two layers, as for the FAQ: rules where the language is regular (a reminder kind plus times,
"stop the water reminders", a place after "I live in"), and a learned intents model (trained
on data/training/intents*.yaml, with `none` as the not-a-request class) for the rest ("forget me
pls", "what can u do", "nvm"). `read(...)` returns an `Intent` or None. Everything said here
comes from knowledge.yaml (`conversation`); nothing reads the clock or the environment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from dialogs.classifier import load_or_train
from dialogs.knowledge import Messages, Node, parse_messages
from dialogs.timewords import TimeReader, TimeReading, TimeWords
from dialogs.training import TrainingDataError, load_examples

INTENTS = (
    "remind_set", "remind_change", "remind_stop", "reminders_list", "timezone_set",
    "delete_data", "check_start", "check_cancel", "history", "help", "thanks", "greeting",
    "goodbye", "ack", "yes", "no", "none",
)  # fmt: skip
REMINDER_INTENTS = ("remind_set", "remind_change", "remind_stop", "reminders_list")
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
class Intent:
    name: str
    confidence: float = 1.0
    source: str = "rule"  # "rule" or "model"
    kind: str | None = None  # reminder kind
    times: TimeReading | None = None
    zone: str | None = None
    place: str = ""  # the place as typed ("Leeds")
    stop: bool = False
    add: bool = False
    drop: bool = False


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
def parse_conversation(node: Node, sections: dict[str, Any]) -> Conversation:
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
        model=_model(model, sections.get("files")),
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


def _model(node: Node, files: Any) -> Ranker:
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
    return load_or_train(examples, getattr(files, "cache", None), name="intents")


# --- reading ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Context:
    in_check: bool = False
    reminders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> times
    kinds: tuple[str, ...] = ()  # the reminder kinds that exist
    find_zone: Callable[[str], str | None] | None = None  # a place name -> its zone


def says(phrases: tuple[str, ...] | frozenset[str], text: str) -> str | None:
    """The first of `phrases` found in `text` (normalised) as whole words, or None."""
    padded = f" {text} "
    for phrase in phrases:
        if f" {phrase} " in padded:
            return phrase
    return None


def is_yes(conv: Conversation, text: str) -> bool:
    words = plain(text)
    return (
        bool(words)
        and (words in conv.yes or _short_start(conv.yes, words))
        and words not in conv.no
    )


def is_no(conv: Conversation, text: str) -> bool:
    words = plain(text)
    return bool(words) and (words in conv.no or _short_start(conv.no, words))


def _short_start(phrases: frozenset[str], words: str) -> bool:
    """'yes please do it', 'nein danke': a short message that starts with one of them."""
    parts = words.split()
    if len(parts) > 4:
        return False
    return any(" ".join(parts[:n]) in phrases for n in (3, 2, 1) if n <= len(parts))


def read(conv: Conversation, text: str, context: Context, learned: bool = True) -> Intent | None:
    """The request `text` makes, or None (not a request: an answer, a question...);
    `learned=False`: the rules only (no model)."""
    marks = text.split()
    if marks and all(not any(ch.isalnum() for ch in m) for m in marks):
        names = {conv.emoji.get(m) for m in marks}
        name = names.pop() if len(names) == 1 else None
        return Intent(name) if name else None
    words = plain(text)
    if not words:
        return None
    rule = _rules(conv, words, context)
    if rule is not None or not learned:
        return rule
    return _learned(conv, text, words, context)


def _kind(conv: Conversation, words: str, context: Context) -> str | None:
    best: tuple[int, str] | None = None
    padded = f" {words} "
    for kind, phrases in conv.kind_words.items():
        if context.kinds and kind not in context.kinds:
            continue
        for phrase in phrases:
            at = padded.find(f" {phrase} ")
            if at >= 0 and (best is None or at < best[0]):
                best = (at, kind)
    return best[1] if best else None


def _blank_times(reading: TimeReading) -> str:
    """The text with its times removed (so "7 at night" does not name bedtime)."""
    chars = list(reading.text)
    for start, end in reading.spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return " ".join("".join(chars).split())


def _rules(conv: Conversation, words: str, context: Context) -> Intent | None:
    times = conv.reader.read(words)
    rest = _blank_times(times)
    kind = _kind(conv, rest, context)
    remind = says(conv.remind, rest) or (kind and says(conv.remind_weak, rest))
    if kind is None and remind is None and not (context.reminders and times.any):
        return _zone(conv, words, context)
    stop = says(conv.stop, rest)
    change = says(conv.change, rest)
    add = says(conv.add, rest)
    drop = says(conv.drop, rest)
    listing = says(conv.listing, rest)
    if kind is None and len(context.reminders) == 1 and (change or add or drop):
        kind = next(iter(context.reminders))
    has_kind_reminder = kind is not None and kind in context.reminders
    if (stop and not times.any) and (kind or remind):
        return Intent("remind_stop", kind=kind, stop=True)
    if times.any and (add or drop) and (has_kind_reminder or (kind is None and context.reminders)):
        return Intent("remind_change", kind=kind, times=times, add=bool(add), drop=bool(drop))
    if times.any and change and (kind or remind or context.reminders):
        name = "remind_change" if (has_kind_reminder or kind is None) else "remind_set"
        return Intent(name, kind=kind, times=times)
    if times.any and (kind and (remind or _only_schedule(conv, rest, kind))):
        return Intent("remind_set", kind=kind, times=times)
    if times.any and remind:
        return Intent("remind_set", kind=kind, times=times)
    if remind and not times.any:
        if listing and not change:
            return Intent("reminders_list")
        if change:
            return Intent("remind_change", kind=kind, times=times)
        if kind is not None or says(("want", "need", "set", "like", "can", "add"), rest):
            return Intent("remind_set", kind=kind, times=None)
    return _zone(conv, words, context)


def _only_schedule(conv: Conversation, rest: str, kind: str) -> bool:
    """'water every 2h 8-20', 'sleep 22:30': a kind and a schedule, nothing else to say."""
    left = [w for w in rest.split() if not says(conv.kind_words[kind], w)]
    filler = {"at", "and", "from", "to", "till", "until", "between", "pls", "please", "daily",
              "every", "day", "each", "my", "a", "the", "-", "on", "me", "set", "for"}  # fmt: skip
    return all(w in filler for w in left) or len(left) <= 1


def _zone(conv: Conversation, words: str, context: Context) -> Intent | None:
    """'I live in Leeds', 'based in sydney fyi', 'time zone: los angeles'."""
    if context.find_zone is None:
        return None
    tokens = words.split()
    padded = f" {words} "
    for cue in conv.zone_cues:
        at = padded.find(f" {cue} ")
        while at >= 0:
            after = padded[at + len(cue) + 2 :].split()
            for size in (3, 2, 1):
                for start in range(0, min(len(after) - size + 1, 4)):
                    name = " ".join(after[start : start + size])
                    if len(name) < 3 or name.isdigit():
                        continue
                    zone = context.find_zone(name)
                    if zone is not None:
                        return Intent("timezone_set", zone=zone, place=name.title())
            at = padded.find(f" {cue} ", at + 1)
    del tokens
    return None


def _learned(conv: Conversation, text: str, words: str, context: Context) -> Intent | None:
    if conv.model is None:
        return None
    label, probability = conv.model.rank(text)[0]
    threshold = conv.in_check_threshold if context.in_check else conv.threshold
    if label == "none" or probability < threshold:
        return None
    if label == "timezone_set":
        zone = _zone(conv, words, context)
        if zone is None and not says(conv.zone_words, words):
            return None  # "I'm in pain": no place, no word about time zones
        return zone if zone is not None else Intent(label, probability, "model")
    if label in REMINDER_INTENTS:
        kind = _kind(conv, words, context)
        return Intent(label, probability, "model", kind=kind, stop=label == "remind_stop")
    return Intent(label, probability, "model")


def own_word(conv: Conversation, text: str) -> str | None:
    """'cramp', 'spasm' or 'twitch' when the text uses one of those words."""
    words = plain(text)
    for word, phrases in conv.own_words.items():
        if says(phrases, words):
            return word
    return None
