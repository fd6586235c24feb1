"""The router's tables: every button and command of ours reaches a handler."""

from __future__ import annotations

from dialogs import callbacks, engine
from dialogs.knowledge import Knowledge
from tests.conftest import Chat


def test_every_kind_of_button_has_a_handler() -> None:
    routed = set(engine.BUTTONS) | {callbacks.Menu}  # menu:<command> goes to COMMANDS
    assert routed == set(callbacks.BUTTON_TYPES)


def test_every_command_offered_in_telegram_is_routed(knowledge: Knowledge) -> None:
    offered = [
        line.partition(" - ")[0].strip().lstrip("/")
        for line in knowledge.messages.get("tg_commands").splitlines()
        if line.strip()
    ]
    assert offered and set(offered) <= set(engine.COMMANDS)


def test_the_grace_window_lives_in_the_engine_settings() -> None:
    assert engine.EngineSettings(grace_minutes=5).grace_seconds == 300


async def test_a_menu_button_runs_its_command(chat: Chat) -> None:
    [reply] = await chat.press("menu:privacy")
    assert reply.text == chat.engine.knowledge.messages("privacy")
    [unknown] = await chat.press("menu:nonsense")
    assert unknown.text == chat.engine.knowledge.messages("unknown_command", command="nonsense")
