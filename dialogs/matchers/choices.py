"""Choice answers named by words: body parts, conditions, exercise, medicines.

One matcher, configured per question in knowledge.yaml:
`words` (value -> phrases), `fallback` (phrases that count only when no value was named,
e.g. "pills" -> other; with `alone: false`, when none of its own values was named:
"legs" -> thigh + calf, but "legs, mostly calves" -> calf), `rank` (for a one-value
question: which named value wins),
`none` (the value of "no"/"nothing" and of only denied mentions), `flags` (detail flags such
as sweat/heat/recent_change), `amounts` (a number with a unit gives a value: "3 hours" ->
intense), `suffixes` (an unknown word ending so is that value: "-pril" -> other) and
`names` (keep the names said, as detail `names`), `qualifiers` ("back of my": a value
named inside one gives way to the value named right after it) and `stopped` (phrases
before or after a value, in the same clause, that say it is over: "came off sertraline",
"adderall, stopped 2 years ago": that value counts as denied)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from dialogs.matchers.base import CUE, Found, Tools, phrases, unique, value_phrases
from dialogs.text import BOUNDARY, Hit, Lexicon, PhraseSet, Reading, positive

if TYPE_CHECKING:  # a type only: the section parsers (dialogs.knowledge) import matchers
    from dialogs.knowledge.node import Node


@dataclass(frozen=True, slots=True)
class Amount:
    units: PhraseSet[str]
    at_least: float
    value: str
    unless: PhraseSet[str] | None = None  # "a 2 hour walk": so long, but of an easy thing


@dataclass(frozen=True, slots=True)
class ChoiceMatcher:
    answer_kind: Literal["one", "list"]  # one value, or a list of them
    words: PhraseSet[str]
    fallback: tuple[tuple[PhraseSet[str], tuple[str, ...], bool], ...]  # words, values, alone
    rank: tuple[str, ...]
    none: str | None
    flags: tuple[tuple[str, PhraseSet[str]], ...]
    amounts: tuple[Amount, ...]
    suffixes: tuple[tuple[str, str], ...]  # (ending, value), longest endings first
    names: bool
    cues: PhraseSet[str]
    tools: Tools
    qualifiers: PhraseSet[str] | None = None  # "back of my": the part named after it wins
    # "came off ...": the value is no longer current
    stopped_before: PhraseSet[str] | None = None
    stopped_after: PhraseSet[str] | None = None  # "... stopped last year"
    stopped_window: int = 4

    @classmethod
    def parse(
        cls, node: Node, answer_kind: Literal["one", "list"], values: set[str], tools: Tools
    ) -> ChoiceMatcher:
        lex = tools.lexicon
        words = value_phrases(node.get("words"), values, lex)
        fallback: list[tuple[PhraseSet[str], tuple[str, ...], bool]] = []
        for item in node.get("fallback", []).list(allow_empty=True):
            item.only_keys("words", "values", "alone")
            targets = item.get("values").strs()
            for i, target in enumerate(targets):
                if target not in values:
                    raise item.get("values").list()[i].fail(f"unknown value {target!r}")
            alone = item.get("alone", True).bool()
            fallback.append((phrases(item.get("words"), "fallback", lex), tuple(targets), alone))
        rank = [v.choice(values) for v in node.get("rank", []).list(allow_empty=True)]
        none = node.get("none").choice(values) if node.has("none") else None
        flags = tuple(
            (name, phrases(child, name, lex)) for name, child in node.get("flags", {}).items()
        )
        amounts: list[Amount] = []
        for item in node.get("amounts", []).list(allow_empty=True):
            item.only_keys("units", "at_least", "value", "unless")
            amounts.append(
                Amount(
                    phrases(item.get("units"), "unit", lex),
                    item.get("at_least").number(0),
                    item.get("value").choice(values),
                    phrases(item.get("unless"), "unless", lex) if item.has("unless") else None,
                )
            )
        suffixes: list[tuple[str, str]] = []
        for value, child in node.get("suffixes", {}).items():
            if value not in values:
                raise child.fail(f"unknown value {value!r}")
            suffixes.extend((ending, value) for ending in child.strs())
        suffixes.sort(key=lambda s: -len(s[0]))
        if node.has("cues"):  # only these show a clause is about this question
            cue_list = node.get("cues").strs()
        else:  # the words themselves, and the fallback words
            cue_list = [p for _, child in node.get("words").items() for p in child.strs()]
            cue_list += [
                p
                for item in node.get("fallback", []).list(allow_empty=True)
                for p in item.get("words").strs()
            ]
        cues = PhraseSet(((p, CUE) for p in cue_list), lex)
        return cls(
            answer_kind,
            words,
            tuple(fallback),
            tuple(rank),
            none,
            flags,
            tuple(amounts),
            tuple(suffixes),
            node.get("names", False).bool(),
            cues,
            tools,
            phrases(node.get("qualifiers"), "of", lex) if node.has("qualifiers") else None,
            *_stopped(node, lex),
        )

    def read(self, reading: Reading, asked: bool) -> Found | None:
        hits = self._stopped(self._qualified(self.words.find(reading), reading), reading)
        named = unique(h.value for h in positive(hits))
        names = [h.text for h in positive(hits) if h.value != self.none]
        denied = unique(h.value for h in hits if h.negated and h.value not in named)
        for ending_value in self._by_suffix(reading):
            word, value = ending_value
            named = unique([*named, value])
            names.append(word)
        named = unique([*named, *self._amounts(reading)])
        anything = bool(named)
        for words, targets, alone in self.fallback:
            # "legs": thigh and calf unless one is named; "pills": other, when alone
            if anything if alone else any(t in named for t in targets):
                continue
            if any(positive(words.find(reading))):
                named = unique([*named, *targets])
        if self.none is not None and len(named) > 1 and self.none in named:
            named.remove(self.none)
        detail: dict[str, Any] = {}
        for name, words in self.flags:
            if any(positive(words.find(reading))):
                detail[name] = True
        if self.names and names:
            detail["names"] = unique(names)
        if not named and self.none is not None:
            only_denied = bool(denied)
            # a denial is a denial even when another one follows ("nope, all good")
            said_none = asked and any(self.tools.none_answers.find(reading))
            if only_denied or said_none:
                named = [self.none]
        if not named:
            return Found(None, {}, denied) if denied else None
        if self.answer_kind == "list":
            return Found(named, detail, denied)
        order = self.rank or tuple(named)
        best = next((v for v in order if v in named), named[0])
        return Found(best, detail, denied)

    def _qualified(self, hits: list[Hit[str]], reading: Reading) -> list[Hit[str]]:
        """Drop a word that only qualifies the part named after it: "the back of my
        thigh" is the thigh, not the back."""
        if self.qualifiers is None or len(hits) < 2:
            return hits
        starts = {h.start for h in hits}
        spans = [q for q in self.qualifiers.find(reading) if q.end in starts]
        return [h for h in hits if not any(q.start <= h.start and h.end <= q.end for q in spans)]

    def _stopped(self, hits: list[Hit[str]], reading: Reading) -> list[Hit[str]]:
        """A value said to be over ("came off sertraline last year") counts as denied."""
        if self.stopped_before is None or not hits:
            return hits
        tokens, window = reading.tokens, self.stopped_window
        befores = [h.end for h in self.stopped_before.find(reading)]
        afters = [h.start for h in self.stopped_after.find(reading)] if self.stopped_after else []

        def over(hit: Hit[str]) -> bool:
            for end in befores:
                gap = tokens[end : hit.start]
                if end <= hit.start and len(gap) <= window and BOUNDARY not in gap:
                    return True
            for start in afters:
                gap = tokens[hit.end : start]
                if start >= hit.end and len(gap) <= window and BOUNDARY not in gap:
                    return True
            return False

        return [
            Hit(h.value, h.start, h.end, True, h.text) if not h.negated and over(h) else h
            for h in hits
        ]

    def _by_suffix(self, reading: Reading) -> list[tuple[str, str]]:
        if not self.suffixes:
            return []
        out: list[tuple[str, str]] = []
        for i, token in enumerate(reading.tokens):
            if len(token) < 6 or not token.isalpha() or reading.negated[i]:
                continue
            if self.tools.lexicon.known(token):
                continue
            for ending, value in self.suffixes:
                if token.endswith(ending):
                    out.append((token, value))
                    break
        return out

    def _amounts(self, reading: Reading) -> list[str]:
        if not self.amounts:
            return []
        numbers = self.tools.find_numbers(reading)
        out: list[str] = []
        for amount in self.amounts:
            if amount.unless is not None and amount.unless.find(reading):
                continue
            starts = {h.start for h in amount.units.find(reading)}
            for n in numbers:
                if not n.weak and n.end in starts and n.value >= amount.at_least:
                    out.append(amount.value)
        return out


def _stopped(node: Node, lex: Lexicon) -> tuple[PhraseSet[str] | None, PhraseSet[str] | None, int]:
    if not node.has("stopped"):
        return None, None, 4
    child = node.get("stopped")
    child.only_keys("before", "after", "window")
    before = phrases(child.get("before"), "stopped", lex)
    after = phrases(child.get("after"), "stopped", lex) if child.has("after") else None
    return before, after, int(child.get("window", 4).number(1, 10))
