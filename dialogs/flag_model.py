"""A learned second opinion on warning signs, beside the rules of `dialogs.red_flags`.

A small text classifier (`dialogs.classifier`: word and character n-grams, a calibrated linear
SVM, plain Python at run time) is trained on labelled examples, one label per red flag plus
`none` (knowledge.yaml `safety.model.training`, e.g. `data/training/red_flags.yaml`, written
blind, and `red_flags_more.yaml`, our additions), and cached by a hash of the examples.

It only ever adds caution, and never silently:
- where the rules are silent (no sign of that flag was found at all, not even one a guard took
  back), a flag the model is confident of (probability >= `ask`) is asked back (`unsure`);
- where the rules are unsure of a flag because of what was said (a weaker sign, a context
  missing) and the model agrees (>= `agree`), it is raised; one asked back because of how it
  was said (a question, a worry, another person: when?) stays asked back;
- a flag the rules found and took back (a figure of speech, a negation, a question, another
  person, the past) stays taken back: the rules looked and said no;
- what the rules raised always stays raised.

The model reads the whole message and, when it has several sentences, each of them (a sign in
one sentence among many is diluted in the whole), up to `max_parts`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from dialogs.classifier import Classifier, Settings, load_or_train, words
from dialogs.knowledge import Node
from dialogs.red_flags import FlagReading
from dialogs.training import TrainingDataError, load_examples

NONE = "none"  # the label of messages that describe no warning sign
# Character 3- and 4-grams: as accurate as 2..5 in cross-validation (bench/red_flag_model_cv.py)
# and about half the features per message to weigh (bench/red_flag_speed.py).
SETTINGS = Settings(char_min=3, char_max=4)
_PARTS = re.compile(r"[^.!?\n;]+")


@dataclass(frozen=True, slots=True)
class FlagModel:
    classifier: Classifier
    ask: float  # a flag the rules did not see, this likely: asked back
    agree: float  # a flag the rules are unsure of, this likely: raised
    min_words: int = 3  # shorter texts ("yes", "3 cups") are left to the rules
    max_parts: int = 4  # sentences read on their own besides the whole message

    def opinions(self, text: str) -> dict[str, float]:
        """The flags the model sees in `text` (whole, and sentence by sentence), each with
        its highest probability; `none` and flags below `agree` are left out."""
        out: dict[str, float] = {}
        parts = [text]
        sentences = [p for p in _PARTS.findall(text[:2000]) if len(words(p)) >= self.min_words]
        if len(sentences) > 1:
            parts += sentences[: self.max_parts]
        for part in parts:
            if len(words(part)) < self.min_words:
                continue
            for label, p in self.classifier.rank(part)[:2]:
                if label != NONE and p >= self.agree and p > out.get(label, 0.0):
                    out[label] = p
        return out


def parse_flag_model(node: Node, flag_ids: Collection[str], files: Any) -> FlagModel:
    """knowledge.yaml `safety.model`: the training files (labels: the red flag ids and
    `none`, every one with examples) and the thresholds."""
    node.only_keys("training", "ask", "agree", "min_words", "max_parts")
    training = node.get("training")
    labels = set(flag_ids) | {NONE}
    examples = []
    for item in training.list() if isinstance(training.value, list) else [training]:
        path = files.find(item.str()) if files is not None else None
        if path is None:
            raise item.fail("no directory to read the training files from")
        try:
            examples += load_examples(path, labels)
        except TrainingDataError as error:
            raise item.fail(str(error)) from None
    missing = sorted(labels - {e.label for e in examples})
    if missing:
        raise training.fail(f"no training examples for {', '.join(missing)}")
    ask = node.get("ask").number(low=0, high=1)
    agree = node.get("agree").number(low=0, high=1)
    if agree > ask:
        raise node.get("agree").fail("`agree` must not be above `ask`")
    classifier = load_or_train(
        examples, getattr(files, "cache", None), name="red_flags", settings=SETTINGS
    )
    return FlagModel(
        classifier,
        ask=ask,
        agree=agree,
        min_words=int(node.get("min_words", 3).number(1, 20)),
        max_parts=int(node.get("max_parts", 4).number(0, 20)),
    )


def second_opinion(model: FlagModel | None, text: str, rules: FlagReading) -> FlagReading:
    """The rules' reading with the model's opinion added (see the module's doc); flags in
    the rules' order are kept, the model's are appended (the caller orders them)."""
    if model is None or not isinstance(text, str) or not text.strip():
        return rules
    opinions = model.opinions(text)
    if not opinions:
        return rules
    raised = list(rules.raised)
    unsure = list(rules.unsure)
    for flag, p in opinions.items():
        if flag in raised or flag in rules.guarded:
            continue
        if flag in unsure:
            if p >= model.agree and flag not in rules.hedged:  # rules and model agree
                unsure.remove(flag)
                raised.append(flag)
        elif p >= model.ask:
            unsure.append(flag)
    return FlagReading(tuple(raised), tuple(unsure), rules.guarded)
