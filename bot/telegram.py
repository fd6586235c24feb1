"""The Telegram transport (python-telegram-bot v22): thin handlers around the engine.

Text and commands in private chats go to `engine.handle`; its replies go out as plain-text
messages with inline keyboards. Every button press is answered; the pressed question then
shows what was chosen (a multi-select keeps its keyboard, edited in place). Anything that is
not text gets a short friendly answer; groups are told the bot works in private chats.
Updates of different users are handled concurrently, one user's strictly in order
(`bot.user_locks`). Everything is sent through `Sender` (AIORateLimiter below it), the same
function the reminder dispatcher uses. Building and running the Application (start-up,
polling or webhook, shutdown) is `bot.app`.

Reliability (issue 13): a reply is retried through a Bot API outage for `Sender.reply_window`
seconds, in order (the user's lock is held meanwhile); one given up is followed, once Telegram
can be reached, by one "a message was lost" note. A user flooding the bot is told once to slow
down. What met trouble is kept owed in the store and sent after a restart (`pay_owed`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import ChatMemberUpdated, MaybeInaccessibleMessage, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.media import MediaWriter
from bot.ops import Metrics
from bot.settings import Settings
from bot.telegram_render import (
    chosen_text,
    coalesce,
    keyboard,
    pressed_labels,
    split_text,
)
from bot.telegram_send import Sender
from bot.user_locks import UserLocks
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from dialogs.ports import StoreError
from dialogs.types import Button, Incoming, Location, Reply

log = logging.getLogger(__name__)

APOLOGY_WINDOW = 3600.0  # seconds the "a message was lost" note is retried
FLOOD_QUIET = 60.0  # seconds without a dropped update before a flood counts as over


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class TelegramBot:
    """The handlers of one Application and what they share: engine, sender, per-user locks,
    what is owed to users. `bot.app.TelegramApp` adds building, start-up and shutdown."""

    settings: Settings
    database: str  # where the store lives (bot.app opens the engine over it)
    knowledge: Knowledge
    clock: Callable[[], datetime] = utc_now
    engine: Engine | None = None
    sender: Sender | None = None
    locks: UserLocks = field(default_factory=UserLocks)
    metrics: Metrics = field(default_factory=Metrics)  # /metrics (bot.ops)
    media: MediaWriter | None = None  # charts and reports; default: BOT_MEDIA_DIR or beside the db
    _apologies: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    _slowed: dict[int, float] = field(default_factory=dict)  # user -> last dropped update

    # --- registering ---------------------------------------------------------------------
    def add_handlers(self, app: Application) -> None:
        """Register the handlers on `app` (bot.app builds it)."""
        private = filters.ChatType.PRIVATE
        app.add_handler(CallbackQueryHandler(self.on_press))
        app.add_handler(
            MessageHandler(private & filters.UpdateType.MESSAGE & filters.TEXT, self.on_text)
        )
        app.add_handler(
            MessageHandler(
                private & filters.UpdateType.MESSAGE & filters.LOCATION, self.on_location
            )
        )
        # A live location is updated by edits: those are not answered.
        edited = private & filters.UpdateType.EDITED_MESSAGE & ~filters.LOCATION
        app.add_handler(MessageHandler(edited, self.on_edited))
        app.add_handler(MessageHandler(private & filters.UpdateType.MESSAGE, self.on_non_text))
        app.add_handler(
            MessageHandler(
                filters.ChatType.GROUPS
                & filters.UpdateType.MESSAGE
                & (filters.COMMAND | filters.StatusUpdate.NEW_CHAT_MEMBERS),
                self.on_group,
            )
        )
        app.add_handler(ChatMemberHandler(self.on_member, ChatMemberHandler.MY_CHAT_MEMBER))
        app.add_error_handler(self.on_error)

    # --- handlers -------------------------------------------------------------------------
    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        async with self._in_order(update, user.id) as turn:
            if not turn:
                return
            incoming = Incoming(
                user.id, self.clock(), text=message.text, first_name=user.first_name
            )
            await self.deliver(await self._engine.handle(incoming))

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        user = query.from_user
        # The place in the user's queue is taken before anything is awaited (order kept).
        async with self._in_order(update, user.id) as turn:
            if not turn:
                return
            with contextlib.suppress(TelegramError):  # an old query can't be answered
                await query.answer()
            message = query.message
            if not query.data or (message and message.chat.type != ChatType.PRIVATE):
                return
            incoming = Incoming(
                user.id, self.clock(), callback=query.data, first_name=user.first_name
            )
            replies = await self._engine.handle(incoming)
            replies = await self._edit_pressed(message, query.data, replies)
            await self.deliver(replies)

    async def on_location(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A shared location: the engine offers the time zone found there."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.location is None:
            return
        point = Location(message.location.latitude, message.location.longitude)
        async with self._in_order(update, user.id) as turn:
            if not turn:
                return
            incoming = Incoming(user.id, self.clock(), location=point, first_name=user.first_name)
            await self.deliver(await self._engine.handle(incoming))

    async def on_non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._say(update, "tg_non_text")

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._say(update, "tg_edited")

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        if message.new_chat_members and not any(
            member.id == context.bot.id for member in message.new_chat_members
        ):
            return  # someone else joined: none of our business
        with contextlib.suppress(TelegramError):
            await message.reply_text(self.knowledge.messages("tg_private_only"))

    async def on_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The user blocked the bot (Telegram tells us): send them nothing more."""
        change: ChatMemberUpdated | None = update.my_chat_member
        if change is None or change.chat.type != ChatType.PRIVATE:
            return
        if change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
            await self._engine.mark_inactive(change.from_user.id, self.clock())

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure (never the token or the user's text) and tell the user."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        log.error(
            "handling update %s failed: %s",
            update_id,
            type(error).__name__,
            exc_info=(type(error), error, error.__traceback__) if error else None,
        )
        if not isinstance(update, Update) or self.sender is None:
            return
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            return
        try:
            await self.sender.send(Reply(chat.id, self.knowledge.messages("tg_error")))
        except Exception:  # nothing more we can do; the failure is logged above
            log.warning("could not tell user about the failure of update %s", update_id)

    # --- helpers --------------------------------------------------------------------------
    @property
    def _engine(self) -> Engine:
        if self.engine is None:
            raise RuntimeError("the engine is not open (startup() has not run)")
        return self.engine

    async def deliver(self, replies: list[Reply]) -> None:
        """Send the replies in order (short ones joined to the next, see `coalesce`), each
        retried through an outage (the sender's reply window); stop and mark the user
        inactive if they blocked us. A reply that could not be sent in time ends the batch
        (what follows it would make no sense alone) and the user is told once, when
        Telegram can be reached again, that a message was lost."""
        if self.media is not None and any(r.media is not None or r.erase_media for r in replies):
            # Drawing takes a few hundred ms of CPU: off the event loop, so other users'
            # messages go on meanwhile.
            await asyncio.to_thread(self.media.apply, replies)
        batch = coalesce(replies)
        owed: list[int] = []  # store ids of this batch's replies still owed (after trouble)
        for index, reply in enumerate(batch):

            async def keep_owed(rest: list[Reply] = batch[index:]) -> None:
                owed[:] = await self._owe(rest)

            try:
                if isinstance(self._sender, Sender):  # (test doubles take only the reply)
                    hook = None if owed else keep_owed
                    delivered = await self._sender.send(reply, on_trouble=hook)
                else:
                    delivered = await self._sender.send(reply)
            except TelegramError as error:
                log.warning(
                    "a reply could not be sent in time (%s); the user will be told",
                    type(error).__name__,
                )
                self._owe_apology(reply.user_id)
                await self._paid(owed)
                return
            if owed:
                await self._paid([owed.pop(0)])
            if not delivered:
                await self._engine.mark_inactive(reply.user_id, self.clock())
                await self._paid(owed)
                return

    # --- what is owed, in the store ---------------------------------------------------------
    async def _owe(self, replies: list[Reply]) -> list[int]:
        """The replies met trouble on the way: keep them in the store (they survive a
        restart) until sent or given up. Their ids, in order ([] without an Owed store)."""
        owe = getattr(getattr(self.engine, "store", None), "owe", None)
        if owe is None or not replies:
            return []
        window = timedelta(seconds=self._sender.reply_window)
        send_by = replies[0].send_by or self.clock() + window
        try:
            ids: list[int] = await owe(replies[0].user_id, [_payload(r) for r in replies], send_by)
        except StoreError as error:
            log.warning("could not keep replies owed in the store: %s", error)
            return []
        return ids

    async def _paid(self, ids: list[int]) -> None:
        paid = getattr(getattr(self.engine, "store", None), "paid", None)
        if paid is None or not ids:
            return
        try:
            await paid(list(ids))
        except StoreError as error:
            log.warning("could not clear sent replies from the store: %s", error)
        del ids[:]

    async def pay_owed(self) -> None:
        """At start-up: send what an earlier run owed (kept in the store when its send met
        trouble), each user's in order; what is past its time is replaced by one "a message
        was lost" note."""
        owed = getattr(self._engine.store, "owed", None)
        if owed is None:
            return
        try:
            items = await owed()
        except StoreError as error:
            log.warning("could not read the owed replies: %s", error)
            return
        by_user: dict[int, list[Any]] = {}
        for item in items:
            by_user.setdefault(item.user_id, []).append(item)
        if by_user:
            log.info("sending %d owed replies to %d users", len(items), len(by_user))
        await asyncio.gather(*(self._pay_user(u, owed_items) for u, owed_items in by_user.items()))

    async def _pay_user(self, user_id: int, items: list[Any]) -> None:
        async with self.locks.hold(user_id):  # before anything newer from this user
            lost = False
            for number, item in enumerate(items):
                ids = [item.id]
                if item.send_by <= self.clock():
                    lost = True
                    await self._paid(ids)
                    continue
                reply = _from_payload(user_id, item.payload)
                reply.send_by = item.send_by
                try:
                    delivered = await self._sender.send(reply)
                except TelegramError:
                    lost, delivered = True, True
                await self._paid(ids)
                if not delivered:
                    await self._engine.mark_inactive(user_id, self.clock())
                    await self._paid([i.id for i in items[number + 1 :]])
                    return
            if lost:
                self._owe_apology(user_id)

    def _owe_apology(self, user_id: int) -> None:
        if user_id not in self._apologies:
            task = asyncio.create_task(self._apologise(user_id))
            self._apologies[user_id] = task

    async def _apologise(self, user_id: int) -> None:
        """The one "a message was lost" note after a reply was given up (retried for an
        hour at most: a longer outage is beyond apology)."""
        try:
            note = Reply(
                user_id,
                self.knowledge.messages("tg_lost"),
                send_by=self.clock() + timedelta(seconds=APOLOGY_WINDOW),
            )
            await self._sender.send(note)
        except TelegramError as error:
            log.warning("the lost-message note could not be sent either (%s)", type(error).__name__)
        finally:
            self._apologies.pop(user_id, None)

    @property
    def _sender(self) -> Sender:
        if self.sender is None:
            raise RuntimeError("the sender is not ready (startup() has not run)")
        return self.sender

    async def _say(self, update: Update, key: str) -> None:
        """A fixed answer, in order with the user's other messages."""
        chat = update.effective_chat
        if chat is None:
            return
        user_id = update.effective_user.id if update.effective_user else chat.id
        async with self._in_order(update, user_id) as turn:
            if turn:
                await self.deliver([Reply(chat.id, self.knowledge.messages(key))])

    @asynccontextmanager
    async def _in_order(self, update: Update, user_id: int) -> AsyncIterator[bool]:
        """After the user's earlier updates: yields True when it is this update's turn,
        False when the user is flooding (the update is then dropped)."""
        arrived = time.monotonic()
        async with self.locks.hold(user_id) as turn:
            if not turn:
                log.warning("update %s dropped: too many waiting from one user", update.update_id)
                await self._slow_down(user_id)
            yield turn
        self.metrics.update_handled(user_id, time.monotonic() - arrived)

    async def _slow_down(self, user_id: int) -> None:
        """Once per flood (until FLOOD_QUIET seconds pass without a dropped update): tell
        the user that messages were skipped, never silence."""
        now = time.monotonic()
        last = self._slowed.get(user_id)
        self._slowed[user_id] = now
        if len(self._slowed) > 1000:  # forget floods long over
            self._slowed = {u: t for u, t in self._slowed.items() if now - t < FLOOD_QUIET}
        if last is not None and now - last < FLOOD_QUIET:
            return
        with contextlib.suppress(TelegramError):
            await self._sender.send(Reply(user_id, self.knowledge.messages("tg_slow_down")))

    async def _edit_pressed(
        self, message: MaybeInaccessibleMessage | None, data: str, replies: list[Reply]
    ) -> list[Reply]:
        """After a press: edit the pressed message, return the replies still to send.

        A reply marked `edit_of_callback` (a multi-select toggle) replaces the pressed message
        (only its keyboard when the text is the same). A press the engine took as an answer
        shows the choice under the question and removes the keyboard. Otherwise the message
        stays as it is.
        """
        if not isinstance(message, Message) or message.text is None:
            return replies
        chat_id, message_id = message.chat_id, message.message_id
        edits = [r for r in replies if r.edit_of_callback]
        if edits:
            reply = edits[0]
            text = split_text(reply.text)[0]
            if text == message.text:  # a toggle: only the keyboard changes
                await self._sender.edit_markup(chat_id, message_id, keyboard(reply.buttons))
            else:
                await self._sender.edit(chat_id, message_id, text, keyboard(reply.buttons))
            return [r for r in replies if r is not reply]
        if any(r.answers for r in replies):
            mark = self.knowledge.messages.get("selected_mark")
            labels = pressed_labels(message.reply_markup, data, mark)
            if labels:
                text = chosen_text(self.knowledge.messages, message.text, labels)
                await self._sender.edit(chat_id, message_id, text, None)
        return replies


def _payload(reply: Reply) -> dict[str, Any]:
    """What is needed to send a reply again (JSON), for the store's owed messages."""
    payload: dict[str, Any] = {"text": reply.text}
    if reply.buttons:
        payload["buttons"] = [[[b.text, b.data] for b in row] for row in reply.buttons]
    for name in ("image", "document", "reminder"):
        if getattr(reply, name):
            payload[name] = getattr(reply, name)
    return payload


def _from_payload(user_id: int, payload: dict[str, Any]) -> Reply:
    return Reply(
        user_id,
        str(payload.get("text", "")),
        buttons=[[Button(str(t), str(d)) for t, d in row] for row in payload.get("buttons", [])],
        image=payload.get("image"),
        document=payload.get("document"),
        reminder=payload.get("reminder"),
    )
