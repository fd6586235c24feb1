"""/start, /help and unknown commands: a text with the main menu's buttons (`menu:<command>`,
which the engine handles as that command)."""

from __future__ import annotations

from dialogs.callbacks import Menu
from dialogs.turn import Turn
from dialogs.types import Button, Reply


def menu(turn: Turn, text: str) -> Reply:
    return turn.reply(
        text,
        buttons=[
            [
                Button(turn.say("menu_check"), Menu("check").pack()),
                Button(turn.say("menu_ask"), Menu("ask").pack()),
            ],
            [
                Button(turn.say("menu_reminders"), Menu("reminders").pack()),
                Button(turn.say("menu_help"), Menu("help").pack()),
            ],
        ],
    )


async def start(turn: Turn, args: str) -> list[Reply]:
    """/start"""
    return [menu(turn, turn.say("greeting"))]


async def help_text(turn: Turn, args: str) -> list[Reply]:
    """/help"""
    return [menu(turn, turn.say("help"))]


def unknown(turn: Turn, command: str) -> list[Reply]:
    return [menu(turn, turn.say("unknown_command", command=command))]
