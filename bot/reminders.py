"""The reminder dispatcher: claims due reminders and sends them, paced.

Every `interval` seconds it calls `engine.fire_due(now)` (an indexed query on next_due: no
scan of all users, no job per user in memory) and queues the replies. A sender task sends
them through `send(reply) -> Awaitable[bool]`, at most `reminder_rate` messages a second
overall (the rest of Telegram's ~30 msg/s stays free for conversations) and at most
`per_chat_rate` a second to one chat. `send` returning False means the user blocked the
bot: the engine marks them inactive, so nothing more is claimed for them.

The queue never holds more than can be sent within the grace window: what does not fit stays
in the database, and is claimed on a later tick while still inside the window, or skipped
(never sent late), as the contract says.

Each reminder is checked just before it is sent (`engine.reminder_wanted`): one turned off,
or whose user was deleted or blocked us, after it was claimed (a burst queues many) is
dropped. `send` retries through a Bot API outage until the reminder's grace window ends
(`Reply.send_by`); only then is it given up.

The store's outbox keeps what was claimed but not yet handed to `send` owned by this process:
each message is marked as sending just before `send` is called, so a restart (after a stop or
a crash) sends what the previous run left in its queue, if still inside the grace window,
and never anything twice. A crash can lose only the messages being sent at that moment.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import inspect
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Protocol, TypeGuard

from dialogs.ports import Store
from dialogs.types import Reply

log = logging.getLogger(__name__)

Send = Callable[[Reply], Awaitable[bool]]


class DispatchedEngine(Protocol):
    """What the dispatcher needs of the engine (`dialogs.engine.Engine` has it all)."""

    @property
    def store(self) -> Store: ...
    @property
    def grace_seconds(self) -> float: ...
    async def fire_due(self, now: datetime) -> list[Reply]: ...
    async def reminder_wanted(self, user_id: int, kind: str, now: datetime) -> bool: ...
    async def mark_inactive(self, user_id: int, now: datetime) -> None: ...


class HookedSend(Protocol):
    """A send that takes the delivery hooks (`bot.telegram_send.Sender.send`)."""

    def __call__(
        self,
        reply: Reply,
        on_trouble: Callable[[], Awaitable[Any]] | None = None,
        still_wanted: Callable[[], Awaitable[bool]] | None = None,
    ) -> Awaitable[bool]: ...


def takes_hooks(send: Send | HookedSend) -> TypeGuard[HookedSend]:
    """Whether `send` accepts `on_trouble` and `still_wanted` (by its signature)."""
    try:
        parameters = inspect.signature(send).parameters
    except (TypeError, ValueError):
        return False
    return "on_trouble" in parameters and "still_wanted" in parameters


Claim = tuple[int, str, datetime]  # (user id, reminder kind, the instant it was claimed at)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Pacer:
    """At most `rate` events a second, spaced at least 1/rate apart (no bursts).

    `wait_time()` says how long until the next event may happen; `mark()` records one that
    happened now. Spacing is measured from the actual moment of each event, so the rate is
    never exceeded in any window, whatever the scheduling jitter.
    """

    def __init__(self, rate: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.spacing = 1.0 / rate
        self._monotonic = monotonic
        self._next = float("-inf")

    def wait_time(self) -> float:
        return max(0.0, self._next - self._monotonic())

    def mark(self) -> None:
        self._next = self._monotonic() + self.spacing


class ReminderDispatcher:
    """The loop that fires reminders; `start()` / `stop()` around the bot's lifetime."""

    def __init__(
        self,
        engine: DispatchedEngine,
        send: Send | HookedSend,
        clock: Callable[[], datetime] = _utc_now,
        reminder_rate: float = 25.0,
        per_chat_rate: float = 1.0,
        interval: float = 5.0,
        *,
        max_queue: int | None = None,
        concurrency: int = 32,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.engine = engine
        self._send: Send | HookedSend = send
        # a send that takes the hooks: claims released on trouble, checked before each retry
        self._hooked_send = send if takes_hooks(send) else None
        self._clock = clock
        self._interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._overall = Pacer(reminder_rate, monotonic)
        self._chat_spacing = 1.0 / per_chat_rate
        grace = float(engine.grace_seconds)
        self.max_queue = max_queue or max(100, int(reminder_rate * grace))
        self._slots = asyncio.Semaphore(concurrency)
        self._queue: list[tuple[float, int, Reply, Claim]] = []  # (ready at, order, ...)
        self._order = itertools.count()
        self._chat_next: dict[int, float] = {}  # chat -> earliest next send (monotonic)
        self._wake = asyncio.Event()
        self._claiming = asyncio.Lock()  # held during a claim: stop() never cuts one in half
        self._tasks: list[asyncio.Task[None]] = []
        self._in_flight: set[asyncio.Task[None]] = set()
        self.sent = 0
        self.failed = 0
        self.blocked = 0
        self.dropped = 0  # turned off, or the user deleted, after the claim
        self.expired = 0  # still queued when their grace window ended (a crowded minute)

    # --- lifetime -------------------------------------------------------------------------
    async def start(self) -> None:
        if self._tasks:
            return
        self.engine.store.use_outbox()
        self._tasks = [
            asyncio.create_task(self._claim_loop(), name="reminders-claim"),
            asyncio.create_task(self._send_loop(), name="reminders-send"),
        ]

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop claiming and sending; let the sends already started finish (up to timeout).
        What is still queued stays in the store's outbox for the next run."""
        async with self._claiming:
            for task in self._tasks:
                task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._in_flight:
            await asyncio.wait(self._in_flight, timeout=timeout)
        if self._queue:
            log.info("stopping: %d claimed reminders left for the next run", len(self._queue))

    @property
    def pending(self) -> int:
        """Replies queued or being sent."""
        return len(self._queue) + len(self._in_flight)

    # --- claiming -------------------------------------------------------------------------
    async def tick(self) -> int:
        """Claim what is due now (while the queue has room) and queue it; the count queued."""
        now = self._clock()
        queued = 0
        while self.pending < self.max_queue:
            replies = await self.engine.fire_due(now)
            if not replies:
                break
            for reply in replies:
                self.enqueue(reply, now)
            queued += len(replies)
        return queued

    def enqueue(self, reply: Reply, claimed_at: datetime) -> None:
        claim = (reply.user_id, reply.reminder or "", claimed_at)
        heapq.heappush(self._queue, (self._monotonic(), next(self._order), reply, claim))
        self._wake.set()

    async def _claim_loop(self) -> None:
        while True:
            try:
                async with self._claiming:
                    if await self._leading():
                        await self.tick()
            except Exception:  # a database hiccup must not end the reminders for good
                log.exception("claiming due reminders failed; retrying next tick")
            await self._sleep(self._interval)

    async def _leading(self) -> bool:
        """Several instances on one PostgreSQL database: only the one holding the store's
        leader lock claims and sends (so their total rate is one dispatcher's). An instance
        that lost the lock drops its queue: those claims stay owned in the outbox, and the
        new leader adopts them."""
        try_lead = getattr(self.engine.store, "try_lead", None)
        if try_lead is None or await try_lead():
            return True
        if self._queue:
            log.warning("no longer dispatching: %d queued reminders left", len(self._queue))
            self._queue.clear()
        return False

    # --- sending --------------------------------------------------------------------------
    async def _send_loop(self) -> None:
        while True:
            if not self._queue:
                self._wake.clear()
                await self._wake.wait()
                continue
            now = self._monotonic()
            ready, _, reply, claim = self._queue[0]
            wait = max(ready - now, self._overall.wait_time())
            if wait > 0:
                await self._sleep(min(wait, self._overall.spacing))
                continue
            heapq.heappop(self._queue)
            chat_ready = self._chat_next.get(reply.user_id, 0.0)
            if chat_ready > now:  # this chat had a message less than a second ago
                heapq.heappush(self._queue, (chat_ready, next(self._order), reply, claim))
                continue
            if reply.send_by is not None and self._clock() > reply.send_by:
                self.expired += 1  # its grace window ended while it waited: never sent late
                continue
            wanted = await self._wanted(reply)
            await self._slots.acquire()
            try:
                await self.engine.store.mark_sending([claim])
            except Exception:
                self._slots.release()
                log.exception("could not mark a reminder as sending; retrying in a second")
                heapq.heappush(self._queue, (now + 1.0, next(self._order), reply, claim))
                await self._sleep(self._overall.spacing)
                continue
            if not wanted:  # turned off or deleted since the claim: handed over, not sent
                self._slots.release()
                self.dropped += 1
                continue
            self._overall.mark()
            self._chat_next[reply.user_id] = self._monotonic() + self._chat_spacing
            if len(self._chat_next) > 4 * self.max_queue:
                self._forget_idle_chats()
            task = asyncio.create_task(self._deliver(reply, claim))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    async def _wanted(self, reply: Reply) -> bool:
        if reply.reminder is None:
            return True
        try:
            return await self.engine.reminder_wanted(reply.user_id, reply.reminder, self._clock())
        except Exception:
            log.exception("could not check a reminder before sending it; sending it")
            return True

    async def _deliver(self, reply: Reply, claim: Claim | None = None) -> None:
        released: list[Claim] = []

        async def release() -> None:  # the Bot API is in trouble: the claim is ours again
            give_back = getattr(self.engine.store, "release_claims", None)
            if give_back is not None and claim is not None:
                await give_back([claim])
                released.append(claim)

        try:
            if self._hooked_send is not None:
                delivered = await self._hooked_send(
                    reply, on_trouble=release, still_wanted=lambda: self._wanted(reply)
                )
            else:
                delivered = await self._send(reply)
            if released:  # sent (or blocked) after all: handed over for good
                await self.engine.store.mark_sending(released)
        except Exception:
            self.failed += 1
            log.exception("sending a reminder failed")
            return
        finally:
            self._slots.release()
        if delivered:
            self.sent += 1
            return
        self.blocked += 1
        try:
            await self.engine.mark_inactive(reply.user_id, self._clock())
        except Exception:
            log.exception("could not mark a blocked user inactive")

    def _forget_idle_chats(self) -> None:
        now = self._monotonic()
        self._chat_next = {chat: at for chat, at in self._chat_next.items() if at > now}
