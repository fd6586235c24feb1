"""Reading knowledge.yaml: every section parsed by its schema module, into one typed `Knowledge`.

The sections are parsed in dependency order (a later one may use earlier ones: the questions
use the language's tools, `safety` adds the red flags to the screening question, the causes
name tailoring facts...); the result has one typed field per section, in the file's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from dialogs.knowledge.causes import Cause, parse_causes
from dialogs.knowledge.conversation import Conversation, parse_conversation
from dialogs.knowledge.crisis import Crisis, parse_crisis
from dialogs.knowledge.diary import DiaryKnowledge, parse_diary
from dialogs.knowledge.faq import FaqBook, parse_faq
from dialogs.knowledge.files import DEFAULT_PATH, Files
from dialogs.knowledge.language import Language, parse_language
from dialogs.knowledge.messages import Messages, parse_messages
from dialogs.knowledge.meta import Meta, parse_meta
from dialogs.knowledge.node import KnowledgeError, Node
from dialogs.knowledge.questions import Question, parse_questions
from dialogs.knowledge.red_flags import RedFlag, parse_red_flags
from dialogs.knowledge.reminders import ReminderKnowledge, parse_reminders
from dialogs.knowledge.safety import Safety, parse_safety
from dialogs.knowledge.sign_words import SignWords, parse_sign_words
from dialogs.knowledge.tailoring import Tailoring, parse_tailoring
from dialogs.knowledge.urgency import Urgency, parse_urgency

# libyaml's C parser when PyYAML was built with it (about 10x faster to load), else Python.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SECTIONS = (
    "meta", "messages", "language", "questions", "red_flags", "sign_words", "safety", "crisis",
    "tailoring", "causes", "urgency", "faq", "reminders", "diary", "conversation",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything the engine knows, typed; built once at start-up (one field per section)."""

    meta: Meta
    messages: Messages
    language: Language
    questions: dict[str, Question]  # the screening question carries the red flags' buttons
    red_flags: dict[str, RedFlag]  # most urgent first
    sign_words: SignWords
    safety: Safety
    crisis: Crisis
    tailoring: Tailoring
    causes: dict[str, Cause]
    urgency: Urgency
    faq: FaqBook
    reminders: ReminderKnowledge
    diary: DiaryKnowledge
    conversation: Conversation


def load_knowledge(path: str | Path | None = None, cache_dir: Path | None = None) -> Knowledge:
    """Read and validate knowledge.yaml (default: beside the package; the bot passes BOT_KNOWLEDGE).
    Trained models are cached in `cache_dir` (default: `.cache` beside the package)."""
    path = Path(path or DEFAULT_PATH)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KnowledgeError(f"cannot read {path}: {error.strerror or error}") from None
    base = path.resolve().parent
    return parse_knowledge(text, Files(base, cache_dir or DEFAULT_PATH.parent / ".cache"))


def parse_knowledge(text: str, files: Files | None = None) -> Knowledge:
    try:
        raw = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(error, "problem", None) or str(error)
        raise KnowledgeError(f"knowledge.yaml is not valid YAML{at}: {problem}") from None
    root = Node(raw, "")
    root.mapping()
    root.only_keys(*SECTIONS)
    files = files or Files()
    messages = parse_messages(root.get("messages"))
    language = parse_language(root.get("language"))
    questions = parse_questions(root.get("questions"), language)
    sign_words = parse_sign_words(root.get("sign_words"), language)
    red_flags = parse_red_flags(root.get("red_flags"), language, sign_words, questions)
    safety = parse_safety(root.get("safety"), language, questions, red_flags, files)
    crisis = parse_crisis(root.get("crisis"))
    tailoring = parse_tailoring(root.get("tailoring"), questions)
    causes = parse_causes(root.get("causes"), questions, tailoring)
    urgency = parse_urgency(root.get("urgency"), questions, tailoring)
    return Knowledge(
        meta=parse_meta(root.get("meta", None)),
        messages=messages,
        language=language,
        questions=questions,
        red_flags=red_flags,
        sign_words=sign_words,
        safety=safety,
        crisis=crisis,
        tailoring=tailoring,
        causes=causes,
        urgency=urgency,
        faq=parse_faq(root.get("faq"), causes, files),
        reminders=parse_reminders(root.get("reminders"), causes, files.cache),
        diary=parse_diary(root.get("diary"), language, questions),
        conversation=parse_conversation(root.get("conversation"), files),
    )
