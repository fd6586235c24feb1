"""Understanding free text: answers to the questions, skips, corrections, red flags.

STUB: the interface is fixed (the engine calls `interpret`); the matchers are being built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from dialogs.knowledge import Node


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str  # button text


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    kind: Literal["one", "list"]
    text: str  # how the bot asks it
    options: tuple[Option, ...]  # the buttons (without "skip")
    retry: str = ""  # said when an answer was not understood, before the options


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    urgency: str  # "emergency" | "doctor_soon"
    message: str  # what the bot says when it hears it


@dataclass(slots=True)
class Understood:
    question: str
    value: str | list[str]  # a value id, a list of them, or "unknown"
    detail: dict[str, Any] = field(default_factory=dict)  # e.g. {"mg": 390, "hours": 4}


@dataclass(slots=True)
class Interpretation:
    """What one message says. `answers` holds the asked question's answer (if understood),
    others answered in passing (only questions not answered yet) and corrections of
    answered ones; the engine stores them all."""

    answers: list[Understood] = field(default_factory=list)
    skipped: bool = False  # "skip", "not sure", "I don't know": the asked question -> unknown
    red_flags: list[str] = field(default_factory=list)


def parse_language(node: Node, sections: dict[str, Any]) -> Any:
    return node.value


def parse_questions(node: Node, sections: dict[str, Any]) -> dict[str, Question]:
    out = {}
    for q in node.list():
        options = tuple(Option(o.get("value").str(), o.get("label").str())
                        for o in q.get("options").list())
        out[q.get("id").str()] = Question(q.get("id").str(), q.get("kind").value,
                                          q.get("text").str(), options)
    return out


def parse_red_flags(node: Node, sections: dict[str, Any]) -> dict[str, RedFlag]:
    return {}


def interpret(knowledge: Any, text: str, asking: str | None,
              answered: dict[str, Any]) -> Interpretation:
    """Read `text`, sent while the bot is asking `asking` (None outside an assessment).
    `answered` maps the questions answered so far to their values."""
    result = Interpretation()
    if text.strip().lower() in {"skip", "not sure", "i don't know", "idk"}:
        result.skipped = True
    elif asking:
        q = knowledge.questions[asking]
        for o in q.options:
            if o.value in text.lower() or o.label.lower() in text.lower():
                result.answers.append(
                    Understood(asking, [o.value] if q.kind == "list" else o.value))
                break
    return result


def red_flags(knowledge: Any, text: str) -> list[str]:
    """Red-flag ids described in `text` (negated mentions excepted), for any message."""
    return interpret(knowledge, text, None, {}).red_flags


def is_yes(knowledge: Any, text: str) -> bool:
    """A confirmation such as "yes", "yep", "delete it"."""
    return text.strip().lower() in {"yes", "y", "yep", "sure", "ok", "delete"}


def is_no(knowledge: Any, text: str) -> bool:
    return text.strip().lower() in {"no", "n", "nope", "cancel", "keep"}
