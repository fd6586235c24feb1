"""Advice that fits the person (dialogs/tailoring.py, knowledge.yaml `tailoring`): kidney,
heart or potassium-sparing medicine, pregnancy, statins, the eyelid; facts told mid-check.
Urgency by the NHS rules: tests/dialogs/test_scoring.py."""

from __future__ import annotations

from typing import Any

import pytest

from dialogs import result as phone_result
from dialogs import scoring
from dialogs.knowledge import Knowledge
from tests.helpers import Chat, asked, result


def run(knowledge: Knowledge, answers: dict[str, Any], details=None, flags=None):
    return scoring.assess(knowledge, answers, details or {}, flags or [])


# --- advice that fits the person -------------------------------------------------------------
def advice(knowledge: Knowledge, answers: dict[str, Any], details=None) -> str:
    return scoring.render_result(knowledge, run(knowledge, answers, details))


SWEATY = {"exercise": "intense"}
SWEAT_DETAIL = {"exercise": {"sweat": True, "heat": True}}


def test_ordinary_advice_pushes_potassium_and_electrolytes(knowledge: Knowledge) -> None:
    text = advice(knowledge, SWEATY, SWEAT_DETAIL).lower()
    assert "banana" in text and "electrolyte drink" in text


@pytest.mark.parametrize(
    ("extra", "details"),
    [
        ({"conditions": ["kidney"]}, {}),
        ({"conditions": ["heart"]}, {}),
        ({"medications": ["diuretic"]}, {"medications": {"potassium_sparing": True}}),
    ],
)
def test_no_potassium_or_electrolyte_push_where_potassium_builds_up(
    knowledge: Knowledge, extra: dict[str, Any], details: dict[str, Any]
) -> None:
    text = advice(knowledge, {**SWEATY, **extra}, {**SWEAT_DETAIL, **details}).lower()
    assert "banana" not in text.replace("loading up on bananas", "")
    assert "with an electrolyte drink" not in text
    assert "ask your doctor" in text


def test_no_cause_tips_fit_the_person(knowledge: Knowledge) -> None:
    ordinary = advice(knowledge, {"conditions": ["none"]}).lower()
    assert "drink water regularly" in ordinary and "bananas" in ordinary
    heart = advice(knowledge, {"conditions": ["heart"]}).lower()
    assert "drink water regularly" not in heart and "limit fluids" in heart
    assert "bananas" not in heart
    pregnant = advice(knowledge, {"conditions": ["pregnancy"], "location": ["eyelid"]})
    assert "200 mg" in pregnant and "400 mg" not in pregnant


def test_spironolactone_is_not_said_to_flush_out_potassium(knowledge: Knowledge) -> None:
    answers = {"medications": ["diuretic"]}
    details = {"medications": {"names": ["spironolactone"], "potassium_sparing": True}}
    found = run(knowledge, answers, details)
    reasons = " ".join(r for c in found.causes for r in c.reasons).lower()
    assert "keep potassium" in reasons
    assert "lower your potassium" not in reasons and "wash potassium out" not in reasons
    ordinary = run(knowledge, answers, {"medications": {"names": ["furosemide"]}})
    assert "lower your potassium" in " ".join(r for c in ordinary.causes for r in c.reasons)


def test_pregnancy_caffeine_limit_and_cramp_advice(knowledge: Knowledge) -> None:
    answers = {"conditions": ["pregnancy"], "caffeine": "moderate", "location": ["calf"]}
    details = {"caffeine": {"mg": 235, "items": ["2 cups of coffee", "a tea"]}}
    found = run(knowledge, answers, details)
    ids = [c.id for c in found.causes]
    assert ids[:2] == ["caffeine", "pregnancy"]
    text = scoring.render_result(knowledge, found)
    assert "200 mg" in text and "400 mg" not in text
    assert "midwife" in text
    lower = run(knowledge, {**answers, "conditions": ["none"]}, details)
    assert "caffeine" not in [c.id for c in lower.causes[:1]]  # 235 mg is fine otherwise


def test_statin_is_a_medication_cause(knowledge: Knowledge) -> None:
    found = run(knowledge, {"medications": ["statin"], "location": ["thigh"]})
    assert found.causes[0].id == "medication" and found.urgency == "doctor_routine"
    text = scoring.render_result(knowledge, found)
    assert "statin" in text.lower() and "dark" in text.lower()
    assert "stop" not in text.lower().replace("don't stop", "")


def test_eyelid_result_names_the_eyelid_warning_signs(knowledge: Knowledge) -> None:
    text = scoring.render_result(knowledge, run(knowledge, {"location": ["eyelid"]})).lower()
    for sign in ("closes completely", "droop", "red", "swollen", "discharge", "face"):
        assert sign in text
    calf = scoring.render_result(knowledge, run(knowledge, {"location": ["calf"]})).lower()
    assert "discharge" not in calf


# --- through the engine ----------------------------------------------------------------------
async def check(chat: Chat, answers: dict[str, str]):
    replies = await chat.send("/check")
    while (question := asked(replies)) is not None:
        replies = await chat.send(answers.get(question, "skip"))
    return replies


async def test_pregnancy_told_after_the_caffeine_answer(chat: Chat) -> None:
    replies = await check(
        chat,
        {
            "location": "both calves at night",
            "warning_signs": "none",
            "duration": "a few days",
            "caffeine": "two cups of coffee and a tea",
            "conditions": "I'm 30 weeks pregnant",
        },
    )
    final = result(replies)
    top = [c["id"] for c in final.causes[:3]]
    assert "caffeine" in top and "pregnancy" in top
    assert final.urgency == "self_care"


async def test_thirty_weeks_pregnant_is_not_the_duration(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("calves, I'm 30 weeks pregnant")
    answers = {a["question"]: a["value"] for r in replies for a in r.answers}
    assert answers.get("conditions") == ["pregnancy"] and "duration" not in answers
    replies = await chat.send("none")
    assert asked(replies) == "duration"


@pytest.mark.parametrize(
    ("conditions", "medications", "caveat"),
    [("kidney disease", "none", True), ("heart failure", "none", True),
     ("none", "spironolactone", True), ("none", "none", False)],
)  # fmt: skip
async def test_water_offer_or_fluid_caveat(
    chat: Chat, conditions: str, medications: str, caveat: bool
) -> None:
    replies = await check(
        chat,
        {
            "location": "calves",
            "warning_signs": "none",
            "duration": "3 days",
            "exercise": "marathon training in the heat, sweating buckets",
            "medications": medications,
            "conditions": conditions,
        },
    )
    data = [b.data for r in replies for row in r.buttons for b in row]
    every2h = any(d.startswith("rem:preset:water:every2h") for d in data)
    noted = any("limit" in r.text and "/remind water" in r.text for r in replies)
    assert every2h is not caveat and noted is caveat


def test_the_shown_result_without_a_cause_fits_the_person(knowledge: Knowledge) -> None:
    """The phone-sized result (what the engine sends) lists the same tailored habits: no
    push to drink more or eat potassium-rich food with a heart condition."""

    def shown(answers: dict[str, Any]) -> str:
        text, _buttons = phone_result.render(knowledge, run(knowledge, answers), "twitch")
        return text.lower()

    ordinary = shown({"conditions": ["none"]})
    assert "drink water" in ordinary
    heart = shown({"conditions": ["heart"]})
    assert "drink water" not in heart and "limit fluids" in heart
    assert "bananas" not in heart
    assert len(heart) <= knowledge.conversation.result_max
