"""Warning signs in the dialog: the screening question, what a reply that names signs says,
asking a sign back (`confirm`), and the crisis answer.

Recognising signs in text is `dialogs.red_flags.read_red_flags` (raised: clearly
described; unsure: to ask back). This module decides what the bot says about them; the
engine decides when (dialogs/engine.py). Wording lives in knowledge.yaml `safety` and
`crisis`; the flags' own `label`, `message` and `confirm` in `red_flags`.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dialogs import nlu
from dialogs.flag_model import FlagModel, parse_flag_model, second_opinion
from dialogs.knowledge import Node
from dialogs.red_flags import FlagReading, read_red_flags
from dialogs.text import PhraseSet, Reading, normalise, positive, tokenize
from dialogs.types import Button

__all__ = ["FlagReading", "Safety", "parse_safety", "read"]

URGENCY_ORDER = ("self_care", "doctor_routine", "doctor_soon", "emergency")
EMERGENCY = "emergency"
CRISIS_FLAG = "self_harm"
TEXTS = (
    "emergency_first",
    "emergency_end",
    "continue_doctor_soon",
    "continue_doctor_routine",
    "outside_doctor_soon",
    "outside_doctor_routine",
    "confirm_yes",
    "confirm_no",
    "confirm_retry",
    "confirm_generic",
    "confirm_no_outside",
    "flag_label_generic",
)


@dataclass(frozen=True, slots=True)
class Safety:
    question: str  # the screening question's id ("warning_signs")
    yes: PhraseSet  # hedged yeses that count at a confirmation ("a bit", "sort of")
    texts: Mapping[str, str]
    model: FlagModel | None = None  # the learned second opinion (dialogs/flag_model.py)
    but: PhraseSet | None = None  # "but", "except": a "no" that goes on to tell something

    def say(self, key: str, **values: Any) -> str:
        template = self.texts[key]
        return template.format(**values) if values else template


def parse_safety(node: Node, sections: dict[str, Any]) -> Safety:
    """The `safety` section; gives the screening question one button per red flag (from the
    flags' labels, emergency signs first) after its own options ("None of these")."""
    node.only_keys("question", "yes_words", "texts", "model", "but_words")
    questions = sections["questions"]
    question = node.get("question").choice(set(questions))
    texts_node = node.get("texts")
    texts = {key: child.str() for key, child in texts_node.items()}
    for key in TEXTS:
        if key not in texts:
            raise texts_node.get(key).fail("missing")
    flags = sections["red_flags"]
    screen = questions[question]
    if screen.kind != "list":
        raise node.get("question").fail(f"{question!r} must be a list question")
    known = {o.value for o in screen.options}
    ranked = sorted(flags.values(), key=lambda f: -_rank(getattr(f, "urgency", "")))
    extra = tuple(
        nlu.Option(
            f.id, _label(f) or texts["flag_label_generic"].format(flag=f.id.replace("_", " "))
        )
        for f in ranked
        if f.id not in known
    )
    labels = dict(screen.labels)
    for option in extra:
        labels.setdefault(" ".join(option.label.lower().split()), option.value)
    questions[question] = dataclasses.replace(screen, options=screen.options + extra, labels=labels)
    lexicon = sections["language"].lexicon
    yes = PhraseSet(((p, "yes") for p in node.get("yes_words").strs()), lexicon)
    model = None
    if node.has("model"):
        model = parse_flag_model(node.get("model"), set(flags), sections.get("files"))
    but = None
    if node.has("but_words"):
        but = PhraseSet(((p, "but") for p in node.get("but_words").strs()), lexicon)
    return Safety(question, yes, texts, model, but)


def _rank(level: str) -> int:
    return URGENCY_ORDER.index(level) if level in URGENCY_ORDER else 0


def _label(flag: Any) -> str:
    return str(getattr(flag, "label", "") or "")


# --- reading -------------------------------------------------------------------------------
def read(knowledge: Any, text: str) -> FlagReading:
    """The warning signs a message describes (raised) and those to ask back (unsure): the
    rules' reading, with the learned second opinion where the rules are silent or unsure."""
    try:
        reading = read_red_flags(knowledge, text)
    except Exception:  # a reader bug must never stop the bot answering
        return FlagReading((), ())
    with contextlib.suppress(Exception):  # nor a model bug: the rules' reading stands
        reading = second_opinion(knowledge.safety.model, text, reading)
    raised = ordered(knowledge, reading.raised)
    unsure = tuple(f for f in ordered(knowledge, reading.unsure) if f not in raised)
    return FlagReading(raised, unsure, reading.guarded, reading.hedged)


def ordered(knowledge: Any, flags: Iterable[str]) -> tuple[str, ...]:
    """Known flag ids in the table's order (most urgent first)."""
    wanted = set(flags)
    return tuple(f for f in knowledge.red_flags if f in wanted)


def urgency_of(knowledge: Any, flag: str) -> str:
    return str(getattr(knowledge.red_flags.get(flag), "urgency", "doctor_soon"))


def any_emergency(knowledge: Any, flags: Iterable[str]) -> bool:
    return any(urgency_of(knowledge, f) == EMERGENCY for f in flags)


def is_crisis(flags: Iterable[str]) -> bool:
    return CRISIS_FLAG in flags


def yes_or_no(knowledge: Any, text: str) -> bool | None:
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


def says_more(knowledge: Any, text: str) -> bool:
    """ "no but my feet feel weird": a denial that goes on, after a "but", to tell something
    sign-like (words of a sign, even one taken back, or the model's opinion). The screen must
    not read it as "none"; "no but i'm tired" is none."""
    safety: Safety = knowledge.safety
    if safety.but is None or not isinstance(text, str):
        return False
    tokens = tokenize(normalise(text))  # "but" kept: the language reads it as a clause break
    reading = Reading(tokens, [False] * len(tokens), knowledge.language.negation)
    for hit in safety.but.find(reading):
        rest = " ".join(tokens[hit.end :])
        if len(tokens) - hit.end < 3:
            continue
        found = read(knowledge, rest)
        if found.raised or found.unsure or found.guarded:
            return True
        if safety.model is not None and safety.model.opinions(rest):
            return True
    return False


# --- what the bot says ---------------------------------------------------------------------
def flag_fields(knowledge: Any, flags: tuple[str, ...]) -> dict[str, Any]:
    """The reply fields of a message that names `flags` (table order): the first, all, and
    the first one's urgency."""
    first = flags[0]
    return {"red_flag": first, "red_flags": list(flags), "urgency": urgency_of(knowledge, first)}


def flag_text(knowledge: Any, flags: tuple[str, ...], in_check: bool, zone: str | None) -> str:
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


def _message(knowledge: Any, flag: str) -> str:
    return str(getattr(knowledge.red_flags.get(flag), "message", "") or "").strip()


def confirm_text(knowledge: Any, flag: str) -> str:
    entry = knowledge.red_flags.get(flag)
    text = str(getattr(entry, "confirm", "") or "")
    if text:
        return text
    label = _label(entry) or flag.replace("_", " ")
    return knowledge.safety.say("confirm_generic", label=label[:1].lower() + label[1:])


def confirm_buttons(knowledge: Any, flag: str) -> list[list[Button]]:
    safety: Safety = knowledge.safety
    return [
        [
            Button(safety.say("confirm_yes"), f"cfm:{flag}:yes"),
            Button(safety.say("confirm_no"), f"cfm:{flag}:no"),
        ]
    ]


def crisis_text(knowledge: Any, zone: str | None, in_check: bool) -> str:
    text = knowledge.crisis.message(zone)
    if in_check:
        text += "\n\n" + knowledge.crisis.texts["check_paused"]
    return text
