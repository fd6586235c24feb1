"""Free text through `nlu.interpret` beyond one question's vocabulary: skips, no guesses,
several answers in one message, answers in passing, corrections, yes/no; bad input never
raises and stays fast. One question's words: tests/dialogs/matchers/test_<question>.py.

Phrasings here are invented (not the evaluation's sentences)."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs import nlu
from dialogs.knowledge import Knowledge
from tests.helpers import QUESTION_ORDER, answer, ask

ORDER = QUESTION_ORDER
QUESTIONS = [None, *QUESTION_ORDER]


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


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("my throat and tongue", ["neck_back", "face"]),
        ("tongue", ["face"]),
        ("throat", ["neck_back"]),
    ],
)
def test_the_throat_is_the_neck_and_the_tongue_the_face(
    knowledge: Knowledge, text: str, places: list[str]
) -> None:
    reading = ask(knowledge, "location", text)
    got = {a.question: a.value for a in reading.answers}
    assert sorted(got["location"]) == sorted(places)


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


# --- bad input -------------------------------------------------------------------------


WEIRD = [
    "",
    "   ",
    "😀🙃🔥",
    "\x00\x01\x02\x1b[31m",
    "\u202e\u200b\u200d",
    "ｆｉｖｅ ｈｏｕｒｓ",
    "٥ ساعات",
    "五个小时",
    "-" * 500,
    "9" * 400,
    "1e309 hours",
    "5/0",
    "::::",
    "a" * 5000,
    "coffee " * 3000,
    "not " * 2000 + "numb",
]


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("text", WEIRD)
def test_bad_input_never_raises(knowledge: Knowledge, question: str | None, text: str) -> None:
    reading = nlu.interpret(knowledge, text, question, {})
    assert isinstance(reading, nlu.Interpretation)
    nlu.red_flags(knowledge, text)
    nlu.is_yes(knowledge, text)
    nlu.is_no(knowledge, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300), question=st.sampled_from(QUESTIONS))
def test_any_unicode_is_read(knowledge: Knowledge, text: str, question: str | None) -> None:
    reading = nlu.interpret(knowledge, text, question, {"location": ["calf"]})
    for item in reading.answers:
        values = {o.value for o in knowledge.questions[item.question].options}
        chosen = item.value if isinstance(item.value, list) else [item.value]
        assert set(chosen) <= values


def test_a_huge_message_is_quick(knowledge: Knowledge) -> None:
    text = "my calf twitches after 3 coffees and i sleep 5 hours " * 2000  # ~100 KB
    start = time.perf_counter()
    nlu.interpret(knowledge, text, "caffeine", {})
    assert time.perf_counter() - start < 0.5


def test_typical_answers_take_well_under_a_millisecond(knowledge: Knowledge) -> None:
    texts = ["both calfs", "5 or 6 coffees a day", "bed at 1am, up at 6", "sertraline"] * 50
    start = time.perf_counter()
    for text in texts:
        nlu.interpret(knowledge, text, "caffeine", {"location": ["calf"]})
    assert (time.perf_counter() - start) / len(texts) < 0.002


def test_a_look_alike_word_gives_no_answer(knowledge: Knowledge) -> None:
    reading = nlu.interpret(knowledge, "i do meditation", "medications", {})
    assert reading.answers == []
    assert nlu.red_flags(knowledge, "my legs are smelling sweet") == []


@pytest.mark.parametrize(
    "text",
    [
        "a cramp woke me and went on for half an hour, stretching did nothing",
        "my calf cramped for 20 minutes last night and wouldnt let go",
    ],
)
def test_a_cramps_own_length_is_not_how_long_the_twitching_has_gone_on(
    knowledge: Knowledge, text: str
) -> None:
    reading = ask(knowledge, "warning_signs", text)
    assert "long_cramp" in reading.red_flags
    assert "duration" not in {a.question for a in reading.answers}


def test_a_time_beside_another_sign_still_answers_in_passing(knowledge: Knowledge) -> None:
    reading = ask(knowledge, "warning_signs", "my hand has been numb and tingly for 3 weeks")
    assert "numbness" in reading.red_flags
    assert "duration" in {a.question for a in reading.answers}


@pytest.mark.parametrize("text", ["2 coffees on the train to work", "a latte after staff training"])
def test_a_train_or_a_training_course_is_no_exercise(knowledge: Knowledge, text: str) -> None:
    reading = ask(knowledge, "caffeine", text)
    assert "exercise" not in {a.question for a in reading.answers}
