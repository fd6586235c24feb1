"""Understanding free text: answers to the questions, skips, corrections, red flags.

The words are data (knowledge.yaml `language`, `questions`, `red_flags`); this module holds
the mechanisms: it reads a message once (tokens, typo repair, negation scope) and hands it
to the matcher of each question (dialogs/matchers), and to the red-flag phrases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from dialogs.knowledge import Node
from dialogs.matchers import Found, Matcher, Tools, build_matcher
from dialogs.numbers import NumberWords
from dialogs.red_flags import read_red_flags
from dialogs.text import (
    Lexicon,
    Negation,
    PhraseSet,
    Reading,
    normalise,
    positive,
    tokenize,
    tokenize_marked,
)

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str  # button text
    exclusive: bool = False  # in a list question: answers at once, alone (e.g. "None")


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    kind: Literal["one", "list"]
    text: str  # how the bot asks it
    options: tuple[Option, ...]  # the buttons (without "skip")
    retry: str = ""  # said when an answer was not understood, before the options
    matcher: Matcher | None = None
    labels: dict[str, str] = field(default_factory=dict)  # typed label -> value
    not_with: tuple[str, ...] = ()  # in passing, not from a clause naming these questions


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


@dataclass(frozen=True, slots=True)
class Language:
    """The general vocabulary (knowledge.yaml `language`), compiled."""

    lexicon: Lexicon
    negation: Negation
    boundary_words: frozenset[str]
    clause_words: frozenset[str]  # "and", "also": a new clause (for answers in passing)
    clause_keep: frozenset[str]  # ... unless followed by these ("six and a half")
    skip: PhraseSet
    corrections: PhraseSet
    additions: PhraseSet
    hypothetical: PhraseSet  # "what if", "should i worry about": the rest of the clause is asked
    yes: PhraseSet
    no: PhraseSet
    tools: Tools
    spellings: dict[str, str] = field(default_factory=dict)  # short slips: "ovr" -> "over"
    past: PhraseSet | None = None  # "used to": a habit given up ...
    present: PhraseSet | None = None  # ... then "now": the current one is the answer
    denials: PhraseSet | None = None  # a clause that only says "nope": denies the one before
    asked_after: PhraseSet | None = None  # "... a sign of ALS?": the clause before is asked

    def read(self, text: str, now: datetime | None = None) -> Reading:
        raw, soft = tokenize_marked(text, self.boundary_words, self.spellings)
        tokens = [self.lexicon.repair(t) for t in raw]
        return Reading.of(tokens, self.negation, now, soft)

    def current(self, reading: Reading) -> Reading | None:
        """The part after "now" when a past habit came first ("used to drink loads of
        coffee, now nothing"), else None."""
        if not self.past or not self.present:
            return None
        past = [h.start for h in self.past.find(reading)]
        if not past:
            return None
        later = [h.end for h in self.present.find(reading) if h.start > min(past)]
        return reading.after(later[-1]) if later and later[-1] < len(reading.tokens) else None


# --- loading ---------------------------------------------------------------------------


def _phrase_list(node: Node, key: str, value: Any, lexicon: Lexicon) -> PhraseSet:
    return PhraseSet(((p, value) for p in node.get(key).strs()), lexicon)


def parse_language(node: Node, sections: dict[str, Any]) -> Language:
    node.only_keys(
        "typos", "keep_words", "negators", "post_negators", "negation_window",
        "boundary_words", "clause_words", "clause_keep", "skip", "none_answers",
        "corrections", "additions", "hypothetical", "yes", "no", "numbers",
        "spellings", "negation_lists", "past", "present", "denials", "hypothetical_after",
    )  # fmt: skip
    typos = node.get("typos")
    typos.only_keys("min_length", "long_from")
    lexicon = Lexicon(
        keep=set(node.get("keep_words").strs()),
        min_length=int(typos.get("min_length").number(3, 20)),
        long_from=int(typos.get("long_from").number(4, 30)),
    )
    negators = node.get("negators").strs()
    post = node.get("post_negators").strs()
    lexicon.add(negators)
    lexicon.add(post)
    nums = node.get("numbers")
    nums.only_keys(
        "words", "articles", "vague", "halves", "joiners", "less", "more", "between", "and",
        "clock",
    )  # fmt: skip
    numbers = NumberWords.build(
        {k: c.number(0) for k, c in nums.get("words").items()},
        nums.get("articles").strs(),
        {k: c.number(0) for k, c in nums.get("vague").items()},
        nums.get("halves").strs(),
        nums.get("joiners").strs(),
        nums.get("less").strs(),
        nums.get("more").strs(),
        lexicon,
        nums.get("between", []).strs(allow_empty=True),
        nums.get("and", []).strs(allow_empty=True),
        {k: c.number(-1, 1) for k, c in nums.get("clock", {}).items()},
    )
    tools = Tools(lexicon, numbers, _phrase_list(node, "none_answers", "none", lexicon))
    boundary_words = frozenset(node.get("boundary_words").strs())
    lexicon.add(boundary_words)
    lexicon.add(node.get("clause_words").strs())
    lexicon.add(node.get("clause_keep").strs())
    lists = frozenset(node.get("negation_lists", []).strs(allow_empty=True))
    lexicon.add(lists)
    spellings = {k: c.str() for k, c in node.get("spellings", {}).items()}
    return Language(
        lexicon=lexicon,
        negation=Negation(
            frozenset(negators),
            frozenset(post),
            int(node.get("negation_window").number(1, 10)),
            lists=lists,
        ),
        boundary_words=boundary_words,
        clause_words=frozenset(node.get("clause_words").strs()),
        clause_keep=frozenset(node.get("clause_keep").strs()),
        skip=_phrase_list(node, "skip", "skip", lexicon),
        corrections=_phrase_list(node, "corrections", "correction", lexicon),
        additions=_phrase_list(node, "additions", "addition", lexicon),
        hypothetical=_phrase_list(node, "hypothetical", "if", lexicon),
        yes=_phrase_list(node, "yes", "yes", lexicon),
        no=_phrase_list(node, "no", "no", lexicon),
        tools=tools,
        spellings=spellings,
        past=_phrase_list(node, "past", "past", lexicon) if node.has("past") else None,
        present=_phrase_list(node, "present", "now", lexicon) if node.has("present") else None,
        denials=_phrase_list(node, "denials", "no", lexicon) if node.has("denials") else None,
        asked_after=(
            _phrase_list(node, "hypothetical_after", "if", lexicon)
            if node.has("hypothetical_after")
            else None
        ),
    )


def parse_questions(node: Node, sections: dict[str, Any]) -> dict[str, Question]:
    language: Language = sections["language"]
    out: dict[str, Question] = {}
    raw_not_with: dict[str, Node] = {}
    for q in node.list():
        qid = q.get("id").str()
        if qid in out:
            raise q.get("id").fail(f"duplicate question id {qid!r}")
        kind = q.get("kind").choice(("one", "list"))
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
            kind,  # type: ignore[arg-type]
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
        q = out[qid]
        out[qid] = Question(q.id, q.kind, q.text, q.options, q.retry, q.matcher, q.labels, others)
    return out


# --- reading ---------------------------------------------------------------------------


def interpret(
    knowledge: Any,
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
    for qid, question in questions.items():
        if qid == asking or not cues[qid]:
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
    if found is not None and question.kind == "list" and isinstance(found.value, str):
        found.value = [found.value]
    return found


def _by_label(question: Question, reading: Reading) -> Found | None:
    value = question.labels.get(" ".join(reading.tokens))
    if value is None:
        return None
    return Found([value] if question.kind == "list" else value)


def _correction(
    language: Language, question: Question, part: Reading, whole: Reading, old: Any
) -> Understood | None:
    """A change to an answered question: "actually it's my calf, not my eye"."""
    found = _read(question, part, asked=False)
    if found is None:
        return None
    cue = any(positive(language.corrections.find(whole)))
    if question.kind == "list":
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


def red_flags(knowledge: Any, text: str) -> list[str]:
    """Red-flag ids `text` clearly describes, most urgent first (dialogs/red_flags.py)."""
    return list(read_red_flags(knowledge, text).raised)


def _says(knowledge: Any, text: str, key: str) -> tuple[bool, bool]:
    """(said it, denied it) for the `yes` or `no` phrases."""
    language: Language = knowledge.language
    reading = language.read(text)
    hits = getattr(language, key).find(reading)
    return any(not h.negated for h in hits), any(h.negated for h in hits)


def is_yes(knowledge: Any, text: str) -> bool:
    """A confirmation such as "yes", "yep", "delete it"."""
    if not isinstance(text, str) or not normalise(text).strip():
        return False
    yes, denied = _says(knowledge, text, "yes")
    no, _ = _says(knowledge, text, "no")
    return yes and not denied and not no


def is_no(knowledge: Any, text: str) -> bool:
    """A refusal such as "no", "nope", "keep it", "don't delete"."""
    if not isinstance(text, str) or not normalise(text).strip():
        return False
    no, _ = _says(knowledge, text, "no")
    yes, denied = _says(knowledge, text, "yes")
    return no or (denied and not yes)
