"""knowledge.yaml `safety.model`: the learned second opinion on warning signs.

A classifier (`dialogs.classifier`) over the red-flag ids and `none`, trained on the files
`training` names (`data/training/red_flags.yaml`, written blind, and `red_flags_more.yaml`,
ours) and cached by a hash of the examples; `ask` and `agree` are the thresholds that
`dialogs.flag_model.second_opinion` applies.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from dialogs.classifier import Classifier, Settings, load_or_train
from dialogs.knowledge.files import Files
from dialogs.knowledge.node import Node
from dialogs.training import TrainingDataError, load_examples

NONE = "none"  # the label of messages that describe no warning sign
# Character 3- and 4-grams: as accurate as 2..5 in cross-validation (bench/red_flag_model_cv.py)
# and about half the features per message to weigh (bench/red_flag_speed.py).
SETTINGS = Settings(char_min=3, char_max=4)


@dataclass(frozen=True, slots=True)
class FlagModel:
    classifier: Classifier
    ask: float  # a flag the rules did not see, this likely: asked back
    agree: float  # a flag the rules are unsure of, this likely: raised
    min_words: int = 3  # shorter texts ("yes", "3 cups") are left to the rules
    max_parts: int = 4  # sentences read on their own besides the whole message
    min_part_words: int = 5  # ... when this long: a short fragment means little out of context


def parse_flag_model(node: Node, flag_ids: Collection[str], files: Files | None) -> FlagModel:
    """The training files (labels: the red flag ids and `none`, every one with examples)
    and the thresholds."""
    node.only_keys("training", "ask", "agree", "min_words", "max_parts", "min_part_words")
    training = node.get("training")
    if files is None:
        raise training.fail("no directory to read the training files from")
    labels = set(flag_ids) | {NONE}
    examples = []
    for item in training.list() if isinstance(training.value, list) else [training]:
        try:
            examples += load_examples(files.find(item.str()), labels)
        except TrainingDataError as error:
            raise item.fail(str(error)) from None
    missing = sorted(labels - {e.label for e in examples})
    if missing:
        raise training.fail(f"no training examples for {', '.join(missing)}")
    ask = node.get("ask").number(low=0, high=1)
    agree = node.get("agree").number(low=0, high=1)
    if agree > ask:
        raise node.get("agree").fail("`agree` must not be above `ask`")
    classifier = load_or_train(examples, files.cache, name="red_flags", settings=SETTINGS)
    return FlagModel(
        classifier,
        ask=ask,
        agree=agree,
        min_words=int(node.get("min_words", 3).number(1, 20)),
        max_parts=int(node.get("max_parts", 4).number(0, 20)),
        min_part_words=int(node.get("min_part_words", 5).number(1, 20)),
    )
