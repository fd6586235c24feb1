"""The webhook listener: Telegram's updates over HTTP, checked before anything is read.

Our own small tornado handler instead of PTB's, because PTB's reads the whole body before it
looks at the secret: twelve 95 MB POSTs without a secret took the process to ~1 GB. Here the
request's headers decide first: no or a wrong `X-Telegram-Bot-Api-Secret-Token` -> 403, a
`Content-Length` over the cap -> 413, both without reading the body; a body sent in chunks is
cut off at the cap (413) as it arrives. Accepted updates go to the application's update
queue, exactly as PTB's webhook does. The reverse proxy in front should have a limit of its
own too (README).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import tornado.web
from telegram import Bot, Update
from tornado.httpserver import HTTPServer

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # bytes; Telegram's updates are a few kB (a long message ~ 20 kB)


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """POST <path>: one update; refused before the body is read when it cannot be ours."""

    def initialize(  # type: ignore[override]
        self, bot: Bot, queue: asyncio.Queue[object], secret: str, max_body: int
    ) -> None:
        self.bot = bot
        self.queue = queue
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
        if update is not None:
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
                    },
                )
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
