"""Operations: health, Prometheus metrics and JSON-line logs.

- `GET /healthz`: 200 `ok` when the database answers (`store.ping()`), else 503.
- `GET /metrics`: the Prometheus text format of `Metrics` (its own registry: no global state).
- `JsonFormatter`: `LOG_FORMAT=json` gives one JSON object per log line.

The routes are served on the webhook server (`ops_routes`) and, in polling mode, by a small
server of their own on `BOT_METRICS_PORT` (`OpsServer`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import tornado.web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from tornado.httpserver import HTTPServer

from dialogs.types import Reply

log = logging.getLogger(__name__)

ACTIVE_WINDOW = 15 * 60.0  # seconds: a user with an update this recent counts as active
LATE_AFTER = 60.0  # seconds: a reminder sent later than this after its time counts as late
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
Ping = Callable[[], Awaitable[bool]]
Send = Callable[..., Awaitable[bool]]


class Metrics:
    """The bot's counters, on a registry of their own."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter("bot_updates_handled", "Telegram updates handled", registry=r)
        self.latency = Histogram(
            "bot_reply_latency_seconds",
            "From an update's arrival to its replies handed to Telegram",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.reminders_sent = Counter("bot_reminders_sent", "Reminders sent", registry=r)
        self.reminders_skipped = Counter(
            "bot_reminders_skipped",
            "Reminders not sent: older than the grace window when found",
            registry=r,
        )
        self.reminders_late = Counter(
            "bot_reminders_late", f"Reminders sent more than {LATE_AFTER:g} s late", registry=r
        )
        self.reminders_early = Counter(
            "bot_reminders_early", "Reminders of a crowded minute sent before it", registry=r
        )
        self.errors = Counter("bot_errors", "Errors by kind", ["kind"], registry=r)
        self.active_users = Gauge(
            "bot_active_users",
            f"Distinct users with an update in the last {ACTIVE_WINDOW / 60:g} minutes "
            "(this instance)",
            registry=r,
        )
        self._monotonic = monotonic
        self._seen: dict[int, float] = {}
        self._skipped_seen = 0

    def update_handled(self, user_id: int, seconds: float) -> None:
        self.updates.inc()
        self.latency.observe(max(0.0, seconds))
        self._seen[user_id] = self._monotonic()

    def error(self, kind: str) -> None:
        self.errors.labels(kind=kind).inc()

    def reminder_sent(self, due: datetime | None, sent_at: datetime) -> None:
        self.reminders_sent.inc()
        if due is None:
            return
        delay = (sent_at - due).total_seconds()
        if delay > LATE_AFTER:
            self.reminders_late.inc()
        elif delay < 0:
            self.reminders_early.inc()

    def skipped_total(self, total: int) -> None:
        """The store's running count of skipped reminders (counted once each)."""
        if total > self._skipped_seen:
            self.reminders_skipped.inc(total - self._skipped_seen)
            self._skipped_seen = total

    def render(self) -> bytes:
        cutoff = self._monotonic() - ACTIVE_WINDOW
        self._seen = {user: at for user, at in self._seen.items() if at >= cutoff}
        self.active_users.set(len(self._seen))
        return generate_latest(self.registry)

    def counting_sends(
        self, send: Send, clock: Callable[[], datetime], skipped: Callable[[], int]
    ) -> Send:
        """`send` for the reminder dispatcher, counting what it sends (and late, early).
        It passes the dispatcher's hooks through (it looks for them in the signature)."""

        async def counted(
            reply: Reply,
            on_trouble: Callable[[], Awaitable[Any]] | None = None,
            still_wanted: Callable[[], Awaitable[bool]] | None = None,
        ) -> bool:
            hooks = {"on_trouble": on_trouble, "still_wanted": still_wanted}
            try:
                delivered = await send(reply, **{k: v for k, v in hooks.items() if v})
            except Exception:
                self.error("reminder_send")
                raise
            if delivered:
                self.reminder_sent(getattr(reply, "due", None), clock())
            self.skipped_total(skipped())
            return delivered

        return counted


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exc"] = record.exc_text
        return json.dumps(out, ensure_ascii=False)


# --- HTTP -------------------------------------------------------------------------------
class HealthHandler(tornado.web.RequestHandler):
    def initialize(self, ping: Ping) -> None:
        self.ping = ping

    async def get(self) -> None:
        try:
            healthy = await self.ping()
        except Exception:
            healthy = False
        self.set_status(200 if healthy else 503)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("ok\n" if healthy else "database unavailable\n")


class MetricsHandler(tornado.web.RequestHandler):
    def initialize(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def get(self) -> None:
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(self.metrics.render())


def ops_routes(ping: Ping, metrics: Metrics) -> list[tuple[str, type, dict[str, Any]]]:
    """The tornado routes of /healthz and /metrics (for the webhook server too)."""
    return [
        (r"/healthz", HealthHandler, {"ping": ping}),
        (r"/metrics", MetricsHandler, {"metrics": metrics}),
    ]


@dataclass
class OpsServer:
    """/healthz and /metrics on a port of their own (polling mode: BOT_METRICS_PORT)."""

    ping: Ping
    metrics: Metrics
    port: int
    listen: str = "0.0.0.0"
    _server: HTTPServer | None = field(default=None, repr=False)

    async def start(self) -> None:
        app = tornado.web.Application(
            ops_routes(self.ping, self.metrics), log_function=lambda handler: None
        )
        self._server = HTTPServer(app)
        self._server.listen(self.port, address=self.listen)
        log.info("health and metrics on port %d (/healthz, /metrics)", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None


class ErrorCounter(logging.Handler):
    """Counts every ERROR log record in `bot_errors{kind=...}`: the logger's name, and the
    exception's type when there is one (store failures, send failures, failed updates)."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(level=logging.ERROR)
        self.metrics = metrics

    def emit(self, record: logging.LogRecord) -> None:
        kind = record.name
        if record.exc_info and record.exc_info[0] is not None:
            kind = f"{kind}:{record.exc_info[0].__name__}"
        self.metrics.error(kind)
