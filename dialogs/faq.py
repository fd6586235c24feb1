"""The FAQ: free questions matched to entries. STUB: interface fixed, logic being built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dialogs.knowledge import Node


@dataclass(slots=True)
class FaqAnswer:
    faq_id: str | None  # None: no entry matched well enough (or out of scope)
    text: str
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (faq id, button label)


def parse_faq(node: Node, sections: dict[str, Any]) -> Any:
    return node.value


def answer(knowledge: Any, question: str) -> FaqAnswer:
    """Answer a free question, or say honestly that it is not known, offering close topics."""
    return FaqAnswer(None, "I don't know that one yet.")


def answer_by_id(knowledge: Any, faq_id: str) -> FaqAnswer | None:
    """The answer of one entry (a pressed topic button); None for an unknown id."""
    return None
