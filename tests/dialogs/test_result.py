"""dialogs/result.py: the phone-sized result."""

from __future__ import annotations

from dialogs import result, scoring
from dialogs.knowledge import Knowledge


def shown(knowledge: Knowledge, location: str) -> str:
    assessment = scoring.assess(knowledge, {"location": [location]}, {}, [])
    text, _buttons = result.render(knowledge, assessment, "twitch")
    return text.lower()


def test_the_shown_result_carries_the_tailoring_notes(knowledge: Knowledge) -> None:
    """`tailoring.notes`: an eyelid twitch gets the eyelid warning signs, a calf cramp not."""
    eyelid = shown(knowledge, "eyelid")
    for sign in ("closes completely", "droop", "swollen", "discharge"):
        assert sign in eyelid
    assert "discharge" not in shown(knowledge, "calf")
