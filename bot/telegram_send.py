"""Sending and editing Telegram messages, with retries.

`Sender.send(reply) -> bool` is the one function every part of the bot sends through (the
chat handlers and the reminder dispatcher). It returns False when the user blocked the bot
(Forbidden); the caller marks them inactive. RetryAfter waits as long as Telegram asks;
timeouts, network errors and 5xx answers are retried with a growing pause (capped) until the
message's deadline: a reminder's `send_by` (the end of its grace window), else
`reply_window` seconds for a chat reply, so a Bot API outage of a minute loses nothing; when
the deadline passes the last error is raised (the caller apologises once). A message Telegram
refuses (BadRequest) is logged and dropped. Logs never contain message text.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.telegram_render import CAPTION_LIMIT, keyboard, render
from dialogs.types import Reply

log = logging.getLogger(__name__)

MAX_RETRY_AFTER = 60.0  # seconds: never wait longer than this for one message
REPLY_WINDOW = 60.0  # seconds a chat reply is retried through an outage before it is given up
MAX_BACKOFF = 5.0  # seconds: the longest pause between two attempts
GONE = ("chat not found", "user not found")  # BadRequests meaning: nobody to write to


class Blocked(Exception):
    """The user blocked the bot (or deleted their account)."""


class Unwanted(Exception):
    """Between two attempts the message stopped being wanted (a reminder turned off)."""


@dataclass(slots=True)
class Sender:
    bot: Bot
    retries: int = 3  # at least this many retries (edits: exactly this many)
    backoff: float = 0.5  # seconds before the first retry after a network error; doubles
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
    paid_broadcast: bool = False  # reminders go with allow_paid_broadcast (BOT_PAID_BROADCAST)
    reply_window: float = REPLY_WINDOW
    max_backoff: float = MAX_BACKOFF
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    monotonic: Callable[[], float] = time.monotonic

    async def send(
        self,
        reply: Reply,
        on_trouble: Callable[[], Awaitable[Any]] | None = None,
        still_wanted: Callable[[], Awaitable[bool]] | None = None,
    ) -> bool:
        """Send one reply (split in parts if long), retrying through an outage until its
        deadline. False: the user blocked the bot. Raises the last error when the deadline
        passed (NetworkError, TimedOut, RetryAfter). `on_trouble` is awaited once, at the
        first network error (the caller then keeps the message owed in the store);
        `still_wanted` before each retry: False ends the send quietly (True is returned)."""
        if reply.send_by is not None:
            left = (reply.send_by - self.clock()).total_seconds()
        else:
            left = self.reply_window
        deadline = self.monotonic() + max(left, 0.0)
        hook = _Once(on_trouble, still_wanted)
        try:
            paid = {"allow_paid_broadcast": True} if self.paid_broadcast and reply.reminder else {}
            if reply.image or reply.document:
                await self._send_file(reply, deadline, hook)
            else:
                for part in render(reply):
                    await self._call(
                        self.bot.send_message,
                        deadline=deadline,
                        trouble=hook,
                        **part.kwargs(),
                        **paid,
                    )
        except Blocked:
            return False
        except Unwanted:
            return True
        return True

    async def _send_file(
        self, reply: Reply, deadline: float | None = None, hook: _Once | None = None
    ) -> None:
        """A chart (sendPhoto) or a report (sendDocument), the text as its caption; a text
        too long for a caption goes first as a message of its own."""
        path = Path(reply.image or reply.document or "")
        caption: str | None = reply.text
        if len(reply.text) > CAPTION_LIMIT:
            for part in render(replace(reply, buttons=[])):
                await self._call(
                    self.bot.send_message, deadline=deadline, trouble=hook, **part.kwargs()
                )
            caption = None
        upload = InputFile(path.read_bytes(), filename=path.name)
        fields: dict[str, Any] = {"chat_id": reply.user_id, "caption": caption}
        markup = keyboard(reply.buttons)
        if markup is not None:
            fields["reply_markup"] = markup
        if reply.image:
            await self._call(
                self.bot.send_photo, deadline=deadline, trouble=hook, photo=upload, **fields
            )
        else:
            await self._call(
                self.bot.send_document, deadline=deadline, trouble=hook, document=upload, **fields
            )

    async def edit(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None,
    ) -> bool:
        """Replace a message's text and keyboard (None removes it). False if blocked."""
        if markup is None:  # explicit, so every Bot API server drops the old keyboard
            markup = InlineKeyboardMarkup([])
        try:
            await self._call(
                self.bot.edit_message_text,
                chat_id=chat_id,
                message_id=message_id,
                text=text,
                reply_markup=markup,
            )
        except Blocked:
            return False
        return True

    async def edit_markup(
        self, chat_id: int, message_id: int, markup: InlineKeyboardMarkup | None
    ) -> bool:
        """Replace only a message's keyboard (None removes it). False if blocked."""
        try:
            await self._call(
                self.bot.edit_message_reply_markup,
                chat_id=chat_id,
                message_id=message_id,
                reply_markup=markup or InlineKeyboardMarkup([]),
            )
        except Blocked:
            return False
        return True

    def _give_up(self, attempt: int, pause: float, deadline: float | None) -> bool:
        """After `attempt` retries: True when the next pause would pass the deadline (or,
        without one, when the retries are used up)."""
        if deadline is None:
            return attempt >= self.retries
        return attempt >= self.retries and self.monotonic() + pause > deadline

    async def _call(
        self,
        method: Callable[..., Awaitable[Any]],
        deadline: float | None = None,
        trouble: _Once | None = None,
        **kwargs: Any,
    ) -> Any:
        attempt = 0
        while True:
            try:
                return await method(**kwargs)
            except Forbidden as error:
                raise Blocked from error
            except BadRequest as error:
                if any(sign in error.message.lower() for sign in GONE):
                    raise Blocked from error
                if "not modified" not in error.message.lower():
                    log.warning("Telegram refused a %s call: %s", _name(method), error.message)
                return None
            except RetryAfter as error:
                pause = min(_retry_after(error), MAX_RETRY_AFTER)
                if self._give_up(attempt, pause, deadline):
                    raise
                await self.sleep(pause)
                if trouble is not None and not await trouble.wanted():
                    raise Unwanted from error
            except NetworkError as error:  # TimedOut, connection errors and 5xx answers
                if trouble is not None:
                    await trouble()
                pause = min(self.backoff * 2**attempt, self.max_backoff)
                if self._give_up(attempt, pause, deadline):
                    raise
                log.info("%s failed (%s); retrying", _name(method), type(error).__name__)
                await self.sleep(pause)
                if trouble is not None and not await trouble.wanted():
                    raise Unwanted from error
            attempt += 1


class _Once:
    """Calls the hook the first time it is called (never lets it break a send)."""

    def __init__(
        self,
        hook: Callable[[], Awaitable[Any]] | None,
        still_wanted: Callable[[], Awaitable[bool]] | None = None,
    ) -> None:
        self._hook = hook
        self._still_wanted = still_wanted

    async def wanted(self) -> bool:
        """Before a retry: is the message still wanted? (True when nobody says.)"""
        if self._still_wanted is None:
            return True
        try:
            return bool(await self._still_wanted())
        except Exception:
            log.exception("could not check whether a message is still wanted")
            return True

    async def __call__(self) -> None:
        hook, self._hook = self._hook, None
        if hook is None:
            return
        try:
            await hook()
        except Exception:
            log.exception("could not record a message as owed")


def _retry_after(error: RetryAfter) -> float:
    """Seconds to wait (PTB 22 gives int or timedelta, and warns about the change)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: float | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _name(method: Callable[..., Any]) -> str:
    return getattr(method, "__name__", "Bot API")
