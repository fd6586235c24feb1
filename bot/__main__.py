"""`python -m bot`: chat in the terminal, script it with JSON lines, or run the Telegram bot.

python -m bot                  # Telegram when TELEGRAM_BOT_TOKEN is set, else the terminal
python -m bot chat [--db PATH] # chat in the terminal
python -m bot chat --json      # the scriptable JSON-lines transport (../shared/CONTRACT.md)
python -m bot run              # the Telegram bot (needs TELEGRAM_BOT_TOKEN)
python -m bot misses [--days N] [--top N]  # the commonest messages the bot could not place
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot import logsafe
from bot.settings import Settings, SettingsError, load_settings
from dialogs.knowledge import KnowledgeError
from dialogs.ports import StoreError

log = logging.getLogger("bot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    chat = sub.add_parser("chat", help="chat in the terminal (no Telegram needed)")
    chat.add_argument("--json", action="store_true", help="JSON lines on stdin/stdout")
    chat.add_argument(
        "--db", help="SQLite file, postgresql:// URL or memory: (default: BOT_DATABASE)"
    )
    chat.add_argument("--user", type=int, default=1, help="your user id in the terminal chat")
    run = sub.add_parser("run", help="run the Telegram bot (TELEGRAM_BOT_TOKEN)")
    run.add_argument("--db", help="SQLite file or postgresql:// URL (default: BOT_DATABASE)")
    unplaced = sub.add_parser("misses", help="the commonest messages the bot could not place")
    unplaced.add_argument("--db", help="SQLite file or postgresql:// URL (default: BOT_DATABASE)")
    unplaced.add_argument("--days", type=float, default=30, help="look back this many days")
    unplaced.add_argument("--top", type=int, default=30, help="show this many")
    return parser


def setup_logging(settings: Settings, quiet: bool) -> None:
    logging.basicConfig(
        level=logging.WARNING if quiet else getattr(logging, settings.log_level),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if settings.log_format == "json":  # one JSON object per line (bot.ops)
        from bot.ops import JsonFormatter

        for handler in logging.getLogger().handlers:
            handler.setFormatter(JsonFormatter())
    # httpx logs every request URL at INFO: noise (and the URL carries the bot token, which
    # bot.logsafe redacts from every record at every level, DEBUG included).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logsafe.install(
        [s for s in (settings.token, settings.webhook_secret, _password(settings)) if s]
    )


def _password(settings: Settings) -> str | None:
    """The database password of a postgresql:// URL (kept out of the logs too)."""
    from urllib.parse import urlsplit

    if not settings.database.startswith(("postgresql://", "postgres://")):
        return None
    try:
        return urlsplit(settings.database).password
    except ValueError:
        return None


async def chat(settings: Settings, args: argparse.Namespace) -> None:
    from bot import console, jsonl
    from bot.media import MediaWriter, media_dir_for
    from bot.runtime import configured_knowledge, open_engine

    database = args.db or settings.database
    media = MediaWriter(media_dir_for(settings.media_dir, database))
    knowledge = configured_knowledge(settings)
    async with open_engine(database, settings.grace_minutes, knowledge) as engine:
        if args.json:
            await jsonl.serve(engine, media=media)
        else:
            await console.serve(engine, user_id=args.user, media=media)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    command = args.command or ("run" if settings.token else "chat")
    if command == "chat" and not hasattr(args, "json"):
        args = build_parser().parse_args(["chat"])
    setup_logging(settings, quiet=command in ("chat", "misses"))
    try:
        if command == "chat":
            asyncio.run(chat(settings, args))
            return 0
        if command == "misses":
            from bot import misses
            from bot.runtime import configured_knowledge

            database, knowledge = args.db or settings.database, configured_knowledge(settings)
            rows = asyncio.run(misses.commonest(database, args.days, args.top, knowledge=knowledge))
            print(misses.render(rows, args.days))
            return 0
        if not settings.token:
            print(
                "error: TELEGRAM_BOT_TOKEN is not set, so the Telegram bot cannot start.\n"
                "Set it (see README.md), or chat with the bot in this terminal:\n"
                "    python -m bot chat",
                file=sys.stderr,
            )
            return 2
        from bot.app import run_bot

        return run_bot(settings, database=getattr(args, "db", None))
    except (KnowledgeError, StoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
