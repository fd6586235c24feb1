"""A fault-injecting HTTP proxy on loopback, between the bot and the Bot API emulator.

    async with FaultProxy(upstream_port) as proxy:   # the bot talks to proxy.url
        proxy.mode = "down"      # connections refused (the listening socket is closed)
        proxy.mode = "5xx"       # every request answered 502 Bad Gateway, nothing forwarded
        proxy.mode = "ok"        # bytes piped both ways to the emulator

Switching away from "ok" cuts the connections already open (an outage breaks kept-alive
connections too). In "5xx" nothing reaches the emulator, so a retried message can never be
delivered twice because of the proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Literal

Mode = Literal["ok", "down", "5xx"]
BAD_GATEWAY = b'{"ok":false,"error_code":502,"description":"Bad Gateway"}'


class FaultProxy:
    def __init__(self, upstream_port: int, port: int = 0, host: str = "127.0.0.1") -> None:
        self.upstream = (host, upstream_port)
        self.host = host
        self.port = port
        self._mode: Mode = "ok"
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.refused = 0  # requests answered 502
        self.forwarded = 0  # connections piped

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def mode(self) -> Mode:
        return self._mode

    async def set_mode(self, mode: Mode) -> None:
        if mode == self._mode:
            return
        self._mode = mode
        for writer in list(self._writers):  # an outage cuts what is open
            writer.close()
        self._writers.clear()
        if mode == "down" and self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        elif mode != "down" and self._server is None:
            await self._listen()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def __aenter__(self) -> FaultProxy:
        await self._listen()
        return self

    async def __aexit__(self, *exc: object) -> None:
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            if self._mode == "5xx":
                await self._bad_gateway(reader, writer)
            else:
                await self._pipe(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _bad_gateway(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        while self._mode == "5xx":
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if length:
                await reader.readexactly(length)
            self.refused += 1
            writer.write(
                b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(BAD_GATEWAY)}\r\n\r\n".encode()
                + BAD_GATEWAY
            )
            await writer.drain()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        self._writers.add(up_writer)
        self.forwarded += 1

        async def copy(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        try:
            await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
        finally:
            self._writers.discard(up_writer)
            up_writer.close()
