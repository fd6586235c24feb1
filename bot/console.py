"""The terminal transport: chat with the bot in a shell, buttons shown as numbered choices."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TextIO

from dialogs.engine import Engine
from dialogs.types import Incoming, Reply

PROMPT = "you> "


def render(reply: Reply, choices: list[str]) -> str:
    """The reply as terminal text; its buttons are numbered and their data appended to
    `choices`, so typing the number presses the button."""
    lines = [reply.text]
    for row in reply.buttons:
        for button in row:
            choices.append(button.data)
            lines.append(f"  [{len(choices)}] {button.text}")
    return "\n".join("bot> " + line if i == 0 else "     " + line
                     for i, line in enumerate("\n".join(lines).splitlines() or [""]))


async def serve(engine: Engine, user_id: int = 1, source: TextIO = sys.stdin,
                sink: TextIO = sys.stdout) -> None:
    interactive = source.isatty()
    choices: list[str] = []
    sink.write("Type a message, a command such as /check or /help, or a number to press a "
               "button. Ctrl-D quits.\n")
    first = True
    while True:
        if first:
            line = "/start"
            first = False
        else:
            if interactive:
                sink.write(PROMPT)
                sink.flush()
            line = source.readline()
            if not line:
                sink.write("\n")
                return
            line = line.rstrip("\n")
        now = datetime.now(UTC)
        stripped = line.strip()
        if stripped.isdigit() and 1 <= int(stripped) <= len(choices):
            incoming = Incoming(user_id, now, callback=choices[int(stripped) - 1])
        else:
            incoming = Incoming(user_id, now, text=line)
        replies = await engine.fire_due(now)
        replies += await engine.handle(incoming)
        choices = []
        for reply in replies:
            if reply.user_id == user_id:
                sink.write(render(reply, choices) + "\n")
        sink.flush()
