"""knowledge.yaml `safety.model`: the learned second opinion on warning signs.

A classifier (`dialogs.classifier`) over the red-flag ids and `none`, trained on the files
`training` names (`data/training/red_flags.yaml`, written blind, and `red_flags_more.yaml`,
ours) and cached by a hash of the examples; `ask` and `agree` are the thresholds that
`dialogs.flag_model.second_opinion` applies.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from dialogs.classifier import Classifier, Settings, cache_key, load_or_train
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
    # a flag the rules found and took back (a guard), this likely: asked back (1: never)
    overrule: float = 1.0
    min_words: int = 3  # shorter texts ("yes", "3 cups") are left to the rules
    max_parts: int = 4  # sentences read on their own besides the whole message
    min_part_words: int = 5  # ... when this long: a short fragment means little out of context
    # below this likelihood of any sign at all (whole message and every sentence), a flag the
    # rules only suspected is not asked back, and one they raised is asked back instead
    dismiss: float = 0.0
    doubt: float = 0.0
    keep: frozenset[str] = frozenset()  # flags the model never dismisses nor doubts (a crisis)
    # below this likelihood of any sign at all, a flag of `vetoable` (never an emergency) the
    # rules raised is dropped rather than asked back: the rules misread an ordinary cause
    veto: float = 0.0
    vetoable: frozenset[str] = frozenset()
    veto_words: int = 0  # ... in a message of at least this many words (a short one is asked)
    # an emergency sign (`urgent`: the emergencies, from the red-flag table) is asked back
    # sooner: seen by the model alone at `urgent_ask`, or taken back by a guard, `urgent_overrule`
    urgent: frozenset[str] = frozenset()
    urgent_ask: float = 1.0
    urgent_overrule: float = 1.0
    max_read: int = 12  # a message of more sentences than this is never dismissed nor doubted
    key: str = ""  # the hash of its examples and settings: its cache and shipped file's name


def parse_flag_model(
    node: Node, flag_ids: Collection[str], files: Files | None, emergencies: Collection[str] = ()
) -> FlagModel:
    """The training files (labels: the red flag ids and `none`, every one with examples)
    and the thresholds; `emergencies` (flag ids) may never be vetoed."""
    node.only_keys(
        "training", "ask", "agree", "min_words", "max_parts", "min_part_words", "dismiss",
        "doubt", "keep", "max_read", "overrule", "veto", "vetoable", "veto_words", "urgent_ask",
        "urgent_overrule",
    )  # fmt: skip
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
    overrule = node.get("overrule", 1.0).number(low=0, high=1)
    if overrule < ask:
        raise node.get("overrule").fail("`overrule` must not be below `ask`")
    dismiss = node.get("dismiss", 0.0).number(low=0, high=1)
    doubt = node.get("doubt", 0.0).number(low=0, high=1)
    if dismiss > doubt:
        raise node.get("dismiss").fail("`dismiss` must not be above `doubt`")
    kept = _flag_ids(node, "keep", flag_ids)
    urgent_ask = node.get("urgent_ask", ask).number(low=agree, high=ask)
    urgent_overrule = node.get("urgent_overrule", overrule).number(low=urgent_ask, high=overrule)
    veto = node.get("veto", 0.0).number(low=0, high=1)
    if veto > dismiss:
        raise node.get("veto").fail("`veto` must not be above `dismiss`")
    vetoable = _flag_ids(node, "vetoable", flag_ids, never=kept | set(emergencies))
    key = cache_key(examples, SETTINGS)
    classifier = load_or_train(
        examples, files.cache, name="red_flags", settings=SETTINGS, shipped=files.shipped, key=key
    )
    return FlagModel(
        classifier,
        ask=ask,
        agree=agree,
        overrule=overrule,
        min_words=int(node.get("min_words", 3).number(1, 20)),
        max_parts=int(node.get("max_parts", 4).number(0, 20)),
        min_part_words=int(node.get("min_part_words", 5).number(1, 20)),
        dismiss=dismiss,
        doubt=doubt,
        keep=kept,
        veto=veto,
        vetoable=vetoable,
        veto_words=int(node.get("veto_words", 0).number(0, 50)),
        urgent=frozenset(emergencies) & frozenset(flag_ids),
        urgent_ask=urgent_ask,
        urgent_overrule=urgent_overrule,
        max_read=int(node.get("max_read", 12).number(1, 50)),
        key=key,
    )


def _flag_ids(
    node: Node, key: str, flag_ids: Collection[str], never: Collection[str] = ()
) -> frozenset[str]:
    """The red-flag ids listed under `key` (none when absent); an unknown one, or one of
    `never` (a crisis kept, an emergency never vetoed), fails naming its place."""
    out: set[str] = set()
    for item in node.get(key).list() if node.has(key) else []:
        if item.str() not in flag_ids:
            raise item.fail(f"unknown red flag {item.str()!r}")
        if item.str() in never:
            raise item.fail(f"{item.str()!r} is kept or an emergency: it may never be vetoed")
        out.add(item.str())
    return frozenset(out)
