"""The terminal transport: chat with the bot in a shell, buttons shown as lettered choices.

Buttons get letters rather than numbers, so that a typed number ("8" for stress) stays an
answer and only a lone letter presses a button.

Lines are read in a worker thread so the event loop stays free: reminders that fall due
while you are idle are printed as they fire.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO

from bot.media import MediaWriter
from dialogs.engine import Engine
from dialogs.types import Incoming, Reply

log = logging.getLogger(__name__)
PROMPT = "you> "
TICK_SECONDS = 20.0


def render(reply: Reply, choices: list[str]) -> str:
    """The reply as terminal text; its buttons are lettered and their data appended to
    `choices`, so typing the letter presses the button."""
    lines = [reply.text]
    for path in (reply.image, reply.document):
        if path:
            lines.append(f"  [file] {path}")
    for row in reply.buttons:
        for button in row:
            choices.append(button.data)
            lines.append(f"  [{button_key(len(choices) - 1)}] {button.text}")
    return "\n".join(
        "bot> " + line if i == 0 else "     " + line
        for i, line in enumerate("\n".join(lines).splitlines() or [""])
    )


def button_key(index: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'aa'..."""
    key = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        key = chr(ord("a") + rest) + key
    return key


def pressed(line: str, choices: list[str]) -> str | None:
    """The data of the button whose letter `line` is, if it is one."""
    key = line.strip().lower()
    for index, data in enumerate(choices):
        if button_key(index) == key:
            return data
    return None


class TerminalChat:
    def __init__(
        self,
        engine: Engine,
        user_id: int,
        sink: TextIO,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        media: MediaWriter | None = None,
    ) -> None:
        self.media = media
        self.engine = engine
        self.user_id = user_id
        self.sink = sink
        self.clock = clock
        self.choices: list[str] = []
        self.lock = asyncio.Lock()

    def show(self, replies: list[Reply]) -> None:
        if self.media is not None:
            self.media.apply(replies)
        mine = [r for r in replies if r.user_id == self.user_id]
        if not mine:
            return
        self.choices = []
        for reply in mine:
            self.sink.write(render(reply, self.choices) + "\n")
        self.sink.flush()

    async def say(self, line: str) -> None:
        async with self.lock:
            now = self.clock()
            data = pressed(line, self.choices)
            if data is not None:
                incoming = Incoming(self.user_id, now, callback=data)
            else:
                incoming = Incoming(self.user_id, now, text=line)
            try:
                replies = await self.engine.fire_due(now)
                replies += await self.engine.handle(incoming)
            except Exception:  # one failed message must not end the chat
                log.exception("could not handle a terminal message")
                replies = [Reply(self.user_id, self.engine.knowledge.messages("err_internal"))]
            self.show(replies)

    async def tick(self) -> None:
        """Print the reminders that fall due while the user is idle."""
        while True:
            await asyncio.sleep(TICK_SECONDS)
            async with self.lock:
                try:
                    self.show(await self.engine.fire_due(self.clock()))
                except Exception:  # try again at the next tick
                    log.exception("could not fire due reminders")


async def serve(
    engine: Engine,
    user_id: int = 1,
    source: TextIO = sys.stdin,
    sink: TextIO = sys.stdout,
    media: MediaWriter | None = None,
) -> None:
    interactive = source.isatty()
    reconfigure = getattr(source, "reconfigure", None)
    if reconfigure is not None:  # bytes that are not UTF-8 become U+FFFD, never a crash
        reconfigure(errors="replace")
    if hasattr(sink, "reconfigure"):  # a terminal that cannot show an emoji shows "?"
        sink.reconfigure(errors="replace")
    chat = TerminalChat(engine, user_id, sink, media=media)
    sink.write(
        "Type a message, a command such as /check or /help, or a letter to press a "
        "button. Ctrl-D quits.\n"
    )
    await chat.say("/start")
    ticker = asyncio.create_task(chat.tick())
    loop = asyncio.get_running_loop()
    try:
        while True:
            if interactive:
                sink.write(PROMPT)
                sink.flush()
            line = await loop.run_in_executor(None, source.readline)
            if not line:
                sink.write("\n")
                return
            await chat.say(line.rstrip("\n"))
    finally:
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker
