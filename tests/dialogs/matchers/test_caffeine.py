"""The caffeine question (dialogs/matchers/caffeine.py) through `nlu.interpret`: drinks and
counts, serving words, brands and sizes, an amount in mg, the pregnancy limit, negation and
past habits, ranges and vague numbers, pods and typos. Phrasings are invented here."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from tests.helpers import answer, detail

CAFFEINE = [
    ("no caffeine at all", "none"),
    ("i don't drink coffee", "none"),
    ("nothing, only water", "none"),
    ("none", "none"),
    ("zero", "none"),
    ("i quit coffee last year", "none"),
    ("just herbal tea", "none"),
    ("a coffee in the morning", "moderate"),
    ("2 cups of coffee", "moderate"),
    ("one latte and a green tea", "moderate"),
    ("three teas", "moderate"),
    ("a can of red bull", "moderate"),
    ("decaf only", "moderate"),
    ("a diet coke or two", "moderate"),
    ("3 coffees", "moderate"),
    ("four coffees", "moderate"),  # 4 x 95 mg = 380 mg
    ("five coffees", "high"),
    ("5-6 cups of coffee", "high"),
    ("like 7 or 8 espressos", "high"),
    ("3 monsters", "high"),
    ("two monster energy and a coffee", "high"),
    ("2 scoops of preworkout", "high"),
    ("three big mugs of coffee", "high"),
    ("4 double espressos", "high"),
    ("a few cofees and a pre workout", "high"),
    ("coffee x5", "high"),
]


@pytest.mark.parametrize(("text", "expected"), CAFFEINE)
def test_caffeine(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "caffeine", text) == expected


def test_caffeine_estimate_uses_the_serving_table(knowledge: Knowledge) -> None:
    found = detail(knowledge, "caffeine", "6 double espressos and a red bull")
    assert found["mg"] == 6 * 2 * 65 + 80
    assert found["items"] == ["6 double espressos", "1 red bull"]
    assert detail(knowledge, "caffeine", "two big mugs of coffee")["mg"] == 280
    assert detail(knowledge, "caffeine", "5 or 6 coffees")["mg"] == round(5.5 * 95)
    assert detail(knowledge, "caffeine", "no coffee")["mg"] == 0


AMOUNTS_SERVING_WORDS_AND_BRANDS = [
    ("a big mug of joe, three times a day", "high"),  # 3 x 140
    ("coffee x5", "high"),
    ("coffee x4", "moderate"),  # 380 mg: under 400
    ("2 mugs", "moderate"),  # a serving word alone: coffee, 2 x 140
    ("4 shots", "moderate"),  # espresso shots, 4 x 65
    ("two scoops of pre workout", "high"),
    ("a caffeine tablet and 3 coffees", "high"),  # 200 + 285
    ("3 pills a day", "high"),  # caffeine tablets, asked about caffeine
    ("one ghost energy", "moderate"),
    ("celsius before the gym and a coffee after", "moderate"),  # 200 + 95
    ("two bangs a day", "high"),  # 2 x 300
    ("a reign and a c4", "high"),  # 300 + 200
    ("i take about 450mg of caffeine", "high"),
    ("roughly 250 mg a day", "moderate"),
    ("a 473ml monster", "moderate"),
    ("three 500ml monsters", "high"),
    ("a 12 oz coffee", "moderate"),
    ("one 250ml red bull", "moderate"),
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS_SERVING_WORDS_AND_BRANDS)
def test_caffeine_amounts_serving_words_and_brands(
    knowledge: Knowledge, text: str, expected: str
) -> None:
    assert answer(knowledge, "caffeine", text) == expected


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("a 200mg caffeine pill and 2 coffees", 390),  # the pill's own amount, plus the table
        ("about 600 mg, mostly from pre workout", 600),  # the day's total
        ("3 coffees, so around 300mg", 300),  # a total said after the drinks: not added
        ("two 500ml monsters", 320),  # 500 is a size, not a count
        ("a 16oz coffee", 140),  # a large one
        ("one scoop of c4 pre workout", 200),  # the 4 of a name is no count
        ("2 c4 energy", 400),
    ],
)
def test_an_amount_in_mg_wins_and_sizes_are_not_counts(
    knowledge: Knowledge, text: str, mg: int
) -> None:
    assert detail(knowledge, "caffeine", text)["mg"] == mg


def test_the_pregnancy_limit_applies_when_the_message_says_pregnant(knowledge: Knowledge) -> None:
    assert answer(knowledge, "caffeine", "two coffees and a tea") == "moderate"  # 235 mg
    assert answer(knowledge, "caffeine", "pregnant, two coffees and a tea") == "high"


NEGATION_AND_PAST = [
    ("i never drink coffee, cola or energy drinks", "none"),
    ("don't have tea or coffee or coke", "none"),
    ("no coffee, no tea, no soda", "none"),
    ("never touch coffee, tea or energy drinks", "none"),
    ("i used to have 5 coffees a day but quit, now zero", "none"),
    ("was a big tea drinker before, now i don't have any", "none"),
    ("used to drink red bull all the time, now just 1 coffee", "moderate"),
    ("i used to have loads of cola, these days none at all", "none"),
    ("i used to drink tea but now 5 coffees a day", "high"),
]


@pytest.mark.parametrize(("text", "expected"), NEGATION_AND_PAST)
def test_negation_over_lists_and_past_habits(
    knowledge: Knowledge, text: str, expected: str
) -> None:
    assert answer(knowledge, "caffeine", text) == expected


RANGES_AND_VAGUE_NUMBERS = [
    ("a dozen coffees", "high"),
    ("half a dozen cups of tea", "moderate"),
    ("a couple of coffees", "moderate"),
    ("one or two teas", "moderate"),
    ("two-three lattes", "moderate"),
    ("three to four red bulls", "moderate"),
    ("half a dozen red bulls", "high"),
]


@pytest.mark.parametrize(("text", "expected"), RANGES_AND_VAGUE_NUMBERS)
def test_ranges_and_vague_numbers(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "caffeine", text) == expected


PODS_AND_TYPOS = [
    ("three nespresso capsules", "moderate"),
    ("a lungo and two coffee pods", "moderate"),
    ("5 k cups a day", "high"),
    ("2 celcius a day", "high"),
    ("a monstar and a redbul", "moderate"),
    ("way too many energie drinks", "high"),
]


@pytest.mark.parametrize(("text", "expected"), PODS_AND_TYPOS)
def test_coffee_pods_and_typos(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "caffeine", text) == expected
