"""Free questions (dialogs/features/questions.py) through Engine.handle: a question asked in
the middle of a check is answered and the check resumes."""

from __future__ import annotations

from tests.helpers import Chat, asked, understood


async def test_a_question_in_passing_is_answered_and_the_check_resumes(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("wait, how much water should I drink a day?")
    assert replies[0].faq == "hydration_amount"
    assert asked(replies) == "location" and not understood(replies)
    replies = await chat.send("/ask is caffeine bad for twitching")
    assert any(r.faq for r in replies) and asked(replies) == "location"
