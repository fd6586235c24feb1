"""knowledge.yaml `language`: the general vocabulary (typos, negation, numbers...), compiled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dialogs.english import common_words
from dialogs.knowledge.node import Node
from dialogs.matchers import Tools
from dialogs.numbers import NumberWords
from dialogs.text import Lexicon, Negation, PhraseSet, Reading, tokenize_marked


@dataclass(frozen=True, slots=True)
class Language:
    """The general vocabulary (knowledge.yaml `language`), compiled."""

    lexicon: Lexicon
    negation: Negation
    boundary_words: frozenset[str]
    clause_words: frozenset[str]  # "and", "also": a new clause (for answers in passing)
    clause_keep: frozenset[str]  # ... unless followed by these ("six and a half")
    skip: PhraseSet[str]
    corrections: PhraseSet[str]
    additions: PhraseSet[str]
    hypothetical: PhraseSet[str]  # "what if", "should i worry about": the rest is asked
    yes: PhraseSet[str]
    no: PhraseSet[str]
    tools: Tools
    spellings: dict[str, str] = field(default_factory=dict)  # short slips: "ovr" -> "over"
    past: PhraseSet[str] | None = None  # "used to": a habit given up ...
    present: PhraseSet[str] | None = None  # ... then "now": the current one is the answer
    denials: PhraseSet[str] | None = None  # a clause that only says "nope": denies the one before
    asked_after: PhraseSet[str] | None = None  # "... a sign of ALS?": the clause before is asked

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


def _phrase_list(node: Node, key: str, value: str, lexicon: Lexicon) -> PhraseSet[str]:
    return PhraseSet(((p, value) for p in node.get(key).strs()), lexicon)


def parse_language(node: Node) -> Language:
    node.only_keys(
        "typos", "keep_words", "negators", "post_negators", "negation_window",
        "boundary_words", "clause_words", "clause_keep", "skip", "none_answers",
        "corrections", "additions", "hypothetical", "yes", "no", "numbers",
        "spellings", "negation_lists", "past", "present", "denials", "hypothetical_after",
    )  # fmt: skip
    typos = node.get("typos")
    typos.only_keys("min_length", "long_from", "english_from")
    english = typos.get("english_from", 0)  # real words are no typos ("waiting", "wasting")
    lexicon = Lexicon(
        keep=set(node.get("keep_words").strs()),
        english=common_words(int(english.number(1))) if english.value else frozenset(),
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
