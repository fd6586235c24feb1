"""Red flags in any message, through `nlu.red_flags` and `nlu.interpret`; negated mentions
and harmless look-alikes are not flags. Phrasings are invented, not the evaluation's."""

from __future__ import annotations

import pytest

from dialogs import nlu
from dialogs.knowledge import Knowledge
from dialogs.red_flags import FlagReading, read_red_flags
from tests.helpers import RED_FLAG_URGENCY

POSITIVE = [
    ("i can't catch my breath", "breathing"),
    ("suddenly short of breath and twitchy", "breathing"),
    ("it's hard for me to breathe", "breathing"),
    ("struggling to breathe properly", "breathing"),
    ("i cannot swallow my food", "swallowing"),
    ("swallowing has become difficult", "swallowing"),
    ("I keep choking on my food", "swallowing"),
    ("my speech sounds slurred", "speech"),
    ("people say my voice has changed and sounds weird", "speech"),
    ("trouble speaking since this morning", "speech"),
    ("i'm losing strength in my hand", "weakness"),
    ("i keep tripping over my own feet", "weakness"),
    ("can't grip my cup anymore", "weakness"),
    ("my legs feel weak", "weakness"),
    ("the muscle between thumb and finger looks thinner than before", "wasting"),
    ("my right calf is getting smaller", "wasting"),
    ("pins and needles in my fingers", "numbness"),
    ("my toes went numb", "numbness"),
    ("i can't feel part of my thigh", "numbness"),
    ("now it's spreading to my other arm", "spreading"),
    ("it started after i hit my head", "injury"),
    ("since the whiplash from a car crash", "injury"),
    ("after a bad fall on my back", "injury"),
    ("my calf is swollen and hurts", "calf_swelling"),
    ("my lower leg is warm to the touch and puffy", "calf_swelling"),
    ("i struggle for air at night", "breathing"),
    ("water goes down the wrong way when i drink", "swallowing"),
    ("people can't understand me when i talk", "speech"),
    ("it used to be just my eye, now it's everywhere", "spreading"),
    ("i got hit in the head at hockey", "injury"),
]


@pytest.mark.parametrize(("text", "flag"), POSITIVE)
def test_red_flag_is_found(knowledge: Knowledge, text: str, flag: str) -> None:
    assert flag in nlu.red_flags(knowledge, text)
    assert flag in nlu.interpret(knowledge, text, "location", {}).red_flags


NEGATIVE = [
    "no tingling, no numbness",
    "breathing is normal",
    "no trouble swallowing or speaking",
    "i'm not weak at all",
    "it hasn't spread anywhere",
    "no injury that i know of",
    "no swelling in my calf",
    "my calf twitches but looks normal",
    "my eyelid twitches every few minutes",
    "i read about ALS online and got scared",
    "my finger twitches when i play guitar",
    "twitching after i drink coffee",
    "i fell asleep at 2am",
    "i swallowed a vitamin and went to bed",
    "i was breathing hard after my run",
    "",
    "😀",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_red_flag(knowledge: Knowledge, text: str) -> None:
    assert nlu.red_flags(knowledge, text) == []


def test_several_flags_in_one_message(knowledge: Knowledge) -> None:
    found = nlu.red_flags(knowledge, "my hand is numb and i keep dropping things")
    assert set(found) == {"numbness", "weakness"}


def test_a_negated_flag_next_to_a_real_one(knowledge: Knowledge) -> None:
    text = "no numbness, but i can't breathe well"
    assert nlu.red_flags(knowledge, text) == ["breathing"]


def test_every_flag_of_the_contract_in_its_order(knowledge: Knowledge) -> None:
    flags = knowledge.red_flags
    assert list(flags) == list(RED_FLAG_URGENCY)
    assert {f: flag.urgency for f, flag in flags.items()} == RED_FLAG_URGENCY
    for flag in flags.values():
        assert flag.label.strip() and flag.message.strip() and flag.confirm.strip()
        assert flag.confirm.rstrip().endswith("?")


@pytest.mark.parametrize(
    "text",
    ["what if my calf is swollen?", "should i worry about tingling", "can stress cause numbness"],
)
def test_a_question_about_a_sign_is_not_the_sign(knowledge: Knowledge, text: str) -> None:
    assert nlu.red_flags(knowledge, text) == []


def test_a_sign_then_a_question_is_still_the_sign(knowledge: Knowledge) -> None:
    assert nlu.red_flags(knowledge, "my calf is swollen, should i worry?") == ["calf_swelling"]
    assert nlu.red_flags(knowledge, "i get short of breath even when resting") == ["breathing"]


def test_a_denied_sign_answers_no_question_in_passing(knowledge: Knowledge) -> None:
    reading = nlu.interpret(knowledge, "no problems breathing or swallowing", "location", {})
    assert reading.answers == []
    assert reading.red_flags == []


MORE_POSITIVE = [
    ("i keep struggling to catch my breath", "breathing"),
    ("cannot get a proper breath in", "breathing"),
    ("feeling breathless even sitting down", "breathing"),
    ("i get winded doing nothing at all", "breathing"),
    ("can't seem to fill my lungs", "breathing"),
    ("my speech has gone all mumbled", "speech"),
    ("i've started slurring a bit", "speech"),
    ("struggling to get my words out", "speech"),
    ("people say i sound drunk when i talk", "speech"),
    ("my words come out funny lately", "speech"),
    ("water comes out my nose when i drink", "swallowing"),
    ("i keep choking on water", "swallowing"),
    ("i cough every time i swallow", "swallowing"),
    ("drinks go up my nose when i swallow", "swallowing"),
    ("pills get stuck halfway down", "swallowing"),
    ("my calf muscle looks hollow compared to the other", "wasting"),
    ("the fleshy bit of my hand has gone flat, like it caved in", "wasting"),
    ("i've lost a lot of muscle in my forearm", "wasting"),
    ("my shoulder is thinning on one side", "wasting"),
    ("there's a groove in my hand where the muscle was", "wasting"),
    ("it all started after a car accident", "injury"),
    ("someone rear ended me two weeks ago", "injury"),
    ("came off my bike and hit my neck", "injury"),
    ("i had whiplash last year", "injury"),
]


@pytest.mark.parametrize(("text", "flag"), MORE_POSITIVE)
def test_more_ways_to_describe_a_sign(knowledge: Knowledge, text: str, flag: str) -> None:
    assert flag in nlu.red_flags(knowledge, text)


MORE_NEGATIVE = [
    "haven't had any falls or injuries",
    "no numbness, tingling or weakness",
    "never had an accident or a head injury",
    "numbness? nope",
    "tingling? no",
    "slurring? nah",
    "any trouble swallowing? not really",
    "no breathlessness or choking",
    "i don't have any slurring, swallowing trouble or weakness",
    "my thumb twitches when i type",
    "what if i get breathless?",
    "should i worry about slurred speech",
    "i stopped to catch my breath after sprinting",
    "i fell asleep on the sofa",
    "i broke my phone screen",
    "is muscle wasting a sign of ALS?",
]


@pytest.mark.parametrize("text", MORE_NEGATIVE)
def test_more_denied_or_harmless_mentions(knowledge: Knowledge, text: str) -> None:
    assert nlu.red_flags(knowledge, text) == []


def test_a_trailing_no_only_denies_the_clause_before(knowledge: Knowledge) -> None:
    assert nlu.red_flags(knowledge, "tingling? no. but i keep dropping things") == ["weakness"]
    assert nlu.red_flags(knowledge, "i'm slurring my words, no idea why") == ["speech"]


ASKED_BACK = [  # likely signs, not clear ones: asked back, never raised or ignored
    ("since my fall down the stairs", "injury"),
    ("i get short of breath if i walk fast", "breathing"),
    ("my wee is brown", "dark_urine"),
    ("my jaw is stiff and hard to open", "tetanus"),
    ("am i having a stroke?", "stroke"),
]


@pytest.mark.parametrize(("text", "flag"), ASKED_BACK)
def test_a_likely_sign_is_asked_back(knowledge: Knowledge, text: str, flag: str) -> None:
    reading = read_red_flags(knowledge, text)
    assert reading.unsure == (flag,)
    assert reading.raised == ()


NEW_FLAGS = [
    ("it keeps getting worse and worse", "spreading"),
    ("I feel like I want to die", "self_harm"),
    ("there's no point going on anymore", "self_harm"),
    ("one side of my face has dropped and my arm is numb", "stroke"),
    ("fever and my neck is too stiff to bend", "meningitis"),
    ("just started sertraline and now i'm jerking and sweating buckets", "serotonin_toxicity"),
    ("crushing pain in my chest", "chest"),
    ("my heart is racing and skipping beats", "chest"),
    ("i had a seizure last night", "seizure"),
    ("on a statin, my legs ache and my pee is the colour of cola", "dark_urine"),
    ("stood on a rusty nail and now i have lockjaw", "tetanus"),
    ("i lost control of my bladder", "bladder_bowel"),
    ("I'm losing bladder control", "bladder_bowel"),
    ("my calf cramp lasted 25 minutes", "long_cramp"),
    ("my eyelid droops and the eye is red", "eyelid_closure"),
]


@pytest.mark.parametrize(("text", "flag"), NEW_FLAGS)
def test_the_new_flags_are_found(knowledge: Knowledge, text: str, flag: str) -> None:
    assert flag in read_red_flags(knowledge, text).raised


def test_fainting_names_both_chest_and_seizure(knowledge: Knowledge) -> None:
    for text in ("i fainted at work", "passed out this morning", "I keep blacking out"):
        assert read_red_flags(knowledge, text).raised == ("chest", "seizure")


def test_every_sign_of_a_message_most_urgent_first(knowledge: Knowledge) -> None:
    text = "my calf is swollen, warm and really painful and now I'm short of breath"
    reading = read_red_flags(knowledge, text)
    assert (reading.raised, reading.unsure) == (("breathing", "calf_swelling"), ())
    reordered = "I'm short of breath and my calf is swollen, warm and really painful"
    assert read_red_flags(knowledge, reordered).raised == ("breathing", "calf_swelling")
    assert nlu.red_flags(knowledge, text) == ["breathing", "calf_swelling"]
    found = nlu.interpret(knowledge, text, "location", {})
    assert found.red_flags == ["breathing", "calf_swelling"]


def test_bad_input_reads_as_nothing(knowledge: Knowledge) -> None:
    for text in ("", "   ", "?!", "\x00", "a" * 5000, None, 42):
        assert read_red_flags(knowledge, text) == FlagReading((), ())  # type: ignore[arg-type]


WEAKNESS = [
    "my knees keep giving way",
    "my left leg just gives way sometimes",
    "i've been dropping cups all week",
    "keeps dropping my pen at work",
    "my legs gave out on me twice",
]


@pytest.mark.parametrize("text", WEAKNESS)
def test_giving_way_and_dropping_are_weakness(knowledge: Knowledge, text: str) -> None:
    assert "weakness" in nlu.red_flags(knowledge, text)


@pytest.mark.parametrize(
    "text", ["no weakness, my legs never give way", "i dropped my kids off at school"]
)
def test_no_weakness(knowledge: Knowledge, text: str) -> None:
    assert "weakness" not in nlu.red_flags(knowledge, text)
