#!/usr/bin/env python3
"""Build data/training/red_flags_more.yaml, our own training data for the red-flag model:
the per-flag tables of tests/dialogs/test_red_flag_table.py (SAYS: the flag; NOT and LOOK_ALIKES:
none), and the harmless answers in data/training/src/red_flags_answers.yaml. Run from the
repository root after changing them:

    .venv/bin/python scripts/red_flags_more.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.dialogs import test_red_flag_table as table  # noqa: E402


def location_answers() -> list[str]:
    """Answers to "where does it twitch?" made of the location question's own words
    (knowledge.yaml): a body part named in an answer is no sign."""
    questions = yaml.safe_load((ROOT / "knowledge.yaml").read_text())["questions"]
    location = next(q for q in questions if q["id"] == "location")
    places = [
        w for words in location["words"].values() for w in words if w.isascii() and len(w) > 2
    ]
    forms = [
        "{a}",
        "my {a}",
        "{a} and {b}",
        "my {a} and my {b}",
        "around my {a}",
        "{a}, left side",
        "the right {a}",
        "{a} mostly, sometimes {b}",
        "both {a}",
        "{a} and around my {b}",
    ]
    out = []
    for i, a in enumerate(places):
        b = places[(i * 7 + 3) % len(places)]
        out.append(forms[i % len(forms)].format(a=a, b=b))
    return out


def main() -> None:
    data: dict[str, dict[str, str]] = {}

    def add(label: str, text: str) -> None:
        data.setdefault(label, {}).setdefault(" ".join(text.lower().split()), text)

    for flag, texts in table.SAYS.items():
        for text in texts:
            add(flag, text)
    for flag, text in table.LATER_SAYS:
        add(flag, text)
    for texts in table.NOT.values():
        for text in texts:
            add("none", text)
    for text in table.LOOK_ALIKES + table.LATER_LOOK_ALIKES:
        add("none", text)
    for text in location_answers():
        add("none", text)
    answers = yaml.safe_load((ROOT / "data/training/src/red_flags_answers.yaml").read_text())
    for label, texts in answers.items():
        for text in texts:
            add(label, text)
    labels: dict[str, set[str]] = {}
    for label, texts in data.items():
        for key in texts:
            labels.setdefault(key, set()).add(label)
    out = {
        label: [text for key, text in texts.items() if len(labels[key]) == 1]
        for label, texts in data.items()
    }
    head = (
        "# Our own labelled wordings for the red-flag model (dialogs/flag_model.py), built by\n"
        "# scripts/red_flags_more.py from the team's test tables and data/training/src/; never\n"
        "# copied from a blind set. The blind-written data is red_flags.yaml.\n"
    )
    body = yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=120)
    (ROOT / "data/training/red_flags_more.yaml").write_text(head + body, encoding="utf-8")
    print({label: len(texts) for label, texts in out.items()})


if __name__ == "__main__":
    main()
