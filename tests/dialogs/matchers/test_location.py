"""The location question (a `choices` matcher, dialogs/matchers/choices.py) through
`nlu.interpret`: body parts, typos and slang, unsure answers, "back of" and positions.
Phrasings are invented here, not the evaluation's or the blind sets' sentences."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from tests.helpers import answer

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


LOCATION_UNSURE_TYPOS_AND_BACK_OF = [
    ("can't really tell", "unknown"),
    ("hard to tell", "unknown"),
    ("not sure where exactly", "unknown"),
    ("dunno where it is exactly", "unknown"),
    ("difficult to say", "unknown"),
    ("i can't pin it down", "unknown"),
    ("all ovr my body", ["widespread"]),
    ("evrywhere", ["widespread"]),
    ("all over the place", ["widespread"]),
    ("the back of my knee", ["thigh"]),
    ("back of my hand", ["hand"]),
    ("on the back of my thigh", ["thigh"]),
    ("back of my calf", ["calf"]),
    ("back of my arm", ["arm"]),
    ("my lower back and the back of my thigh", ["neck_back", "thigh"]),
    ("my back", ["neck_back"]),
    ("my left eyelit", ["eyelid"]),  # a letter swapped by sound
    ("both calfs", ["calf"]),
]


@pytest.mark.parametrize(("text", "expected"), LOCATION_UNSURE_TYPOS_AND_BACK_OF)
def test_location_unsure_typos_and_back_of(
    knowledge: Knowledge, text: str, expected: str | list[str]
) -> None:
    got = answer(knowledge, "location", text)
    assert (got or []) == expected if isinstance(expected, list) else got == expected


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
