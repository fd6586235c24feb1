"""Properties of scoring and the FAQ over generated inputs (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs import faq, scoring
from dialogs.knowledge import load_knowledge

KNOWLEDGE = load_knowledge()
QUESTIONS = KNOWLEDGE.questions


def answer_for(question_id: str) -> st.SearchStrategy[Any]:
    question = QUESTIONS[question_id]
    values = [o.value for o in question.options]
    if question.answer_kind == "list":
        return st.one_of(st.just("unknown"), st.lists(st.sampled_from(values), min_size=1))
    return st.sampled_from([*values, "unknown"])


NAMES = st.text(st.characters(blacklist_characters="{}"), min_size=1, max_size=20)
ANSWERS = st.fixed_dictionaries({q: answer_for(q) for q in QUESTIONS})
DETAILS = st.fixed_dictionaries(
    {},
    optional={
        "caffeine": st.fixed_dictionaries(
            {},
            optional={
                "mg": st.integers(0, 3000),
                "items": st.lists(NAMES, max_size=3),
            },
        ),
        "sleep": st.fixed_dictionaries({"hours": st.floats(0, 14, allow_nan=False)}),
        "stress": st.fixed_dictionaries({"scale": st.integers(1, 10)}),
        "duration": st.fixed_dictionaries({"days": st.floats(0, 2000, allow_nan=False)}),
        "medications": st.fixed_dictionaries(
            {},
            optional={
                "names": st.lists(NAMES, max_size=3),
                "recent_change": st.booleans(),
            },
        ),
        "exercise": st.fixed_dictionaries(
            {}, optional={"heat": st.booleans(), "sweat": st.booleans()}
        ),
    },
)
FLAGS = st.lists(
    st.sampled_from(["breathing", "numbness", "weakness", "speech", "spreading"]), max_size=2
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(ANSWERS, DETAILS, FLAGS)
def test_assess_is_total_sorted_and_explained(
    answers: dict[str, Any], details: dict[str, Any], flags: list[str]
) -> None:
    result = scoring.assess(KNOWLEDGE, answers, details, flags)
    scores = [c.score for c in result.causes]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= KNOWLEDGE.urgency.threshold for s in scores)
    assert all(c.reasons for c in result.causes)
    assert result.urgency in scoring.URGENCY_ORDER
    if flags:  # at least the most urgent flag's own urgency
        order = scoring.URGENCY_ORDER
        least = max(order.index(KNOWLEDGE.red_flags[f].urgency) for f in flags)
        assert order.index(result.urgency) >= least
    text = scoring.render_result(KNOWLEDGE, result)
    assert KNOWLEDGE.urgency.texts["not_diagnosis"] in text
    assert "{" not in text and "}" not in text
    assert len(text) < 4096


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_faq_answers_anything_without_crashing(question: str) -> None:
    found = faq.answer(KNOWLEDGE, question)
    assert found.text
    assert found.faq_id is None or found.faq_id in KNOWLEDGE.faq.entries
    for faq_id, label in found.suggestions:
        assert faq.answer_by_id(KNOWLEDGE, faq_id) is not None
        assert label
