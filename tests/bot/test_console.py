"""The terminal transport (bot/console.py): buttons numbered by letters and pressed by them."""

from __future__ import annotations

import io

from bot import console
from dialogs.engine import Engine


async def test_terminal_chat_numbers_buttons_and_presses_them(engine: Engine) -> None:
    source = io.StringIO("/check\na\n")
    sink = io.StringIO()
    await console.serve(engine, user_id=3, source=source, sink=sink)
    out = sink.getvalue()
    assert "bot> Hi!" in out  # /start is sent first
    assert "[a] Eyelid" in out
    assert "✅ Eyelid" in out  # typing a pressed the first button (a toggle)


def test_button_letters() -> None:
    assert [console.button_key(i) for i in (0, 1, 25, 26)] == ["a", "b", "z", "aa"]
    assert console.pressed(" B ", ["x", "y"]) == "y"
    assert console.pressed("8", ["x", "y"]) is None  # numbers stay answers
