"""knowledge.yaml `questions`: the assessment's questions, their options and matchers."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from dialogs.knowledge.language import Language
from dialogs.knowledge.node import Node, require_ids
from dialogs.matchers import Matcher, build_matcher
from dialogs.text import tokenize

UNKNOWN = "unknown"  # the answer "skip", "not sure", "I don't know"


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str  # button text
    exclusive: bool = False  # in a list question: answers at once, alone (e.g. "None")


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    answer_kind: Literal["one", "list"]  # one value or a list of them (YAML: `kind`)
    text: str  # how the bot asks it
    options: tuple[Option, ...]  # the buttons (without "skip")
    retry: str = ""  # said when an answer was not understood, before the options
    matcher: Matcher | None = None
    labels: dict[str, str] = field(default_factory=dict)  # typed label -> value
    not_with: tuple[str, ...] = ()  # in passing, not from a clause naming these questions


def parse_questions(node: Node, language: Language) -> dict[str, Question]:
    out: dict[str, Question] = {}
    raw_not_with: dict[str, Node] = {}
    for q in node.list():
        qid = q.get("id").str()
        if qid in out:
            raise q.get("id").fail(f"duplicate question id {qid!r}")
        kind: Literal["one", "list"] = (
            "one" if q.get("kind").choice(("one", "list")) == "one" else "list"
        )
        options = tuple(
            Option(
                o.only_keys("value", "label", "exclusive").get("value").str(),
                o.get("label").str(),
                o.get("exclusive", False).bool(),
            )
            for o in q.get("options").list()
        )
        values = {o.value for o in options}
        labels: dict[str, str] = {}
        for o in options:
            labels[" ".join(tokenize(o.label))] = o.value
            labels[" ".join(tokenize(o.value.replace("_", " ")))] = o.value
        matcher = build_matcher(q, kind, values, language.tools)
        if q.has("not_with"):
            raw_not_with[qid] = q.get("not_with")
        out[qid] = Question(
            qid,
            kind,
            q.get("text").str(),
            options,
            q.get("retry", "").str(allow_empty=True),
            matcher,
            labels,
        )
    for qid, nw in raw_not_with.items():
        others = tuple(nw.strs())
        for i, other in enumerate(others):
            if other not in out:
                raise nw.list()[i].fail(f"unknown question {other!r}")
        asked = out[qid]
        out[qid] = dataclasses.replace(asked, not_with=others)
    return out


def values_by_question(questions: Mapping[str, Question]) -> dict[str, set[str]]:
    """Each question's option values."""
    return {qid: {o.value for o in q.options} for qid, q in questions.items()}


def check_values(node: Node, question: str, known: dict[str, set[str]]) -> frozenset[str]:
    """A value or a list of values of `question` (none when the node is empty)."""
    if node.value is None:
        return frozenset()
    nodes = node.list() if isinstance(node.value, list) else [node]
    allowed = known.get(question, set())
    require_ids(nodes, allowed, f"value of question {question!r}")
    return frozenset(n.str() for n in nodes)


def answer_values(answer: Any) -> set[str]:
    """The known values of an answer (a value or a list of them); 'unknown' is no value."""
    if answer is None:
        return set()
    items = answer if isinstance(answer, list | tuple | set | frozenset) else [answer]
    return {str(v) for v in items if v != UNKNOWN}
