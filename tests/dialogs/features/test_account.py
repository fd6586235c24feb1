"""The account (dialogs/features/account.py) through Engine.handle: /history, /delete with
its confirmation (single use: a stray or old Yes erases nothing). What /privacy says and
/delete removes, table by table: tests/dialogs/test_privacy.py."""

from __future__ import annotations

from dialogs.knowledge import Knowledge
from tests.helpers import QUESTION_ORDER, Chat, result

QUESTIONS = QUESTION_ORDER


async def _has_history(chat: Chat) -> bool:
    async with chat.engine.store.transaction() as tx:
        return bool(await tx.list_assessments(chat.user_id, 10))


async def _finish_a_check(chat: Chat) -> None:
    await chat.send("/check")
    for _ in range(20):
        replies = await chat.send("skip")
        if any(r.causes is not None for r in replies):
            return
    raise AssertionError("the check did not finish")


async def test_history_lists_finished_checks(chat: Chat) -> None:
    replies = await chat.send("/history")
    assert not replies[0].causes
    await chat.send("/check")
    for _ in QUESTIONS:
        replies = await chat.send("skip")
    assert result(replies) is not None
    replies = await chat.send("/history")
    assert "2026-05-04" in replies[0].text


async def test_delete_needs_confirmation_and_erases(chat: Chat) -> None:
    await chat.send("/check")
    for _ in QUESTIONS:
        await chat.send("skip")
    replies = await chat.send("/delete")
    assert {b.data for row in replies[0].buttons for b in row} == {"del:yes", "del:no"}
    await chat.press("del:no")
    assert "2026" in (await chat.send("/history"))[0].text
    await chat.send("/delete")
    await chat.press("del:yes")
    async with chat.engine.store.transaction() as tx:
        assert await tx.get_user(chat.user_id) is None
        assert await tx.list_assessments(chat.user_id, 10) == []


async def test_delete_yes_with_nothing_pending_erases_nothing(
    chat: Chat, knowledge: Knowledge
) -> None:
    await _finish_a_check(chat)
    [reply] = await chat.press("del:yes")
    assert reply.text == knowledge.messages("delete_not_pending")
    assert await _has_history(chat)


async def test_yes_on_an_old_confirmation_after_no_erases_nothing(
    chat: Chat, knowledge: Knowledge
) -> None:
    await _finish_a_check(chat)
    await chat.send("/delete")
    [kept] = await chat.press("del:no")
    assert kept.text == knowledge.messages("delete_kept")
    [stray] = await chat.press("del:yes")  # months later, on the same old message
    assert stray.text == knowledge.messages("delete_not_pending")
    assert await _has_history(chat)


async def test_a_confirmation_is_used_up_by_another_command(
    chat: Chat, knowledge: Knowledge
) -> None:
    await _finish_a_check(chat)
    await chat.send("/delete")
    await chat.send("/help")
    [stray] = await chat.press("del:yes")
    assert stray.text == knowledge.messages("delete_not_pending")
    assert await _has_history(chat)
    await chat.send("/delete")
    [done] = await chat.press("del:yes")
    assert done.text == knowledge.messages("deleted")
    assert not await _has_history(chat)
