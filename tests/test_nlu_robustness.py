"""Bad input never raises and stays fast; knowledge.yaml mistakes name their place;
the text mechanics (tokens, typo repair, numbers) on their own."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs import nlu
from dialogs.knowledge import DEFAULT_PATH, Knowledge, KnowledgeError, parse_knowledge
from dialogs.numbers import find_numbers
from dialogs.text import Lexicon, Negation, Reading, tokenize
from tests.vocabulary import QUESTION_ORDER

QUESTIONS = [None, *QUESTION_ORDER]

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


# --- the mechanics on their own --------------------------------------------------------


def test_tokens_drop_apostrophes_and_split_units() -> None:
    assert tokenize("Don't know, 8h or 6:30") == ["dont", "know", ",", "8", "h", "or", "6:30"]
    assert tokenize("pre-workout 5–6") == ["pre", "workout", "5", "-", "6"]


def test_lexicon_repairs_plurals_and_typos_but_keeps_real_words() -> None:
    lexicon = Lexicon(keep={"hour", "fine"})
    lexicon.add(["calf", "coffees", "potassium", "five", "hours"])
    assert lexicon.repair("calfs") == "calf"
    assert lexicon.repair("cofees") == "coffees"
    assert lexicon.repair("potasium") == "potassium"
    assert lexicon.repair("fiev") == "five"
    assert lexicon.repair("fine") == "fine"
    assert lexicon.repair("zebra") == "zebra"


def test_negation_scope_stops_at_a_clause_boundary() -> None:
    reading = Reading.of(
        ["no", "pain", ",", "numb"], Negation(frozenset({"no"}), frozenset(), window=4)
    )
    assert reading.negated == [False, True, False, False]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("six and a half", 6.5),
        ("5-6", 5.5),
        ("5 or 6", 5.5),
        ("a couple", 2),
        ("a few", 3),
        ("twenty five", 25),
        ("half a", 0.5),
        ("7.5", 7.5),
    ],
)
def test_numbers(knowledge: Knowledge, text: str, value: float) -> None:
    language = knowledge.language
    numbers = find_numbers(language.read(text), language.tools.numbers)
    assert [n.value for n in numbers] == [value]


# --- validation -----------------------------------------------------------------------


def _with(old: str, new: str) -> str:
    text = Path(DEFAULT_PATH).read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "place"),
    [
        ("    matcher: duration\n", "    matcher: telepathy\n", "questions[2].matcher"),
        (
            "  - id: self_harm\n    urgency: emergency",
            "  - id: self_harm\n    urgency: soon",
            "red_flags[0].urgency",
        ),
        ("      eyelid: [eyelid,", "      eyelids_x: [eyelid,", "questions[0].words.eyelids_x"),
        ("  negation_window: 4", "  negation_window: many", "language.negation_window"),
    ],
)
def test_a_bad_entry_names_its_place(old: str, new: str, place: str) -> None:
    with pytest.raises(KnowledgeError, match=place.replace("[", r"\[").replace("]", r"\]")):
        parse_knowledge(_with(old, new))


@pytest.mark.parametrize(
    ("word", "kept"),
    [("note", True), ("ones", False), ("thirsty", True), ("meditation", True), ("sweet", True)],
)
def test_real_words_are_not_repaired_into_other_words(
    knowledge: Knowledge, word: str, kept: bool
) -> None:
    repaired = knowledge.language.lexicon.repair(word)
    assert (repaired == word) is kept
    assert repaired not in {"not", "on", "thirty", "medication", "sweat"}


def test_a_look_alike_word_gives_no_answer(knowledge: Knowledge) -> None:
    reading = nlu.interpret(knowledge, "i do meditation", "medications", {})
    assert reading.answers == []
    assert nlu.red_flags(knowledge, "my legs are smelling sweet") == []
