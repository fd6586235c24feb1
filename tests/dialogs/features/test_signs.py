"""Warning signs in the dialog (dialogs/features/signs.py) through Engine.handle: an
emergency sign ends the check, another sign is acknowledged and raises the result's urgency.
The screening question, signs asked back and the crisis answer: tests/dialogs/test_safety.py."""

from __future__ import annotations

from tests.helpers import Chat, asked, result


async def test_emergency_flag_ends_the_check(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("my chest twitches and I can't breathe")
    flagged = [r for r in replies if r.red_flag]
    assert flagged and flagged[0].red_flag == "breathing" and flagged[0].urgency == "emergency"
    assert asked(replies) is None
    replies = await chat.send("skip")  # no check any more: treated as a question
    assert asked(replies) is None


async def test_other_flag_is_acknowledged_and_raises_the_result(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("my hand, and my fingers feel numb")
    assert any(r.red_flag == "numbness" and r.urgency == "doctor_soon" for r in replies)
    assert asked(replies) == "warning_signs"
    replies = await chat.send("no, none of those")  # the flag raised earlier stays raised
    while asked(replies):
        replies = await chat.send("skip")
    assert result(replies).urgency == "doctor_soon"
