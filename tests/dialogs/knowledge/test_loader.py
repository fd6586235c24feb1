"""knowledge.yaml is loaded and validated (dialogs/knowledge/loader.py); a mistake names the
place. The sections' own checks: tests/dialogs/knowledge/test_<section>.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dialogs.knowledge import DEFAULT_PATH, KnowledgeError, load_knowledge, parse_knowledge
from tests.helpers import broken_knowledge as mutate


def test_the_shipped_file_loads(knowledge) -> None:
    assert list(knowledge.questions)[:3] == ["location", "warning_signs", "duration"]
    assert knowledge.messages("greeting")


def test_not_yaml() -> None:
    with pytest.raises(KnowledgeError, match=r"not valid YAML at line \d+, column \d+"):
        parse_knowledge("messages:\n  greeting: [unclosed\n")


def test_unknown_top_level_section() -> None:
    with pytest.raises(KnowledgeError, match=r"unknown field\(s\) extras"):
        parse_knowledge(mutate(lambda d: d.__setitem__("extras", {})))


def test_missing_section_is_named() -> None:
    with pytest.raises(KnowledgeError, match=r"knowledge.yaml: questions: missing"):
        parse_knowledge(mutate(lambda d: d.pop("questions")))


def test_wrong_type_of_message() -> None:
    with pytest.raises(KnowledgeError, match=r"messages.greeting: expected text"):
        parse_knowledge(mutate(lambda d: d["messages"].__setitem__("greeting", 5)))


def test_bad_question_field_names_the_entry() -> None:
    def breaks(data):
        data["questions"][1]["text"] = ["not", "text"]

    with pytest.raises(KnowledgeError, match=r"questions\[1\]\.text"):
        parse_knowledge(mutate(breaks))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="cannot read"):
        load_knowledge(tmp_path / "nope.yaml")


def test_broken_file_refuses_to_start(tmp_path: Path) -> None:
    bad = tmp_path / "knowledge.yaml"
    bad.write_text(mutate(lambda d: d["messages"].__setitem__("greeting", None)))
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json", "--db", str(tmp_path / "b.db")],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        env={"BOT_KNOWLEDGE": str(bad), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "messages.greeting" in done.stderr


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
        ("    claims: [duration]", "    claims: [durration]", "red_flags[17].claims[0]"),
        ("english_from: 200}", "english_from: lots}", "language.typos.english_from"),
        ("    within: 180  #", "    within: forever  #", "sign_words.long_minutes.within"),
        ("    lasting: [still,", "    lastin: [still,", "sign_words.long_minutes"),
        ("    not_after: [sleep,", "    not_after: [7, sleep,", "long_minutes.not_after[0]"),
        ("    similes: [", "    similes: [[], ", "sign_words.guards.similes[0]"),
        ("    not_dependants: [", "    not_dependants: [3, ", "guards.not_dependants[0]"),
        ("    keep: [self_harm]", "    keep: [self_harms]", "safety.model.keep[0]"),
        ("    dismiss: 0.15", "    dismiss: 0.4", "safety.model.dismiss"),
        ("    overrule: 0.85", "    overrule: 0.6", "safety.model.overrule"),
        ("    veto: 0.05", "    veto: 0.2", "safety.model.veto"),
        (
            "    meningitis: [meningitis, ",
            "    meningitiz: [meningitis, ",
            "screen_words.meningitiz",
        ),
        (
            '    exertion: ["the climb", "climb up",',
            '    exertion: ["the climb", "the climb",',
            "exertion[1]",
        ),
        ("    urgent_ask: 0.5", "    urgent_ask: 0.9", "safety.model.urgent_ask"),
        ("    urgent_overrule: 0.75", "    urgent_overrule: 0.4", "model.urgent_overrule"),
        ("    vetoable: [weakness,", "    vetoable: [chest, weakness,", "model.vetoable[0]"),
        ("    vetoable: [weakness,", "    vetoable: [weaknes,", "model.vetoable[0]"),
        ("    comparisons: [", "    comparisons: [[], ", "guards.comparisons[0]"),
        ("    conditions: [", "    conditions: [[], ", "guards.conditions[0]"),
    ],
)
def test_a_bad_entry_names_its_place(old: str, new: str, place: str) -> None:
    with pytest.raises(KnowledgeError, match=place.replace("[", r"\[").replace("]", r"\]")):
        parse_knowledge(_with(old, new))


def test_loading_never_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine side is pure: BOT_KNOWLEDGE is read by the bot's settings, not here."""
    monkeypatch.setenv("BOT_KNOWLEDGE", "/nonexistent/knowledge.yaml")
    assert load_knowledge().messages("greeting")
