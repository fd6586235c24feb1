"""Labelled examples from YAML (dialogs/training.py): mistakes name the file and the place."""

from __future__ import annotations

import pytest

from dialogs.training import TrainingDataError, parse_examples


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: [x]\nb: []\n", "t.yaml: b: expected a non-empty list of examples"),
        ("a: [x, 3]\n", "t.yaml: a[1]: expected non-empty text"),
        ("a: [x, ' X ']\n", "t.yaml: a[1]: duplicate example"),
        ("zzz: [x]\n", "t.yaml: zzz: unknown label; known: a, b"),
        ("- x\n", "t.yaml: expected a mapping"),
        ("a: [x\n", "t.yaml is not valid YAML at line"),
    ],
)
def test_training_files_are_validated_with_the_place_named(text: str, problem: str) -> None:
    with pytest.raises(TrainingDataError) as error:
        parse_examples(text, "t.yaml", {"a", "b"})
    assert problem in str(error.value)
