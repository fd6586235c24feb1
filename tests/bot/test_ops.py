"""Operations (bot/ops.py): /healthz, /metrics, JSON-line logs, and their settings."""

from __future__ import annotations

import json
import logging
import socket
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from bot.ops import ErrorCounter, JsonFormatter, Metrics, OpsServer
from bot.settings import SettingsError, load_settings
from bot.stores import open_store

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _get(port: int, path: str) -> tuple[int, str]:
    import asyncio

    def fetch() -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
                return int(r.status), r.read().decode()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read().decode()

    return await asyncio.to_thread(fetch)


async def test_healthz_follows_the_database_and_metrics_count(database: str) -> None:
    store = await open_store(database)
    metrics = Metrics()
    port = _port()
    server = OpsServer(store.ping, metrics, port, listen="127.0.0.1")
    await server.start()
    try:
        assert await _get(port, "/healthz") == (200, "ok\n")
        metrics.update_handled(1, 0.02)
        metrics.update_handled(2, 0.5)
        metrics.reminder_sent(NOW, NOW + timedelta(minutes=5))  # late
        metrics.reminder_sent(NOW, NOW - timedelta(minutes=5))  # early (a crowded minute)
        metrics.skipped_total(3)
        metrics.skipped_total(3)  # the store's running total: counted once
        metrics.error("store")
        status, page = await _get(port, "/metrics")
        assert status == 200
        for line in (
            "bot_updates_handled_total 2.0",
            "bot_reminders_sent_total 2.0",
            "bot_reminders_late_total 1.0",
            "bot_reminders_early_total 1.0",
            "bot_reminders_skipped_total 3.0",
            'bot_errors_total{kind="store"} 1.0',
            "bot_active_users 2.0",
            'bot_reply_latency_seconds_bucket{le="0.025"} 1.0',
        ):
            assert line in page, line
        await store.close()  # the database is gone: unhealthy
        status, _ = await _get(port, "/healthz")
        assert status == 503
    finally:
        await server.stop()


def test_json_log_lines_and_errors_counted() -> None:
    metrics = Metrics()
    record = logging.LogRecord("bot.x", logging.ERROR, __file__, 1, "failed %s", ("once",), None)
    line = json.loads(JsonFormatter().format(record))
    assert (
        line["level"] == "ERROR" and line["logger"] == "bot.x" and line["message"] == "failed once"
    )
    ErrorCounter(metrics).emit(record)
    assert 'bot_errors_total{kind="bot.x"} 1.0' in metrics.render().decode()


def test_scaling_settings() -> None:
    settings = load_settings(
        {
            "BOT_DATABASE": "postgresql://bot:pw@db/bot",
            "BOT_REMINDER_SPREAD_MINUTES": "60",
            "BOT_PAID_BROADCAST": "1",
            "BOT_METRICS_PORT": "9100",
            "LOG_FORMAT": "json",
        },
        dotenv=None,
    )
    assert settings.spread_minutes == 60 and settings.paid_broadcast
    assert settings.reminder_rate == 1000  # paid broadcasts raise the default rate
    assert settings.metrics_port == 9100 and settings.log_format == "json"
    assert load_settings({}, dotenv=None).reminder_rate == 25
    for bad in ({"LOG_FORMAT": "xml"}, {"BOT_PAID_BROADCAST": "maybe"}):
        with pytest.raises(SettingsError):
            load_settings(bad, dotenv=None)


async def test_counted_reminder_sends_keep_the_outage_hook() -> None:
    import inspect

    calls: list[object] = []

    async def send(reply, on_trouble=None) -> bool:  # type: ignore[no-untyped-def]
        calls.append(on_trouble)
        return True

    async def trouble() -> None: ...

    counted = Metrics().counting_sends(send, lambda: NOW, lambda: 0)
    parameters = inspect.signature(counted).parameters  # the dispatcher looks for them
    assert "on_trouble" in parameters and "still_wanted" in parameters
    from dialogs.types import Reply

    assert await counted(Reply(1, "x"), on_trouble=trouble) is True
    assert calls == [trouble]
