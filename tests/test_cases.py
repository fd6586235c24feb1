"""The project's own held-out cases (tests/data/cases/<kind>.jsonl), run in-process.

One file per kind (answer.jsonl, faq.jsonl, red_flag.jsonl, scenario.jsonl): a new case
goes at the end of its kind's file, with a fresh id. The files use the format of the
development evaluation and each case is driven by the same rules, but through
`Engine.handle` over a fresh store instead of the scriptable transport:

- answer: /check, "skip" until the case's question is asked, then the text (and "yes" or
  "no" to a sign asked back, as the evaluation does); the answer understood for that
  question must equal `expect` (a list question compares as a set);
- faq: "/ask <text>"; the first reply with a `faq` field must carry `expect`
  (`expect: null`: no reply has a `faq` field);
- red_flag: /check, then the text, then "yes" to the expected sign if it is asked back
  ("no" to any other); a reply must carry `red_flag == expect` with that flag's own urgency
  (CONTRACT.md) (`expect: null`: no reply carries a red flag nor asks one back);
- scenario: /check, answer each asked question from `answers` ("skip" otherwise) and each
  sign asked back ("yes" when `expect.red_flags` lists it, else "no") until a reply carries
  `causes`; every expected cause is in the top three, no `not_causes` is, and
  the urgency is the expected one.

Each case is one test whose id is the case id, and a failure says input, expected and got.
`TWITCH_CASES_DIR` points the runner at another folder of cases in the same format.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dialogs.engine import Engine
from dialogs.types import Reply
from tests.helpers import (
    CAUSES,
    DATA,
    LIST_QUESTIONS,
    QUESTIONS,
    RED_FLAG_URGENCY,
    RED_FLAGS,
    UNKNOWN,
    URGENCIES,
    Chat,
    asked,
)

OWN_CASES = DATA / "cases"
CASES_DIR = Path(os.environ.get("TWITCH_CASES_DIR") or OWN_CASES)
MAX_STEPS = 15
KINDS = ("answer", "faq", "red_flag", "scenario")
SERIOUS = {"emergency", "doctor_soon"}

# The public ids of the contract, to validate the case files themselves.
FAQS = {
    "serious_condition",
    "exercise_prevention",
    "magnesium",
    "eyelid",
    "caffeine_limit",
    "hydration_amount",
    "mineral_foods",
    "stress_relief",
    "night_cramps",
    "stop_cramp_now",
    "see_doctor",
    "sleep_tips",
    "medication_side_effects",
    "how_long",
    "dehydration_signs",
    "electrolytes",
    "privacy",
}


# --- loading --------------------------------------------------------------------------------


def load_cases(folder: Path) -> list[dict[str, Any]]:
    """Every case of folder/*.jsonl of the kinds run here, in file order."""
    cases = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                case = json.loads(line)
                case["_where"] = f"{path.name}:{number}"
                cases.append(case)
    return cases


ALL_CASES = load_cases(CASES_DIR)
RUNNABLE = [c for c in ALL_CASES if c.get("kind") in KINDS]


def case_problems(case: dict[str, Any]) -> list[str]:
    """What is wrong with one case's fields and ids (empty when it is well formed)."""
    kind, expect = case.get("kind"), case.get("expect")
    if kind in ("answer", "faq", "red_flag") and not str(case.get("text") or "").strip():
        return ["missing text"]
    if kind == "answer":
        question = case.get("question")
        if question not in QUESTIONS:
            return [f"unknown question {question!r}"]
        allowed = QUESTIONS[question] | {UNKNOWN}
        values = expect if isinstance(expect, list) else [expect]
        if question not in LIST_QUESTIONS and isinstance(expect, list):
            return [f"{question} takes one value, not a list"]
        if not values or len(set(values)) != len(values) or not set(values) <= allowed:
            return [f"bad expect {expect!r} for {question}"]
    elif kind == "faq" and expect is not None and expect not in FAQS:
        return [f"unknown faq id {expect!r}"]
    elif kind == "red_flag" and expect is not None and expect not in RED_FLAGS:
        return [f"unknown red flag {expect!r}"]
    elif kind == "scenario":
        answers = case.get("answers")
        problems = []
        if not isinstance(answers, dict) or not answers:
            problems.append("missing answers")
        elif not set(answers) <= set(QUESTIONS):
            problems.append(f"unknown questions {sorted(set(answers) - set(QUESTIONS))}")
        if not isinstance(expect, dict) or expect.get("urgency") not in URGENCIES:
            return [*problems, "expect needs an urgency id"]
        for key in ("causes", "not_causes"):
            if not set(expect.get(key, [])) <= CAUSES:
                problems.append(f"bad expect.{key}")
        if len(expect.get("causes", [])) > 3:
            problems.append("more than three expected causes can never pass")
        return problems
    elif kind not in KINDS and kind != "reminder":
        return [f"unknown kind {kind!r}"]
    return []


# --- reading replies ------------------------------------------------------------------------


def understood(replies: list[Reply]) -> dict[str, Any]:
    return {a["question"]: a.get("value") for r in replies for a in r.answers}


def said(replies: list[Reply]) -> str:
    text = " | ".join(r.text for r in replies if r.text)
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:199] + "…"


def same_answer(question: str, got: Any, expect: Any) -> bool:
    if question in LIST_QUESTIONS:

        def as_set(value: Any) -> set:
            return set(value) if isinstance(value, list) else {value}

        return as_set(got) == as_set(expect)
    return got == expect


# --- driving one case -----------------------------------------------------------------------


@dataclass
class Outcome:
    """What the bot did with one case: passed or not, and a readable account of it."""

    passed: bool
    got: str


async def run_answer(chat: Chat, case: dict[str, Any]) -> Outcome:
    target = case["question"]
    replies = await chat.send("/check")
    seen: list[str] = []
    for _ in range(MAX_STEPS):
        question = asked(replies)
        if any(r.causes is not None for r in replies):
            return Outcome(False, f"assessment ended without asking {target} (asked: {seen})")
        if question is None:
            return Outcome(False, f"no question asked after {seen}; bot said: {said(replies)}")
        if question == target:
            replies = await chat.send(case["text"])
            wanted = case["expect"] if isinstance(case["expect"], list) else [case["expect"]]
            for _ in range(3):  # the answer may wait for a sign asked back, as in the evaluation
                sign = next((r.confirm for r in replies if r.confirm), None)
                if target in understood(replies) or sign is None:
                    break
                replies = [*replies, *await chat.send("yes" if sign in wanted else "no")]
            answers = understood(replies)
            if target not in answers:
                return Outcome(
                    False,
                    f"no {target} understood (answers: {answers}); bot said: {said(replies)}",
                )
            got = answers[target]
            return Outcome(same_answer(target, got, case["expect"]), f"{target}={got}")
        if question in seen:
            return Outcome(False, f"loop: {question} asked again after skip (asked: {seen})")
        seen.append(question)
        replies = await chat.send("skip")
    return Outcome(False, f"{target} not asked within {MAX_STEPS} steps (asked: {seen})")


async def run_faq(chat: Chat, case: dict[str, Any]) -> Outcome:
    replies = await chat.send(f"/ask {case['text']}")
    faqs = [r.faq for r in replies if r.faq]
    got = faqs[0] if faqs else None
    detail = f"faq={got}" if got == case["expect"] else f"faq={got}; bot said: {said(replies)}"
    return Outcome(got == case["expect"], detail)


async def run_red_flag(chat: Chat, case: dict[str, Any]) -> Outcome:
    await chat.send("/check")
    replies = await chat.send(case["text"])
    expect = case["expect"]
    asked_back = [r.confirm for r in replies if r.confirm]
    seen = list(replies)
    for _ in range(3):  # signs asked back, one at a time: "yes" for the expected one
        sign = next((r.confirm for r in replies if r.confirm), None)
        if expect is None or sign is None or any(r.causes is not None for r in replies):
            break
        replies = await chat.send("yes" if sign == expect else "no")
        seen += replies
    flags = [(r.red_flag, r.urgency) for r in seen if r.red_flag]
    summary = ", ".join(f"red_flag={f} urgency={u}" for f, u in flags) or "no red_flag"
    if asked_back:
        summary = f"asked back {asked_back}; {summary}"
    if expect is None:
        passed = not flags and not asked_back
    else:
        passed = any(
            flag == expect and urgency == RED_FLAG_URGENCY[expect] for flag, urgency in flags
        )
    return Outcome(passed, summary if passed else f"{summary}; bot said: {said(replies)}")


async def run_scenario(chat: Chat, case: dict[str, Any]) -> Outcome:
    answers, expect = case["answers"], case["expect"]
    replies = await chat.send("/check")
    seen: list[str] = []
    heard: dict[str, Any] = {}
    for _ in range(MAX_STEPS):
        final = next((r for r in replies if r.causes is not None), None)
        if final is not None:
            return judge_scenario(final, replies, expect, heard)
        sign = next((r.confirm for r in replies if r.confirm), None)
        if sign is not None:  # a sign asked back: "yes" when the case expects it, else "no"
            replies = await chat.send("yes" if sign in expect.get("red_flags", []) else "no")
            continue
        question = asked(replies)
        if question is None:
            return Outcome(False, f"no question and no causes after {seen}: {said(replies)}")
        if question in seen:
            return Outcome(False, f"loop: {question} asked again (asked: {seen}; heard: {heard})")
        seen.append(question)
        replies = await chat.send(answers.get(question, "skip"))
        heard.update(understood(replies))
    return Outcome(False, f"no causes within {MAX_STEPS} steps (asked: {seen})")


def judge_scenario(
    final: Reply, replies: list[Reply], expect: dict[str, Any], heard: dict[str, Any]
) -> Outcome:
    top3 = [c.get("id") for c in (final.causes or [])[:3]]
    urgency = final.urgency or next((r.urgency for r in replies if r.urgency), None)
    problems = [f"missing {c}" for c in expect.get("causes", []) if c not in top3]
    problems += [f"unwanted {c}" for c in expect.get("not_causes", []) if c in top3]
    if urgency != expect["urgency"]:
        problems.append(f"urgency {urgency} != {expect['urgency']}")
    got = f"top3={top3} urgency={urgency}"
    if problems:
        return Outcome(False, f"{'; '.join(problems)} — {got}; understood: {heard}")
    return Outcome(True, got)


DRIVERS = {
    "answer": run_answer,
    "faq": run_faq,
    "red_flag": run_red_flag,
    "scenario": run_scenario,
}


async def run_case(engine: Engine, case: dict[str, Any], user_id: int = 7000) -> Outcome:
    return await DRIVERS[case["kind"]](Chat(engine, user_id=user_id), case)


# --- the tests ------------------------------------------------------------------------------


def test_case_files_are_well_formed() -> None:
    assert RUNNABLE, f"no cases found in {CASES_DIR}"
    ids = [c.get("id") for c in ALL_CASES]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"
    problems = [f"{c['_where']} ({c.get('id')}): {p}" for c in ALL_CASES for p in case_problems(c)]
    assert not problems, "\n".join(problems)


def test_each_own_case_file_holds_one_kind() -> None:
    kinds = {}
    for path in sorted(OWN_CASES.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        kinds[path.stem] = {json.loads(line).get("kind") for line in lines if line.strip()}
    assert kinds == {kind: {kind} for kind in KINDS}


@pytest.fixture(scope="module")
def tally(request: pytest.FixtureRequest) -> Iterator[dict[str, list[int]]]:
    """kind -> [passed, run]; a per-kind score table is written once the module is done."""
    counts: dict[str, list[int]] = {}
    yield counts
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None or not counts:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line(f"held-out cases ({CASES_DIR}):")
        for kind, (passed, run) in counts.items():
            reporter.write_line(f"  {kind:<9} {passed:>4}/{run:<4} {passed / run:6.1%}")


@pytest.mark.parametrize("case", RUNNABLE, ids=[f"{c['kind']}:{c['id']}" for c in RUNNABLE])
async def test_case(engine: Engine, case: dict[str, Any], tally: dict[str, list[int]]) -> None:
    outcome = await run_case(engine, case)
    counts = tally.setdefault(case["kind"], [0, 0])
    counts[0] += outcome.passed
    counts[1] += 1
    shown = case.get("text") if "text" in case else case.get("answers")
    if not outcome.passed:
        pytest.fail(
            f"case {case['id']} [{case['kind']}]"
            f"\n  input:    {shown!r}"
            f"\n  expected: {case['expect']!r}"
            f"\n  got:      {outcome.got}",
            pytrace=False,
        )


# The runner must be able to fail: a wrong expectation on a plainly understood input fails.


async def test_runner_fails_a_wrong_answer_expectation(engine: Engine) -> None:
    case = {"id": "x", "kind": "answer", "question": "stress", "text": "skip", "expect": "high"}
    outcome = await run_case(engine, case)
    assert not outcome.passed and outcome.got == "stress=unknown"
    right = await run_case(engine, {**case, "expect": UNKNOWN}, user_id=7001)
    assert right.passed


async def test_runner_fails_a_wrong_faq_and_scenario_expectation(engine: Engine) -> None:
    faq = {"id": "x", "kind": "faq", "text": "how do i delete my data", "expect": "eyelid"}
    assert not (await run_case(engine, faq)).passed
    scenario = {
        "id": "y",
        "kind": "scenario",
        "answers": {"location": "eyelid"},
        "expect": {"causes": [], "urgency": "emergency"},
    }
    outcome = await run_case(engine, scenario, user_id=7002)
    assert not outcome.passed and "urgency" in outcome.got


async def test_runner_fails_a_missing_red_flag(engine: Engine) -> None:
    case = {"id": "x", "kind": "red_flag", "text": "my eyelid twitches", "expect": "breathing"}
    assert not (await run_case(engine, case)).passed


async def test_runner_answers_a_sign_asked_back_and_fails_a_look_alike_asked_back(
    engine: Engine,
) -> None:
    """As the evaluation: the expected sign asked back is confirmed; a harmless message
    must neither raise nor ask back a sign."""
    text = "pins and needles?"  # a bare sign in a question: asked back
    asked = {"id": "x", "kind": "red_flag", "text": text, "expect": "numbness"}
    assert (await run_case(engine, asked, user_id=7003)).passed
    harmless = {"id": "y", "kind": "red_flag", "text": text, "expect": None}
    outcome = await run_case(engine, harmless, user_id=7004)
    assert not outcome.passed and "asked back" in outcome.got
