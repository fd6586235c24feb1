"""A learned second opinion on warning signs, beside the rules of `dialogs.red_flags`.

The model (`dialogs.knowledge.flag_model.FlagModel`, knowledge.yaml `safety.model`) is a small
text classifier over the red-flag ids and `none` (word and character n-grams, a calibrated
linear SVM, plain Python at run time), trained on blind-written examples and our own.

It adds caution, and takes caution back only where it finds no sign at all in the message:
- where the rules are silent (no sign of that flag was found at all, not even one a guard took
  back) but the message uses words of warning signs, a flag the model is confident of
  (probability >= `ask`; an emergency, sooner: `urgent_ask`) is asked back (`unsure`); "I
  live in Leeds" asks nothing, whatever its letters look like, unless the model is nearly
  sure (>= `overrule`: "i fitted for 2 mins, ambulance came" has no word the rules know);
- where the rules are unsure of a flag because of what was said (a weaker sign, a context
  missing) and the model agrees (>= `agree`), it is raised; one asked back because of how it
  was said (a question, a worry, another person: when?) stays asked back;
- a flag the rules found and took back (a figure of speech, a negation, a question, another
  person, the past) stays taken back: the rules looked and said no; unless the model is
  nearly sure of it (>= `overrule`; an emergency `urgent_overrule`), then it is asked
  back: the guards misread some real signs ("thoughts of taking his own life", typed by a
  parent for a son), and a question costs a person without the sign one tap;
- what the rules raised stays raised, unless the model finds no sign at all (below `doubt`):
  then it is asked back instead, or, far below (`veto`) and not an emergency (`vetoable`:
  "my arm went dead because he lay on it all night"), dropped; one they only suspected is not
  asked when the model finds no sign at all (below `dismiss`) (`_doubted`); a crisis (`keep`)
  is never doubted.

The model reads the whole message and, when it has several sentences, each of them (a sign in
one sentence among many is diluted in the whole), up to `max_parts`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from dialogs.classifier import words
from dialogs.knowledge.flag_model import NONE, FlagModel
from dialogs.red_flags import FlagReading

__all__ = ["NONE", "FlagModel", "opinions", "second_opinion", "sign_likelihood"]

_PARTS = re.compile(r"[^.!?\n;]+")


Ranker = Callable[[str], list[tuple[str, float]]]


def _sentences(text: str, least: int) -> list[str]:
    """The sentences of `text` (its first 2,000 characters) of at least `least` words."""
    return [p for p in _PARTS.findall(text[:2000]) if len(words(p)) >= least]


def opinions(model: FlagModel, text: str, rank: Ranker | None = None) -> dict[str, float]:
    """The flags the model sees in `text` (whole, and sentence by sentence), each with its
    highest probability; `none` and flags below `agree` are left out."""
    rank = rank or model.classifier.rank
    out: dict[str, float] = {}
    parts = [text]
    sentences = _sentences(text, max(model.min_words, model.min_part_words))
    if len(sentences) > 1:
        parts += sentences[: model.max_parts]
    for part in parts:
        if len(words(part)) < model.min_words:
            continue
        for label, p in rank(part)[:2]:
            if label != NONE and p >= model.agree and p > out.get(label, 0.0):
                out[label] = p
    return out


def sign_likelihood(model: FlagModel, text: str, rank: Ranker | None = None) -> float | None:
    """How likely the model finds that `text` describes any warning sign at all: the highest
    1 - p(none) over the whole message and each of its sentences; None when it cannot say
    (too short to read, or too many sentences to read them all)."""
    if len(text) > 2000 or len(words(text)) < model.min_words:
        return None
    rank = rank or model.classifier.rank
    sentences = _sentences(text, model.min_words)
    if len(sentences) > model.max_read:
        return None
    likely = 0.0
    for part in [text, *sentences] if len(sentences) > 1 else [text]:
        none = dict(rank(part)).get(NONE, 0.0)
        likely = max(likely, 1.0 - none)
    return likely


def second_opinion(
    model: FlagModel | None, text: str, rules: FlagReading, doubt: bool = True
) -> FlagReading:
    """The rules' reading with the model's opinion added (see the module's doc); flags in
    the rules' order are kept, the model's are appended (the caller orders them). Not
    `doubt`: the model never doubts what the rules found (an answer to the warning-signs
    question names the user's signs; the model learned from free messages)."""
    if model is None or not isinstance(text, str) or not text.strip():
        return rules
    rank = functools.cache(model.classifier.rank)  # the whole message is read by both
    if doubt:
        rules = _doubted(model, text, rules, rank)
    seen = opinions(model, text, rank)
    if not seen:
        return rules
    raised = list(rules.raised)
    unsure = list(rules.unsure)
    for flag, p in seen.items():
        if flag in raised:
            continue
        urgent = flag in model.urgent  # an emergency is asked back sooner
        ask = model.urgent_ask if urgent else model.ask
        overrule = model.urgent_overrule if urgent else model.overrule
        if flag in rules.guarded:
            if p >= overrule and flag not in unsure:  # the guard may have misread it
                unsure.append(flag)
            continue
        if flag in unsure:
            if p >= model.agree and flag not in rules.hedged:  # rules and model agree
                unsure.remove(flag)
                raised.append(flag)
        elif p >= ask and (rules.worded or p >= model.overrule):
            unsure.append(flag)
    return FlagReading(tuple(raised), tuple(unsure), rules.guarded, rules.hedged, rules.worded)


def _doubted(model: FlagModel, text: str, rules: FlagReading, rank: Ranker) -> FlagReading:
    """Where the model finds no sign at all (below `dismiss`), a flag the rules only
    suspected is not asked back; below `doubt`, one they raised is asked back instead of
    raised; below `veto`, a raised flag of `vetoable` (never an emergency) is dropped. Never
    a flag of `keep` (a crisis is always answered)."""
    if not model.doubt or not (set(rules.raised) | set(rules.unsure)) - model.keep:
        return rules
    likely = sign_likelihood(model, text, rank)
    if likely is None or likely >= model.doubt:
        return rules
    dismissed = [f for f in rules.unsure if f not in model.keep] if likely < model.dismiss else []
    doubted = [f for f in rules.raised if f not in model.keep]
    # a short message is only asked back: the model reads "weakness in my left leg" as the
    # start of "no weakness in my legs"
    vetoing = likely < model.veto and len(words(text)) >= model.veto_words
    vetoed = [f for f in doubted if f in model.vetoable] if vetoing else []
    raised = tuple(f for f in rules.raised if f not in doubted)
    unsure = tuple(f for f in (*rules.unsure, *doubted) if f not in dismissed and f not in vetoed)
    taken_back = (*rules.guarded, *dismissed, *vetoed)
    return FlagReading(raised, unsure, taken_back, rules.hedged, rules.worded)
