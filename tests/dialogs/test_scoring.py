"""Cause scoring and triage from plain answer dicts (no NLU involved)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from dialogs import scoring
from dialogs.knowledge import Knowledge
from dialogs.knowledge.red_flags import RedFlag
from tests.helpers import RED_FLAG_URGENCY

QUIET = {
    "location": ["eyelid"],
    "duration": "days",
    "caffeine": "moderate",
    "sleep": "enough",
    "stress": "low",
    "medications": ["none"],
    "exercise": "light",
    "conditions": ["none"],
}


def run(
    knowledge: Knowledge,
    answers: dict[str, Any],
    details: dict[str, dict[str, Any]] | None = None,
    red_flags: list[str] | None = None,
    base: dict[str, Any] | None = None,
) -> scoring.Assessment:
    full = {q: "unknown" for q in knowledge.questions}
    full.update(base or {})
    full.update(answers)
    return scoring.assess(knowledge, full, details or {}, red_flags or [])


def top(result: scoring.Assessment, n: int = 3) -> list[str]:
    return [c.id for c in result.causes[:n]]


# Each case: answers (on top of "unknown" everywhere, or QUIET when `quiet`), details,
# the causes that must be in the top three, those that must not, and the urgency.
CASES: list[dict[str, Any]] = [
    dict(
        name="double espressos",
        quiet=True,
        answers={"caffeine": "high"},
        details={"caffeine": {"mg": 780, "items": ["6 double espressos"]}},
        causes=["caffeine"],
        not_causes=["medication", "kidney"],
        urgency="self_care",
    ),
    dict(
        name="new baby, 4 hours of sleep",
        answers={
            "location": ["eyelid"],
            "duration": "days",
            "caffeine": "moderate",
            "sleep": "short",
            "medications": ["none"],
            "exercise": "none",
            "conditions": ["none"],
        },
        details={"sleep": {"hours": 4.0}},
        causes=["sleep_fatigue"],
        urgency="self_care",
    ),
    dict(
        name="furosemide",
        quiet=True,
        answers={
            "location": ["calf"],
            "duration": "weeks",
            "medications": ["diuretic"],
        },
        details={"medications": {"names": ["furosemide"], "recent_change": False}},
        causes=["medication"],
        urgency="doctor_routine",
    ),
    dict(
        name="five months, nothing else",
        quiet=True,
        answers={"location": ["thigh"], "duration": "months"},
        causes=[],
        urgency="doctor_routine",
    ),
    dict(
        name="marathon training",
        quiet=True,
        answers={"location": ["calf"], "exercise": "intense"},
        details={"exercise": {"sweat": True}},
        causes=["intense_exercise"],
        not_causes=["kidney", "arterial_inflammation"],
        urgency="self_care",
    ),
    dict(
        name="hot football training",
        answers={
            "location": ["calf", "foot"],
            "duration": "under_a_day",
            "exercise": "intense",
        },
        details={"exercise": {"heat": True, "sweat": True}},
        causes=["intense_exercise", "mineral_deficiency"],
        urgency="self_care",
    ),
    dict(
        name="hard training, no details",
        answers={"location": ["calf"], "duration": "days", "exercise": "intense"},
        causes=["intense_exercise", "mineral_deficiency"],
        urgency="self_care",
    ),
    dict(
        name="new sertraline",
        quiet=True,
        answers={
            "location": ["widespread"],
            "caffeine": "none",
            "stress": "moderate",
            "medications": ["antidepressant"],
        },
        details={"medications": {"names": ["sertraline"], "recent_change": True}},
        causes=["serotonin"],
        not_causes=["medication"],
        urgency="doctor_routine",
    ),
    dict(
        name="zoloft dose raised, little else known",
        answers={
            "location": ["arm", "thigh", "calf"],
            "duration": "days",
            "medications": ["antidepressant"],
        },
        details={"medications": {"names": ["zoloft"], "recent_change": True}},
        causes=["serotonin"],
        urgency="doctor_routine",
    ),
    dict(
        name="type 2 diabetes",
        quiet=True,
        answers={
            "location": ["foot"],
            "duration": "weeks",
            "stress": "moderate",
            "exercise": "none",
            "conditions": ["diabetes"],
        },
        causes=["arterial_inflammation"],
        urgency="doctor_routine",
    ),
    dict(
        name="kidney disease",
        answers={
            "location": ["thigh", "calf"],
            "duration": "weeks",
            "medications": ["none"],
            "conditions": ["kidney"],
        },
        causes=["kidney"],
        urgency="doctor_routine",
    ),
    dict(
        name="adderall",
        answers={
            "location": ["eyelid", "face"],
            "duration": "days",
            "caffeine": "moderate",
            "sleep": "enough",
            "medications": ["adhd_stimulant"],
            "conditions": ["none"],
        },
        causes=["medication"],
        urgency="doctor_routine",
    ),
    dict(
        name="deadlines",
        quiet=True,
        answers={"stress": "high"},
        details={"stress": {"scale": 9}},
        causes=["stress"],
        not_causes=["medication", "kidney", "arterial_inflammation"],
        urgency="self_care",
    ),
    dict(
        name="stress and short sleep",
        answers={
            "location": ["eyelid"],
            "duration": "days",
            "stress": "high",
            "sleep": "short",
            "medications": ["none"],
            "conditions": ["none"],
        },
        causes=["stress", "sleep_fatigue"],
        urgency="self_care",
    ),
    dict(
        name="a long city walk",
        quiet=True,
        answers={"location": ["calf"], "duration": "under_a_day"},
        causes=["physical_activity"],
        not_causes=["medication"],
        urgency="self_care",
    ),
    dict(
        name="energy drinks and short sleep",
        answers={
            "location": ["eyelid"],
            "duration": "days",
            "caffeine": "high",
            "sleep": "short",
            "stress": "moderate",
            "medications": ["none"],
            "conditions": ["none"],
        },
        details={"caffeine": {"mg": 480, "items": ["3 Monster cans"]}},
        causes=["caffeine", "sleep_fatigue"],
        urgency="self_care",
    ),
    dict(
        name="lasix for months",
        answers={
            "location": ["calf"],
            "duration": "months",
            "medications": ["diuretic"],
            "conditions": ["none"],
        },
        causes=["medication"],
        urgency="doctor_routine",
    ),
    dict(
        name="numb hand (a red flag)",
        answers={
            "location": ["hand"],
            "duration": "days",
            "medications": ["none"],
            "conditions": ["none"],
        },
        red_flags=["numbness"],
        causes=[],
        urgency="doctor_soon",
    ),
    dict(
        name="quiet",
        quiet=True,
        answers={},
        causes=[],
        not_causes=["medication", "serotonin", "kidney", "arterial_inflammation"],
        urgency="self_care",
        empty=True,
    ),
    dict(
        name="the pill and stress",
        quiet=True,
        answers={
            "location": ["neck_back"],
            "stress": "high",
            "medications": ["other"],
        },
        causes=["stress"],
        not_causes=["medication", "serotonin"],
        urgency="self_care",
    ),
    dict(
        name="water pills and diabetes",
        answers={
            "location": ["thigh", "calf"],
            "duration": "weeks",
            "medications": ["diuretic"],
            "conditions": ["diabetes"],
        },
        causes=["medication", "arterial_inflammation"],
        urgency="doctor_routine",
    ),
    dict(
        name="ritalin and coffee",
        answers={
            "location": ["face"],
            "duration": "days",
            "caffeine": "high",
            "medications": ["adhd_stimulant"],
            "conditions": ["none"],
        },
        causes=["medication", "caffeine"],
        urgency="doctor_routine",
    ),
    dict(
        name="asthma inhaler and short sleep",
        answers={
            "location": ["eyelid"],
            "duration": "days",
            "sleep": "short",
            "medications": ["other"],
            "conditions": ["other"],
        },
        causes=["sleep_fatigue"],
        not_causes=["kidney", "arterial_inflammation", "medication", "serotonin"],
        urgency="self_care",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scenarios(knowledge: Knowledge, case: dict[str, Any]) -> None:
    result = run(
        knowledge,
        case["answers"],
        case.get("details"),
        case.get("red_flags"),
        base=QUIET if case.get("quiet") else None,
    )
    best = top(result)
    for cause in case["causes"]:
        assert cause in best, (cause, best)
    for cause in case.get("not_causes", []):
        assert cause not in best, (cause, best)
    assert result.urgency == case["urgency"]
    if case.get("empty"):
        assert result.causes == []


def test_scores_are_sorted_and_above_threshold(knowledge: Knowledge) -> None:
    result = run(knowledge, {"exercise": "intense", "medications": ["diuretic"]})
    scores = [c.score for c in result.causes]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= knowledge.urgency.threshold for s in scores)


def test_everything_skipped_lists_nothing_and_is_self_care(knowledge: Knowledge) -> None:
    result = run(knowledge, {})
    assert result.causes == []
    assert result.urgency == "self_care"


def test_other_medicines_and_conditions_pull_no_specific_cause(knowledge: Knowledge) -> None:
    result = run(knowledge, {"medications": ["other"], "conditions": ["other"]})
    assert result.causes == []
    assert result.urgency == "self_care"


def test_recent_change_strengthens_serotonin(knowledge: Knowledge) -> None:
    plain = run(knowledge, {"medications": ["antidepressant"]})
    changed = run(
        knowledge,
        {"medications": ["antidepressant"]},
        {"medications": {"recent_change": True}},
    )
    assert plain.causes[0].id == changed.causes[0].id == "serotonin"
    assert changed.causes[0].score > plain.causes[0].score


EMERGENCY_FLAGS = ("breathing", "swallowing", "speech")


def flag(flag_id: str, urgency: str) -> RedFlag:
    """A red flag as assess reads it: its urgency (the texts are not read)."""
    return RedFlag(flag_id, urgency, label=flag_id, message="", confirm="")


OTHER_FLAGS = ("weakness", "wasting", "numbness", "spreading", "injury", "calf_swelling")


def with_flags(knowledge: Knowledge) -> Knowledge:
    """The knowledge with a red_flags section as CONTRACT.md defines it (whoever fills it)."""
    flags = {f: flag(f, "emergency") for f in EMERGENCY_FLAGS}
    flags |= {f: flag(f, "doctor_soon") for f in OTHER_FLAGS}
    return replace(knowledge, red_flags=flags)


@pytest.mark.parametrize(
    ("flags", "level"),
    [
        (["breathing"], "emergency"),
        (["swallowing"], "emergency"),
        (["speech"], "emergency"),
        (["weakness"], "doctor_soon"),
        (["calf_swelling"], "doctor_soon"),
        (["numbness", "speech"], "emergency"),
        (["a_flag_added_later"], "doctor_soon"),
    ],
)
def test_red_flags_set_the_urgency(knowledge: Knowledge, flags: list[str], level: str) -> None:
    result = run(with_flags(knowledge), {"duration": "months"}, red_flags=flags)
    assert result.urgency == level
    template = knowledge.urgency.texts["red_flag_reason"]
    assert template.split("{")[0] in result.urgency_reasons[0]  # the flags' why comes first


def test_the_shipped_red_flags_agree_with_the_contract(knowledge: Knowledge) -> None:
    if not knowledge.red_flags:
        pytest.skip("the red_flags section is not filled in yet")
    for flag, level in RED_FLAG_URGENCY.items():
        assert run(knowledge, {}, red_flags=[flag]).urgency == level


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({"duration": "months"}, "doctor_routine"),
        ({"duration": "weeks"}, "doctor_routine"),  # NHS: a twitch for 2 weeks or more
        ({"duration": "days"}, "self_care"),
        ({"conditions": ["kidney"]}, "doctor_routine"),
        ({"conditions": ["diabetes", "other"]}, "doctor_routine"),
        ({"conditions": ["other"]}, "self_care"),
        ({"medications": ["adhd_stimulant"]}, "doctor_routine"),
        ({"medications": ["antidepressant"]}, "doctor_routine"),
        ({"medications": ["diuretic"]}, "doctor_routine"),
        ({"medications": ["none"]}, "self_care"),
        ({"medications": ["other"]}, "self_care"),
        ({"medications": "unknown"}, "self_care"),
    ],
)
def test_urgency_rules(knowledge: Knowledge, answers: dict[str, Any], level: str) -> None:
    assert run(knowledge, answers).urgency == level


def test_result_message_explains_with_details(knowledge: Knowledge) -> None:
    result = run(
        knowledge,
        {"caffeine": "high", "sleep": "short"},
        {"caffeine": {"mg": 780, "items": ["6 double espressos"]}, "sleep": {"hours": 4.0}},
        base=QUIET,
    )
    text = scoring.render_result(knowledge, result)
    assert "6 double espressos a day is about 780 mg" in text
    assert "400 mg" in text
    assert "about 4 hours of sleep" in text
    assert scoring.cause_title(knowledge, "caffeine") in text
    assert knowledge.urgency.texts["not_diagnosis"] in text
    assert knowledge.urgency.levels["self_care"].text in text


def test_result_message_without_details_still_says_why(knowledge: Knowledge) -> None:
    result = run(knowledge, {"caffeine": "high"}, base=QUIET)
    text = scoring.render_result(knowledge, result)
    assert "400 mg" in text
    assert "{" not in text


def test_result_message_when_nothing_stands_out(knowledge: Knowledge) -> None:
    result = run(knowledge, {}, base=QUIET)
    text = scoring.render_result(knowledge, result)
    assert knowledge.urgency.texts["no_cause"].strip() in text
    assert knowledge.urgency.texts["not_diagnosis"] in text


def test_medicine_advice_never_says_stop_alone(knowledge: Knowledge) -> None:
    result = run(knowledge, {"medications": ["diuretic", "antidepressant"]}, base=QUIET)
    text = scoring.render_result(knowledge, result).lower()
    assert result.urgency == "doctor_routine"
    assert "prescri" in text
    assert "don't stop" in text
    assert len(text) < 4096  # one Telegram message


def test_urgency_reasons_are_explained(knowledge: Knowledge) -> None:
    result = run(knowledge, {"duration": "months", "conditions": ["kidney"]})
    text = scoring.render_result(knowledge, result)
    assert len(result.urgency_reasons) == 2
    for reason in result.urgency_reasons:
        assert reason in text


def test_titles_and_labels(knowledge: Knowledge) -> None:
    assert scoring.cause_title(knowledge, "stress") != "stress"
    assert scoring.cause_title(knowledge, "no_such_cause") == "no such cause"
    for level in scoring.URGENCY_ORDER:
        assert scoring.urgency_label(knowledge, level)
    assert scoring.urgency_label(knowledge, "made_up") == "made up"


def test_every_cause_is_reachable(knowledge: Knowledge) -> None:
    """Each cause can be listed by some answers (its positive evidence together)."""
    for cause in knowledge.causes.values():
        answers: dict[str, Any] = {}
        details: dict[str, dict[str, Any]] = {}
        for item in cause.evidence:
            if item.weight <= 0:
                continue
            question = knowledge.questions[item.question]
            if item.values:
                value = sorted(item.values)[0]
                if question.answer_kind == "list":
                    answers.setdefault(item.question, []).append(value)
                else:
                    answers.setdefault(item.question, value)
            if item.detail:
                details.setdefault(item.question, {})[item.detail] = True
        assert cause.id in [c.id for c in run(knowledge, answers, details).causes]


def test_a_direct_sign_wins_a_tie_over_indirect_ones(knowledge: Knowledge) -> None:
    result = run(
        knowledge,
        {"medications": ["diuretic", "antidepressant"], "conditions": ["kidney"]},
    )
    scores = {c.id: c.score for c in result.causes}
    assert scores["serotonin"] == scores["mineral_deficiency"]  # the tie this is about
    assert top(result) == ["medication", "kidney", "serotonin"]


# --- urgency by the NHS rules, each with its why first ---------------------------------------
def triage(knowledge: Knowledge, answers: dict[str, Any], details=None, flags=None):
    """Assessed from these answers alone (the rest not asked, not "unknown")."""
    return scoring.assess(knowledge, answers, details or {}, flags or [])


def rule_why(knowledge: Knowledge, question: str, marker: str) -> str:
    return next(
        r.why for r in knowledge.urgency.rules if r.question == question and marker in r.why
    )


@pytest.mark.parametrize(
    ("answers", "question", "marker"),
    [
        ({"duration": "weeks"}, "duration", "2 weeks"),
        ({"duration": "months"}, "duration", "2 weeks"),
        ({"location": ["eyelid", "face"]}, "location", "face"),
        ({"location": ["eyelid", "calf"]}, "location", "more than one part"),
        ({"location": ["arm", "thigh"]}, "location", "more than one part"),
        ({"location": ["widespread"]}, "location", "more than one part"),
        ({"conditions": ["kidney"]}, "conditions", "kidney"),
        ({"conditions": ["diabetes"]}, "conditions", "diabetes"),
        ({"conditions": ["heart"]}, "conditions", "heart"),
        ({"medications": ["statin"]}, "medications", "prescribed"),
        ({"medications": ["diuretic"]}, "medications", "prescribed"),
        ({"medications": ["adhd_stimulant"]}, "medications", "prescribed"),
        ({"medications": ["antidepressant"]}, "medications", "prescribed"),
    ],
)
def test_each_rule_gives_a_routine_visit_and_says_why(
    knowledge: Knowledge, answers: dict[str, Any], question: str, marker: str
) -> None:
    found = triage(knowledge, answers)
    assert found.urgency == "doctor_routine"
    assert rule_why(knowledge, question, marker) in found.urgency_reasons


@pytest.mark.parametrize(
    "answers",
    [
        {"duration": "days", "location": ["eyelid"]},
        {"location": ["calf", "foot", "thigh"]},  # one region: the legs
        {"location": ["eyelid"]},
        {"location": ["hand", "arm"]},
        {"conditions": ["other"], "medications": ["other"]},
        {"conditions": ["none"], "medications": ["none"]},
        {"conditions": ["pregnancy"]},
    ],
)
def test_no_rule_means_self_care(knowledge: Knowledge, answers: dict[str, Any]) -> None:
    found = triage(knowledge, answers)
    assert found.urgency == "self_care" and not found.urgency_reasons


def test_every_flag_and_rule_is_listed_most_urgent_first(knowledge: Knowledge) -> None:
    answers = {"duration": "weeks", "conditions": ["heart"]}
    found = triage(knowledge, answers, flags=["numbness", "weakness"])
    assert found.urgency == "doctor_soon"
    reasons = found.urgency_reasons
    assert len(reasons) == 4
    assert all("warning sign" in r for r in reasons[:2])  # the flags (doctor_soon) first
    names = [scoring.flag_name(knowledge.red_flags[f], f) for f in ("weakness", "numbness")]
    assert any(names[0] in r for r in reasons) and any(names[1] in r for r in reasons)


def test_above_self_care_what_to_do_and_why_come_first(knowledge: Knowledge) -> None:
    found = triage(knowledge, {"duration": "weeks", "caffeine": "high"})
    text = scoring.render_result(knowledge, found)
    what = text.index("🩺")
    assert what < text.index("☕") and what < text.index("2 weeks")


def test_at_self_care_the_causes_come_first(knowledge: Knowledge) -> None:
    found = triage(knowledge, {"duration": "days", "caffeine": "high"})
    text = scoring.render_result(knowledge, found)
    assert text.index("☕") < text.index("🩺")
