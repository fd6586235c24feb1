"""Numbers in answers: digits ("6.5", "6:30"), words ("six and a half", "twenty five"),
vague amounts ("a couple", "a few", "half a"), ranges ("5-6", "5 or 6": the midpoint) and
hedges ("under 6", "almost a year", "more than 2 weeks") and clock words before a number
("half 11", "quarter to 6": 11.5, 5.75). The words are data
(knowledge.yaml `language.numbers`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dialogs.text import Lexicon, PhraseSet, Reading


@dataclass(frozen=True, slots=True)
class Number:
    start: int  # token span [start, end)
    end: int
    value: float
    weak: bool = False  # only an article ("a", "an"): a number only right before a unit
    vague: bool = False  # "a few", "lots of": an amount, not a count said exactly


@dataclass(frozen=True, slots=True)
class NumberWords:
    words: Mapping[str, float]  # "one": 1 ... "ninety": 90
    articles: frozenset[str]  # "a", "an"
    vague: PhraseSet[float]  # "a couple of" -> 2, "a few" -> 3, "half a" -> 0.5
    halves: PhraseSet[float]  # "and a half" -> 0.5, added to the number before
    joiners: frozenset[str]  # range: "-", "to", "or"
    less: PhraseSet[str]  # "under", "less than", "almost" -> the value a little lower
    more: PhraseSet[str]  # "over", "more than" -> a little higher
    hedge: float = 0.1
    between: frozenset[str] = frozenset()  # "between": opens a range ...
    between_and: frozenset[str] = frozenset()  # ... closed by "and" ("between 6 and 7")
    clock: PhraseSet[float] | None = None  # "half past", "quarter to" -> added to the number after

    @classmethod
    def build(
        cls,
        words: Mapping[str, float],
        articles: list[str],
        vague: Mapping[str, float],
        halves: list[str],
        joiners: list[str],
        less: list[str],
        more: list[str],
        lexicon: Lexicon,
        between: Sequence[str] = (),
        between_and: Sequence[str] = (),
        clock: Mapping[str, float] | None = None,
    ) -> NumberWords:
        lexicon.add(words)
        lexicon.add(articles)
        lexicon.add(between)
        return cls(
            dict(words),
            frozenset(articles),
            PhraseSet(vague.items(), lexicon),
            PhraseSet(((h, 0.5) for h in halves), lexicon),
            frozenset(joiners),
            PhraseSet(((w, "less") for w in less), lexicon),
            PhraseSet(((w, "more") for w in more), lexicon),
            between=frozenset(between),
            between_and=frozenset(between_and),
            clock=PhraseSet((clock or {}).items(), lexicon),
        )


def _digits(token: str) -> float | None:
    if ":" in token:  # 6:30 -> 6.5
        hours, _, minutes = token.partition(":")
        return float(hours) + float(minutes) / 60 if minutes.isdigit() else None
    try:
        return float(token)
    except ValueError:
        return None


def _single(
    reading: Reading, i: int, nw: NumberWords, starts: dict[int, tuple[int, float]]
) -> tuple[int, float, bool] | None:
    """The number starting at token i: (end, value, weak) or None."""
    tokens = reading.tokens
    token = tokens[i]
    if i in starts:
        end, value = starts[i]
        return end, value, False
    if token[0].isdigit():
        digits = _digits(token)
        return None if digits is None else (i + 1, digits, False)
    if token in nw.words:
        value = nw.words[token]
        end = i + 1
        if value >= 20 and value % 10 == 0 and end < len(tokens):
            unit = nw.words.get(tokens[end])
            if unit is not None and 0 < unit < 10:  # "twenty five"
                value += unit
                end += 1
        return end, value, False
    if token in nw.articles:
        return i + 1, 1.0, True
    return None


def _word_pair(tokens: list[str], start: int, end: int, nw: NumberWords) -> bool:
    """Two small number words in a row, the second the larger: a range ("two three")."""
    if end != start + 1 or end >= len(tokens):
        return False
    first, second = nw.words.get(tokens[start]), nw.words.get(tokens[end])
    return first is not None and second is not None and first < second < 20 and first >= 1


def _clock_starts(
    reading: Reading, nw: NumberWords, vague: dict[int, tuple[int, float]]
) -> dict[int, tuple[int, float]]:
    """ "half 11", "quarter to 6": a clock word right before a plain number shifts it."""
    out: dict[int, tuple[int, float]] = {}
    if not nw.clock:
        return out
    for hit in nw.clock.find(reading):
        if hit.end >= len(reading.tokens) or hit.end in vague:
            continue
        found = _single(reading, hit.end, nw, {})
        if found is not None and not found[2] and 0 < found[1] <= 24:
            out[hit.start] = (found[0], found[1] + float(hit.value))
    return out


def find_numbers(reading: Reading, nw: NumberWords) -> list[Number]:
    """The numbers of a reading, in order; ranges give their midpoint."""
    tokens = reading.tokens
    starts = {h.start: (h.end, float(h.value)) for h in nw.vague.find(reading)}
    starts.update(_clock_starts(reading, nw, starts))
    halves = {h.start: h.end for h in nw.halves.find(reading)}
    hedges = {h.end: h.value for h in nw.less.find(reading) + nw.more.find(reading)}
    out: list[Number] = []
    i = 0
    while i < len(tokens):
        found = _single(reading, i, nw, starts)
        if found is None:
            i += 1
            continue
        end, value, weak = found
        if end in halves:  # "six and a half"
            end, value, weak = halves[end], value + 0.5, False
        opened = i > 0 and tokens[i - 1] in nw.between
        joined = end + 1 < len(tokens) and (
            tokens[end] in nw.joiners or (opened and tokens[end] in nw.between_and)
        )
        if joined and not weak:
            other = _single(reading, end + 1, nw, starts)
            if other is not None and not other[2] and other[1] > value:
                end, value = other[0], (value + other[1]) / 2
        elif _word_pair(tokens, i, end, nw):  # "five-six hours" (the dash became a space)
            end, value = end + 1, (value + nw.words[tokens[end]]) / 2
        hedge = hedges.get(i)
        if hedge == "less":
            value *= 1 - nw.hedge
        elif hedge == "more":
            value *= 1 + nw.hedge
        out.append(Number(i, end, value, weak, vague=i in starts))
        i = end
    return out
