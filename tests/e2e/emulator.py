"""The Telegram Bot API emulator (telegram-test-api, patched by emulator.js) and a client
that acts as Telegram users through it. Shared by the end-to-end tests and the benchmark."""

from __future__ import annotations

import asyncio
import itertools
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.helpers import free_port

HERE = Path(__file__).resolve().parent
NPM_CI = ["npm", "ci", "--prefix", str(HERE), "--no-audit", "--no-fund"]


class EmulatorUnavailable(RuntimeError):
    """node is not installed: the emulator cannot run here."""


def ensure_installed() -> None:
    """`npm ci` in tests/e2e when node_modules is missing (a clean checkout, CI)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise EmulatorUnavailable("node and npm are needed for the Telegram emulator")
    if not (HERE / "node_modules" / "telegram-test-api").is_dir():
        subprocess.run(NPM_CI, check=True, stdout=subprocess.DEVNULL, timeout=300)


@contextmanager
def emulator(port: int | None = None, timeout: float = 20.0) -> Iterator[str]:
    """Start the emulator on 127.0.0.1; yields its base URL; stops it on exit."""
    ensure_installed()
    port = port or free_port()
    process = subprocess.Popen(
        ["node", str(HERE / "emulator.js"), str(port)],
        cwd=HERE,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DEBUG": ""},
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        line = process.stdout.readline() if ready else ""
        if not line.startswith("READY"):
            error = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"the emulator did not start: {line!r} {error}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for pipe in (process.stdin, process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()  # else a ResourceWarning each (warnings are errors)


_tokens = itertools.count(1)


def fresh_token() -> str:
    """A bot token no earlier test used (the emulator keeps unread updates per token)."""
    return f"{100000 + next(_tokens)}:TEST{os.getpid()}x{time.monotonic_ns()}"


@dataclass(frozen=True, slots=True)
class BotMessage:
    """A message the bot sent, as the emulator stores it."""

    message_id: int
    chat_id: int
    text: str
    buttons: list[list[dict[str, str]]]
    photo: dict[str, Any] | None = None  # sendPhoto: {file_name, file_size}; text = caption
    document: dict[str, Any] | None = None  # sendDocument: the same

    @classmethod
    def from_stored(cls, item: dict[str, Any]) -> BotMessage:
        message = item["message"]
        markup = message.get("reply_markup") or {}
        return cls(
            message_id=int(item["messageId"]),
            chat_id=int(message["chat_id"]),
            text=message.get("text", ""),
            buttons=markup.get("inline_keyboard", []),
            photo=message.get("photo"),
            document=message.get("document"),
        )

    def button(self, contains: str = "", data_prefix: str = "") -> dict[str, str]:
        """The first button whose label contains `contains` and data starts with the prefix."""
        for row in self.buttons:
            for button in row:
                if contains.lower() in button["text"].lower() and button.get(
                    "callback_data", ""
                ).startswith(data_prefix):
                    return button
        raise LookupError(f"no button {contains!r}/{data_prefix!r} in {self.buttons}")


@dataclass
class TelegramUser:
    """One person writing to the bot through the emulator."""

    client: EmulatorClient
    user_id: int
    first_name: str = "Alex"
    chat_type: str = "private"
    chat_id: int | None = None

    @property
    def who(self) -> dict[str, Any]:
        return {"id": self.user_id, "first_name": self.first_name, "is_bot": False}

    @property
    def chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.chat_id or self.user_id, "type": self.chat_type}
        if self.chat_type == "private":
            chat["first_name"] = self.first_name
        else:
            chat["title"] = "Some group"
        return chat

    async def send(self, text: str | None = None, **fields: Any) -> None:
        """Type `text` (a /command gets its bot_command entity), or send other content."""
        body: dict[str, Any] = {
            "botToken": self.client.token,
            "from": self.who,
            "chat": self.chat,
            "date": int(time.time()),
            **fields,
        }
        if text is not None:
            body["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                body["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
        await self.client.post("/sendMessage", body)

    async def press(self, message: BotMessage, data: str) -> None:
        await self.client.post(
            "/sendCallback",
            {
                "botToken": self.client.token,
                "from": self.who,
                "data": data,
                "message": {
                    "message_id": message.message_id,
                    "date": int(time.time()),
                    "chat": self.chat,
                    "text": message.text,
                },
            },
        )

    async def raw_update(self, update: dict[str, Any]) -> None:
        await self.client.post("/sendRawUpdate", {"botToken": self.client.token, "update": update})

    async def receive(
        self, count: int = 1, timeout: float = 10.0, settle: float = 0.3
    ) -> list[BotMessage]:
        """Wait for at least `count` new messages to this chat, then `settle` seconds for more."""
        got: list[BotMessage] = []
        deadline = time.monotonic() + timeout
        while len(got) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"expected {count} message(s), got {[m.text for m in got]}")
            got += await self._unread()
            if len(got) < count:
                await asyncio.sleep(0.02)
        end = time.monotonic() + settle
        while time.monotonic() < end:
            await asyncio.sleep(0.05)
            got += await self._unread()
        return got

    async def _unread(self) -> list[BotMessage]:
        result = await self.client.post(
            "/getUpdates", {"token": self.client.token, "chatId": self.chat_id or self.user_id}
        )
        return [BotMessage.from_stored(item) for item in result]

    async def current(self, message_id: int) -> BotMessage:
        """A bot message as it is now (edits included)."""
        for item in await self.client.post("/getUpdatesHistory", {"token": self.client.token}):
            if (
                "messageId" in item
                and int(item["messageId"]) == message_id
                and "chat_id" in (item.get("message") or {})
            ):
                return BotMessage.from_stored(item)
        raise LookupError(f"no bot message {message_id}")


@dataclass
class EmulatorClient:
    """The emulator's client API for one bot token."""

    base_url: str
    token: str
    http: httpx.AsyncClient = field(default_factory=lambda: httpx.AsyncClient(timeout=10))

    async def post(self, path: str, body: dict[str, Any]) -> Any:
        response = await self.http.post(self.base_url + path, json=body)
        response.raise_for_status()
        return response.json().get("result")

    def user(self, user_id: int, **fields: Any) -> TelegramUser:
        return TelegramUser(self, user_id, **fields)

    async def bot_message_count(self) -> int:
        return int(await self.post("/botMessageCount", {"token": self.token}))

    async def aclose(self) -> None:
        await self.http.aclose()
