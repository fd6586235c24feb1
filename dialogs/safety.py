"""Warning signs in the dialog: the screening question, what a reply that names signs says,
asking a sign back (`confirm`), and the crisis answer.

Recognising signs in text is `dialogs.red_flags.read_red_flags` (raised: clearly
described; unsure: to ask back). This module decides what the bot says about them; the
engine decides when (dialogs/engine.py). Wording lives in knowledge.yaml `safety` and
`crisis`; the flags' own `label`, `message` and `confirm` in `red_flags`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from dialogs import nlu
from dialogs.callbacks import ConfirmSign
from dialogs.flag_model import opinions, second_opinion
from dialogs.knowledge import Knowledge
from dialogs.knowledge.safety import Safety
from dialogs.knowledge.urgency import URGENCY_ORDER
from dialogs.red_flags import FlagReading, read_red_flags
from dialogs.text import Reading, folded, positive, tokenize
from dialogs.types import Button

__all__ = ["URGENCY_ORDER", "FlagReading", "Safety", "read"]

EMERGENCY = "emergency"
CRISIS_FLAG = "self_harm"


# --- reading -------------------------------------------------------------------------------
def read(knowledge: Knowledge, text: str, screening: bool = False) -> FlagReading:
    """The warning signs a message describes (raised) and those to ask back (unsure): the
    rules' reading, with the learned second opinion where the rules are silent or unsure.
    `screening`: the message answers the warning-signs question, so what the rules find
    is the user's answer and the model does not doubt it ("weakness and numbness both")."""
    try:
        reading = read_red_flags(knowledge, text)
    except Exception:  # a reader bug must never stop the bot answering
        return FlagReading((), ())
    answer = knowledge.language.read(text[:2000]) if screening else None
    unsure_answer = (
        answer is not None
        and not (reading.raised or reading.unsure)
        and _cannot_tell(knowledge, answer)
    )
    with contextlib.suppress(Exception):  # nor a model bug: the rules' reading stands
        if not unsure_answer:  # "hard to say, not sure" answers nothing: it asks nothing back
            reading = second_opinion(knowledge.safety.model, text, reading, doubt=not screening)
    if answer is not None:
        named = [  # not one the rules took back: "my dad had a stroke, but me, none"
            f
            for f in _screen_answer(knowledge, text, answer)
            if f not in reading.raised and f not in reading.guarded
        ]
        if named:
            unsure = tuple(f for f in reading.unsure if f not in named)
            reading = FlagReading(
                (*reading.raised, *named), unsure, reading.guarded, reading.hedged, True
            )
    raised = ordered(knowledge, reading.raised)
    unsure = tuple(f for f in ordered(knowledge, reading.unsure) if f not in raised)
    if any_emergency(knowledge, raised) and not screening:  # the screen asks them back
        # an emergency already ends the check: a likely emergency sign beside it is named
        # too, not asked back after "call now" ("my words are slurred, my vision went dark")
        urgent = [
            f for f in unsure if urgency_of(knowledge, f) == EMERGENCY and not is_crisis([f])
        ]  # a crisis is never guessed: it keeps its own question
        raised = ordered(knowledge, (*raised, *urgent))
        unsure = tuple(f for f in unsure if f not in urgent)
    return FlagReading(raised, unsure, reading.guarded, reading.hedged, reading.worded)


def _cannot_tell(knowledge: Knowledge, answer: Reading) -> bool:
    """The answer says the user cannot tell ("hard to say", "idk"): `language.skip`."""
    return any(positive(knowledge.language.skip.find(answer)))


def _screen_answer(knowledge: Knowledge, text: str, answer: Reading) -> list[str]:
    """The signs an answer to the screening question (`text`, read as `answer`) names by
    their short names (`safety.screen_words`: "weakness and numbness both"), not denied
    ("no weakness") and not asked about ("what counts as weakness?")."""
    words = knowledge.safety.screen_words
    if words is None or not text.strip() or text.rstrip().endswith("?"):
        return []
    return [h.value for h in words.find(answer) if not answer.negated[h.start]]


def ordered(knowledge: Knowledge, flags: Iterable[str]) -> tuple[str, ...]:
    """Known flag ids in the table's order (most urgent first)."""
    wanted = set(flags)
    return tuple(f for f in knowledge.red_flags if f in wanted)


def urgency_of(knowledge: Knowledge, flag: str) -> str:
    entry = knowledge.red_flags.get(flag)
    return entry.urgency if entry is not None else "doctor_soon"


def any_emergency(knowledge: Knowledge, flags: Iterable[str]) -> bool:
    return any(urgency_of(knowledge, f) == EMERGENCY for f in flags)


def is_crisis(flags: Iterable[str]) -> bool:
    return CRISIS_FLAG in flags


def yes_or_no(knowledge: Knowledge, text: str) -> bool | None:
    """A typed answer to a sign asked back: True (yes, or a hedged yes: a sign half-admitted
    is raised), False (no), None (neither)."""
    if nlu.is_no(knowledge, text):
        return False
    if nlu.is_yes(knowledge, text):
        return True
    safety: Safety = knowledge.safety
    reading = knowledge.language.read(text)
    if any(positive(safety.yes.find(reading))):
        return True
    return None


def says_more(knowledge: Knowledge, text: str) -> bool:
    """ "no but my feet feel weird": a denial that goes on, after a "but", to tell something
    sign-like (a sign raised or to ask back, or the model's opinion). The screen must not read
    it as "none"; "no but i'm tired" is none, and so is a sign the rules took back ("none,
    though i was out of breath after my run")."""
    safety: Safety = knowledge.safety
    if safety.but is None or not isinstance(text, str):
        return False
    tokens = tokenize(folded(text))  # "but" kept: the language reads it as a clause break
    reading = Reading(tokens, [False] * len(tokens), knowledge.language.negation)
    for hit in safety.but.find(reading):
        rest = " ".join(tokens[hit.end :])
        if len(tokens) - hit.end < 3:
            continue
        found = read(knowledge, rest)
        if found.raised or found.unsure:
            return True
        if safety.model is not None and opinions(safety.model, rest):
            return True
    return False


def denies_signs(knowledge: Knowledge, text: str, flags: FlagReading) -> bool:
    """ "breathing fine, swallowing fine, talking fine": words of signs, each only said to be
    fine (a word like "fine" and no "not"), none raised or to ask back."""
    if flags.raised or flags.unsure or not flags.worded or not isinstance(text, str):
        return False
    reading = knowledge.language.read(text)
    negation = knowledge.language.negation
    if any(t in negation.negators for t in reading.tokens):
        return False  # "breathing isn't great" is no denial
    return any(t in negation.post for t in reading.tokens)


# --- what the bot says ---------------------------------------------------------------------
def flag_fields(knowledge: Knowledge, flags: tuple[str, ...]) -> dict[str, Any]:
    """The reply fields of a message that names `flags` (table order): the first, all, and
    the first one's urgency."""
    first = flags[0]
    return {"red_flag": first, "red_flags": list(flags), "urgency": urgency_of(knowledge, first)}


def flag_text(
    knowledge: Knowledge, flags: tuple[str, ...], in_check: bool, zone: str | None
) -> str:
    """What the bot says about signs just raised: for an emergency, what to do comes first;
    otherwise why each sign matters, then what to do (and that the check goes on)."""
    safety: Safety = knowledge.safety
    messages = [_message(knowledge, f) for f in flags]
    level = urgency_of(knowledge, flags[0])
    if level == EMERGENCY:
        first = safety.say("emergency_first", emergency=knowledge.crisis.emergency(zone))
        return "\n\n".join([first, *messages, safety.say("emergency_end")])
    where = "continue" if in_check else "outside"
    key = f"{where}_{level}" if f"{where}_{level}" in safety.texts else f"{where}_doctor_soon"
    return "\n\n".join([*messages, safety.say(key)])


def _message(knowledge: Knowledge, flag: str) -> str:
    entry = knowledge.red_flags.get(flag)
    return entry.message.strip() if entry is not None else ""


def confirm_text(knowledge: Knowledge, flag: str) -> str:
    entry = knowledge.red_flags.get(flag)
    if entry is not None and entry.confirm:
        return entry.confirm
    label = (entry.label if entry is not None else "") or flag.replace("_", " ")
    return knowledge.safety.say("confirm_generic", label=label[:1].lower() + label[1:])


def confirm_buttons(knowledge: Knowledge, flag: str) -> list[list[Button]]:
    safety: Safety = knowledge.safety
    return [
        [
            Button(safety.say("confirm_yes"), ConfirmSign(flag, yes=True).pack()),
            Button(safety.say("confirm_no"), ConfirmSign(flag, yes=False).pack()),
        ]
    ]


def crisis_text(knowledge: Knowledge, zone: str | None, in_check: bool) -> str:
    text = knowledge.crisis.message(zone)
    if in_check:
        text += "\n\n" + knowledge.crisis.texts["check_paused"]
    return text
