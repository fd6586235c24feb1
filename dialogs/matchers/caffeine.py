"""Caffeine a day, estimated in mg from the drinks named: "3 coffees and a red bull",
"6 double espressos", "4 cans of monster", "zero caffeine". The drinks, their mg per
serving, size and strength words and the buckets are data (knowledge.yaml).

An amount in mg ("about 500mg", "200 mg caffeine pills") wins over the table for the drinks
it is said of; a size in ml or oz ("two 500ml monsters", "a 16 oz coffee") is a size, never a
count, and a large size takes the drink's large figure; a message that says the user is
pregnant is judged against the lower pregnancy limit (`pregnancy_buckets`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dialogs.matchers.base import CUE, Buckets, Found, Tools, phrases
from dialogs.numbers import Number
from dialogs.text import BOUNDARY, Hit, Lexicon, PhraseSet, Reading, positive

if TYPE_CHECKING:  # a type only: the section parsers (dialogs.knowledge) import matchers
    from dialogs.knowledge.node import Node


@dataclass(frozen=True, slots=True)
class Drink:
    mg: float
    large_mg: float  # a mug or a large one


@dataclass(frozen=True, slots=True)
class CaffeineMatcher:
    drinks: dict[str, Drink]
    words: PhraseSet[str]  # value: drink id
    servings: PhraseSet[str]  # "a cup", "2 mugs" with no drink named: the default drink
    default: str
    large: frozenset[str]
    multipliers: dict[str, float]  # "double": 2
    fillers: frozenset[str]  # between a count and its drink: "cups", "of", "like"
    after: frozenset[str]  # between a drink and a count after it: "x", ":"
    generic: PhraseSet[str]  # "caffeine": denied -> none
    none: PhraseSet[str]  # "caffeine free", "i quit coffee"
    buckets: Buckets
    cues: PhraseSet[str]
    tools: Tools
    mg_units: frozenset[str] = frozenset()  # "mg", "milligrams"
    sizes: dict[str, float] = field(default_factory=dict)  # unit -> ml ("oz": 29.6)
    large_ml: float = float("inf")  # a size of this many ml or more is a large one
    pregnancy: PhraseSet[str] | None = None  # "pregnant": judged by `pregnancy_buckets`
    pregnancy_buckets: Buckets | None = None

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
            [(w, CUE) for w, _ in entries] + [(w, CUE) for w in node.get("generic").strs()],
            lex,
        )
        return cls(
            drinks,
            words,
            _servings(node.get("servings"), default, set(drinks), lex),
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
            frozenset(node.get("mg_units", []).strs(allow_empty=True)),
            {k: c.number(0) for k, c in node.get("sizes", {}).items()},
            node.get("large_ml").number(0) if node.has("large_ml") else float("inf"),
            phrases(node.get("pregnancy"), "pregnant", lex) if node.has("pregnancy") else None,
            Buckets.parse(node.get("pregnancy_buckets"), values)
            if node.has("pregnancy_buckets")
            else None,
        )

    def _buckets(self, reading: Reading) -> Buckets:
        pregnancy, buckets = self.pregnancy, self.pregnancy_buckets
        if pregnancy is not None and buckets is not None and any(positive(pregnancy.find(reading))):
            return buckets
        return self.buckets

    def _amounts(self, reading: Reading, numbers: list[Number]) -> tuple[list[Number], set[int]]:
        """Numbers said in mg ("500mg"), and the starts of numbers that are sizes ("500 ml")."""
        tokens = reading.tokens
        mg, sizes = [], set()
        for number in numbers:
            unit = tokens[number.end] if number.end < len(tokens) else ""
            if unit in self.mg_units and not number.weak:
                mg.append(number)
            elif unit in self.sizes:
                sizes.add(number.start)
        return mg, sizes

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
        numbers = self.tools.find_numbers(reading)
        mg_said, sizes = self._amounts(reading, numbers)
        buckets = self._buckets(reading)
        if mg_said and (drinks or asked or any(positive(self.generic.find(reading)))):
            return self._with_mg(reading, drinks, numbers, mg_said, sizes, buckets)
        if not drinks:
            denied = any(h.negated for h in hits) or any(
                h.negated for h in self.generic.find(reading)
            )
            if denied or quits:
                return Found(buckets(0), {"mg": 0, "items": []})
            if asked and any(positive(self.tools.none_answers.find(reading))):
                return Found(buckets(0), {"mg": 0, "items": []})
            return None
        total, items = self._estimate(reading, drinks, numbers, sizes)
        mg = round(total)
        return Found(buckets(mg), {"mg": mg, "items": items})

    def _with_mg(
        self,
        reading: Reading,
        drinks: list[Hit[str]],
        numbers: list[Number],
        mg_said: list[Number],
        sizes: set[int],
        buckets: Buckets,
    ) -> Found:
        """Amounts said in mg win: one said of a drink ("a 200mg caffeine pill") replaces the
        table for it and the other drinks add theirs; one said on its own ("about 500mg i
        think") is the day's total, unless the drinks named add up to more."""
        tokens = reading.tokens

        def beside(hit: Hit[str], number: Number) -> bool:  # "200mg of pre", "pills (500mg)"
            if number.end + 1 <= hit.start <= number.end + 3:
                return all(t in self.fillers for t in tokens[number.end + 1 : hit.start])
            gap = tokens[hit.end : number.start]
            return hit.end <= number.start and len(gap) <= 1 and all(t in self.fillers for t in gap)

        said = {n.start for n in mg_said}
        others = [n for n in numbers if n.start not in said]
        of_drinks = [n for n in mg_said if any(beside(h, n) for h in drinks)]
        alone = [n for n in mg_said if n not in of_drinks]
        rest = [h for h in drinks if not any(beside(h, n) for n in of_drinks)]
        total, items = self._estimate(reading, rest, others, sizes)
        total += sum(n.value for n in of_drinks)
        total = max(total, sum(n.value for n in alone))
        items = [*(f"{n.value:g} mg" for n in mg_said), *items]
        mg = round(total)
        return Found(buckets(mg), {"mg": mg, "items": items})

    def _estimate(
        self, reading: Reading, drinks: list[Hit[str]], numbers: list[Number], sizes: set[int]
    ) -> tuple[float, list[str]]:
        inside = {i for h in drinks for i in range(h.start, h.end)}  # "c4", "5 hour energy"
        numbers = [n for n in numbers if n.start not in inside]
        counted = [n for n in numbers if n.start not in sizes]
        by_end = {n.end: n for n in counted}
        by_start = {n.start: n for n in counted}
        size_by_end = {n.end: n for n in numbers if n.start in sizes}
        claimed: set[int] = set()
        total = 0.0
        items = []
        counts = [self._count_before(reading, h, by_end, claimed, size_by_end) for h in drinks]
        for hit, (count, large, times) in zip(drinks, counts, strict=True):
            if count is None or count.vague or count.weak:  # "lots of tea, like 8 cups": 8
                count = self._count_after(reading, hit, by_start, claimed) or count
            drink = self.drinks[str(hit.value)]
            n = count.value if count is not None else 1.0
            total += n * times * (drink.large_mg if large else drink.mg)
            size = [
                w for w in self._modifiers(reading, hit) if w in self.large or w in self.multipliers
            ]
            items.append(" ".join([f"{n:g}", *size, hit.text]))
        return total, items

    def _count_before(
        self,
        reading: Reading,
        hit: Hit[str],
        by_end: dict[int, Number],
        claimed: set[int],
        size_by_end: dict[int, Number] | None = None,
    ) -> tuple[Number | None, bool, float]:
        """(count, large, multiplier) from the words before the drink; a size ("500 ml")
        on the way makes it large when big enough."""
        large = False
        times = 1.0
        i = hit.start
        sizes = size_by_end or {}
        while i > 0 and hit.start - i < 6:
            unit = reading.tokens[i - 1]
            if unit in self.sizes and (i - 1) in sizes:
                size = sizes[i - 1]
                large = large or size.value * self.sizes[unit] >= self.large_ml
                i = size.start
                continue
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

    def _modifiers(self, reading: Reading, hit: Hit[str]) -> list[str]:
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
        self, reading: Reading, hit: Hit[str], by_start: dict[int, Number], claimed: set[int]
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


def _servings(node: Node, default: str, drinks: set[str], lex: Lexicon) -> PhraseSet[str]:
    """Serving words alone: a list (each the default drink) or a mapping word -> drink."""
    if isinstance(node.value, list):
        return phrases(node, default, lex)
    return PhraseSet([(word, child.choice(drinks)) for word, child in node.items()], lex)
