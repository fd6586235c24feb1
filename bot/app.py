"""The Telegram bot's runner: builds python-telegram-bot's Application around the handlers of
`bot.telegram` and runs it.

`TelegramApp` is a `TelegramBot` (the handlers) that can be built and run: start-up opens the
engine over the store, makes the sender, sets the bot's commands and description, starts the
reminder dispatcher (the one instance that leads, with PostgreSQL), the shared send rate, the
owed replies, the database-file watch and the ops server (/healthz, /metrics); shutdown stops
them in order. `running` runs it inside a running event loop (long polling or the webhook of
`bot.webhook`); `serve` until SIGINT/SIGTERM or a fatal error; `run_bot` is `python -m bot run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.media import MediaWriter, media_dir_for
from bot.ops import ErrorCounter, OpsServer, ops_routes
from bot.reminders import HookedSend, ReminderDispatcher, Send
from bot.runtime import configured_knowledge, open_engine
from bot.settings import Settings
from bot.shared_rate import keep_sharing, set_overall_rate
from bot.spread import Spread
from bot.stores import is_postgres
from bot.telegram import TelegramBot
from bot.telegram_render import bot_commands
from bot.telegram_send import Sender
from bot.webhook import WebhookListener
from dialogs.engine import Engine
from dialogs.ports import StoreError

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
]
CONCURRENT_UPDATES = 256  # updates in flight at once (different users run in parallel)
# Telegram takes ~30 messages a second, so a few dozen connections are plenty; a larger pool
# only costs CPU (httpcore scans every connection for every request). Waiting for a free
# connection is normal under load, hence the long pool timeout.
CONNECTION_POOL_SIZE = 48
POOL_TIMEOUT = 30.0  # seconds
DEFAULT_API = "https://api.telegram.org"
STARTUP_BACKOFF = (1.0, 60.0)  # seconds: first and longest pause while the Bot API is down
WATCH_INTERVAL = 2.0  # seconds between two looks at the database file


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


def api_urls(base: str | None) -> tuple[str, str]:
    """PTB's (base_url, base_file_url) from TELEGRAM_API_BASE_URL, given with or without the
    trailing /bot (e.g. http://127.0.0.1:8081 or http://127.0.0.1:8081/bot)."""
    root = (base or DEFAULT_API).rstrip("/")
    root = root.removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


@dataclass
class TelegramApp(TelegramBot):
    """The handlers (`TelegramBot`) with their Application's lifetime: building, start-up,
    the reminder dispatcher, the ops server, the database watch, shutdown."""

    reminders: bool = True  # start the reminder dispatcher
    reminder_interval: float = 5.0  # seconds between the dispatcher's looks for due reminders
    dispatcher: ReminderDispatcher | None = None
    ops_server: OpsServer | None = None  # /healthz and /metrics on BOT_METRICS_PORT
    fatal: str | None = None  # why the bot stopped itself (the database file vanished, ...)
    on_fatal: Callable[[], Any] | None = None  # how to stop the running application
    watch_interval: float = WATCH_INTERVAL
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack)
    _watch: asyncio.Task[None] | None = None
    _paying: asyncio.Task[None] | None = None
    _sharing: asyncio.Task[None] | None = None

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
        self.add_handlers(app)
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


@asynccontextmanager
async def running(
    telegram_bot: TelegramApp,
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
    send: Send | HookedSend,
    clock: Callable[[], datetime],
    settings: Settings,
    interval: float = 5.0,
) -> ReminderDispatcher:
    """The reminder dispatcher over our send function."""
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


async def serve(telegram_bot: TelegramApp, app: Application) -> None:
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
    telegram_bot = TelegramApp(
        settings, database or settings.database, configured_knowledge(settings)
    )
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
