"""Settings from environment variables and an optional `.env` file (../shared/CONTRACT.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class SettingsError(ValueError):
    """A setting has a value the bot cannot use (the message names it)."""


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None = None
    api_base_url: str | None = None
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    database: str = "bot.db"
    grace_minutes: float = 15.0
    log_level: str = "INFO"
    reminder_rate: float = 25.0  # reminders per second at most (of Telegram's ~30 msg/s)
    send_rate: float = 30.0  # all messages per second at most
    # Scaling out (issue 12): crowded minutes, paid broadcasts, metrics, log format
    spread_minutes: float = 0.0  # a crowded minute may start this early (0: never early)
    paid_broadcast: bool = False  # allow_paid_broadcast on reminders, rate up to 1,000/s
    metrics_port: int | None = None  # /healthz and /metrics in polling mode
    log_format: str = "text"  # "text" or "json" (one JSON object per line)
    media_dir: str | None = None  # BOT_MEDIA_DIR; None: media/ beside the SQLite file
    knowledge: str | None = None  # BOT_KNOWLEDGE; None: knowledge.yaml beside the package
    cache_dir: str | None = None  # BOT_CACHE_DIR: trained models; None: .cache beside the package

    def __repr__(self) -> str:  # never print the token
        shown = "set" if self.token else "none"
        return f"Settings(token={shown}, database={self.database!r}, log_level={self.log_level!r})"


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; '#' comments, blank lines, optional quotes and `export` allowed."""
    values: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return values
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
) -> Settings:
    """The environment wins over `.env`; empty values count as unset."""
    values = read_dotenv(dotenv) if dotenv else {}
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = values.get(name, "").strip()
        return value or None

    def number(name: str, default: float, low: float, high: float) -> float:
        raw = get(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a number, got {raw!r}") from None
        if not low <= value <= high:
            raise SettingsError(f"{name} must be between {low:g} and {high:g}, got {raw}")
        return value

    level = (get("LOG_LEVEL") or "INFO").upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {level!r}")
    log_format = (get("LOG_FORMAT") or "text").lower()
    if log_format not in {"text", "json"}:
        raise SettingsError(f"LOG_FORMAT must be text or json, got {log_format!r}")
    paid = (get("BOT_PAID_BROADCAST") or "0").lower()
    if paid not in {"0", "1", "true", "false", "yes", "no"}:
        raise SettingsError(f"BOT_PAID_BROADCAST must be 1 or 0, got {paid!r}")
    paid_broadcast = paid in {"1", "true", "yes"}
    metrics_port = get("BOT_METRICS_PORT")
    return Settings(
        token=get("TELEGRAM_BOT_TOKEN"),
        api_base_url=get("TELEGRAM_API_BASE_URL"),
        webhook_url=get("TELEGRAM_WEBHOOK_URL"),
        webhook_listen=get("TELEGRAM_WEBHOOK_LISTEN") or "0.0.0.0",
        webhook_port=int(number("PORT", 8443, 1, 65535)),
        webhook_secret=get("TELEGRAM_WEBHOOK_SECRET"),
        database=get("BOT_DATABASE") or "bot.db",
        # at least 1: a window of 0 would silently stop every reminder
        grace_minutes=number("BOT_REMINDER_GRACE_MINUTES", 15, 1, 24 * 60),
        log_level=level,
        reminder_rate=number("BOT_REMINDER_RATE", 1000 if paid_broadcast else 25, 0.1, 1000),
        send_rate=number("BOT_SEND_RATE", 30, 0.1, 1000),
        spread_minutes=number("BOT_REMINDER_SPREAD_MINUTES", 0, 0, 24 * 60),
        paid_broadcast=paid_broadcast,
        metrics_port=int(number("BOT_METRICS_PORT", 0, 1, 65535)) if metrics_port else None,
        log_format=log_format,
        media_dir=get("BOT_MEDIA_DIR"),
        knowledge=get("BOT_KNOWLEDGE"),
        cache_dir=get("BOT_CACHE_DIR"),
    )
