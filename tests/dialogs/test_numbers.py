"""Numbers in text (dialogs/numbers.py): words, halves, ranges and vague amounts."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from dialogs.numbers import find_numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("six and a half", 6.5),
        ("5-6", 5.5),
        ("5 or 6", 5.5),
        ("a couple", 2),
        ("a few", 3),
        ("twenty five", 25),
        ("half a", 0.5),
        ("7.5", 7.5),
    ],
)
def test_numbers(knowledge: Knowledge, text: str, value: float) -> None:
    language = knowledge.language
    numbers = find_numbers(language.read(text), language.tools.numbers)
    assert [n.value for n in numbers] == [value]
