"""The runner (bot/app.py) around the handlers (bot/telegram.py), and the command line."""

from __future__ import annotations

from pathlib import Path

from telegram.ext import CallbackQueryHandler, ChatMemberHandler, MessageHandler

from bot.__main__ import build_parser
from bot.app import PatientApplication, TelegramApp
from bot.settings import Settings
from bot.telegram import TelegramBot
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
