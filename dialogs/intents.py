"""Requests in plain words: which one a message makes, and its details.

Two layers, as for the FAQ: rules where the language is regular (a reminder kind plus times,
"stop the water reminders", a place after "I live in"), and a learned intents model (trained
on data/training/intents*.yaml, with `none` as the not-a-request class) for the rest ("forget me
pls", "what can u do", "nvm"). `read(...)` returns an `Intent` or None. Everything said here
comes from knowledge.yaml (`conversation`); nothing reads the clock or the environment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from dialogs.knowledge.conversation import SMALL_TALK, Conversation, plain
from dialogs.timewords import TimeReading

__all__ = ["SMALL_TALK", "Context", "Conversation", "Intent", "plain", "read"]

REMINDER_INTENTS = ("remind_set", "remind_change", "remind_stop", "reminders_list")


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
