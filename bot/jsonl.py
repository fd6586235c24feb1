"""The scriptable transport: one JSON object per line in, one per line out.

See ../shared/CONTRACT.md ("The protocol"). Every input line gets exactly one output line,
flushed at once: `{"replies": [...]}` or `{"error": "..."}`; the process ends with exit code 0
at the end of its input.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.media import MediaWriter
from dialogs.engine import Engine
from dialogs.types import Incoming, Location, Reply

log = logging.getLogger(__name__)
MAX_LINE = 1_000_000  # characters; a longer line is refused with an error line
MIN_YEAR, MAX_YEAR = 1971, 9998  # a `now` outside is refused (date arithmetic must not overflow)


class Clock:
    """The engine's clock: the real one until a line sets `now`; never goes backwards."""

    def __init__(self, real: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._real = real
        self._set: datetime | None = None
        self._fired_second: int | None = None

    def first_look(self, now: datetime) -> bool:
        """True once per whole second of the clock: when due reminders must be claimed.
        A second claim within the same second finds nothing new (occurrences are stored
        in whole seconds, and whatever a message sets up is due strictly after its `now`),
        so the JSON transport skips that transaction."""
        second = int(now.timestamp())
        if second == self._fired_second:
            return False
        self._fired_second = second
        return True

    def set(self, moment: datetime) -> None:
        if self._set is None or moment > self._set:
            self._set = moment

    def now(self) -> datetime:
        return self._set or self._real()


class LineError(ValueError):
    """The line cannot be handled; the message goes back as {"error": ...}."""


def parse_line(line: str) -> dict[str, Any]:
    if len(line) > MAX_LINE:
        raise LineError(f"line longer than {MAX_LINE} characters")
    try:
        message = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineError(f"not valid JSON: {error.msg} at column {error.colno}") from None
    except RecursionError:
        raise LineError("not valid JSON here: nested too deeply") from None
    if not isinstance(message, dict):
        raise LineError("expected a JSON object")
    user_id = message.get("user_id")
    if isinstance(user_id, bool) or not isinstance(user_id, int):
        raise LineError("user_id must be an integer")
    if not -(2**63) <= user_id < 2**63:
        raise LineError("user_id is out of range")
    text, callback = message.get("text"), message.get("callback")
    if text is not None and not isinstance(text, str):
        raise LineError("text must be a string")
    if callback is not None and not isinstance(callback, str):
        raise LineError("callback must be a string")
    if "now" in message:
        message["now"] = parse_now(message["now"])
    if message.get("location") is not None:
        message["location"] = parse_location(message["location"])
    return message


def parse_location(value: Any) -> Location:
    """Our addition to the contract: `"location": {"latitude": 52.5, "longitude": 13.4}`, a
    shared location (Telegram's location message). Out-of-range points are the engine's to
    answer; a value that is not two numbers is refused here."""
    if not isinstance(value, dict):
        raise LineError("location must be an object with latitude and longitude")
    latitude, longitude = value.get("latitude"), value.get("longitude")
    for number in (latitude, longitude):
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise LineError("location needs numbers latitude and longitude")
    assert isinstance(latitude, int | float) and isinstance(longitude, int | float)
    return Location(float(latitude), float(longitude))


def parse_now(value: Any) -> datetime:
    if not isinstance(value, str):
        raise LineError("now must be an ISO-8601 string with an offset")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise LineError(f"now is not ISO-8601: {value[:40]!r}") from None
    if moment.tzinfo is None:
        raise LineError("now needs a UTC offset, e.g. 2026-05-04T09:00:00+02:00")
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise LineError(f"now must be between the years {MIN_YEAR} and {MAX_YEAR}")
    return moment


async def handle_line(
    engine: Engine, clock: Clock, line: str, media: MediaWriter | None = None
) -> dict[str, Any]:
    """One input line -> the one output object (charts and reports written by `media`)."""
    try:
        message = parse_line(line)
    except LineError as error:
        return {"error": str(error)}
    if "now" in message:
        clock.set(message["now"])
    now = clock.now()
    replies: list[Reply] = await engine.fire_due(now) if clock.first_look(now) else []
    incoming = Incoming(
        user_id=message["user_id"],
        now=now,
        text=message.get("text") if message.get("callback") is None else None,
        callback=message.get("callback"),
        location=message.get("location"),
    )
    replies += await engine.handle(incoming)
    if media is not None:
        media.apply(replies)
    return {"replies": [reply.to_json() for reply in replies]}


async def serve(
    engine: Engine,
    source: TextIO = sys.stdin,
    sink: TextIO = sys.stdout,
    clock: Clock | None = None,
    media: MediaWriter | None = None,
) -> None:
    clock = clock or Clock()
    reconfigure = getattr(source, "reconfigure", None)
    if reconfigure is not None:  # bytes that are not UTF-8 become U+FFFD, never a crash
        reconfigure(errors="replace")
    while True:
        line, whole = read_line(source)
        if not line:
            return
        if not whole:
            out: dict[str, Any] = {"error": f"line longer than {MAX_LINE} characters"}
        elif not line.strip():
            out = {"error": "empty line"}
        else:
            try:
                out = await handle_line(engine, clock, line, media)
            except Exception:  # never die on one line: report it and go on
                log.exception("could not handle a line")
                out = {"error": "internal error while handling this line"}
        write_line(sink, out)


READ_CHUNK = 64 * 1024  # characters read at a time while skipping the rest of a long line


def read_line(source: TextIO, limit: int = MAX_LINE) -> tuple[str, bool]:
    """The next line and whether it fits the limit. The limit holds WHILE reading: at most
    `limit` + 1 characters are ever held; the rest of a longer line is read in chunks and
    dropped (the caller answers with an error line and goes on). ("", True) at the end."""
    line = source.readline(limit + 1)
    if len(line) <= limit or line.endswith("\n"):
        return line, len(line.rstrip("\r\n")) <= limit
    while True:  # skip to the end of this line without keeping it
        rest = source.readline(READ_CHUNK)
        if not rest or rest.endswith("\n"):
            return line[:1], False


def write_line(sink: TextIO, out: dict[str, Any]) -> None:
    """One JSON line, UTF-8 as written; if the sink's encoding cannot carry a character
    (a non-UTF-8 locale), the same JSON with \\u escapes: never a crash on output."""
    try:
        sink.write(json.dumps(out, ensure_ascii=False) + "\n")
    except UnicodeEncodeError:
        sink.write(json.dumps(out) + "\n")
    sink.flush()
