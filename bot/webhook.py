"""The webhook listener: Telegram's updates over HTTP, checked before anything is read.

Our own small tornado handler instead of PTB's, because PTB's reads the whole body before it
looks at the secret: twelve 95 MB POSTs without a secret took the process to ~1 GB. Here the
request's headers decide first: no or a wrong `X-Telegram-Bot-Api-Secret-Token` -> 403, a
`Content-Length` over the cap -> 413, both without reading the body; a body sent in chunks is
cut off at the cap (413) as it arrives. Accepted updates go to the application's update
queue, exactly as PTB's webhook does. The reverse proxy in front should have a limit of its
own too (README).

Several instances on one PostgreSQL database (issue 12) pass `process`: the update is then
handled before Telegram gets its 200 (for at most `ack_wait` seconds), and Telegram sends a
chat's next update only after that answer, so one user's updates are handled in order even
when the load balancer gives them to different instances. `routes` adds /healthz and
/metrics (bot.ops) to the same server.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import tornado.web
from telegram import Bot, Update
from tornado.httpserver import HTTPServer

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # bytes; Telegram's updates are a few kB (a long message ~ 20 kB)
Process = Callable[[Update], Awaitable[None]]


async def _handled_or_waited(
    handling: Awaitable[None], wait: float, tasks: set[asyncio.Future[None]]
) -> None:
    """Wait until the update is handled, or `wait` seconds (it then goes on after the 200:
    a reply held up by an outage must not make Telegram deliver the update again)."""
    task = asyncio.ensure_future(handling)
    tasks.add(task)  # a reference until it is done
    task.add_done_callback(tasks.discard)
    await asyncio.wait({task}, timeout=wait)


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """POST <path>: one update; refused before the body is read when it cannot be ours."""

    def initialize(
        self,
        bot: Bot,
        queue: asyncio.Queue[object],
        secret: str,
        max_body: int,
        process: Process | None = None,
        handling: set[asyncio.Future[None]] | None = None,
        ack_wait: float = 10.0,
    ) -> None:
        self.handling = handling if handling is not None else set()
        self.bot = bot
        self.queue = queue
        self.process = process
        self.ack_wait = ack_wait
        self.secret = secret
        self.max_body = max_body
        self.chunks: list[bytes] = []
        self.size = 0

    def prepare(self) -> None:
        if self.request.method != "POST":
            raise tornado.web.HTTPError(405)
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            raise tornado.web.HTTPError(403)  # first: a stranger learns nothing more
        length = self.request.headers.get("Content-Length")
        try:
            too_long = length is not None and int(length) > self.max_body
        except ValueError:
            raise tornado.web.HTTPError(400) from None
        if too_long:
            raise tornado.web.HTTPError(413)
        connection = self.request.connection
        if connection is not None and hasattr(connection, "set_max_body_size"):
            connection.set_max_body_size(self.max_body)  # chunked bodies: cut off at the cap

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_body:
            raise tornado.web.HTTPError(413)
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            data = json.loads(b"".join(self.chunks))
            update = Update.de_json(data, self.bot)
        except Exception:  # not an update: say so, never crash (no body in the log)
            log.warning("webhook: a request with the right secret was not a valid update")
            raise tornado.web.HTTPError(400) from None
        if self.process is not None:
            await _handled_or_waited(self.process(update), self.ack_wait, self.handling)
        else:
            await self.queue.put(update)
        self.set_status(200)
        self.finish()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, tornado.web.HTTPError):
            log.debug("webhook: refused a request (%s)", value.status_code)
        else:
            log.error("webhook: %s", typ.__name__ if typ else "error")


@dataclass
class WebhookListener:
    """Listens on (listen, port) for POSTs to `url_path`; `start()` then `stop()`."""

    bot: Bot
    queue: asyncio.Queue[object]
    listen: str
    port: int
    url_path: str
    secret: str
    max_body: int = MAX_BODY
    process: Process | None = None  # handle before answering (several instances), else queue
    routes: list[Any] = field(default_factory=list)  # more tornado routes (/healthz, /metrics)
    _handling: set[asyncio.Future[None]] = field(default_factory=set, repr=False)
    _server: HTTPServer | None = field(default=None, repr=False)

    async def start(self) -> None:
        path = "/" + self.url_path.strip("/")
        app = tornado.web.Application(
            [
                (
                    rf"{path}/?",
                    UpdateHandler,
                    {
                        "bot": self.bot,
                        "queue": self.queue,
                        "secret": self.secret,
                        "max_body": self.max_body,
                        "process": self.process,
                        "handling": self._handling,
                    },
                ),
                *self.routes,
            ],
            log_function=lambda handler: None,  # no access log (paths are not secret, bodies are)
        )
        # The server's own limit is a backstop above ours (our 413 is the answer people see).
        self._server = HTTPServer(app, max_body_size=4 * self.max_body, idle_connection_timeout=60)
        self._server.listen(self.port, address=self.listen)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None
