"""Free-text answers, question by question, through `nlu.interpret` (the engine's entry).

Phrasings here are invented (not the evaluation's sentences): typos, numbers in words,
ranges, negation, skips, answers in passing and corrections."""

from __future__ import annotations

import pytest

from dialogs import nlu
from dialogs.knowledge import Knowledge
from tests.helpers import answer, ask, detail
from tests.vocabulary import QUESTION_ORDER

ORDER = QUESTION_ORDER


LOCATION = [
    ("my right eyelid", ["eyelid"]),
    ("left eye keeps flickering", ["eyelid"]),
    ("under my eye", ["eyelid"]),
    ("my eyelids", ["eyelid"]),
    ("eylid", ["eyelid"]),
    ("both calves", ["calf"]),
    ("calfs", ["calf"]),
    ("left calf and my foot", ["calf", "foot"]),
    ("my toes", ["foot"]),
    ("the arch of my foot", ["foot"]),
    ("index finger", ["hand"]),
    ("left thumb when typing", ["hand"]),
    ("back of my hand", ["hand"]),
    ("forearm", ["arm"]),
    ("triceps and shoulder", ["arm"]),
    ("my quads", ["thigh"]),
    ("hamstring", ["thigh"]),
    ("lower back", ["neck_back"]),
    ("back of my neck", ["neck_back"]),
    ("stomach", ["chest_abdomen"]),
    ("ribs and belly", ["chest_abdomen"]),
    ("upper lip", ["face"]),
    ("jaw", ["face"]),
    ("random places all over my body", ["widespread"]),
    ("everywhere", ["widespread"]),
    ("legs", ["calf", "thigh"]),
    ("my legs, mainly the calves", ["calf"]),
    ("arms and legs", ["arm", "calf", "thigh"]),
    ("Calf", ["calf"]),
    ("Neck or back", ["neck_back"]),
]


@pytest.mark.parametrize(("text", "expected"), LOCATION)
def test_location(knowledge: Knowledge, text: str, expected: list[str]) -> None:
    assert answer(knowledge, "location", text) == sorted(expected)


DURATION = [
    ("since this afternoon", "under_a_day"),
    ("just a couple of hours", "under_a_day"),
    ("started tonight", "under_a_day"),
    ("half a day", "under_a_day"),
    ("less than a day", "under_a_day"),
    ("two days", "days"),
    ("since yesterday", "days"),
    ("since wednesday", "days"),
    ("since last friday", "days"),
    ("about a week", "days"),
    ("a week and a half", "days"),
    ("for a few days now", "days"),
    ("ten days", "days"),
    ("a fortnight", "weeks"),
    ("three weeks or so", "weeks"),
    ("for about a month", "weeks"),
    ("six weeks", "weeks"),
    ("a few weeks", "weeks"),
    ("2 months", "months"),
    ("nearly a year", "months"),
    ("on and off for two years", "months"),
    ("like five months", "months"),
    ("years honestly", "months"),
    ("for ages", "months"),
    ("3 wks", "weeks"),
    ("fiev days", "days"),
]


@pytest.mark.parametrize(("text", "expected"), DURATION)
def test_duration(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "duration", text) == expected


def test_duration_detail_is_days(knowledge: Knowledge) -> None:
    assert detail(knowledge, "duration", "three weeks")["days"] == pytest.approx(21)


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


SLEEP = [
    ("3 hours", "short"),
    ("five", "short"),
    ("fiev hours", "short"),
    ("4-5 hours", "short"),
    ("barely any, like 4h", "short"),
    ("under 6", "short"),
    ("in bed at 2, up at 7", "short"),
    ("bed at midnight and the alarm at 5:30", "short"),
    ("hardly sleep at all", "short"),
    ("6 hours", "fair"),
    ("six and a half", "fair"),
    ("6-7", "fair"),
    ("about 6.5h", "fair"),
    ("7 hours", "enough"),
    ("seven", "enough"),
    ("7-8 hrs", "enough"),
    ("8h", "enough"),
    ("nine hours", "enough"),
    ("asleep by 11pm, up at 7am", "enough"),
    ("i sleep like a log", "enough"),
    ("around eight hours usually", "enough"),
]


@pytest.mark.parametrize(("text", "expected"), SLEEP)
def test_sleep(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "sleep", text) == expected


def test_sleep_detail_is_the_span(knowledge: Knowledge) -> None:
    assert detail(knowledge, "sleep", "bed at 1am, up at 6")["hours"] == 5
    assert detail(knowledge, "sleep", "8-9 hours")["hours"] == 8.5


STRESS = [
    ("1", "low"),
    ("2/10", "low"),
    ("like a 3", "low"),
    ("calm", "low"),
    ("pretty relaxed lately", "low"),
    ("not stressed", "low"),
    ("zero stress", "low"),
    ("four", "moderate"),
    ("5 out of 10", "moderate"),
    ("six maybe", "moderate"),
    ("a bit stressed", "moderate"),
    ("medium", "moderate"),
    ("somewhat", "moderate"),
    ("seven", "high"),
    ("8/10", "high"),
    ("10!!", "high"),
    ("very stressed", "high"),
    ("overwhelmed with work", "high"),
    ("burnt out", "high"),
    ("exam season, stressed out", "high"),
    ("7-8", "high"),
    ("nothing at all", "low"),
    ("a little anxious", "moderate"),
]


@pytest.mark.parametrize(("text", "expected"), STRESS)
def test_stress(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "stress", text) == expected


def test_stress_detail_is_the_scale(knowledge: Knowledge) -> None:
    assert detail(knowledge, "stress", "9 out of 10")["scale"] == 9


MEDICATIONS = [
    ("none", ["none"]),
    ("no meds", ["none"]),
    ("i don't take anything", ["none"]),
    ("nope", ["none"]),
    ("lasix", ["diuretic"]),
    ("hctz 25mg", ["diuretic"]),
    ("spironolactone", ["diuretic"]),
    ("my water pill", ["diuretic"]),
    ("vyvanse", ["adhd_stimulant"]),
    ("methylphenidate", ["adhd_stimulant"]),
    ("concerta 36", ["adhd_stimulant"]),
    ("prozac", ["antidepressant"]),
    ("escitalopram 10mg", ["antidepressant"]),
    ("cymbalta", ["antidepressant"]),
    ("bupropion", ["antidepressant"]),
    ("an ssri", ["antidepressant"]),
    ("sertaline", ["antidepressant"]),
    ("levothyroxine", ["other"]),
    ("metformin and a statin", ["other", "statin"]),
    ("vitamin d and magnesium", ["other"]),
    ("the contraceptive pill", ["other"]),
    ("ramipril", ["other"]),
    ("some pills for my blood pressure", ["other"]),
    ("adderall and lexapro", ["adhd_stimulant", "antidepressant"]),
    ("furosemide and ibuprofen", ["diuretic", "other"]),
]


@pytest.mark.parametrize(("text", "expected"), MEDICATIONS)
def test_medications(knowledge: Knowledge, text: str, expected: list[str]) -> None:
    assert answer(knowledge, "medications", text) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("started zoloft 10 days ago", True),
        ("my psychiatrist increased my prozac", True),
        ("new medication: lexapro", True),
        ("they changed the dose of my sertraline", True),
        ("sertraline for years", False),
    ],
)
def test_medication_recent_change(knowledge: Knowledge, text: str, changed: bool) -> None:
    found = detail(knowledge, "medications", text)
    assert bool(found.get("recent_change")) is changed
    assert found["names"]


EXERCISE = [
    ("none", "none"),
    ("i don't exercise", "none"),
    ("couch potato", "none"),
    ("desk job, no sport", "none"),
    ("not really", "none"),
    ("walking to work", "light"),
    ("a bit of yoga now and then", "light"),
    ("i walk the dog", "light"),
    ("gym twice a week, nothing crazy", "light"),
    ("easy cycling", "light"),
    ("pilates", "light"),
    ("crossfit", "intense"),
    ("training for a marathon", "intense"),
    ("hiit classes, soaked in sweat", "intense"),
    ("3 hours of tennis in the heat", "intense"),
    ("long runs every weekend", "intense"),
    ("heavy lifting 6 times a week", "intense"),
    ("hot yoga", "intense"),
    ("construction work all day in the sun", "intense"),
    ("half marathon last sunday", "intense"),
]


@pytest.mark.parametrize(("text", "expected"), EXERCISE)
def test_exercise(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "exercise", text) == expected


def test_exercise_flags_sweat_and_heat(knowledge: Knowledge) -> None:
    found = detail(knowledge, "exercise", "football in the heat, sweating a lot")
    assert found == {"sweat": True, "heat": True}


CONDITIONS = [
    ("none", ["none"]),
    ("no", ["none"]),
    ("nothing diagnosed", ["none"]),
    ("i'm healthy", ["none"]),
    ("not that i know of", ["none"]),
    ("type 1 diabetes", ["diabetes"]),
    ("diabetic", ["diabetes"]),
    ("prediabetes", ["diabetes"]),
    ("diabetis", ["diabetes"]),
    ("ckd", ["kidney"]),
    ("kidney disease", ["kidney"]),
    ("i'm on dialysis", ["kidney"]),
    ("my kidneys are weak", ["kidney"]),
    ("asthmatic", ["other"]),
    ("hypertension", ["other"]),
    ("hashimotos", ["other"]),
    ("an overactive thyroid", ["other"]),
    ("migraines and ibs", ["other"]),
    ("diabetes and high blood pressure", ["diabetes", "other"]),
    ("kidney stones and type 2", ["diabetes", "kidney"]),
]


@pytest.mark.parametrize(("text", "expected"), CONDITIONS)
def test_conditions(knowledge: Knowledge, text: str, expected: list[str]) -> None:
    assert answer(knowledge, "conditions", text) == sorted(expected)


SKIPS = ["skip", "not sure", "I don't know", "idk", "no idea", "rather not say", "dunno", "Skip!"]


@pytest.mark.parametrize("question", ORDER)
@pytest.mark.parametrize("text", SKIPS)
def test_skip_phrases_skip_any_question(knowledge: Knowledge, question: str, text: str) -> None:
    reading = ask(knowledge, question, text)
    assert reading.skipped
    assert not [a for a in reading.answers if a.question == question]


def test_not_sure_is_not_a_no(knowledge: Knowledge) -> None:
    for question in ("medications", "conditions", "caffeine", "exercise"):
        assert answer(knowledge, question, "not sure") == "unknown"


def test_an_answer_after_a_hedge_wins_over_the_skip(knowledge: Knowledge) -> None:
    assert answer(knowledge, "caffeine", "not sure, maybe 2 coffees") == "moderate"


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("location", "blah blah"),
        ("duration", "it is annoying"),
        ("sleep", "why do you ask"),
        ("caffeine", "hmm"),
        ("stress", "what"),
        ("medications", "ok"),
    ],
)
def test_no_guess_when_not_understood(knowledge: Knowledge, question: str, text: str) -> None:
    reading = ask(knowledge, question, text)
    assert not reading.skipped
    assert not [a for a in reading.answers if a.question == question]


def test_one_message_answers_several_questions(knowledge: Knowledge) -> None:
    reading = ask(knowledge, "caffeine", "5 coffees a day and I sleep about 5 hours")
    got = {a.question: a.value for a in reading.answers}
    assert got == {"caffeine": "high", "sleep": "short"}


def test_answers_in_passing_need_a_clear_cue(knowledge: Knowledge) -> None:
    reading = ask(knowledge, "location", "my left calf, for about 3 weeks now")
    got = {a.question: a.value for a in reading.answers}
    assert got == {"location": ["calf"], "duration": "weeks"}
    reading = nlu.interpret(knowledge, "started sertraline 2 weeks ago", "medications", {})
    assert {a.question for a in reading.answers} == {"medications"}


def test_answered_questions_are_not_answered_again_in_passing(knowledge: Knowledge) -> None:
    reading = nlu.interpret(
        knowledge, "2 coffees, and I sleep 8 hours", "caffeine", {"sleep": "short"}
    )
    assert {a.question for a in reading.answers} == {"caffeine"}


@pytest.mark.parametrize("asking", ["duration", "caffeine", "stress", "conditions"])
def test_correction_replaces_an_answer(knowledge: Knowledge, asking: str) -> None:
    reading = nlu.interpret(
        knowledge, "actually it's my calf, not my eye", asking, {"location": ["eyelid"]}
    )
    fixed = [a for a in reading.answers if a.question == "location"]
    assert [a.value for a in fixed] == [["calf"]]


def test_denial_removes_a_stored_value(knowledge: Knowledge) -> None:
    reading = nlu.interpret(knowledge, "not my eye", "sleep", {"location": ["eyelid", "face"]})
    assert [(a.question, a.value) for a in reading.answers] == [("location", ["face"])]


def test_correction_of_a_one_value_answer(knowledge: Knowledge) -> None:
    reading = nlu.interpret(
        knowledge, "sorry, I meant I sleep 8 hours", "stress", {"sleep": "short"}
    )
    assert [(a.question, a.value) for a in reading.answers] == [("sleep", "enough")]


def test_a_body_part_in_passing_is_not_a_correction(knowledge: Knowledge) -> None:
    reading = nlu.interpret(
        knowledge, "my calf hurts after 2 coffees", "caffeine", {"location": ["eyelid"]}
    )
    assert {a.question for a in reading.answers} == {"caffeine"}


@pytest.mark.parametrize(
    ("text", "yes", "no"),
    [
        ("yes", True, False),
        ("Yes please, delete it", True, False),
        ("yep", True, False),
        ("no", False, True),
        ("nope, keep it", False, True),
        ("don't delete", False, True),
        ("banana", False, False),
        ("", False, False),
    ],
)
def test_yes_and_no(knowledge: Knowledge, text: str, yes: bool, no: bool) -> None:
    assert nlu.is_yes(knowledge, text) is yes
    assert nlu.is_no(knowledge, text) is no


def test_a_month_name_needs_the_date(knowledge: Knowledge) -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 25, 10, tzinfo=UTC)
    said = {"location": ["calf"]}
    assert nlu.interpret(knowledge, "since january", "duration", said).answers == []
    found = nlu.interpret(knowledge, "since january", "duration", said, now=now).answers
    assert [(a.question, a.value) for a in found] == [("duration", "months")]
    found = nlu.interpret(knowledge, "since november", "duration", said, now=now).answers
    assert [a.value for a in found] == ["weeks"]
    found = nlu.interpret(knowledge, "i may have had it 3 days", "duration", said, now=now)
    assert [a.value for a in found.answers] == ["days"]
