"""The Telegram transport (python-telegram-bot v22): thin handlers around the engine.

Text and commands in private chats go to `engine.handle`; its replies go out as plain-text
messages with inline keyboards. Every button press is answered; the pressed question then
shows what was chosen (a multi-select keeps its keyboard, edited in place). Anything that is
not text gets a short friendly answer; groups are told the bot works in private chats.
Updates of different users are handled concurrently, one user's strictly in order (a lock
per user). Everything is sent through `Sender` (AIORateLimiter below it), the same function
the reminder dispatcher uses.

Reliability (issue 13): a reply is retried through a Bot API outage for `Sender.reply_window`
seconds, in order (the user's lock is held meanwhile); one given up is followed, once Telegram
can be reached, by one "a message was lost" note. A user flooding the bot is told once to slow
down. Start-up waits for an unreachable Bot API with growing pauses (a log line each, no
traceback). The database file is watched: removed or replaced, the bot stops with an error.
Webhook updates go through `bot.webhook` (secret and size checked before the body is read).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import ChatMemberUpdated, MaybeInaccessibleMessage, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.media import MediaWriter, media_dir_for
from bot.ops import ErrorCounter, Metrics, OpsServer, ops_routes
from bot.reminders import ReminderDispatcher
from bot.runtime import open_engine
from bot.settings import Settings
from bot.shared_rate import keep_sharing, set_overall_rate
from bot.spread import Spread
from bot.stores import is_postgres
from bot.telegram_render import (
    bot_commands,
    chosen_text,
    coalesce,
    keyboard,
    pressed_labels,
    split_text,
)
from bot.telegram_send import Sender
from bot.webhook import WebhookListener
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge, load_knowledge
from dialogs.ports import StoreError
from dialogs.types import Button, Incoming, Reply

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
]
CONCURRENT_UPDATES = 256  # updates in flight at once (different users run in parallel)
MAX_PENDING_PER_USER = 100  # a whole getUpdates batch from one user; more is a flood, dropped
# Telegram takes ~30 messages a second, so a few dozen connections are plenty; a larger pool
# only costs CPU (httpcore scans every connection for every request). Waiting for a free
# connection is normal under load, hence the long pool timeout.
CONNECTION_POOL_SIZE = 48
POOL_TIMEOUT = 30.0  # seconds
DEFAULT_API = "https://api.telegram.org"
APOLOGY_WINDOW = 3600.0  # seconds the "a message was lost" note is retried
STARTUP_BACKOFF = (1.0, 60.0)  # seconds: first and longest pause while the Bot API is down
WATCH_INTERVAL = 2.0  # seconds between two looks at the database file
FLOOD_QUIET = 60.0  # seconds without a dropped update before a flood counts as over


class PatientApplication(Application):
    """An Application whose start-up waits for an unreachable Bot API (growing pauses, one
    clear log line each) instead of ending in a traceback; a rejected token still stops it."""

    startup_backoff: tuple[float, float] = STARTUP_BACKOFF

    async def initialize(self) -> None:
        pause, longest = self.startup_backoff
        while True:
            try:
                await super().initialize()
                return
            except InvalidToken:
                raise
            except NetworkError as error:  # unreachable, time-outs, 5xx
                log.warning(
                    "the Bot API at %s cannot be reached (%s); retrying in %.0f s",
                    self.bot.base_url.removesuffix(self.bot.token).removesuffix("/bot"),
                    type(error).__name__,
                    pause,
                )
                await asyncio.sleep(pause)
                pause = min(pause * 2, longest)


def utc_now() -> datetime:
    return datetime.now(UTC)


class UserLocks:
    """One asyncio.Lock per user while they have an update in flight (then forgotten).

    Waiters get the lock in arrival order (asyncio.Lock is fair), so one user's updates are
    handled in the order Telegram sent them. `hold` yields True when it is the update's
    turn; it yields False at once (no place in the queue) to a user who already has `limit`
    updates waiting: one user's flood cannot take all of PTB's concurrent-update slots.
    """

    def __init__(self, limit: int = MAX_PENDING_PER_USER) -> None:
        self.limit = limit
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, user_id: int) -> AsyncIterator[bool]:
        lock, users = self._locks.get(user_id, (asyncio.Lock(), 0))
        if users >= self.limit:
            yield False
            return
        self._locks[user_id] = (lock, users + 1)
        try:
            async with lock:
                yield True
        finally:
            lock, users = self._locks[user_id]
            if users <= 1:
                del self._locks[user_id]
            else:
                self._locks[user_id] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._locks


def api_urls(base: str | None) -> tuple[str, str]:
    """PTB's (base_url, base_file_url) from TELEGRAM_API_BASE_URL, given with or without the
    trailing /bot (e.g. http://127.0.0.1:8081 or http://127.0.0.1:8081/bot)."""
    root = (base or DEFAULT_API).rstrip("/")
    root = root.removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


@dataclass
class TelegramBot:
    """The bot's parts for one Application: engine, sender, locks, reminder dispatcher."""

    settings: Settings
    database: str
    knowledge: Knowledge
    clock: Callable[[], datetime] = utc_now
    reminders: bool = True  # start the reminder dispatcher when bot.reminders provides one
    reminder_interval: float = 5.0  # seconds between the dispatcher's looks for due reminders
    engine: Engine | None = None
    sender: Sender | None = None
    locks: UserLocks = field(default_factory=UserLocks)
    dispatcher: Any = None
    metrics: Metrics = field(default_factory=Metrics)  # /metrics (bot.ops)
    ops_server: OpsServer | None = None  # /healthz and /metrics on BOT_METRICS_PORT
    fatal: str | None = None  # why the bot stopped itself (the database file vanished, ...)
    on_fatal: Callable[[], Any] | None = None  # how to stop the running application
    watch_interval: float = WATCH_INTERVAL
    media: MediaWriter | None = None  # charts and reports; default: BOT_MEDIA_DIR or beside the db
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack)
    _apologies: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    _slowed: dict[int, float] = field(default_factory=dict)  # user -> last dropped update
    _watch: asyncio.Task[None] | None = None
    _paying: asyncio.Task[None] | None = None
    _sharing: asyncio.Task[None] | None = None

    # --- building and lifetime ----------------------------------------------------------
    def build(self, token: str | None = None) -> Application:
        base_url, base_file_url = api_urls(self.settings.api_base_url)
        app = (
            ApplicationBuilder()
            .application_class(PatientApplication)
            .token(token or self.settings.token or "")
            .base_url(base_url)
            .base_file_url(base_file_url)
            .rate_limiter(
                AIORateLimiter(
                    overall_max_rate=self.settings.send_rate,
                    overall_time_period=1,
                    max_retries=3,
                )
            )
            .concurrent_updates(CONCURRENT_UPDATES)
            .connection_pool_size(CONNECTION_POOL_SIZE)
            .pool_timeout(POOL_TIMEOUT)
            .post_init(self.startup)
            .post_stop(self.stopping)
            .post_shutdown(self.shutdown)
            .build()
        )
        private = filters.ChatType.PRIVATE
        app.add_handler(CallbackQueryHandler(self.on_press))
        app.add_handler(
            MessageHandler(private & filters.UpdateType.MESSAGE & filters.TEXT, self.on_text)
        )
        app.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, self.on_edited))
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
        return app

    async def startup(self, app: Application) -> None:
        """post_init: open the engine, describe the bot, start the reminders."""
        counter = ErrorCounter(self.metrics)
        logging.getLogger().addHandler(counter)
        self._stack.callback(logging.getLogger().removeHandler, counter)
        spread = Spread(self.settings.spread_minutes * 60, self.settings.reminder_rate)
        self.engine = await self._stack.enter_async_context(
            open_engine(self.database, self.settings.grace_minutes, self.knowledge, spread)
        )
        self.sender = Sender(app.bot, clock=self.clock, paid_broadcast=self.settings.paid_broadcast)
        self._watch = asyncio.create_task(self._watch_store(), name="database-watch")
        if self.media is None:
            self.media = MediaWriter(media_dir_for(self.settings.media_dir, self.database))
        await self._describe(app)
        beat = getattr(self.engine.store, "heartbeat", None)
        if beat is not None:  # several instances (PostgreSQL): share the send rate
            limiter = app.bot.rate_limiter
            self._sharing = asyncio.create_task(
                keep_sharing(
                    beat, lambda rate: set_overall_rate(limiter, rate), self.settings.send_rate
                ),
                name="send-rate-share",
            )
        self._paying = asyncio.create_task(self.pay_owed(), name="owed-replies")
        if self.reminders:
            store = self.engine.store
            send = self.metrics.counting_sends(
                self.sender.send, self.clock, lambda: int(getattr(store, "skipped", 0))
            )
            self.dispatcher = make_dispatcher(
                self.engine, send, self.clock, self.settings, self.reminder_interval
            )
            if self.dispatcher is not None:
                await self.dispatcher.start()
        if self.settings.metrics_port and self.ops_server is None:
            self.ops_server = OpsServer(self.ping, self.metrics, self.settings.metrics_port)
            await self.ops_server.start()

    async def ping(self) -> bool:
        """/healthz: whether the database answers."""
        ping = getattr(self.engine.store if self.engine else None, "ping", None)
        return bool(ping is not None and await ping())

    async def stopping(self, app: Application) -> None:
        """post_stop: stop the reminders while the bot can still send (a reminder being sent
        finishes; what is queued stays in the store for the next run)."""
        if self.dispatcher is not None:
            await self.dispatcher.stop()
            self.dispatcher = None
        if self.ops_server is not None:
            await self.ops_server.stop()
            self.ops_server = None
        for task in [self._watch, self._paying, self._sharing, *self._apologies.values()]:
            if task is not None:
                task.cancel()
        self._apologies.clear()
        self._watch = None

    async def shutdown(self, app: Application) -> None:
        """post_shutdown: close the engine (and the reminders, if still running)."""
        await self.stopping(app)
        await self._stack.aclose()
        self.engine = None

    async def _describe(self, app: Application) -> None:
        messages = self.knowledge.messages
        try:
            await app.bot.set_my_commands(bot_commands(messages))
            if messages.get("tg_description"):
                await app.bot.set_my_description(messages("tg_description")[:512])
            if messages.get("tg_short_description"):
                await app.bot.set_my_short_description(messages("tg_short_description")[:120])
        except TelegramError as error:  # the bot works without them
            log.warning("could not set the bot's commands or description: %s", error)

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

    async def _watch_store(self) -> None:
        """Every few seconds: is the database file still the one we opened? If it was
        removed or replaced, stop the bot with a clear error (writing on would lose
        everything at the next start)."""
        check = getattr(self._engine.store, "check_file", None)
        if check is None:
            return
        while True:
            await asyncio.sleep(self.watch_interval)
            try:
                check()
            except StoreError as error:
                self.stop_with(str(error))
                return

    def stop_with(self, reason: str) -> None:
        """Stop the bot for good: log `reason` and ask the running application to stop."""
        self.fatal = reason
        log.critical("stopping: %s", reason)
        if self.on_fatal is not None:
            self.on_fatal()

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


@asynccontextmanager
async def running(
    telegram_bot: TelegramBot,
    app: Application,
    poll_interval: float = 0.0,
    webhook: dict[str, Any] | None = None,
) -> AsyncIterator[Application]:
    """Run `app` inside an event loop that is already running (tests, benchmarks): what
    run_polling / run_webhook do, post_init and post_shutdown included. Long polling, or a
    webhook with `webhook_options(...)`."""
    await app.initialize()
    try:
        await telegram_bot.startup(app)
        try:
            assert app.updater is not None
            listener: WebhookListener | None = None
            if webhook is not None:
                listener = WebhookListener(
                    app.bot,
                    app.update_queue,
                    webhook["listen"],
                    webhook["port"],
                    webhook["url_path"],
                    webhook["secret_token"],
                    # several instances (PostgreSQL): handled before the 200, in order
                    process=app.process_update if is_postgres(telegram_bot.database) else None,
                    routes=ops_routes(telegram_bot.ping, telegram_bot.metrics),
                )
                await listener.start()
                await app.bot.set_webhook(
                    webhook["webhook_url"],
                    secret_token=webhook["secret_token"],
                    allowed_updates=webhook["allowed_updates"],
                )
            else:
                await app.updater.start_polling(
                    poll_interval=poll_interval, allowed_updates=ALLOWED_UPDATES
                )
            await app.start()
            try:
                yield app
            finally:
                if listener is not None:
                    await listener.stop()
                else:
                    await app.updater.stop()
                await app.stop()
                await telegram_bot.stopping(app)
        finally:
            await telegram_bot.shutdown(app)
    finally:
        await app.shutdown()


def make_dispatcher(
    engine: Engine,
    send: Any,
    clock: Callable[[], datetime],
    settings: Settings,
    interval: float = 5.0,
) -> ReminderDispatcher:
    """The reminder dispatcher (bot/reminders.py) over our send function."""
    # Spreading crowded minutes: a short queue, so what is claimed goes out within seconds
    # in the store's order (sleep reminders just before their time, not behind a backlog).
    spread = settings.spread_minutes > 0
    return ReminderDispatcher(
        engine,
        send,
        clock=clock,
        reminder_rate=settings.reminder_rate,
        interval=interval,
        max_queue=max(100, int(settings.reminder_rate * interval * 3)) if spread else None,
    )


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


def webhook_options(settings: Settings) -> dict[str, Any]:
    """run_webhook's arguments: listen on the URL's path, always with a secret token."""
    url = settings.webhook_url or ""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(url).path.lstrip("/"),
        "webhook_url": url,
        "secret_token": settings.webhook_secret or secrets.token_urlsafe(32),
        "allowed_updates": ALLOWED_UPDATES,
    }


async def serve(telegram_bot: TelegramBot, app: Application) -> None:
    """Run until SIGINT/SIGTERM, or until the bot stops itself (`TelegramBot.stop_with`)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    started = False

    def on_signal() -> None:
        stop.set()
        if not started and main is not None:  # still waiting for the Bot API: give up now
            main.cancel()

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, on_signal)
    telegram_bot.on_fatal = stop.set
    settings = telegram_bot.settings
    if settings.webhook_url:
        log.info("starting with a webhook on port %s", settings.webhook_port)
        webhook: dict[str, Any] | None = webhook_options(settings)
    else:
        log.info("starting with long polling")
        webhook = None
    async with running(telegram_bot, app, webhook=webhook):
        started = True
        await stop.wait()


def run_bot(settings: Settings, database: str | None = None) -> int:
    """`python -m bot run`: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set.
    0 after a normal stop; 1 when the bot could not go on (rejected token, database file
    removed or replaced), with the reason logged."""
    telegram_bot = TelegramBot(settings, database or settings.database, load_knowledge())
    app = telegram_bot.build()
    try:
        asyncio.run(serve(telegram_bot, app))
    except InvalidToken:
        log.error("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather")
        return 1
    except asyncio.CancelledError:  # stopped while waiting for the Bot API at start-up
        log.info("stopped before the Bot API could be reached")
        return 130
    return 1 if telegram_bot.fatal else 0
