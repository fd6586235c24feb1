"""knowledge.yaml `safety`: the warning-signs screening question and what is said about signs."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogs.knowledge.files import Files
from dialogs.knowledge.flag_model import FlagModel, parse_flag_model
from dialogs.knowledge.language import Language
from dialogs.knowledge.node import Node
from dialogs.knowledge.questions import Option, Question
from dialogs.knowledge.red_flags import RedFlag
from dialogs.knowledge.urgency import URGENCY_ORDER
from dialogs.text import PhraseSet

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
    yes: PhraseSet[str]  # hedged yeses that count at a confirmation ("a bit", "sort of")
    texts: Mapping[str, str]
    model: FlagModel | None = None  # the learned second opinion (dialogs/flag_model.py)
    but: PhraseSet[str] | None = None  # "but", "except": a "no" that goes on to tell something
    # short names of signs typed in answer to the screening question ("weakness", "pins and
    # needles"): that answer says the user has them (value: the flag id)
    screen_words: PhraseSet[str] | None = None

    def say(self, key: str, **values: Any) -> str:
        template = self.texts[key]
        return template.format(**values) if values else template


def parse_safety(
    node: Node,
    language: Language,
    questions: dict[str, Question],
    flags: Mapping[str, RedFlag],
    files: Files | None = None,
) -> Safety:
    """The `safety` section; gives the screening question one button per red flag (from the
    flags' labels, emergency signs first) after its own options ("None of these"): it
    replaces that question in `questions`."""
    node.only_keys("question", "yes_words", "texts", "model", "but_words", "screen_words")
    question = node.get("question").choice(set(questions))
    texts_node = node.get("texts")
    texts = {key: child.str() for key, child in texts_node.items()}
    for key in TEXTS:
        if key not in texts:
            raise texts_node.get(key).fail("missing")
    screen = questions[question]
    if screen.answer_kind != "list":
        raise node.get("question").fail(f"{question!r} must be a list question")
    known = {o.value for o in screen.options}
    ranked = sorted(flags.values(), key=lambda f: -_rank(f.urgency))
    extra = tuple(
        Option(f.id, f.label or texts["flag_label_generic"].format(flag=f.id.replace("_", " ")))
        for f in ranked
        if f.id not in known
    )
    labels = dict(screen.labels)
    for option in extra:
        labels.setdefault(" ".join(option.label.lower().split()), option.value)
    questions[question] = dataclasses.replace(screen, options=screen.options + extra, labels=labels)
    lexicon = language.lexicon
    yes = PhraseSet(((p, "yes") for p in node.get("yes_words").strs()), lexicon)
    model = None
    if node.has("model"):
        emergencies = {f.id for f in flags.values() if f.urgency == URGENCY_ORDER[-1]}
        model = parse_flag_model(node.get("model"), set(flags), files, emergencies)
    but = None
    if node.has("but_words"):
        but = PhraseSet(((p, "but") for p in node.get("but_words").strs()), lexicon)
    screen_words = None
    if node.has("screen_words"):
        entries: list[tuple[str, str]] = []
        for fid, phrases in node.get("screen_words").items():
            if fid not in flags:
                raise phrases.fail(f"unknown red flag {fid!r}")
            entries.extend((p, fid) for p in phrases.strs())
        screen_words = PhraseSet(entries, lexicon)
    return Safety(question, yes, texts, model, but, screen_words)


def _rank(level: str) -> int:
    return URGENCY_ORDER.index(level) if level in URGENCY_ORDER else 0
