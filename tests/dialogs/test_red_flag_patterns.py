"""Round 3 of the per-flag tables (issue 8): the patterns behind signs missed on unseen
wording, each with new wordings of our own (never a blind set's) and look-alikes that must stay
quiet. Written first, then run, then the general rules fixed (knowledge.yaml `sign_words`,
`red_flags`; dialogs/red_flags.py)."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from dialogs.red_flags import read_red_flags

SAYS_3: list[tuple[str, str]] = [
    # a face or mouth that hangs down, a named stroke said of oneself
    ("stroke", "my face is hanging down on the left since this morning"),
    ("stroke", "the right side of my mouth is drooping down and my leg feels heavy"),
    ("stroke", "i think im having a stroke, my arm went numb"),
    ("stroke", "my dad is having a stroke"),
    # a child (or another person) as the patient, reported now; temperatures with decimals
    ("meningitis", "my daughter has a temperature of 38.9 and she cant move her neck"),
    ("meningitis", "my little boy is burning up and screams when he tries to bend his neck"),
    ("meningitis", "our baby has a fever and a stiff neck since this afternoon"),
    ("meningitis", "i think i have meningitis"),
    ("weakness", "my daughter keeps falling over and her legs seem weak"),
    ("weakness", "my boy cant hold his spoon anymore, his hand is weak"),
    # coffee- or cola-coloured pee after exercise
    ("dark_urine", "after spin class my thighs are so sore and my wee looks like black coffee"),
    ("dark_urine", "legs aching after the marathon and my urine looks like cola"),
    ("dark_urine", "my pee is coffee coloured and my muscles are killing me after crossfit"),
    # a wound, then a stiff jaw or stiffening muscles
    ("tetanus", "stepped on a rusty nail monday, now i can hardly open my mouth, my jaw is stiff"),
    ("tetanus", "cut my hand on a tin can a few days ago, now my jaw is tight"),
    ("tetanus", "after a gash from the fence my back muscles keep going rigid in spasms"),
    ("tetanus", "scratched by barbed wire, now my neck muscles are getting stiffer and stiffer"),
    ("tetanus", "my jaw is clenched and hard to open since i trod on a nail"),
    # soiling or wetting without knowing
    ("bladder_bowel", "i soiled my underwear without realising"),
    ("bladder_bowel", "i wet my pants and didnt even feel it"),
    ("bladder_bowel", "had an accident in my trousers and didnt notice"),
    # buzzing, prickling, fizzing skin
    ("numbness", "my toes feel prickly and buzzy"),
    ("numbness", "prickling in my fingers since monday"),
    ("numbness", "a fizzing feeling in my hands"),
    # self-harm: harming a part of oneself, on purpose
    ("self_harm", "i keep scratching my arms till they bleed on purpose"),
    ("self_harm", "been burning my skin with a lighter to cope"),
    ("self_harm", "i hit my legs on purpose when it gets too much"),
    # an irregular heart, even after exercise
    ("chest", "after the gym my heart is pounding irregular and wont settle"),
    ("chest", "my legs feel weak and my heart is beating irregularly"),
    # speech that is not clear
    ("speech", "my speech is not clear since tuesday"),
    ("speech", "talking sounds like my mouth is full of marbles"),
    # a short sign word mistyped by one key or one sound
    ("stroke", "my fase is droopy on one side"),
    ("meningitis", "my nexk is stiff and i have a fever"),
    ("chest", "my cjest hurts"),
    ("weakness", "my lwgs are weak"),
    # a cramp that stretching does not ease
    ("long_cramp", "no but my cramps dont go even when i stretch"),
    ("long_cramp", "the cramp in my foot doesnt stop even if i stretch it"),
]

LOOK_ALIKES_3 = [
    "my dad had a stroke in 2010 and now i twitch",
    "my son had a fever last year, i have eye twitching",
    "my mum had meningitis as a child",
    "i drink coffee and my pee is dark yellow in the morning",
    "my jaw is stiff from chewing gum",
    "cut my finger cooking, and my eyelid twitches",
    "my phone was buzzing all day and my eye twitched",
    "the prickly heat rash on my back is itchy",
    "fizzy drinks make my eye twitch",
    "i scratched my arm on a bramble, calf twitching",
    "keep scratching my skin because of eczema",
    "heart pounding during my spin class, calf twitching after",
    "on pins and needles about the interview, eyelid twitching",
    "i tripped up on the maths question in the test",
    "blacked out the bedroom window with foil to sleep",
    "out of breath after netball, now my calves twitch",
    "my heart was hammering during the hiit session, now my calf twitches",
    "my toddler wet his pants at nursery and my eye twitches",
    "the fase of the moon keeps me up",
    "i had a dvt years ago, now my calf twitches",
]


@pytest.mark.parametrize(("flag", "text"), SAYS_3)
def test_the_sign_is_found(knowledge: Knowledge, flag: str, text: str) -> None:
    reading = read_red_flags(knowledge, text)
    assert flag in reading.raised


@pytest.mark.parametrize("text", LOOK_ALIKES_3)
def test_the_look_alike_stays_quiet(knowledge: Knowledge, text: str) -> None:
    reading = read_red_flags(knowledge, text)
    assert reading.raised == () and reading.unsure == ()


def test_signs_taken_back_are_reported_as_guarded(knowledge: Knowledge) -> None:
    reading = read_red_flags(knowledge, "my dad had a stroke in 2010")
    assert reading.raised == () and "stroke" in reading.guarded


def test_a_worry_is_hedged_not_only_unsure(knowledge: Knowledge) -> None:
    reading = read_red_flags(knowledge, "am i having a stroke")
    assert reading.unsure == ("stroke",) and reading.hedged == ("stroke",)
