"""Acting on requests in plain words (dialogs.intents reads them): reminders set, changed,
stopped or listed; a time zone offered from a place said in passing or a shared location (set
after a Yes); small
talk with varied short replies; an FAQ answer asked again acknowledged and shortened; what a
user said before a check carried into it. Wording from knowledge.yaml (`conversation`).
"""

from __future__ import annotations

import re
from typing import Any

from dialogs import followup, intents, nlu, places, reminders
from dialogs.callbacks import FaqLink, Redo, ReminderMenu, ZoneNo, ZoneYes
from dialogs.intents import Intent
from dialogs.knowledge.conversation import Conversation
from dialogs.state import CheckState
from dialogs.timewords import DAY, Mention, TimeReading, hhmm, resolve, resolve_range
from dialogs.turn import Turn
from dialogs.types import Button, Location, Reply

AWAIT_ZONE = "conv:zone:"  # state "awaiting": a zone offered, waiting for Yes / No
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def conv_of(turn: Turn) -> Conversation:
    return turn.knowledge.conversation


async def context_of(turn: Turn, in_check: bool) -> intents.Context:
    records = await turn.tx.list_reminders(turn.user.user_id)
    knowledge = turn.knowledge
    return intents.Context(
        in_check=in_check,
        reminders={r.kind: tuple(r.schedule.get("times", [])) for r in records},
        kinds=(*knowledge.reminders.kinds, followup.KIND),
        find_zone=lambda name: reminders.find_place(knowledge, name),
    )


# --- reminders ----------------------------------------------------------------------------
async def remind(turn: Turn, intent: Intent, context: intents.Context) -> list[Reply]:
    conv = conv_of(turn)
    if intent.name == "reminders_list":
        return [await reminders.listing(turn)]
    kind = intent.kind
    if kind is None and len(context.reminders) == 1 and intent.name != "remind_set":
        kind = next(iter(context.reminders))
    if intent.name == "remind_stop":
        if kind == followup.KIND:
            return await followup.turn_off(turn)
        return [await reminders.turn_off(turn, kind)]
    if kind == followup.KIND:  # set by a result, not by hand: show what is planned
        return [await reminders.listing(turn)]
    if kind is None and intent.times is not None and context.reminders:
        kind = _kind_with_time(conv, intent, context)
    if kind is None:
        rows = [
            [Button(f"{k.icon} {k.title}", ReminderMenu(k.id).pack())]
            for k in turn.knowledge.reminders.kinds.values()
            if k.presets
        ]
        return [turn.reply(conv.texts("ask_kind"), buttons=rows)]
    reading = intent.times
    if reading is None or not reading.any:
        return [reminders.kind_menu(turn, kind)]
    window = conv.window(kind)
    existing = list(context.reminders.get(kind, ()))
    if intent.name == "remind_change" and existing and not reading.every:
        times = _changed(existing, reading, window, intent)
        if times is None:
            name = turn.knowledge.reminders.kinds[kind].name
            return [turn.reply(conv.texts("change_what", name=name, times=", ".join(existing)))]
        spec = ",".join(hhmm(m) for m in sorted(set(times)))
    else:
        spec = _spec(turn, reading, window)
    return [await reminders.set_from_text(turn, kind, spec)]


def _kind_with_time(conv: Conversation, intent: Intent, context: intents.Context) -> str | None:
    """'change 10 to 11': the kind whose reminders include one of the times named."""
    assert intent.times is not None
    for kind, times in context.reminders.items():
        have = {_minutes(t) for t in times}
        for mention in intent.times.mentions:
            if _matches(mention.minutes, mention.sure, have) is not None:
                return kind
    return None


def _spec(turn: Turn, reading: Any, window: tuple[int, int]) -> str:
    if reading.every:
        ends = resolve_range(reading, window)
        words = turn.knowledge.reminders.parser.words
        if ends is None and reading.mentions:
            start = resolve(reading, window)[0]
            ends = (start, _minutes(words.default_to))
        if ends is None:
            ends = (_minutes(words.default_from), _minutes(words.default_to))
        return f"every {reading.every} min {hhmm(ends[0])}-{hhmm(ends[1])}"
    return ",".join(hhmm(m) for m in sorted(set(resolve(reading, window))))


def _changed(
    existing: list[str], reading: TimeReading, window: tuple[int, int], intent: Intent
) -> list[int] | None:
    """The new times after 'change 10 to 11', 'add one at 1pm', 'drop the 8pm one', or the
    times named when none of them is an existing one ('move it to 11pm')."""
    have = [_minutes(t) for t in existing]
    old: list[int] = []
    new: list[Mention] = []
    for mention in reading.mentions:
        matched = _matches(mention.minutes, mention.sure, set(have))
        if matched is not None and matched not in old and not intent.add:
            old.append(matched)
        else:
            new.append(mention)
    if intent.drop:
        kept = [m for m in have if m not in old]
        return kept if old and kept else None
    if intent.add:
        return have + resolve(_only(reading, new), window)
    if old and new:
        anchor = old[0]
        placed = []
        for mention in new:
            minutes = mention.minutes
            if not mention.sure and anchor >= 12 * 60 and minutes < 12 * 60:
                minutes += 12 * 60
            placed.append(minutes % DAY)
        return [m for m in have if m not in old] + placed
    if new:
        return resolve(_only(reading, new), window)
    return None


def _only(reading: TimeReading, mentions: list[Mention]) -> TimeReading:
    return TimeReading(list(mentions))


def _matches(minutes: int, sure: bool, have: set[int]) -> int | None:
    if minutes in have:
        return minutes
    if not sure and (minutes + 12 * 60) % DAY in have:
        return (minutes + 12 * 60) % DAY
    return None


def _minutes(text: str) -> int:
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes or 0)


# --- time zone named in passing -------------------------------------------------------------
def offer_zone(turn: Turn, intent: Intent) -> list[Reply]:
    conv = conv_of(turn)
    zone = intent.zone or ""
    if not zone or zone == (turn.user.timezone or "UTC"):
        return []
    turn.state.awaiting = AWAIT_ZONE + zone
    local = turn.now.astimezone(reminders.zone_of(zone)).strftime("%H:%M")
    text = conv.texts("zone_offer", place=intent.place or zone, zone=zone, local_time=local)
    buttons = [
        [
            Button(conv.texts("zone_yes"), ZoneYes(zone).pack()),
            Button(conv.texts("zone_no"), ZoneNo().pack()),
        ]
    ]
    return [turn.reply(text, buttons=buttons)]


def offer_location_zone(turn: Turn, location: Location) -> list[Reply]:
    """A shared location: offer the zone found there (set after a Yes, as above). The point
    itself is not kept: only the zone, once the user says Yes."""
    conv = conv_of(turn)
    latitude, longitude = location.latitude, location.longitude
    if not places.on_globe(latitude, longitude):
        return [turn.reply(conv.texts("location_invalid"))]
    zone = places.zone_at(latitude, longitude)
    if zone is None:
        return [turn.reply(conv.texts("location_sea"))]
    local = turn.now.astimezone(reminders.zone_of(zone)).strftime("%H:%M")
    if zone == (turn.user.timezone or "UTC"):
        return [turn.reply(conv.texts("location_same", zone=zone, local_time=local))]
    turn.state.awaiting = AWAIT_ZONE + zone
    buttons = [
        [
            Button(conv.texts("zone_yes"), ZoneYes(zone).pack()),
            Button(conv.texts("zone_no"), ZoneNo().pack()),
        ]
    ]
    return [turn.reply(conv.texts("location_offer", zone=zone, local_time=local), buttons=buttons)]


async def answer_zone(turn: Turn, zone: str, text: str | None) -> list[Reply] | None:
    """The reply to a zone offer: Yes sets it, No keeps the old one; None: not an answer."""
    conv = conv_of(turn)
    if text is None or intents.is_yes(conv, text) or _lang_yes(turn, text):
        return await reminders.set_zone(turn, zone)
    if intents.is_no(conv, text):
        return [turn.reply(conv.texts("zone_kept", zone=turn.user.timezone or "UTC"))]
    return None


def _lang_yes(turn: Turn, text: str) -> bool:
    return nlu.is_yes(turn.knowledge, text)


async def on_callback(turn: Turn, pressed: ZoneYes | ZoneNo) -> list[Reply]:
    """The zone offer's buttons: Yes sets it, No keeps the old one."""
    turn.state.awaiting = None
    if isinstance(pressed, ZoneYes):
        return await reminders.set_zone(turn, pressed.zone)
    conv = conv_of(turn)
    return [turn.reply(conv.texts("zone_kept", zone=turn.user.timezone or "UTC"))]


# --- small talk ---------------------------------------------------------------------------
def small_talk(turn: Turn, name: str) -> list[Reply]:
    options = conv_of(turn).small_talk.get(name)
    if not options:
        return []
    count = turn.state.talk_n or 0
    turn.state.talk_n = count + 1
    return [turn.reply(options[count % len(options)])]


# --- an FAQ answer asked again ----------------------------------------------------------------
def shorten_repeat(turn: Turn, faq_id: str | None, text: str) -> tuple[str, list[list[Button]]]:
    """The first time: the answer as it is. Again: 'As I said: <its first sentence>' with a
    button for the whole answer."""
    if faq_id is None:
        return text, []
    if turn.state.faq_seen is None:
        turn.state.faq_seen = []
    seen = turn.state.faq_seen
    if faq_id not in seen:
        seen.append(faq_id)
        del seen[:-20]
        return text, []
    conv = conv_of(turn)
    first = _SENTENCE.split(text.strip().split("\n")[0])
    short = " ".join(first[:2]) if len(first[0]) < 60 else first[0]
    return conv.texts("as_i_said", short=short), [
        [Button(conv.texts("more_label"), FaqLink(faq_id).pack())]
    ]


# --- context carried into a check ---------------------------------------------------------
def remember(turn: Turn, answers: list[Any]) -> None:
    """Answers found in a message outside a check, kept for the next check."""
    if not answers:
        return
    state = turn.state
    known = state.known = {} if state.known is None else state.known
    details = state.known_details = {} if state.known_details is None else state.known_details
    for item in answers:
        if item.question == "warning_signs":
            continue
        known[item.question] = item.value
        if item.detail:
            details[item.question] = item.detail


def note_word(turn: Turn, text: str) -> None:
    word = intents.own_word(conv_of(turn), text)
    if word is not None:
        turn.state.own_word = word


def carry_over(turn: Turn, assessment: CheckState) -> Reply | None:
    """Fill a new check with what the user told before it; the message that says so."""
    known = turn.state.known or {}
    details = turn.state.known_details or {}
    turn.state.known = turn.state.known_details = None
    questions = turn.knowledge.questions
    known = {q: v for q, v in known.items() if q in questions}
    if not known:
        return None
    conv = conv_of(turn)
    facts, rows = [], []
    for question_id, value in known.items():
        assessment.answers[question_id] = value
        if question_id in details:
            assessment.details[question_id] = details[question_id]
        topic = turn.knowledge.messages.get(f"topic_{question_id}", question_id)
        facts.append(
            conv.texts("known_fact", topic=topic, value=_value_label(turn, question_id, value))
        )
        rows.append([Button(conv.texts("change_label", topic=topic), Redo(question_id).pack())])
    return turn.reply(conv.texts("known_header", facts="; ".join(facts)), buttons=rows)


def _value_label(turn: Turn, question_id: str, value: Any) -> str:
    question = turn.knowledge.questions[question_id]
    labels = {o.value: o.label for o in question.options}
    values = value if isinstance(value, list) else [value]
    return ", ".join(labels.get(v, str(v)) for v in values)
