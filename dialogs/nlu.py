"""Understanding free text: answers to the questions, skips, corrections, red flags.

The words are data (knowledge.yaml `language`, `questions`, `red_flags`); this module holds
the mechanisms: it reads a message once (tokens, typo repair, negation scope) and hands it
to the matcher of each question (dialogs/matchers), and to the red-flag phrases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dialogs.knowledge import Knowledge
from dialogs.knowledge.language import Language
from dialogs.knowledge.questions import UNKNOWN, Question
from dialogs.matchers import Found
from dialogs.red_flags import read_red_flags
from dialogs.text import (
    Reading,
    folded,
    positive,
)


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
    red_flags: list[str] = field(default_factory=list)  # every sign described, most urgent first
    unsure_flags: list[str] = field(default_factory=list)  # signs to ask back, most urgent first


# --- reading ---------------------------------------------------------------------------


def interpret(
    knowledge: Knowledge,
    text: str,
    asking: str | None,
    answered: dict[str, Any],
    now: datetime | None = None,
) -> Interpretation:
    """Read `text`, sent while the bot is asking `asking` (None outside an assessment).
    `answered` maps the questions answered so far to their values. `now` (optional, the
    user's local time if known) lets "since january" become a duration."""
    result = Interpretation()
    if not isinstance(text, str) or not text.strip():
        return result
    language: Language = knowledge.language
    questions: dict[str, Question] = knowledge.questions
    reading = language.read(text, now)
    flags = read_red_flags(knowledge, text)
    result.red_flags = list(flags.raised)
    result.unsure_flags = list(flags.unsure)
    skips = list(positive(language.skip.find(reading)))
    core = reading.without(skips) if skips else reading
    if asking in questions:
        question = questions[asking]
        found = _by_label(question, reading)
        current = language.current(core)
        if found is None and current is not None:
            found = _read(question, current, asked=True)
            found = found if found is not None and found.value else None
        found = found or _read(question, core, asked=True)
        if found is not None and found.value:
            result.answers.append(Understood(asking, found.value, found.detail))
        elif skips:
            result.skipped = True
    clauses = core.clauses(language.clause_words, language.clause_keep)
    claimed = _claimed(questions.get(asking) if asking else None, core)
    cues = {
        qid: _cued(q, core, clauses, set() if qid == asking else claimed)
        for qid, q in questions.items()
    }
    signs = knowledge.red_flags
    named = [f for f in flags.raised + flags.unsure if f in signs]
    claimed_by_signs = {q for f in named for q in signs[f].claims}
    for qid, question in questions.items():
        if qid == asking or not cues[qid] or qid in claimed_by_signs:
            continue
        spans = [c for c in cues[qid] if not any(c in cues[o] for o in question.not_with)]
        if not spans:
            continue
        part = core.part(spans)
        if qid in answered:
            fixed = _correction(language, question, part, core, answered[qid])
            if fixed is not None:
                result.answers.append(fixed)
            continue
        found = _read(question, part, asked=False)
        if found is not None and found.value:
            result.answers.append(Understood(qid, found.value, found.detail))
    return result


def _claimed(question: Question | None, reading: Reading) -> set[int]:
    """The tokens the asked question's own cues cover ("pre workout" while asking about
    caffeine): they name no other question in passing."""
    if question is None or question.matcher is None:
        return set()
    return {i for h in question.matcher.cues.find(reading) for i in range(h.start, h.end)}


def _cued(
    question: Question, reading: Reading, clauses: list[range], claimed: set[int]
) -> list[range]:
    """The clauses that name this question (one of its cues, inside the clause, not only in
    words the asked question claims)."""
    if question.matcher is None:
        return []
    out: list[range] = []
    for hit in question.matcher.cues.find(reading):
        if all(i in claimed for i in range(hit.start, hit.end)):
            continue
        for clause in clauses:
            if hit.start in clause and hit.end - 1 in clause and clause not in out:
                out.append(clause)
    return sorted(out, key=lambda c: c.start)


def _read(question: Question, reading: Reading, asked: bool) -> Found | None:
    if question.matcher is None or not reading.tokens:
        return None
    found = question.matcher.read(reading, asked)
    if found is not None and question.answer_kind == "list" and isinstance(found.value, str):
        found.value = [found.value]
    return found


def _by_label(question: Question, reading: Reading) -> Found | None:
    value = question.labels.get(" ".join(reading.tokens))
    if value is None:
        return None
    return Found([value] if question.answer_kind == "list" else value)


def _correction(
    language: Language, question: Question, part: Reading, whole: Reading, old: Any
) -> Understood | None:
    """A change to an answered question: "actually it's my calf, not my eye"."""
    found = _read(question, part, asked=False)
    if found is None:
        return None
    cue = any(positive(language.corrections.find(whole)))
    if question.answer_kind == "list":
        before = [v for v in old if v != UNKNOWN] if isinstance(old, list) else []
        named = found.value if isinstance(found.value, list) else []
        denied = [v for v in found.denied if v in before]
        if named and cue:
            if any(positive(language.additions.find(whole))):
                named = before + [v for v in named if v not in before]
            new = [v for v in named if v not in found.denied]
        elif denied:
            new = [v for v in before if v not in denied] + [v for v in named if v not in before]
        else:
            return None
        if not new or new == before:
            return None
        return Understood(question.id, new, found.detail)
    if cue and found.value and found.value != old:
        return Understood(question.id, found.value, found.detail)
    return None


def red_flags(knowledge: Knowledge, text: str) -> list[str]:
    """Red-flag ids `text` clearly describes, most urgent first (dialogs/red_flags.py)."""
    return list(read_red_flags(knowledge, text).raised)


def _says(knowledge: Knowledge, text: str, key: str) -> tuple[bool, bool]:
    """(said it, denied it) for the `yes` or `no` phrases."""
    language: Language = knowledge.language
    reading = language.read(text)
    hits = getattr(language, key).find(reading)
    return any(not h.negated for h in hits), any(h.negated for h in hits)


def is_yes(knowledge: Knowledge, text: str) -> bool:
    """A confirmation such as "yes", "yep", "delete it"."""
    if not isinstance(text, str) or not folded(text).strip():
        return False
    yes, denied = _says(knowledge, text, "yes")
    no, _ = _says(knowledge, text, "no")
    return yes and not denied and not no


def is_no(knowledge: Knowledge, text: str) -> bool:
    """A refusal such as "no", "nope", "keep it", "don't delete"."""
    if not isinstance(text, str) or not folded(text).strip():
        return False
    no, _ = _says(knowledge, text, "no")
    yes, denied = _says(knowledge, text, "yes")
    return no or (denied and not yes)
