"""Caffeine a day, estimated in mg from the drinks named: "3 coffees and a red bull",
"6 double espressos", "4 cans of monster", "zero caffeine". The drinks, their mg per
serving, size and strength words and the buckets are data (knowledge.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.knowledge import Node
from dialogs.matchers.base import Buckets, Found, Tools, phrases
from dialogs.numbers import Number
from dialogs.text import BOUNDARY, Hit, PhraseSet, Reading, positive


@dataclass(frozen=True, slots=True)
class Drink:
    mg: float
    large_mg: float  # a mug or a large one


@dataclass(frozen=True, slots=True)
class CaffeineMatcher:
    drinks: dict[str, Drink]
    words: PhraseSet  # value: drink id
    servings: PhraseSet  # "a cup", "2 mugs" with no drink named: the default drink
    default: str
    large: frozenset[str]
    multipliers: dict[str, float]  # "double": 2
    fillers: frozenset[str]  # between a count and its drink: "cups", "of", "like"
    after: frozenset[str]  # between a drink and a count after it: "x", ":"
    generic: PhraseSet  # "caffeine": denied -> none
    none: PhraseSet  # "caffeine free", "i quit coffee"
    buckets: Buckets
    cues: PhraseSet
    tools: Tools

    @classmethod
    def parse(cls, node: Node, values: set[str], tools: Tools) -> CaffeineMatcher:
        lex = tools.lexicon
        drinks: dict[str, Drink] = {}
        entries: list[tuple[str, str]] = []
        for name, child in node.get("drinks").items():
            child.only_keys("mg", "large_mg", "words")
            mg = child.get("mg").number(0)
            large = child.get("large_mg").number(0) if child.has("large_mg") else mg
            drinks[name] = Drink(mg, large)
            entries.extend((w, name) for w in child.get("words").strs())
        default = node.get("default").choice(set(drinks))
        words = PhraseSet(entries, lex)
        generic = phrases(node.get("generic"), "generic", lex)
        multipliers = {k: c.number(1) for k, c in node.get("multipliers").items()}
        lex.add(multipliers)
        large_words = node.get("large").strs()
        lex.add(large_words)
        lex.add(node.get("fillers").strs())
        lex.add(node.get("after").strs())
        cues = PhraseSet(
            [(w, "cue") for w, _ in entries] + [(w, "cue") for w in node.get("generic").strs()],
            lex,
        )
        return cls(
            drinks,
            words,
            phrases(node.get("servings"), default, lex),
            default,
            frozenset(large_words),
            multipliers,
            frozenset(node.get("fillers").strs()),
            frozenset(node.get("after").strs()),
            generic,
            phrases(node.get("none"), "none", lex),
            Buckets.parse(node.get("buckets"), values),
            cues,
            tools,
        )

    def read(self, reading: Reading, asked: bool) -> Found | None:
        quits = list(positive(self.none.find(reading)))  # "i quit coffee": not a coffee
        hits = [
            h
            for h in self.words.find(reading)
            if not any(h.start < q.end and q.start < h.end for q in quits)
        ]
        drinks = list(positive(hits))
        if not drinks and asked:
            drinks = list(positive(self.servings.find(reading)))
        if not drinks:
            denied = any(h.negated for h in hits) or any(
                h.negated for h in self.generic.find(reading)
            )
            if denied or quits:
                return Found(self.buckets(0), {"mg": 0, "items": []})
            if asked and any(positive(self.tools.none_answers.find(reading))):
                return Found(self.buckets(0), {"mg": 0, "items": []})
            return None
        numbers = self.tools.find_numbers(reading)
        by_end = {n.end: n for n in numbers}
        by_start = {n.start: n for n in numbers}
        claimed: set[int] = set()
        total = 0.0
        items = []
        counts = [self._count_before(reading, h, by_end, claimed) for h in drinks]
        for hit, (count, large, times) in zip(drinks, counts, strict=True):
            if count is None or count.vague:  # "lots of tea, like 8 cups": 8
                count = self._count_after(reading, hit, by_start, claimed) or count
            drink = self.drinks[str(hit.value)]
            n = count.value if count is not None else 1.0
            total += n * times * (drink.large_mg if large else drink.mg)
            size = [
                w for w in self._modifiers(reading, hit) if w in self.large or w in self.multipliers
            ]
            items.append(" ".join([f"{n:g}", *size, hit.text]))
        mg = round(total)
        return Found(self.buckets(mg), {"mg": mg, "items": items})

    def _count_before(
        self, reading: Reading, hit: Hit, by_end: dict[int, Number], claimed: set[int]
    ) -> tuple[Number | None, bool, float]:
        """(count, large, multiplier) from the words before the drink."""
        large = False
        times = 1.0
        i = hit.start
        while i > 0 and hit.start - i < 5:
            if i in by_end:
                number = by_end[i]
                claimed.add(number.start)
                return number, large, times
            token = reading.tokens[i - 1]
            if token in self.large:
                large = True
            elif token in self.multipliers:
                times *= self.multipliers[token]
            elif token not in self.fillers:
                break
            i -= 1
        return None, large, times

    def _modifiers(self, reading: Reading, hit: Hit) -> list[str]:
        """The size and strength words right before a drink ("big", "double")."""
        words: list[str] = []
        i = hit.start - 1
        while (
            i >= 0
            and hit.start - i <= 4
            and (
                reading.tokens[i] in self.large
                or reading.tokens[i] in self.multipliers
                or reading.tokens[i] in self.fillers
            )
        ):
            words.insert(0, reading.tokens[i])
            i -= 1
        return words

    def _count_after(
        self, reading: Reading, hit: Hit, by_start: dict[int, Number], claimed: set[int]
    ) -> Number | None:
        """A count right after the drink: "coffee x3", "tea, like 8 cups"."""
        i = hit.end
        while i < len(reading.tokens) and i - hit.end <= 3:
            number = by_start.get(i)
            if number is not None and not number.weak and number.start not in claimed:
                claimed.add(number.start)
                return number
            token = reading.tokens[i]
            if token not in self.after and token not in self.fillers and token != BOUNDARY:
                return None
            i += 1
        return None
