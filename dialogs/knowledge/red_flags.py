"""knowledge.yaml `red_flags`: the warning signs, most urgent first (CONTRACT.md's table order).

A flag's `signs` are combinations of `sign_words` concepts; its own `phrases`, `unsure_phrases`
and `named` become concepts of their own, added to the compiled `sign_words.concepts`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from dialogs.knowledge.language import Language
from dialogs.knowledge.node import Node
from dialogs.knowledge.sign_words import SignWords
from dialogs.text import Lexicon, PhraseSet, phrase_words

URGENCIES = ("emergency", "doctor_soon", "doctor_routine")
SCOPES = ("clause", "sentence", "message")


@dataclass(frozen=True, slots=True)
class Sign:
    """A combination of concepts that together describe a flag."""

    concepts: tuple[str, ...]
    scope: str = "clause"  # where all of them must be found: clause, sentence or message
    unsure: bool = False  # only likely: asked back
    named: bool = False  # the flag's name ("a stroke"): asked back in a question or a worry
    needs: tuple[str, ...] = ()  # as the flag's `needs`, for this sign only
    ordinary: tuple[str, ...] = ()  # as the flag's `ordinary`, for this sign only


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    urgency: str
    label: str  # button text for the warning_signs question
    message: str  # what the bot says when it hears it
    confirm: str  # the ask-back question
    signs: tuple[Sign, ...] = ()
    needs: tuple[str, ...] = ()  # without one of these concepts in the message: only unsure
    ordinary: tuple[str, ...] = ()  # in the same sentence: an ordinary cause, nothing
    doubt: tuple[str, ...] = ()  # in the same sentence: asked back
    unless: tuple[str, ...] = ()  # these cancel `ordinary` and `doubt` ("even at rest")
    before: bool = False  # about what came before the twitching (an injury): "last year" counts
    rhetorical: bool = False  # said as a question it may still be meant ("what's the point?")
    # questions a message with this sign does not answer in passing: "the cramp went on for
    # half an hour" is how long the cramp lasted, not how long the twitching has gone on
    claims: tuple[str, ...] = ()
    # an episode that is over still counts ("i had a fit, i'm ok now": a first fit needs a doctor)
    over_counts: bool = False


def _question_ids(item: Node, questions: Collection[str]) -> tuple[str, ...]:
    if not item.has("claims"):
        return ()
    ids = []
    for child in item.get("claims").list():
        qid = child.str()
        if qid not in questions:
            raise child.fail(f"unknown question {qid!r}")
        ids.append(qid)
    return tuple(ids)


def _sign(node: Node, known: set[str], unsure: bool = False) -> Sign:
    """A sign: a list of concepts, or {all, scope, unsure, needs, ordinary}."""
    if isinstance(node.value, list):
        return Sign(_concept_names(node, None, known), unsure=unsure)
    node.only_keys("all", "scope", "unsure", "needs", "ordinary")
    return Sign(
        _concept_names(node, "all", known),
        node.get("scope", "clause").choice(SCOPES),
        unsure or node.get("unsure", False).bool(),
        needs=_concept_names(node, "needs", known),
        ordinary=_concept_names(node, "ordinary", known),
    )


def _concept_names(node: Node, key: str | None, known: set[str]) -> tuple[str, ...]:
    if key is not None and not node.has(key):
        return ()
    names = node.get(key) if key is not None else node
    for place in names.list():
        if place.str() not in known:
            raise place.fail(f"unknown concept {place.value!r} (sign_words.concepts)")
    return tuple(names.strs(unique=False))  # "all": a concept twice is two of it


def parse_red_flags(
    node: Node, language: Language, words: SignWords, questions: Collection[str] = ()
) -> dict[str, RedFlag]:
    lexicon: Lexicon = language.lexicon
    entries: list[tuple[str, str]] = list(words.entries)
    known = {name for _, name in entries}
    if words.minutes:
        known.add(words.minutes[0])
    if words.pulse:
        known.add(words.pulse.concept)
    out: dict[str, RedFlag] = {}
    items = node.list()
    for item in items:
        item.only_keys(
            "id", "urgency", "label", "message", "confirm", "phrases", "unsure_phrases",
            "named", "signs", "unsure_signs", "needs", "ordinary", "doubt", "unless", "before",
            "rhetorical", "claims", "over_counts",
        )  # fmt: skip
        fid = item.get("id").str()
        if fid in out:
            raise item.get("id").fail(f"duplicate red flag {fid!r}")
        signs: list[Sign] = []
        for key, unsure, named in (
            ("phrases", False, False),
            ("unsure_phrases", True, False),
            ("named", False, True),
        ):
            if item.has(key):
                concept = f"{fid}:{key}"
                entries.extend((p, concept) for p in item.get(key).strs())
                known.add(concept)
                signs.append(Sign((concept,), "clause", unsure, named))
        for key, unsure in (("signs", False), ("unsure_signs", True)):
            if item.has(key):
                signs.extend(_sign(s, known, unsure) for s in item.get(key).list())
        if not signs:
            raise item.fail("a red flag needs phrases or signs")
        out[fid] = RedFlag(
            id=fid,
            urgency=item.get("urgency").choice(URGENCIES),
            label=item.get("label").str(),
            message=item.get("message").str(),
            confirm=item.get("confirm").str(),
            signs=tuple(signs),
            needs=_concept_names(item, "needs", known),
            ordinary=_concept_names(item, "ordinary", known),
            doubt=_concept_names(item, "doubt", known),
            unless=_concept_names(item, "unless", known),
            before=item.get("before", False).bool(),
            rhetorical=item.get("rhetorical", False).bool(),
            claims=_question_ids(item, questions),
            over_counts=item.get("over_counts", False).bool(),
        )
    rank = {u: i for i, u in enumerate(URGENCIES)}
    for i, (item, flag) in enumerate(zip(items, out.values(), strict=True)):
        before = list(out.values())[i - 1] if i else None
        if before is not None and rank[flag.urgency] < rank[before.urgency]:
            raise item.get("urgency").fail(
                f"red flags go most urgent first: {flag.id!r} ({flag.urgency}) comes after "
                f"{before.id!r} ({before.urgency})"
            )
    object.__setattr__(words, "concepts", PhraseSet(entries, lexicon))
    vocabulary = {w for phrase, _ in entries for w in phrase_words(phrase) if w.isalpha()}
    object.__setattr__(words, "vocabulary", frozenset(vocabulary))
    return out
