"""The menu (dialogs/features/menu.py): /start greets with the menu."""

from __future__ import annotations

from tests.helpers import Chat


async def test_start_greets_with_menu(chat: Chat) -> None:
    replies = await chat.send("/start")
    assert len(replies) == 1
    assert "menu:check" in {b.data for row in replies[0].buttons for b in row}
