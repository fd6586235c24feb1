"""knowledge.yaml: loaded once, validated, turned into typed objects.

`node` holds the YAML tree with its paths (`Node`, `KnowledgeError`); each section has its
schema module (`language`, `questions`, `red_flags`, ..., `conversation`: frozen dataclasses and
a `parse_<section>` function); `loader` parses them in order into one `Knowledge`. Section
modules never import the behaviour modules of dialogs/ (which import them).
"""

from __future__ import annotations

from dialogs.knowledge.files import DEFAULT_PATH, Files
from dialogs.knowledge.loader import Knowledge, load_knowledge, parse_knowledge
from dialogs.knowledge.messages import Messages, parse_messages
from dialogs.knowledge.node import KnowledgeError, Node, require_ids

__all__ = [
    "DEFAULT_PATH",
    "Files",
    "Knowledge",
    "KnowledgeError",
    "Messages",
    "Node",
    "load_knowledge",
    "parse_knowledge",
    "parse_messages",
    "require_ids",
]
