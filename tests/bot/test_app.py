"""The runner (bot/app.py) around the handlers (bot/telegram.py), and the command line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from telegram.ext import CallbackQueryHandler, ChatMemberHandler, MessageHandler

from bot.__main__ import build_parser
from bot.app import PatientApplication, TelegramApp, api_urls, webhook_options
from bot.settings import Settings
from bot.telegram import TelegramBot
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge


def test_the_app_is_built_with_every_handler_of_the_bot(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    telegram_app = TelegramApp(Settings(token="1:fake"), str(tmp_path / "bot.db"), knowledge)
    assert isinstance(telegram_app, TelegramBot)
    app = telegram_app.build()
    assert isinstance(app, PatientApplication)
    handlers = [h for group in app.handlers.values() for h in group]
    callbacks = {getattr(h.callback, "__name__", "") for h in handlers}
    assert {"on_press", "on_text", "on_edited", "on_non_text", "on_group", "on_member"} <= callbacks
    assert any(isinstance(h, CallbackQueryHandler) for h in handlers)
    assert any(isinstance(h, ChatMemberHandler) for h in handlers)
    assert sum(isinstance(h, MessageHandler) for h in handlers) >= 4
    assert app.error_handlers  # failures are logged and the user is told


def test_every_command_line_flag_is_still_read() -> None:
    parser = build_parser()
    args = parser.parse_args(["run", "--db", "postgresql://u@h/d"])
    assert (args.command, args.db) == ("run", "postgresql://u@h/d")
    args = parser.parse_args(["chat", "--json", "--db", "memory:", "--user", "7"])
    assert (args.command, args.json, args.db, args.user) == ("chat", True, "memory:", 7)
    args = parser.parse_args(["misses", "--db", "x.db", "--days", "7", "--top", "5"])
    assert (args.command, args.db, args.days, args.top) == ("misses", "x.db", 7.0, 5)


def test_api_urls_accept_the_root_or_the_bot_url() -> None:
    assert api_urls(None) == ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot")
    local = ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")
    assert api_urls("http://127.0.0.1:8081") == local
    assert api_urls("http://127.0.0.1:8081/bot/") == local


def test_webhook_listens_on_the_url_path_with_a_secret() -> None:
    settings = replace(Settings(), webhook_url="https://example.org/tg/hook", webhook_port=8080)
    options = webhook_options(settings)
    assert options["url_path"] == "tg/hook"
    assert options["port"] == 8080
    assert options["webhook_url"] == "https://example.org/tg/hook"
    assert len(options["secret_token"]) >= 32  # generated when none is set
    assert webhook_options(settings)["secret_token"] != options["secret_token"]
    fixed = webhook_options(replace(settings, webhook_secret="s3cret-_X"))
    assert fixed["secret_token"] == "s3cret-_X"


# --- defect 6: the database file deleted under a running bot went unnoticed -----------------
@pytest.mark.parametrize("how", ["removed", "replaced"])
async def test_a_vanished_or_replaced_database_file_stops_the_bot(
    knowledge: Knowledge, tmp_path: Path, how: str
) -> None:
    import asyncio
    import os

    from bot.app import TelegramApp
    from bot.sqlite_store import SQLiteStore
    from dialogs.ports import StoreError

    path = tmp_path / "bot.db"
    store = await SQLiteStore.open(path)
    try:
        store.check_file()  # fine as opened
        stopped: list[bool] = []
        telegram_bot = TelegramApp(Settings(), str(path), knowledge, watch_interval=0.01)
        telegram_bot.engine = Engine(knowledge, store)
        telegram_bot.on_fatal = lambda: stopped.append(True)
        watch = asyncio.create_task(telegram_bot._watch_store())
        await asyncio.sleep(0.05)
        assert not stopped
        os.remove(path)
        if how == "replaced":
            path.write_bytes(b"")
        await asyncio.wait_for(watch, 2)
        assert stopped == [True]
        assert telegram_bot.fatal and str(path) in telegram_bot.fatal and how in telegram_bot.fatal
        with pytest.raises(StoreError, match=how):
            store.check_file()
    finally:
        await store.close()
