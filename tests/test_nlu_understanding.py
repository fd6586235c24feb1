"""Issue 9, the rules' part: amounts and serving words, brands, an amount in mg, sizes,
the pregnancy limit; bed and wake spans past midnight; ranges in words; typos and slang on
every vocabulary; several conditions at once; a medicine given up; ordinary sports, hobbies
and jobs; common conditions. Phrasings are invented here, not the blind sets' sentences."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from tests.helpers import answer, detail

CAFFEINE = [
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


@pytest.mark.parametrize(("text", "expected"), CAFFEINE)
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


SLEEP = [
    ("lights out about 12:30, alarm at 6", "short"),  # 5.5 h
    ("half 12 until 7", "fair"),  # 6.5 h
    ("bed at 12, up at 8", "enough"),
    ("12:30 to 6:30", "fair"),
    ("11 to 6", "enough"),
    ("between five and six", "short"),
    ("between six n seven", "fair"),
    ("somewhere between 4 and 5", "short"),
]


@pytest.mark.parametrize(("text", "expected"), SLEEP)
def test_sleep_spans_and_ranges_in_words(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "sleep", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("five dayz", "days"),
        ("3 weaks now", "weeks"),
        ("a few munths", "months"),
        ("about a fortnite", "weeks"),
        ("6 mnths", "months"),
        ("over a yr", "months"),
    ],
)
def test_duration_typos(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "duration", text) == expected


MEDICATIONS = [
    ("addies in the morning", ["adhd_stimulant"]),
    ("addy xr 20", ["adhd_stimulant"]),
    ("zoloft + addy", ["antidepressant", "adhd_stimulant"]),
    ("quit fluoxetine a year ago, nothing now", ["none"]),
    ("was on citalopram but stopped it", ["none"]),
    ("used to take ritalin as a kid", ["none"]),
    ("came off my antidepressants in june", ["none"]),
    ("stopped venlafaxine, still on vyvanse", ["adhd_stimulant"]),
    ("coming off sertraline slowly", ["antidepressant"]),  # still taking it
    ("just started escitalopram", ["antidepressant"]),
]


@pytest.mark.parametrize(("text", "expected"), MEDICATIONS)
def test_medicine_slang_and_medicines_given_up(
    knowledge: Knowledge, text: str, expected: list[str]
) -> None:
    assert sorted(answer(knowledge, "medications", text)) == sorted(expected)


CONDITIONS = [
    ("dodgy kidneys and the sugar", ["kidney", "diabetes"]),
    ("type 2 + kidney disease", ["diabetes", "kidney"]),
    ("just a touch of sugar", ["diabetes"]),
    ("hay fever", ["other"]),
    ("bad hayfever every spring", ["other"]),
    ("asthma and eczema", ["other"]),
    ("tendinitis in my wrist", ["other"]),
    ("nope, all good", ["none"]),  # two denials are still a denial
]


@pytest.mark.parametrize(("text", "expected"), CONDITIONS)
def test_several_and_common_conditions(
    knowledge: Knowledge, text: str, expected: list[str]
) -> None:
    assert sorted(answer(knowledge, "conditions", text)) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my hammy", ["thigh"]),
        ("left hammies after squats", ["thigh"]),
        ("just below my knee", ["calf"]),
        ("right above the knee", ["thigh"]),
        ("left bum cheek", ["thigh"]),
    ],
)
def test_slang_and_positions_for_body_parts(
    knowledge: Knowledge, text: str, expected: list[str]
) -> None:
    assert answer(knowledge, "location", text) == expected


EXERCISE = [
    ("snowboarding at weekends", "light"),
    ("surfing when the waves are good", "light"),
    ("horse riding", "light"),
    ("pottering about in the garden", "light"),
    ("warehouse job, on my feet all shift", "light"),
    ("i'm a nurse, on my feet all day", "light"),
    ("kickboxing four nights a week", "intense"),
    ("i work as a labourer", "intense"),
    ("not since lockdown", "none"),
    ("havent for ages", "none"),
    ("i walk the dog most days", "light"),
]


@pytest.mark.parametrize(("text", "expected"), EXERCISE)
def test_sports_hobbies_and_jobs_land_in_exercise(
    knowledge: Knowledge, text: str, expected: str
) -> None:
    assert answer(knowledge, "exercise", text) == expected


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("location", "my left eyelit", ["eyelid"]),  # a letter swapped by sound
        ("location", "both calfs", ["calf"]),
        ("caffeine", "2 celcius a day", "high"),
        ("caffeine", "a monstar and a redbul", "moderate"),
        ("caffeine", "way too many energie drinks", "high"),
        ("medications", "adderal", ["adhd_stimulant"]),
        ("conditions", "diabeties and kidny disease", ["diabetes", "kidney"]),
        ("stress", "super stresed", "high"),
    ],
)
def test_typos_on_every_vocabulary(
    knowledge: Knowledge, question: str, text: str, expected: object
) -> None:
    got = answer(knowledge, question, text)
    assert (sorted(got) if isinstance(got, list) else got) == (
        sorted(expected) if isinstance(expected, list) else expected
    )


def test_a_sound_alike_slip_never_turns_a_real_word_into_another() -> None:
    from dialogs.text import Lexicon

    lexicon = Lexicon(keep={"mouth"})
    lexicon.add(["month", "eyelid", "weeks", "cramp"])
    assert lexicon.repair("eyelit") == "eyelid"
    assert lexicon.repair("weaks") == "weeks"
    assert lexicon.repair("cramb") == "cramp"
    assert lexicon.repair("mouth") == "mouth"  # a real word (kept), and u/n don't sound alike
    assert lexicon.repair("clamp") == "clamp"  # l/r: another word, not a slip


@pytest.mark.parametrize(
    ("text", "expected"),
    [("since christmas", "months"), ("since last xmas", "months"), ("since new year", "months")],
)
def test_durations_from_holidays(knowledge: Knowledge, text: str, expected: str) -> None:
    from datetime import UTC, datetime

    from dialogs import nlu

    reading = nlu.interpret(knowledge, text, "duration", {}, now=datetime(2026, 3, 20, tzinfo=UTC))
    assert [a.value for a in reading.answers if a.question == "duration"] == [expected]
